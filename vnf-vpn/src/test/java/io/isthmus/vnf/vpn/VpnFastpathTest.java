package io.isthmus.vnf.vpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.fastpath.Fastpath;
import io.isthmus.fastpath.FastpathOptions;
import io.isthmus.fastpath.testing.Datagrams;
import io.isthmus.fastpath.testing.ReferenceEsp;
import io.isthmus.fastpath.testing.ReferencePackets;
import io.isthmus.slowpath.Slowpath;
import io.isthmus.slowpath.SlowpathOptions;

/**
 * Two VPN gateways in one JVM over loopback, each the other's peer: a slowpath (the policy found by the ServiceLoader,
 * as {@code --vnf-type vpn} does) and a fastpath each, configured through the real HTTP endpoint; their outsides joined
 * by a relay socket that keeps a copy of what the first sends; VPC packets from test sockets, built and checked by the
 * independent reference encoder. IKE, SAs, ESP and the rules all as in production, no root needed (the
 * interoperability test with strongSwan is {@link VpnStrongSwanTest}).
 */
class VpnFastpathTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(BOUND).build();
    private final List<byte[]> relayed = new CopyOnWriteArrayList<>();
    private Slowpath slowpathVpc;
    private Fastpath fastpathVpc;
    private Slowpath slowpathOffice;
    private SaRecordingPolicy officePolicy;
    private Fastpath fastpathOffice;
    private DatagramSocket relay;
    private Thread relaying;
    private DatagramSocket vpcHost;
    private DatagramSocket vpcNextHop;
    private DatagramSocket officeHost;
    private DatagramSocket officeNextHop;

    @BeforeEach
    void start() throws Exception {
        slowpathVpc = Slowpath.start(SlowpathOptions.of("vpn", "vnf-vpn-a", LOOPBACK, 0, 0));
        fastpathVpc = Fastpath.start(FastpathOptions.of(1, LOOPBACK, 0, slowpathVpc.controlAddress())
                .withHelloInterval(Duration.ofMillis(100)));
        // the office's policy keeps the SAs it installs, so that a test can seal ESP with the VPC gateway's keys
        officePolicy = new SaRecordingPolicy(new VpnPolicy());
        slowpathOffice = Slowpath.start(SlowpathOptions.of("vpn", "vnf-vpn-b", LOOPBACK, 0, 0), officePolicy,
                Clock.systemUTC());
        fastpathOffice = Fastpath.start(FastpathOptions.of(1, LOOPBACK, 0, slowpathOffice.controlAddress())
                .withHelloInterval(Duration.ofMillis(100)));
        vpcHost = Datagrams.socket(BOUND);
        vpcNextHop = Datagrams.socket(BOUND);
        officeHost = Datagrams.socket(BOUND);
        officeNextHop = Datagrams.socket(BOUND);
        // the first gateway's outside reaches the second through here; every datagram is kept
        relay = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        InetSocketAddress office = fastpathOffice.dataAddress();
        relaying = Thread.ofVirtual().start(() -> {
            DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
            try {
                while (true) {
                    relay.receive(packet);
                    byte[] copy = Arrays.copyOf(packet.getData(), packet.getLength());
                    relayed.add(copy);
                    relay.send(new DatagramPacket(copy, copy.length, office));
                }
            } catch (Exception closed) {
                // the test is over
            }
        });
        await().atMost(BOUND).until(() -> fastpaths(slowpathVpc) == 1 && fastpaths(slowpathOffice) == 1);
    }

    @AfterEach
    void stop() throws Exception {
        relay.close();
        relaying.join(BOUND);
        for (AutoCloseable c : new AutoCloseable[]{fastpathVpc, slowpathVpc, fastpathOffice, slowpathOffice, vpcHost,
                vpcNextHop, officeHost, officeNextHop}) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void theGatewaysNegotiateAndCarryPacketsEncryptedBothWays() throws Exception {
        configureBoth();
        await().atMost(BOUND).until(() -> "UP".equals(connection(slowpathVpc).path("tunnel").asText())
                && "UP".equals(connection(slowpathOffice).path("tunnel").asText()));

        // a VPC host's datagram to the office reaches the office's VPC, decrypted, as it was sent
        byte[] request = ReferencePackets.udp("10.1.0.5", 40000, "172.20.0.7", 53).vni(100)
                .payload("who is there?".getBytes(StandardCharsets.US_ASCII)).build();
        Datagrams.send(vpcHost, request, fastpathVpc.dataAddress());
        ReferencePackets.Decoded arrived = Datagrams.decoded(officeNextHop);
        assertThat(arrived.vni()).isEqualTo(300);
        assertThat(arrived.src()).isEqualTo("10.1.0.5");
        assertThat(arrived.dst()).isEqualTo("172.20.0.7");
        assertThat(arrived.dstPort()).isEqualTo(53);
        assertThat(new String(arrived.payload(), StandardCharsets.US_ASCII)).isEqualTo("who is there?");
        assertThat(arrived.ipChecksumValid()).isTrue();
        assertThat(arrived.l4ChecksumValid()).isTrue();

        // and the answer comes back
        byte[] answer = ReferencePackets.udp("172.20.0.7", 53, "10.1.0.5", 40000).vni(300)
                .payload("the office".getBytes(StandardCharsets.US_ASCII)).build();
        Datagrams.send(officeHost, answer, fastpathOffice.dataAddress());
        ReferencePackets.Decoded back = Datagrams.decoded(vpcNextHop);
        assertThat(back.vni()).isEqualTo(100);
        assertThat(back.src()).isEqualTo("172.20.0.7");
        assertThat(new String(back.payload(), StandardCharsets.US_ASCII)).isEqualTo("the office");

        // what crossed between them was ESP, never the VPC's packet in clear
        assertThat(relayed).noneMatch(packet -> new String(packet, StandardCharsets.ISO_8859_1)
                .contains("who is there?"));
        await().atMost(BOUND).until(() -> connection(slowpathOffice).path("packetsIn").asLong() >= 1
                && connection(slowpathVpc).path("packetsOut").asLong() >= 1);
    }

    @Test
    void anEspPacketSentAgainIsDroppedAndCountedAsAReplay() throws Exception {
        configureBoth();
        await().atMost(BOUND).until(() -> "UP".equals(connection(slowpathVpc).path("tunnel").asText()));
        byte[] request = ReferencePackets.udp("10.1.0.5", 40001, "172.20.0.7", 53).vni(100)
                .payload("once only".getBytes(StandardCharsets.US_ASCII)).build();
        Datagrams.send(vpcHost, request, fastpathVpc.dataAddress());
        Datagrams.decoded(officeNextHop);
        // the last ESP packet (IP protocol 50: no NAT between them, so no UDP encapsulation) that crossed
        byte[] esp = relayed.reversed().stream().filter(packet -> (packet[8 + 14 + 9] & 0xFF) == 50).findFirst()
                .orElseThrow();

        // the same ESP packet again, as an attacker on the path would send it
        try (DatagramSocket attacker = Datagrams.socket(BOUND)) {
            Datagrams.send(attacker, esp, fastpathOffice.dataAddress());
        }

        await().atMost(BOUND).until(() -> connection(slowpathOffice).path("replays").asLong() == 1);
        assertThat(Datagrams.receiveOrNull(officeNextHopWithShortTimeout())).isNull();
    }

    @Test
    void aPacketFromOutsideTheNegotiatedSelectorsIsDroppedAndCountedEvenWhenSealedWithTheRightKeys() throws Exception {
        // Given the tunnel up and a genuine packet through it (the office's ESP rule is in place)
        configureBoth();
        await().atMost(BOUND).until(() -> "UP".equals(connection(slowpathOffice).path("tunnel").asText()));
        Datagrams.send(vpcHost, ReferencePackets.udp("10.1.0.5", 40001, "172.20.0.7", 53).vni(100)
                .payload("first".getBytes(StandardCharsets.US_ASCII)).build(), fastpathVpc.dataAddress());
        assertThat(Datagrams.decoded(officeNextHop).src()).isEqualTo("10.1.0.5");
        byte[] esp = relayed.reversed().stream().filter(packet -> (packet[8 + 14 + 9] & 0xFF) == 50).findFirst()
                .orElseThrow();
        int spi = ReferencePackets.u32(esp, 8 + 14 + 20);
        SecurityAssociation in = officePolicy.installed().stream()
                .filter(sa -> sa.direction() == SecurityAssociation.Direction.INBOUND && sa.spi() == spi).findFirst()
                .orElseThrow();
        long espErrorsBefore = fastpathOffice.counters().get(FastpathStats.ESP_ERRORS_INDEX);

        // When someone holding the VPC gateway's keys sends a packet from 10.9.0.5, outside its prefix 10.1.0.0/16,
        // then one from within it
        byte[] forged = ReferencePackets.udp("10.9.0.5", 40002, "172.20.0.7", 53).vni(100)
                .payload("spoofed".getBytes(StandardCharsets.US_ASCII)).build();
        byte[] genuine = ReferencePackets.udp("10.1.0.6", 40003, "172.20.0.7", 53).vni(100)
                .payload("genuine".getBytes(StandardCharsets.US_ASCII)).build();
        try (DatagramSocket attacker = Datagrams.socket(BOUND)) {
            Datagrams.send(attacker, sealed(forged, in, 1000), fastpathOffice.dataAddress());
            Datagrams.send(attacker, sealed(genuine, in, 1001), fastpathOffice.dataAddress());
        }

        // Then only the genuine one reaches the office's VPC
        ReferencePackets.Decoded arrived = Datagrams.decoded(officeNextHop);
        assertThat(arrived.src()).isEqualTo("10.1.0.6");
        assertThat(new String(arrived.payload(), StandardCharsets.US_ASCII)).isEqualTo("genuine");
        assertThat(Datagrams.receiveOrNull(officeNextHopWithShortTimeout())).isNull();

        // And the forged one is an ESP error of the fastpath and one of the tunnel's other drops
        assertThat(in.sourceRanges()).containsExactly(new SecurityAssociation.AddressRange(
                ReferencePackets.parse("10.1.0.0"), ReferencePackets.parse("10.1.255.255")));
        await().atMost(BOUND).until(
                () -> fastpathOffice.counters().get(FastpathStats.ESP_ERRORS_INDEX) == espErrorsBefore + 1);
        await().atMost(BOUND).until(() -> connection(slowpathOffice).path("otherDrops").asLong() == 1);
        assertThat(connection(slowpathOffice).path("authFailures").asLong()).isZero();
    }

    /** {@code vxlanPacket}'s IPv4 packet sealed as the VPC gateway would, with the keys of the office's {@code sa}. */
    private static byte[] sealed(byte[] vxlanPacket, SecurityAssociation sa, long sequence) throws Exception {
        ReferenceEsp.Seal how = ReferenceEsp.Seal.of(sa.spi(), sequence);
        how = sa.esn() ? how.withEsn() : how;
        how = sa.udpEncapsulated() ? how.inUdp(sa.encapsulationSourcePort(), sa.encapsulationDestinationPort()) : how;
        return ReferencePackets.vxlan(200, ReferenceEsp.seal(ReferencePackets.ipv4(vxlanPacket), how,
                sa.keyMaterial(), ReferencePackets.parse("203.0.113.10"), ReferencePackets.parse("203.0.113.20")));
    }

    private DatagramSocket officeNextHopWithShortTimeout() throws SocketException {
        officeNextHop.setSoTimeout(500);
        return officeNextHop;
    }

    private void configureBoth() throws Exception {
        put(slowpathOffice, """
                {"publicAddress":"203.0.113.20","outsideVni":200,"outsideNextHop":"127.0.0.1:%d","vpcVni":300,
                 "vpcNextHop":"127.0.0.1:%d",
                 "connections":[{"name":"vpc","peerAddress":"203.0.113.10","psk":"correct horse battery staple",
                   "localPrefixes":["172.20.0.0/24"],"remotePrefixes":["10.1.0.0/16"]}]}"""
                .formatted(fastpathVpc.dataAddress().getPort(), officeNextHop.getLocalPort()));
        put(slowpathVpc, """
                {"publicAddress":"203.0.113.10","outsideVni":200,"outsideNextHop":"127.0.0.1:%d","vpcVni":100,
                 "vpcNextHop":"127.0.0.1:%d",
                 "connections":[{"name":"office","peerAddress":"203.0.113.20","psk":"correct horse battery staple",
                   "localPrefixes":["10.1.0.0/16"],"remotePrefixes":["172.20.0.0/24"],"initiate":true}]}"""
                .formatted(relay.getLocalPort(), vpcNextHop.getLocalPort()));
    }

    private void put(Slowpath slowpath, String config) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri(slowpath, "/config")).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(config)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    private int fastpaths(Slowpath slowpath) throws Exception {
        return getJson(slowpath, "/health").path("fastpaths").asInt();
    }

    private JsonNode connection(Slowpath slowpath) throws Exception {
        return getJson(slowpath, "/stats").path("indicators").path("connections").path(0);
    }

    private JsonNode getJson(Slowpath slowpath, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(slowpath, path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    private static URI uri(Slowpath slowpath, String path) {
        return URI.create("http://127.0.0.1:" + slowpath.configAddress().getPort() + path);
    }
}
