package io.isthmus.e2e.bench.jmh;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.isthmus.control.Action;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.FlowKey;
import io.isthmus.fastpath.flow.FlowTable;
import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.flow.IdleTimeouts;
import io.isthmus.fastpath.packet.EthernetFlyweight;
import io.isthmus.fastpath.packet.Ipv4Flyweight;
import io.isthmus.fastpath.packet.PacketParser;
import io.isthmus.fastpath.packet.UdpFlyweight;
import io.isthmus.fastpath.packet.VxlanFlyweight;
import io.isthmus.fastpath.io.RingPacketIo;
import io.isthmus.fastpath.worker.BatchPrefetcher;
import io.isthmus.fastpath.worker.FastpathWorker;
import io.isthmus.fastpath.worker.PuntLimiter;
import io.isthmus.fastpath.worker.WorkerCounters;

/**
 * The fastpath's per-packet work on in-memory frames, one core: parse (VXLAN, Ethernet, IPv4 with its checksum
 * verified, UDP) → flow-table lookup → NAT program (rewrite source address and port with RFC 1624 checksum updates,
 * set VNI, set next hop). One operation is one packet, so the score in ops/µs is Mpps. Goal (the issue): ≥ 10 Mpps
 * per core and 0 bytes allocated per packet; run with {@code -prof gc} and read {@code gc.alloc.rate.norm}. No I/O.
 * {@link #pipeline} runs a batch of 64 as the worker does (looked up ahead when the flows outgrow the caches);
 * {@link #pipelineNoLookahead} one packet after the other, for comparison.
 * <p>
 * Each frame's flow has two rules, the NAT's forward rule and one that translates it back, so a frame alternates
 * between its inside and its outside form and every packet hits. {@code flows} frames of 68 bytes (64-byte inner
 * frames, the worst case per byte), one per flow, are read in order as from a receive ring; their flows' slots and
 * programs are spread at random over the tables (rules installed in a random order). At 1024 flows the tables stay
 * in cache and the figure is the CPU cost; at 1M every packet misses the cache on its flow's slot (which carries the
 * NAT program too), and the look-ahead makes those misses overlap; the 1M frames (128 MiB) stream from memory as
 * well, where a real receive batch arrives in cache.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class PipelineBenchmark {

    private static final int BATCH = 64;
    private static final int STRIDE = 128;
    private static final int PAYLOAD = 18;
    private static final int FRAME_LENGTH = PacketParser.IPV4_OFFSET_IN_PACKET + Ipv4Flyweight.MIN_HEADER_LENGTH
            + UdpFlyweight.HEADER_LENGTH + PAYLOAD;
    private static final int INSIDE_VNI = 100;
    private static final int OUTSIDE_VNI = 200;
    private static final int SERVER = 0xC6336407; // 198.51.100.7

    @Param({"1024", "1000000"})
    int flows;

    private ForwardingEngine engine;
    private BatchPrefetcher prefetcher;
    private RingPacketIo ring;
    private FastpathWorker worker;
    private static final RingPacketIo.SentPacketHandler DISCARD = (buffer, offset, length, destination) -> {
    };
    private ByteBuffer frames;
    private int cursor;
    private final PacketParser parser = new PacketParser();

    @Setup(Level.Trial)
    public void setUp() {
        engine = new ForwardingEngine(2 * flows, 4, IdleTimeouts.DEFAULTS);
        engine.advanceTo(0);
        prefetcher = new BatchPrefetcher(engine);
        ring = new RingPacketIo(2 * BATCH, STRIDE, new InetSocketAddress("127.0.0.1", 4789));
        RingPacketIo control = new RingPacketIo(16, ControlProtocol.MAX_MESSAGE_LENGTH,
                new InetSocketAddress("127.0.0.1", 47_000));
        worker = new FastpathWorker(new FastpathWorker.Settings(0, new InetSocketAddress("127.0.0.1", 47_001),
                Long.MAX_VALUE / 4), ring, control, engine, new PuntLimiter(1, 1), new WorkerCounters(),
                () -> 0L); // the rules' clock stands still: nothing expires during the run
        frames = ByteBuffer.allocateDirect(flows * STRIDE);
        int[] installOrder = new int[flows];
        for (int i = 0; i < flows; i++) {
            writeFrame(i * STRIDE, inside(i), insidePort(i));
            installOrder[i] = i;
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = flows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = installOrder[i];
            installOrder[i] = installOrder[j];
            installOrder[j] = t;
        }
        for (int i : installOrder) {
            int publicAddress = 0xCB000000 | (i >>> 14);
            int publicPort = 1024 + (i & 0x3FFF);
            // forward: inside flow → public source, outside VNI
            rule(FlowKey.packHigh(INSIDE_VNI, FlowKey.UDP, insidePort(i), 53), FlowKey.packLow(inside(i), SERVER),
                    publicAddress, publicPort, OUTSIDE_VNI, 1);
            // and back again, so the frame hits on every visit
            rule(FlowKey.packHigh(OUTSIDE_VNI, FlowKey.UDP, publicPort, 53), FlowKey.packLow(publicAddress, SERVER),
                    inside(i), insidePort(i), INSIDE_VNI, 2);
        }
        System.out.printf("%n%,d rules, %,d frames of %d bytes, huge pages advised for the flow table: %s%n",
                engine.flowCount(), flows, FRAME_LENGTH, FlowTable.hugePages());
    }

    private static int inside(int i) {
        return 0x0A000000 | i;
    }

    private static int insidePort(int i) {
        return 1024 + (i % 60_000);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    /**
     * As the worker runs a received batch: looked up ahead first ({@link BatchPrefetcher}) when the flows outgrow the
     * caches (here: at 1M flows, not at 1,024), then each packet parsed, looked up and rewritten.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pipeline() {
        if (prefetcher.worthwhile()) {
            lookAhead();
        }
        return process();
    }

    /** Each packet on its own, never looked up ahead: what {@link #pipeline} gains by it. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pipelineNoLookahead() {
        return process();
    }

    /** Only the look-ahead of a batch: its share of {@link #pipeline}. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int lookaheadOnly() {
        lookAhead();
        cursor = (cursor + BATCH) % flows;
        return cursor;
    }

    /** Looks the next batch of frames up ahead, from the cursor, leaving the cursor where it is. */
    private void lookAhead() {
        for (int p = 0, c = cursor; p < BATCH; p++, c = c + 1 == flows ? 0 : c + 1) {
            prefetcher.add(frames, c * STRIDE, FRAME_LENGTH);
        }
        prefetcher.finish();
    }

    /**
     * The same packets through a real {@link FastpathWorker} over in-memory rings, a batch of 64 per
     * {@link FastpathWorker#doWork()}: the frames are copied into the receive ring (as a NIC writes them), the worker
     * polls, looks up ahead when it pays, forwards and counts, and the sent ring is emptied. Run with {@code -t 2} and
     * {@code -t 1} for figure 6: each thread is a worker of its own, as {@code --workers 2} makes them, with no
     * socket in the way.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int worker() {
        for (int p = 0; p < BATCH; p++, cursor = cursor + 1 == flows ? 0 : cursor + 1) {
            ring.offer(frames, cursor * STRIDE, FRAME_LENGTH);
        }
        int work = worker.doWork();
        ring.drainSent(DISCARD, BATCH);
        return work;
    }

    private int process() {
        int nextHops = 0;
        for (int p = 0; p < BATCH; p++) {
            int offset = cursor * STRIDE;
            cursor = cursor + 1 == flows ? 0 : cursor + 1;
            if (parser.parse(frames, offset, FRAME_LENGTH) != PacketParser.PARSED) {
                throw new IllegalStateException("frame at " + offset + " does not parse");
            }
            int program = engine.lookup(parser);
            if (program < 0) {
                throw new IllegalStateException("frame at " + offset + " misses");
            }
            nextHops += engine.execute(program, parser);
        }
        return nextHops;
    }

    private void rule(long keyHigh, long keyLow, int address, int port, int vni, int nextHopPort) {
        engine.onRuleStart(keyHigh, keyLow);
        engine.onAction(Action.REWRITE_SOURCE, address, port);
        engine.onAction(Action.SET_VNI, vni, 0);
        engine.onAction(Action.SET_NEXT_HOP, 0x7F000001, 40_000 + nextHopPort);
        engine.onRuleEnd();
    }

    private void writeFrame(int offset, int source, int sourcePort) {
        new VxlanFlyweight().wrap(frames, offset).reset(INSIDE_VNI);
        new EthernetFlyweight().wrap(frames, offset + VxlanFlyweight.HEADER_LENGTH).dstMac(0x0200_0000_0002L)
                .srcMac(0x0200_0000_0001L).etherType(EthernetFlyweight.ETHER_TYPE_IPV4);
        int ip = offset + PacketParser.IPV4_OFFSET_IN_PACKET;
        int udpLength = UdpFlyweight.HEADER_LENGTH + PAYLOAD;
        Ipv4Flyweight ipv4 = new Ipv4Flyweight().wrap(frames, ip).versionAndIhl(4, 5).tos(0)
                .totalLength(Ipv4Flyweight.MIN_HEADER_LENGTH + udpLength).identification(0x1234)
                .flagsAndFragmentOffset(Ipv4Flyweight.FLAG_DONT_FRAGMENT).ttl(64)
                .protocol(Ipv4Flyweight.PROTOCOL_UDP).srcAddress(source).dstAddress(SERVER);
        ipv4.updateChecksum();
        int l4 = ip + Ipv4Flyweight.MIN_HEADER_LENGTH;
        for (int b = 0; b < PAYLOAD; b++) {
            frames.put(l4 + UdpFlyweight.HEADER_LENGTH + b, (byte) b);
        }
        UdpFlyweight udp = new UdpFlyweight().wrap(frames, l4).srcPort(sourcePort).dstPort(53).length(udpLength)
                .checksum(0);
        udp.checksum(udp.computeChecksum(ip));
    }
}
