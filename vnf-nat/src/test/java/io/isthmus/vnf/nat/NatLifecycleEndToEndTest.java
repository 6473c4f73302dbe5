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
import io.isthmus.fastpath.testing.ReferencePackets;
import io.isthmus.slowpath.Slowpath;
import io.isthmus.slowpath.SlowpathOptions;

/**
 * A NAT's lifecycle with real sockets and real fastpaths in one JVM, no established flow broken: a flow goes on with
 * the same public endpoint when its packets start arriving at a fastpath that registered later (scale out: the
 * sender's hash moved it), when the next hops change (change of external connectivity, applied live), and a NAT
 * reverted to a snapshot, in place or in a new slowpath, has the bindings it had.
 */
class NatLifecycleEndToEndTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final int ACK = 0x10;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(BOUND).build();
    private Slowpath slowpath;
    private Fastpath fastpath1;
    private Fastpath fastpath2;
    private Fastpath fastpath3;
    private DatagramSocket insideHost;
    private DatagramSocket insideNextHop;
    private DatagramSocket outsideNextHop;
    private DatagramSocket remote;

    @BeforeEach
    void start() throws Exception {
        slowpath = Slowpath.start(SlowpathOptions.of("nat", "vnf-scale", LOOPBACK, 0, 0));
        fastpath1 = startFastpath(1);
        fastpath2 = startFastpath(2);
        insideHost = socket();
        insideNextHop = socket();
        outsideNextHop = socket();
        remote = socket();
        await().atMost(BOUND).until(() -> getJson("/health").path("fastpaths").asInt() == 2);
        assertThat(send("PUT", "/config", config(insideNextHop, outsideNextHop)).statusCode()).isEqualTo(204);
    }

    private static String config(DatagramSocket inside, DatagramSocket outside) {
        return """
                {"publicAddress":"203.0.113.10","portRangeStart":20000,"portRangeEnd":29999,
                 "insideVni":100,"outsideVni":200,
                 "insideNextHop":"127.0.0.1:%d","outsideNextHop":"127.0.0.1:%d"}"""
                .formatted(inside.getLocalPort(), outside.getLocalPort());
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[]{fastpath1, fastpath2, fastpath3, slowpath, insideHost,
                insideNextHop, outsideNextHop, remote}) {
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
    void udpAndTcpFlowsMovedToAFastpathStartedMidStreamKeepTheirPublicPortsBothWays() throws Exception {
        // Given a UDP flow and a TCP connection established through fastpaths 1 and 2
        byte[] udpOut = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).vni(100)
                .payload("tick".getBytes()).build();
        send(insideHost, udpOut, fastpath1.dataAddress());
        int udpPort = receive(outsideNextHop).srcPort();
        byte[] udpIn = ReferencePackets.udp("198.51.100.7", 53, "203.0.113.10", udpPort).vni(200)
                .payload("tock".getBytes()).build();
        send(remote, udpIn, fastpath2.dataAddress());
        assertThat(receive(insideNextHop).dstPort()).isEqualTo(40001);

        send(insideHost, ReferencePackets.tcp("10.0.0.5", 50000, "198.51.100.8", 443).vni(100).tcpFlags(0x02)
                .build(), fastpath1.dataAddress());
        int tcpPort = receive(outsideNextHop).srcPort();
        send(remote, ReferencePackets.tcp("198.51.100.8", 443, "203.0.113.10", tcpPort).vni(200).tcpFlags(0x12)
                .build(), fastpath2.dataAddress());
        assertThat(receive(insideNextHop).dstPort()).isEqualTo(50000);

        // When a third fastpath starts (scale out) and both flows' packets, mid-stream, arrive at it
        fastpath3 = startFastpath(3);
        await().atMost(BOUND).until(() -> getJson("/health").path("fastpaths").asInt() == 3);
        send(insideHost, udpOut, fastpath3.dataAddress());
        ReferencePackets.Decoded udpMoved = receive(outsideNextHop);
        send(remote, udpIn, fastpath3.dataAddress());
        ReferencePackets.Decoded udpBack = receive(insideNextHop);
        byte[] data = "GET / HTTP/1.1\r\n".getBytes();
        send(insideHost, ReferencePackets.tcp("10.0.0.5", 50000, "198.51.100.8", 443).vni(100).tcpFlags(ACK)
                .payload(data).build(), fastpath3.dataAddress());
        ReferencePackets.Decoded tcpMoved = receive(outsideNextHop);
        send(remote, ReferencePackets.tcp("198.51.100.8", 443, "203.0.113.10", tcpPort).vni(200).tcpFlags(ACK)
                .build(), fastpath3.dataAddress());
        ReferencePackets.Decoded tcpBack = receive(insideNextHop);

        // Then each leaves from the public endpoint it had, and each reply reaches the inside endpoint
        assertThat(udpMoved.src()).isEqualTo("203.0.113.10");
        assertThat(udpMoved.srcPort()).isEqualTo(udpPort);
        assertThat(udpMoved.l4ChecksumValid()).isTrue();
        assertThat(udpBack.dst()).isEqualTo("10.0.0.5");
        assertThat(udpBack.dstPort()).isEqualTo(40001);
        assertThat(tcpMoved.src()).isEqualTo("203.0.113.10");
        assertThat(tcpMoved.srcPort()).isEqualTo(tcpPort);
        assertThat(tcpMoved.payload()).isEqualTo(data);
        assertThat(tcpMoved.l4ChecksumValid()).isTrue();
        assertThat(tcpBack.dst()).isEqualTo("10.0.0.5");
        assertThat(tcpBack.dstPort()).isEqualTo(50000);
        assertThat(tcpBack.l4ChecksumValid()).isTrue();
        // And no binding or session was made for them: the NAT re-installed the ones it had
        JsonNode indicators = getJson("/stats").path("indicators");
        assertThat(indicators.path("bindings").asInt()).isEqualTo(2);
        assertThat(indicators.path("sessions").asInt()).isEqualTo(2);
    }

    @Test
    void newNextHopsApplyLiveToEstablishedFlowsWhichKeepTheirPublicPorts() throws Exception {
        // Given a UDP flow through the NAT, out through fastpath 1 and back through fastpath 2
        byte[] out = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).vni(100).payload("a".getBytes())
                .build();
        send(insideHost, out, fastpath1.dataAddress());
        int port = receive(outsideNextHop).srcPort();
        byte[] in = ReferencePackets.udp("198.51.100.7", 53, "203.0.113.10", port).vni(200).payload("b".getBytes())
                .build();
        send(remote, in, fastpath2.dataAddress());
        receive(insideNextHop);
        // (the return packet may have been punted too, if it reached fastpath 2 before the flow's rules did)
        long puntsBefore = getJson("/stats").path("punts").asLong();

        // When the VNFM changes both next hops (change of external connectivity)
        try (DatagramSocket newInside = socket(); DatagramSocket newOutside = socket()) {
            assertThat(send("PUT", "/config", config(newInside, newOutside)).statusCode()).isEqualTo(204);

            // Then the flow's packets leave towards the new next hops, with the same public port, both ways
            send(insideHost, out, fastpath1.dataAddress());
            ReferencePackets.Decoded moved = receive(newOutside);
            send(remote, in, fastpath2.dataAddress());
            ReferencePackets.Decoded back = receive(newInside);
            assertThat(moved.src()).isEqualTo("203.0.113.10");
            assertThat(moved.srcPort()).isEqualTo(port);
            assertThat(back.dst()).isEqualTo("10.0.0.5");
            assertThat(back.dstPort()).isEqualTo(40001);
            // And from the rules re-sent to the fastpaths, not from new decisions: nothing was punted since
            JsonNode stats = getJson("/stats");
            assertThat(stats.path("punts").asLong()).isEqualTo(puntsBefore);
            assertThat(stats.path("indicators").path("bindings").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aNatRevertedToASnapshotKeepsTheFlowsItHadAndForgetsTheNewerOnes() throws Exception {
        // Given a flow through the NAT, and a snapshot taken then
        byte[] old = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).vni(100).payload("a".getBytes())
                .build();
        send(insideHost, old, fastpath1.dataAddress());
        int oldPort = receive(outsideNextHop).srcPort();
        HttpResponse<String> snapshot = send("GET", "/snapshot", null);
        assertThat(snapshot.statusCode()).isEqualTo(200);
        assertThat(json.readTree(snapshot.body()).path("vnfType").asText()).isEqualTo("nat");

        // When a newer flow starts, and the NAT is reverted to the snapshot
        send(insideHost, ReferencePackets.udp("10.0.0.6", 40001, "198.51.100.7", 53).vni(100)
                .payload("b".getBytes()).build(), fastpath2.dataAddress());
        int newerPort = receive(outsideNextHop).srcPort();
        assertThat(send("PUT", "/snapshot", snapshot.body()).statusCode()).isEqualTo(204);

        // Then the newer flow's binding is gone (its rules removed from the fastpaths), the old flow's kept
        JsonNode indicators = getJson("/stats").path("indicators");
        assertThat(indicators.path("bindings").asInt()).isEqualTo(1);
        assertThat(indicators.path("sessions").asInt()).isEqualTo(1);
        send(remote, ReferencePackets.udp("198.51.100.7", 53, "203.0.113.10", newerPort).vni(200)
                .payload("late".getBytes()).build(), fastpath2.dataAddress());
        send(remote, ReferencePackets.udp("198.51.100.7", 53, "203.0.113.10", oldPort).vni(200)
                .payload("c".getBytes()).build(), fastpath2.dataAddress());
        ReferencePackets.Decoded back = receive(insideNextHop);
        assertThat(back.dst()).as("only the old flow's reply gets in").isEqualTo("10.0.0.5");
        assertThat(back.dstPort()).isEqualTo(40001);
        send(insideHost, old, fastpath1.dataAddress());
        assertThat(receive(outsideNextHop).srcPort()).isEqualTo(oldPort);
    }

    @Test
    void aNewSlowpathAndNewFastpathsRestoredFromASnapshotLetTheOldFlowsRepliesIn() throws Exception {
        // Given a flow through the NAT and a snapshot
        byte[] out = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).vni(100).payload("a".getBytes())
                .build();
        send(insideHost, out, fastpath1.dataAddress());
        int port = receive(outsideNextHop).srcPort();
        String snapshot = send("GET", "/snapshot", null).body();

        // When the whole VNF is replaced (heal): a new slowpath and new fastpaths, empty, given the snapshot
        fastpath1.close();
        fastpath2.close();
        slowpath.close();
        slowpath = Slowpath.start(SlowpathOptions.of("nat", "vnf-healed", LOOPBACK, 0, 0));
        fastpath1 = startFastpath(1);
        fastpath2 = startFastpath(2);
        await().atMost(BOUND).until(() -> getJson("/health").path("fastpaths").asInt() == 2);
        assertThat(send("PUT", "/snapshot", snapshot).statusCode()).isEqualTo(204);

        // Then the remote's reply to the old public port gets in before the inside host sent anything again
        send(remote, ReferencePackets.udp("198.51.100.7", 53, "203.0.113.10", port).vni(200)
                .payload("b".getBytes()).build(), fastpath2.dataAddress());
        ReferencePackets.Decoded back = receive(insideNextHop);
        assertThat(back.dst()).isEqualTo("10.0.0.5");
        assertThat(back.dstPort()).isEqualTo(40001);
        // And the inside host's packets leave from the same public port
        send(insideHost, out, fastpath1.dataAddress());
        assertThat(receive(outsideNextHop).srcPort()).isEqualTo(port);
        assertThat(json.readTree(send("GET", "/config", null).body()).path("insideNextHop").asText())
                .isEqualTo("127.0.0.1:" + insideNextHop.getLocalPort());
    }

    // ---------------------------------------------------------------- helpers

    private Fastpath startFastpath(int id) {
        return Fastpath.start(FastpathOptions.of(id, LOOPBACK, 0, slowpath.controlAddress())
                .withHelloInterval(Duration.ofMillis(100)));
    }

    private static DatagramSocket socket() throws Exception {
        return Datagrams.socket(BOUND);
    }

    private static void send(DatagramSocket from, byte[] packet, InetSocketAddress to) throws Exception {
        Datagrams.send(from, packet, to);
    }

    private static ReferencePackets.Decoded receive(DatagramSocket socket) throws Exception {
        return ReferencePackets.decode(Datagrams.receive(socket));
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = send("GET", path, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + slowpath.configAddress().getPort() + path));
        request.method(method, body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
