package io.isthmus.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.isthmus.e2e.Commands.Result;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * Issue 14: a service chain ordered through the SOL005 API carries real applications. The demo's NSD
 * (deploy/demo/nat444-chain-nsd.yaml) puts a tenant's NAT behind a carrier-grade NAT, joined by a virtual link; the
 * NFVO instantiates both (two fastpaths each) and wires the link: each NAT's linked next hop is the ingress the other
 * publishes. {@code ./nfv lab up} builds the VPC before the first NAT and the router after the last; unmodified
 * programs then run through both: traceroute sees each NAT as a hop, curl downloads byte for byte, and a TCP stream
 * crosses a heal that replaces a fastpath of the tenant's NAT (the CGN follows its new ingress) unbroken. A chained VNF
 * scaled under streams: WebTierChainEndToEndIT. Needs root.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceChainEndToEndIT {

    private static final String VPC = "isthmus-vpc";
    private static final String SERVER = "203.0.113.130";
    private static final String TENANT_PUBLIC = "100.64.0.10";
    private static final String CGN_PUBLIC = "203.0.113.10";

    static Platform platform;
    static Path runDir;
    static String alice;
    static String nsId;

    @BeforeAll
    static void orderTheChainAndBuildTheLab() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "the VPC lab needs root (network namespaces, VXLAN devices): run ./nfv test as root");
        platform = new Platform().start();
        runDir = platform.root.resolve("e2e/target/chain-run");
        alice = NatGatewayEndToEndIT.token("alice");

        Catalog.onboard(platform, "vnf-nat");
        Catalog.nsd(platform, alice, Files.readString(platform.root.resolve("deploy/demo/nat444-chain-nsd.yaml")));
        nsId = nfvo(alice).contentType(ContentType.JSON).body(Map.of("nsdId", "nat444", "nsName", "chain"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        long start = System.nanoTime();
        String location = nfvo(alice).contentType(ContentType.JSON)
                .body(Files.readString(platform.root.resolve("deploy/demo/instantiate-nat444.json")))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                .header("Location");
        NatLabEndToEndIT.awaitNsOpAs(alice, platform, location);
        System.out.printf("chain e2e: 2-NAT chain instantiated and wired in %d ms%n",
                (System.nanoTime() - start) / 1_000_000);

        Result lab = Commands.nfv(platform, runDir, "lab", "up", nsId);
        assertThat(lab.exit()).as("./nfv lab up:\n%s", lab.output()).isZero();
        assertThat(lab.output()).contains("a chain");
    }

    @AfterAll
    static void takeTheLabDownAndTerminate() {
        if (platform == null) {
            return;
        }
        try {
            NatLabEndToEndIT.labDownAndTerminate(platform, runDir, NatGatewayEndToEndIT.token("alice"), nsId);
        } finally {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void theNsShowsItsLinkAndEachNatSendsToTheIngressTheOtherPublishes() {
        JsonPath ns = nfvo(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().jsonPath();
        assertThat(ns.getList("virtualLinkInfo.id")).containsExactly("shared");
        assertThat(ns.getList("virtualLinkInfo[0].linkPort.id")).containsExactly("tenant-nat.outside", "cgn.inside");
        String tenantNat = ns.getString("virtualLinkInfo[0].linkPort[0].nsCpHandle[0].vnfInstanceId");
        String cgn = ns.getString("virtualLinkInfo[0].linkPort[1].nsCpHandle[0].vnfInstanceId");

        Map<String, Object> cgnIngress = ingress(ns, cgn, "inside");
        Map<String, Object> tenantIngress = ingress(ns, tenantNat, "outside");
        assertThat((List<?>) cgnIngress.get("endpoints")).hasSize(2);
        assertThat((List<?>) tenantIngress.get("endpoints")).hasSize(2);
        assertThat(config(ns, tenantNat)).containsEntry("outsideNextHop", cgnIngress)
                .containsEntry("insideNextHop", "198.51.100.2:4789");
        assertThat(config(ns, cgn)).containsEntry("insideNextHop", tenantIngress)
                .containsEntry("outsideNextHop", "198.51.100.6:4789");
    }

    @Test
    @Order(2)
    void tracerouteSeesBothNatsInOrderAndCurlDownloadsThroughThem() throws Exception {
        Result ping = inVpc("ping", "-c", "3", "-W", "3", SERVER);
        assertThat(ping.exit()).as(ping.output()).isZero();
        assertThat(ping.output()).contains("3 received");

        // hop 1 is the tenant's NAT, hop 2 the CGN (its ICMP error to the shared address translated back by the
        // tenant's NAT), then the router and the server
        Result traceroute = inVpc("traceroute", "-n", "-w", "2", "-q", "1", "-m", "6", SERVER);
        assertThat(traceroute.exit()).as(traceroute.output()).isZero();
        assertThat(traceroute.output()).containsPattern("(?m)^ 1  " + TENANT_PUBLIC.replace(".", "\\."))
                .containsPattern("(?m)^ 2  " + CGN_PUBLIC.replace(".", "\\."))
                .containsPattern("(?m)^ 3  203\\.0\\.113\\.1 ").containsPattern("(?m)^ 4  203\\.0\\.113\\.130 ");

        Path download = runDir.resolve("download.bin");
        Result big = inVpc("curl", "-sS", "--fail-with-body", "-m", "60", "-o", download.toString(),
                "http://" + SERVER + "/16MiB.bin");
        assertThat(big.exit()).as(big.output()).isZero();
        assertThat(Files.mismatch(download, runDir.resolve("lab/www/16MiB.bin"))).isEqualTo(-1);
    }

    @Test
    @Order(3)
    void theTenantsNatHealedByReplacingAFastpathUnderAStreamIsFollowedByTheCgn() throws Exception {
        // Given a 10 s iperf3 stream through both NATs
        Path report = runDir.resolve("iperf3-heal.json");
        Process iperf = new ProcessBuilder("ip", "netns", "exec", VPC, "iperf3", "-c", SERVER, "-t", "10", "-J")
                .redirectErrorStream(true).redirectOutput(report.toFile()).start();
        await("iperf3 connected").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> inVpc("ss", "-Htn", "state", "established", "dst", SERVER + ":5201").output().lines()
                        .count() >= 2);
        JsonPath ns = nfvo(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().jsonPath();
        String tenantNat = ns.getString("virtualLinkInfo[0].linkPort[0].nsCpHandle[0].vnfInstanceId");
        String cgn = ns.getString("virtualLinkInfo[0].linkPort[1].nsCpHandle[0].vnfInstanceId");
        Map<String, Object> before = ingress(ns, tenantNat, "outside");

        // When the tenant heals the tenant NAT's first fastpath by replacing it (a new process on a new port)
        String heal = nfvo(alice).contentType(ContentType.JSON)
                .body(Map.of("healVnfData", List.of(Map.of("vnfInstanceId", tenantNat, "cause", "replace",
                        "additionalParams", Map.of("vnfcInstanceId", List.of("fastpath-0"), "healMode", "REPLACE")))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/heal").then().statusCode(202).extract().header("Location");
        NatLabEndToEndIT.awaitNsOpAs(alice, platform, heal);

        // Then the CGN sends to the tenant NAT's new ingress: fastpath-0 at its new address
        ns = nfvo(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().jsonPath();
        Map<String, Object> after = ingress(ns, tenantNat, "outside");
        assertThat(after).isNotEqualTo(before);
        assertThat(config(ns, cgn)).containsEntry("insideNextHop", after);
        // and the stream ran to its end
        assertThat(iperf.waitFor(60, TimeUnit.SECONDS)).isTrue();
        JsonPath result = JsonPath.from(Files.readString(report));
        assertThat(result.getString("error")).as(Files.readString(report)).isNull();
        assertThat(result.getDouble("end.sum_received.seconds")).isGreaterThanOrEqualTo(9.5);
        Result page = inVpc("curl", "-sS", "--fail-with-body", "-m", "10", "http://" + SERVER + "/");
        assertThat(page.exit()).as(page.output()).isZero();
    }

    private static Map<String, Object> ingress(JsonPath ns, String vnfId, String cp) {
        return ns.getMap("vnfInstance.find { it.id == '" + vnfId + "' }.instantiatedVnfInfo.extCpInfo.find { it.id == '"
                + cp + "' }.metadata.ingress");
    }

    private static Map<String, Object> config(JsonPath ns, String vnfId) {
        return ns.getMap("vnfInstance.find { it.id == '" + vnfId + "' }.vnfConfigurableProperties");
    }

    static RequestSpecification nfvo(String token) {
        return given().baseUri(platform.url("nfvo")).auth().oauth2(token).header("Version", "2.0.0");
    }

    static Result inVpc(String... command) {
        return Commands.inNamespace(VPC, command);
    }
}
