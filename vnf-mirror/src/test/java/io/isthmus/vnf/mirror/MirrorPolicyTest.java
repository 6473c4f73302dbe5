package io.isthmus.vnf.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.ingress.RendezvousIngress;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.VnfPolicies;
import io.isthmus.vnf.catalog.ConfigSchema;
import io.isthmus.vnf.catalog.CsarReader;
import io.isthmus.vnf.catalog.PackagedCsars;
import io.isthmus.vnf.catalog.Vdu;
import io.isthmus.vnf.catalog.VduRole;
import io.isthmus.vnf.catalog.VnfPackage;

class MirrorPolicyTest {

    private static final int HOST = Ipv4Addresses.parse("10.0.0.5");
    private static final int REMOTE = Ipv4Addresses.parse("198.51.100.7");

    private static final String INGRESS = "{\"nextHop\":{\"hash\":\"rendezvous-v1\",\"endpoints\":[%s]}}";
    private static final String ENDPOINT = "{\"vnfcId\":\"%s\",\"address\":\"127.0.0.1:%d\"}";

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyFlowIsForwardedUnchangedToTheNextHopAndCounted() throws Exception {
        // Given
        MirrorPolicy policy = new MirrorPolicy();
        policy.configure(json.readTree("{\"nextHop\":\"127.0.0.1:40001\"}"));
        FlowKey flow = new FlowKey(100, FlowKey.UDP, HOST, REMOTE, 40001, 53);

        // When
        Decision decision = policy.onMiss(new Miss(1, flow, ByteBuffer.allocate(0)));

        // Then
        assertThat(decision.reinject()).isTrue();
        assertThat(decision.rules()).singleElement().satisfies(rule -> {
            assertThat(rule.key()).isEqualTo(flow);
            assertThat(rule.actions()).containsExactly(new Action.Count(),
                    new Action.SetNextHop(Ipv4Addresses.parse("127.0.0.1"), 40001));
        });
    }

    @Test
    void chainedToTheNextVnfsIngressEachFlowGoesToItsPickAndAnUnwiredIngressDrops() throws Exception {
        // Given a mirror whose next hop is the next VNF's ingress of 3 fastpaths
        MirrorPolicy policy = new MirrorPolicy();
        policy.configure(json.readTree(INGRESS.formatted(ENDPOINT.formatted("fastpath-0", 41001) + ","
                + ENDPOINT.formatted("fastpath-1", 41002) + "," + ENDPOINT.formatted("fastpath-2", 41003))));
        RendezvousIngress ingress = RendezvousIngress.of("fastpath-0", "fastpath-1", "fastpath-2");
        Map<String, Integer> ports = Map.of("fastpath-0", 41001, "fastpath-1", 41002, "fastpath-2", 41003);

        // When 300 flows miss, Then each goes to the pick of its key, and each fastpath gets its share
        Map<Integer, Integer> spread = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            FlowKey flow = new FlowKey(100, FlowKey.UDP, HOST + i, REMOTE, 40001 + i, 53);
            Action nextHop = policy.onMiss(new Miss(1, flow, ByteBuffer.allocate(0))).rules().getFirst().actions()
                    .get(1);
            assertThat(nextHop).isEqualTo(new Action.SetNextHop(Ipv4Addresses.parse("127.0.0.1"),
                    ports.get(ingress.pick(flow))));
            spread.merge(((Action.SetNextHop) nextHop).port(), 1, Integer::sum);
        }
        assertThat(spread).containsOnlyKeys(41001, 41002, 41003).allSatisfy((port, n) -> assertThat(n)
                .isGreaterThan(60));

        // When the ingress loses fastpath-1, Then the rules installed are taken back and no flow goes to it
        assertThat(policy.configure(json.readTree(INGRESS.formatted(ENDPOINT.formatted("fastpath-0", 41001) + ","
                + ENDPOINT.formatted("fastpath-2", 41003))))).isTrue();
        for (int i = 0; i < 300; i++) {
            FlowKey flow = new FlowKey(100, FlowKey.UDP, HOST + i, REMOTE, 40001 + i, 53);
            assertThat(policy.onMiss(new Miss(1, flow, ByteBuffer.allocate(0))).rules().getFirst().actions())
                    .doesNotContain(new Action.SetNextHop(Ipv4Addresses.parse("127.0.0.1"), 41002));
        }

        // When the ingress has no endpoint (not wired yet), Then the rule drops
        policy.configure(json.readTree(INGRESS.formatted("")));
        assertThat(policy.onMiss(new Miss(1, new FlowKey(100, FlowKey.UDP, HOST, REMOTE, 1, 53),
                ByteBuffer.allocate(0))).rules().getFirst().actions()).containsExactly(new Action.Count(),
                        new Action.Drop());
    }

    @Test
    void dropsUntilConfiguredAndRefusesAConfigWithoutNextHop() {
        MirrorPolicy policy = new MirrorPolicy();
        assertThat(policy.onMiss(new Miss(1, new FlowKey(1, FlowKey.UDP, HOST, REMOTE, 1, 2), ByteBuffer.allocate(0)))
                .isDrop()).isTrue();
        assertThatThrownBy(() -> policy.configure(json.readTree("{\"nextHop\":\"nowhere\"}")))
                .isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void theRuntimeFindsThePolicyByItsType() {
        assertThat(VnfPolicies.load("mirror")).isInstanceOf(MirrorPolicy.class);
    }

    @Test
    void thePackageDeclaresTheMirrorTypeItsRolesAndASchemaThatAgreesWithThePolicy() throws Exception {
        // Given
        byte[] csar = PackagedCsars.load("vnf-mirror");

        // When
        VnfPackage pkg = CsarReader.read(csar);
        ConfigSchema schema = ConfigSchema.of(pkg, csar);

        // Then
        assertThat(pkg.vnfType()).isEqualTo(MirrorPolicy.VNF_TYPE);
        assertThat(pkg.vdus()).extracting(Vdu::id, Vdu::role, Vdu::initialInstances)
                .containsExactly(tuple("slowpath", VduRole.SLOWPATH, 1), tuple("fastpath", VduRole.FASTPATH, 1));
        assertThat(schema.violations(json.readTree("{\"nextHop\":\"127.0.0.1:40001\"}"))).isEmpty();
        assertThat(schema.violations(json.readTree("{\"nextHop\":\"nowhere\"}"))).isNotEmpty();
        assertThat(schema.violations(json.readTree("{}"))).isNotEmpty();
        assertThat(schema.violations(json.readTree(INGRESS.formatted(ENDPOINT.formatted("fastpath-0", 41001)))))
                .isEmpty();
        assertThat(schema.violations(json.readTree(INGRESS.formatted("")))).isEmpty();
        assertThat(schema.violations(json.readTree(INGRESS.formatted(ENDPOINT.formatted("", 41001))))).isNotEmpty();
        assertThat(schema.violations(json.readTree(INGRESS.replace("rendezvous-v1", "maglev").formatted(""))))
                .isNotEmpty();
    }
}
