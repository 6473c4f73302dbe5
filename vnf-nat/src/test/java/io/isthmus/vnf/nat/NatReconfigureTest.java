package io.isthmus.vnf.nat;

import static io.isthmus.vnf.nat.NatTests.HOST;
import static io.isthmus.vnf.nat.NatTests.OTHER_HOST;
import static io.isthmus.vnf.nat.NatTests.REMOTE;
import static io.isthmus.vnf.nat.NatTests.inbound;
import static io.isthmus.vnf.nat.NatTests.miss;
import static io.isthmus.vnf.nat.NatTests.outbound;
import static io.isthmus.vnf.nat.NatTests.publicPort;
import static io.isthmus.vnf.nat.NatTests.twoAddresses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.Rule;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.FlowRuleInstall;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Reconfiguration;

/**
 * A NAT reconfigured live keeps the flows its new configuration still allows, and a NAT restored from a snapshot has
 * the bindings it had when the snapshot was taken.
 */
class NatReconfigureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void newNextHopsKeepEveryBindingAndReinstallEveryRuleTowardsThem() throws Exception {
        // Given a flow bound, both its rules installed
        NatPolicy policy = NatTests.configured("");
        Decision first = policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 40001, REMOTE, 53)));
        int port = publicPort(first);

        // When the next hops change (what a change of external connectivity does)
        Reconfiguration change = policy.reconfigure(JSON.readTree(NatTests.config(
                "\"insideNextHop\":\"127.0.0.1:41002\",\"outsideNextHop\":\"127.0.0.1:41001\"")));

        // Then nothing is removed, both rules are installed again with the new next hops and the same translation
        assertThat(change.reset()).isFalse();
        assertThat(change.removes()).isEmpty();
        List<Rule> rules = rules(change);
        assertThat(rules).extracting(Rule::key).containsExactlyInAnyOrderElementsOf(
                first.rules().stream().map(Rule::key).toList());
        assertThat(rules).allSatisfy(rule -> assertThat(rule.actions())
                .anySatisfy(a -> assertThat(a).isInstanceOfAny(Action.SetNextHop.class)));
        assertThat(nextHopPorts(rules)).containsExactlyInAnyOrder(41001, 41002);
        // And the flow's next packets keep the public port
        assertThat(publicPort(policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 40001, REMOTE, 53))))).isEqualTo(port);
        assertThat(policy.bindingCount()).isEqualTo(1);
    }

    @Test
    void addingAPortForwardOrAnAddressKeepsTheBindingsAndChangesNoRule() throws Exception {
        // Given a flow bound
        NatPolicy policy = NatTests.configured("");
        int port = publicPort(policy.onMiss(miss(outbound(FlowKey.TCP, HOST, 50000, REMOTE, 443))));

        // When a port forward and a second public address are added
        Reconfiguration change = policy.reconfigure(JSON.readTree(twoAddresses(
                """
                        "portForwards":[{"protocol":"tcp","publicPort":8443,"insideAddress":"10.0.0.80","insidePort":443}]""")));

        // Then no rule changes, the binding stays and its reply is still let in
        assertThat(change.changesRules()).isFalse();
        assertThat(policy.bindingCount()).isEqualTo(2);
        Decision reply = policy.onMiss(miss(inbound(FlowKey.TCP, REMOTE, 443, NatTests.PUBLIC, port)));
        assertThat(reply.isDrop()).isFalse();
    }

    @Test
    void aRemovedPublicAddressEndsOnlyItsBindingsAndRemovesTheirRules() throws Exception {
        // Given two hosts, each paired with one of two public addresses
        NatPolicy policy = NatTests.configuredWith(twoAddresses(""));
        Decision kept = policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 1000, REMOTE, 53)));
        Decision ended = policy.onMiss(miss(outbound(FlowKey.UDP, OTHER_HOST, 1000, REMOTE, 53)));
        int keptAddress = NatTests.translated(kept).address();
        int endedAddress = NatTests.translated(ended).address();
        assertThat(keptAddress).isNotEqualTo(endedAddress);

        // When the second host's address is taken out of the configuration
        Reconfiguration change = policy.reconfigure(JSON.readTree(NatTests.config(
                "").replace("203.0.113.10", Ipv4Addresses.format(keptAddress))));

        // Then only that host's rules are removed, nothing is installed again, and the other keeps its port
        assertThat(change.removes()).containsExactlyInAnyOrderElementsOf(
                ended.rules().stream().map(Rule::key).toList());
        assertThat(change.installs()).isEmpty();
        assertThat(policy.bindingCount()).isEqualTo(1);
        assertThat(NatTests.translated(policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 1000, REMOTE, 53)))))
                .isEqualTo(NatTests.translated(kept));
    }

    @Test
    void aSnapshotRevertBringsBackTheBindingsItHadAndEndsTheNewerOnes() throws Exception {
        // Given a flow bound, and a snapshot then
        NatPolicy policy = NatTests.configured("");
        Decision old = policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 40001, REMOTE, 53)));
        JsonNode config = JSON.readTree(NatTests.config(""));
        String state = JSON.writeValueAsString(policy.snapshotState());

        // When that flow ends and newer flows take ports (one of them the old flow's, perhaps)
        FlowKey[] keys = old.rules().stream().map(Rule::key).toArray(FlowKey[]::new);
        policy.onFlowExpired(keys[0]);
        policy.onFlowExpired(keys[1]);
        assertThat(policy.bindingCount()).isZero();
        Decision newer = policy.onMiss(miss(outbound(FlowKey.UDP, OTHER_HOST, 40001, REMOTE, 53)));

        // And the snapshot is restored, through its JSON
        Reconfiguration revert = policy.restore(config, JSON.readTree(state));

        // Then the old flow's rules are installed with its old public port, the newer flow's removed
        assertThat(rules(revert)).containsExactlyInAnyOrderElementsOf(old.rules());
        assertThat(revert.removes()).containsExactlyInAnyOrderElementsOf(
                newer.rules().stream().map(Rule::key).toList());
        assertThat(policy.bindingCount()).isEqualTo(1);
        assertThat(NatTests.translated(policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 40001, REMOTE, 53)))))
                .isEqualTo(NatTests.translated(old));
        // And a snapshot taken now reads as the one restored
        assertThat(canonical(policy.snapshotState())).isEqualTo(canonical(JSON.readTree(state)));
    }

    @Test
    void aSnapshotKeepsHairpinnedPairsPortForwardsAndWhichRulesHadExpired() throws Exception {
        // Given a forward's session, a hairpinned pair, and a session whose reverse rule expired everywhere
        String config = NatTests.config("""
                "filtering":"endpoint-independent",
                "portForwards":[{"protocol":"udp","publicPort":5353,"insideAddress":"10.0.0.80","insidePort":53}]""");
        NatPolicy policy = NatTests.configuredWith(config);
        policy.onMiss(miss(inbound(FlowKey.UDP, REMOTE, 1111, NatTests.PUBLIC, 5353)));
        int server = publicPort(policy.onMiss(miss(outbound(FlowKey.UDP, OTHER_HOST, 3478, REMOTE, 3478))));
        policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 40001, NatTests.PUBLIC, server)));
        Decision halfExpired = policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 40002, REMOTE, 123)));
        policy.onFlowExpired(halfExpired.rules().get(1).key());
        JsonNode state = policy.snapshotState();

        // When another NAT restores it
        NatPolicy restored = new NatPolicy();
        Reconfiguration revert = restored.restore(JSON.readTree(config), state);

        // Then it has the same bindings and sessions, and installs the same rules (less the expired one)
        assertThat(canonical(restored.snapshotState())).isEqualTo(canonical(state));
        assertThat(restored.indicators()).containsEntry("bindings", policy.bindingCount())
                .containsEntry("sessions", policy.indicators().get("sessions"));
        assertThat(rules(revert)).extracting(Rule::key).doesNotContain(halfExpired.rules().get(1).key())
                .contains(halfExpired.rules().get(0).key()).hasSize(2 + 2 + 2 + 1);
    }

    @Test
    void aSnapshotItsConfigurationRefusesIsRefusedWholeAndChangesNothing() throws Exception {
        // Given a NAT with a flow, and a snapshot of it
        NatPolicy policy = NatTests.configured("");
        policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 40001, REMOTE, 53)));
        JsonNode state = policy.snapshotState();
        JsonNode before = policy.snapshotState();

        // When it is restored with a configuration whose range leaves its port out, or its state is mangled
        JsonNode narrow = JSON.readTree(NatTests.config("\"portRangeStart\":29000"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) state.path("bindings").get(0)).put("protocol", "sctp");

        // Then each is refused naming what is wrong, and the NAT is as it was
        assertThatThrownBy(() -> policy.restore(narrow, before)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("state.bindings[0]").hasMessageContaining("outside the port range");
        assertThatThrownBy(() -> policy.restore(JSON.readTree(NatTests.config("")), state))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("state.bindings[0].protocol");
        assertThat(canonical(policy.snapshotState())).isEqualTo(canonical(before));
    }

    /** A state's bindings as text, each with its sessions sorted, sorted: the order of a state means nothing. */
    static List<String> canonical(JsonNode state) {
        List<String> bindings = new java.util.ArrayList<>();
        for (JsonNode binding : state.path("bindings")) {
            List<String> sessions = new java.util.ArrayList<>();
            binding.path("sessions").forEach(session -> sessions.add(session.toString()));
            sessions.sort(null);
            bindings.add(
                    ((com.fasterxml.jackson.databind.node.ObjectNode) binding.deepCopy()).without("sessions").toString()
                            + sessions);
        }
        bindings.sort(null);
        return bindings;
    }

    private static List<Rule> rules(Reconfiguration change) {
        return change.installs().stream().map(install -> ((FlowRuleInstall) install).rule()).toList();
    }

    private static List<Integer> nextHopPorts(List<Rule> rules) {
        return rules.stream().flatMap(rule -> rule.actions().stream())
                .filter(Action.SetNextHop.class::isInstance).map(a -> ((Action.SetNextHop) a).port()).toList();
    }
}
