package io.isthmus.e2e;

import static io.isthmus.e2e.Chains.config;
import static io.isthmus.e2e.Chains.dataPorts;
import static io.isthmus.e2e.Chains.ingress;
import static io.isthmus.e2e.Chains.vnf;
import static io.isthmus.e2e.Chains.vnfOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.isthmus.e2e.Commands.Result;
import io.isthmus.e2e.bench.lab.NginxBackend;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Issue 14: a service chain of three kinds of function ordered through SOL005 carries real applications. The demo's
 * NSD (deploy/demo/web-tier-nsd.yaml) puts a load balancer in front of servers in a VPC that a cloud enterprise network
 * routes to, with a NAT between them that hides the load balancer's addresses behind one; the servers reach the
 * internet through the CEN and a second NAT. Three virtual links join them, and the NFVO wires them all. The NS's
 * endpoints are namespaces with kernel VXLAN tunnels (src/test/resources/web-tier-lab.sh): the clients before the load
 * balancer, the servers' VPC behind the CEN, a router and a server after the last NAT. curl and nginx through the load
 * balancer, its NAT and the CEN; traceroute and curl through the CEN and the NAT; two iperf3 streams across a scale out
 * and in of the CEN (both neighbours follow its ingress); the load balancer's NAT taken out of the running chain and
 * another put back in, under an iperf3 stream that does not cross it; each hop's counters in the NS view; a CEN
 * fastpath killed, which the NFVO's chain watch takes out of its neighbours' next hops by itself. Needs root.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebTierChainEndToEndIT {

    private static final String CLIENTS = "isthmus-wt-client";
    private static final String SERVERS = "isthmus-wt-servers";
    private static final String INTERNET = "isthmus-wt-internet";
    private static final String VIP = "172.16.9.10";
    private static final List<String> BACKENDS = List.of("10.20.0.11", "10.20.0.12", "10.20.0.13");
    private static final String LB_LOCAL = "10.30.0.250";
    private static final String LB_NAT_PUBLIC = "10.31.0.10";
    private static final String CEN_ROUTER = "10.255.255.1";
    private static final String NAT_PUBLIC = "203.0.113.10";
    private static final String INTERNET_SERVER = "203.0.113.130";

    static Platform platform;
    static Path runDir;
    static String alice;
    static String nsId;
    static final List<Process> servers = new ArrayList<>();

    @BeforeAll
    static void orderTheWebTierAndBuildItsNetwork() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "the chain's network needs root (network namespaces, VXLAN devices): run ./nfv test as root");
        platform = new Platform();
        runDir = platform.root.resolve("e2e/target/web-tier-run");
        lab("down");
        Platform.deleteRecursively(runDir);
        Files.createDirectories(runDir);
        platform.start();
        alice = NatGatewayEndToEndIT.token("alice");

        // the operator on-boards the three VNF packages and gives the tenant room for four VNFs (3 vCPUs each, and
        // one more fastpath) over the default quota of 8; the tenant uploads the demo's NSD and orders it
        given().baseUri(platform.url("vim")).auth().oauth2(NatGatewayEndToEndIT.token("oscar"))
                .contentType(ContentType.JSON).body(Map.of("vcpusLimit", 16, "memoryMbLimit", 32768))
                .put("/vim/v1/quotas/acme").then().statusCode(200);
        for (String module : List.of("vnf-slb", "vnf-cen", "vnf-nat")) {
            Catalog.onboard(platform, module);
        }
        Catalog.nsd(platform, alice, Files.readString(platform.root.resolve("deploy/demo/web-tier-nsd.yaml")));
        nsId = nfvo().contentType(ContentType.JSON).body(Map.of("nsdId", "web-tier", "nsName", "web"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        long start = System.nanoTime();
        awaitNsOp(nfvo().contentType(ContentType.JSON)
                .body(Files.readString(platform.root.resolve("deploy/demo/instantiate-web-tier.json")))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate"));
        System.out.printf("web tier e2e: load balancer, two NATs and a CEN instantiated and wired in %d ms%n",
                (System.nanoTime() - start) / 1_000_000);

        JsonPath ns = ns();
        lab("up", dataPorts(ns, "lb"), dataPorts(ns, "cen"), dataPorts(ns, "nat"));
        for (String backend : BACKENDS) {
            startNginx(SERVERS, backend);
        }
        startNginx(INTERNET, INTERNET_SERVER);
        startIperf3(SERVERS, BACKENDS.getFirst());
        startIperf3(INTERNET, INTERNET_SERVER);
    }

    @AfterAll
    static void takeTheNetworkDownAndTerminate() {
        if (platform == null) {
            return;
        }
        try {
            servers.forEach(Process::destroy);
            lab("down");
            assertThat(Commands.run("ip", "netns", "list").output()).doesNotContain("isthmus-wt-");
            if (nsId != null) {
                awaitNsOp(nfvo().contentType(ContentType.JSON).body("{}")
                        .post("/nslcm/v2/ns_instances/" + nsId + "/terminate"));
            }
        } finally {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void theNsShowsItsLinksAndEachEndSendsToTheIngressTheOtherEndPublishes() {
        JsonPath ns = ns();
        assertThat(ns.getList("virtualLinkInfo.id")).containsExactlyInAnyOrder("lb-side", "cen-side", "nat-link");
        assertThat(ns.getList("virtualLinkInfo.find { it.id == 'lb-side' }.linkPort.id"))
                .containsExactlyInAnyOrder("lb.backend", "lb-nat.inside");
        assertThat(ns.getList("virtualLinkInfo.find { it.id == 'cen-side' }.linkPort.id"))
                .containsExactlyInAnyOrder("lb-nat.outside", "cen.attachment1");
        assertThat(ns.getList("virtualLinkInfo.find { it.id == 'nat-link' }.linkPort.id"))
                .containsExactlyInAnyOrder("cen.attachment3", "nat.inside");

        assertThat(config(ns, "lb")).containsEntry("backendNextHop", ingress(ns, "lb-nat", "inside"))
                .containsEntry("frontendNextHop", "198.18.4.2:4789");
        assertThat(config(ns, "lb-nat")).containsEntry("insideNextHop", ingress(ns, "lb", "backend"))
                .containsEntry("outsideNextHop", ingress(ns, "cen", "attachment1"));
        assertThat(config(ns, "cen")).containsEntry("attachment1NextHop", ingress(ns, "lb-nat", "outside"))
                .containsEntry("attachment2NextHop", "198.18.4.6:4789")
                .containsEntry("attachment3NextHop", ingress(ns, "nat", "inside"));
        assertThat(config(ns, "nat")).containsEntry("insideNextHop", ingress(ns, "cen", "attachment3"))
                .containsEntry("outsideNextHop", "198.18.4.10:4789");
        for (String[] end : List.of(new String[]{"lb", "backend"}, new String[]{"lb-nat", "inside"},
                new String[]{"lb-nat", "outside"}, new String[]{"cen", "attachment1"},
                new String[]{"cen", "attachment3"}, new String[]{"nat", "inside"})) {
            assertThat((List<?>) ingress(ns, end[0], end[1]).get("endpoints")).as("%s.%s", end[0], end[1])
                    .hasSize(2);
        }
    }

    @Test
    @Order(2)
    void clientsReachEveryServerThroughTheLoadBalancerItsNatAndTheCen() throws Exception {
        clientsReachEveryServerFrom(LB_NAT_PUBLIC);
    }

    @Test
    @Order(3)
    void serversReachTheInternetThroughTheCenAndTheNatWhichTracerouteSeesInOrder() throws Exception {
        for (String backend : BACKENDS) {
            Result page = Commands.inNamespace(SERVERS, "curl", "-sS", "--fail-with-body", "-m", "5", "--interface",
                    backend, "http://" + INTERNET_SERVER + "/");
            assertThat(page.exit()).as(page.output()).isZero();
            assertThat(page.output()).isEqualTo("backend " + INTERNET_SERVER);
        }
        // the internet saw the NAT's public address only
        assertThat(Files.readAllLines(runDir.resolve("nginx-" + INTERNET_SERVER + "/access.log"))).hasSize(3)
                .allMatch(line -> line.startsWith(NAT_PUBLIC + " "));

        // hop 1 is the CEN (its router address), hop 2 the NAT (its public address), then the server
        Result traceroute = Commands.inNamespace(SERVERS, "traceroute", "-n", "-w", "2", "-q", "1", "-m", "5",
                INTERNET_SERVER);
        assertThat(traceroute.exit()).as(traceroute.output()).isZero();
        assertThat(traceroute.output()).containsPattern("(?m)^ 1  " + CEN_ROUTER.replace(".", "\\."))
                .containsPattern("(?m)^ 2  " + NAT_PUBLIC.replace(".", "\\."))
                .containsPattern("(?m)^ 3  " + INTERNET_SERVER.replace(".", "\\.") + " ");

        // and the NS shows what went through each hop of the chain, from the NFVO's own records
        await("every hop's counters in the NS view").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    JsonPath ns = ns();
                    for (String profile : List.of("lb", "lb-nat", "cen", "nat")) {
                        Chains.assertCarriedTraffic(ns, profile);
                    }
                });
    }

    @Test
    @Order(4)
    void theCenScaledOutAndInUnderStreamsThroughBothSidesBreaksNoneAndItsNeighboursFollowItsIngress()
            throws Exception {
        // Given a 15 s iperf3 stream from a client to the VIP (load balancer, its NAT, CEN, a server) and one from a
        // server to the internet (CEN, NAT)
        LongConnections inbound = LongConnections.stream(runDir, "inbound", CLIENTS, null, VIP, 15);
        LongConnections outbound = LongConnections.stream(runDir, "outbound", SERVERS, BACKENDS.get(1),
                INTERNET_SERVER, 15);

        // When the tenant scales the CEN out by one fastpath: both NATs send to three
        awaitNsOp(scale(vnfOf(ns(), "cen"), "SCALE_OUT"));
        JsonPath ns = ns();
        assertThat((List<?>) ingress(ns, "cen", "attachment1").get("endpoints")).hasSize(3);
        assertThat(config(ns, "lb-nat")).containsEntry("outsideNextHop", ingress(ns, "cen", "attachment1"));
        assertThat(config(ns, "nat")).containsEntry("insideNextHop", ingress(ns, "cen", "attachment3"));
        // and new connections take the new path too
        clientsReachEveryServerFrom(LB_NAT_PUBLIC);

        // and back in by one
        awaitNsOp(scale(vnfOf(ns, "cen"), "SCALE_IN"));
        ns = ns();
        assertThat((List<?>) ingress(ns, "cen", "attachment3").get("endpoints")).hasSize(2);
        assertThat(config(ns, "lb-nat")).containsEntry("outsideNextHop", ingress(ns, "cen", "attachment1"));
        assertThat(config(ns, "nat")).containsEntry("insideNextHop", ingress(ns, "cen", "attachment3"));

        // Then both streams ran to their end
        JsonPath in = inbound.assertUnbroken(null);
        JsonPath out = outbound.assertUnbroken(null);
        System.out.printf("web tier e2e: CEN scaled out and in under a stream through the load balancer (%.1f Mbit/s)"
                + " and one through the NAT (%.1f Mbit/s): neither broken%n",
                in.getDouble("end.sum_received.bits_per_second") / 1e6,
                out.getDouble("end.sum_received.bits_per_second") / 1e6);
    }

    @Test
    @Order(5)
    void theLoadBalancersNatTakenOutOfTheChainIsBypassedAndAStreamThatDoesNotCrossItRunsOn() throws Exception {
        // Given a 10 s iperf3 stream from a server to the internet
        LongConnections outbound = LongConnections.stream(runDir, "remove", SERVERS, BACKENDS.get(2),
                INTERNET_SERVER, 10);
        String lbNat = vnfOf(ns(), "lb-nat");

        // When the tenant removes the load balancer's NAT from the NS (SOL005 update REMOVE_VNF)
        awaitNsOp(nfvo().contentType(ContentType.JSON)
                .body(Map.of("updateType", "REMOVE_VNF", "removeVnfInstanceId", List.of(lbNat)))
                .post("/nslcm/v2/ns_instances/" + nsId + "/update"));

        // Then the load balancer and the CEN send to each other, and the NAT is gone
        JsonPath ns = ns();
        assertThat(ns.getList("vnfInstance.id")).hasSize(3).doesNotContain(lbNat);
        assertThat(config(ns, "lb")).containsEntry("backendNextHop", ingress(ns, "cen", "attachment1"));
        assertThat(config(ns, "cen")).containsEntry("attachment1NextHop", ingress(ns, "lb", "backend"));
        // new connections reach the servers from the load balancer's own address
        clientsReachEveryServerFrom(LB_LOCAL);
        // and the stream that does not cross the removed NAT ran to its end
        outbound.assertUnbroken(null);
    }

    @Test
    @Order(6)
    void aNatOfTheTenantsAddedIntoTheChainIsWiredInAndAStreamThatDoesNotCrossItRunsOn() throws Exception {
        // Given a NAT the tenant made on the VNFM (SOL003), its links not wired, and a 10 s stream to the internet
        Map<String, Object> unwired = Map.of("hash", "rendezvous-v1", "endpoints", List.of());
        String nat = vnfm().contentType(ContentType.JSON)
                .body(Map.of("vnfdId", "isthmus-nat-1.0", "vnfInstanceName", "lb-nat-again"))
                .post("/vnflcm/v2/vnf_instances").then().statusCode(201).extract().path("id");
        String instantiate = vnfm().contentType(ContentType.JSON).body(Map.of("flavourId", "default",
                "additionalParams",
                Map.of("publicAddress", LB_NAT_PUBLIC, "portRangeStart", 20000, "portRangeEnd", 29999, "insideVni",
                        310, "outsideVni", 311, "insideNextHop", unwired, "outsideNextHop", unwired)))
                .post("/vnflcm/v2/vnf_instances/" + nat + "/instantiate").then().statusCode(202).extract()
                .header("Location");
        await("the tenant's NAT instantiated").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> vnfm().get(instantiate.substring(instantiate.indexOf("/vnflcm/"))).then().statusCode(200)
                        .extract().path("operationState"), state -> {
                            assertThat(state).isNotIn("FAILED_TEMP", "FAILED");
                            return "COMPLETED".equals(state);
                        });
        LongConnections outbound = LongConnections.stream(runDir, "add", SERVERS, BACKENDS.get(2), INTERNET_SERVER,
                10);

        // When it joins the NS in the load balancer's NAT's place (SOL005 update ADD_VNF)
        awaitNsOp(nfvo().contentType(ContentType.JSON)
                .body(Map.of("updateType", "ADD_VNF", "addVnfIstance",
                        List.of(Map.of("vnfInstanceId", nat, "vnfProfileId", "lb-nat"))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/update"));

        // Then it is wired between the load balancer and the CEN, and they send to it
        JsonPath ns = ns();
        assertThat(vnfOf(ns, "lb-nat")).isEqualTo(nat);
        assertThat(config(ns, "lb-nat")).containsEntry("insideNextHop", ingress(ns, "lb", "backend"))
                .containsEntry("outsideNextHop", ingress(ns, "cen", "attachment1"));
        assertThat(config(ns, "lb")).containsEntry("backendNextHop", ingress(ns, "lb-nat", "inside"));
        assertThat(config(ns, "cen")).containsEntry("attachment1NextHop", ingress(ns, "lb-nat", "outside"));
        // new connections reach the servers through it
        clientsReachEveryServerFrom(LB_NAT_PUBLIC);
        // and the stream that does not cross it ran to its end
        outbound.assertUnbroken(null);
    }

    @Test
    @Order(7)
    void aCenFastpathThatDiesOutsideAnyOperationIsLeftByItsNeighboursInAnAutomaticHeal() throws Exception {
        // Given the CEN's second fastpath killed (SIGKILL): no NS operation, nobody asked
        JsonPath ns = ns();
        String cen = vnfOf(ns, "cen");
        List<Map<String, Object>> vnfcs = ns.getList(vnf(ns, "cen") + ".instantiatedVnfInfo.vnfcResourceInfo");
        Map<String, Object> fastpath1 = vnfcs.stream().filter(v -> "fastpath-1".equals(v.get("id"))).findFirst()
                .orElseThrow();
        long pid = NatGatewayEndToEndIT.pid(fastpath1).orElseThrow();
        assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();

        // Then the VIM finds it dead, the VNFM takes it out of the CEN's ingress, and the NFVO heals the NS itself:
        // both NATs send to the one fastpath left
        await("the neighbours rewired by an automatic heal").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    JsonPath now = ns();
                    assertThat((List<?>) ingress(now, "cen", "attachment1").get("endpoints")).hasSize(1);
                    assertThat(config(now, "lb-nat")).containsEntry("outsideNextHop",
                            ingress(now, "cen", "attachment1"));
                    assertThat(config(now, "nat")).containsEntry("insideNextHop", ingress(now, "cen", "attachment3"));
                });
        List<Map<String, Object>> automatic = nfvo()
                .queryParam("filter", "(eq,nsInstanceId," + nsId + ");(eq,isAutomaticInvocation,true)")
                .get("/nslcm/v2/ns_lcm_op_occs").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(automatic).isNotEmpty().allSatisfy(op -> assertThat(op).containsEntry("lcmOperationType", "HEAL")
                .containsEntry("operationState", "COMPLETED"));
        assertThat(vnfOf(ns(), "cen")).isEqualTo(cen);

        // and with the servers' vSwitch following the CEN's ingress too (this lab has no follower: the test moves
        // the servers' routes to the live fastpath's device), every new connection reaches its server
        for (String route : List.of("10.30.0.0/15 via 169.254.0.1", "default via 169.254.0.3")) {
            List<String> command = new ArrayList<>(List.of("ip", "-n", SERVERS, "route", "replace"));
            command.addAll(List.of(route.split(" ")));
            command.addAll(List.of("dev", "vx0", "onlink"));
            Result replaced = Commands.run(command.toArray(String[]::new));
            assertThat(replaced.exit()).as(replaced.output()).isZero();
        }
        clientsReachEveryServerFrom(LB_NAT_PUBLIC);
        for (String backend : BACKENDS) {
            Result page = Commands.inNamespace(SERVERS, "curl", "-sS", "--fail-with-body", "-m", "5", "--interface",
                    backend, "http://" + INTERNET_SERVER + "/");
            assertThat(page.exit()).as(page.output()).isZero();
        }
    }

    /**
     * 30 new connections to the VIP, each answered by the backend the load balancer chose behind the CEN, every one of
     * which saw them come from {@code source} (the load balancer's own address, or its NAT's).
     */
    private static void clientsReachEveryServerFrom(String source) throws IOException {
        for (String backend : BACKENDS) {
            Files.writeString(runDir.resolve("nginx-" + backend + "/access.log"), "");
        }
        Map<String, Long> answers = new TreeMap<>();
        for (int i = 0; i < 30; i++) {
            Result page = Commands.inNamespace(CLIENTS, "curl", "-sS", "--fail-with-body", "-m", "5",
                    "http://" + VIP + "/");
            assertThat(page.exit()).as(page.output()).isZero();
            answers.merge(page.output().trim(), 1L, Long::sum);
        }
        assertThat(answers.keySet()).containsExactlyInAnyOrderElementsOf(
                BACKENDS.stream().map(b -> "backend " + b).toList());
        for (String backend : BACKENDS) {
            assertThat(Files.readAllLines(runDir.resolve("nginx-" + backend + "/access.log"))).isNotEmpty()
                    .allMatch(line -> line.startsWith(source + " "));
        }
    }

    private static String scale(String vnfId, String type) {
        return nfvo().contentType(ContentType.JSON)
                .body(Map.of("scaleType", "SCALE_VNF", "scaleVnfData",
                        List.of(Map.of("vnfInstanceid", vnfId, "scaleVnfType", type, "scaleByStepData",
                                Map.of("aspectId", "fastpath", "numberOfSteps", 1)))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/scale").then().statusCode(202).extract().header("Location");
    }

    private static void awaitNsOp(Response accepted) {
        awaitNsOp(accepted.then().statusCode(202).extract().header("Location"));
    }

    private static void awaitNsOp(String location) {
        NatLabEndToEndIT.awaitNsOpAs(alice, platform, location);
    }

    private static JsonPath ns() {
        return nfvo().get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().jsonPath();
    }

    /** An nginx answering {@code backend <address>} on address:80, its access log under the run directory. */
    private static void startNginx(String namespace, String address) throws IOException {
        Path dir = runDir.resolve("nginx-" + address);
        NginxBackend.configure(dir, address, """
                log_format chain '$remote_addr $status';
                    access_log %s/access.log chain;""".formatted(dir));
        servers.add(new ProcessBuilder(Commands.namespace(namespace, NginxBackend.command(dir).toArray(String[]::new)))
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start());
        await("nginx on " + address).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Commands.inNamespace(namespace, "curl", "-sS", "-m", "2", "http://" + address + "/")
                        .output().equals("backend " + address));
        // the readiness probe above is no client's request
        Files.writeString(dir.resolve("access.log"), "");
    }

    private static void startIperf3(String namespace, String address) throws IOException {
        servers.add(new ProcessBuilder(Commands.namespace(namespace, "iperf3", "-s", "-B", address, "-p", "5201"))
                .redirectErrorStream(true).redirectOutput(runDir.resolve("iperf3-" + address + ".log").toFile())
                .start());
    }

    /** src/test/resources/web-tier-lab.sh up|down. */
    private static void lab(String... args) {
        Chains.lab(platform, "web-tier-lab.sh", args);
    }

    private static RequestSpecification nfvo() {
        return given().baseUri(platform.url("nfvo")).auth().oauth2(alice).header("Version", "2.0.0");
    }

    private static RequestSpecification vnfm() {
        return given().baseUri(platform.url("vnfm")).auth().oauth2(alice).header("Version", "2.0.0");
    }
}
