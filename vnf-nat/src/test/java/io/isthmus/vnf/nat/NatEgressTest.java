package io.isthmus.vnf.nat;

import static io.isthmus.vnf.nat.NatTests.HOST;
import static io.isthmus.vnf.nat.NatTests.REMOTE;
import static io.isthmus.vnf.nat.NatTests.miss;
import static io.isthmus.vnf.nat.NatTests.outbound;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Rule;
import io.isthmus.control.ingress.RendezvousIngress;
import io.isthmus.fastpath.testing.ReferencePackets;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.FlowRuleInstall;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.Transmit;

/**
 * A NAT chained to the next VNF: its outside next hop is that VNF's published ingress, and each translated flow goes to
 * one of the ingress's fastpaths, the rendezvous pick of the flow as it leaves the NAT.
 */
class NatEgressTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Integer> PORTS = Map.of("fastpath-0", 41001, "fastpath-1", 41002, "fastpath-2",
            41003);

    private static String ingress(String... vnfcIds) {
        return "{\"hash\":\"rendezvous-v1\",\"endpoints\":[" + Arrays.stream(vnfcIds)
                .map(id -> "{\"vnfcId\":\"" + id + "\",\"address\":\"127.0.0.1:" + PORTS.get(id) + "\"}")
                .collect(Collectors.joining(",")) + "]}";
    }

    private static String outsideIngress(String... vnfcIds) {
        return NatTests.config("\"outsideNextHop\":" + ingress(vnfcIds));
    }

    private static FlowKey flow(int i) {
        return outbound(FlowKey.UDP, HOST + i % 50, 30000 + i, REMOTE, 53);
    }

    private static Rule forwardRule(List<Rule> rules) {
        return rules.stream().filter(r -> r.key().vni() == NatTests.INSIDE).findFirst().orElseThrow();
    }

    private static int nextHopPort(Rule rule) {
        return rule.actions().stream().filter(Action.SetNextHop.class::isInstance).map(Action.SetNextHop.class::cast)
                .findFirst().orElseThrow().port();
    }

    /** The translated key of a forward rule: what the packet is as it leaves the NAT. */
    private static FlowKey leaving(Rule forward) {
        Action.RewriteSource source = (Action.RewriteSource) forward.actions().getFirst();
        FlowKey key = forward.key();
        return new FlowKey(NatTests.OUTSIDE, key.protocol(), source.address(), key.dstAddress(), source.port(),
                key.dstPort());
    }

    @Test
    void newFlowsSpreadOverTheNextVnfsIngressEachToThePickOfItsTranslatedKey() {
        // Given a NAT whose outside next hop is an ingress of 3 fastpaths
        NatPolicy policy = NatTests.configuredWith(outsideIngress("fastpath-0", "fastpath-1", "fastpath-2"));
        RendezvousIngress ingress = RendezvousIngress.of("fastpath-0", "fastpath-1", "fastpath-2");

        // When 300 new flows leave the inside
        Map<Integer, Integer> flowsPerPort = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            List<Rule> rules = policy.onMiss(miss(flow(i))).rules();
            Rule forward = forwardRule(rules);

            // Then each forward rule goes to the rendezvous pick of the translated flow, the replies to the inside
            assertThat(nextHopPort(forward)).isEqualTo(PORTS.get(ingress.pick(leaving(forward))));
            assertThat(rules).filteredOn(r -> r.key().vni() == NatTests.OUTSIDE)
                    .allSatisfy(reverse -> assertThat(nextHopPort(reverse)).isEqualTo(40002));
            flowsPerPort.merge(nextHopPort(forward), 1, Integer::sum);
        }
        // And every fastpath of the next VNF gets its share
        assertThat(flowsPerPort).containsOnlyKeys(41001, 41002, 41003)
                .allSatisfy((port, flows) -> assertThat(flows).isGreaterThan(60));
    }

    @Test
    void anEndpointLeavingTheIngressMovesOnlyItsOwnFlowsAndNoFlowIsSentToIt() throws Exception {
        // Given 300 flows over 3 fastpaths
        NatPolicy policy = NatTests.configuredWith(outsideIngress("fastpath-0", "fastpath-1", "fastpath-2"));
        Map<FlowKey, Integer> before = new HashMap<>();
        IntStream.range(0, 300).mapToObj(NatEgressTest::flow).forEach(flow -> before.put(flow,
                nextHopPort(forwardRule(policy.onMiss(miss(flow)).rules()))));

        // When fastpath-1 leaves the ingress (scaled in)
        Reconfiguration change = policy.reconfigure(JSON.readTree(outsideIngress("fastpath-0", "fastpath-2")));

        // Then exactly the rules of the flows it had are installed again, towards the others; nothing is removed
        assertThat(change.removes()).isEmpty();
        List<Rule> installed = change.installs().stream().map(i -> ((FlowRuleInstall) i).rule()).toList();
        assertThat(installed).extracting(Rule::key).containsExactlyInAnyOrderElementsOf(
                before.entrySet().stream().filter(e -> e.getValue() == 41002).map(Map.Entry::getKey).toList());
        assertThat(installed).allSatisfy(rule -> assertThat(nextHopPort(rule)).isIn(41001, 41003));
        // And every flow punted again goes where it went, unless it went to fastpath-1
        before.forEach((flow, port) -> {
            int now = nextHopPort(forwardRule(policy.onMiss(miss(flow)).rules()));
            assertThat(now).isNotEqualTo(41002);
            if (port != 41002) {
                assertThat(now).isEqualTo(port);
            }
        });
    }

    @Test
    void anIngressNotWiredYetDropsWhatWouldLeaveByItUntilItIsWired() throws Exception {
        // Given a NAT instantiated before the next VNF is wired: its outside ingress has no endpoint
        NatPolicy policy = NatTests.configuredWith(outsideIngress());

        // When a flow leaves the inside
        List<Rule> rules = policy.onMiss(miss(flow(1))).rules();

        // Then its forward rule drops instead of sending; the replies' rule still goes inside
        Rule forward = forwardRule(rules);
        assertThat(forward.actions()).contains(new Action.Drop())
                .noneMatch(Action.SetNextHop.class::isInstance);
        assertThat(rules).filteredOn(r -> r.key().vni() == NatTests.OUTSIDE)
                .allSatisfy(reverse -> assertThat(nextHopPort(reverse)).isEqualTo(40002));

        // When the NFVO wires it
        Reconfiguration wired = policy.reconfigure(JSON.readTree(outsideIngress("fastpath-0")));

        // Then the forward rule is installed again, sending to the one fastpath, with the same translation
        List<Rule> installed = wired.installs().stream().map(i -> ((FlowRuleInstall) i).rule()).toList();
        assertThat(installed).singleElement().satisfies(rule -> {
            assertThat(rule.key()).isEqualTo(forward.key());
            assertThat(rule.actions().getFirst()).isEqualTo(forward.actions().getFirst());
            assertThat(nextHopPort(rule)).isEqualTo(41001);
        });
    }

    @Test
    void anIcmpErrorToTheInsideGoesByTheInsideIngressAsTheFlowsRepliesDo() throws Exception {
        // Given a host at its session limit, the inside next hop an ingress of 3 fastpaths
        NatPolicy policy = NatTests.configured("\"maxSessionsPerHost\":1,\"insideNextHop\":"
                + ingress("fastpath-0", "fastpath-1", "fastpath-2"));
        policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 1, REMOTE, 53)));

        // When its next new flow is refused
        FlowKey refused = outbound(FlowKey.UDP, HOST, 2, REMOTE, 53);
        byte[] packet = ReferencePackets.udp("10.0.0.5", 2, "198.51.100.7", 53).vni(100).payload(new byte[8])
                .build();
        Decision decision = policy.onMiss(new Miss(1, refused, ByteBuffer.wrap(packet)));

        // Then the ICMP error goes to the pick of its own key (the refused flow turned around)
        Transmit transmit = (Transmit) decision.installs().getFirst();
        RendezvousIngress ingress = RendezvousIngress.of("fastpath-0", "fastpath-1", "fastpath-2");
        assertThat(transmit.nextHopPort()).isEqualTo(PORTS.get(ingress.pick(refused.reversed(NatTests.INSIDE))));
    }

    @Test
    void aTimeExceededTowardsAnUnwiredIngressIsNotSent() throws Exception {
        NatPolicy policy = NatTests.configuredWith(NatTests.config("\"insideNextHop\":" + ingress()));
        byte[] packet = ReferencePackets.udp("10.0.0.5", 33434, "198.51.100.7", 33435).vni(100).ttl(1)
                .payload(new byte[8]).build();

        Decision decision = policy.onTtlExceeded(new Miss(1, outbound(FlowKey.UDP, HOST, 33434, REMOTE, 33435),
                ByteBuffer.wrap(packet)));

        assertThat(decision.isDrop()).isTrue();
        assertThat(decision.reason()).contains("not wired");
    }
}
