package io.isthmus.vnf.nat;

import static io.isthmus.vnf.nat.NatTests.HOST;
import static io.isthmus.vnf.nat.NatTests.PUBLIC;
import static io.isthmus.vnf.nat.NatTests.REMOTE;
import static io.isthmus.vnf.nat.NatTests.configured;
import static io.isthmus.vnf.nat.NatTests.inbound;
import static io.isthmus.vnf.nat.NatTests.miss;
import static io.isthmus.vnf.nat.NatTests.outbound;
import static io.isthmus.vnf.nat.NatTests.publicPort;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.isthmus.control.FlowKey;
import io.isthmus.control.PuntReason;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Miss;

/**
 * Who may reach a bound endpoint from outside (RFC 4787 REQ-8, RFC 5382 REQ-3): the mapping is the same under every
 * filtering; what a new remote is let in by is not. A remote let in starts a session: its rules are installed.
 */
class NatFilteringTest {

    private static final int OTHER_REMOTE = REMOTE + 1;

    @ParameterizedTest(name = "{0}: the remote''s other port {1}, another remote {2}")
    @CsvSource({
            "endpoint-independent, true, true",
            "address-dependent, true, false",
            "address-and-port-dependent, false, false"})
    void aNewRemoteIsLetInAsTheFilteringSays(String filtering, boolean otherPort, boolean otherRemote) {
        // Given an inside endpoint that sent to REMOTE:53
        NatPolicy policy = configured("\"filtering\":\"" + filtering + "\"");
        int port = publicPort(policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 40001, REMOTE, 53))));

        // When REMOTE answers from another port, and another remote sends to the same public port
        Decision fromOtherPort = policy.onMiss(miss(inbound(FlowKey.UDP, REMOTE, 5353, PUBLIC, port)));
        Decision fromOtherRemote = policy.onMiss(miss(inbound(FlowKey.UDP, OTHER_REMOTE, 53, PUBLIC, port)));

        // Then each gets through (rules of its own session, to the same inside endpoint) or not, as the filtering says
        assertThat(fromOtherPort.isDrop()).isEqualTo(!otherPort);
        assertThat(fromOtherRemote.isDrop()).isEqualTo(!otherRemote);
        if (otherRemote) {
            assertThat(fromOtherRemote.rules().get(1).key())
                    .isEqualTo(inbound(FlowKey.UDP, OTHER_REMOTE, 53, PUBLIC, port));
            assertThat(fromOtherRemote.rules().get(0).key())
                    .isEqualTo(outbound(FlowKey.UDP, HOST, 40001, OTHER_REMOTE, 53));
        }
        // And the mapping is endpoint-independent under every filtering
        assertThat(publicPort(policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 40001, OTHER_REMOTE + 1, 9)))))
                .isEqualTo(port);
    }

    @Test
    void aRemoteLetInIsASessionThatEndsLikeAnyOther() {
        NatPolicy policy = configured("\"filtering\":\"endpoint-independent\"");
        int port = publicPort(policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 40001, REMOTE, 53))));
        policy.onMiss(miss(inbound(FlowKey.UDP, OTHER_REMOTE, 53, PUBLIC, port)));
        assertThat(policy.indicators()).containsEntry("sessions", 2);

        policy.onFlowExpired(outbound(FlowKey.UDP, HOST, 40001, OTHER_REMOTE, 53));
        policy.onFlowExpired(inbound(FlowKey.UDP, OTHER_REMOTE, 53, PUBLIC, port));

        assertThat(policy.indicators()).containsEntry("sessions", 1).containsEntry("bindings", 1);
    }

    @Test
    void anIcmpErrorNeverStartsASessionEvenWhereAnyoneMaySend() {
        // Given a binding that anyone may reach
        NatPolicy policy = configured("\"filtering\":\"endpoint-independent\"");
        int port = publicPort(policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 40001, REMOTE, 53))));

        // When an ICMP error arrives that quotes a packet to a remote the host never sent to, or to an unbound port
        Decision strange = policy.onMiss(error(inbound(FlowKey.UDP, OTHER_REMOTE, 53, PUBLIC, port)));
        Decision unbound = policy.onMiss(error(inbound(FlowKey.UDP, REMOTE, 53, PUBLIC, port + 1)));
        // And one from the inside about a flow it never had
        Decision inside = policy.onMiss(error(outbound(FlowKey.TCP, HOST, 80, REMOTE, 51000)));

        // Then all are dropped and nothing was bound
        assertThat(strange.isDrop()).isTrue();
        assertThat(unbound.isDrop()).isTrue();
        assertThat(inside.isDrop()).isTrue();
        assertThat(policy.indicators()).containsEntry("sessions", 1).containsEntry("bindings", 1);
        // While an error about the session it has re-installs that session's rules (a fastpath without them)
        Decision known = policy.onMiss(error(inbound(FlowKey.UDP, REMOTE, 53, PUBLIC, port)));
        assertThat(known.rules()).hasSize(2);
    }

    @Test
    void nothingMalformedBindsAnything() {
        NatPolicy policy = configured("");

        for (FlowKey key : new FlowKey[]{outbound(FlowKey.UDP, HOST, 0, REMOTE, 53),
                outbound(FlowKey.TCP, HOST, 51000, REMOTE, 0),
                // an echo reply from the inside (identifier as destination "port")
                outbound(FlowKey.ICMP, HOST, 0, REMOTE, 7),
                outbound(FlowKey.UDP, HOST, 40001, 0xE000_0001, 5353),
                outbound(FlowKey.UDP, 0, 68, 0xFFFF_FFFF, 67),
                outbound(47, HOST, 0, REMOTE, 0)}) {
            assertThat(policy.onMiss(miss(key)).isDrop()).as(key.toString()).isTrue();
        }
        // And from outside, a public address as source
        int port = publicPort(policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 40001, REMOTE, 53))));
        assertThat(policy.onMiss(miss(inbound(FlowKey.UDP, PUBLIC, 53, PUBLIC, port))).isDrop()).isTrue();

        assertThat(policy.bindingCount()).isOne();
        assertThat(policy.indicators().get("drops").toString()).contains("malformed=6", "protocol=1");
    }

    private static Miss error(FlowKey key) {
        return new Miss(1, key, ByteBuffer.allocate(0), PuntReason.ICMP_ERROR);
    }
}
