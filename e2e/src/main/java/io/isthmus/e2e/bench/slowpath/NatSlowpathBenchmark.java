package io.isthmus.e2e.bench.slowpath;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.PuntReason;
import io.isthmus.control.message.BatchFlyweight;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.FlowExpiredFlyweight;
import io.isthmus.control.message.FlowKeyFlyweight;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.PuntFlyweight;
import io.isthmus.control.message.WelcomeFlyweight;
import io.isthmus.slowpath.Slowpath;
import io.isthmus.slowpath.SlowpathOptions;
import io.isthmus.slowpath.control.ControlQueue;
import io.isthmus.slowpath.control.ControlSender;
import io.isthmus.slowpath.control.FastpathRegistry;
import io.isthmus.slowpath.control.PolicyDriver;
import io.isthmus.slowpath.control.SlowpathCounters;
import io.isthmus.vnf.nat.NatPolicy;

/**
 * Benchmark 3: new NAT flows through the slowpath. Each new flow is a PUNT (a 68-byte VXLAN payload) that goes
 * through the bounded queue, the NAT policy (a new binding: a free public port), the rule ledger, and the encoding
 * of its forward and reverse rules into batched INSTALLs for two fastpaths and of its packet into a REINJECT_BATCH
 * (the fastpaths say in their HELLO that they take them).
 * <ul>
 * <li>{@code in-process}: the policy thread's work alone, on this thread, the messages encoded but handed to a
 * counting sender instead of a socket. Per core = flows per second of thread CPU time. This is figure 3.</li>
 * <li>{@code udp}: the same through a real slowpath (its control and policy threads) over loopback UDP, punts sent
 * by two stand-in fastpaths that wait for each flow's packet to come back (a window of outstanding punts). Per core =
 * flows per second of the slowpath threads' CPU time, which includes their spinning between punts; the stand-ins
 * punt 14 misses at a time in a PUNT_BATCH (the slowpath WELCOMEs them so) as a fastpath punts the misses of one
 * poll, and get the packets back in REINJECT_BATCHes.</li>
 * <li>{@code expiry}: FLOW_EXPIRED of both rules of every flow from both fastpaths, until every binding is
 * released.</li>
 * </ul>
 * Prints {@code RESULT <name> <value> <unit>} lines; asserts nothing.
 */
public final class NatSlowpathBenchmark {

    /** Misses a stand-in fastpath punts at once over UDP (one PUNT_BATCH once welcomed), as one poll finds them. */
    private static final int PUNTS_PER_POLL = 14;

    static final String USAGE = """
            usage: NatSlowpathBenchmark [--flows 60000] [--warmup 3] [--rounds 10] [--udp-rounds 4] [--window 256]""";

    private static final int PACKET_LENGTH = 68;
    private static final int REMOTE = Ipv4Addresses.parse("198.51.100.7");
    /** Bindings per inside host: within the NAT's default 64-port block. */
    private static final int FLOWS_PER_HOST = 60;
    /** The NAT logs each port block it hands out (INFO): not what is measured here. */
    private static final java.util.logging.Logger NAT_LOG = java.util.logging.Logger.getLogger("io.isthmus.vnf.nat");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final int flows;
    private final ByteBuffer punts;
    private final int[] offsets;
    private final int[] lengths;
    private final FlowKey[] keys;
    private final Object[] configs = new Object[2];
    private int round;

