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
import io.isthmus.slowpath.policy.VnfPolicy;

/**
 * New flows through the slowpath, for any VNF type ({@link Workload}: its policy, configurations and the punted packets
 * of its new flows). Each new flow is a PUNT that goes through the bounded queue, the policy's decision, the rule
 * ledger, and the encoding of its rules into batched INSTALLs for two fastpaths and of its packet into a
 * REINJECT_BATCH (the fastpaths say in their HELLO that they take them, and counter groups). Each round begins with a
 * configuration other than the last one's, which ends the flows of the round before (the workload's configurations
 * say how), as a new configuration does in a running slowpath.
 * <ul>
 * <li>{@code in-process}: the policy thread's work alone, on this thread, the messages encoded but handed to a
 * counting sender instead of a socket. Per core = flows per second of thread CPU time. The configurations between the
 * rounds are not counted in it: ending tens of thousands of flows at once is a configuration's cost, not a new
 * flow's; their CPU time is printed beside (a BENCH line).</li>
 * <li>{@code udp}: the same through a real slowpath (its control and policy threads) over loopback UDP, punts sent
 * by two stand-in fastpaths that wait for each flow's packet to come back (a window of outstanding punts). Per core =
 * flows per second of the slowpath threads' CPU time, which includes their spinning between punts; the stand-ins
 * punt 14 misses at a time in a PUNT_BATCH (the slowpath WELCOMEs them so) as a fastpath punts the misses of one
 * poll, and get the packets back in REINJECT_BATCHes.</li>
 * <li>{@code expiry}: FLOW_EXPIRED of both rules of every flow from both fastpaths, until every flow is
 * released.</li>
 * </ul>
 * Prints {@code RESULT <name> <value> <unit>} lines, named by the workload ({@code nat_new_flows_per_core}); asserts
 * nothing. The mains are the workloads': {@link NatSlowpathBenchmark} (figure 3), {@link SlbSlowpathBenchmark}
 * (figure 14).
 */
public final class SlowpathBenchmark {

    /**
     * What the benchmark needs of a VNF type: its policy, its two configurations (the rounds take them in turn, each
     * ending the flows of the round before), and the new flows it punts.
     */
    public interface Workload {

        /** The prefix of the RESULT names and the BENCH lines, e.g. {@code nat}. */
        String name();

        /** What one new flow is to this VNF type, e.g. {@code flow}, {@code connection}: RESULT names and units. */
        String flow();

        /** A new policy, not configured. */
        VnfPolicy policy();

        /** The configuration (JSON) of the even ({@code 0}) or the odd ({@code 1}) rounds. */
        String config(int parity);

        /**
         * The sets of flows the rounds take in turn: round {@code r} punts set {@code r % sets()} (1 if a configuration
         * forgets the flows of the round before, 2 if it only ends them until the next one).
         */
        int sets();

        /** The most flows of one round. */
        int maxFlows();

        /** The key of flow {@code flow} of set {@code set}. */
        FlowKey key(int set, int flow);

        /** Writes flow {@code flow}'s punted packet (VXLAN payload) of set {@code set} at 0 and returns its length. */
        int packet(int set, int flow, ByteBuffer packet);

        /** How many of its flows the policy holds (the NAT's bindings, the load balancer's connections). */
        int held(VnfPolicy policy);
    }

    /** Misses a stand-in fastpath punts at once over UDP (one PUNT_BATCH once welcomed), as one poll finds them. */
    private static final int PUNTS_PER_POLL = 14;
    private static final int MAX_PACKET_LENGTH = 256;
    /**
     * What the stand-in fastpaths say they take, as a fastpath does: REINJECT_BATCHes, and COUNTs into counter groups
     * (without it the slowpath encodes each INSTALL of grouped rules twice, the second time ungrouped).
     */
    private static final int HELLO_FLAGS = HelloFlyweight.REINJECT_BATCH | HelloFlyweight.COUNT_GROUPS;

    static final String USAGE = """
            usage: <main> [--flows 60000] [--warmup 3] [--rounds 10] [--udp-rounds 4] [--window 256]""";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.ThreadMXBean ALLOCATIONS = (com.sun.management.ThreadMXBean) THREADS;

    private final Workload workload;
    private final int flows;
    private final ByteBuffer punts;
    private final int[] offsets;
    private final int[] lengths;
    private final Object[] configs = new Object[2];
    private final String flowName;
    private final String flowsName;
    private int round;

