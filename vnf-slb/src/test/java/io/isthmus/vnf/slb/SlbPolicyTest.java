package io.isthmus.vnf.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.Rule;
import io.isthmus.fastpath.testing.ReferencePackets;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.HealthCheck;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.Transmit;

/** The load balancer's decisions, without a fastpath: what each new, moved, failed or ended connection gets. */
class SlbPolicyTest {

    static final int FRONT = 300;
    static final int BACK = 100;
    static final String VIP = "172.16.9.10";
    static final String LOCAL = "10.20.0.250";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A configuration: one TCP listener on VIP:80 and one UDP on VIP:53, each with its group of these backends. */
    static String config(String backends, String listenerExtras, String groupExtras) {
        return """
                {"frontendVni":300,"backendVni":100,"frontendNextHop":"198.18.3.2:4789",
                 "backendNextHop":"198.18.3.6:4789","localAddresses":["%s"],
                 "listeners":[{"name":"web","vip":"%s","protocol":"tcp","port":80,"backendGroup":"web"%s},
                              {"name":"dns","vip":"%s","protocol":"udp","port":53,"backendGroup":"dns"}],
                 "backendGroups":[{"name":"web","backends":[%s]%s},
                                  {"name":"dns","tableSize":251,"backends":[{"address":"10.20.0.21","port":53},
                                                                              {"address":"10.20.0.22","port":53}]}]}"""
                .formatted(LOCAL, VIP, listenerExtras, VIP, backends, groupExtras);
    }

    static final String THREE = """
            {"address":"10.20.0.11","port":80,"weight":1},{"address":"10.20.0.12","port":80,"weight":2},
            {"address":"10.20.0.13","port":80,"weight":1}""";

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static SlbPolicy configured(String config) {
        SlbPolicy policy = new SlbPolicy();
        try {
            Reconfiguration first = policy.reconfigure(json(config));
            assertThat(first.changesRules()).isFalse();
        } catch (InvalidConfigException e) {
            throw new AssertionError(e.problems().toString(), e);
        }
        return policy;
    }

    /** A client's TCP segment to the VIP, as a fastpath punts it (from the VXLAN header on). */
    static Miss tcp(String client, int port, int flags) {
        byte[] packet = ReferencePackets.tcp(client, port, VIP, 80).vni(FRONT).tcpFlags(flags).build();
        return new Miss(0, new FlowKey(FRONT, FlowKey.TCP, Ipv4Addresses.parse(client), Ipv4Addresses.parse(VIP),
                port, 80), ByteBuffer.wrap(packet));
    }

    static Miss syn(String client, int port) {
        return tcp(client, port, 0x02);
    }

    static Miss udp(String client, int port) {
        byte[] packet = ReferencePackets.udp(client, port, VIP, 53).vni(FRONT).build();
        return new Miss(0, new FlowKey(FRONT, FlowKey.UDP, Ipv4Addresses.parse(client), Ipv4Addresses.parse(VIP),
                port, 53), ByteBuffer.wrap(packet));
    }

    /** The backend address a decision's forward rule sends the client's packets to. */
    static String backendOf(Decision decision) {
        Rule forward = decision.rules().getFirst();
        for (Action action : forward.actions()) {
            if (action instanceof Action.RewriteDestination d) {
                return Ipv4Addresses.format(d.address());
            }
        }
        throw new AssertionError("no destination rewrite in " + forward);
    }