    private NatSlowpathBenchmark(int flows) throws IOException {
        this.flows = flows;
        this.keys = new FlowKey[flows];
        this.offsets = new int[flows];
        this.lengths = new int[flows];
        int messageLength = PuntFlyweight.PACKET_OFFSET + PACKET_LENGTH;
        this.punts = ByteBuffer.allocateDirect(flows * messageLength);
        ByteBuffer packet = ByteBuffer.allocate(PACKET_LENGTH);
        packet.put(0, (byte) 0x08).putInt(4, 100 << 8);
        for (int i = 0; i < flows; i++) {
            // a distinct inside endpoint per flow, each needing a new binding: FLOWS_PER_HOST ports of each of 1,000
            // hosts (60,000 flows), so every host's bindings fit the one 64-port block it is given
            keys[i] = new FlowKey(100, FlowKey.UDP, Ipv4Addresses.parse("10.0.0.0") + i / FLOWS_PER_HOST,
                    REMOTE + (i % 250), 40_000 + i % FLOWS_PER_HOST, 53);
            offsets[i] = i * messageLength;
            lengths[i] = PuntFlyweight.encode(punts, offsets[i], 0, i, PuntReason.MISS, keys[i].high(),
                    keys[i].low(), packet, 0, PACKET_LENGTH);
        }
        for (int c = 0; c < 2; c++) {
            configs[c] = Json.parse("""
                    {"publicAddress":"203.0.113.%d","portRangeStart":1024,"portRangeEnd":65535,
                     "insideVni":100,"outsideVni":200,
                     "insideNextHop":"127.0.0.1:40002","outsideNextHop":"127.0.0.1:40001"}""".formatted(10 + c));
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parse(argv);
        NAT_LOG.setLevel(java.util.logging.Level.WARNING);
        int flows = Integer.parseInt(args.getOrDefault("flows", "60000"));
        int warmup = Integer.parseInt(args.getOrDefault("warmup", "3"));
        int rounds = Integer.parseInt(args.getOrDefault("rounds", "10"));
        int udpRounds = Integer.parseInt(args.getOrDefault("udp-rounds", "4"));
        int window = Integer.parseInt(args.getOrDefault("window", "256"));
        if (flows < 1 || flows > 64_000) {
            throw new IllegalArgumentException("--flows must be in 1..64000 (one public port each)");
        }
        NatSlowpathBenchmark benchmark = new NatSlowpathBenchmark(flows);
        System.out.printf("BENCH nat-slowpath: %d new flows per round, %d-byte punted packets, 2 fastpaths%n", flows,
                PACKET_LENGTH);
        benchmark.inProcess(warmup, rounds);
        benchmark.expiry();
        if (udpRounds > 0) {
            benchmark.udp(udpRounds, window);
        }
    }

    // ---------------------------------------------------------------- in-process

    /** The policy thread's work per new flow, on this thread; messages encoded, not sent. */
    private void inProcess(int warmup, int rounds) throws Exception {
        CountingSender sender = new CountingSender();
        Harness harness = new Harness(sender);
        for (int r = 0; r < warmup; r++) {
            harness.newFlows();
        }
        long cpu = 0;
        long wall = 0;
        long decided = 0;
        long bestWall = Long.MAX_VALUE;
        sender.messages = 0;
        for (int r = 0; r < rounds; r++) {
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            decided += harness.newFlows();
            long elapsed = System.nanoTime() - t0;
            cpu += THREADS.getCurrentThreadCpuTime() - cpu0;
            wall += elapsed;
            bestWall = Math.min(bestWall, elapsed);
        }
        long total = (long) flows * rounds;
        if (decided != total) {
            System.out.printf("WARNING %d of %d flows decided%n", decided, total);
        }
        System.out.printf("BENCH in-process: %d flows in %.3f s wall, %.3f s CPU; %.2f messages per flow%n", total,
                wall / 1e9, cpu / 1e9, (double) sender.messages / total);
        result("nat_new_flows_per_core", total * 1e9 / cpu, "flows/s/core");
        result("nat_new_flows_wall", total * 1e9 / wall, "flows/s");
        result("nat_new_flows_best_round", flows * 1e9 / bestWall, "flows/s");
        result("nat_new_flow_ns", (double) cpu / total, "ns/flow");
    }

    /** Both rules of every flow reported expired by both fastpaths, until each binding is released. */
    private void expiry() throws Exception {
        KeyRecordingSender sender = new KeyRecordingSender(2 * flows);
        Harness harness = new Harness(sender);
        harness.newFlows();
        // FLOW_EXPIRED messages of the installed keys, as each fastpath would send them
        int perMessage = FlowExpiredFlyweight.MAX_KEYS;
        int count = sender.count;
        int messages = (count + perMessage - 1) / perMessage;
        ByteBuffer expired = ByteBuffer.allocateDirect(2 * messages
                * (FlowExpiredFlyweight.KEYS_OFFSET + perMessage * FlowKeyFlyweight.KEY_LENGTH));
        List<int[]> spans = new ArrayList<>();
        int offset = 0;
        for (int fastpath = 0; fastpath < 2; fastpath++) {
            for (int from = 0; from < count; from += perMessage) {
                int n = Math.min(perMessage, count - from);
                long[] highs = Arrays.copyOfRange(sender.highs, from, from + n);
                long[] lows = Arrays.copyOfRange(sender.lows, from, from + n);
                int length = FlowExpiredFlyweight.encode(expired, offset, fastpath, from,
                        FlowExpiredFlyweight.EXPIRED_IDLE, highs, lows, n);
                spans.add(new int[]{offset, length, fastpath});
                offset += length;
            }
        }
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int[] span : spans) {
            harness.offer(expired, span[0], span[1], span[2], true);
        }
        harness.drainAll();
        long elapsed = System.nanoTime() - t0;
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        long released = harness.counters.removes.get() / 2;
        System.out.printf("BENCH expiry: %d keys reported by 2 fastpaths, %d flows released, %d bindings left%n",
                count, released, harness.policy.bindingCount());
        result("nat_expired_flows_per_core", released * 1e9 / cpu, "flows/s/core");
        result("nat_expired_flows_wall", released * 1e9 / elapsed, "flows/s");
    }

