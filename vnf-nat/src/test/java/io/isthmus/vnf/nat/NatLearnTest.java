package io.isthmus.vnf.nat;

import static io.isthmus.vnf.nat.NatTests.HOST;
import static io.isthmus.vnf.nat.NatTests.OTHER_HOST;
import static io.isthmus.vnf.nat.NatTests.OUTSIDE;
import static io.isthmus.vnf.nat.NatTests.PUBLIC;
import static io.isthmus.vnf.nat.NatTests.PUBLIC_2;
import static io.isthmus.vnf.nat.NatTests.REMOTE;
import static io.isthmus.vnf.nat.NatTests.configured;
import static io.isthmus.vnf.nat.NatTests.configuredWith;
import static io.isthmus.vnf.nat.NatTests.inbound;
import static io.isthmus.vnf.nat.NatTests.miss;
import static io.isthmus.vnf.nat.NatTests.outbound;
import static io.isthmus.vnf.nat.NatTests.publicPort;
import static io.isthmus.vnf.nat.NatTests.translated;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.Rule;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Expiry;

/**
 * A slowpath that restarts while the fastpaths forward learns the NAT's state back from the rules they hold
 * (FLOW_DUMP, {@code NatPolicy.learn}): here a policy configured anew learns the rules another policy of the same
 * configuration installed, and then translates as that one would have.
 */
class NatLearnTest {

    private static final String CONFIG = """
            "filtering":"endpoint-independent",
            "portForwards":[{"protocol":"tcp","publicPort":443,"insideAddress":"10.0.0.80","insidePort":8443}]""";
    private static final int SERVER = Ipv4Addresses.parse("10.0.0.80");
    private static final int NEW_HOST = Ipv4Addresses.parse("10.0.0.7");
    private static final int LOOPBACK = Ipv4Addresses.parse("127.0.0.1");
    private static final int OUTSIDE_NEXT_HOP_PORT = 40001;
    private static final int INSIDE_NEXT_HOP_PORT = 40002;

    private static final FlowKey TCP = outbound(FlowKey.TCP, HOST, 51000, REMOTE, 443);
    private static final FlowKey UDP = outbound(FlowKey.UDP, HOST, 40001, REMOTE, 53);
    private static final FlowKey ECHO = outbound(FlowKey.ICMP, OTHER_HOST, 0x0100, REMOTE, 0);
    private static final FlowKey TO_FORWARD = inbound(FlowKey.TCP, REMOTE + 1, 52000, PUBLIC, 443);

    /** The policy before the restart, and what it decided for each flow, by the flow that missed. */
    private final NatPolicy before = configured(CONFIG);
    private final Map<FlowKey, Decision> decided = new LinkedHashMap<>();

    @Test
    void aPolicyConfiguredAnewLearnsTheRulesOfEveryKindOfFlowAndTranslatesThemAsBefore() {
        // Given TCP, UDP, ICMP echo, a port forward's session and a hairpinned pair decided before the restart
        Set<Rule> held = decideFlows();

        // When a policy with the same config learns the rules the fastpaths hold, in whatever order they come
        NatPolicy after = configured(CONFIG);
        assertThat(new ArrayList<>(held).reversed())
                .allSatisfy(rule -> assertThat(after.learn(rule)).as(rule.toString()).isTrue());

        // Then it has the same bindings, sessions and blocks
        assertThat(state(after)).isEqualTo(state(before));
        assertThat(after.indicators()).containsEntry("refusedRules", 0L);
        // And a miss of each learned flow (a fastpath that lacked its rule) gets the same translation
        decided.forEach((flow, decision) -> assertThat(after.onMiss(miss(flow)).rules()).as(flow.toString())
                .isEqualTo(decision.rules()));
        assertThat(state(after)).isEqualTo(state(before));
    }

