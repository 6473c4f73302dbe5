package io.isthmus.vnf.nat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.Rule;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Miss;

class NatPolicyTest {

    private static final int PUBLIC = Ipv4Addresses.parse("203.0.113.10");
    private static final int HOST = Ipv4Addresses.parse("10.0.0.5");
    private static final int OTHER_HOST = Ipv4Addresses.parse("10.0.0.6");
    private static final int REMOTE = Ipv4Addresses.parse("198.51.100.7");
    private static final int LOOPBACK = Ipv4Addresses.parse("127.0.0.1");

    private final ObjectMapper json = new ObjectMapper();
    private final NatPolicy policy = new NatPolicy();

    @BeforeEach
    void configure() throws Exception {
        policy.configure(json.readTree(NatConfigTest.CONTRACT_EXAMPLE));
    }

    @Test
    void anOutboundFlowGetsABindingAndForwardAndReverseRules() {
        // When a UDP flow from the inside misses
        FlowKey flow = new FlowKey(100, FlowKey.UDP, HOST, REMOTE, 40001, 53);
        Decision decision = policy.onMiss(miss(flow));

        // Then a public port of the range is bound
        assertThat(decision.reinject()).isTrue();
        assertThat(decision.rules()).hasSize(2);
        Rule forward = decision.rules().get(0);
        Rule reverse = decision.rules().get(1);
        Action.RewriteSource translated = (Action.RewriteSource) forward.actions().get(0);
        int port = translated.port();
        assertThat(port).isBetween(20000, 29999);

        // And the forward rule translates the source and sends it out on the outside VNI
        assertThat(forward.key()).isEqualTo(flow);
        assertThat(forward.actions()).containsExactly(new Action.RewriteSource(PUBLIC, port), new Action.SetVni(200),
                new Action.DecrementTtl(), new Action.SetNextHop(LOOPBACK, 40001), new Action.Count());

        // And the reverse rule matches the reply to the public endpoint and translates it back in
        assertThat(reverse.key()).isEqualTo(new FlowKey(200, FlowKey.UDP, REMOTE, PUBLIC, 53, port));
        assertThat(reverse.actions()).containsExactly(new Action.RewriteDestination(HOST, 40001),
                new Action.SetVni(100), new Action.DecrementTtl(), new Action.SetNextHop(LOOPBACK, 40002),
                new Action.Count());
    }

    @Test
    void theSameFlowTwiceGetsTheSameBinding() {
        // Given a flow decided once (e.g. punted by two fastpaths before its rules arrived)
        FlowKey flow = new FlowKey(100, FlowKey.TCP, HOST, REMOTE, 51000, 443);
        Decision first = policy.onMiss(miss(flow));

        // When it misses again
        Decision second = policy.onMiss(miss(flow));

        // Then the same rules come back and only one binding exists
        assertThat(second.rules()).isEqualTo(first.rules());
        assertThat(policy.bindings().size()).isEqualTo(1);
    }

    @Test
    void theSameInsideEndpointKeepsItsPublicPortTowardsEveryRemote() {
        int toFirst = publicPort(policy.onMiss(miss(new FlowKey(100, FlowKey.UDP, HOST, REMOTE, 40001, 53))));
        int toSecond = publicPort(policy.onMiss(miss(new FlowKey(100, FlowKey.UDP, HOST, REMOTE + 1, 40001, 123))));
        int otherHost = publicPort(policy.onMiss(miss(new FlowKey(100, FlowKey.UDP, OTHER_HOST, REMOTE, 40001, 53))));

        assertThat(toSecond).isEqualTo(toFirst);
        assertThat(otherHost).isNotEqualTo(toFirst);
    }

    @Test
    void exhaustingThePortRangeDropsNewEndpointsButNotBoundOnes() throws Exception {
        // Given a range of two ports, both bound
        policy.configure(json.readTree(NatConfigTest.CONTRACT_EXAMPLE.replace("29999", "20001")));
        policy.onMiss(miss(new FlowKey(100, FlowKey.UDP, HOST, REMOTE, 1, 53)));
        policy.onMiss(miss(new FlowKey(100, FlowKey.UDP, HOST, REMOTE, 2, 53)));

        // When a third inside endpoint starts a flow
        Decision third = policy.onMiss(miss(new FlowKey(100, FlowKey.UDP, HOST, REMOTE, 3, 53)));

        // Then it is dropped, while a bound endpoint still gets rules, and TCP has its own ports
        assertThat(third.isDrop()).isTrue();
        assertThat(third.reason()).isEqualTo("port range exhausted");
        assertThat(policy.onMiss(miss(new FlowKey(100, FlowKey.UDP, HOST, REMOTE + 1, 2, 53))).isDrop()).isFalse();
        assertThat(policy.onMiss(miss(new FlowKey(100, FlowKey.TCP, HOST, REMOTE, 3, 80))).isDrop()).isFalse();
    }

