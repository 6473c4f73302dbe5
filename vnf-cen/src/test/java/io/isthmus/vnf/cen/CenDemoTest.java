package io.isthmus.vnf.cen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.TableRoute;
import io.isthmus.slowpath.policy.VniBinding;
import io.isthmus.vnf.catalog.ConfigSchema;
import io.isthmus.vnf.catalog.CsarReader;
import io.isthmus.vnf.catalog.ExtCp;
import io.isthmus.vnf.catalog.PackagedCsars;
import io.isthmus.vnf.catalog.VnfPackage;

/**
 * The demo's order (deploy/demo/cen-nsd.yaml, instantiate-cen.json) against the package: the NSD attaches connection
 * points the VNFD has, and the request, with the next hops filled in as the NFVO does (each attached connection
 * point's {@code isthmus.next_hop} key gets its SAP's endpoint), is a configuration the schema and the policy take.
 */
class CenDemoTest {

    private static final Path DEMO = Path.of("..", "deploy", "demo");

    private final ObjectMapper json = new ObjectMapper();
    private final byte[] csar = PackagedCsars.load("vnf-cen");
    private final VnfPackage pkg = CsarReader.read(csar);

    @Test
    @SuppressWarnings("unchecked")
    void theDemoOrderConnectsTwoVpcsThroughOneRouteTable() throws Exception {
        Map<String, Object> nsd = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(DEMO.resolve("cen-nsd.yaml")));
        Map<String, Object> templates = (Map<String, Object>) ((Map<String, Object>) nsd.get("topology_template"))
                .get("node_templates");
        Map<String, Object> cen = (Map<String, Object>) templates.get("cen");
        assertThat(((Map<String, Object>) cen.get("properties")).get("descriptor_id")).isEqualTo(pkg.vnfdId());
        Map<String, String> attached = new LinkedHashMap<>();
        ((List<Map<String, String>>) cen.get("requirements")).forEach(attached::putAll);
        Map<String, String> keys = new LinkedHashMap<>();
        pkg.extCps().forEach(cp -> keys.put(cp.id(), cp.nextHopParam()));
        assertThat(keys).containsKeys(attached.keySet().toArray(String[]::new));
        assertThat(pkg.extCps()).extracting(ExtCp::id).contains("attachment1", "attachment2");

        JsonNode request = json.readTree(Files.readString(DEMO.resolve("instantiate-cen.json")));
        ObjectNode config = (ObjectNode) request.at("/additionalParamsForVnf/0/additionalParams");
        JsonNode endpoints = request.at("/additionalParamsForNs/endpoints");
        attached.forEach((cp, sap) -> config.put(keys.get(cp), endpoints.get(sap).asText()));

        assertThat(ConfigSchema.of(pkg, csar).violations(config)).isEmpty();
        CenPolicy policy = new CenPolicy(java.time.Clock.systemUTC(), context -> BgpSessions.NONE);
        Reconfiguration r = policy.reconfigure(config);
        assertThat(r.installs()).containsExactlyInAnyOrder(
                CenPolicyTest.route(1, "10.0.0.0/24",
                        new TableRoute.NextHop(100, CenPolicyTest.ip("198.51.100.2"), 4789)),
                CenPolicyTest.route(1, "10.1.0.0/24",
                        new TableRoute.NextHop(300, CenPolicyTest.ip("198.51.100.6"), 4789)),
                new VniBinding(100, 1), new VniBinding(300, 1));
    }
}