    private SlowpathBenchmark(Workload workload, int flows) {
        this.workload = workload;
        this.flows = flows;
        this.flowName = workload.flow();
        this.flowsName = workload.flow() + "s";
        int messages = workload.sets() * flows;
        this.offsets = new int[messages];
        this.lengths = new int[messages];
        this.punts = ByteBuffer.allocateDirect(messages * (PuntFlyweight.PACKET_OFFSET + MAX_PACKET_LENGTH));
        ByteBuffer packet = ByteBuffer.allocate(MAX_PACKET_LENGTH);
        int offset = 0;
        for (int m = 0; m < messages; m++) {
            int set = m / flows;
            FlowKey key = workload.key(set, m % flows);
            int packetLength = workload.packet(set, m % flows, packet);
            offsets[m] = offset;
            lengths[m] = PuntFlyweight.encode(punts, offset, 0, m % flows, PuntReason.MISS, key.high(), key.low(),
                    packet, 0, packetLength);
            offset += lengths[m];
        }
        for (int c = 0; c < configs.length; c++) {
            configs[c] = Json.parse(workload.config(c));
        }
    }

    /** Runs the benchmark of {@code workload} with the command line's arguments ({@link #USAGE}). */
    public static void run(Workload workload, String[] argv) throws Exception {
        Map<String, String> args = parse(argv);
        int flows = Integer.parseInt(args.getOrDefault("flows", "60000"));
        int warmup = Integer.parseInt(args.getOrDefault("warmup", "3"));
        int rounds = Integer.parseInt(args.getOrDefault("rounds", "10"));
        int udpRounds = Integer.parseInt(args.getOrDefault("udp-rounds", "4"));
        int window = Integer.parseInt(args.getOrDefault("window", "256"));
        if (flows < 1 || flows > workload.maxFlows()) {
            throw new IllegalArgumentException("--flows must be in 1.." + workload.maxFlows());
        }
        SlowpathBenchmark benchmark = new SlowpathBenchmark(workload, flows);
        System.out.printf("BENCH %s-slowpath: %d new %s per round, %d-byte punted packets, 2 fastpaths%n",
                workload.name(), flows, benchmark.flowsName, benchmark.lengths[0] - PuntFlyweight.PACKET_OFFSET);
        benchmark.inProcess(warmup, rounds);
        benchmark.expiry();
        if (udpRounds > 0) {
            benchmark.udp(udpRounds, window);
        }
    }

    /** The message of flow {@code flow} in round {@code round}. */
    private int message(int round, int flow) {
        return (round % workload.sets()) * flows + flow;
    }

    // ---------------------------------------------------------------- in-process

    /** The policy thread's work per new flow, on this thread; messages encoded, not sent. */
    private void inProcess(int warmup, int rounds) throws Exception {
        CountingSender sender = new CountingSender();
        Harness harness = new Harness(sender);
        for (int r = 0; r < warmup; r++) {
            harness.configureNext();
            harness.newFlows();
        }
        long cpu = 0;
        long wall = 0;
        long decided = 0;
        long bestWall = Long.MAX_VALUE;
        long messages = 0;
        long allocated = 0;
        long configureCpu = 0;
        for (int r = 0; r < rounds; r++) {
            long configure0 = THREADS.getCurrentThreadCpuTime();
            harness.configureNext();
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            configureCpu += cpu0 - configure0;
            long messages0 = sender.messages;
            long allocated0 = ALLOCATIONS.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            decided += harness.newFlows();
            long elapsed = System.nanoTime() - t0;
            cpu += THREADS.getCurrentThreadCpuTime() - cpu0;
            allocated += ALLOCATIONS.getCurrentThreadAllocatedBytes() - allocated0;
            messages += sender.messages - messages0;
            wall += elapsed;
            bestWall = Math.min(bestWall, elapsed);
        }
        long total = (long) flows * rounds;
        if (decided != total) {
            System.out.printf("WARNING %d of %d %s decided%n", decided, total, flowsName);
        }
        System.out.printf("BENCH in-process: %d %s in %.3f s wall, %.3f s CPU; %.2f messages, %.0f bytes allocated per"
                + " %s%n", total, flowsName, wall / 1e9, cpu / 1e9, (double) messages / total,
                (double) allocated / total, flowName);
        System.out.printf("BENCH in-process: the configurations between the rounds, each ending the round before's %d"
                + " %s, %.3f s CPU more (%.1f ms each; %.0f %s/s per core with them)%n", flows, flowsName,
                configureCpu / 1e9, configureCpu / 1e6 / rounds, total * 1e9 / (cpu + configureCpu), flowsName);
        result("new_" + flowsName + "_per_core", total * 1e9 / cpu, flowsName + "/s/core");
        result("new_" + flowsName + "_wall", total * 1e9 / wall, flowsName + "/s");
        result("new_" + flowsName + "_best_round", flows * 1e9 / bestWall, flowsName + "/s");
        result("new_" + flowName + "_ns", (double) cpu / total, "ns/" + flowName);
    }

