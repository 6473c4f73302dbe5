package io.isthmus.slowpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.FlowTimeouts;
import io.isthmus.control.PuntReason;
import io.isthmus.control.Rule;
import io.isthmus.control.message.BatchFlyweight;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.ReinjectFlyweight;
import io.isthmus.control.message.RemoveFlyweight;
import io.isthmus.control.message.TimeoutsFlyweight;
import io.isthmus.control.message.WelcomeFlyweight;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.testing.FakeFastpath;
import io.isthmus.slowpath.testing.RecordingPolicy;

/** The slowpath's control protocol side, over real loopback UDP, with fastpaths played by test sockets. */
class SlowpathControlTest {

    private static final FlowKey FLOW = new FlowKey(100, FlowKey.UDP, 0x0A000005, 0x08080808, 40001, 53);
    private static final byte[] PACKET = {8, 0, 0, 0, 0, 0, 100, 0, 1, 2, 3};

    private final RecordingPolicy policy = new RecordingPolicy();
    private final Slowpath slowpath = Slowpath.start(
            SlowpathOptions.of("test", "vnf-test", InetAddress.getLoopbackAddress(), 0, 0), policy,
            Clock.systemUTC());

    @AfterEach
    void stop() {
        slowpath.close();
    }

    @Test
    void aNewFastpathIsRegisteredAndToldToStartFromAnEmptyTable() throws Exception {
        try (FakeFastpath fastpath = new FakeFastpath(1, slowpath.controlAddress())) {
            // When a fastpath says HELLO
            fastpath.hello();

            // Then it is told to remove every rule, and health counts it
            ByteBuffer remove = fastpath.receive();
            assertThat(ControlProtocol.type(remove, 0)).isEqualTo(ControlProtocol.REMOVE);
            assertThat(RemoveFlyweight.flags(remove, 0)).isEqualTo(RemoveFlyweight.REMOVE_ALL);
            assertThat(ControlProtocol.fastpathId(remove, 0)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> slowpath.service().health().fastpaths() == 1);

            // And a repeated HELLO is only a refresh
            fastpath.hello();
            assertThat(fastpath.receivesWithin(200)).isFalse();
        }
    }

    @Test
    void aMissIsDecidedInstalledEverywhereAndReinjectedToThePuntingFastpath() throws Exception {
        // Given two registered fastpaths and a policy that forwards with two rules
        Rule forward = Rule.of(FLOW, new Action.SetVni(200), new Action.SetNextHop(0x7F000001, 40001));
        Rule reverse = Rule.of(FLOW.reversed(200), new Action.SetVni(100), new Action.SetNextHop(0x7F000001, 40002));
        policy.decideWith(miss -> Decision.forward(forward, reverse));
        try (FakeFastpath one = registered(1); FakeFastpath two = registered(2)) {
            // When fastpath 1 punts a miss
            one.punt(FLOW, PACKET);

            // Then the policy saw the key and the packet
            await().atMost(Duration.ofSeconds(5)).until(() -> policy.misses.size() == 1);
            assertThat(policy.misses.get(0).key()).isEqualTo(FLOW);
            assertThat(policy.misses.get(0).fastpathId()).isEqualTo(1);

            // And both fastpaths got both rules, fastpath 1 before the re-injected packet
            for (FakeFastpath fastpath : List.of(one, two)) {
                ByteBuffer install = fastpath.receive();
                assertThat(ControlProtocol.type(install, 0)).isEqualTo(ControlProtocol.INSTALL);
                assertThat(InstallFlyweight.decode(install, 0, install.capacity()))
                        .containsExactly(forward, reverse);
            }
            ByteBuffer reinject = one.receive();
            assertThat(ControlProtocol.type(reinject, 0)).isEqualTo(ControlProtocol.REINJECT);
            byte[] packet = new byte[ReinjectFlyweight.packetLength(reinject, 0)];
            reinject.get(ReinjectFlyweight.PACKET_OFFSET, packet);
            assertThat(packet).isEqualTo(PACKET);
            assertThat(two.receivesWithin(200)).isFalse();
            assertThat(slowpath.service().stats().installs()).isEqualTo(2);
        }
    }

