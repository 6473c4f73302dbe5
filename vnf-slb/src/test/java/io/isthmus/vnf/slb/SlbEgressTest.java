package io.isthmus.vnf.slb;

import static io.isthmus.vnf.slb.SlbPolicyTest.THREE;
import static io.isthmus.vnf.slb.SlbPolicyTest.config;
import static io.isthmus.vnf.slb.SlbPolicyTest.configured;
import static io.isthmus.vnf.slb.SlbPolicyTest.json;
import static io.isthmus.vnf.slb.SlbPolicyTest.syn;
import static io.isthmus.vnf.slb.SlbPolicyTest.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Rule;
import io.isthmus.control.ingress.RendezvousIngress;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.FlowRuleInstall;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.Transmit;

/**
 * A load balancer chained to another VNF on its backend side (say an inspection VNF in front of the backends' VPC): its
 * backend next hop is that VNF's published ingress, and each connection goes to one of its fastpaths, the rendezvous
 * pick of the client's packets as they leave the load balancer.
 */
class SlbEgressTest {

    private static final Map<String, Integer> PORTS = Map.of("fastpath-0", 41001, "fastpath-1", 41002, "fastpath-2",
            41003);

    private static String ingress(String... vnfcIds) {
        return "{\"hash\":\"rendezvous-v1\",\"endpoints\":[" + Arrays.stream(vnfcIds)
                .map(id -> "{\"vnfcId\":\"" + id + "\",\"address\":\"127.0.0.1:" + PORTS.get(id) + "\"}")
                .collect(Collectors.joining(",")) + "]}";
    }

    private static String backendIngress(String... vnfcIds) {
        return config(THREE, "", "").replace("\"backendNextHop\":\"198.18.3.6:4789\"",
                "\"backendNextHop\":" + ingress(vnfcIds));
    }

    private static int nextHopPort(Rule rule) {
        return rule.actions().stream().filter(Action.SetNextHop.class::isInstance).map(Action.SetNextHop.class::cast)
                .findFirst().orElseThrow().port();
    }

    /** The client's packets as they leave for the backend: after the full NAT's rewrites. */
    private static FlowKey leaving(Rule forward) {
        Action.RewriteSource local = (Action.RewriteSource) forward.actions().get(0);
        Action.RewriteDestination backend = (Action.RewriteDestination) forward.actions().get(1);
        return new FlowKey(SlbPolicyTest.BACK, forward.key().protocol(), local.address(), backend.address(),
                local.port(), backend.port());
    }

    private static String client(int i) {
        return "172.16." + (1 + i / 200) + "." + (1 + i % 200);
    }

    @Test
    void connectionsSpreadOverTheBackendSidesIngressAndAnEndpointLeavingMovesOnlyItsOwn() throws Exception {
        // Given a load balancer whose backend side is an ingress of 3 fastpaths
        SlbPolicy policy = configured(backendIngress("fastpath-0", "fastpath-1", "fastpath-2"));
        RendezvousIngress ingress = RendezvousIngress.of("fastpath-0", "fastpath-1", "fastpath-2");

        // When 300 clients connect
        Map<FlowKey, Integer> before = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            Decision decision = policy.onMiss(syn(client(i), 40000 + i));
            Rule forward = decision.rules().get(0);
            Rule reverse = decision.rules().get(1);

            // Then each connection's packets to its backend go to the pick of their key as they leave; replies to
            // the client still go to the frontend's next hop
            assertThat(nextHopPort(forward)).isEqualTo(PORTS.get(ingress.pick(leaving(forward))));
            assertThat(nextHopPort(reverse)).isEqualTo(4789);
            before.put(forward.key(), nextHopPort(forward));
        }
        assertThat(before.values().stream().collect(Collectors.groupingBy(p -> p, Collectors.counting())))
                .containsOnlyKeys(41001, 41002, 41003).allSatisfy((port, n) -> assertThat(n).isGreaterThan(60));

        // When fastpath-2 leaves the ingress
        Reconfiguration change = policy.reconfigure(json(backendIngress("fastpath-0", "fastpath-1")));

        // Then only the connections it carried get their rule again, towards the others; none is ended
        assertThat(change.removes()).isEmpty();
        List<Rule> installed = change.installs().stream().map(i -> ((FlowRuleInstall) i).rule()).toList();
        assertThat(installed).extracting(Rule::key).containsExactlyInAnyOrderElementsOf(
                before.entrySet().stream().filter(e -> e.getValue() == 41003).map(Map.Entry::getKey).toList());
        assertThat(installed).allSatisfy(rule -> assertThat(nextHopPort(rule)).isIn(41001, 41002));
    }

    @Test
    void aBackendSideNotWiredYetDropsTheClientsPackets() {
        // Given the backend side's ingress has no endpoint yet
        SlbPolicy policy = configured(backendIngress());

        // When a client connects
        Decision decision = policy.onMiss(syn("172.16.1.5", 40000));

        // Then its packets to the backend are dropped by the rule
        assertThat(decision.rules().get(0).actions()).contains(new Action.Drop())
                .noneMatch(Action.SetNextHop.class::isInstance);
    }

    @Test
    void aResetToAClientGoesToThePickOfTheResetOnTheFrontendsIngress() {
        // Given the frontend side is an ingress of 3 fastpaths
        SlbPolicy policy = configured(config(THREE, "", "").replace("\"frontendNextHop\":\"198.18.3.2:4789\"",
                "\"frontendNextHop\":" + ingress("fastpath-0", "fastpath-1", "fastpath-2")));
        RendezvousIngress ingress = RendezvousIngress.of("fastpath-0", "fastpath-1", "fastpath-2");

        // When a client's segment of no connection arrives (an ACK)
        Miss ack = tcp("172.16.1.5", 40000, 0x10);
        Decision decision = policy.onMiss(ack);

        // Then the reset goes to the pick of its own key: the segment's turned around
        Transmit reset = (Transmit) decision.installs().getFirst();
        assertThat(reset.nextHopPort()).isEqualTo(PORTS.get(ingress.pick(ack.key().reversed(SlbPolicyTest.FRONT))));
    }
}
