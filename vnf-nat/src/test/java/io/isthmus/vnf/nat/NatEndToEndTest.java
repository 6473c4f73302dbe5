package io.isthmus.vnf.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.fastpath.Fastpath;
import io.isthmus.fastpath.FastpathOptions;
import io.isthmus.fastpath.testing.Datagrams;
import io.isthmus.slowpath.Slowpath;
import io.isthmus.slowpath.SlowpathOptions;
import io.isthmus.fastpath.testing.ReferencePackets;

/**
 * The NAT end to end in one JVM over real loopback sockets: a slowpath (NAT policy found by the ServiceLoader, as
 * {@code --vnf-type nat} does), two fastpath workers, the config PUT through the real HTTP endpoint, VXLAN packets
 * from a test socket and next hops played by sink sockets. Packets are built and checked by the independent
 * reference encoder, checksums recomputed from scratch.
 */
class NatEndToEndTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(BOUND).build();
    private Slowpath slowpath;
    private Fastpath fastpath1;
    private Fastpath fastpath2;
    private DatagramSocket insideHost;
    private DatagramSocket insideNextHop;
    private DatagramSocket outsideNextHop;
    private DatagramSocket remote;

    @BeforeEach
    void start() throws Exception {
        slowpath = Slowpath.start(SlowpathOptions.of("nat", "vnf-e2e", LOOPBACK, 0, 0));
        fastpath1 = Fastpath.start(FastpathOptions.of(1, LOOPBACK, 0, slowpath.controlAddress())
                .withHelloInterval(Duration.ofMillis(100)));
        fastpath2 = Fastpath.start(FastpathOptions.of(2, LOOPBACK, 0, slowpath.controlAddress())
                .withHelloInterval(Duration.ofMillis(100)));
        insideHost = socket();
        insideNextHop = socket();
        outsideNextHop = socket();
        remote = socket();
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[]{fastpath1, fastpath2, slowpath, insideHost, insideNextHop,
                outsideNextHop, remote}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void translatesAnOutboundFlowAndItsReplyAcrossTwoFastpathsAndForwardsItsNextPacketWithoutAPunt() throws Exception {
        // Given both fastpaths registered and the NAT configured through PUT /config
        await().atMost(BOUND).until(() -> getJson("/health").path("fastpaths").asInt() == 2);
        assertThat(getJson("/health").path("status").asText()).isEqualTo("UP");
        configure();

        // When an inside host sends a VXLAN-encapsulated UDP packet on the inside VNI to fastpath 1
        byte[] payload = "what is the time?".getBytes();
        byte[] outbound = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).vni(100).ttl(64)
                .payload(payload).build();
        send(insideHost, outbound, fastpath1.dataAddress());

        // Then the outside next hop receives it on the outside VNI, source translated into the range,
        // destination and payload unchanged, IPv4 and UDP checksums correct
        ReferencePackets.Decoded out = receive(outsideNextHop);
        assertThat(out.vni()).isEqualTo(200);
        assertThat(out.src()).isEqualTo("203.0.113.10");
        assertThat(out.srcPort()).isBetween(20000, 29999);
        assertThat(out.dst()).isEqualTo("198.51.100.7");
        assertThat(out.dstPort()).isEqualTo(53);
        assertThat(out.payload()).isEqualTo(payload);
        assertThat(out.ttl()).isEqualTo(63);
        assertThat(out.ipChecksumValid()).as("IPv4 header checksum").isTrue();
        assertThat(out.l4ChecksumValid()).as("UDP checksum").isTrue();
        int publicPort = out.srcPort();

        // When the remote's reply (outside VNI, to publicAddress:port) reaches fastpath 2
        byte[] answer = "noon".getBytes();
        byte[] reply = ReferencePackets.udp("198.51.100.7", 53, "203.0.113.10", publicPort).vni(200).payload(answer)
                .build();
        send(remote, reply, fastpath2.dataAddress());

        // Then the inside next hop receives it translated back, on the inside VNI, checksums correct
        ReferencePackets.Decoded in = receive(insideNextHop);
        assertThat(in.vni()).isEqualTo(100);
        assertThat(in.src()).isEqualTo("198.51.100.7");
        assertThat(in.srcPort()).isEqualTo(53);
        assertThat(in.dst()).isEqualTo("10.0.0.5");
        assertThat(in.dstPort()).isEqualTo(40001);
        assertThat(in.payload()).isEqualTo(answer);
        assertThat(in.ipChecksumValid()).as("IPv4 header checksum").isTrue();
        assertThat(in.l4ChecksumValid()).as("UDP checksum").isTrue();

        // When a second packet of the flow goes to fastpath 1
        JsonNode before = getJson("/stats");
        send(insideHost, outbound, fastpath1.dataAddress());

        // Then it is forwarded with the same translation and without a new punt: punts unchanged, hits up. (The reply
        // itself is punted by fastpath 2 only if it reached it before the flow's rules did: on a loaded machine.)
        ReferencePackets.Decoded second = receive(outsideNextHop);
        assertThat(second.srcPort()).isEqualTo(publicPort);
        assertThat(second.l4ChecksumValid()).isTrue();
        assertThat(fastpath(before, 1).path("punts").asLong()).isEqualTo(1);
        assertThat(hits(before, 2) + fastpath(before, 2).path("punts").asLong()).isEqualTo(1);
        await().atMost(BOUND).untilAsserted(() -> {
            JsonNode after = getJson("/stats");
            assertThat(after.path("punts").asLong()).isEqualTo(before.path("punts").asLong());
            assertThat(hits(after, 1)).isEqualTo(hits(before, 1) + 1);
            assertThat(fastpath(after, 1).path("punts").asLong()).isEqualTo(1);
        });
    }

    @Test
    void aRestartedSlowpathLearnsTheFlowBackFromTheFastpathsAndTheFlowKeepsItsPublicPort() throws Exception {
        // Given a UDP flow through the NAT: out through fastpath 1, its reply in through fastpath 2
        await().atMost(BOUND).until(() -> getJson("/health").path("fastpaths").asInt() == 2);
        configure();
        byte[] outbound = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).vni(100)
                .payload("tick".getBytes()).build();
        send(insideHost, outbound, fastpath1.dataAddress());
        int publicPort = receive(outsideNextHop).srcPort();
        byte[] reply = ReferencePackets.udp("198.51.100.7", 53, "203.0.113.10", publicPort).vni(200)
                .payload("tock".getBytes()).build();
        send(remote, reply, fastpath2.dataAddress());
        assertThat(receive(insideNextHop).dstPort()).isEqualTo(40001);

        // When the slowpath process is killed, Then the fastpaths keep forwarding the flow from their tables
        int controlPort = slowpath.controlAddress().getPort();
        slowpath.close();
        send(insideHost, outbound, fastpath1.dataAddress());
        assertThat(receive(outsideNextHop).srcPort()).isEqualTo(publicPort);

        // When a new slowpath starts on the same control port and the VNFM configures it as before
        slowpath = Slowpath.start(SlowpathOptions.of("nat", "vnf-e2e", LOOPBACK, controlPort, 0));
        await().atMost(BOUND).until(() -> getJson("/health").path("fastpaths").asInt() == 2);
        configure();

        // Then it learns the flow back from both fastpaths' rules (forward and reverse, each held by both)
        await().atMost(BOUND).untilAsserted(() -> {
            JsonNode stats = getJson("/stats");
            assertThat(stats.path("learnedRules").asLong()).isEqualTo(4);
            assertThat(stats.path("indicators").path("bindings").asInt()).isEqualTo(1);
            assertThat(stats.path("indicators").path("sessions").asInt()).isEqualTo(1);
        });
        // And the flow goes on with the same public port, its reply translated back, from the tables: no punt
        send(insideHost, outbound, fastpath1.dataAddress());
        assertThat(receive(outsideNextHop).srcPort()).isEqualTo(publicPort);
        send(remote, reply, fastpath2.dataAddress());
        ReferencePackets.Decoded in = receive(insideNextHop);
        assertThat(in.dst()).isEqualTo("10.0.0.5");
        assertThat(in.dstPort()).isEqualTo(40001);
        assertThat(in.l4ChecksumValid()).isTrue();
        JsonNode after = getJson("/stats");
        assertThat(after.path("punts").asLong()).isZero();
        assertThat(after.path("removes").asLong()).isZero();
        assertThat(after.path("indicators").path("refusedRules").asLong()).isZero();
    }

    @Test
    void aTracerouteSeesTheGatewayThenTheRouterBehindItEachErrorTranslatedBackToTheInsideHost() throws Exception {
        // Given the NAT configured
        await().atMost(BOUND).until(() -> getJson("/health").path("fastpaths").asInt() == 2);
        configure();

        // When an inside host sends a UDP probe with TTL 1 (traceroute's first hop)
        byte[] probe = ReferencePackets.udp("10.0.0.5", 33434, "198.51.100.7", 33435).vni(100).ttl(1)
                .payload("probe".getBytes()).build();
        send(insideHost, probe, fastpath1.dataAddress());

        // Then the gateway answers with an ICMP time exceeded from its address, in the inside VNI, quoting the probe
        ReferencePackets.Decoded gateway = receive(insideNextHop);
        assertThat(gateway.vni()).isEqualTo(100);
        assertThat(gateway.protocol()).isEqualTo(ReferencePackets.ICMP);
        assertThat(gateway.src()).isEqualTo("203.0.113.10");
        assertThat(gateway.dst()).isEqualTo("10.0.0.5");
        assertThat(gateway.ipChecksumValid()).isTrue();
        assertThat(gateway.l4ChecksumValid()).as("ICMP checksum").isTrue();
        byte[] quoted = gateway.payload();
        assertThat(ReferencePackets.u8(gateway.payload(), 0)).isEqualTo(0x45);
        assertThat(ReferencePackets.format(ReferencePackets.u32(quoted, 12))).isEqualTo("10.0.0.5");
        assertThat(ReferencePackets.u16(quoted, 20)).isEqualTo(33434);
        // nothing went out
        outsideNextHop.setSoTimeout(300);
        assertThat(Datagrams.receiveOrNull(outsideNextHop)).isNull();
        outsideNextHop.setSoTimeout((int) BOUND.toMillis());

        // When the probe goes with TTL 2: out through the NAT with TTL 1, and the router behind answers
        byte[] second = ReferencePackets.udp("10.0.0.5", 33434, "198.51.100.7", 33436).vni(100).ttl(2)
                .payload("probe".getBytes()).build();
        send(insideHost, second, fastpath1.dataAddress());
        byte[] out = Datagrams.receive(outsideNextHop);
        ReferencePackets.Decoded translated = ReferencePackets.decode(out);
        assertThat(translated.ttl()).isEqualTo(1);
        byte[] error = ReferencePackets.icmpError(11, 0, "198.51.100.1", "203.0.113.10", 0,
                ReferencePackets.quote(out, 8)).vni(200).build();
        send(remote, error, fastpath2.dataAddress());

        // Then the inside host gets the router's error, its quote translated back to its own address and port
        ReferencePackets.Decoded router = receive(insideNextHop);
        assertThat(router.src()).isEqualTo("198.51.100.1");
        assertThat(router.dst()).isEqualTo("10.0.0.5");
        assertThat(router.l4ChecksumValid()).as("ICMP checksum").isTrue();
        assertThat(ReferencePackets.format(ReferencePackets.u32(router.payload(), 12))).isEqualTo("10.0.0.5");
        assertThat(ReferencePackets.u16(router.payload(), 20)).isEqualTo(33434);
        await().atMost(BOUND).untilAsserted(() -> assertThat(getJson("/stats").path("transmits").asLong())
                .isEqualTo(1));
    }

    @Test
    void anInsideHostReachesAnotherThroughItsPublicEndpointAndSeesItFromItsOwn() throws Exception {
        // Given a NAT whose bindings anyone may reach, and an inside server bound by a flow to a remote
        await().atMost(BOUND).until(() -> getJson("/health").path("fastpaths").asInt() == 2);
        configure("\"filtering\":\"endpoint-independent\"");
        send(insideHost, ReferencePackets.udp("10.0.0.6", 3478, "198.51.100.7", 3478).vni(100)
                .payload("hello".getBytes()).build(), fastpath1.dataAddress());
        int serverPort = receive(outsideNextHop).srcPort();

        // When an inside client sends to the server's public endpoint (hairpinning)
        byte[] request = "binding request".getBytes();
        send(insideHost, ReferencePackets.udp("10.0.0.5", 40001, "203.0.113.10", serverPort).vni(100).ttl(64)
                .payload(request).build(), fastpath1.dataAddress());

        // Then the server receives it on the inside, from the client's own public endpoint, checksums right
        ReferencePackets.Decoded atServer = receive(insideNextHop);
        assertThat(atServer.vni()).isEqualTo(100);
        assertThat(atServer.dst()).isEqualTo("10.0.0.6");
        assertThat(atServer.dstPort()).isEqualTo(3478);
        assertThat(atServer.src()).isEqualTo("203.0.113.10");
        assertThat(atServer.srcPort()).isBetween(20000, 29999);
        assertThat(atServer.payload()).isEqualTo(request);
        assertThat(atServer.ipChecksumValid()).isTrue();
        assertThat(atServer.l4ChecksumValid()).isTrue();
        int clientPort = atServer.srcPort();

        // When the server answers that public endpoint, through the other fastpath
        byte[] response = "binding response".getBytes();
        send(insideHost, ReferencePackets.udp("10.0.0.6", 3478, "203.0.113.10", clientPort).vni(100)
                .payload(response).build(), fastpath2.dataAddress());

        // Then the client receives it from the server's public endpoint
        ReferencePackets.Decoded atClient = receive(insideNextHop);
        assertThat(atClient.dst()).isEqualTo("10.0.0.5");
        assertThat(atClient.dstPort()).isEqualTo(40001);
        assertThat(atClient.src()).isEqualTo("203.0.113.10");
        assertThat(atClient.srcPort()).isEqualTo(serverPort);
        assertThat(atClient.payload()).isEqualTo(response);
        assertThat(atClient.l4ChecksumValid()).isTrue();

        // And the client's flows to the outside leave from the public endpoint the server saw (one mapping)
        send(insideHost, ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 3478).vni(100)
                .payload(request).build(), fastpath1.dataAddress());
        assertThat(receive(outsideNextHop).srcPort()).isEqualTo(clientPort);
    }

    @Test
    void aPortForwardLetsAnyRemoteReachAnInsideServerWhoseAnswersLeaveFromTheForwardedPort() throws Exception {
        // Given a TCP port forward, address-dependent filtering (the default) for everything else
        await().atMost(BOUND).until(() -> getJson("/health").path("fastpaths").asInt() == 2);
        configure("""
                "portForwards":[{"protocol":"tcp","publicPort":443,"insideAddress":"10.0.0.80","insidePort":8443}]""");

        // When a remote nobody inside talked to opens a connection to the forwarded port
        send(remote, ReferencePackets.tcp("198.51.100.7", 51000, "203.0.113.10", 443).vni(200).tcpFlags(0x02)
                .build(), fastpath1.dataAddress());

        // Then the inside server receives its SYN, destination translated, checksums right
        ReferencePackets.Decoded syn = receive(insideNextHop);
        assertThat(syn.vni()).isEqualTo(100);
        assertThat(syn.protocol()).isEqualTo(ReferencePackets.TCP);
        assertThat(syn.src()).isEqualTo("198.51.100.7");
        assertThat(syn.srcPort()).isEqualTo(51000);
        assertThat(syn.dst()).isEqualTo("10.0.0.80");
        assertThat(syn.dstPort()).isEqualTo(8443);
        assertThat(syn.ipChecksumValid()).isTrue();
        assertThat(syn.l4ChecksumValid()).isTrue();

        // When the server answers through the other fastpath
        send(insideHost, ReferencePackets.tcp("10.0.0.80", 8443, "198.51.100.7", 51000).vni(100).tcpFlags(0x12)
                .build(), fastpath2.dataAddress());

        // Then the remote sees the answer come from the forwarded public endpoint
        ReferencePackets.Decoded synAck = receive(outsideNextHop);
        assertThat(synAck.vni()).isEqualTo(200);
        assertThat(synAck.src()).isEqualTo("203.0.113.10");
        assertThat(synAck.srcPort()).isEqualTo(443);
        assertThat(synAck.dstPort()).isEqualTo(51000);
        assertThat(synAck.l4ChecksumValid()).isTrue();
        // And /stats shows the NAT's indicators: the forward and its session
        await().atMost(BOUND).untilAsserted(() -> {
            JsonNode indicators = getJson("/stats").path("indicators");
            assertThat(indicators.path("bindings").asInt()).isEqualTo(1);
            assertThat(indicators.path("sessions").asInt()).isEqualTo(1);
            assertThat(indicators.path("publicAddresses").get(0).path("address").asText()).isEqualTo("203.0.113.10");
        });
    }

    private void configure() throws Exception {
        configure("");
    }

    /** PUT /config: the contract's example towards this test's next hops, with {@code fields} added. */
    private void configure(String fields) throws Exception {
        String config = """
                {"publicAddress":"203.0.113.10","portRangeStart":20000,"portRangeEnd":29999,
                 "insideVni":100,"outsideVni":200,
                 "insideNextHop":"127.0.0.1:%d","outsideNextHop":"127.0.0.1:%d"%s}"""
                .formatted(insideNextHop.getLocalPort(), outsideNextHop.getLocalPort(),
                        fields.isEmpty() ? "" : "," + fields);
        assertThat(put("/config", config).statusCode()).isEqualTo(204);
    }

    @Test
    void aBadConfigIsRefusedWith400AndAJsonError() throws Exception {
        HttpResponse<String> response = put("/config", "{\"publicAddress\":\"nope\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).path("error").asText()).contains("publicAddress");
        assertThat(http.send(HttpRequest.newBuilder(uri("/config")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    private static long hits(JsonNode stats, int id) {
        return fastpath(stats, id).path("hits").asLong();
    }

    private static JsonNode fastpath(JsonNode stats, int id) {
        for (JsonNode fastpath : stats.path("fastpaths")) {
            if (fastpath.path("id").asInt() == id) {
                return fastpath;
            }
        }
        throw new AssertionError("no fastpath " + id + " in " + stats);
    }

    private static DatagramSocket socket() throws Exception {
        return Datagrams.socket(BOUND);
    }

    private static void send(DatagramSocket from, byte[] packet, InetSocketAddress to) throws Exception {
        Datagrams.send(from, packet, to);
    }

    /** The next datagram, bounded by the socket timeout. */
    private static ReferencePackets.Decoded receive(DatagramSocket socket) throws Exception {
        return ReferencePackets.decode(Datagrams.receive(socket));
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + slowpath.configAddress().getPort() + path);
    }
}