    @Test
    void aFastpathThatTakesReinjectBatchesGetsABatchOfMissesBackInFewDatagramsInOrder() throws Exception {
        // Given a fastpath that says it takes REINJECT_BATCH, one that does not, and a policy that forwards
        policy.decideWith(miss -> Decision.forward(Rule.of(miss.key(), new Action.SetNextHop(0x7F000001, 40001))));
        try (FakeFastpath batching = registered(1, HelloFlyweight.REINJECT_BATCH);
                FakeFastpath single = registered(2, 0)) {
            // When each punts 30 misses of 30 flows
            for (int i = 0; i < 30; i++) {
                FlowKey key = new FlowKey(100, FlowKey.UDP, 0x0A000000 + i, 0x08080808, 40001, 53);
                byte[] packet = PACKET.clone();
                packet[packet.length - 1] = (byte) i;
                batching.punt(key, packet);
                single.punt(key.reversed(100), packet);
            }

            // Then the batching one gets its 30 packets back in order in a few REINJECT_BATCHes, each within an
            // unfragmented datagram, and the other 30 REINJECTs
            List<Integer> lastBytes = new ArrayList<>();
            int batches = 0;
            while (lastBytes.size() < 30) {
                ByteBuffer message = batching.receive(ControlProtocol.REINJECT_BATCH);
                batches++;
                assertThat(message.capacity()).isLessThanOrEqualTo(1472);
                assertThat(BatchFlyweight.decode(message, 0, message.capacity(),
                        (b, offset, length) -> lastBytes.add((int) b.get(offset + length - 1)))).isPositive();
            }
            assertThat(lastBytes).isEqualTo(java.util.stream.IntStream.range(0, 30).boxed().toList());
            assertThat(batches).isLessThan(30);
            int singles = 0;
            while (singles < 30) {
                ByteBuffer message = single.receive();
                assertThat(ControlProtocol.type(message, 0)).isNotEqualTo(ControlProtocol.REINJECT_BATCH);
                if (ControlProtocol.type(message, 0) == ControlProtocol.REINJECT) {
                    singles++;
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> slowpath.service().stats().reinjects() == 60);
        }
    }

    @Test
    void aRegisteredFastpathIsWelcomedAndItsPuntBatchesAreDecidedPuntByPunt() throws Exception {
        policy.decideWith(miss -> Decision.forward(Rule.of(miss.key(), new Action.SetNextHop(0x7F000001, 40001))));
        try (FakeFastpath fastpath = registered(1, HelloFlyweight.REINJECT_BATCH)) {
            // Given a fastpath told right after its REMOVE of all rules that the slowpath takes PUNT_BATCH
            assertThat(fastpath.receiveWelcome() & WelcomeFlyweight.PUNT_BATCH).isNotZero();

            // When it punts 5 misses in one PUNT_BATCH
            List<FlowKey> keys = new ArrayList<>();
            List<byte[]> packets = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                keys.add(new FlowKey(100, FlowKey.UDP, 0x0A000000 + i, 0x08080808, 40001, 53));
                packets.add(PACKET);
            }
            fastpath.puntBatch(keys, packets);

            // Then each was decided on its own, in order, and all 5 packets come back
            await().atMost(Duration.ofSeconds(5)).until(() -> policy.misses.size() == 5);
            assertThat(policy.misses).extracting(miss -> miss.key()).containsExactlyElementsOf(keys);
            await().atMost(Duration.ofSeconds(5)).until(() -> slowpath.service().stats().reinjects() == 5);
            assertThat(slowpath.service().stats().punts()).isEqualTo(5);
        }
    }