    @Test
    void aNewConnectionGetsTwoRulesOfFullNatTowardsItsBackendAndBack() {
        SlbPolicy policy = configured(config(THREE, "", ""));

        Decision decision = policy.onMiss(syn("172.16.1.5", 40000));

        assertThat(decision.reinject()).isTrue();
        assertThat(decision.rules()).hasSize(2);
        Rule forward = decision.rules().get(0);
        Rule reverse = decision.rules().get(1);
        assertThat(forward.key()).isEqualTo(new FlowKey(FRONT, FlowKey.TCP, Ipv4Addresses.parse("172.16.1.5"),
                Ipv4Addresses.parse(VIP), 40000, 80));
        Action.RewriteSource local = (Action.RewriteSource) forward.actions().get(0);
        Action.RewriteDestination backend = (Action.RewriteDestination) forward.actions().get(1);
        assertThat(Ipv4Addresses.format(local.address())).isEqualTo(LOCAL);
        assertThat(local.port()).isBetween(LocalPorts.FIRST, LocalPorts.LAST);
        assertThat(backend.port()).isEqualTo(80);
        assertThat(forward.actions()).contains(new Action.SetVni(BACK), new Action.DecrementTtl(),
                new Action.SetNextHop(Ipv4Addresses.parse("198.18.3.6"), 4789));
        // the backend's replies, from the backend to the local port, go back from the VIP to the client
        assertThat(reverse.key()).isEqualTo(
                new FlowKey(BACK, FlowKey.TCP, backend.address(), local.address(), 80, local.port()));
        assertThat(reverse.actions()).contains(new Action.RewriteSource(Ipv4Addresses.parse(VIP), 80),
                new Action.RewriteDestination(Ipv4Addresses.parse("172.16.1.5"), 40000), new Action.SetVni(FRONT),
                new Action.SetNextHop(Ipv4Addresses.parse("198.18.3.2"), 4789));
    }

    @Test
    void newConnectionsSpreadByWeight() {
        SlbPolicy policy = configured(config(THREE, "", ""));
        Map<String, Integer> counts = new HashMap<>();
        int n = 8_000;
        for (int i = 0; i < n; i++) {
            counts.merge(backendOf(policy.onMiss(syn("172.16." + (1 + i / 250) + "." + (1 + i % 250), 30000 + i))),
                    1, Integer::sum);
        }
        assertThat(counts.get("10.20.0.11") / (double) n).isBetween(0.22, 0.28);
        assertThat(counts.get("10.20.0.12") / (double) n).isBetween(0.47, 0.53);
        assertThat(counts.get("10.20.0.13") / (double) n).isBetween(0.22, 0.28);
        assertThat(policy.indicators().get("connections")).isEqualTo(n);
    }

