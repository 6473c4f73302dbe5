package io.isthmus.fastpath.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FastpathStats;
import io.isthmus.control.FlowKey;
import io.isthmus.control.PuntReason;
import io.isthmus.control.message.PuntFlyweight;
import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.flow.IdleTimeouts;
import io.isthmus.fastpath.io.RingPacketIo;
import io.isthmus.fastpath.packet.PacketParser;
import io.isthmus.fastpath.testing.ReferencePackets;

/**
 * A worker with more flows than {@link BatchPrefetcher#MIN_FLOWS} looks each received batch up ahead: the packets must
 * come out exactly as one at a time (same rewrites, same order, misses and broken packets handled the same), and
 * nothing may be allocated per packet.
 */
class BatchLookaheadTest {

    private static final long SECOND = 1_000_000_000L;
    private static final InetSocketAddress SLOWPATH = new InetSocketAddress("127.0.0.1", 40300);
    private static final int FLOWS = BatchPrefetcher.MIN_FLOWS + 1000;
    private static final int SERVER = ReferencePackets.parse("198.51.100.7");
    private static final int PUBLIC = ReferencePackets.parse("203.0.113.10");

    private final RingPacketIo data = new RingPacketIo(256, 2048, new InetSocketAddress("127.0.0.1", 40100));
    private final RingPacketIo control = new RingPacketIo(256, 65_536, new InetSocketAddress("127.0.0.1", 40200));
    private final WorkerCounters counters = new WorkerCounters();
    private final ForwardingEngine engine = new ForwardingEngine(FLOWS, 8, IdleTimeouts.DEFAULTS);
    private final FastpathWorker worker = new FastpathWorker(new FastpathWorker.Settings(1, SLOWPATH, 3600 * SECOND),
            data, control, engine, new PuntLimiter(100_000, 1000), counters, () -> 5 * SECOND);

    @AfterEach
    void free() {
        engine.close();
    }

    @Test
    void aBatchLookedUpAheadComesOutAsOneAtATime() {
        // Given a worker holding more flows than the look-ahead threshold: flow i maps 10.x.y.z:port to 203.0.113.10
        // port 1024 + i, towards next hop 40000 + i % 4
        installFlows();
        worker.doWork();
        FastpathWorkerTest.drain(control);
        assertThat(new BatchPrefetcher(engine).worthwhile()).isTrue();

        // When one batch mixes hits of flows spread over the table, a miss, a broken packet and an IPv6 packet
        List<Integer> hits = List.of(0, 17, 31_000, 5, FLOWS - 1, 12_345, 17, 29_999);
        for (int i = 0; i < hits.size(); i++) {
            data.offer(packetOf(hits.get(i)));
            if (i == 2) {
                data.offer(ReferencePackets.udp("10.200.0.1", 9, "198.51.100.7", 53).vni(100).build());
            }
            if (i == 4) {
                data.offer(ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).vxlanFlags(0).build());
            }
            if (i == 5) {
                data.offer(ReferencePackets.ipv6Udp(100, 0x2001_0db8L << 32, 1, 0x2001_0db8L << 32, 2, 1000, 53, 64,
                        new byte[8]));
            }
        }
        worker.doWork();

