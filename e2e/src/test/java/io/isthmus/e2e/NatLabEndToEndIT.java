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
 * Issue 9: a NAT gateway ordered through the SOL005 API carries real applications. The platform's real processes
 * run the NAT; {@code ./nfv lab up} (the same script a user runs) builds the tenant's VPC and the outside as network
 * namespaces with kernel VXLAN tunnels to the two fastpaths; then unmodified programs from Debian packages run in the
 * VPC: curl (a page and a 16 MiB download, byte for byte), iperf3 (a 10 s TCP stream), ping, TTL-limited pings (the
 * gateway answers hop 1, the router behind it hop 2, translated back), traceroute and turnutils_natdiscovery
 * (RFC 5780: endpoint-independent mapping, and the filtering the NAT's config selects). Needs root; {@code .ci/run}
 * installs the programs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NatLabEndToEndIT {

    private static final String VPC = "isthmus-vpc";
    private static final String SERVER = "203.0.113.130";
    private static final String PUBLIC_IP = "203.0.113.10";

    static Platform platform;
    static Path runDir;
    static String alice;
    static String nsId;
    static Map<String, Object> slowpath;
    static int fastpaths;
    /** The slowpath this test started again (the VIM does not know it, so the test stops it). */
    static Process restarted;

    @BeforeAll
    static void orderANatGatewayAndBuildTheLab() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "the VPC lab needs root (network namespaces, VXLAN devices): run ./nfv test as root");
        platform = new Platform().start();
        runDir = platform.root.resolve("e2e/target/lab-run");
        String operator = NatGatewayEndToEndIT.token("oscar");
        alice = NatGatewayEndToEndIT.token("alice");

        Catalog.onboard(platform, "vnf-nat");
        String nsdInfoId = nfvo(alice).contentType(ContentType.JSON).body("{}").post("/nsd/v2/ns_descriptors").then()
                .statusCode(201).extract().path("id");
        nfvo(alice).contentType(ContentType.TEXT)
                .body(Files.readString(platform.root.resolve("deploy/demo/nat-gateway-nsd.yaml")))
                .put("/nsd/v2/ns_descriptors/" + nsdInfoId + "/nsd_content").then().statusCode(202);
        nsId = nfvo(alice).contentType(ContentType.JSON).body(Map.of("nsdId", "nat-gateway", "nsName", "lab"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        // the demo's request (lab endpoints), with the filtering this test checks RFC 5780 discovery reports
        String request = Files.readString(platform.root.resolve("deploy/demo/instantiate-nat.json"))
                .replace("\"outsideVni\": 200",
                        "\"outsideVni\": 200,\n        \"filtering\": \"endpoint-independent\"");
        assertThat(request).contains("endpoint-independent");
        String location = nfvo(alice).contentType(ContentType.JSON).body(request)
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                .header("Location");
        await("NS instantiated").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            String state = nfvo(alice).get(location.substring(location.indexOf("/nslcm/"))).then().statusCode(200)
                    .extract().path("operationState");
            assertThat(state).isNotIn("FAILED_TEMP", "FAILED");
            return "COMPLETED".equals(state);
        });
        List<Map<String, Object>> vnfcs = nfvo(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200)
                .extract().jsonPath().getList("vnfInstance[0].instantiatedVnfInfo.vnfcResourceInfo");
        slowpath = vnfcs.stream().filter(v -> "slowpath".equals(v.get("vduId"))).findFirst().orElseThrow();
        fastpaths = (int) vnfcs.stream().filter(v -> "fastpath".equals(v.get("vduId"))).count();
        assertThat(fastpaths).isEqualTo(2);

        Result lab = nfv("lab", "up", nsId);
        assertThat(lab.exit()).as("./nfv lab up:\n%s", lab.output()).isZero();
    }

    @AfterAll
    static void takeTheLabDownAndTerminate() {
        if (platform == null) {
            return;
        }
        try {
            Result down = nfv("lab", "down");
            assertThat(down.exit()).as("./nfv lab down:\n%s", down.output()).isZero();
            assertThat(Commands.run("ip", "netns", "list").output()).doesNotContain("isthmus-");
            String termination = nfvo(alice).contentType(ContentType.JSON).body("{}")
                    .post("/nslcm/v2/ns_instances/" + nsId + "/terminate").then().statusCode(202).extract()
                    .header("Location");
            await("NS terminated").atMost(Duration.ofSeconds(60)).until(() -> "COMPLETED".equals(nfvo(alice)
                    .get(termination.substring(termination.indexOf("/nslcm/"))).then().extract()
                    .path("operationState")));
        } finally {
            if (restarted != null) {
                restarted.destroy();
            }
            platform.close();
        }
    }

    @Test
    @Order(1)
    void curlFetchesAPageAndA16MiBFileByteForByteThroughTheNat() throws Exception {
        Result page = inVpc("curl", "-sS", "--fail-with-body", "-m", "10", "http://" + SERVER + "/");
        assertThat(page.exit()).as(page.output()).isZero();
        assertThat(page.output()).contains("hello from " + SERVER);

        Path download = runDir.resolve("download.bin");
        Result big = inVpc("curl", "-sS", "--fail-with-body", "-m", "60", "-o", download.toString(),
                "http://" + SERVER + "/16MiB.bin");
        assertThat(big.exit()).as(big.output()).isZero();
        assertThat(Files.mismatch(download, runDir.resolve("lab/www/16MiB.bin"))).isEqualTo(-1);
    }

    @Test
    @Order(2)
    void aTenSecondTcpStreamRunsToItsEnd() {
        Result iperf = inVpc("iperf3", "-c", SERVER, "-t", "10", "-J");
        assertThat(iperf.exit()).as(iperf.output()).isZero();
        JsonPath report = JsonPath.from(iperf.output());
        assertThat(report.getString("error")).isNull();
        assertThat(report.getDouble("end.sum_received.seconds")).isGreaterThanOrEqualTo(9.5);
        assertThat(report.getLong("end.sum_received.bytes")).isPositive();
    }

    @Test
    @Order(3)
    void pingGetsItsRepliesAndTtlLimitedProbesSeeTheGatewayThenTheRouterBehindIt() {
        Result ping = inVpc("ping", "-c", "3", "-W", "3", SERVER);
        assertThat(ping.exit()).as(ping.output()).isZero();
        assertThat(ping.output()).contains("3 received");

        // the NAT itself answers a TTL that runs out on it, from its public address
        Result hop1 = inVpc("ping", "-c", "1", "-W", "3", "-t", "1", SERVER);
        assertThat(hop1.output()).contains("From " + PUBLIC_IP).contains("Time to live exceeded");
        // the router behind it answers hop 2; its ICMP error, sent to the public address, is translated back
        Result hop2 = inVpc("ping", "-c", "1", "-W", "3", "-t", "2", SERVER);
        assertThat(hop2.output()).contains("From 203.0.113.1 ").contains("Time to live exceeded");

        Result traceroute = inVpc("traceroute", "-n", "-w", "2", "-q", "1", "-m", "5", SERVER);
        assertThat(traceroute.exit()).as(traceroute.output()).isZero();
        assertThat(traceroute.output()).containsPattern("(?m)^ 1  " + PUBLIC_IP.replace(".", "\\."))
                .containsPattern("(?m)^ 2  203\\.0\\.113\\.1 ").containsPattern("(?m)^ 3  203\\.0\\.113\\.130 ");
    }

    @Test
    @Order(4)
    void rfc5780DiscoveryReportsEndpointIndependentMappingAndTheFilteringTheConfigSelects() {
        Result discovery = inVpc("turnutils_natdiscovery", "-m", "-f", SERVER);
        assertThat(discovery.output()).as(discovery.output()).contains("NAT with Endpoint Independent Mapping!")
                .contains("NAT with Endpoint Independent Filtering!");
    }

    @Test
    @Order(5)
    void theVpcsFlowsAreSpreadOverBothFastpaths() {
        for (int i = 0; i < 16; i++) {
            Result page = inVpc("curl", "-sS", "--fail-with-body", "-m", "10", "http://" + SERVER + "/");
            assertThat(page.exit()).as(page.output()).isZero();
        }
        String stats = "http://127.0.0.1:" + NatGatewayEndToEndIT.port(slowpath, "configPort") + "/stats";
        List<Number> hits = given().get(stats).then().statusCode(200).extract().jsonPath().getList("fastpaths.hits");
        assertThat(hits).hasSize(fastpaths).allMatch(h -> h.longValue() > 0);
    }

    @Test
    @Order(6)
    void scaleOutAndInThroughTheNsUnderRealTcpConnectionsBreaksNone() throws Exception {
        // Given six downloads of the 16 MiB file at 1 MiB/s and a 25 s iperf3 stream from the VPC
        LongConnections connections = LongConnections.start(runDir, "download", VPC, SERVER, 6, 25);
        String vnfId = nfvo(NatGatewayEndToEndIT.token("alice")).get("/nslcm/v2/ns_instances/" + nsId).then()
                .statusCode(200).extract()
                .path("vnfInstance[0].id");

        // When the tenant scales the NS's VNF out by one fastpath, and the lab (a vSwitch) follows its ingress
        awaitNsOp(nsScale(vnfId, "SCALE_OUT"));
        await("the lab follows the ingress to three fastpaths").atMost(Duration.ofSeconds(15))
                .until(() -> inVpc("ip", "route", "show", "default").output().lines()
                        .filter(l -> l.contains("nexthop")).count() == 3);
        await("traffic through the new fastpath").atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .until(() -> given().get("http://127.0.0.1:" + NatGatewayEndToEndIT.port(slowpath, "configPort")
                        + "/stats").then().extract().jsonPath().getList("fastpaths").size() == 3);

        // and back in by one: the lab leaves the fastpath before the VNFM drains and stops it
        awaitNsOp(nsScale(vnfId, "SCALE_IN"));
        // (whether the follower reads the middle state, fastpath-2 out of the ingress but still running, depends on
        // the drain: a fastpath no connection hashed to is quiet at once and stops within the follower's period)
        await("the lab follows the ingress back to two").atMost(Duration.ofSeconds(15))
                .until(() -> inVpc("ip", "route", "show", "default").output().lines()
                        .filter(l -> l.contains("nexthop")).count() == 2);

        // Then every download ends complete, byte for byte, and the stream runs to its end
        connections.assertUnbroken(runDir.resolve("lab/www/16MiB.bin"));
    }

    static String nsScale(String vnfId, String type) {
        return nfvo(NatGatewayEndToEndIT.token("alice")).contentType(ContentType.JSON).body(Map.of("scaleType",
                "SCALE_VNF", "scaleVnfData",
                List.of(Map.of("vnfInstanceid", vnfId, "scaleVnfType", type, "scaleByStepData",
                        Map.of("aspectId", "fastpath", "numberOfSteps", 1)))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/scale").then().statusCode(202).extract().header("Location");
    }

    static void awaitNsOp(String location) {
        awaitNsOpAs(NatGatewayEndToEndIT.token("alice"), platform, location);
    }

    /** Waits until the NS operation at {@code location} COMPLETED, failing at once if it fails. */
    /**
     * {@code ./nfv lab down} (every namespace of the lab gone), then the tenant of {@code token} terminates the NS and
     * waits until that completes.
     */
    static void labDownAndTerminate(Platform on, Path runDir, String token, String nsId) {
        Result down = Commands.nfv(on, runDir, "lab", "down");
        assertThat(down.exit()).as("./nfv lab down:\n%s", down.output()).isZero();
        assertThat(Commands.run("ip", "netns", "list").output()).doesNotContain("isthmus-");
        String termination = given().baseUri(on.url("nfvo")).auth().oauth2(token).header("Version", "2.0.0")
                .contentType(ContentType.JSON).body("{}").post("/nslcm/v2/ns_instances/" + nsId + "/terminate")
                .then().statusCode(202).extract().header("Location");
        awaitNsOpAs(token, on, termination);
    }

    static void awaitNsOpAs(String token, Platform on, String location) {
        await("NS operation " + location).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    String state = given().baseUri(on.url("nfvo")).auth().oauth2(token).header("Version", "2.0.0")
                            .get(location.substring(location.indexOf("/nslcm/"))).then().statusCode(200).extract()
                            .path("operationState");
                    assertThat(state).isNotIn("FAILED_TEMP", "FAILED");
                    return "COMPLETED".equals(state);
                });
    }

    @Test
    @Order(7)
    void aSlowpathKilledAndStartedAgainUnderARunningIperf3LearnsTheBindingsBackAndBreaksNoConnection()
            throws Exception {
        // Given a 20 s TCP stream through the NAT
        Path report = runDir.resolve("iperf3-restart.json");
        Process iperf = new ProcessBuilder("ip", "netns", "exec", VPC, "iperf3", "-c", SERVER, "-t", "20", "-J")
                .redirectErrorStream(true).redirectOutput(report.toFile()).start();
        // its control and data connections established through the NAT
        await("iperf3 connected").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> inVpc("ss", "-Htn", "state", "established", "dst", SERVER + ":5201").output().lines()
                        .count() >= 2);

        // When the slowpath is killed (SIGKILL) and started again as the VIM started it: same command, environment
        long pid = NatGatewayEndToEndIT.pid(slowpath).orElseThrow();
        List<String> command = List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
        Map<String, String> environment = new java.util.HashMap<>();
        for (String variable : Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0")) {
            int eq = variable.indexOf('=');
            if (eq > 0) {
                environment.put(variable.substring(0, eq), variable.substring(eq + 1));
            }
        }
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).isEmpty()
                || !ProcessHandle.of(pid).get().isAlive());
        ProcessBuilder restart = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(platform.vnfLogs().resolve("slowpath-restarted.log").toFile());
        restart.environment().clear();
        restart.environment().putAll(environment);
        restarted = restart.start();

        // Then the VNFM gives it its configuration again, it learns the fastpaths' rules back, and the stream
        // runs to its end
        String stats = "http://127.0.0.1:" + NatGatewayEndToEndIT.port(slowpath, "configPort") + "/stats";
        await("the restarted slowpath learned the fastpaths' rules").atMost(Duration.ofSeconds(15))
                .ignoreExceptions().untilAsserted(() -> assertThat(given().get(stats).then().statusCode(200)
                        .extract().jsonPath().getLong("learnedRules")).isPositive());
        assertThat(iperf.waitFor(40, TimeUnit.SECONDS)).isTrue();
        JsonPath result = JsonPath.from(Files.readString(report));
        assertThat(result.getString("error")).as(Files.readString(report)).isNull();
        assertThat(iperf.exitValue()).isZero();
        assertThat(result.getDouble("end.sum_received.seconds")).isGreaterThanOrEqualTo(19.5);
        // and new connections are answered again by the new slowpath
        Result page = inVpc("curl", "-sS", "--fail-with-body", "-m", "10", "http://" + SERVER + "/");
        assertThat(page.exit()).as(page.output()).isZero();
    }

    // ---------------------------------------------------------------- helpers

    static RequestSpecification nfvo(String token) {
        return given().baseUri(platform.url("nfvo")).auth().oauth2(token).header("Version", "2.0.0");
    }

    static Result inVpc(String... command) {
        return Commands.inNamespace(VPC, command);
    }

    /** {@code ./nfv} of this repository, pointed at the test's platform, its lab in e2e/target/lab-run. */
    static Result nfv(String... args) {
        return Commands.nfv(platform, runDir, args);
    }
}
