package io.isthmus.slowpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.FlowKey;
import io.isthmus.slowpath.control.ControlQueue;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.service.SlowpathStats;
import io.isthmus.slowpath.testing.FakeFastpath;
import io.isthmus.slowpath.testing.RecordingPolicy;

/**
 * The punt queue under overload: a fastpath punts far faster than the policy decides. The slowpath must shed the
 * excess at its bounded queue (counted), never hold more than the queue's size, and keep answering HELLO and HTTP.
 */
class SlowpathOverloadTest {

    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final int FLOOD = 20_000;
    private static final byte[] PACKET = new byte[100];

    private final CountDownLatch policyHeld = new CountDownLatch(1);
    private final CountDownLatch releasePolicy = new CountDownLatch(1);
    private final RecordingPolicy policy = new RecordingPolicy();
    private final Slowpath slowpath = Slowpath.start(
            SlowpathOptions.of("test", "vnf-overload", InetAddress.getLoopbackAddress(), 0, 0)
                    .withPuntQueueBytes(ControlQueue.MIN_CAPACITY),
            policy, Clock.systemUTC());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(BOUND).build();

    @AfterEach
    void stop() {
        releasePolicy.countDown();
        slowpath.close();
    }

    @Test
    void aFloodOfPuntsIsShedAtTheBoundedQueueWhileTheSlowpathStaysResponsive() throws Exception {
        // Given a policy that cannot keep up: its first decision waits until the test lets it go
        policy.decideWith(miss -> {
            policyHeld.countDown();
            awaitQuietly(releasePolicy);
            return Decision.drop("slow");
        });
        try (FakeFastpath fastpath = registered(1)) {
            // When a fastpath punts a flood of new flows
            for (int i = 0; i < FLOOD; i++) {
                fastpath.punt(key(i), PACKET);
            }
            assertThat(policyHeld.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();

            // Then the excess is dropped and counted at the queue, which never holds more than its size
            await().atMost(BOUND).untilAsserted(() -> {
                SlowpathStats stats = slowpath.service().stats();
                assertThat(stats.puntQueueDrops()).isGreaterThan(FLOOD / 2);
                assertThat(stats.puntQueueBytes()).isPositive().isLessThanOrEqualTo(stats.puntQueueCapacity());
            });
            assertThat(slowpath.service().stats().puntQueueCapacity()).isEqualTo(ControlQueue.MIN_CAPACITY);

            // And while the policy is stuck, health answers and a new fastpath still registers
            try (FakeFastpath late = new FakeFastpath(2, slowpath.controlAddress())) {
                late.hello();
                await().atMost(BOUND).untilAsserted(() -> {
                    HttpResponse<String> health = get("/health");
                    assertThat(health.statusCode()).isEqualTo(200);
                    assertThat(health.body()).contains("\"fastpaths\":2");
                });

                // When the policy catches up
                releasePolicy.countDown();

                // Then every punt that was queued was decided, and none beyond: received = decided + shed
                await().atMost(BOUND).untilAsserted(() -> {
                    SlowpathStats stats = slowpath.service().stats();
                    assertThat(stats.policyDrops() + stats.puntQueueDrops()).isEqualTo(stats.punts());
                    assertThat(stats.puntQueueBytes()).isZero();
                });
                SlowpathStats stats = slowpath.service().stats();
                assertThat(policy.misses).hasSize((int) stats.policyDrops());
                assertThat(stats.punts()).isLessThanOrEqualTo(FLOOD);
                // And the late fastpath is told to start from an empty table once the policy thread gets to it
                assertThat(late.receive(ControlProtocol.REMOVE)).isNotNull();
            }
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + slowpath.configAddress().getPort() + path)).timeout(Duration.ofSeconds(2))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private FakeFastpath registered(int id) throws Exception {
        FakeFastpath fastpath = new FakeFastpath(id, slowpath.controlAddress());
        fastpath.hello();
        fastpath.receive(ControlProtocol.REMOVE);
        return fastpath;
    }

    private static FlowKey key(int i) {
        return new FlowKey(100, FlowKey.UDP, 0x0A000000 | (i >>> 12), 0x08080808, 1024 + (i & 4095), 53);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
