package io.isthmus.vnf.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.isthmus.fastpath.Fastpath;
import io.isthmus.fastpath.FastpathOptions;
import io.isthmus.fastpath.testing.Datagrams;
import io.isthmus.fastpath.testing.ReferencePackets;
import io.isthmus.slowpath.Slowpath;
import io.isthmus.slowpath.SlowpathOptions;

/**
 * The load balancer in one JVM over real loopback sockets: a slowpath (the policy found by the ServiceLoader, as
 * {@code --vnf-type slb} does), a fastpath, the config PUT through the real HTTP endpoint, real health checks (a JDK
 * HTTP server answering for one backend, a closed port for the other), VXLAN packets from test sockets; packets built
 * and checked by the independent reference encoder, checksums recomputed from scratch.
 */
class SlbFastpathTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(BOUND).build();
    private Slowpath slowpath;
    private Fastpath fastpath;
    private HttpServer healthy;
    private int closedPort;
    private DatagramSocket client;
    private DatagramSocket frontendNextHop;
    private DatagramSocket backendNextHop;
    private DatagramSocket backend;

    @BeforeEach
    void start() throws Exception {
        slowpath = Slowpath.start(SlowpathOptions.of("slb", "vnf-slb-test", LOOPBACK, 0, 0));
        fastpath = Fastpath.start(FastpathOptions.of(1, LOOPBACK, 0, slowpath.controlAddress())
                .withHelloInterval(Duration.ofMillis(100)));
        healthy = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        healthy.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        healthy.start();
        try (ServerSocket closed = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = closed.getLocalPort();
        }
        client = socket();
        frontendNextHop = socket();
        backendNextHop = socket();
        backend = socket();
    }

    @AfterEach
    void stop() {
        healthy.stop(0);
        for (AutoCloseable c : new AutoCloseable[]{fastpath, slowpath, client, frontendNextHop, backendNextHop,
                backend}) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void aConnectionGoesToTheHealthyBackendAndItsRepliesComeBackFromTheVip() throws Exception {
        await().atMost(BOUND).until(() -> getJson("/health").path("fastpaths").asInt() == 1);
        configure();
        await().atMost(BOUND).until(() -> "up".equals(backendState("web/10.20.0.11:80"))
                && "down".equals(backendState("web/10.20.0.12:80")));

        // a client's SYN to the VIP
        byte[] syn = ReferencePackets.tcp("172.16.1.5", 40000, "172.16.9.10", 80).vni(300).tcpFlags(SYN).ttl(64)
                .build();
        send(client, syn, fastpath.dataAddress());

        // reaches the healthy backend from the local address, on the backend VNI, checksums right
        ReferencePackets.Decoded toBackend = receive(backendNextHop);
        assertThat(toBackend.vni()).isEqualTo(100);
        assertThat(ReferencePackets.format(toBackend.srcAddress())).isEqualTo("10.20.0.250");
        assertThat(toBackend.srcPort()).isBetween(1024, 65535);
        assertThat(ReferencePackets.format(toBackend.dstAddress())).isEqualTo("10.20.0.11");
        assertThat(toBackend.dstPort()).isEqualTo(80);
        assertThat(toBackend.ttl()).isEqualTo(63);
        assertThat(toBackend.ipChecksumValid()).as("IPv4 checksum").isTrue();
        assertThat(toBackend.l4ChecksumValid()).as("TCP checksum").isTrue();

        // the backend's SYN-ACK comes back to the client from the VIP, on the frontend VNI
        byte[] synAck = ReferencePackets.tcp("10.20.0.11", 80, "10.20.0.250", toBackend.srcPort()).vni(100)
                .tcpFlags(SYN | ACK).payload(new byte[0]).build();
        send(backend, synAck, fastpath.dataAddress());
        ReferencePackets.Decoded toClient = receive(frontendNextHop);
        assertThat(toClient.vni()).isEqualTo(300);
        assertThat(ReferencePackets.format(toClient.srcAddress())).isEqualTo("172.16.9.10");
        assertThat(toClient.srcPort()).isEqualTo(80);
        assertThat(ReferencePackets.format(toClient.dstAddress())).isEqualTo("172.16.1.5");
        assertThat(toClient.dstPort()).isEqualTo(40000);
        assertThat(toClient.ipChecksumValid()).isTrue();
        assertThat(toClient.l4ChecksumValid()).isTrue();

        // the rest of the connection is forwarded by the fastpath's rules: no new decision
        await().atMost(BOUND).until(() -> listener().path("newConnections").asLong() == 1);
        long newConnections = listener().path("newConnections").asLong();
        byte[] data = ReferencePackets.tcp("172.16.1.5", 40000, "172.16.9.10", 80).vni(300).tcpFlags(ACK)
                .payload("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).build();
        send(client, data, fastpath.dataAddress());
        ReferencePackets.Decoded request = receive(backendNextHop);
        assertThat(new String(request.payload(), StandardCharsets.US_ASCII)).startsWith("GET /");
        assertThat(request.l4ChecksumValid()).isTrue();
        await().atMost(BOUND).until(() -> backendOf("web/10.20.0.11:80").path("activeConnections").asInt() == 1);
        assertThat(listener().path("newConnections").asLong()).isEqualTo(newConnections);
    }

    @Test
    void aSegmentOfNoConnectionAndAConnectionWithNoHealthyBackendAreResetFromTheVip() throws Exception {
        await().atMost(BOUND).until(() -> getJson("/health").path("fastpaths").asInt() == 1);
        configure();
        await().atMost(BOUND).until(() -> "up".equals(backendState("web/10.20.0.11:80")));

        byte[] stray = ReferencePackets.tcp("172.16.1.6", 41000, "172.16.9.10", 80).vni(300).tcpFlags(ACK).build();
        send(client, stray, fastpath.dataAddress());
        assertReset(receive(frontendNextHop), 41000);

        // the one healthy backend fails: a new connection finds none in service
        healthy.stop(0);
        await().atMost(BOUND).until(() -> "down".equals(backendState("web/10.20.0.11:80")));
        byte[] syn = ReferencePackets.tcp("172.16.1.7", 42000, "172.16.9.10", 80).vni(300).tcpFlags(SYN).build();
        send(client, syn, fastpath.dataAddress());
        assertReset(receive(frontendNextHop), 42000);
        // the indicators are a snapshot the policy thread takes every 100 ms
        await().atMost(BOUND).until(() -> listener().path("refused").asLong() == 1);
    }

    @Test
    void aClientReusingItsPortAfterCloseReachesAnotherBackendWhenItsOldOneDrains() throws Exception {
        await().atMost(BOUND).until(() -> getJson("/health").path("fastpaths").asInt() == 1);
        String backends = """
                {"address":"10.20.0.11","port":80%s},{"address":"10.20.0.12","port":80%s}""";
        configureWithout(backends.formatted("", ""));
        send(client, ReferencePackets.tcp("172.16.1.8", 43000, "172.16.9.10", 80).vni(300).tcpFlags(SYN).build(),
                fastpath.dataAddress());
        String first = ReferencePackets.format(receive(backendNextHop).dstAddress());
        boolean firstIsEleven = first.equals("10.20.0.11");

        // its backend drains; the client closes (FIN through the rule) and opens again from the same port
        configureWithout(backends.formatted(firstIsEleven ? ",\"drain\":true" : "",
                firstIsEleven ? "" : ",\"drain\":true"));
        send(client, ReferencePackets.tcp("172.16.1.8", 43000, "172.16.9.10", 80).vni(300).tcpFlags(0x11).build(),
                fastpath.dataAddress());
        assertThat(ReferencePackets.format(receive(backendNextHop).dstAddress())).isEqualTo(first);
        send(client, ReferencePackets.tcp("172.16.1.8", 43000, "172.16.9.10", 80).vni(300).tcpFlags(SYN).build(),
                fastpath.dataAddress());

        // the new connection goes to the backend in service
        assertThat(ReferencePackets.format(receive(backendNextHop).dstAddress()))
                .isEqualTo(firstIsEleven ? "10.20.0.12" : "10.20.0.11");
    }

    private void configureWithout(String backends) throws Exception {
        put("""
                {"frontendVni":300,"backendVni":100,"localAddresses":["10.20.0.250"],
                 "frontendNextHop":"127.0.0.1:%d","backendNextHop":"127.0.0.1:%d",
                 "listeners":[{"name":"web","vip":"172.16.9.10","protocol":"tcp","port":80,"backendGroup":"web"}],
                 "backendGroups":[{"name":"web","backends":[%s]}]}"""
                .formatted(frontendNextHop.getLocalPort(), backendNextHop.getLocalPort(), backends));
    }

    private static void assertReset(ReferencePackets.Decoded reset, int clientPort) {
        assertThat(reset.vni()).isEqualTo(300);
        assertThat(ReferencePackets.format(reset.srcAddress())).isEqualTo("172.16.9.10");
        assertThat(reset.srcPort()).isEqualTo(80);
        assertThat(reset.dstPort()).isEqualTo(clientPort);
        assertThat(reset.ipChecksumValid()).isTrue();
        assertThat(reset.l4ChecksumValid()).isTrue();
    }

    private void configure() throws Exception {
        String config = """
                {"frontendVni":300,"backendVni":100,"localAddresses":["10.20.0.250"],
                 "frontendNextHop":"127.0.0.1:%d","backendNextHop":"127.0.0.1:%d",
                 "listeners":[{"name":"web","vip":"172.16.9.10","protocol":"tcp","port":80,"backendGroup":"web"}],
                 "backendGroups":[{"name":"web",
                   "healthCheck":{"type":"http","path":"/health","intervalMs":200,"timeoutMs":150,"rise":1,"fall":1},
                   "backends":[{"address":"10.20.0.11","port":80,"healthCheckAddress":"127.0.0.1",
                                "healthCheckPort":%d},
                               {"address":"10.20.0.12","port":80,"healthCheckAddress":"127.0.0.1",
                                "healthCheckPort":%d}]}]}"""
                .formatted(frontendNextHop.getLocalPort(), backendNextHop.getLocalPort(),
                        healthy.getAddress().getPort(), closedPort);
        put(config);
    }

    private void put(String config) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri("/config")).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(config)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    private String backendState(String name) throws Exception {
        return backendOf(name).path("state").asText();
    }

    private JsonNode backendOf(String name) throws Exception {
        for (JsonNode b : getJson("/stats").path("indicators").path("backends")) {
            if (b.path("name").asText().equals(name)) {
                return b;
            }
        }
        return json.createObjectNode();
    }

    private JsonNode listener() throws Exception {
        return getJson("/stats").path("indicators").path("listeners").get(0);
    }

    private static DatagramSocket socket() throws Exception {
        return Datagrams.socket(BOUND);
    }

    private static void send(DatagramSocket from, byte[] packet, InetSocketAddress to) throws Exception {
        Datagrams.send(from, packet, to);
    }

    private static ReferencePackets.Decoded receive(DatagramSocket socket) throws Exception {
        return Datagrams.decoded(socket);
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + slowpath.configAddress().getPort() + path);
    }
}