    @Test
    void aLearnedEndpointKeepsItsPublicEndpointAndANewHostGetsAPortOutsideTheLearnedBlocks() {
        // Given the rules learned by a policy configured anew
        NatPolicy after = learnedFromBefore();
        Action.RewriteSource udp = translated(decided.get(UDP));

        // When the learned UDP endpoint talks to a new remote, Then it leaves from the same public endpoint
        assertThat(translated(after.onMiss(miss(outbound(FlowKey.UDP, HOST, 40001, REMOTE + 2, 123)))))
                .isEqualTo(udp);
        // And a new endpoint of a learned host gets a port of that host's learned block
        assertThat(blockOf(publicPort(after.onMiss(miss(outbound(FlowKey.UDP, HOST, 40002, REMOTE, 53))))))
                .isEqualTo(blockOf(udp.port()));

        // When a new host starts a flow, Then its port is in none of the learned blocks
        Set<Integer> learnedBlocks = Set.of(blockOf(udp.port()), blockOf(publicPort(decided.get(ECHO))));
        int newPort = publicPort(after.onMiss(miss(outbound(FlowKey.UDP, NEW_HOST, 40001, REMOTE, 53))));
        assertThat(blockOf(newPort)).isNotIn(learnedBlocks);
    }

    @Test
    void aLearnedSessionEndsWhenBothItsRulesExpiredAndItsBindingGoesWithIt() {
        // Given the rules learned by a policy configured anew
        NatPolicy after = learnedFromBefore();
        int port = publicPort(decided.get(TCP));
        FlowKey reverse = inbound(FlowKey.TCP, REMOTE, 443, PUBLIC, port);
        int sessions = (int) after.indicators().get("sessions");

        // When the TCP flow's forward rule expired everywhere, Then the session lives on
        assertThat(after.onFlowExpired(TCP).remove()).isEmpty();

        // When its reverse rule expired too, Then both rules go, the binding and its port with them
        Expiry expiry = after.onFlowExpired(reverse);
        assertThat(expiry.remove()).containsExactly(TCP, reverse);
        assertThat(after.bindings().byInside(FlowKey.TCP, HOST, 51000)).isEmpty();
        assertThat(after.bindings().byPublic(FlowKey.TCP, PUBLIC, port)).isEmpty();
        assertThat(after.indicators()).containsEntry("sessions", sessions - 1);
        // And the hairpinned pair ends as one made by misses does
        Rule hairpin = decided.get(hairpinKey()).rules().get(0);
        Rule back = decided.get(hairpinKey()).rules().get(1);
        assertThat(after.onFlowExpired(hairpin.key()).remove()).isEmpty();
        assertThat(after.onFlowExpired(back.key()).remove()).containsExactlyInAnyOrder(hairpin.key(), back.key());
    }

    @Test
    void aSessionLearnedFromOneRuleEndsWhenThatRuleExpires() {
        // Given only the forward rule of a flow survived in the fastpaths (its reverse expired while no slowpath ran)
        Rule forward = before.onMiss(miss(UDP)).rules().get(0);
        NatPolicy after = configured(CONFIG);
        assertThat(after.learn(forward)).isTrue();

        // When that rule expires everywhere, Then the session is over: nothing would ever report the other one
        assertThat(after.onFlowExpired(UDP).remove()).hasSize(2);
        assertThat(after.bindingCount()).isEqualTo(1); // the port forward's
    }

    @Test
    void learningTheSameRulesAgainChangesNothing() {
        // Given the rules learned once (from the first fastpath's dump)
        Set<Rule> held = decideFlows();
        NatPolicy after = configured(CONFIG);
        held.forEach(after::learn);
        Map<String, Object> once = state(after);

        // When the second fastpath dumps the same rules, Then each is kept and nothing is counted twice
        assertThat(held).allSatisfy(rule -> assertThat(after.learn(rule)).isTrue());
        assertThat(state(after)).isEqualTo(once);
    }

