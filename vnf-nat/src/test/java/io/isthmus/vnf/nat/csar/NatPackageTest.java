package io.isthmus.vnf.nat.csar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.vnf.catalog.ConfigSchema;
import io.isthmus.vnf.catalog.CsarReader;
import io.isthmus.vnf.catalog.ExtCp;
import io.isthmus.vnf.catalog.InstantiationLevel;
import io.isthmus.vnf.catalog.InvalidScaleLevelException;
import io.isthmus.vnf.catalog.PackagedCsars;
import io.isthmus.vnf.catalog.Vdu;
import io.isthmus.vnf.catalog.VduRole;
import io.isthmus.vnf.catalog.VnfPackage;
import io.isthmus.vnf.nat.NatConfig;
import io.isthmus.vnf.nat.NatPolicy;

/** The NAT's VNF package, as the build makes it from src/main/csar, against docs/contracts.md. */
class NatPackageTest {

    private static final String CONTRACT_EXAMPLE = """
            {"publicAddress":"203.0.113.10","portRangeStart":20000,"portRangeEnd":29999,
             "insideVni":100,"outsideVni":200,
             "insideNextHop":"127.0.0.1:40002","outsideNextHop":"127.0.0.1:40001"}""";

    private final ObjectMapper json = new ObjectMapper();
    private final byte[] csar = PackagedCsars.load("vnf-nat");
    private final VnfPackage pkg = CsarReader.read(csar);

    @Test
    void packageCarriesTheIdentityOfTheContractAndDeclaresTheNatType() {
        assertThat(pkg.vnfdId()).isEqualTo("isthmus-nat-1.0");
        assertThat(pkg.vnfType()).isEqualTo(NatPolicy.VNF_TYPE);
        assertThat(pkg.provider()).isEqualTo("Isthmus");
        assertThat(pkg.productName()).isEqualTo("isthmus-nat");
        assertThat(pkg.flavourId()).isEqualTo("default");
        assertThat(pkg.manifest().vnfPackageVersion()).isEqualTo("1.0");
        assertThat(pkg.artifacts()).extracting(a -> a.path()).containsExactlyInAnyOrder("TOSCA-Metadata/TOSCA.meta",
                "Definitions/isthmus_nat_vnfd.yaml", "Definitions/isthmus_nat_config.schema.json",
                "Definitions/etsi_nfv_sol001_common_types.yaml", "Definitions/etsi_nfv_sol001_vnfd_types.yaml",
                "Licenses/ETSI-SOL001-TYPES.txt", "isthmus-nat.mf");
    }

    @Test
    void oneSlowpathAndTwoFastpathsAtTheDefaultLevelEachWithItsDeclaredRole() {
        assertThat(pkg.vdus()).extracting(Vdu::id, Vdu::role, Vdu::vcpus, Vdu::memoryMb, Vdu::initialInstances)
                .containsExactly(tuple("slowpath", VduRole.SLOWPATH, 1, 512, 1),
                        tuple("fastpath", VduRole.FASTPATH, 1, 256, 2));
    }

    @Test
    void fastpathsScaleByOneFromOneToFourAndTheSlowpathDoesNot() {
        assertThat(pkg.scalingAspects()).singleElement().satisfies(aspect -> {
            assertThat(aspect.id()).isEqualTo("fastpath");
            assertThat(aspect.maxScaleLevel()).isEqualTo(3);
            assertThat(aspect.vduStepDeltas()).containsExactly(entry("fastpath", List.of(1, 1, 1)));
        });
        assertThat(pkg.vdus()).extracting(Vdu::id, Vdu::initialDelta, Vdu::minInstances, Vdu::maxInstances)
                .containsExactly(tuple("slowpath", 1, 1, 1), tuple("fastpath", 1, 1, 4));
        for (int level = 0; level <= 3; level++) {
            assertThat(pkg.vduInstances(Map.of("fastpath", level))).as("scale level " + level)
                    .containsExactly(entry("slowpath", 1), entry("fastpath", 1 + level));
        }
        assertThatThrownBy(() -> pkg.vduInstances(Map.of("fastpath", 4)))
                .isInstanceOf(InvalidScaleLevelException.class);
    }

    @Test
    void instantiationLevelsSmallDefaultAndLargeHaveOneTwoAndFourFastpaths() {
        assertThat(pkg.instantiationLevels())
                .extracting(InstantiationLevel::id, InstantiationLevel::aspectScaleLevels,
                        InstantiationLevel::vduInstances)
                .containsExactly(tuple("small", Map.of("fastpath", 0), Map.of("slowpath", 1, "fastpath", 1)),
                        tuple("default", Map.of("fastpath", 1), Map.of("slowpath", 1, "fastpath", 2)),
                        tuple("large", Map.of("fastpath", 3), Map.of("slowpath", 1, "fastpath", 4)));
        assertThat(pkg.defaultInstantiationLevel()).map(InstantiationLevel::id).hasValue("default");
        assertThat(pkg.initialScaleLevels(null)).containsExactly(entry("fastpath", 1));
        assertThat(pkg.maxScaleLevels()).containsExactly(entry("fastpath", 3));
    }

