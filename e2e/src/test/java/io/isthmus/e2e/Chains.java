package io.isthmus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.isthmus.e2e.Commands.Result;
import io.restassured.path.json.JsonPath;

/**
 * What the end-to-end tests of service chains share: a chain read from the NS view (SOL005 NsInstance, as the NFVO
 * shows its links, its VNFs' next hops and ingress), and the chain's network built by its lab script.
 */
final class Chains {

    private Chains() {
    }

    /** The VNF instance of a VNF profile, from the ports of the NS's links (SOL005 virtualLinkInfo); null if none. */
    static String vnfOf(JsonPath ns, String profile) {
        return ns.getString("virtualLinkInfo.linkPort.flatten().find { it.id.startsWith('" + profile + ".') }"
                + ".nsCpHandle[0].vnfInstanceId");
    }

    /** The JSON path of a VNF profile's VnfInstance in the NS view. */
    static String vnf(JsonPath ns, String profile) {
        return "vnfInstance.find { it.id == '" + vnfOf(ns, profile) + "' }";
    }

    /** The ingress a VNF profile's VNF publishes for connection point {@code cp}. */
    static Map<String, Object> ingress(JsonPath ns, String profile, String cp) {
        return ns.getMap(vnf(ns, profile) + ".instantiatedVnfInfo.extCpInfo.find { it.id == '" + cp
                + "' }.metadata.ingress");
    }

    /** A VNF profile's VNF's configuration, its next hops with it. */
    static Map<String, Object> config(JsonPath ns, String profile) {
        return ns.getMap(vnf(ns, profile) + ".vnfConfigurableProperties");
    }

    /**
     * A VNF profile's data-plane counters in the NS view ({@code metadata.counters}, as the NFVO last read them) count
     * packets and bytes; an AssertionError, which an await retries, while the NFVO has read none yet.
     */
    static void assertCarriedTraffic(JsonPath ns, String profile) {
        Map<String, Object> counters = ns.getMap(vnf(ns, profile) + ".metadata.counters");
        assertThat(counters).as("%s's counters in the NS view", profile).isNotNull();
        for (String counter : List.of("packets", "bytes")) {
            assertThat(counters.get(counter)).as("%s's %s", profile, counter).isInstanceOf(Number.class);
            assertThat(((Number) counters.get(counter)).longValue()).as("%s's %s", profile, counter).isPositive();
        }
    }

    /** The data ports of a profile's fastpaths, in VNFC index order, comma-separated. */
    static String dataPorts(JsonPath ns, String profile) {
        List<Map<String, Object>> vnfcs = ns.getList(vnf(ns, profile) + ".instantiatedVnfInfo.vnfcResourceInfo");
        return vnfcs.stream().filter(v -> "fastpath".equals(v.get("vduId")))
                .sorted(Comparator.comparingInt(v -> Integer.parseInt(((String) v.get("id")).replaceAll("\\D", ""))))
                .map(v -> String.valueOf(NatGatewayEndToEndIT.port(v, "dataPort")))
                .collect(Collectors.joining(","));
    }

    /** e2e/src/test/resources/{@code script} with these arguments (up|down ...), which must succeed. */
    static void lab(Platform platform, String script, String... args) {
        List<String> command = new ArrayList<>(
                List.of("bash", platform.root.resolve("e2e/src/test/resources").resolve(script).toString()));
        command.addAll(List.of(args));
        Result lab = Commands.run(command.toArray(String[]::new));
        assertThat(lab.exit()).as("%s %s:\n%s", script, String.join(" ", args), lab.output()).isZero();
    }
}
