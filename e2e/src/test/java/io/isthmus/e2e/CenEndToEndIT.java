package io.isthmus.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.isthmus.e2e.Commands.Result;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * Issue 13: a cloud enterprise network (CEN) ordered through the SOL005 API joins two VPCs of the tenant and an
 * external router. The demo's request (deploy/demo/instantiate-cen.json) with a third attachment: a router that speaks
 * BGP — BIRD 2, run in the router's underlay namespace, its data side the lab's namespace of the router attachment.
 * {@code ./nfv lab up} builds a namespace per attachment (isthmus-a1: 10.0.0.5 on VNI 100, isthmus-a2: 10.1.0.5 on VNI
 * 300, isthmus-a3: the router on VNI 400), each tunnelled to every fastpath. Then: ping and curl between the VPCs, and
 * the CEN's ICMP errors (net unreachable, time exceeded); a
 * VPC of another tenant with the same CIDRs, on a VNI the CEN does not attach, reaches nothing and is reached by
 * nothing; a blackhole route the tenant adds drops and its removal restores; a prefix BIRD announces is reachable and,
 * withdrawn by BIRD, leaves every fastpath; a fastpath killed under a ping stream is healed and loads the route tables
 * again. Needs root and bird2 ({@code .ci/run} installs it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CenEndToEndIT {

    private static final Path BIRD = Path.of("/usr/sbin/bird");
    private static final Path BIRDC = Path.of("/usr/sbin/birdc");
    private static final String VPC1 = "isthmus-a1";
    private static final String VPC2 = "isthmus-a2";
    private static final String ROUTER = "isthmus-a3";
    /** The router's underlay namespace: its endpoint address, where BIRD runs. */
    private static final String ROUTER_UNDERLAY = "isthmus-ula3";
    /** Another tenant's VPC, with the second VPC's CIDR, on a VNI the CEN does not attach. */
    private static final String STRANGER = "isthmus-a9";
    private static final String HOST1 = "10.0.0.5";
    private static final String HOST2 = "10.1.0.5";
    private static final String ROUTER_ENDPOINT = "198.51.100.10";
    /** The CEN's own address (the demo's routerAddress): the source of its ICMP errors. */
    private static final String CEN_ADDRESS = "10.255.255.1";
    private static final String ANNOUNCED = "172.20.0.0/24";
    private static final String ANNOUNCED_HOST = "172.20.0.1";
    private static final int STRANGER_VNI = 500;
    private static final Pattern LOSS = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Platform platform;
    static Path runDir;
    static String alice;
    static String nsId;
    static String vnfId;
    static String stats;
    static ObjectNode config;
    static Process bird;
    static final List<Process> servers = new ArrayList<>();

    @BeforeAll
    static void orderACenJoiningTwoVpcsAndARouterAndBuildTheLab() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "the VPC lab needs root (network namespaces, VXLAN devices): run ./nfv test as root");
        assumeTrue(Files.isExecutable(BIRD) && Files.isExecutable(BIRDC),
                "needs BIRD 2 (apt-get install bird2): .ci/run installs it");
        platform = new Platform().start();
        runDir = platform.root.resolve("e2e/target/lab-run");
        alice = NatGatewayEndToEndIT.token("alice");

        Catalog.onboard(platform, "vnf-cen");
        String nsd = Files.readString(platform.root.resolve("deploy/demo/cen-nsd.yaml"));
        Catalog.nsd(platform, alice, withRouter(nsd));
        nsId = nfvo(alice).contentType(ContentType.JSON)
                .body(Map.of("nsdId", "cen-two-vpcs-and-a-router", "nsName", "network"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        ObjectNode request = (ObjectNode) JSON
                .readTree(Files.readString(platform.root.resolve("deploy/demo/instantiate-cen.json")));
        ((ObjectNode) request.path("additionalParamsForNs").path("endpoints")).put("router",
                ROUTER_ENDPOINT + ":4789");
        config = (ObjectNode) request.path("additionalParamsForVnf").get(0).path("additionalParams");
        ObjectNode router = ((ArrayNode) config.path("attachments")).addObject();
        router.put("name", "router").put("kind", "router").put("vni", 400).put("connectionPoint", "attachment3");
        router.putObject("bgp").put("peerAddress", ROUTER_ENDPOINT).put("peerAs", 65010).put("localAs",
                4_200_000_001L);
        for (JsonNode table : config.path("routeTables")) {
            ((ArrayNode) table.path("associations")).add("router");
            ((ArrayNode) table.path("propagations")).add("router");
        }
        String location = nfvo(alice).contentType(ContentType.JSON).body(request.toString())
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                .header("Location");
        NatLabEndToEndIT.awaitNsOpAs(alice, platform, location);
        JsonPath ns = nfvo(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().jsonPath();
        vnfId = ns.getString("vnfInstance[0].id");
        List<Map<String, Object>> vnfcs = ns.getList("vnfInstance[0].instantiatedVnfInfo.vnfcResourceInfo");
        Map<String, Object> slowpath = vnfcs.stream().filter(v -> "slowpath".equals(v.get("vduId"))).findFirst()
                .orElseThrow();
        stats = "http://127.0.0.1:" + NatGatewayEndToEndIT.port(slowpath, "configPort") + "/stats";

        Result lab = nfv("lab", "up", nsId);
        assertThat(lab.exit()).as("./nfv lab up:\n%s", lab.output()).isZero();
        Commands.run("ip", "-n", ROUTER, "addr", "add", ANNOUNCED_HOST + "/32", "dev", "lo");
        startBird();
        Path www1 = Files.createDirectories(runDir.resolve("cen-www1"));
        Files.writeString(www1.resolve("who.txt"), "vpc1 of acme\n");
        Path www2 = Files.createDirectories(runDir.resolve("cen-www2"));
        Files.writeString(www2.resolve("who.txt"), "vpc2 of acme\n");
        servers.add(VpnEndToEndIT.httpServer(VPC1, HOST1, www1));
        servers.add(VpnEndToEndIT.httpServer(VPC2, HOST2, www2));
    }

    @AfterAll
    static void takeEverythingDown() throws Exception {
        if (platform == null) {
            return;
        }
        try {
            VpnEndToEndIT.stop(bird);
            servers.forEach(VpnEndToEndIT::stop);
            Commands.run("ip", "netns", "del", STRANGER);
            NatLabEndToEndIT.labDownAndTerminate(platform, runDir, alice, nsId);
        } finally {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void theTwoVpcsReachEachOtherThroughTheCenWithPingAndCurl() {
        Result ping = Commands.inNamespace(VPC1, "ping", "-c", "3", "-i", "0.2", "-W", "2", HOST2);
        assertThat(ping.exit()).as(ping.output()).isZero();
        Result back = Commands.inNamespace(VPC2, "ping", "-c", "3", "-i", "0.2", "-W", "2", HOST1);
        assertThat(back.exit()).as(back.output()).isZero();
        // one hop: the CEN decrements the TTL
        assertThat(ping.output()).contains("ttl=63");

        Result page = Commands.inNamespace(VPC1, "curl", "-sS", "--fail-with-body", "-m", "10",
                "http://" + HOST2 + ":8080/who.txt");
        assertThat(page.exit()).as(page.output()).isZero();
        assertThat(page.output()).contains("vpc2 of acme");
        Result other = Commands.inNamespace(VPC2, "curl", "-sS", "--fail-with-body", "-m", "10",
                "http://" + HOST1 + ":8080/who.txt");
        assertThat(other.output()).contains("vpc1 of acme");
        assertThat(routeTables().path("liveVersion").asLong()).isEqualTo(routeTables().path("version").asLong());

        // a destination no route covers: net unreachable from the CEN; a TTL that runs out: time exceeded
        Result unreachable = Commands.inNamespace(VPC1, "ping", "-c", "1", "-W", "2", "10.9.9.9");
        assertThat(unreachable.output()).contains("From " + CEN_ADDRESS).contains("Destination Net Unreachable");
        Result expired = Commands.inNamespace(VPC1, "ping", "-c", "1", "-t", "1", "-W", "2", HOST2);
        assertThat(expired.output()).contains("From " + CEN_ADDRESS).containsIgnoringCase("Time to live exceeded");
    }

    @Test
    @Order(2)
    void anotherTenantsVpcWithTheSameCidrsOnAVniTheCenDoesNotAttachReachesNothingAndIsReachedByNothing()
            throws Exception {
        // Given a VPC of another tenant, 10.1.0.5 like the tenant's second VPC, tunnelled to the same fastpaths
        buildStranger();
        Path www = Files.createDirectories(runDir.resolve("cen-www9"));
        Files.writeString(www.resolve("who.txt"), "a stranger's host\n");
        servers.add(VpnEndToEndIT.httpServer(STRANGER, HOST2, www));

        // Then it reaches none of the tenant's hosts
        Result ping = Commands.inNamespace(STRANGER, "ping", "-c", "3", "-i", "0.2", "-W", "1", HOST1);
        assertThat(ping.exit()).as(ping.output()).isNotZero();
        assertThat(received(ping.output())).isZero();
        // and the tenant's 10.1.0.5 is the tenant's own, every time
        for (int i = 0; i < 5; i++) {
            Result page = Commands.inNamespace(VPC1, "curl", "-sS", "--fail-with-body", "-m", "10",
                    "http://" + HOST2 + ":8080/who.txt");
            assertThat(page.output()).contains("vpc2 of acme").doesNotContain("stranger");
        }
    }

    @Test
    @Order(3)
    void aBlackholeRouteTheTenantAddsDropsAndItsRemovalRestores() {
        // When the tenant adds a blackhole for its second VPC's lower half (live once the operation completes)
        ObjectNode table = (ObjectNode) config.path("routeTables").get(0).deepCopy();
        table.putArray("staticRoutes").addObject().put("prefix", "10.1.0.0/25").put("blackhole", true);
        modifyRouteTables(table);
        long blackholedBefore = fastpathCounter("blackholed");

        // Then 10.1.0.5 is unreachable, and the fastpaths count the drops
        Result ping = Commands.inNamespace(VPC1, "ping", "-c", "3", "-i", "0.2", "-W", "1", HOST2);
        assertThat(received(ping.output())).as(ping.output()).isZero();
        await("blackholed counted").atMost(Duration.ofSeconds(10)).until(
                () -> fastpathCounter("blackholed") >= blackholedBefore + 3);

        // When it removes the blackhole, the VPC is reachable again
        modifyRouteTables((ObjectNode) config.path("routeTables").get(0));
        Result again = Commands.inNamespace(VPC1, "ping", "-c", "3", "-i", "0.2", "-W", "2", HOST2);
        assertThat(again.exit()).as(again.output()).isZero();
    }

    @Test
    @Order(4)
    void aPrefixBirdAnnouncesIsReachableAndWithdrawnByBirdLeavesEveryFastpath() {
        // BIRD's 172.20.0.0/24 reaches the CEN over BGP and every fastpath routes it to the router
        await("BGP session and the announced route").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Commands.inNamespace(VPC1, "ping", "-c", "1", "-W", "1", ANNOUNCED_HOST).exit() == 0);
        int routesWith = awaitEveryFastpathAtTheLiveVersion();
        // the CEN advertises the VPCs' CIDRs to BIRD
        assertThat(birdc("show", "route", "protocol", "cen")).contains("10.0.0.0/24", "10.1.0.0/24");

        // When BIRD withdraws it
        assertThat(birdc("disable", "announced")).contains("disabled");

        // Then it leaves every fastpath: one route fewer in each, at the live version, and the prefix unreachable
        await("the withdrawal in every fastpath").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> awaitEveryFastpathAtTheLiveVersion() == routesWith - 1);
        Result ping = Commands.inNamespace(VPC1, "ping", "-c", "2", "-i", "0.2", "-W", "1", ANNOUNCED_HOST);
        assertThat(received(ping.output())).as(ping.output()).isZero();

        // and it comes back when BIRD announces it again
        assertThat(birdc("enable", "announced")).contains("enabled");
        await("announced again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> Commands.inNamespace(VPC1, "ping", "-c", "1", "-W", "1", ANNOUNCED_HOST).exit() == 0);
    }

    @Test
    @Order(5)
    void aFastpathKilledUnderAPingStreamIsHealedAndLoadsTheRouteTablesAgain() throws Exception {
        int routes = awaitEveryFastpathAtTheLiveVersion();
        Path report = runDir.resolve("cen-heal-ping.txt");
        Process ping = new ProcessBuilder(Commands.namespace(VPC1, "ping", "-c", "200", "-i", "0.05", "-W", "1",
                HOST2)).redirectErrorStream(true).redirectOutput(report.toFile()).start();
        try {
            JsonPath vnf = vnfm(alice).get("/vnflcm/v2/vnf_instances/" + vnfId).then().statusCode(200).extract()
                    .jsonPath();
            long pid = VnfLifecycleEndToEndIT.pidOf(vnf, "fastpath-1");
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            // the tenant heals it through the NS (the VNFC named in additionalParams.vnfcInstanceId)
            String heal = nfvo(alice).contentType(ContentType.JSON)
                    .body(Map.of("healVnfData", List.of(Map.of("vnfInstanceId", vnfId, "cause", "killed",
                            "additionalParams", Map.of("vnfcInstanceId", List.of("fastpath-1"))))))
                    .post("/nslcm/v2/ns_instances/" + nsId + "/heal").then().statusCode(202).extract()
                    .header("Location");
            NatLabEndToEndIT.awaitNsOpAs(alice, platform, heal);
            // the healed fastpath is back with every route, at the version every other one runs
            await("the healed fastpath's route tables").atMost(Duration.ofSeconds(30))
                    .until(() -> awaitEveryFastpathAtTheLiveVersion() == routes
                            && routeTables().path("fastpaths").size() == 2);
            assertThat(ping.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            ping.destroyForcibly();
        }
        String output = Files.readString(report);
        assertThat(received(output)).as(output).isPositive();
        // a new flow after the heal goes through, whichever fastpath it is hashed to
        for (int i = 0; i < 4; i++) {
            Result page = Commands.inNamespace(VPC1, "curl", "-sS", "--fail-with-body", "-m", "10",
                    "http://" + HOST2 + ":8080/who.txt");
            assertThat(page.output()).as(page.output()).contains("vpc2 of acme");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The demo's NSD with a third SAP, the router, on the CEN's third connection point. */
    static String withRouter(String nsd) {
        String named = nsd.replace("descriptor_id: cen-two-vpcs", "descriptor_id: cen-two-vpcs-and-a-router")
                .replace("invariant_id: cen-two-vpcs", "invariant_id: cen-two-vpcs-and-a-router");
        String required = named.replaceFirst("(\\n(\\s+)- attachment2: vpc2)", "$1\n$2- attachment3: router");
        assertThat(required).as("the demo NSD's requirements").contains("- attachment3: router");
        return required + "\n    router:\n      type: tosca.nodes.nfv.Sap\n";
    }

    /** The tenant changes the route table (MODIFY_VNF_INFORMATION); COMPLETED means live in every fastpath. */
    static void modifyRouteTables(ObjectNode table) {
        ArrayNode tables = JSON.createArrayNode().add(table);
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("vnfInstanceId", vnfId);
        change.put("vnfConfigurableProperties", Map.of("routeTables", JSON.convertValue(tables, List.class)));
        String location = nfvo(alice).contentType(ContentType.JSON)
                .body(Map.of("updateType", "MODIFY_VNF_INFORMATION", "modifyVnfInfoData", List.of(change)))
                .post("/nslcm/v2/ns_instances/" + nsId + "/update").then().statusCode(202).extract()
                .header("Location");
        NatLabEndToEndIT.awaitNsOpAs(alice, platform, location);
    }

    static JsonNode routeTables() {
        return slowpathStats().path("routeTables");
    }

    /** The CEN slowpath's {@code GET /stats}. */
    static JsonNode slowpathStats() {
        try {
            return JSON.readTree(given().get(stats).then().statusCode(200).extract().asString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until every fastpath runs the slowpath's version, and returns the routes each holds (the same in each).
     */
    static int awaitEveryFastpathAtTheLiveVersion() {
        int[] routes = new int[1];
        await("every fastpath at the slowpath's version").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
                    JsonNode tables = routeTables();
                    long version = tables.path("version").asLong();
                    assertThat(tables.path("fastpaths").size()).isPositive();
                    List<Integer> counts = new ArrayList<>();
                    tables.path("fastpaths").forEach(f -> {
                        assertThat(f.path("version").asLong()).isEqualTo(version);
                        counts.add(f.path("routes").asInt());
                    });
                    assertThat(counts).as("routes per fastpath").containsOnly(counts.get(0));
                    routes[0] = counts.get(0);
                });
        return routes[0];
    }

    static long fastpathCounter(String name) {
        long sum = 0;
        for (JsonNode f : slowpathStats().path("fastpaths")) {
            sum += f.path(name).asLong();
        }
        return sum;
    }

    static int received(String pingOutput) {
        Matcher m = LOSS.matcher(pingOutput);
        return m.find() ? Integer.parseInt(m.group(2)) : 0;
    }

    /** Another tenant's VPC: 10.1.0.5/24 on VNI 500, tunnelled from the second VPC's underlay to every fastpath. */
    static void buildStranger() {
        JsonPath vnf = vnfm(alice).get("/vnflcm/v2/vnf_instances/" + vnfId).then().statusCode(200).extract()
                .jsonPath();
        List<Integer> ports = vnf.getList(
                "instantiatedVnfInfo.vnfcResourceInfo.findAll { it.vduId == 'fastpath' }.metadata.dataPort");
        run("ip", "netns", "add", STRANGER);
        run("ip", "-n", STRANGER, "link", "set", "lo", "up");
        for (int i = 0; i < ports.size(); i++) {
            String dev = "vs" + i;
            run("ip", "-n", "isthmus-ula2", "link", "add", dev, "address", "02:00:00:00:0a:09", "type", "vxlan", "id",
                    String.valueOf(STRANGER_VNI), "dstport", String.valueOf(14_789 + i), "nolearning", "dev",
                    "isl-a21");
            run("ip", "-n", "isthmus-ula2", "link", "set", dev, "netns", STRANGER);
            run("ip", "netns", "exec", STRANGER, "bridge", "fdb", "append", "00:00:00:00:00:00", "dev", dev, "dst",
                    "198.18.1.2", "port", String.valueOf(ports.get(i)), "self", "permanent");
            run("ip", "-n", STRANGER, "link", "set", dev, "up");
            run("ip", "-n", STRANGER, "neigh", "replace", "10.1.0.1", "lladdr", "02:00:00:00:0a:01", "dev", dev,
                    "nud", "permanent");
        }
        run("ip", "-n", STRANGER, "addr", "add", HOST2 + "/24", "dev", "vs0");
        run("ip", "-n", STRANGER, "route", "replace", "default", "via", "10.1.0.1", "onlink", "dev", "vs0");
    }

    static void run(String... command) {
        Result result = Commands.run(command);
        assertThat(result.exit()).as("%s:\n%s", String.join(" ", command), result.output()).isZero();
    }

    static void startBird() throws Exception {
        Path dir = Files.createDirectories(runDir.resolve("bird"));
        Files.writeString(dir.resolve("bird.conf"), """
                router id %1$s;
                log "%2$s" all;
                protocol device {}
                protocol static announced {
                  ipv4;
                  route %3$s blackhole;
                }
                protocol bgp cen {
                  local %1$s as 65010;
                  neighbor 198.18.1.3 as 4200000001;
                  passive on;
                  multihop;
                  ipv4 { import all; export all; };
                }
                """.formatted(ROUTER_ENDPOINT, dir.resolve("bird.log"), ANNOUNCED));
        bird = new ProcessBuilder(Commands.namespace(ROUTER_UNDERLAY, BIRD.toString(), "-f", "-c",
                dir.resolve("bird.conf").toString(), "-s", dir.resolve("bird.ctl").toString(), "-P",
                dir.resolve("bird.pid").toString())).redirectErrorStream(true)
                .redirectOutput(dir.resolve("bird.out").toFile()).start();
        await("BIRD up").atMost(Duration.ofSeconds(30)).until(() -> birdc("show", "status").contains("up and running"));
    }

    static String birdc(String... command) {
        List<String> line = new ArrayList<>(List.of(BIRDC.toString(), "-s",
                runDir.resolve("bird").resolve("bird.ctl").toString()));
        line.addAll(List.of(command));
        return Commands.run(line.toArray(String[]::new)).output();
    }

    static RequestSpecification nfvo(String token) {
        return given().baseUri(platform.url("nfvo")).auth().oauth2(token).header("Version", "2.0.0");
    }

    static RequestSpecification vnfm(String token) {
        return given().baseUri(platform.url("vnfm")).auth().oauth2(token).header("Version", "2.0.0");
    }

    static Result nfv(String... args) {
        return Commands.nfv(platform, runDir, args);
    }
}
