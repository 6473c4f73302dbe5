package io.isthmus.vnf.nat;

import static io.isthmus.vnf.nat.NatTests.HOST;
import static io.isthmus.vnf.nat.NatTests.INSIDE;
import static io.isthmus.vnf.nat.NatTests.OTHER_HOST;
import static io.isthmus.vnf.nat.NatTests.PUBLIC;
import static io.isthmus.vnf.nat.NatTests.REMOTE;
import static io.isthmus.vnf.nat.NatTests.configured;
import static io.isthmus.vnf.nat.NatTests.miss;
import static io.isthmus.vnf.nat.NatTests.outbound;
import static io.isthmus.vnf.nat.NatTests.publicPort;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.PuntReason;
import io.isthmus.control.Rule;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Expiry;
import io.isthmus.slowpath.policy.Miss;

/**
 * Hairpinning (RFC 4787 REQ-9, RFC 5382 REQ-8): an inside host that sends to the public endpoint of another reaches
 * it, from its own public endpoint (REQ-9b), back on the inside VNI.
 */
class NatHairpinTest {

    private static final int LOOPBACK = Ipv4Addresses.parse("127.0.0.1");

    @Test
    void aHostSendingToAnothersPublicEndpointReachesItFromItsOwnPublicEndpoint() {
        // Given a server whose UDP endpoint is bound (it talked to a remote), anyone may reach it
        NatPolicy policy = configured("\"filtering\":\"endpoint-independent\"");
        int serverPort = publicPort(policy.onMiss(miss(outbound(FlowKey.UDP, OTHER_HOST, 3478, REMOTE, 3478))));
        // And a client with a binding of its own
        int clientPort = publicPort(policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 40001, REMOTE, 53))));

        // When the client sends to the server's public endpoint
        FlowKey toServer = outbound(FlowKey.UDP, HOST, 40001, PUBLIC, serverPort);
        Decision decision = policy.onMiss(miss(toServer));

        // Then its packet goes back in, translated in source (its own mapping) and destination (the server)
        assertThat(decision.reinject()).isTrue();
        Rule there = decision.rules().get(0);
        assertThat(there.key()).isEqualTo(toServer);
        assertThat(there.actions()).containsExactly(new Action.RewriteSource(PUBLIC, clientPort),
                new Action.RewriteDestination(OTHER_HOST, 3478), new Action.SetVni(INSIDE),
                new Action.DecrementTtl(), new Action.SetNextHop(LOOPBACK, 40002), new Action.Count());
        // And the server's answers, sent to the client's public endpoint, come back to the client the same way
        Rule back = decision.rules().get(1);
        assertThat(back.key()).isEqualTo(outbound(FlowKey.UDP, OTHER_HOST, 3478, PUBLIC, clientPort));
        assertThat(back.actions()).startsWith(new Action.RewriteSource(PUBLIC, serverPort),
                new Action.RewriteDestination(HOST, 40001), new Action.SetVni(INSIDE));
        // And both ends count the session
        assertThat(policy.indicators()).containsEntry("sessions", 4);
    }

    @Test
    void aHairpinnedFlowIsFilteredByItsTargetAndAPortForwardTakesAnyone() {
        // Given the default (address-dependent) filtering, a port forward, and a server that talked only to a remote
        NatPolicy policy = configured("""
                "portForwards":[{"protocol":"tcp","publicPort":80,"insideAddress":"10.0.0.80","insidePort":8080}]""");
        int serverPort = publicPort(policy.onMiss(miss(outbound(FlowKey.TCP, OTHER_HOST, 8080, REMOTE, 443))));

        // When an inside client tries the server's public endpoint, Then it is filtered
        Decision refused = policy.onMiss(miss(outbound(FlowKey.TCP, HOST, 51000, PUBLIC, serverPort)));
        assertThat(refused.isDrop()).isTrue();
        assertThat(refused.reason()).contains("filtering refuses");

        // When the server sends to the port forward: let in whatever the filtering, to the forward's inside endpoint
        Decision toForward = policy.onMiss(miss(outbound(FlowKey.TCP, OTHER_HOST, 8080, PUBLIC, 80)));
        assertThat(toForward.rules().get(0).actions()).contains(
                new Action.RewriteDestination(Ipv4Addresses.parse("10.0.0.80"), 8080));

        // Then, having sent to the NAT's public address, the server may be reached from any mapping on it
        Decision admitted = policy.onMiss(miss(outbound(FlowKey.TCP, HOST, 51001, PUBLIC, serverPort)));
        assertThat(admitted.rules()).hasSize(2);
        // And a public endpoint nobody holds is unsolicited, echo requests to the NAT included
        assertThat(policy.onMiss(miss(outbound(FlowKey.TCP, HOST, 51000, PUBLIC, 29999))).isDrop()).isTrue();
        assertThat(policy.onMiss(miss(outbound(FlowKey.ICMP, HOST, 7, PUBLIC, 0))).isDrop()).isTrue();
    }

    @Test
    void aHairpinnedPairEndsWhenBothRulesExpiredAndTheBindingsGoWithIt() {
        // Given a hairpinned pair between two inside hosts, the server bound only by it
        NatPolicy policy = configured("\"filtering\":\"endpoint-independent\"");
        int serverPort = publicPort(policy.onMiss(miss(outbound(FlowKey.UDP, OTHER_HOST, 3478, REMOTE, 3478))));
        policy.onFlowExpired(outbound(FlowKey.UDP, OTHER_HOST, 3478, REMOTE, 3478));
        policy.onFlowExpired(NatTests.inbound(FlowKey.UDP, REMOTE, 3478, PUBLIC, serverPort));
        assertThat(policy.bindingCount()).isZero();
        serverPort = publicPort(policy.onMiss(miss(outbound(FlowKey.UDP, OTHER_HOST, 3478, REMOTE, 3478))));
        Decision pair = policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 40001, PUBLIC, serverPort)));
        FlowKey there = pair.rules().get(0).key();
        FlowKey back = pair.rules().get(1).key();

        // When the rule towards the server expired everywhere, Then the pair lives on
        assertThat(policy.onFlowExpired(there).remove()).isEmpty();

        // When the rule back expired too, Then both rules go, and the client's binding (no other session) with them
        Expiry expiry = policy.onFlowExpired(back);
        assertThat(expiry.remove()).containsExactlyInAnyOrder(there, back);
        assertThat(policy.bindings().byInside(FlowKey.UDP, HOST, 40001)).isEmpty();
        // While the server keeps its binding for its session with the remote
        assertThat(policy.bindings().byInside(FlowKey.UDP, OTHER_HOST, 3478)).isPresent();
        assertThat(policy.indicators()).containsEntry("sessions", 1);
    }

    @Test
    void anIcmpErrorAboutAHairpinnedPacketReinstallsThePairAndNothingElse() {
        NatPolicy policy = configured("\"filtering\":\"endpoint-independent\"");
        int serverPort = publicPort(policy.onMiss(miss(outbound(FlowKey.UDP, OTHER_HOST, 3478, REMOTE, 3478))));
        int clientPort = publicPort(policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 40001, PUBLIC, serverPort))));

        // When the server's port unreachable about the client's packet is punted (keyed as server -> client's mapping)
        Decision error = policy.onMiss(new Miss(1, outbound(FlowKey.UDP, OTHER_HOST, 3478, PUBLIC, clientPort),
                ByteBuffer.allocate(0), PuntReason.ICMP_ERROR));

        // Then the pair's rules are installed again, so the error reaches the client translated back (REQ-7)
        assertThat(error.rules()).extracting(Rule::key).containsExactly(
                outbound(FlowKey.UDP, OTHER_HOST, 3478, PUBLIC, clientPort),
                outbound(FlowKey.UDP, HOST, 40001, PUBLIC, serverPort));
        assertThat(policy.bindingCount()).isEqualTo(2);
    }
}
