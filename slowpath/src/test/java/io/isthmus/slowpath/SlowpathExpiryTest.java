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
import io.isthmus.control.Rule;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.RemoveFlyweight;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Expiry;
import io.isthmus.slowpath.testing.FakeFastpath;
import io.isthmus.slowpath.testing.RecordingPolicy;

/** FLOW_EXPIRED: a rule is over only when every fastpath holding it has reported it; then the policy decides. */
class SlowpathExpiryTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final FlowKey FLOW = new FlowKey(100, FlowKey.UDP, 0x0A000005, 0x08080808, 40001, 53);
    private static final FlowKey REPLY = FLOW.reversed(200);
    private static final byte[] PACKET = {8, 0, 0, 0, 0, 0, 100, 0, 1, 2, 3};

    private final RecordingPolicy policy = new RecordingPolicy();
    private final Slowpath slowpath = Slowpath.start(
            SlowpathOptions.of("test", "vnf-expiry", InetAddress.getLoopbackAddress(), 0, 0), policy,
            Clock.systemUTC());

    @AfterEach
    void stop() {
        slowpath.close();
    }

    @Test
    void aFlowExpiredInEveryFastpathIsHandedToThePolicyAndWhatItReleasesIsRemovedEverywhere() throws Exception {
        // Given a two-way flow installed in two fastpaths, and a policy that releases it once both directions expired
        policy.decideWith(miss -> Decision.forward(rule(FLOW), rule(REPLY)));
        policy.expireWith(key -> policy.expired.containsAll(List.of(FLOW, REPLY))
                ? Expiry.remove(FLOW, REPLY)
                : Expiry.keep("other direction in use"));
        try (FakeFastpath one = registered(1); FakeFastpath two = registered(2)) {
            one.punt(FLOW, PACKET);
            one.receive(ControlProtocol.REINJECT);
            two.receive(ControlProtocol.INSTALL);
            assertThat(slowpath.service().stats().rules()).isEqualTo(2);

            // When fastpath 1 reports both rules expired
            one.flowExpired(FLOW, REPLY);

            // Then the policy is not told: fastpath 2 still holds them, the flow may be busy there
            await().atMost(BOUND).until(() -> slowpath.service().stats().expiryReports() == 2);
            assertThat(policy.expired).isEmpty();

            // When fastpath 2 reports the forward rule, the policy hears of it and keeps the reverse
            two.flowExpired(FLOW);
            await().atMost(BOUND).until(() -> policy.expired.size() == 1);
            assertThat(policy.expired).containsExactly(FLOW);
            assertThat(one.receiveWithin(ControlProtocol.REMOVE, 200)).isEmpty();

            // When fastpath 2 reports the reverse rule too
            two.flowExpired(REPLY);

            // Then the policy releases the flow and both rules are removed from every fastpath
            await().atMost(BOUND).until(() -> policy.expired.size() == 2);
            for (FakeFastpath fastpath : List.of(one, two)) {
                ByteBuffer remove = fastpath.receive(ControlProtocol.REMOVE);
                assertThat(RemoveFlyweight.flags(remove, 0)).isZero();
                assertThat(removedKeys(remove)).containsExactly(FLOW, REPLY);
            }
            assertThat(slowpath.service().stats().expiredFlows()).isEqualTo(2);
            assertThat(slowpath.service().stats().removes()).isEqualTo(2);
            assertThat(slowpath.service().stats().rules()).isZero();
        }
    }

    @Test
    void aFlowThatMissedAgainAfterAReportMustBeReportedAgainByEveryone() throws Exception {
        policy.decideWith(miss -> Decision.forward(rule(FLOW)));
        try (FakeFastpath one = registered(1); FakeFastpath two = registered(2)) {
            one.punt(FLOW, PACKET);
            one.receive(ControlProtocol.REINJECT);
            two.flowExpired(FLOW);
            await().atMost(BOUND).until(() -> slowpath.service().stats().expiryReports() == 1);

            // When the flow misses on fastpath 2 (it dropped the rule) and is installed everywhere again
            two.punt(FLOW, PACKET);
            two.receive(ControlProtocol.REINJECT);

            // Then fastpath 1's report alone does not end it
            one.flowExpired(FLOW);
            await().atMost(BOUND).until(() -> slowpath.service().stats().expiryReports() == 2);
            assertThat(policy.expired).isEmpty();

            two.flowExpired(FLOW);
            await().atMost(BOUND).until(() -> policy.expired.size() == 1);
        }
    }

    @Test
    void aRestartedFastpathIsEmptiedAndReLearnsFromItsMisses() throws Exception {
        policy.decideWith(miss -> Decision.forward(rule(FLOW)));
        try (FakeFastpath before = registered(1)) {
            before.punt(FLOW, PACKET);
            before.receive(ControlProtocol.REINJECT);
        }

        // When fastpath 1 comes back from another control address (a new process)
        try (FakeFastpath after = new FakeFastpath(1, slowpath.controlAddress())) {
            after.hello();

            // Then it is told to start empty, and its next miss is decided and installed again
            assertThat(RemoveFlyweight.flags(after.receive(ControlProtocol.REMOVE), 0))
                    .isEqualTo(RemoveFlyweight.REMOVE_ALL);
            after.punt(FLOW, PACKET);
            ByteBuffer install = after.receive(ControlProtocol.INSTALL);
            assertThat(InstallFlyweight.decode(install, 0, install.remaining())).containsExactly(rule(FLOW));
            after.receive(ControlProtocol.REINJECT);
            assertThat(policy.misses).hasSize(2);
        }
    }

    private static Rule rule(FlowKey key) {
        return Rule.of(key, new Action.SetVni(200), new Action.SetNextHop(0x7F000001, 40001));
    }

    private static List<FlowKey> removedKeys(ByteBuffer remove) {
        List<FlowKey> keys = new ArrayList<>();
        RemoveFlyweight.decode(remove, 0, remove.remaining(),
                (high, low) -> keys.add(FlowKey.unpack(high, low)));
        return keys;
    }

    private FakeFastpath registered(int id) throws Exception {
        FakeFastpath fastpath = new FakeFastpath(id, slowpath.controlAddress());
        fastpath.hello();
        fastpath.receive(ControlProtocol.REMOVE);
        return fastpath;
    }
}
