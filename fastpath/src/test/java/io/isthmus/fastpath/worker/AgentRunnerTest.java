package io.isthmus.fastpath.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class AgentRunnerTest {

    @Test
    void keepsRunningAfterAnErrorAndStopsOnClose() throws InterruptedException {
        // Given an agent that throws on its first call and then counts calls
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch workedAfterError = new CountDownLatch(3);
        CountDownLatch closed = new CountDownLatch(1);
        Agent agent = new Agent() {
            @Override
            public int doWork() {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("boom");
                }
                workedAfterError.countDown();
                return 0;
            }

            @Override
            public void onError(Throwable error) {
                errors.incrementAndGet();
            }

            @Override
            public void onClose() {
                closed.countDown();
            }

            @Override
            public String roleName() {
                return "test-agent";
            }
        };

        // When run on its own thread
        AgentRunner runner = AgentRunner.start(agent, new BackoffIdleStrategy(1, 1, 1_000, 100_000));

        // Then the error is handed over and the loop goes on
        assertThat(workedAfterError.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(errors.get()).isEqualTo(1);

        // And close stops it
        runner.close(Duration.ofSeconds(5));
        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(runner.isRunning()).isFalse();
    }
}
