package io.isthmus.e2e.bench.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Benchmark 5: the same UDP traffic through the Linux kernel's own NAT (nftables masquerade, conntrack) and through
 * the Isthmus fastpath, in one run, between the network namespaces {@code scripts/bench.sh} made:
 *
 * <pre>
 *   src ns                     nat ns (this process runs here)                    dst ns
 *   NatLoadSender (CPU 0) --veth--&gt; [kernel: forward + masquerade]   --veth--&gt;  UdpSink (CPU 0) :5000
 *   10.77.1.2                  or [fastpath (CPU 1) + slowpath (CPU 0)]           192.168.77.2
 *                              10.77.1.1 | 192.168.77.1
 * </pre>
 *
 * Receive packet steering sends everything that enters the nat namespace to the forwarding CPU, so that CPU does all
 * the forwarding work in both phases: the kernel's (softirq: IP forward, conntrack, NAT, the veth to dst and the
 * delivery to the sink's socket) or the fastpath's (softirq delivering to its socket, the worker, its sends to dst
 * and the delivery to the sink's socket). The fastpath's outside next hop is the sink itself, so it gets the
 * translated packets in VXLAN; the sink counts datagrams (GRO segments one by one).
 * <p>
 * Four phases: the kernel with the sender flat out (its saturated rate, R); then the kernel and the fastpath each at
 * the same paced offered load, {@code --load} × R (half by default, so neither drops); then the fastpath with the
 * sender flat out; with {@code --xdp-dev}, a fifth: the fastpath flat out receiving through AF_XDP on that device. The
 * figure compares the flat-out phases: packets per second at the sink per second of the forwarding CPU's busy time
 * ({@link Measured#capacity()}), counted alike for both legs. The paced phases are printed too, but they do not
 * compare: where CPU time is sampled by tick (no IRQ_TIME_ACCOUNTING, NO_HZ_IDLE) the kernel's softirq work in short
 * wake-ups from idle goes unseen, while the fastpath's process is charged for waking for each burst. Flat out, the
 * excess is dropped where each design drops it — the kernel cheaply on the sender's CPU (backlog full), the fastpath on
 * the forwarding CPU (socket full).
 * <p>
 * CPU is counted so that other work on a shared machine does not enter it: the kernel's forwarding is the irq and
 * softirq time of the forwarding CPU (/proc/stat); the fastpath's is its process's CPU time (/proc/&lt;pid&gt;/stat)
 * plus the same irq and softirq time (its socket's receive path and its sends' delivery to the sink). That sum counts
 * twice the ticks in which softirq interrupted the fastpath itself, so the fastpath's figure is a lower bound.
 * Packets per second per core = datagrams the sink counted per second / those CPU seconds per second. The forwarding
 * CPU's total busy fraction is printed as well. Every process of the benchmark runs at nice -15, so a user-space
 * forwarder gets its core as the kernel's softirq does.
 * <p>
 * Prints {@code RESULT} lines; asserts nothing.
 */
public final class KernelNatBenchmark {

    static final String USAGE = """
            usage: KernelNatBenchmark --java <java> --bench-jar <isthmus-bench.jar> --runtime-jar <isthmus-vnf-runtime.jar>
                     [--src-ns isthmus-bench-src] [--dst-ns isthmus-bench-dst]
                     [--nat-out-dev ib-nat1] [--src-addr 10.77.1.2] [--nat-in-addr 10.77.1.1]
                     [--nat-out-addr 192.168.77.1] [--dst-addr 192.168.77.2] [--forward-cpu 1] [--other-cpu 0]
                     [--flows 64] [--payload 18] [--warmup-s 2] [--measure-s 4] [--load 0.5] [--xdp-dev ib-nat0]""";

    private static final Pattern CPU_LINE = Pattern.compile("^cpu(\\d+) (.*)$", Pattern.MULTILINE);
    private static final long USER_HZ = 100;
    /** The benchmark's processes run at this niceness: a user-space forwarder gets its core on a shared machine. */
    private static final String NICE = "-15";

    private final Map<String, String> args;
    private final String java;
    private final String benchJar;
    private final String runtimeJar;
    private final String srcNs;
    private final String dstNs;
    private final int forwardCpu;
    private final int otherCpu;
    private final int flows;
    private final int payload;
    private final long warmupMillis;
    private final long measureMillis;
    private final double load;
    /** The device the fastpath receives from through AF_XDP, or null for its UDP socket alone. */
    private final String xdpDevice;
    /** Whether a fastpath said it receives through AF_XDP. */
    private volatile boolean xdpAttached;
    private final List<Process> processes = new ArrayList<>();
    /** The sink's last report: [System.nanoTime(), datagrams]. */
    private final AtomicReference<long[]> sinkCount = new AtomicReference<>();
    /** The running sender's last report: [System.nanoTime(), datagrams]. */
    private final AtomicReference<long[]> sentCount = new AtomicReference<>(new long[]{0, 0});

    private KernelNatBenchmark(Map<String, String> args) {
        this.args = args;
        this.java = NatLoadSender.required(args, "java");
        this.benchJar = NatLoadSender.required(args, "bench-jar");
        this.runtimeJar = NatLoadSender.required(args, "runtime-jar");
        this.srcNs = args.getOrDefault("src-ns", "isthmus-bench-src");
        this.dstNs = args.getOrDefault("dst-ns", "isthmus-bench-dst");
        this.forwardCpu = Integer.parseInt(args.getOrDefault("forward-cpu", "1"));
        this.otherCpu = Integer.parseInt(args.getOrDefault("other-cpu", "0"));
        this.flows = Integer.parseInt(args.getOrDefault("flows", "64"));
        this.payload = Integer.parseInt(args.getOrDefault("payload", "18"));
        this.warmupMillis = Long.parseLong(args.getOrDefault("warmup-s", "2")) * 1000;
        this.measureMillis = Long.parseLong(args.getOrDefault("measure-s", "4")) * 1000;
        this.load = Double.parseDouble(args.getOrDefault("load", "0.5"));
        this.xdpDevice = args.get("xdp-dev");
    }

    public static void main(String[] argv) throws Exception {
        KernelNatBenchmark benchmark = new KernelNatBenchmark(NatLoadSender.parse(argv));
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(benchmark::stopAll));
        try {
            System.out.printf("BENCH kernel-nat: %d UDP flows, %d-byte payloads, forwarding on CPU %d, others on "
                    + "CPU %d, %d s warm-up + %d s measured per phase%n", benchmark.flows, benchmark.payload,
                    benchmark.forwardCpu, benchmark.otherCpu, benchmark.warmupMillis / 1000,
                    benchmark.measureMillis / 1000);
            benchmark.startSink();
            Measured saturated = benchmark.kernelPhase(0);
            long rate = Math.round(saturated.pps() * benchmark.load);
            Measured kernel = benchmark.kernelPhase(rate);
            Measured fastpath = benchmark.fastpathPhase(rate, null);
            Measured fastpathSaturated = benchmark.fastpathPhase(0, null);
            Measured xdpSaturated = benchmark.xdpDevice == null
                    ? null
                    : benchmark.fastpathPhase(0, benchmark.xdpDevice);
            System.out.printf("RESULT kernel_nat_saturated_pps %.0f pps%n", saturated.pps());
            System.out.printf("RESULT kernel_nat_saturated_pps_per_core %.0f pps/core%n", saturated.perCore());
            System.out.printf("RESULT offered_load %d pps%n", rate);
            System.out.printf("RESULT kernel_nat_sent %.0f pps%n", kernel.sentPps());
            System.out.printf("RESULT fastpath_nat_sent %.0f pps%n", fastpath.sentPps());
            System.out.printf("RESULT kernel_nat_delivered %.3f of sent%n", kernel.pps() / kernel.sentPps());
            System.out.printf("RESULT fastpath_nat_delivered %.3f of sent%n", fastpath.pps() / fastpath.sentPps());
            System.out.printf("RESULT kernel_nat_pps %.0f pps%n", kernel.pps());
            System.out.printf("RESULT kernel_nat_cpu %.3f cores%n", kernel.cores());
            System.out.printf("RESULT kernel_nat_pps_per_core %.0f pps/core%n", kernel.perCore());
            System.out.printf("RESULT fastpath_nat_pps %.0f pps%n", fastpath.pps());
            System.out.printf("RESULT fastpath_nat_cpu %.3f cores%n", fastpath.cores());
            System.out.printf("RESULT fastpath_nat_pps_per_core %.0f pps/core%n", fastpath.perCore());
            System.out.printf("RESULT fastpath_nat_process_cpu %.3f cores%n", fastpath.processCores());
            System.out.printf("RESULT fastpath_nat_pps_per_process_core %.0f pps/core%n",
                    fastpath.pps() / Math.max(fastpath.processCores(), 1e-3));
            System.out.printf("RESULT forwarding_cpu_busy_kernel %.3f cores%n", kernel.busy());
            System.out.printf("RESULT forwarding_cpu_busy_fastpath %.3f cores%n", fastpath.busy());
            System.out.printf("RESULT fastpath_vs_kernel_per_core %.2f x%n", fastpath.perCore() / kernel.perCore());
            // flat out: what one forwarding CPU carries, busy time counted alike for both legs
            System.out.printf("RESULT fastpath_nat_saturated_pps %.0f pps%n", fastpathSaturated.pps());
            System.out.printf("RESULT kernel_nat_capacity_per_core %.0f pps/core%n", saturated.capacity());
            System.out.printf("RESULT fastpath_nat_capacity_per_core %.0f pps/core%n", fastpathSaturated.capacity());
            System.out.printf("RESULT fastpath_vs_kernel_capacity %.2f x%n",
                    fastpathSaturated.capacity() / saturated.capacity());
            if (xdpSaturated != null && benchmark.xdpAttached) {
                System.out.printf("RESULT fastpath_xdp_saturated_pps %.0f pps%n", xdpSaturated.pps());
                System.out.printf("RESULT fastpath_xdp_capacity_per_core %.0f pps/core%n", xdpSaturated.capacity());
                System.out.printf("RESULT fastpath_xdp_vs_kernel_capacity %.2f x%n",
                        xdpSaturated.capacity() / saturated.capacity());
            } else if (xdpSaturated != null) {
                System.out.println("BENCH the fastpath could not receive through AF_XDP here; no AF_XDP figure");
            }
        } finally {
            benchmark.stopAll();
        }
    }

    /**
     * What one phase measured: datagrams per second at the sink, the forwarding CPU's busy fraction, its irq+softirq
     * share, and the fastpath process's CPU (0 for the kernel).
     */
    record Measured(double pps, double sentPps, double busy, double softirq, double processCores) {
        /** The CPU the forwarding took, in cores. */
        double cores() {
            return softirq + processCores;
        }

        double perCore() {
            return pps / Math.max(cores(), 1e-3);
        }

        /**
         * Packets per second per core of the forwarding CPU's busy time (everything but idle): the same count for
         * both legs. A polling fastpath keeps its CPU busy whether or not packets come, so for it this is a lower
         * bound unless it is saturated.
         */
        double capacity() {
            return pps / Math.max(busy, 1e-3);
        }
    }

    // ---------------------------------------------------------------- phases

    private void startSink() throws Exception {
        Process sink = start("sink", List.of("ip", "netns", "exec", dstNs, "nice", "-n", NICE, "taskset", "-c",
                Integer.toString(otherCpu), java, "--enable-native-access=ALL-UNNAMED", "-cp", benchJar,
                "io.isthmus.e2e.bench.harness.UdpSink", "--bind", args.getOrDefault("dst-addr", "192.168.77.2"),
                "--port", "5000", "--report-ms", "20"), counter(sinkCount, "COUNT"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sinkCount.get() == null) {
            if (!sink.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the sink did not start");
            }
            sleep(50);
        }
    }

    /** Keeps {@code <word> <nanoTime> <count> ...} lines in {@code into}, echoes the others. */
    private static Predicate<String> counter(AtomicReference<long[]> into, String word) {
        return line -> {
            String[] f = line.split(" ");
            if (f.length >= 3 && f[0].equals(word)) {
                into.set(new long[]{Long.parseLong(f[1]), Long.parseLong(f[2])});
                return false;
            }
            return true;
        };
    }

    /** The kernel forwarding and masquerading, the sender at {@code rate} (0: flat out). */
    private Measured kernelPhase(long rate) throws Exception {
        runWithInput(List.of("nft", "-f", "-"), """
                table ip isthmus_bench_nat {
                  chain postrouting { type nat hook postrouting priority srcnat; oifname "%s" masquerade; }
                }""".formatted(args.getOrDefault("nat-out-dev", "ib-nat1")));
        try {
            Process sender = sender("plain", rate);
            Measured measured = measure(sender, -1);
            stop(sender);
            System.out.printf("BENCH kernel (%s): %.0f pps sent, %.0f pps at the sink, forwarding CPU %.1f%% busy, "
                    + "%.1f%% of it irq and softirq%n", rate == 0 ? "flat out" : rate + " pps offered",
                    measured.sentPps(), measured.pps(), measured.busy() * 100, measured.softirq() * 100);
            return measured;
        } finally {
            // the fastpath phase must not pay for conntrack and NAT hooks on its own sends
            run("nft", "delete", "table", "ip", "isthmus_bench_nat");
        }
    }

    /** The fastpath and its slowpath with the NAT policy, the sender at {@code rate}; AF_XDP on {@code xdp} if set. */
    private Measured fastpathPhase(long rate, String xdp) throws Exception {
        int controlPort = 47_100;
        int configPort = 47_101;
        int dataPort = 4789;
        Process slowpath = start("slowpath", List.of("nice", "-n", NICE, "taskset", "-c", Integer.toString(otherCpu),
                java,
                "-XX:ActiveProcessorCount=1", "-cp", runtimeJar, "io.isthmus.slowpath.SlowpathMain", "--vnf-type",
                "nat", "--instance-id", "bench", "--control-port", Integer.toString(controlPort), "--config-port",
                Integer.toString(configPort), "--bind", "127.0.0.1"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://127.0.0.1:" + configPort;
        awaitHttp(http, base + "/health", "\"status\":\"UP\"", slowpath);
        List<String> command = new ArrayList<>(List.of("nice", "-n", NICE, "taskset", "-c",
                Integer.toString(forwardCpu), java,
                "-XX:ActiveProcessorCount=1", "--enable-native-access=ALL-UNNAMED", "-cp", runtimeJar,
                "io.isthmus.fastpath.FastpathMain", "--id", "0", "--data-port", Integer.toString(dataPort),
                "--slowpath", "127.0.0.1:" + controlPort, "--bind", "0.0.0.0"));
        if (xdp != null) {
            command.addAll(List.of("--xdp-dev", xdp));
        }
        Process fastpath = start("fastpath", command, line -> {
            if (line.contains("with AF_XDP receive on")) {
                xdpAttached = true;
            }
            return true;
        });
        awaitHttp(http, base + "/health", "\"fastpaths\":1", fastpath);
        String config = """
                {"publicAddress":"%s","portRangeStart":20000,"portRangeEnd":29999,"insideVni":100,"outsideVni":200,
                 "insideNextHop":"%s:4789","outsideNextHop":"%s:5000"}""".formatted(
                args.getOrDefault("nat-out-addr", "192.168.77.1"), args.getOrDefault("src-addr", "10.77.1.2"),
                args.getOrDefault("dst-addr", "192.168.77.2"));
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + "/config"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(config)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 204) {
            throw new IllegalStateException("PUT /config answered " + put.statusCode() + ": " + put.body());
        }
        Process sender = sender("vxlan", rate);
        Measured measured = measure(sender, fastpath.pid());
        stop(sender);
        String stats = http.send(HttpRequest.newBuilder(URI.create(base + "/stats")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        System.out.printf(
                "BENCH fastpath%s (%d pps offered): %.0f pps sent, %.0f pps at the sink, forwarding CPU %.1f%% "
                        + "busy, %.1f%% of it irq and softirq, fastpath process %.1f%%%n",
                xdp == null
                        ? ""
                        : " (AF_XDP on " + xdp
                                + ")",
                rate, measured.sentPps(),
                measured.pps(), measured.busy() * 100, measured.softirq() * 100, measured.processCores() * 100);
        System.out.println("BENCH fastpath /stats " + stats);
        stop(fastpath);
        stop(slowpath);
        return measured;
    }

    private Process sender(String mode, long rate) throws IOException {
        long seconds = (warmupMillis + measureMillis) / 1000 + 5;
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", srcNs, "nice", "-n", NICE, "taskset",
                "-c",
                Integer.toString(otherCpu), java, "--enable-native-access=ALL-UNNAMED", "-cp", benchJar,
                NatLoadSender.class.getName(), "--mode", mode, "--bind", args.getOrDefault("src-addr", "10.77.1.2"),
                "--inner-src", args.getOrDefault("src-addr", "10.77.1.2") + ":40000", "--inner-dst",
                args.getOrDefault("dst-addr", "192.168.77.2") + ":5000", "--flows", Integer.toString(flows),
                "--payload", Integer.toString(payload), "--rate", Long.toString(rate), "--duration-s",
                Long.toString(seconds)));
        if (mode.equals("vxlan")) {
            command.addAll(List.of("--target", args.getOrDefault("nat-in-addr", "10.77.1.1") + ":4789"));
        }
        sentCount.set(new long[]{System.nanoTime(), 0});
        return start("sender-" + mode, command, counter(sentCount, "SENT"));
    }

    /** Warm-up, then counters before and after the measured window. */
    private Measured measure(Process sender, long pid) throws Exception {
        sleep(warmupMillis);
        if (!sender.isAlive()) {
            throw new IllegalStateException("the sender exited early");
        }
        long[] drops0 = drops();
        long[] cpu0 = cpuTicks(forwardCpu);
        long[] sink0 = sinkCount.get();
        long[] sent0 = sentCount.get();
        long proc0 = pid > 0 ? processTicks(pid) : 0;
        long t0 = System.nanoTime();
        sleep(measureMillis);
        long[] cpu1 = cpuTicks(forwardCpu);
        long[] sink1 = sinkCount.get();
        long[] sent1 = sentCount.get();
        long proc1 = pid > 0 ? processTicks(pid) : 0;
        long[] drops1 = drops();
        System.out.printf("BENCH drops while measured: backlog (forwarding CPU) %d, squeezed %d, UDP receive buffers "
                + "in the nat namespace %d, at the sink %d%n", drops1[0] - drops0[0], drops1[1] - drops0[1],
                drops1[2] - drops0[2], drops1[3] - drops0[3]);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double total = Math.max(1, cpu1[1] - cpu0[1]);
        double pps = (sink1[1] - sink0[1]) * 1e9 / Math.max(1, sink1[0] - sink0[0]);
        double sentPps = (sent1[1] - sent0[1]) * 1e9 / Math.max(1, sent1[0] - sent0[0]);
        return new Measured(pps, sentPps, (cpu1[0] - cpu0[0]) / total, (cpu1[2] - cpu0[2]) / total,
                (proc1 - proc0) / (double) USER_HZ / seconds);
    }

    // ---------------------------------------------------------------- counters

    /** {busy, total, irq + softirq} ticks of one CPU: busy is everything but idle and iowait. */
    static long[] cpuTicks(int cpu) throws IOException {
        return parseCpuTicks(Files.readString(Path.of("/proc/stat")), cpu);
    }

    static long[] parseCpuTicks(String procStat, int cpu) {
        Matcher m = CPU_LINE.matcher(procStat);
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) != cpu) {
                continue;
            }
            String[] fields = m.group(2).trim().split("\\s+");
            long total = 0;
            long idle = 0;
            long interrupts = 0;
            // user nice system idle iowait irq softirq steal (guest and guest_nice are inside user and nice)
            for (int i = 0; i < Math.min(fields.length, 8); i++) {
                long v = Long.parseLong(fields[i]);
                total += v;
                if (i == 3 || i == 4) {
                    idle += v;
                } else if (i == 5 || i == 6) {
                    interrupts += v;
                }
            }
            return new long[]{total - idle, total, interrupts};
        }
        throw new IllegalStateException("no cpu" + cpu + " in /proc/stat");
    }

    /**
     * {backlog drops, time squeezes} of the forwarding CPU (/proc/net/softnet_stat), UDP receive buffer errors in this
     * (the nat) namespace and in dst's: where packets were lost.
     */
    private long[] drops() throws Exception {
        long[] softnet = softnet(Files.readAllLines(Path.of("/proc/net/softnet_stat")), forwardCpu);
        return new long[]{softnet[0], softnet[1], udpRcvbufErrors(Files.readString(Path.of("/proc/net/snmp"))),
                udpRcvbufErrors(run("ip", "netns", "exec", dstNs, "cat", "/proc/net/snmp"))};
    }

    static long[] softnet(List<String> lines, int cpu) {
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            // from Linux 5.10 the 13th column is the CPU; before, lines are in CPU order
            int lineCpu = f.length >= 13 ? Integer.parseInt(f[12], 16) : lines.indexOf(line);
            if (lineCpu == cpu) {
                return new long[]{Long.parseLong(f[1], 16), Long.parseLong(f[2], 16)};
            }
        }
        return new long[2];
    }

    static long udpRcvbufErrors(String snmp) {
        String[] names = null;
        for (String line : snmp.split("\n")) {
            if (!line.startsWith("Udp: ")) {
                continue;
            }
            String[] fields = line.substring(5).trim().split("\\s+");
            if (names == null) {
                names = fields;
            } else {
                for (int i = 0; i < names.length && i < fields.length; i++) {
                    if (names[i].equals("RcvbufErrors")) {
                        return Long.parseLong(fields[i]);
                    }
                }
            }
        }
        return 0;
    }

    /** utime + stime of a process, in clock ticks. */
    static long processTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // the command name may hold spaces: fields count from after its closing parenthesis
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    // ---------------------------------------------------------------- processes

    private Process start(String name, List<String> command) throws IOException {
        return start(name, command, line -> true);
    }

    /** Starts a process whose output lines go to {@code onLine}, and are echoed when it returns true. */
    private Process start(String name, List<String> command, Predicate<String> onLine) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(process);
        Thread.ofPlatform().daemon(true).name("out-" + name).start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (onLine.test(line)) {
                        System.out.println("  [" + name + "] " + line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        return process;
    }

    private static String run(String... command) throws Exception {
        return runWithInput(List.of(command), null);
    }

    private static String runWithInput(List<String> command, String input) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static void awaitHttp(HttpClient http, String url, String expected, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.info().command().orElse("process") + " exited");
            }
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET()
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains(expected)) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            sleep(100);
        }
        throw new IllegalStateException(url + " never showed " + expected);
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void stopAll() {
        for (Process process : processes) {
            try {
                if (process.isAlive()) {
                    stop(process);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A pause between measurements of a separate process (this is a harness, not a test). */
    private static void sleep(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
