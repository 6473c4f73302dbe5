package io.isthmus.nfvo.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NsLcmWorkerTest {

    @ParameterizedTest
    @CsvSource({"1s, PT1S", "1h, PT1H", "0.5s, PT0.5S", "PT2S, PT2S", "p1d, PT24H", " 30S , PT30S"})
    void thePeriodIsReadInTheSchedulersNotation(String every, Duration period) {
        assertThat(NsLcmWorker.period(every)).isEqualTo(period);
    }
}
