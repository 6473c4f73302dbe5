package io.isthmus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ServiceLogsTest {

    @Test
    void errorRecordsOfEveryLogFormatAreProblems() {
        List<String> log = List.of(
                "2026-12-02 20:38:34,123 INFO  [io.is.vn.li.OperationJournal] (worker) op 1 STARTING",
                "2026-12-02 20:38:35,001 ERROR [io.qu.ve.ht.ru.QuarkusErrorHandler] (executor-thread-1) HTTP failed",
                "20:38:36.002 ERROR [io.is.nf.li.NsLcmWorker] NS operation x could not be advanced",
                "Dec 02, 2026 8:38:34 PM io.isthmus.slowpath.SlowpathMain main", "SEVERE: config refused");

        assertThat(ServiceLogs.problems("svc.log", log)).containsExactly(
                "svc.log:2: 2026-12-02 20:38:35,001 ERROR [io.qu.ve.ht.ru.QuarkusErrorHandler] (executor-thread-1)"
                        + " HTTP failed",
                "svc.log:3: 20:38:36.002 ERROR [io.is.nf.li.NsLcmWorker] NS operation x could not be advanced",
                "svc.log:5: SEVERE: config refused");
    }

    @Test
    void anExceptionNoLoggerReportedIsAProblemButOneAttachedToAWarningIsNot() {
        List<String> log = List.of(
                "2026-12-02 20:38:34,123 WARN  [io.is.vn.in.NotificationPump] (worker) delivery failed",
                "java.net.ConnectException: Connection refused", "\tat java.base/sun.nio.ch.Net.connect(Net.java:1)",
                "fastpath worker 0 listening on 127.0.0.1:40001",
                "java.lang.IllegalStateException: ring full", "\tat io.isthmus.fastpath.Ring.offer(Ring.java:10)",
                "Exception in thread \"main\" java.lang.NullPointerException", "\tat x.Y.main(Y.java:1)");

        assertThat(ServiceLogs.problems("fp.log", log)).containsExactly(
                "fp.log:5: java.lang.IllegalStateException: ring full",
                "fp.log:7: Exception in thread \"main\" java.lang.NullPointerException");
    }

    @Test
    void aCleanLogHasNoProblems() {
        assertThat(ServiceLogs.problems("ok.log",
                List.of("__  ____  __  _____   ___  __ ____  ______",
                        "2026-12-02 20:38:34,123 INFO  [io.quarkus] started",
                        "INFO: slowpath ready", "2026-12-02 20:38:34,123 DEBUG [x] errorDetail is ERROR-free",
                        "20:38:36.002 INFO  [x] ERROR is only a word here")))
                .isEmpty();
    }
}
