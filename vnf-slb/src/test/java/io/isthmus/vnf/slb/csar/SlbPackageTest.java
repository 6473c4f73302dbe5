package io.isthmus.vnf.slb.csar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.vnf.catalog.ConfigSchema;
import io.isthmus.vnf.catalog.CsarReader;
import io.isthmus.vnf.catalog.ExtCp;
import io.isthmus.vnf.catalog.InstantiationLevel;
import io.isthmus.vnf.catalog.PackagedCsars;
import io.isthmus.vnf.catalog.Vdu;
import io.isthmus.vnf.catalog.VduRole;
import io.isthmus.vnf.catalog.VnfPackage;
import io.isthmus.vnf.slb.SlbConfig;
import io.isthmus.vnf.slb.SlbPolicy;

/** The load balancer's VNF package, as the build makes it from src/main/csar, against docs/slb.md. */
class SlbPackageTest {

    /** docs/slb.md's example, with the next hops the NFVO fills in. */
    private static final String EXAMPLE = """
            {"frontendVni":300,"backendVni":100,"localAddresses":["10.20.0.250"],
             "frontendNextHop":"198.18.3.2:4789","backendNextHop":"198.18.3.6:4789",
             "listeners":[{"name":"web","vip":"172.16.9.10","protocol":"tcp","port":80,"backendGroup":"web"}],
             "backendGroups":[{"name":"web",
               "healthCheck":{"type":"http","path":"/","intervalMs":500,"timeoutMs":400,"rise":2,"fall":2},
               "backends":[{"address":"10.20.0.11","port":80},{"address":"10.20.0.12","port":80,"weight":2},
                           {"address":"10.20.0.13","port":80}]}]}""";

    private final ObjectMapper json = new ObjectMapper();
    private final byte[] csar = PackagedCsars.load("vnf-slb");
    private final VnfPackage pkg = CsarReader.read(csar);

    @Test
    void packageDeclaresTheLoadBalancerTypeASlowpathAndScalableFastpaths() {
        assertThat(pkg.vnfdId()).isEqualTo("isthmus-slb-1.0");
        assertThat(pkg.vnfType()).isEqualTo(SlbPolicy.VNF_TYPE);
        assertThat(pkg.productName()).isEqualTo("isthmus-slb");
        assertThat(pkg.vdus()).extracting(Vdu::id, Vdu::role, Vdu::minInstances, Vdu::maxInstances)
                .containsExactly(tuple("slowpath", VduRole.SLOWPATH, 1, 1), tuple("fastpath", VduRole.FASTPATH, 1, 4));
        assertThat(pkg.instantiationLevels()).extracting(InstantiationLevel::id, InstantiationLevel::vduInstances)
                .containsExactly(tuple("small", Map.of("slowpath", 1, "fastpath", 1)),
                        tuple("default", Map.of("slowpath", 1, "fastpath", 2)),
                        tuple("large", Map.of("slowpath", 1, "fastpath", 4)));
    }

    @Test
    void frontendAndBackendAreConnectionPointsWhoseNextHopsTheNfvoFillsIn() {
        assertThat(pkg.extCps()).extracting(ExtCp::id, ExtCp::nextHopParam)
                .containsExactly(tuple("frontend", "frontendNextHop"), tuple("backend", "backendNextHop"));
    }