    /** A policy driver, its queue and registry, with the NAT policy, driven from this thread. */
    private final class Harness {
        final NatPolicy policy = new NatPolicy();
        final SlowpathCounters counters = new SlowpathCounters();
        final ControlQueue queue = new ControlQueue(SlowpathOptions.DEFAULT_PUNT_QUEUE_BYTES);
        final PolicyDriver driver;
        final int[] senderPorts = {50_000, 50_001};
        final int loopback = Ipv4Addresses.parse("127.0.0.1");

        Harness(ControlSender sender) {
            FastpathRegistry registry = new FastpathRegistry(Clock.systemUTC(), Duration.ofHours(1));
            for (int id = 0; id < 2; id++) {
                registry.onHello(id, new InetSocketAddress("127.0.0.1", senderPorts[id]),
                        new InetSocketAddress("127.0.0.1", 40_000 + id), HelloFlyweight.REINJECT_BATCH);
            }
            driver = new PolicyDriver(policy, registry, sender, counters);
        }

        /** One round: a fresh config (every binding gone), then every flow punted once. */
        long newFlows() throws Exception {
            Json.configure(driver, configs[round++ & 1]);
            long before = counters.reinjects.get();
            for (int i = 0; i < flows; i++) {
                offer(punts, offsets[i], lengths[i], 0, false);
                if ((i & (PolicyDriver.BATCH - 1)) == PolicyDriver.BATCH - 1) {
                    driver.drain(queue, PolicyDriver.BATCH);
                }
            }
            drainAll();
            return counters.reinjects.get() - before;
        }

        void offer(ByteBuffer buffer, int offset, int length, int fastpath, boolean priority) {
            while (!queue.offer(buffer, offset, length, loopback, senderPorts[fastpath], priority)) {
                driver.drain(queue, PolicyDriver.BATCH);
            }
        }

        void drainAll() {
            while (driver.drain(queue, PolicyDriver.BATCH) > 0) {
                // until empty
            }
        }
    }

    /** Stands in for the socket: counts what would be sent. */
    private static class CountingSender implements ControlSender {
        long messages;
        long bytes;

        @Override
        public boolean send(ByteBuffer buffer, int offset, int length, InetSocketAddress to) {
            messages++;
            bytes += length;
            return true;
        }
    }

    /** Also keeps the keys of the INSTALLs to fastpath 0, to report them expired. */
    private static final class KeyRecordingSender extends CountingSender {
        final long[] highs;
        final long[] lows;
        int count;
        private final InstallFlyweight.RuleVisitor visitor = new InstallFlyweight.RuleVisitor() {
            @Override
            public void onRuleStart(long keyHigh, long keyLow) {
                highs[count] = keyHigh;
                lows[count] = keyLow;
                count++;
            }

            @Override
            public void onAction(int opcode, int a, int b) {
            }

            @Override
            public void onRuleEnd() {
            }
        };

        KeyRecordingSender(int capacity) {
            highs = new long[capacity];
            lows = new long[capacity];
        }