    /** Both rules of every flow reported expired by both fastpaths, until each binding is released. */
    private void expiry() throws Exception {
        KeyRecordingSender sender = new KeyRecordingSender(2 * flows);
        Harness harness = new Harness(sender);
        harness.configureNext();
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
        int held = workload.held(harness.policy);
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int[] span : spans) {
            harness.offer(expired, span[0], span[1], span[2], true);
        }
        harness.drainAll();
        long elapsed = System.nanoTime() - t0;
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        int left = workload.held(harness.policy);
        long released = held - left;
        System.out.printf("BENCH expiry: %d keys reported by 2 fastpaths, %d %s released, %d left%n", count, released,
                flowsName, left);
        result("expired_" + flowsName + "_per_core", released * 1e9 / cpu, flowsName + "/s/core");
        result("expired_" + flowsName + "_wall", released * 1e9 / elapsed, flowsName + "/s");
    }

    /** A policy driver, its queue and registry, with the workload's policy, driven from this thread. */
    private final class Harness {
        final VnfPolicy policy = workload.policy();
        final SlowpathCounters counters = new SlowpathCounters();
        final ControlQueue queue = new ControlQueue(SlowpathOptions.DEFAULT_PUNT_QUEUE_BYTES);
        final PolicyDriver driver;
        final int[] senderPorts = {50_000, 50_001};
        final int loopback = Ipv4Addresses.parse("127.0.0.1");

        Harness(ControlSender sender) {
            FastpathRegistry registry = new FastpathRegistry(Clock.systemUTC(), Duration.ofHours(1));
            for (int id = 0; id < 2; id++) {
                registry.onHello(id, new InetSocketAddress("127.0.0.1", senderPorts[id]),
                        new InetSocketAddress("127.0.0.1", 40_000 + id), HELLO_FLAGS);
            }
            driver = new PolicyDriver(policy, registry, sender, counters);
        }

        /** The configuration of the next round: the flows of the round before end. */
        void configureNext() throws Exception {
            Json.configure(driver, configs[++round & 1]);
        }

        /** One round: every flow of this round's set punted once; how many were decided. */
        long newFlows() {
            long before = counters.reinjects.get();
            for (int i = 0; i < flows; i++) {
                int m = message(round, i);
                offer(punts, offsets[m], lengths[m], 0, false);
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
        VnfPolicy policy = workload.policy();
        try (Slowpath slowpath = Slowpath.start(
                SlowpathOptions.of(policy.vnfType(), "bench", InetAddress.getLoopbackAddress(), 0, 0), policy,
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
                    from.punt(message(r, i), count);
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
            System.out.printf(
                    "BENCH udp: %d " + flowsName + " completed in %.3f s wall, slowpath threads %.3f s CPU, %d lost "
                            + "(window %d), queue drops %d%n",
                    flowsDone, wall / 1e9, cpu / 1e9, lost, window,
                    slowpath.service().stats().puntQueueDrops());
            for (Thread t : slowpathThreads) {
                System.out.printf("BENCH udp: thread %s %.3f s CPU in all rounds%n", t.getName(),
                        THREADS.getThreadCpuTime(t.threadId()) / 1e9);
            }
            result("new_" + flowsName + "_udp_per_core", flowsDone * 1e9 / cpu, flowsName + "/s/core");
            result("new_" + flowsName + "_udp_wall", flowsDone * 1e9 / wall, flowsName + "/s");
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
                    local.getPort() + 1, HELLO_FLAGS);
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

    private void result(String name, double value, String unit) {
        System.out.printf("RESULT %s_%s %.0f %s%n", workload.name(), name, value, unit);
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