    @Test
    void theSchemaAcceptsWhatThePolicyAcceptsEveryFieldIncluded() throws Exception {
        ObjectNode config = (ObjectNode) json.readTree(EXAMPLE);
        assertThat(ConfigSchema.of(pkg, csar).violations(config)).isEmpty();
        assertThat(SlbConfig.from(config).groups().get("web").backends()).hasSize(3);

        ObjectNode every = (ObjectNode) json.readTree(EXAMPLE.replace("\"backendGroup\":\"web\"}", """
                "backendGroup":"web","portEnd":81,"persistence":"source-address","onBackendFailure":"drop"}""")
                .replace("{\"address\":\"10.20.0.13\",\"port\":80}", """
                        {"address":"10.20.0.13","port":0,"weight":0,"healthCheckAddress":"10.30.0.13",
                         "healthCheckPort":8080,"maxConnections":100,"drain":true}""")
                .replace("\"rise\":2,", "\"rise\":2,\"host\":\"www.example\",\"expectedStatus\":\"200-299\","));
        ((ObjectNode) every.get("backendGroups").get(0)).put("tableSize", 251);
        assertThat(ConfigSchema.of(pkg, csar).violations(every)).isEmpty();
        SlbConfig parsed = SlbConfig.from(every);
        assertThat(parsed.listeners().getFirst().persistence()).isTrue();
        assertThat(parsed.groups().get("web").check().statusMax()).isEqualTo(299);

        every.set("backendNextHop", json.readTree("""
                {"hash":"rendezvous-v1","endpoints":[{"vnfcId":"fastpath-0","address":"127.0.0.1:41001"},
                 {"vnfcId":"fastpath-1","address":"127.0.0.1:41002"}]}"""));
        every.set("frontendNextHop", json.readTree("{\"hash\":\"rendezvous-v1\",\"endpoints\":[]}"));
        assertThat(ConfigSchema.of(pkg, csar).violations(every)).isEmpty();
        assertThat(SlbConfig.from(every).backendNextHop().addresses()).hasSize(2);
    }

    @Test
    void theSchemaRefusesWhatThePolicyRefuses() throws Exception {
        ConfigSchema schema = ConfigSchema.of(pkg, csar);
        for (String[] change : new String[][]{{"frontendVni", "16777216"}, {"backendNextHop", "\"127.0.0.1\""},
                {"backendNextHop", "{\"hash\":\"maglev\",\"endpoints\":[]}"},
                {"frontendNextHop", "{\"hash\":\"rendezvous-v1\",\"endpoints\":[{\"vnfcId\":\"f\"}]}"},
                {"localAddresses", "[]"}, {"localAddresses", "[\"127.0.0.9\"]"}, {"listeners", "[]"},
                {"listeners", "[{\"name\":\"web\",\"vip\":\"172.16.9.10\",\"protocol\":\"sctp\",\"port\":80,"
                        + "\"backendGroup\":\"web\"}]"},
                {"listeners", "[{\"name\":\"web\",\"vip\":\"172.16.9.10\",\"protocol\":\"tcp\",\"port\":0,"
                        + "\"backendGroup\":\"web\"}]"},
                {"listeners", "[{\"name\":\"w b\",\"vip\":\"172.16.9.10\",\"protocol\":\"tcp\",\"port\":80,"
                        + "\"backendGroup\":\"web\"}]"},
                {"backendGroups", "[{\"name\":\"web\",\"tableSize\":2,\"backends\":[]}]"},
                {"backendGroups", "[{\"name\":\"web\",\"backends\":[{\"address\":\"10.20.0.11\",\"weight\":-1}]}]"},
                {"backendGroups", "[{\"name\":\"web\",\"backends\":[{\"address\":\"10.20.0.11\",\"wieght\":1}]}]"},
                {"backendGroups", "[{\"name\":\"web\",\"healthCheck\":{\"type\":\"icmp\"},\"backends\":[]}]"},
                {"backendGroups", "[{\"name\":\"web\",\"healthCheck\":{\"type\":\"tcp\",\"rise\":0},"
                        + "\"backends\":[]}]"}}) {
            ObjectNode config = (ObjectNode) json.readTree(EXAMPLE);
            config.set(change[0], json.readTree(change[1]));

            assertThat(schema.violations(config)).as(change[0] + "=" + change[1]).isNotEmpty();
            if (!change[1].contains("wieght")) {
                // the slowpath ignores unknown fields; the schema, which the VNFM applies first, refuses them
                assertThatThrownBy(() -> SlbConfig.from(config)).as(change[0] + "=" + change[1])
                        .isInstanceOf(InvalidConfigException.class);
            }
        }
    }
}