    @Test
    void insideAndOutsideAreConnectionPointsWhoseNextHopsTheNfvoFillsIn() {
        assertThat(pkg.extCps()).extracting(ExtCp::id, ExtCp::nextHopParam)
                .containsExactly(tuple("inside", "insideNextHop"), tuple("outside", "outsideNextHop"));
    }

    @Test
    void theSchemaAcceptsWhatThePolicyAccepts() throws Exception {
        // Given
        ObjectNode config = (ObjectNode) json.readTree(CONTRACT_EXAMPLE);

        // Then
        assertThat(ConfigSchema.of(pkg, csar).violations(config)).isEmpty();
        assertThat(NatConfig.from(config).portCount()).isEqualTo(10000);
    }

    @Test
    void theSchemaAcceptsEveryFieldThePolicyAccepts() throws Exception {
        ObjectNode config = (ObjectNode) json.readTree(CONTRACT_EXAMPLE.replace("\"publicAddress\":\"203.0.113.10\"",
                "\"publicAddresses\":[\"203.0.113.10\",\"203.0.113.11\"]"));
        config.setAll((ObjectNode) json.readTree("""
                {"filtering":"endpoint-independent","portBlockSize":128,"maxSessions":100000,
                 "maxSessionsPerHost":1000,"udpTimeout":120,"tcpEstablishedTimeout":7440,
                 "tcpTransitoryTimeout":240,"icmpTimeout":60,
                 "outsideNextHop":{"hash":"rendezvous-v1","endpoints":[
                  {"vnfcId":"fastpath-0","address":"127.0.0.1:41001"},
                  {"vnfcId":"fastpath-1","address":"127.0.0.1:41002"}]},
                 "insideNextHop":{"hash":"rendezvous-v1","endpoints":[]},
                 "portForwards":[{"protocol":"tcp","publicAddress":"203.0.113.11","publicPort":443,
                  "insideAddress":"10.0.0.80","insidePort":8443}]}"""));

        assertThat(ConfigSchema.of(pkg, csar).violations(config)).isEmpty();
        assertThat(NatConfig.from(config).publicAddresses()).hasSize(2);
    }

    @Test
    void theSchemaRefusesWhatThePolicyRefuses() throws Exception {
        ConfigSchema schema = ConfigSchema.of(pkg, csar);
        for (String[] change : new String[][]{{"publicAddress", "\"203.0.113\""}, {"publicAddress", "\"127.0.0.1\""},
                {"portRangeStart", "0"}, {"insideVni", "16777216"}, {"outsideNextHop", "\"127.0.0.1\""},
                {"insideNextHop", "7"},
                {"outsideNextHop", "{\"hash\":\"maglev\",\"endpoints\":[]}"},
                {"outsideNextHop", "{\"hash\":\"rendezvous-v1\"}"},
                {"outsideNextHop", "{\"hash\":\"rendezvous-v1\",\"endpoints\":[{\"vnfcId\":\"\","
                        + "\"address\":\"127.0.0.1:41001\"}]}"},
                {"outsideNextHop", "{\"hash\":\"rendezvous-v1\",\"endpoints\":[{\"vnfcId\":\"f\","
                        + "\"address\":\"127.0.0.1\"}]}"},
                {"publicAddresses", "[\"203.0.113.10\"]"}, {"portBlockSize", "0"},
                {"filtering", "\"full-cone\""}, {"udpTimeout", "119"}, {"tcpEstablishedTimeout", "7439"},
                {"tcpTransitoryTimeout", "239"}, {"icmpTimeout", "59"}, {"maxSessions", "0"},
                {"maxSessionsPerHost", "16777217"},
                {"portForwards", "[{\"protocol\":\"sctp\",\"publicPort\":1,\"insideAddress\":\"10.0.0.8\","
                        + "\"insidePort\":1}]"},
                {"portForwards", "[{\"protocol\":\"tcp\",\"publicPort\":0,\"insideAddress\":\"10.0.0.8\","
                        + "\"insidePort\":1}]"},
                {"portForwards", "[{\"protocol\":\"tcp\",\"publicPort\":1,\"insideAddress\":\"10.0.0.8\"}]"}}) {
            ObjectNode config = (ObjectNode) json.readTree(CONTRACT_EXAMPLE);
            config.set(change[0], json.readTree(change[1]));

            assertThat(schema.violations(config)).as(change[0] + "=" + change[1]).isNotEmpty();
            assertThatThrownBy(() -> NatConfig.from(config)).as(change[0] + "=" + change[1])
                    .isInstanceOf(InvalidConfigException.class);
        }
        ObjectNode missing = (ObjectNode) json.readTree(CONTRACT_EXAMPLE);
        missing.remove("publicAddress");
        assertThat(schema.violations(missing)).anySatisfy(v -> assertThat(v).contains("publicAddresses"));
    }
}