    @Test
    void rulesThatContradictTheConfigOrWhatWasLearnedAreRefused() {
        // Given a NAT with two public addresses, blocks of 4 ports, a port forward, 2 sessions per host at most
        NatPolicy after = configuredWith(NatTests.twoAddresses("""
                "portBlockSize":4,"maxSessionsPerHost":2,
                "portForwards":[{"protocol":"tcp","publicPort":443,"insideAddress":"10.0.0.80","insidePort":8443}]"""));
        // And a flow of a host learned back, on the second address
        assertThat(after.learn(forward(UDP, PUBLIC_2, 20001))).isTrue();

        // Then rules that contradict the config or that flow are refused
        Rule otherVni = Rule.of(new FlowKey(300, FlowKey.UDP, HOST, REMOTE, 40001, 53),
                new Action.RewriteSource(PUBLIC, 20001), new Action.SetVni(OUTSIDE), new Action.DecrementTtl(),
                new Action.SetNextHop(LOOPBACK, OUTSIDE_NEXT_HOP_PORT), new Action.Count());
        Rule otherNextHop = Rule.of(outbound(FlowKey.UDP, HOST, 40001, REMOTE + 1, 53),
                new Action.RewriteSource(PUBLIC_2, 20001), new Action.SetVni(OUTSIDE), new Action.DecrementTtl(),
                new Action.SetNextHop(LOOPBACK, 9), new Action.Count());
        Rule otherOutsideVni = Rule.of(outbound(FlowKey.UDP, HOST, 40001, REMOTE + 1, 53),
                new Action.RewriteSource(PUBLIC_2, 20001), new Action.SetVni(OUTSIDE + 1), new Action.DecrementTtl(),
                new Action.SetNextHop(LOOPBACK, OUTSIDE_NEXT_HOP_PORT), new Action.Count());
        Map<String, Rule> refused = new LinkedHashMap<>();
        refused.put("an unknown VNI", otherVni);
        refused.put("an address that is not a public one",
                forward(outbound(FlowKey.UDP, OTHER_HOST, 1, REMOTE, 53), Ipv4Addresses.parse("203.0.113.99"), 20001));
        refused.put("a port outside the range", forward(outbound(FlowKey.UDP, OTHER_HOST, 1, REMOTE, 53), PUBLIC,
                30000));
        refused.put("a port held by another inside endpoint", forward(outbound(FlowKey.UDP, HOST, 40002, REMOTE,
                53), PUBLIC_2, 20001));
        refused.put("the learned endpoint on another port", forward(outbound(FlowKey.UDP, HOST, 40001, REMOTE + 1,
                53), PUBLIC_2, 20002));
        refused.put("a port of another host's block", forward(outbound(FlowKey.UDP, OTHER_HOST, 1, REMOTE, 53),
                PUBLIC_2, 20002));
        refused.put("the host on another public address", forward(outbound(FlowKey.TCP, HOST, 51000, REMOTE, 443),
                PUBLIC, 20005));
        refused.put("a port forward's port for another endpoint", forward(outbound(FlowKey.TCP, OTHER_HOST, 51000,
                REMOTE, 443), PUBLIC, 443));
        refused.put("a port forward's endpoint on another port", forward(outbound(FlowKey.TCP, SERVER, 8443, REMOTE,
                51000), PUBLIC, 20005));
        refused.put("another next hop", otherNextHop);
        refused.put("another outside VNI", otherOutsideVni);
        refused.put("a reverse rule to the wrong inside VNI", Rule.of(inbound(FlowKey.UDP, REMOTE, 53, PUBLIC_2,
                20001), new Action.RewriteDestination(HOST, 40001), new Action.SetVni(OUTSIDE),
                new Action.DecrementTtl(), new Action.SetNextHop(LOOPBACK, INSIDE_NEXT_HOP_PORT),
                new Action.Count()));
        refused.put("port 0", forward(outbound(FlowKey.UDP, OTHER_HOST, 0, REMOTE, 53), PUBLIC, 20005));
        refused.forEach((why, rule) -> assertThat(after.learn(rule)).as(why).isFalse());
        assertThat(after.indicators()).containsEntry("refusedRules", (long) refused.size())
                .containsEntry("sessions", 1).containsEntry("bindings", 2);

        // And a session beyond the host's limit is refused, while rules of its learned sessions are still taken
        assertThat(after.learn(forward(outbound(FlowKey.UDP, HOST, 40001, REMOTE + 1, 53), PUBLIC_2, 20001)))
                .isTrue();
        assertThat(after.learn(forward(outbound(FlowKey.UDP, HOST, 40001, REMOTE + 2, 53), PUBLIC_2, 20001)))
                .as("a third session of the host").isFalse();
        assertThat(after.learn(forward(UDP, PUBLIC_2, 20001))).isTrue();
        assertThat(after.indicators()).containsEntry("sessions", 2);
    }

