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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
import io.restassured.specification.RequestSpecification;

/**
 * The server load balancer ordered through the SOL005 API carries real clients to real servers (docs/slb.md, "The
 * end-to-end test"). The platform's real processes run the SLB; the test builds the clients' network and the backends'
 * VPC as network namespaces with kernel VXLAN tunnels to the fastpaths (src/test/resources/slb-lab.sh); nginx serves
 * on four backends, iperf3 on two; curl and iperf3 connect to the VIP. New connections spread by weight; a killed
 * backend fails its health check and gets none while clients see no error; a backend added, and one drained, by live
 * changes through the NS leave every established connection running. Needs root; {@code .ci/run} installs the programs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlbEndToEndIT {

    private static final String CLIENTS = "isthmus-slb-client";
    private static final String VPC = "isthmus-slb-vpc";
    private static final String VIP = "172.16.9.10";
    private static final String LOCAL_ADDRESS = "10.20.0.250";
    private static final String FIRST_CLIENT = "172.16.1.5";
    /** A client address that opens no connection before the drain test's. */
    private static final String SECOND_CLIENT = "172.16.1.6";
    private static final List<String> WEB = List.of("10.20.0.11", "10.20.0.12", "10.20.0.13");
    private static final String ADDED = "10.20.0.14";
    /** What one request printed: the page's "backend <address>", then curl's status and new connections. */
    private static final Pattern EXCHANGE = Pattern.compile("(?:backend (\\S+))? (\\d{3}) (\\d+) (\\d+)");
    private static final String WRITE_OUT = " %{http_code} %{num_connects} %{local_port}\\n";

    static Platform platform;
    static Path runDir;
    static String nsId;
    static String vnfId;
    static String stats;
    /** Each backend's nginx master, by address. */
    static final Map<String, Process> nginx = new ConcurrentHashMap<>();
    static final List<Process> iperfServers = new ArrayList<>();

    @BeforeAll
    static void orderALoadBalancerAndBuildItsNetwork() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "the SLB lab needs root (network namespaces, VXLAN devices): run ./nfv test as root");
        platform = new Platform();
        runDir = platform.root.resolve("e2e/target/slb-run");
        lab("down");
        Platform.deleteRecursively(runDir);
        Files.createDirectories(runDir);
        platform.start();

        // the operator on-boards the SLB; the tenant writes an NSD with it between two endpoints and orders it
        Catalog.onboard(platform, "vnf-slb");
        Catalog.nsd(platform, NatGatewayEndToEndIT.token("alice"), Catalog.slbNsd("web-lb", "Web LB"));
        nsId = nfvo().contentType(ContentType.JSON).body(Map.of("nsdId", "web-lb", "nsName", "web"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        // the NFVO instantiates the VNF at its default level: two fastpaths, which the clients reach by ECMP
        awaitNsOp(nfvo().contentType(ContentType.JSON)
                .body(Map.of("nsFlavourId", "default", "additionalParamsForNs",
                        Map.of("endpoints", Map.of("clients", "198.18.3.2:4789", "vpc", "198.18.3.6:4789")),
                        "additionalParamsForVnf",
                        List.of(Map.of("vnfProfileId", "slb", "additionalParams", config(web(Map.of()))))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                .header("Location"));
        JsonPath ns = nfvo().get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().jsonPath();
        vnfId = ns.getString("vnfInstance[0].id");
        List<Map<String, Object>> vnfcs = ns.getList("vnfInstance[0].instantiatedVnfInfo.vnfcResourceInfo");
        Map<String, Object> slowpath = vnfcs.stream().filter(v -> "slowpath".equals(v.get("vduId"))).findFirst()
                .orElseThrow();
        stats = "http://127.0.0.1:" + NatGatewayEndToEndIT.port(slowpath, "configPort") + "/stats";
        List<String> dataPorts = vnfcs.stream().filter(v -> "fastpath".equals(v.get("vduId")))
                .map(v -> String.valueOf(NatGatewayEndToEndIT.port(v, "dataPort"))).toList();
        assertThat(dataPorts).hasSize(2);

        List<String> up = new ArrayList<>(List.of("up"));
        up.addAll(dataPorts);
        lab(up.toArray(String[]::new));
        for (String backend : List.of("10.20.0.11", "10.20.0.12", "10.20.0.13", ADDED)) {
            startNginx(backend);
        }
        for (String backend : List.of("10.20.0.11", "10.20.0.13")) {
            iperfServers.add(new ProcessBuilder(Commands.namespace(VPC, "iperf3", "-s", "-B", backend, "-p", "5201"))
                    .redirectErrorStream(true).redirectOutput(runDir.resolve("iperf3-" + backend + ".log").toFile())
                    .start());
        }
    }

    @AfterAll
    static void takeTheNetworkDownAndTerminate() {
        if (platform == null) {
            return;
        }
        try {
            nginx.values().forEach(SlbEndToEndIT::stop);
            iperfServers.forEach(SlbEndToEndIT::stop);
            lab("down");
            assertThat(Commands.run("ip", "netns", "list").output()).doesNotContain("isthmus-slb-");
            if (nsId != null) {
                String termination = nfvo().contentType(ContentType.JSON).body("{}")
                        .post("/nslcm/v2/ns_instances/" + nsId + "/terminate").then().statusCode(202).extract()
                        .header("Location");
                awaitNsOp(termination);
            }
        } finally {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void newConnectionsSpreadOverTheBackendsByWeight() {
        // Given three backends of weights 1, 2, 1 in the web group's table
        awaitInTable(WEB);
        Map<String, Long> logged = requestsLogged();

        // When 600 requests reach the VIP, each on a new connection
        List<Exchange> exchanges = requests(600);

        // Then every one is answered, and each backend's share is its weight's, give or take 8 points
        assertThat(exchanges).hasSize(600).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.connects()).isEqualTo(1);
        });
        Map<String, Long> perBackend = perBackend(exchanges);
        System.out.printf("SLB e2e weights 1:2:1, 600 new connections: %s%n", perBackend);
        assertThat(perBackend.getOrDefault("10.20.0.11", 0L)).isBetween(102L, 198L);
        assertThat(perBackend.getOrDefault("10.20.0.12", 0L)).isBetween(252L, 348L);
        assertThat(perBackend.getOrDefault("10.20.0.13", 0L)).isBetween(102L, 198L);
        // the backends' own logs say the same: each request came from the load balancer's local address
        Map<String, Long> nowLogged = requestsLogged();
        for (String backend : WEB) {
            assertThat(nowLogged.get(backend) - logged.get(backend)).as("requests logged by %s", backend)
                    .isEqualTo(perBackend.getOrDefault(backend, 0L));
        }
    }

    @Test
    @Order(2)
    void aKilledBackendGetsNoNewConnectionsOnceItsCheckFailsAndClientsSeeNoErrorThenItComesBack() throws Exception {
        // Given the three backends checked healthy
        awaitStates(Map.of("10.20.0.11", "up", "10.20.0.12", "up", "10.20.0.13", "up"));

        // When the nginx of 10.20.0.13 is killed
        stop(nginx.remove("10.20.0.13"));
        awaitStates(Map.of("10.20.0.13", "down"));
        Map<String, Long> logged = requestsLogged();
        List<Exchange> exchanges = requests(200);

        // Then the next 200 requests are all answered, by the other two
        assertThat(exchanges).hasSize(200).allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
        Map<String, Long> perBackend = perBackend(exchanges);
        System.out.printf("SLB e2e 10.20.0.13 down, 200 new connections: %s, errors 0%n", perBackend);
        assertThat(perBackend).doesNotContainKey("10.20.0.13");
        Map<String, Long> nowLogged = requestsLogged();
        assertThat(nowLogged.get("10.20.0.11") - logged.get("10.20.0.11") + nowLogged.get("10.20.0.12")
                - logged.get("10.20.0.12")).isEqualTo(200);

        // and started again, it passes its check and gets new connections again
        startNginx("10.20.0.13");
        awaitStates(Map.of("10.20.0.13", "up"));
        Map<String, Long> again = perBackend(requests(200));
        System.out.printf("SLB e2e 10.20.0.13 back up, 200 new connections: %s%n", again);
        assertThat(again.getOrDefault("10.20.0.13", 0L)).isPositive();
    }

    @Test
    @Order(3)
    void aBackendAddedUnderLongLivedConnectionsBreaksNoneAndGetsNewOnes() throws Exception {
        // Given two 20 s iperf3 streams and four HTTP keep-alive connections, a request every 200 ms, through the VIP
        List<Process> streams = new ArrayList<>();
        for (int port : List.of(5201, 5202)) {
            streams.add(background("iperf3-" + port + ".json", "iperf3", "-c", VIP, "-p", String.valueOf(port), "-t",
                    "20", "-b", "20M", "-J"));
        }
        List<Process> keepAlive = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            keepAlive.add(keepAliveClient("keepalive-" + i + ".out", 100));
        }
        await("the long-lived connections established").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Commands.inNamespace(CLIENTS, "ss", "-Htn", "state", "established", "dst", VIP).output()
                        .lines().count() >= 8);

        // When the tenant adds a fourth backend to the web group through the NS
        modify(web(Map.of(ADDED, Map.of())));
        awaitInTable(List.of(ADDED));

        // Then new connections reach it too
        Map<String, Long> perBackend = perBackend(requests(200));
        System.out.printf("SLB e2e 10.20.0.14 added, 200 new connections: %s%n", perBackend);
        assertThat(perBackend.getOrDefault(ADDED, 0L)).isPositive();

        // and every long-lived connection ran to its end: the streams for their full 20 s, the keep-alive
        // connections' 100 requests each answered on the one connection they opened
        int broken = 0;
        for (int port : List.of(5201, 5202)) {
            Process stream = streams.get(port - 5201);
            assertThat(stream.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String report = Files.readString(runDir.resolve("iperf3-" + port + ".json"));
            JsonPath result = JsonPath.from(report);
            assertThat(result.getString("error")).as(report).isNull();
            assertThat(stream.exitValue()).isZero();
            assertThat(result.getDouble("end.sum_received.seconds")).isGreaterThanOrEqualTo(19.5);
        }
        int answered = 0;
        for (int i = 0; i < keepAlive.size(); i++) {
            List<Exchange> exchanges = finished(keepAlive.get(i), "keepalive-" + i + ".out");
            broken += (int) exchanges.stream().filter(e -> e.status() != 200).count();
            answered += exchanges.size();
            assertThat(exchanges).hasSize(100).allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
            assertThat(exchanges.stream().mapToInt(Exchange::connects).sum()).as("connections opened").isEqualTo(1);
            assertThat(exchanges.stream().map(Exchange::backend).distinct()).hasSize(1);
        }
        System.out.printf("SLB e2e backend added: 2 iperf3 streams of 20 s ended complete, 4 keep-alive connections"
                + " answered %d requests, broken connections %d%n", answered, broken);
    }

    @Test
    @Order(4)
    void aDrainedBackendKeepsItsConnectionAndGetsNoNewOne() throws Exception {
        // Given a slow client's keep-alive connection, a request every 200 ms for 10 s
        Process slow = keepAliveClient("slow.out", 50);
        await("the slow client's first answer").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> !exchanges(Files.readString(runDir.resolve("slow.out"))).isEmpty());
        String drained = exchanges(Files.readString(runDir.resolve("slow.out"))).getFirst().backend();

        // When the tenant drains its backend
        Map<String, Map<String, Object>> backends = new LinkedHashMap<>();
        backends.put(ADDED, Map.of());
        backends.put(drained, Map.of("drain", true));
        modify(web(backends));
        awaitStates(Map.of(drained, "draining"));
        long newConnections = newConnectionsLogged().get(drained);
        long counted = newConnectionsCounted(drained);

        // Then new connections go to the others: the slowpath gives it none, its nginx takes none. They come from a
        // client address that made no connection before. (From the first one, curl would reuse the ports of the ~1,300
        // connections of the tests before, and the lab's client picks a fastpath per connection, not per five-tuple:
        // curl binds with IP_BIND_ADDRESS_NO_PORT, and Linux chooses the multipath route before the port. A SYN that
        // reaches the fastpath which did not carry the closed connection of its five-tuple meets that connection's
        // rule still established there, and goes on to the old backend: docs/slb.md "Connections stay on their
        // backend", the limits.)
        List<Exchange> exchanges = requests(100, SECOND_CLIENT);
        Map<String, Long> perBackend = perBackend(exchanges);
        System.out.printf("SLB e2e %s draining, 100 new connections: %s%n", drained, perBackend);
        String which = "curl's local ports of the connections it took: "
                + exchanges.stream().filter(e -> drained.equals(e.backend())).map(Exchange::port).toList();
        assertThat(newConnectionsCounted(drained)).as(which).isEqualTo(counted);
        assertThat(newConnectionsLogged().get(drained)).as(which).isEqualTo(newConnections);
        assertThat(perBackend).as(which).doesNotContainKey(drained);

        // and the slow client's connection is answered by it to its end
        List<Exchange> slowOnes = finished(slow, "slow.out");
        System.out.printf("SLB e2e drain: the slow client's %d requests on %d connection(s) to %s%n", slowOnes.size(),
                slowOnes.stream().mapToInt(Exchange::connects).sum(), drained);
        assertThat(slowOnes).hasSize(50).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.backend()).isEqualTo(drained);
        });
        assertThat(slowOnes.stream().mapToInt(Exchange::connects).sum()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- the load balancer's configuration

    /** The web group's backends, weights 1, 2, 1, then those of {@code extra} (address → fields added). */
    static List<Map<String, Object>> web(Map<String, Map<String, Object>> extra) {
        List<Map<String, Object>> backends = new ArrayList<>();
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("10.20.0.11", 1);
        weights.put("10.20.0.12", 2);
        weights.put("10.20.0.13", 1);
        extra.keySet().stream().filter(a -> !weights.containsKey(a)).forEach(a -> weights.put(a, 1));
        weights.forEach((address, weight) -> {
            Map<String, Object> backend = new LinkedHashMap<>(Map.of("address", address, "port", 80, "weight", weight));
            backend.putAll(extra.getOrDefault(address, Map.of()));
            backends.add(backend);
        });
        return backends;
    }

    /**
     * Listener web (VIP:80, HTTP-checked backends) and two iperf3 listeners, VIP:5201 and VIP:5202, each to one
     * backend's iperf3 server (iperf3's control and data connections must reach the same server).
     */
    static Map<String, Object> config(List<Map<String, Object>> web) {
        return Map.of("frontendVni", 300, "backendVni", 100, "localAddresses", List.of(LOCAL_ADDRESS), "listeners",
                List.of(listener("web", 80), listener("iperf-a", 5201), listener("iperf-b", 5202)), "backendGroups",
                List.of(Map.of("name", "web", "backends", web, "healthCheck",
                        Map.of("type", "http", "path", "/", "intervalMs", 500, "timeoutMs", 400, "rise", 2, "fall",
                                2)),
                        Map.of("name", "iperf-a", "backends",
                                List.of(Map.of("address", "10.20.0.11", "port", 5201))),
                        Map.of("name", "iperf-b", "backends",
                                List.of(Map.of("address", "10.20.0.13", "port", 5201)))));
    }

    private static Map<String, Object> listener(String name, int port) {
        return Map.of("name", name, "vip", VIP, "protocol", "tcp", "port", port, "backendGroup", name);
    }

    /** A live change: the tenant updates the NS's VNF's configuration (MODIFY_VNF_INFORMATION), merged by the VNFM. */
    static void modify(List<Map<String, Object>> web) {
        awaitNsOp(nfvo().contentType(ContentType.JSON)
                .body(Map.of("updateType", "MODIFY_VNF_INFORMATION", "modifyVnfInfoData",
                        List.of(Map.of("vnfInstanceId", vnfId, "vnfConfigurableProperties",
                                Map.of("backendGroups", config(web).get("backendGroups"))))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/update").then().statusCode(202).extract()
                .header("Location"));
    }

    // ---------------------------------------------------------------- what the slowpath says

    static long newConnectionsCounted(String address) {
        return ((Number) backend(address).get("newConnections")).longValue();
    }

    static void awaitStates(Map<String, String> states) {
        await("backends " + states).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().untilAsserted(() -> states.forEach((address, state) -> assertThat(
                        backend(address).get("state")).as("state of %s", address).isEqualTo(state)));
    }

    /** Awaits the backends having entries in the web group's Maglev table: new connections can reach them. */
    static void awaitInTable(List<String> addresses) {
        await("backends " + addresses + " in the table").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .untilAsserted(() -> addresses.forEach(address -> assertThat(
                        ((Number) backend(address).get("tableEntries")).intValue()).isPositive()));
    }

    static Map<String, Object> backend(String address) {
        List<Map<String, Object>> backends = given().get(stats).then().statusCode(200).extract().jsonPath()
                .getList("indicators.backends");
        return backends.stream().filter(b -> "web".equals(b.get("group")) && address.equals(b.get("address")))
                .findFirst().orElseThrow(() -> new AssertionError("no backend " + address + " in " + backends));
    }

    // ---------------------------------------------------------------- clients and backends

    record Exchange(String backend, int status, int connects, int port) {
    }

    /** {@code n} requests to the VIP from one curl, each on a new connection; what each printed. */
    static List<Exchange> requests(int n) {
        return requests(n, FIRST_CLIENT);
    }

    /** {@code n} requests to the VIP from one curl at client address {@code from}, each on a new connection. */
    static List<Exchange> requests(int n, String from) {
        Result curl = Commands.inNamespace(CLIENTS, "curl", "-sS", "-m", "10", "--interface", from, "-H",
                "Connection: close", "-w", WRITE_OUT, "http://" + VIP + "/[1-" + n + "]");
        assertThat(curl.exit()).as(curl.output()).isZero();
        return exchanges(curl.output());
    }

    /** A curl in the clients' namespace: {@code n} requests on one keep-alive connection, one every 200 ms. */
    static Process keepAliveClient(String output, int n) throws IOException {
        return background(output, "curl", "-sS", "--rate", "5/s", "-m", "60", "-w", WRITE_OUT,
                "http://" + VIP + "/[1-" + n + "]");
    }

    static Process background(String output, String... command) throws IOException {
        return new ProcessBuilder(Commands.namespace(CLIENTS, command)).redirectErrorStream(true)
                .redirectOutput(runDir.resolve(output).toFile()).start();
    }

    /** The exchanges of a background curl, once it ended (exit 0). */
    static List<Exchange> finished(Process curl, String output) throws Exception {
        assertThat(curl.waitFor(60, TimeUnit.SECONDS)).as("%s ended", output).isTrue();
        String text = Files.readString(runDir.resolve(output));
        assertThat(curl.exitValue()).as(text).isZero();
        return exchanges(text);
    }

    static List<Exchange> exchanges(String output) {
        List<Exchange> exchanges = new ArrayList<>();
        output.lines().forEach(line -> {
            Matcher m = EXCHANGE.matcher(line);
            if (m.matches()) {
                exchanges.add(new Exchange(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                        Integer.parseInt(m.group(4))));
            }
        });
        return exchanges;
    }

    static Map<String, Long> perBackend(List<Exchange> exchanges) {
        return exchanges.stream().filter(e -> e.backend() != null)
                .collect(Collectors.groupingBy(Exchange::backend, TreeMap::new, Collectors.counting()));
    }

    /** Each backend's nginx: its own configuration, prefix, pid file and logs under e2e/target/slb-run/nginx-<address>. */
    static void startNginx(String address) throws IOException {
        Path dir = runDir.resolve("nginx-" + address);
        // who asked, on which connection, its how-many-th request on it
        NginxBackend.configure(dir, address, """
                log_format slb '$remote_addr $connection $connection_requests $status';
                    access_log %s/access.log slb;""".formatted(dir));
        Process p = new ProcessBuilder(Commands.namespace(VPC, NginxBackend.command(dir).toArray(String[]::new)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nginx.out").toFile())).start();
        nginx.put(address, p);
        await("nginx on " + address).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Commands.inNamespace(VPC, "curl", "-sS", "-m", "2", "http://" + address + "/").output()
                        .equals("backend " + address));
    }

    /** Requests each backend logged from the load balancer (not the slowpath's checks), by address. */
    static Map<String, Long> requestsLogged() {
        return logged(fields -> true);
    }

    /** Connections each backend took from the load balancer: its first request on each. */
    static Map<String, Long> newConnectionsLogged() {
        return logged(fields -> fields[2].equals("1"));
    }

    private static Map<String, Long> logged(Function<String[], Boolean> which) {
        Map<String, Long> counts = new TreeMap<>();
        for (String backend : List.of("10.20.0.11", "10.20.0.12", "10.20.0.13", ADDED)) {
            Path log = runDir.resolve("nginx-" + backend).resolve("access.log");
            try (var lines = Files.exists(log) ? Files.lines(log) : java.util.stream.Stream.<String>empty()) {
                counts.put(backend, lines.map(l -> l.split(" ")).filter(f -> f.length >= 4)
                        .filter(f -> f[0].equals(LOCAL_ADDRESS)).filter(which::apply).count());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return counts;
    }

    private static void stop(Process p) {
        if (p == null) {
            return;
        }
        p.destroy(); // SIGTERM: nginx's master stops its workers too
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- the platform and the network

    static RequestSpecification nfvo() {
        return given().baseUri(platform.url("nfvo")).auth().oauth2(NatGatewayEndToEndIT.token("alice"))
                .header("Version", "2.0.0");
    }

    static void awaitNsOp(String location) {
        await("NS operation " + location).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    String state = nfvo().get(location.substring(location.indexOf("/nslcm/"))).then().statusCode(200)
                            .extract().path("operationState");
                    assertThat(state).isNotIn("FAILED_TEMP", "FAILED");
                    return "COMPLETED".equals(state);
                });
    }

    /** src/test/resources/slb-lab.sh up|down. */
    static void lab(String... args) {
        List<String> command = new ArrayList<>(
                List.of("bash", platform.root.resolve("e2e/src/test/resources/slb-lab.sh").toString()));
        command.addAll(List.of(args));
        Result lab = Commands.run(command.toArray(String[]::new));
        assertThat(lab.exit()).as("slb-lab.sh %s:\n%s", String.join(" ", args), lab.output()).isZero();
    }
}
