package io.isthmus.vnf.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.fastpath.Fastpath;
import io.isthmus.fastpath.FastpathOptions;
import io.isthmus.fastpath.testing.Datagrams;
import io.isthmus.fastpath.testing.ReferencePackets;
import io.isthmus.slowpath.Slowpath;
import io.isthmus.slowpath.SlowpathOptions;
import io.isthmus.slowpath.service.SlowpathStats;

/**
 * The NAT through fastpath failures and growth, in one JVM over loopback: a slowpath with the NAT policy, real
 * fastpath workers, inside hosts sending without pause, next hops played by sockets. A fastpath killed and started
 * again, or a new one added, learns the flows from its misses and the slowpath answers from the bindings it kept:
 * every flow keeps its public port.
 */
class NatResilienceTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final int FLOWS = 6;
    private static final String REMOTE = "198.51.100.7";
    private static final String PUBLIC = "203.0.113.10";

    private final NatPolicy policy = new NatPolicy();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private Slowpath slowpath;
    private DatagramSocket insideHosts;
    private DatagramSocket insideNextHop;
    private DatagramSocket outsideNextHop;
    private DatagramSocket remote;

    /** Where the inside hosts' packets go now. */
    private final AtomicReference<InetSocketAddress> target = new AtomicReference<>();
    /** What the outside next hop saw: per phase, per flow, the public ports its packets carried. */
    private final AtomicInteger phase = new AtomicInteger();
    private final Map<Integer, Map<Integer, Set<Integer>>> portsSeen = new ConcurrentHashMap<>();
    private final AtomicInteger wrongPackets = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        slowpath = Slowpath.start(SlowpathOptions.of("nat", "vnf-resilience", LOOPBACK, 0, 0), policy,
                Clock.systemUTC());
        closeables.add(slowpath);
        insideHosts = socket();
        insideNextHop = socket();
        outsideNextHop = socket();
        remote = socket();
        slowpath.service().configure(new ObjectMapper().readTree("""
                {"publicAddress":"%s","portRangeStart":20000,"portRangeEnd":29999,
                 "insideVni":100,"outsideVni":200,
                 "insideNextHop":"127.0.0.1:%d","outsideNextHop":"127.0.0.1:%d"}"""
                .formatted(PUBLIC, insideNextHop.getLocalPort(), outsideNextHop.getLocalPort())));
        Thread.ofPlatform().daemon(true).name("outside-next-hop").start(this::receiveOutside);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        for (AutoCloseable c : closeables.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void aFastpathKilledAndRestartedUnderTrafficRelearnsEveryFlowWithItsPublicPort() throws Exception {
        // Given two fastpaths, and inside hosts sending to fastpath 1 without pause
        Fastpath first = fastpath(1, 0);
        fastpath(2, 0);
        awaitFastpaths(2);
        int dataPort = first.dataAddress().getPort();
        sendContinuouslyTo(first.dataAddress());
        Map<Integer, Integer> ports = awaitEveryFlowSeen(0);
        long puntsBefore = slowpath.service().stats().punts();

        // When fastpath 1 is killed and a new process takes its id and data port, traffic still flowing
        first.close();
        phase.set(1);
        Fastpath restarted = fastpath(1, dataPort);

        // Then every flow comes through again with the public port it had: no binding was lost or changed
        assertThat(awaitEveryFlowSeen(1)).isEqualTo(ports);
        assertThat(portsSeen.get(1).values()).allSatisfy(seen -> assertThat(seen).hasSize(1));
        assertThat(policy.bindings().size()).isEqualTo(FLOWS);
        assertThat(wrongPackets).hasValue(0);
        // And it learnt them from its misses, with no operator action
        SlowpathStats stats = slowpath.service().stats();
        assertThat(stats.punts()).isGreaterThan(puntsBefore);
        assertThat(stats.fastpaths()).extracting(SlowpathStats.Fastpath::id).containsExactly(1, 2);
        // And replies through the restarted fastpath are translated back to the inside host
        assertReplyTranslated(restarted, ports, 0);
    }

    @Test
    void aThirdFastpathJoinsWithoutBreakingTheFlowsEstablishedOnTheFirstTwo() throws Exception {
        // Given flows established through fastpath 1 outbound and fastpath 2 inbound
        Fastpath first = fastpath(1, 0);
        Fastpath second = fastpath(2, 0);
        awaitFastpaths(2);
        sendContinuouslyTo(first.dataAddress());
        Map<Integer, Integer> ports = awaitEveryFlowSeen(0);
        for (int flow = 0; flow < FLOWS; flow++) {
            assertReplyTranslated(second, ports, flow);
        }
        long firstPunts = puntsOf(1);
        long secondPunts = puntsOf(2);

        // When a third fastpath is added by scale-out
        phase.set(1);
        Fastpath third = fastpath(3, 0);
        awaitFastpaths(3);

        // Then the first two keep forwarding the established flows from their tables: same ports, no new punt
        awaitEveryFlowSeen(1);
        assertThat(awaitEveryFlowSeen(1)).isEqualTo(ports);
        assertThat(puntsOf(1)).isEqualTo(firstPunts);
        assertReplyTranslated(second, ports, 0);
        assertThat(puntsOf(2)).isEqualTo(secondPunts);

        // When the traffic moves to the new fastpath
        phase.set(2);
        target.set(third.dataAddress());

        // Then it learns each flow from one miss and translates it exactly as before, both ways
        assertThat(awaitEveryFlowSeen(2)).isEqualTo(ports);
        assertThat(portsSeen.get(2).values()).allSatisfy(seen -> assertThat(seen).hasSize(1));
        for (int flow = 0; flow < FLOWS; flow++) {
            assertReplyTranslated(third, ports, flow);
        }
        assertThat(puntsOf(3)).isPositive();
        assertThat(policy.bindings().size()).isEqualTo(FLOWS);
        assertThat(wrongPackets).hasValue(0);
    }

    // ---------------------------------------------------------------- traffic

    /** Inside host {@code 10.0.0.<flow+1>:40000} talks to the remote; its payload names the flow. */
    private static byte[] outbound(int flow) {
        return ReferencePackets.udp("10.0.0." + (flow + 1), 40_000, REMOTE, 53).vni(100).ttl(64)
                .payload(("flow-" + flow).getBytes(StandardCharsets.US_ASCII)).build();
    }

    private void sendContinuouslyTo(InetSocketAddress to) {
        target.set(to);
        byte[][] packets = new byte[FLOWS][];
        for (int flow = 0; flow < FLOWS; flow++) {
            packets[flow] = outbound(flow);
        }
        scheduler.scheduleAtFixedRate(() -> {
            for (byte[] packet : packets) {
                try {
                    insideHosts.send(new DatagramPacket(packet, packet.length, target.get()));
                } catch (Exception e) {
                    // the fastpath's port may be closed for a moment: that packet is lost, as on a wire
                }
            }
        }, 0, 2, TimeUnit.MILLISECONDS);
    }

    private void receiveOutside() {
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        while (!outsideNextHop.isClosed()) {
            try {
                outsideNextHop.receive(packet);
            } catch (Exception e) {
                continue;
            }
            ReferencePackets.Decoded out = ReferencePackets.decode(
                    Arrays.copyOf(packet.getData(), packet.getLength()));
            String payload = new String(out.payload(), StandardCharsets.US_ASCII);
            if (out.vni() != 200 || !out.src().equals(PUBLIC) || !out.l4ChecksumValid()
                    || !payload.startsWith("flow-")) {
                wrongPackets.incrementAndGet();
                continue;
            }
            int flow = Integer.parseInt(payload.substring(5));
            portsSeen.computeIfAbsent(phase.get(), p -> new ConcurrentHashMap<>())
                    .computeIfAbsent(flow, f -> ConcurrentHashMap.newKeySet()).add(out.srcPort());
        }
    }

    /** Waits until every flow came out in {@code p}; returns each one's public port. */
    private Map<Integer, Integer> awaitEveryFlowSeen(int p) {
        await().atMost(BOUND).until(() -> portsSeen.getOrDefault(p, Map.of()).size() == FLOWS);
        Map<Integer, Integer> ports = new ConcurrentHashMap<>();
        portsSeen.get(p).forEach((flow, seen) -> ports.put(flow, seen.iterator().next()));
        return ports;
    }

    /** A reply from the remote to flow {@code flow}'s public port, sent to {@code fastpath}, reaches its host. */
    private void assertReplyTranslated(Fastpath fastpath, Map<Integer, Integer> ports, int flow) throws Exception {
        byte[] reply = ReferencePackets.udp(REMOTE, 53, PUBLIC, ports.get(flow)).vni(200)
                .payload(("reply-" + flow).getBytes(StandardCharsets.US_ASCII)).build();
        remote.send(new DatagramPacket(reply, reply.length, fastpath.dataAddress()));
        ReferencePackets.Decoded in = ReferencePackets.decode(Datagrams.receive(insideNextHop));
        assertThat(in.vni()).isEqualTo(100);
        assertThat(in.dst()).isEqualTo("10.0.0." + (flow + 1));
        assertThat(in.dstPort()).isEqualTo(40_000);
        assertThat(in.src()).isEqualTo(REMOTE);
        assertThat(in.l4ChecksumValid()).isTrue();
    }

    // ---------------------------------------------------------------- processes

    private Fastpath fastpath(int id, int dataPort) {
        Fastpath fastpath = Fastpath.start(FastpathOptions.of(id, LOOPBACK, dataPort, slowpath.controlAddress())
                .withHelloInterval(Duration.ofMillis(100)));
        closeables.add(fastpath);
        return fastpath;
    }

    private void awaitFastpaths(int count) {
        await().atMost(BOUND).until(() -> slowpath.service().health().fastpaths() == count);
    }

    private long puntsOf(int id) throws InterruptedException {
        return slowpath.service().stats().fastpaths().stream().filter(f -> f.id() == id).findFirst().orElseThrow()
                .punts();
    }

    private DatagramSocket socket() throws SocketException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        socket.setSoTimeout((int) BOUND.toMillis());
        closeables.add(socket);
        return socket;
    }
}