    @Test
    void anEstablishedConnectionKeepsItsBackendWhenTheTableChanges() throws Exception {
        SlbPolicy policy = configured(config(THREE, "", ""));
        Map<Integer, String> before = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            before.put(i, backendOf(policy.onMiss(syn("172.16.2." + (1 + i % 200), 20000 + i))));
        }
        // a fourth backend joins: the table changes, established connections stay
        Reconfiguration added = policy.reconfigure(json(config(THREE + ",{\"address\":\"10.20.0.14\",\"port\":80}",
                "", "")));
        assertThat(added.removes()).isEmpty();
        for (int i = 0; i < 500; i++) {
            // the connection's next packet on a fastpath that lacks its rule (a moved flow): the same backend
            assertThat(backendOf(policy.onMiss(tcp("172.16.2." + (1 + i % 200), 20000 + i, 0x10))))
                    .isEqualTo(before.get(i));
        }
        int toNew = 0;
        for (int i = 0; i < 500; i++) {
            toNew += backendOf(policy.onMiss(syn("172.16.3." + (1 + i % 200), 20000 + i))).equals("10.20.0.14")
                    ? 1
                    : 0;
        }
        assertThat(toNew).isBetween(60, 190);
    }

    @Test
    void aSegmentOfNoConnectionIsResetFromTheVip() {
        SlbPolicy policy = configured(config(THREE, "", ""));

        Decision decision = policy.onMiss(tcp("172.16.1.5", 40000, 0x10));

        assertThat(decision.reinject()).isFalse();
        assertThat(decision.rules()).isEmpty();
        Transmit reset = (Transmit) decision.installs().getFirst();
        assertThat(Ipv4Addresses.format(reset.nextHopAddress())).isEqualTo("198.18.3.2");
        ReferencePackets.Decoded decoded = ReferencePackets.decode(reset.packet());
        assertThat(decoded.vni()).isEqualTo(FRONT);
        assertThat(ReferencePackets.format(decoded.srcAddress())).isEqualTo(VIP);
        assertThat(decoded.srcPort()).isEqualTo(80);
        assertThat(ReferencePackets.format(decoded.dstAddress())).isEqualTo("172.16.1.5");
        assertThat(decoded.dstPort()).isEqualTo(40000);
        assertThat(decoded.ipChecksumValid()).isTrue();
        assertThat(decoded.l4ChecksumValid()).isTrue();
        // RST with the sequence number the segment acknowledged
        byte[] packet = reset.packet();
        int tcp = 8 + 14 + 20;
        assertThat(packet[tcp + 13] & 0xFF).isEqualTo(0x04);
        assertThat(ReferencePackets.u32(packet, tcp + 4)).isEqualTo(0x0506_0708);
        assertThat(policy.indicators().get("connections")).isEqualTo(0);
    }

    @Test
    void aFailedBackendLeavesTheTableAndItsConnectionsAreResetOnTheirNextPacket() {
        SlbPolicy policy = configured(config(THREE, "", healthCheck()));
        List<HealthCheck> checks = policy.healthChecks();
        assertThat(checks).extracting(HealthCheck::id).containsExactlyInAnyOrder("web/10.20.0.11:80",
                "web/10.20.0.12:80", "web/10.20.0.13:80");
        for (HealthCheck check : checks) {
            policy.onHealthChanged(check.id(), true);
        }
        Map<Integer, String> backends = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            backends.put(i, backendOf(policy.onMiss(syn("172.16.4." + (1 + i % 200), 10000 + i))));
        }
        long onFailed = backends.values().stream().filter("10.20.0.12"::equals).count();

        Reconfiguration failed = policy.onHealthChanged("web/10.20.0.12:80", false);

        // both rules of each of its connections leave every fastpath; the others' stay
        assertThat(failed.removes()).hasSize((int) onFailed * 2);
        for (int i = 0; i < 300; i++) {
            Decision next = policy.onMiss(tcp("172.16.4." + (1 + i % 200), 10000 + i, 0x10));
            if (backends.get(i).equals("10.20.0.12")) {
                assertThat(next.installs()).singleElement().isInstanceOf(Transmit.class);
            } else {
                assertThat(backendOf(next)).isEqualTo(backends.get(i));
            }
        }
        for (int i = 0; i < 300; i++) {
            assertThat(backendOf(policy.onMiss(syn("172.16.5." + (1 + i % 200), 10000 + i))))
                    .isNotEqualTo("10.20.0.12");
        }
        assertThat(backendState(policy, "web/10.20.0.12:80")).containsEntry("state", "down")
                .containsEntry("activeConnections", 0).containsEntry("tableEntries", 0);

        // recovered, it takes new connections again
        policy.onHealthChanged("web/10.20.0.12:80", true);
        assertThat(backendState(policy, "web/10.20.0.12:80")).containsEntry("state", "up");
        long toRecovered = 0;
        for (int i = 0; i < 300; i++) {
            toRecovered += backendOf(policy.onMiss(syn("172.16.6." + (1 + i % 200), 10000 + i)))
                    .equals("10.20.0.12") ? 1 : 0;
        }
        assertThat(toRecovered).isGreaterThan(100);
    }

    @Test
    void aFailedBackendsUdpFlowsGoToAnotherOnTheirNextPacket() {
        SlbPolicy policy = configured(config(THREE, "", "")
                .replace("\"tableSize\":251,", "\"tableSize\":251,\"healthCheck\":{\"type\":\"tcp\"},"));
        policy.onHealthChanged("dns/10.20.0.21:53", true);
        policy.onHealthChanged("dns/10.20.0.22:53", true);
        String first = backendOf(policy.onMiss(udp("172.16.1.9", 5353)));

        Reconfiguration failed = policy.onHealthChanged("dns/" + first + ":53", false);

        assertThat(failed.removes()).hasSize(2);
        String next = backendOf(policy.onMiss(udp("172.16.1.9", 5353)));
        assertThat(next).isNotEqualTo(first);
    }

    @Test
    void aDrainingBackendKeepsItsConnectionsAndTakesNoNewOnes() throws Exception {
        SlbPolicy policy = configured(config(THREE, "", ""));
        Map<Integer, String> backends = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            backends.put(i, backendOf(policy.onMiss(syn("172.16.7." + (1 + i % 200), 10000 + i))));
        }

        Reconfiguration drain = policy.reconfigure(json(config(THREE.replace(
                "{\"address\":\"10.20.0.13\",\"port\":80,\"weight\":1}",
                "{\"address\":\"10.20.0.13\",\"port\":80,\"weight\":1,\"drain\":true}"), "", "")));

        assertThat(drain.removes()).isEmpty();
        for (int i = 0; i < 300; i++) {
            assertThat(backendOf(policy.onMiss(tcp("172.16.7." + (1 + i % 200), 10000 + i, 0x10))))
                    .isEqualTo(backends.get(i));
        }
        for (int i = 0; i < 300; i++) {
            assertThat(backendOf(policy.onMiss(syn("172.16.8." + (1 + i % 200), 10000 + i))))
                    .isNotEqualTo("10.20.0.13");
        }
        assertThat(backendState(policy, "web/10.20.0.13:80")).containsEntry("state", "draining")
                .containsEntry("activeConnections",
                        (int) backends.values().stream().filter("10.20.0.13"::equals).count());
    }

    @Test
    void aRemovedBackendsConnectionsEndAndTheOthersStay() throws Exception {
        SlbPolicy policy = configured(config(THREE, "", ""));
        int onRemoved = 0;
        for (int i = 0; i < 200; i++) {
            onRemoved += backendOf(policy.onMiss(syn("172.16.9." + (1 + i % 200), 10000 + i))).equals("10.20.0.11")
                    ? 1
                    : 0;
        }
        Reconfiguration removed = policy.reconfigure(json(config(THREE.replace(
                "{\"address\":\"10.20.0.11\",\"port\":80,\"weight\":1},", ""), "", "")));
        assertThat(removed.removes()).hasSize(onRemoved * 2);
        assertThat(policy.indicators().get("connections")).isEqualTo(200 - onRemoved);
    }

    @Test
    void persistenceBySourceSendsAClientsConnectionsToOneBackend() {
        SlbPolicy policy = configured(config(THREE, ",\"persistence\":\"source-address\"", ""));
        for (int client = 1; client <= 50; client++) {
            String first = backendOf(policy.onMiss(syn("172.16.10." + client, 10000)));
            for (int port = 10001; port < 10010; port++) {
                assertThat(backendOf(policy.onMiss(syn("172.16.10." + client, port)))).isEqualTo(first);
            }
        }
    }

    @Test
    void aListenerOverARangeOfPortsSendsEachConnectionToThePortTheClientChose() {
        SlbPolicy policy = configured(config("{\"address\":\"10.20.0.11\"}", ",\"portEnd\":90", ""));
        for (int port = 80; port <= 90; port++) {
            byte[] packet = ReferencePackets.tcp("172.16.1.5", 40000 + port, VIP, port).vni(FRONT).tcpFlags(0x02)
                    .build();
            Decision decision = policy.onMiss(new Miss(0, new FlowKey(FRONT, FlowKey.TCP,
                    Ipv4Addresses.parse("172.16.1.5"), Ipv4Addresses.parse(VIP), 40000 + port, port),
                    ByteBuffer.wrap(packet)));
            assertThat(((Action.RewriteDestination) decision.rules().getFirst().actions().get(1)).port())
                    .isEqualTo(port);
            assertThat(decision.rules().get(1).key().srcPort()).isEqualTo(port);
        }
        // a port beyond the range is no listener's
        assertThat(policy.onMiss(syn("172.16.1.5", 39000)).rules()).isNotEmpty();
        byte[] beyond = ReferencePackets.tcp("172.16.1.5", 40091, VIP, 91).vni(FRONT).tcpFlags(0x02).build();
        assertThat(policy.onMiss(new Miss(0, new FlowKey(FRONT, FlowKey.TCP, Ipv4Addresses.parse("172.16.1.5"),
                Ipv4Addresses.parse(VIP), 40091, 91), ByteBuffer.wrap(beyond))).isDrop()).isTrue();
    }

    @Test
    void aBackendAtItsConnectionLimitIsPassedOver() {
        SlbPolicy policy = configured(config("""
                {"address":"10.20.0.11","port":80,"maxConnections":5},{"address":"10.20.0.12","port":80}""", "",
                ""));
        int toLimited = 0;
        for (int i = 0; i < 100; i++) {
            toLimited += backendOf(policy.onMiss(syn("172.16.11." + (1 + i), 10000))).equals("10.20.0.11") ? 1 : 0;
        }
        assertThat(toLimited).isEqualTo(5);
        assertThat(backendState(policy, "web/10.20.0.11:80").get("limitRefusals")).isNotEqualTo(0L);
    }

    @Test
    void aConnectionIsForgottenOnceBothItsRulesExpired() {
        SlbPolicy policy = configured(config(THREE, "", ""));
        Decision decision = policy.onMiss(syn("172.16.1.5", 40000));
        Rule forward = decision.rules().get(0);
        Rule reverse = decision.rules().get(1);

        policy.onFlowExpired(forward.key());
        assertThat(policy.indicators().get("connections")).isEqualTo(1);
        policy.onFlowExpired(reverse.key());

        assertThat(policy.indicators()).containsEntry("connections", 0).containsEntry("localPortsInUse", 0);
    }

    @Test
    void aSnapshotRestoredElsewhereAndRulesLearnedBackKeepEveryConnectionOnItsBackend() throws Exception {
        SlbPolicy policy = configured(config(THREE, "", ""));
        Map<Integer, Decision> decisions = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            decisions.put(i, policy.onMiss(syn("172.16.12." + (1 + i), 10000)));
        }

        SlbPolicy restored = new SlbPolicy();
        Reconfiguration restore = restored.restore(json(config(THREE, "", "")), policy.snapshotState());
        assertThat(restore.installs()).hasSize(200);

        SlbPolicy learner = configured(config(THREE, "", ""));
        for (Decision d : decisions.values()) {
            assertThat(learner.learn(d.rules().get(1))).isTrue();
            assertThat(learner.learn(d.rules().get(0))).isTrue();
        }
        for (int i = 0; i < 100; i++) {
            Miss next = tcp("172.16.12." + (1 + i), 10000, 0x10);
            assertThat(backendOf(restored.onMiss(next))).isEqualTo(backendOf(decisions.get(i)));
            assertThat(backendOf(learner.onMiss(next))).isEqualTo(backendOf(decisions.get(i)));
        }
        assertThat(learner.indicators().get("localPortsInUse")).isEqualTo(100);
        // a new connection never takes a port a learned one holds
        Decision fresh = learner.onMiss(syn("172.16.13.1", 10000));
        assertThat(learner.learn(fresh.rules().get(0))).isTrue();
        assertThat(learner.indicators().get("localPortsInUse")).isEqualTo(101);
    }

    @Test
    void aBadConfigurationIsRefusedWithEveryProblemAndChangesNothing() {
        SlbPolicy policy = configured(config(THREE, "", ""));
        String bad = config(THREE, "", ",\"tableSize\":65536").replace("\"backendGroup\":\"dns\"",
                "\"backendGroup\":\"nope\"");

        assertThatThrownBy(() -> policy.reconfigure(json(bad))).isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).problems()).anyMatch(
                        p -> p.contains("tableSize must be a prime")).anyMatch(p -> p.contains("backendGroup")));
        assertThat(backendOf(policy.onMiss(syn("172.16.1.5", 40000)))).startsWith("10.20.0.1");
    }

    private static String healthCheck() {
        return ",\"healthCheck\":{\"type\":\"http\",\"path\":\"/health\",\"intervalMs\":500,\"timeoutMs\":200}";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> backendState(SlbPolicy policy, String name) {
        List<Map<String, Object>> backends = (List<Map<String, Object>>) policy.indicators().get("backends");
        return backends.stream().filter(b -> b.get("name").equals(name)).findFirst().orElseThrow();
    }
}