    @Test
    void aHairpinRuleWhoseEndsContradictEachOtherIsRefusedAndLeavesNothingBehind() {
        // Given a hairpin rule whose two hosts would share one block of ports (no NAT of this config made it)
        NatPolicy after = configured("");
        Rule hairpin = Rule.of(outbound(FlowKey.UDP, HOST, 1, PUBLIC, 20002), new Action.RewriteSource(PUBLIC, 20001),
                new Action.RewriteDestination(OTHER_HOST, 2), new Action.SetVni(NatTests.INSIDE),
                new Action.DecrementTtl(), new Action.SetNextHop(LOOPBACK, INSIDE_NEXT_HOP_PORT), new Action.Count());

        // When it is learned, Then it is refused, and neither end keeps a binding, a block or a session
        assertThat(after.learn(hairpin)).isFalse();
        assertThat(after.indicators()).containsEntry("bindings", 0).containsEntry("sessions", 0);
        assertThat(after.bindings().addressIndicators().getFirst()).containsEntry("blocks", 0)
                .containsEntry("bindings", 0);
        // And each end alone may still be learned
        assertThat(after.learn(forward(outbound(FlowKey.UDP, HOST, 1, REMOTE, 53), PUBLIC, 20001))).isTrue();
    }

    /** The rules a policy configured anew learned from {@link #before}'s flows. */
    private NatPolicy learnedFromBefore() {
        NatPolicy after = configured(CONFIG);
        decideFlows().forEach(after::learn);
        return after;
    }

    /** Decides a flow of each kind in {@link #before}; returns the rules it installed, as the fastpaths hold them. */
    private Set<Rule> decideFlows() {
        for (FlowKey flow : List.of(TCP, UDP, ECHO, TO_FORWARD)) {
            decided.put(flow, before.onMiss(miss(flow)));
        }
        // OTHER_HOST reaches HOST's UDP endpoint through its public endpoint
        decided.put(hairpinKey(), before.onMiss(miss(hairpinKey())));
        Set<Rule> rules = new LinkedHashSet<>();
        decided.values().forEach(decision -> {
            assertThat(decision.rules()).hasSize(2);
            rules.addAll(decision.rules());
        });
        return rules;
    }

    private FlowKey hairpinKey() {
        return outbound(FlowKey.UDP, OTHER_HOST, 3478, PUBLIC, publicPort(decided.get(UDP)));
    }

    /** The forward rule the contract's config would install for {@code flow} translated to this public endpoint. */
    private static Rule forward(FlowKey flow, int publicAddress, int publicPort) {
        return Rule.of(flow, new Action.RewriteSource(publicAddress, publicPort), new Action.SetVni(OUTSIDE),
                new Action.DecrementTtl(), new Action.SetNextHop(LOOPBACK, OUTSIDE_NEXT_HOP_PORT), new Action.Count());
    }

    /** What a restart must keep: bindings, sessions, blocks and ports per address. */
    private static Map<String, Object> state(NatPolicy policy) {
        Map<String, Object> indicators = policy.indicators();
        return Map.of("bindings", indicators.get("bindings"), "sessions", indicators.get("sessions"),
                "publicAddresses", indicators.get("publicAddresses"));
    }

    /** The block of a port of the contract's range (20000..29999 in blocks of 64). */
    private static int blockOf(int port) {
        return (port - 20000) / NatConfig.DEFAULT_PORT_BLOCK_SIZE;
    }
}