        // Then each hit left in order, translated by its own flow's rule, with correct checksums
        List<FastpathWorkerTest.Sent> forwarded = FastpathWorkerTest.drain(data);
        assertThat(forwarded).hasSize(hits.size());
        for (int i = 0; i < hits.size(); i++) {
            int flow = hits.get(i);
            ReferencePackets.Decoded out = ReferencePackets.decode(forwarded.get(i).bytes());
            assertThat(out.src()).isEqualTo("203.0.113.10");
            assertThat(out.srcPort()).isEqualTo(publicPort(flow));
            assertThat(out.vni()).isEqualTo(200);
            assertThat(out.ipChecksumValid()).isTrue();
            assertThat(out.l4ChecksumValid()).isTrue();
            assertThat(forwarded.get(i).destination().getPort()).isEqualTo(40_000 + flow % 4);
        }
        // And the miss and the IPv6 packet were punted, the broken one counted as an error
        List<FastpathWorkerTest.Sent> punts = FastpathWorkerTest.drain(control);
        assertThat(punts).extracting(p -> PuntFlyweight.reason(ByteBuffer.wrap(p.bytes()), 0))
                .containsExactly(PuntReason.MISS, PuntReason.IPV6);
        assertThat(counters.get(FastpathStats.HITS_INDEX)).isEqualTo(hits.size());
        assertThat(counters.get(FastpathStats.MISSES_INDEX)).isEqualTo(1);
        assertThat(counters.get(FastpathStats.ERRORS_INDEX)).isEqualTo(1);
    }

    @Test
    void readsTheKeyOfTcpAndUdpPacketsAsTheParserDoesAndLeavesOthersAlone() {
        BatchPrefetcher prefetcher = new BatchPrefetcher(engine);
        PacketParser parser = new PacketParser();
        List<byte[]> keyed = List.of(
                ReferencePackets.udp("10.1.2.3", 40001, "198.51.100.7", 53).vni(0xABCDEF).build(),
                ReferencePackets.tcp("192.0.2.200", 65535, "10.255.0.1", 443).vni(1).build());
        for (byte[] packet : keyed) {
            prefetcher.add(ByteBuffer.wrap(packet), 0, packet.length);
            assertThat(parser.parse(ByteBuffer.wrap(packet), 0, packet.length)).isEqualTo(PacketParser.PARSED);
            int i = prefetcher.taken() - 1;
            assertThat(FlowKey.unpack(prefetcher.keyHigh(i), prefetcher.keyLow(i)))
                    .isEqualTo(FlowKey.unpack(parser.keyHigh(), parser.keyLow()));
        }
        // ICMP, IPv4 options, IPv6 and a truncated packet are not looked up ahead
        byte[] withOptions = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).ipOptionWords(1).build();
        List<byte[]> others = List.of(ReferencePackets.icmpEcho(true, "10.0.0.1", "10.0.0.2", 7, 1).build(),
                withOptions, ReferencePackets.ipv6Udp(100, 0x2001_0db8L << 32, 1, 0x2001_0db8L << 32, 2, 1000, 53, 64,
                        new byte[8]),
                java.util.Arrays.copyOf(keyed.get(0), 40));
        for (byte[] packet : others) {
            prefetcher.add(ByteBuffer.wrap(packet), 0, packet.length);
        }
        assertThat(prefetcher.taken()).isEqualTo(keyed.size());
        prefetcher.finish();
        assertThat(prefetcher.taken()).isZero();
    }

    @Test
    void lookingAheadAllocatesNothingPerPacket() {
        // Given a worker above the look-ahead threshold and 64 packets of different flows in preallocated buffers
        installFlows();
        worker.doWork();
        FastpathWorkerTest.drain(control);
        ByteBuffer[] packets = new ByteBuffer[64];
        for (int i = 0; i < packets.length; i++) {
            byte[] bytes = packetOf(i * 509);
            packets[i] = ByteBuffer.allocateDirect(bytes.length).put(0, bytes);
        }
        RingPacketIo.SentPacketHandler discard = (buffer, offset, length, destination) -> {
        };
        forward(packets, discard, 1_000); // let the JIT compile the path

        // When 64 000 packets are forwarded in batches of 64
        long allocated = FastpathWorkerTest.allocatedBy(() -> forward(packets, discard, 1_000));

        // Then they all hit and (next to) nothing was allocated
        assertThat(counters.get(FastpathStats.HITS_INDEX)).isEqualTo(128_000);
        assertThat(allocated).isLessThan(10_000);
    }

    private void forward(ByteBuffer[] packets, RingPacketIo.SentPacketHandler discard, int batches) {
        for (int b = 0; b < batches; b++) {
            for (ByteBuffer packet : packets) {
                data.offer(packet, 0, packet.capacity());
            }
            worker.doWork();
            data.drainSent(discard, 256);
        }
    }

    private void installFlows() {
        for (int i = 0; i < FLOWS; i++) {
            engine.onRuleStart(FlowKey.packHigh(100, FlowKey.UDP, insidePort(i), 53),
                    FlowKey.packLow(inside(i), SERVER));
            engine.onAction(Action.REWRITE_SOURCE, PUBLIC, publicPort(i));
            engine.onAction(Action.SET_VNI, 200, 0);
            engine.onAction(Action.SET_NEXT_HOP, ReferencePackets.parse("127.0.0.1"), 40_000 + i % 4);
            engine.onRuleEnd();
        }
        assertThat(engine.flowCount()).isEqualTo(FLOWS);
    }

    private static byte[] packetOf(int flow) {
        return ReferencePackets.udp(ReferencePackets.format(inside(flow)), insidePort(flow), "198.51.100.7", 53)
                .vni(100).build();
    }

    private static int inside(int i) {
        return 0x0A000000 | i;
    }

    private static int insidePort(int i) {
        return 1024 + i % 50_000;
    }

    private static int publicPort(int i) {
        return 1024 + i;
    }
}
