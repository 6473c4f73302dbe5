package io.isthmus.fastpath.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PuntLimiterTest {

    @Test
    void allowsTheBurstThenTheRate() {
        // Given 100 punts per second with a burst of 5
        PuntLimiter limiter = new PuntLimiter(100, 5);
        long t = 1_000_000L;

        // When 10 punts come at the same instant, Then 5 pass
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            allowed += limiter.tryAcquire(t) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(5);

        // And one more passes every 10 ms after that
        assertThat(limiter.tryAcquire(t + 9_000_000L)).isFalse();
        assertThat(limiter.tryAcquire(t + 10_000_000L)).isTrue();
        assertThat(limiter.tryAcquire(t + 10_000_000L)).isFalse();
    }

    @Test
    void aSustainedFloodIsHeldToTheRate() {
        // Given 1000/s with a burst of 10
        PuntLimiter limiter = new PuntLimiter(1000, 10);

        // When offered a punt every microsecond for one second
        int allowed = 0;
        for (long t = 0; t < 1_000_000_000L; t += 1_000) {
            allowed += limiter.tryAcquire(t) ? 1 : 0;
        }

        // Then about rate + burst pass
        assertThat(allowed).isBetween(1000, 1010);
    }
}
