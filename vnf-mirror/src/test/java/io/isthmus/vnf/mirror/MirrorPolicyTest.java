package io.isthmus.vnf.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.fastpath.control.Action;
import io.isthmus.fastpath.control.FlowKey;
import io.isthmus.fastpath.control.Ipv4Addresses;
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
    }
}