        @Override
        public boolean send(ByteBuffer buffer, int offset, int length, InetSocketAddress to) {
            if (ControlProtocol.type(buffer, offset) == ControlProtocol.INSTALL
                    && ControlProtocol.fastpathId(buffer, offset) == 0) {
                InstallFlyweight.decode(buffer, offset, length, visitor);
            }
            return super.send(buffer, offset, length, to);
        }
    }

    // ---------------------------------------------------------------- over loopback UDP

    /** A real slowpath; two stand-in fastpaths punt over loopback and count the REINJECTs that come back. */
    private void udp(int rounds, int window) throws Exception {
        NatPolicy policy = new NatPolicy();
        try (Slowpath slowpath = Slowpath.start(
                SlowpathOptions.of("nat", "bench", InetAddress.getLoopbackAddress(), 0, 0), policy,
                Clock.systemUTC());
                StandIn one = new StandIn(0, slowpath.controlAddress());
                StandIn two = new StandIn(1, slowpath.controlAddress())) {
            one.hello();
            two.hello();
            while (slowpath.service().health().fastpaths() < 2) {
                LockSupport.parkNanos(1_000_000);
            }
            List<Thread> slowpathThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("slowpath-")).toList();
            long flowsDone = 0;
            long lost = 0;
            long cpu = 0;
            long wall = 0;
            for (int r = 0; r < rounds + 1; r++) {
                Json.configure(slowpath.service(), configs[r & 1]);
                one.hello();
                two.hello();
                long cpu0 = cpuOf(slowpathThreads);
                long t0 = System.nanoTime();
                long done0 = one.reinjects.get() + two.reinjects.get();
                long sent = 0;
                long deadline = 0;
                for (int i = 0; i < flows; i += PUNTS_PER_POLL) {
                    // as a fastpath whose poll of the data socket found PUNTS_PER_POLL misses
                    StandIn from = ((i / PUNTS_PER_POLL) & 1) == 0 ? one : two;
                    int count = Math.min(PUNTS_PER_POLL, flows - i);
                    while (sent + count - (one.reinjects.get() + two.reinjects.get() - done0) > window) {
                        if (deadline == 0) {
                            deadline = System.nanoTime() + 200_000_000L;
                        } else if (System.nanoTime() > deadline) {
                            break;
                        }
                        Thread.onSpinWait();
                    }
                    deadline = 0;
                    from.punt(i, count);
                    sent += count;
                }
                long quiet = System.nanoTime() + 500_000_000L;
                while (one.reinjects.get() + two.reinjects.get() - done0 < sent && System.nanoTime() < quiet) {
                    LockSupport.parkNanos(100_000);
                }
                long elapsed = System.nanoTime() - t0;
                long roundCpu = cpuOf(slowpathThreads) - cpu0;
                long done = one.reinjects.get() + two.reinjects.get() - done0;
                if (r == 0) {
                    continue; // warm-up
                }
                flowsDone += done;
                lost += sent - done;
                cpu += roundCpu;
                wall += elapsed;
            }
            System.out.printf("BENCH udp: %d flows completed in %.3f s wall, slowpath threads %.3f s CPU, %d lost "
                    + "(window %d), queue drops %d%n", flowsDone, wall / 1e9, cpu / 1e9, lost, window,
                    slowpath.service().stats().puntQueueDrops());
            for (Thread t : slowpathThreads) {
                System.out.printf("BENCH udp: thread %s %.3f s CPU in all rounds%n", t.getName(),
                        THREADS.getThreadCpuTime(t.threadId()) / 1e9);
            }
            result("nat_new_flows_udp_per_core", flowsDone * 1e9 / cpu, "flows/s/core");
            result("nat_new_flows_udp_wall", flowsDone * 1e9 / wall, "flows/s");
        }
    }

    private static long cpuOf(List<Thread> threads) {
        long total = 0;
        for (Thread t : threads) {
            long cpu = THREADS.getThreadCpuTime(t.threadId());
            total += Math.max(0, cpu);
        }
        return total;
    }

    /**
     * A fastpath's control socket: punts the benchmark's flows, counts the packets REINJECTed (alone or in a
     * REINJECT_BATCH), discards the rest.
     */
    private final class StandIn implements AutoCloseable {
        final AtomicLong reinjects = new AtomicLong();
        private volatile boolean welcomed;
        private int sequence;
        private final int id;
        private final DatagramChannel channel;
        private final InetSocketAddress slowpath;
        private final ByteBuffer out = ByteBuffer.allocateDirect(ControlProtocol.MAX_MESSAGE_LENGTH);
        private final Thread reader;

        StandIn(int id, InetSocketAddress slowpath) throws IOException {
            this.id = id;
            this.slowpath = slowpath;
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            reader = Thread.ofPlatform().daemon(true).name("standin-" + id).start(this::read);
        }

        void hello() throws IOException {
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            int length = HelloFlyweight.encode(out, 0, id, 0, Ipv4Addresses.parse("127.0.0.1"),
                    local.getPort() + 1, HelloFlyweight.REINJECT_BATCH);
            channel.send(out.clear().limit(length), slowpath);
        }

        /**
         * Punts flows {@code first..first+count-1}: in one PUNT_BATCH once the slowpath said it takes them (WELCOME),
         * as a fastpath punts the misses of one poll, else one PUNT each.
         */
        void punt(int first, int count) throws IOException {
            for (int flow = first; flow < first + count; flow++) {
                punts.putInt(offsets[flow] + ControlProtocol.FASTPATH_ID_OFFSET, id);
            }
            if (!welcomed) {
                for (int flow = first; flow < first + count; flow++) {
                    channel.send(punts.duplicate().limit(offsets[flow] + lengths[flow]).position(offsets[flow]),
                            slowpath);
                }
                return;
            }
            int length = BatchFlyweight.encode(out.clear(), 0, ControlProtocol.PUNT_BATCH, id, ++sequence);
            for (int flow = first; flow < first + count; flow++) {
                if (length + BatchFlyweight.entryLength(lengths[flow]) > ControlProtocol.MAX_BATCH_BYTES) {
                    channel.send(out.clear().limit(length), slowpath);
                    length = BatchFlyweight.encode(out.clear(), 0, ControlProtocol.PUNT_BATCH, id, ++sequence);
                }
                length = BatchFlyweight.append(out.clear(), 0, length, punts, offsets[flow], lengths[flow]);
            }
            channel.send(out.clear().limit(length), slowpath);
            out.clear();
        }

        private void read() {
            ByteBuffer in = ByteBuffer.allocateDirect(ControlProtocol.MAX_MESSAGE_LENGTH);
            while (channel.isOpen()) {
                try {
                    in.clear();
                    channel.receive(in);
                    if (in.position() < ControlProtocol.HEADER_LENGTH) {
                        continue;
                    }
                    int type = ControlProtocol.type(in, 0);
                    if (type == ControlProtocol.WELCOME) {
                        welcomed = (WelcomeFlyweight.flags(in, 0) & WelcomeFlyweight.PUNT_BATCH) != 0;
                    } else if (type == ControlProtocol.REINJECT) {
                        reinjects.incrementAndGet();
                    } else if (type == ControlProtocol.REINJECT_BATCH) {
                        reinjects.addAndGet(Math.max(0, BatchFlyweight.decode(in, 0, in.position(),
                                (buffer, offset, length) -> {
                                })));
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Jackson by reflection: e2e has it on its test class path only, so this main cannot name it; at run time it
     * comes from {@code isthmus-vnf-runtime.jar} on the class path.
     */
    private static final class Json {
        private static final Class<?> NODE;
        private static final Object MAPPER;

        static {
            try {
                NODE = Class.forName("com.fasterxml.jackson.databind.JsonNode");
                MAPPER = Class.forName("com.fasterxml.jackson.databind.ObjectMapper").getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(
                        "Jackson is missing: put vnf-runtime/target/isthmus-vnf-runtime.jar on the class path", e);
            }
        }

        static Object parse(String json) {
            try {
                return MAPPER.getClass().getMethod("readTree", String.class).invoke(MAPPER, json);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        static void configure(Object target, Object config) throws Exception {
            target.getClass().getMethod("configure", NODE).invoke(target, config);
        }
    }

    private static void result(String name, double value, String unit) {
        System.out.printf("RESULT %s %.0f %s%n", name, value, unit);
    }

    private static Map<String, String> parse(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --name value at " + argv[i] + "\n" + USAGE);
            }
            args.put(argv[i].substring(2), argv[++i]);
        }
        return args;
    }
}
