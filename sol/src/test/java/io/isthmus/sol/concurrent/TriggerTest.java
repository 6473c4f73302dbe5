package io.isthmus.sol.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class TriggerTest {

    @Test
    void aRequestDuringAPassRunsOneMorePassAfterItAndNeverTwoAtOnce() throws Exception {
        Trigger trigger = new Trigger();
        AtomicInteger passes = new AtomicInteger();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        CountDownLatch inFirstPass = new CountDownLatch(1);
        CountDownLatch secondRequestMade = new CountDownLatch(1);
        Runnable job = () -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            if (passes.incrementAndGet() == 1) {
                inFirstPass.countDown();
                try {
                    secondRequestMade.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            concurrent.decrementAndGet();
        };

        Thread first = Thread.ofPlatform().start(() -> trigger.run(job));
        assertThat(inFirstPass.await(5, TimeUnit.SECONDS)).isTrue();
        trigger.run(job); // returns at once: a pass is running, so it only asks for another
        secondRequestMade.countDown();
        first.join(5000);

        assertThat(passes.get()).isEqualTo(2);
        assertThat(maxConcurrent.get()).isEqualTo(1);
    }
}