    @Test
    void aDroppedMissInstallsNothingAndIsCounted() throws Exception {
        // Given a policy that drops
        policy.decideWith(miss -> Decision.drop("no"));
        try (FakeFastpath one = registered(1)) {
            // When a miss is punted
            one.punt(FLOW, PACKET);

            // Then the drop is counted and nothing comes back
            await().atMost(Duration.ofSeconds(5)).until(() -> slowpath.service().stats().policyDrops() == 1);
            assertThat(slowpath.service().stats().punts()).isEqualTo(1);
            assertThat(one.typesReceivedWithin(300)).containsOnly(ControlProtocol.STATS_REQUEST);
        }
    }

    @Test
    void puntsOfUnkeyablePacketsAreCountedNotDecided() throws Exception {
        try (FakeFastpath one = registered(1)) {
            one.punt(PuntReason.FRAGMENT, FLOW, PACKET);

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> slowpath.service().stats().unsupportedPunts() == 1);
            assertThat(policy.misses).isEmpty();
        }
    }

    @Test
    void ikeOnAnEspInUdpRuleReachesThePolicyAsANonEspMiss() throws Exception {
        policy.decideWith(miss -> Decision.drop("answered by a Transmit"));
        try (FakeFastpath one = registered(1)) {
            one.punt(PuntReason.NON_ESP, FLOW, PACKET);

            await().atMost(Duration.ofSeconds(5)).until(() -> policy.misses.size() == 1);
            assertThat(policy.misses.getFirst().isNonEsp()).isTrue();
            assertThat(policy.misses.getFirst().key()).isEqualTo(FLOW);
            assertThat(slowpath.service().stats().unsupportedPunts()).isZero();
        }
    }

    @Test
    void aConfigThatMakesRulesStaleEmptiesEveryFastpath() throws Exception {
        try (FakeFastpath one = registered(1); FakeFastpath two = registered(2)) {
            // When a config the policy calls stale-making is applied
            slowpath.service().configure(new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree("{\"valid\":true,\"flush\":true}"));

            // Then each fastpath is told to remove all rules
            for (FakeFastpath fastpath : List.of(one, two)) {
                assertThat(RemoveFlyweight.flags(fastpath.receive(ControlProtocol.REMOVE), 0))
                        .isEqualTo(RemoveFlyweight.REMOVE_ALL);
            }
        }
    }

    @Test
    void theTimeoutsTheConfigurationSetsGoToEveryFastpathThatTakesThemAndToOneThatRegistersLater() throws Exception {
        FlowTimeouts timeouts = new FlowTimeouts(8_000, 300, 600, 90, 300);
        policy.timeouts(timeouts);
        try (FakeFastpath early = registered(1, HelloFlyweight.TIMEOUTS);
                FakeFastpath old = registered(2, 0)) {
            // When the policy is configured
            slowpath.service().configure(new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree("{\"valid\":true}"));

            // Then the fastpath that takes TIMEOUTS gets them; the one that did not announce it gets none
            assertThat(TimeoutsFlyweight.decode(early.receive(ControlProtocol.TIMEOUTS), 0)).isEqualTo(timeouts);
            assertThat(old.receiveWithin(ControlProtocol.TIMEOUTS, 300)).isEmpty();

            // And a fastpath that registers later gets them as it is welcomed
            try (FakeFastpath late = new FakeFastpath(3, slowpath.controlAddress())) {
                late.hello(HelloFlyweight.TIMEOUTS);
                assertThat(TimeoutsFlyweight.decode(late.receive(ControlProtocol.TIMEOUTS), 0)).isEqualTo(timeouts);
            }
        }
    }

    private FakeFastpath registered(int id) throws Exception {
        return registered(id, 0);
    }

    private FakeFastpath registered(int id, int helloFlags) throws Exception {
        return FakeFastpath.registered(slowpath.controlAddress(), id, helloFlags);
    }
}
