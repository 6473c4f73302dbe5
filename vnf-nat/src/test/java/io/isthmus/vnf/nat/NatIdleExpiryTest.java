package io.isthmus.vnf.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.Rule;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.RemoveFlyweight;
import io.isthmus.slowpath.Slowpath;
import io.isthmus.slowpath.SlowpathOptions;

/**
 * Idle expiry through the slowpath: fastpaths report the rules they dropped (FLOW_EXPIRED); the binding is released
 * only once both directions have expired in every fastpath, and both rules are then removed everywhere.
 */
class NatIdleExpiryTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final int PUBLIC = Ipv4Addresses.parse("203.0.113.10");
    private static final FlowKey FORWARD = new FlowKey(100, FlowKey.UDP, Ipv4Addresses.parse("10.0.0.5"),
            Ipv4Addresses.parse("198.51.100.7"), 40001, 53);

    private final NatPolicy policy = new NatPolicy();
    private Slowpath slowpath;

    @BeforeEach
    void start() throws Exception {
        slowpath = Slowpath.start(SlowpathOptions.of("nat", "vnf-expiry", InetAddress.getLoopbackAddress(), 0, 0),
                policy, Clock.systemUTC());
        slowpath.service().configure(new ObjectMapper().readTree(NatConfigTest.CONTRACT_EXAMPLE));
    }

    @AfterEach
    void stop() {
        slowpath.close();
    }

    @Test
    void aBindingIsReleasedOnceBothDirectionsExpiredInEveryFastpath() throws Exception {
        try (ControlPeer one = new ControlPeer(1, slowpath.controlAddress()).register();
                ControlPeer two = new ControlPeer(2, slowpath.controlAddress()).register()) {
            // Given an outbound flow bound and installed in both fastpaths
            one.punt(FORWARD);
            List<Rule> rules = InstallFlyweight.decode(two.receive(ControlProtocol.INSTALL), 0, 65_536);
            int port = ((Action.RewriteSource) rules.get(0).actions().get(0)).port();
            FlowKey reverse = new FlowKey(200, FlowKey.UDP, FORWARD.dstAddress(), PUBLIC, 53, port);
            assertThat(rules).extracting(Rule::key).containsExactly(FORWARD, reverse);
            one.receive(ControlProtocol.REINJECT);

            // When fastpath 1 dropped both rules (idle there) and fastpath 2 only the forward one
            one.flowExpired(FORWARD, reverse);
            two.flowExpired(FORWARD);

            // Then the binding stays: replies may still reach fastpath 2
            await().atMost(BOUND).until(() -> slowpath.service().stats().expiryReports() == 3);
            assertThat(slowpath.service().stats().expiredFlows()).isEqualTo(1);
            assertThat(policy.bindings().size()).isEqualTo(1);

            // When fastpath 2 reports the reverse rule too
            two.flowExpired(reverse);

            // Then the binding is released and both rules are removed from every fastpath
            await().atMost(BOUND).until(() -> policy.bindings().size() == 0);
            for (ControlPeer fastpath : List.of(one, two)) {
                assertThat(removedKeys(fastpath.receive(ControlProtocol.REMOVE))).containsExactly(FORWARD, reverse);
            }
            assertThat(slowpath.service().stats().removes()).isEqualTo(2);

            // And the inside host's next packet is bound afresh
            one.punt(FORWARD);
            one.receive(ControlProtocol.REINJECT);
            assertThat(policy.bindings().size()).isEqualTo(1);
        }
    }

    private static List<FlowKey> removedKeys(ByteBuffer remove) {
        List<FlowKey> keys = new ArrayList<>();
        RemoveFlyweight.decode(remove, 0, remove.remaining(),
                (high, low) -> keys.add(FlowKey.unpack(high, low)));
        return keys;
    }
}