    @Test
    void aReplyPuntedByAFastpathWithoutTheRuleIsAnsweredFromTheBinding() {
        // Given a bound outbound flow
        FlowKey flow = new FlowKey(100, FlowKey.UDP, HOST, REMOTE, 40001, 53);
        Decision outbound = policy.onMiss(miss(flow));
        int port = publicPort(outbound);

        // When its reply misses in a fastpath that lost its cache
        Decision reply = policy.onMiss(miss(new FlowKey(200, FlowKey.UDP, REMOTE, PUBLIC, 53, port)));

        // Then the same rules are installed again
        assertThat(reply.rules()).isEqualTo(outbound.rules());
    }

    @Test
    void unsolicitedInboundTrafficIsDropped() {
        // Given a binding towards one remote (default filtering: address-dependent)
        int port = publicPort(policy.onMiss(miss(new FlowKey(100, FlowKey.UDP, HOST, REMOTE, 40001, 53))));

        // When another remote, an unbound port, or an address that is not the NAT's is tried from outside
        Decision otherRemote = policy.onMiss(miss(new FlowKey(200, FlowKey.UDP, REMOTE + 1, PUBLIC, 53, port)));
        Decision unbound = policy.onMiss(miss(new FlowKey(200, FlowKey.UDP, REMOTE, PUBLIC, 53, 25000)));
        Decision notPublic = policy.onMiss(miss(new FlowKey(200, FlowKey.UDP, REMOTE, HOST, 53, port)));

        // Then all are dropped, each counted by its kind
        assertThat(otherRemote.isDrop()).isTrue();
        assertThat(unbound.isDrop()).isTrue();
        assertThat(notPublic.isDrop()).isTrue();
        assertThat(policy.indicators().get("drops")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("filtered", 1L).containsEntry("unsolicited", 1L).containsEntry("notAddressed", 1L);
    }

    @Test
    void icmpEchoIsTranslatedByIdentifier() {
        // When an echo request (identifier 0x0100 as source "port") misses
        Decision request = policy.onMiss(miss(new FlowKey(100, FlowKey.ICMP, HOST, REMOTE, 0x0100, 0)));

        // Then the identifier is bound like a port and the reply's key carries it as destination "port"
        int identifier = publicPort(request);
        assertThat(identifier).isBetween(20000, 29999);
        assertThat(request.rules().get(1).key()).isEqualTo(new FlowKey(200, FlowKey.ICMP, REMOTE, PUBLIC, 0,
                identifier));
        assertThat(request.rules().get(1).actions().get(0)).isEqualTo(new Action.RewriteDestination(HOST, 0x0100));
    }

    @Test
    void otherProtocolsAndAnUnconfiguredNatDrop() {
        assertThat(policy.onMiss(miss(new FlowKey(100, 47, HOST, REMOTE, 0, 0))).isDrop()).isTrue();
        assertThat(new NatPolicy().onMiss(miss(new FlowKey(100, FlowKey.UDP, HOST, REMOTE, 1, 2))).reason())
                .isEqualTo("not configured");
    }

    @Test
    void aConfigWithoutTheBindingsPublicAddressEndsThemAndChangesTheRulesTheSameConfigDoesNot() throws Exception {
        // Given a binding
        policy.onMiss(miss(new FlowKey(100, FlowKey.UDP, HOST, REMOTE, 40001, 53)));
        JsonNode same = json.readTree(NatConfigTest.CONTRACT_EXAMPLE);
        JsonNode moved = json.readTree(NatConfigTest.CONTRACT_EXAMPLE.replace("203.0.113.10", "203.0.113.11"));

        // When the same config is applied again, Then nothing is stale
        assertThat(policy.configure(same)).isFalse();
        assertThat(policy.bindings().size()).isEqualTo(1);

        // When another public address replaces it, Then the installed rules change and the binding is gone
        assertThat(policy.configure(moved)).isTrue();
        assertThat(policy.bindings().size()).isZero();
    }

    private static int publicPort(Decision decision) {
        return ((Action.RewriteSource) decision.rules().get(0).actions().get(0)).port();
    }

    private static Miss miss(FlowKey key) {
        return new Miss(1, key, ByteBuffer.allocate(0));
    }
}
