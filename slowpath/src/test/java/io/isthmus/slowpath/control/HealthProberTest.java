package io.isthmus.slowpath.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.isthmus.slowpath.control.HealthProber.Check;
import io.isthmus.slowpath.control.HealthProber.State;
import io.isthmus.slowpath.control.HealthProber.Transition;
import io.isthmus.slowpath.policy.HealthCheck;

/** A health check's states, as a table, and the changes a run of probe results makes (no I/O). */
class HealthProberTest {

    private static final Instant AT = Instant.parse("2026-01-31T10:00:00Z");

    @ParameterizedTest(name = "{0}, {1} ({2} in a row) → {3}")
    @CsvSource({
            "UNKNOWN,   true,  1, HEALTHY",
            "UNKNOWN,   false, 1, UNHEALTHY",
            "HEALTHY,   true,  5, HEALTHY",
            "HEALTHY,   false, 2, HEALTHY",
            "HEALTHY,   false, 3, UNHEALTHY",
            "UNHEALTHY, false, 9, UNHEALTHY",
            "UNHEALTHY, true,  1, UNHEALTHY",
            "UNHEALTHY, true,  2, HEALTHY"})
    void theFirstProbeDecidesThenRiseOrFallInARow(State from, boolean passed, int inARow, State to) {
        assertThat(Check.next(from, passed, inARow, 2, 3)).isEqualTo(to);
    }

    @Test
    void onlyChangesAreReportedAndAFailureBetweenPassesStartsTheCountAgain() {
        Check check = new Check(check(2, 3));

        assertThat(healthy(check.record(true, null, AT))).isEqualTo("healthy");
        assertThat(check.record(false, "status 500", AT)).isNull();
        assertThat(check.record(false, "status 500", AT)).isNull();
        assertThat(check.record(true, null, AT)).isNull();
        assertThat(check.record(false, "status 500", AT)).isNull();
        assertThat(check.record(false, "status 500", AT)).isNull();
        Transition down = check.record(false, "status 503", AT);
        assertThat(healthy(down)).isEqualTo("unhealthy");
        assertThat(down.reason()).isEqualTo("3 in a row, failed: status 503");
        assertThat(check.record(true, null, AT)).isNull();
        assertThat(healthy(check.record(true, null, AT))).isEqualTo("healthy");

        HealthProber.Status status = check.status();
        assertThat(status.state()).isEqualTo(State.HEALTHY);
        assertThat(status.lastPassed()).isTrue();
        assertThat(status.lastError()).isNull();
        assertThat(status.consecutive()).isEqualTo(2);
        assertThat(status.checks()).isEqualTo(9);
        assertThat(status.lastCheckAt()).isEqualTo(AT);
    }

    @Test
    void aProbeThatEndsAfterItsCheckStoppedChangesNothing() {
        Check check = new Check(check(1, 1));
        check.stop();

        assertThat(check.record(false, "connection refused", AT)).isNull();
        assertThat(check.status().state()).isEqualTo(State.UNKNOWN);
        assertThat(check.status().checks()).isZero();
    }

    private static String healthy(Transition transition) {
        assertThat(transition).isNotNull();
        return transition.healthy() ? "healthy" : "unhealthy";
    }

    private static HealthCheck check(int rise, int fall) {
        return HealthCheck.tcp("backend", new InetSocketAddress("127.0.0.1", 9), Duration.ofSeconds(1),
                Duration.ofMillis(500), rise, fall);
    }
}
