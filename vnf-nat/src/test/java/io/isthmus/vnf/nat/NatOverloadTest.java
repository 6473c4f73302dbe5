package io.isthmus.vnf.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.fastpath.Fastpath;
import io.isthmus.fastpath.FastpathOptions;
import io.isthmus.control.FastpathStats;
import io.isthmus.fastpath.testing.Datagrams;
import io.isthmus.fastpath.testing.ReferencePackets;
import io.isthmus.slowpath.Slowpath;
import io.isthmus.slowpath.SlowpathOptions;
import io.isthmus.slowpath.service.SlowpathStats;

/**
 * A flood of new flows against a real fastpath and the NAT: the fastpath sheds punts above its limit (dropped and
 * counted, its worker never waits), the slowpath sees a bounded share, and established flows keep being forwarded.
 */
class NatOverloadTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final int FLOOD = 5_000;

    private final NatPolicy policy = new NatPolicy();
    private Slowpath slowpath;
    private Fastpath fastpath;
    private DatagramSocket inside;
    private DatagramSocket outsideNextHop;

    @BeforeEach
    void start() throws Exception {
        slowpath = Slowpath.start(SlowpathOptions.of("nat", "vnf-overload", LOOPBACK, 0, 0), policy,
                Clock.systemUTC());
        // a punt limit of 200/s, bursts of 20: far below what the flood offers
        fastpath = Fastpath.start(FastpathOptions.of(1, LOOPBACK, 0, slowpath.controlAddress())
                .withHelloInterval(Duration.ofMillis(100)).withPuntLimit(200, 20));
        inside = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        outsideNextHop = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        outsideNextHop.setSoTimeout((int) BOUND.toMillis());
        slowpath.service().configure(new ObjectMapper().readTree("""
                {"publicAddress":"203.0.113.10","portRangeStart":1024,"portRangeEnd":65535,
                 "insideVni":100,"outsideVni":200,
                 "insideNextHop":"127.0.0.1:9","outsideNextHop":"127.0.0.1:%d"}"""
                .formatted(outsideNextHop.getLocalPort())));
        await().atMost(BOUND).until(() -> slowpath.service().health().fastpaths() == 1);
    }

    @AfterEach
    void stop() {
        fastpath.close();
        slowpath.close();
        inside.close();
        outsideNextHop.close();
    }

    @Test
    void aFloodOfNewFlowsIsShedByThePuntLimitAndEstablishedFlowsKeepFlowing() throws Exception {
        // Given an established flow
        byte[] established = ReferencePackets.udp("10.9.9.9", 5000, "198.51.100.7", 53).vni(100).payload(new byte[8])
                .build();
        send(established);
        int port = ReferencePackets.decode(receive()).srcPort();

        // When a flood of new flows arrives, each a miss
        for (int i = 0; i < FLOOD; i++) {
            send(ReferencePackets.udp("10.1." + (i >> 8) + "." + (i & 0xFF), 1024 + i, "198.51.100.7", 53)
                    .vni(100).payload(new byte[8]).build());
        }

        // Then the fastpath punted what its limit allowed, dropped and counted the rest
        await().atMost(BOUND).untilAsserted(() -> {
            long punts = fastpath.counters().get(FastpathStats.PUNTS_INDEX);
            long puntDrops = fastpath.counters().get(FastpathStats.PUNT_DROPS_INDEX);
            assertThat(puntDrops).isPositive();
            assertThat(punts + puntDrops).isEqualTo(fastpath.counters().get(FastpathStats.MISSES_INDEX));
        });
        assertThat(fastpath.isRunning()).isTrue();
        // And the slowpath bound only the flows it was given, each at most once
        await().atMost(BOUND).untilAsserted(() -> {
            SlowpathStats stats = slowpath.service().stats();
            assertThat(stats.reinjects()).isEqualTo(stats.punts() - stats.puntQueueDrops());
            assertThat(policy.bindings().size()).isEqualTo((int) stats.reinjects());
        });
        assertThat(policy.bindings().size()).isLessThan(FLOOD / 2);

        // And the established flow still goes through the fastpath with its translation (told by its payload from
        // the flood's late packets, which a loaded machine may still be forwarding)
        drainOutside();
        byte[] marked = "established".getBytes();
        send(ReferencePackets.udp("10.9.9.9", 5000, "198.51.100.7", 53).vni(100).payload(marked).build());
        ReferencePackets.Decoded next = ReferencePackets.decode(receive());
        for (int i = 0; i < FLOOD && !java.util.Arrays.equals(next.payload(), marked); i++) {
            next = ReferencePackets.decode(receive());
        }
        assertThat(next.payload()).isEqualTo(marked);
        assertThat(next.srcPort()).isEqualTo(port);
    }

    private void send(byte[] packet) throws Exception {
        inside.send(new DatagramPacket(packet, packet.length, fastpath.dataAddress()));
    }

    private byte[] receive() throws Exception {
        return Datagrams.receive(outsideNextHop);
    }

    /** Reads what the flood's forwarded packets left, until the socket is quiet. */
    private void drainOutside() throws Exception {
        Datagrams.drain(outsideNextHop, 200, (int) BOUND.toMillis());
    }
}
