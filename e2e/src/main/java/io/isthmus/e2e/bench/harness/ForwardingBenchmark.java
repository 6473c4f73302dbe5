package io.isthmus.e2e.bench.harness;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark 4 and 6 of the data plane, as processes on one host: NAT forwarding through one fastpath process over
 * loopback UDP, with the load generator, the sink and the slowpath in processes of their own.
 * <p>
 * For each scenario ({@code <io>-<n>w}: {@code channel-1w}, {@code mmsg-1w}, {@code mmsg-2w} by default) it starts a
 * NAT slowpath ({@code SlowpathMain --vnf-type nat}) and PUTs its config, a {@link UdpSink} as the outside next hop,
 * one {@code FastpathMain --io <io> --workers <n>}, then a {@link UdpLoadGenerator} sending {@code --flows} inside
 * flows from {@code --sources} source ports. The first packets of each flow are punted and install the flows (warm-up
 * ends when every worker holds them all, plus {@code --warmup-s} for the JIT); then it takes the sink's count, the
 * fastpath's counters (the slowpath's {@code /stats}) and every process's CPU time over {@code --measure-s}.
 * <p>
 * Scenarios {@code mmsg-…} run the fastpath with UDP GSO/GRO ({@code --gso on}), {@code mmsg-nogso-…} without: plain
 * {@code recvmmsg}/{@code sendmmsg} batches. The generator sends {@code --generator-gso} datagrams per GSO message
 * (1 = one by one); a socket without {@code UDP_GRO} (the channel fastpath) receives them one by one all the same.
 * <p>
 * It prints {@code RESULT <name> <value> <unit>} lines (forwarded packets per second at the sink with the generator
 * flat out, offered load, packets per second the fastpath took in, and the highest rate forwarded without loss,
 * searched after: see {@link #searchNoLossRate}) and the ratios {@code mmsg-vs-channel} (goal ≥ 2),
 * {@code mmsg-nogso-vs-channel} and {@code 2w-vs-1w} (goal ≥ 1.8), plus {@code INFO} lines: the host, each process's
 * CPU, the host's user/system/softirq/idle split and the busy time no process is charged with. Nothing is asserted. With fewer
 * cores than busy processes (generator, fastpath workers, sink) the figures measure the share of the CPU each one
 * wins as much as the fastpath; the CPU lines say how much. Loopback delivery runs in the sender's softirq, which
 * the kernel does not charge to the sending process.
 */
public final class ForwardingBenchmark {

    static final String USAGE = """
            usage: ForwardingBenchmark [--scenarios channel-1w,mmsg-nogso-1w,mmsg-1w,mmsg-2w] [--warmup-s 3]
                                       [--measure-s 10] [--flows 1024] [--sources 16] [--batch 32]
                                       [--generator-batch 64] [--generator-gso 32] [--generator-io mmsg]
                                       [--sink-gro on] [--rate 0] [--payload 64] [--max-flows 1048576]
                                       [--search on|off] [--search-steps 7] [--step-s 2] [--loss 0.005]
                                       [--pin-fastpath <cpus> --pin-load <cpus>] [--jar <isthmus-bench.jar>]
                                       [--logs <dir>]""";

    private static final Pattern SCENARIO = Pattern.compile("(mmsg|mmsg-nogso|channel)-(\\d+)w");
    private static final Pattern OBJECT = Pattern.compile("\\{[^{}]*}");
    private static final Pattern NUMBER_FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(-?\\d+)");
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Args args;
    private final Path jar;
    private final String slowpathClasspath;
    private final Path logs;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private ForwardingBenchmark(Args args) throws IOException, URISyntaxException {
        this.args = args;
        Path self = Path.of(ForwardingBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        this.jar = Path.of(args.string("jar", self.toString())).toAbsolutePath();
        this.slowpathClasspath = slowpathClasspath(jar);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        this.logs = Path.of(args.string("logs", jar.getParent().resolve("bench-logs").resolve("forwarding-" + stamp)
                .toString()));
        Files.createDirectories(logs);
    }

    public static void main(String[] argv) throws Exception {
        ForwardingBenchmark benchmark;
        try {
            benchmark = new ForwardingBenchmark(new Args(argv, USAGE));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        benchmark.run();
    }

    private void run() throws Exception {
        printHost();
        Map<String, Result> results = new LinkedHashMap<>();
        for (String scenario : args.string("scenarios", "channel-1w,mmsg-nogso-1w,mmsg-1w,mmsg-2w").split(",")) {
            Matcher m = SCENARIO.matcher(scenario.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("scenario " + scenario + " is not <mmsg|mmsg-nogso|channel>-<n>w");
            }
            Result result = runScenario(scenario.trim(), m.group(1), Integer.parseInt(m.group(2)));
            results.put(result.name, result);
            result.print();
        }
        ratio(results, "channel-1w", "mmsg-1w", "mmsg-vs-channel", 2.0);
        ratio(results, "channel-1w", "mmsg-nogso-1w", "mmsg-nogso-vs-channel", 2.0);
        ratio(results, "mmsg-1w", "mmsg-2w", "2w-vs-1w", 1.8);
        System.out.println("INFO logs " + logs);
    }

    private static void ratio(Map<String, Result> results, String base, String other, String name, double goal) {
        Result b = results.get(base);
        Result o = results.get(other);
        if (b == null || o == null || b.forwardedPps == 0) {
            return;
        }
        System.out.printf("RESULT forwarding.%s %.2f x%n", name, o.forwardedPps / b.forwardedPps);
        if (b.noLossPps > 0 && o.noLossPps >= 0) {
            System.out.printf("RESULT forwarding.%s.no-loss %.2f x%n", name, o.noLossPps / b.noLossPps);
        }
        System.out.printf("INFO %s goal >= %.1f x (forwarded packets per second, %s over %s; flat out, and at the"
                + " highest rate without loss)%n", name, goal, other, base);
    }

    // ---------------------------------------------------------------- one scenario

    private Result runScenario(String name, String variant, int workers) throws Exception {
        String io = variant.startsWith("mmsg") ? "mmsg" : "channel";
        String gso = variant.equals("mmsg-nogso") ? "off" : "on";
        int flows = args.integer("flows", 1024);
        int controlPort = freeUdpPort();
        int configPort = freeTcpPort();
        int dataPort = freeUdpPort();
        int insideNextHop = freeUdpPort();
        List<Child> children = new ArrayList<>();
        System.out.printf("INFO scenario %s: --io %s%s --workers %d, %d flows from %d source ports%n", name, io,
                io.equals("mmsg") ? " --gso " + gso : "", workers, flows, args.integer("sources", 16));
        try {
            Child slowpath = start(children, "slowpath-" + name, null, List.of(java, "-cp", slowpathClasspath,
                    "io.isthmus.slowpath.SlowpathMain", "--vnf-type", "nat", "--instance-id", "bench-" + name,
                    "--control-port", Integer.toString(controlPort), "--config-port", Integer.toString(configPort),
                    "--bind", "127.0.0.1"));
            String base = "http://127.0.0.1:" + configPort;
            awaitUntil(() -> get(base + "/health") != null, 30, "slowpath /health", slowpath);

            String loadCpus = args.string("pin-load", null);
            Child sink = start(children, "sink-" + name, loadCpus, List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "-cp", jar.toString(), UdpSink.class.getName(), "--port", "0", "--gro", args.string("sink-gro",
                            "on")));
            int sinkPort = Integer.parseInt(sink.listening.get(30, TimeUnit.SECONDS).split(" ")[0]);

            String config = """
                    {"publicAddress":"203.0.113.10","portRangeStart":20000,"portRangeEnd":%d,
                     "insideVni":100,"outsideVni":200,
                     "insideNextHop":"127.0.0.1:%d","outsideNextHop":"127.0.0.1:%d"}"""
                    .formatted(Math.min(65535, 20000 + Math.max(flows, 1000) + 999), insideNextHop, sinkPort);
            int status = put(base + "/config", config);
            if (status != 204) {
                throw new IllegalStateException("PUT /config answered " + status);
            }

            Child fastpath = start(children, "fastpath-" + name, args.string("pin-fastpath", null), List.of(java,
                    "--enable-native-access=ALL-UNNAMED", "-cp", jar.toString(), "io.isthmus.fastpath.FastpathMain",
                    "--id", "0", "--data-port", Integer.toString(dataPort), "--slowpath", "127.0.0.1:" + controlPort,
                    "--bind", "127.0.0.1", "--io", io, "--gso", gso, "--workers", Integer.toString(workers), "--batch",
                    args.string("batch", "32"), "--max-flows", args.string("max-flows", "1048576")));
            awaitUntil(() -> registered(base) == workers, 30, "fastpath workers registered", fastpath);

            Child generator = start(children, "generator-" + name, loadCpus, List.of(java,
                    "--enable-native-access=ALL-UNNAMED", "-cp", jar.toString(), UdpLoadGenerator.class.getName(),
                    "--target", "127.0.0.1:" + dataPort, "--flows", Integer.toString(flows), "--sources",
                    args.string("sources", "16"), "--batch", args.string("generator-batch", "64"), "--io",
                    args.string("generator-io", "mmsg"), "--gso", args.string("generator-gso", "32"), "--rate",
                    args.string("rate", "0"), "--payload",
                    args.string("payload", "64")));

            // warm-up: every worker holds every flow's rules (NAT: forward and reverse), then the JIT settles
            try {
                awaitUntil(() -> allWorkersHold(base, workers, 2L * flows), 60, "flows installed in every worker",
                        fastpath);
            } catch (IllegalStateException e) {
                System.out.println("WARN " + name + ": " + e.getMessage() + "; measuring anyway");
            }
            Thread.sleep(args.integer("warmup-s", 3) * 1000L);

            Snapshot before = snapshot(base, sink, generator, fastpath, children);
            Thread.sleep(args.integer("measure-s", 10) * 1000L);
            Snapshot after = snapshot(base, sink, generator, fastpath, children);
            Result result = Result.of(name, workers, before, after);
            if (!args.string("search", "on").equals("off")) {
                result = result.withNoLoss(searchNoLossRate(name, sink, generator, result.forwardedPps));
            }
            return result;
        } finally {
            for (Child child : children.reversed()) {
                child.stop();
            }
        }
    }

    /**
     * The highest offered rate forwarded with at most {@code --loss} (default 0.5 %) lost, found by a bisection of
     * {@code --search-steps} steps of {@code --step-s} seconds from the saturated throughput (RFC 2544's throughput,
     * coarsely): flat out, a slower fastpath also loses the CPU the generator spends on packets it then drops.
     */
    private double searchNoLossRate(String name, Child sink, Child generator, double saturated) throws Exception {
        double lossAllowed = args.decimal("loss", 0.005);
        long stepMillis = (long) (args.decimal("step-s", 2) * 1000);
        double best = 0;
        double lo = 0;
        double hi = Double.NaN;
        double rate = Math.max(10_000, saturated);
        for (int step = 0; step < args.integer("search-steps", 7); step++) {
            generator.send("RATE " + (long) rate);
            Thread.sleep(500);
            Reading sink0 = sink.latest;
            Reading sent0 = generator.latest;
            Thread.sleep(stepMillis);
            double forwarded = sink.latest.ratePerSecond(sink0);
            double offered = generator.latest.ratePerSecond(sent0);
            boolean ok = offered >= 0.97 * rate && forwarded >= offered * (1 - lossAllowed);
            System.out.printf("INFO %s search: asked %.0f pps, offered %.0f, forwarded %.0f (%.2f %% lost) %s%n", name,
                    rate, offered, forwarded, offered == 0 ? 0 : 100 * (1 - forwarded / offered),
                    ok ? "ok" : "too much");
            if (ok) {
                lo = rate;
                best = Math.max(best, forwarded);
                rate = Double.isNaN(hi) ? rate * 1.5 : (lo + hi) / 2;
            } else {
                hi = rate;
                rate = lo == 0 ? rate / 2 : (lo + hi) / 2;
            }
        }
        generator.send("RATE 0");
        return best;
    }

    private Snapshot snapshot(String base, Child sink, Child generator, Child fastpath, List<Child> children)
            throws IOException {
        Map<String, Long> cpu = new LinkedHashMap<>();
        for (Child child : children) {
            cpu.put(child.role, cpuTicks(child.process.pid()));
        }
        Map<Integer, Map<String, Long>> workers = new LinkedHashMap<>();
        String stats = get(base + "/stats");
        if (stats != null) {
            int start = stats.indexOf("\"fastpaths\"");
            Matcher objects = OBJECT.matcher(start < 0 ? "" : stats.substring(start));
            while (objects.find()) {
                Map<String, Long> fields = new LinkedHashMap<>();
                Matcher field = NUMBER_FIELD.matcher(objects.group());
                while (field.find()) {
                    fields.put(field.group(1), Long.parseLong(field.group(2)));
                }
                if (fields.containsKey("id")) {
                    workers.put(fields.get("id").intValue(), fields);
                }
            }
        }
        return new Snapshot(sink.latest, generator.latest, cpu, workers, udpCounters(), fastpath.role, hostTicks());
    }

    private static boolean allWorkersHold(String base, int workers, long rules) {
        String stats = get(base + "/stats");
        if (stats == null) {
            return false;
        }
        Matcher objects = OBJECT.matcher(stats.substring(Math.max(0, stats.indexOf("\"fastpaths\""))));
        int holding = 0;
        while (objects.find()) {
            Matcher field = NUMBER_FIELD.matcher(objects.group());
            while (field.find()) {
                if (field.group(1).equals("flows") && Long.parseLong(field.group(2)) >= rules) {
                    holding++;
                }
            }
        }
        return holding >= workers;
    }

    private static int registered(String base) {
        String health = get(base + "/health");
        if (health == null) {
            return -1;
        }
        Matcher field = NUMBER_FIELD.matcher(health);
        while (field.find()) {
            if (field.group(1).equals("fastpaths")) {
                return Integer.parseInt(field.group(2));
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- results

    /** A reading of a {@code COUNT}/{@code SENT} line: the child's {@code System.nanoTime()} and its total. */
    record Reading(long nanos, long total) {
        static final Reading NONE = new Reading(0, 0);

        double ratePerSecond(Reading earlier) {
            return nanos == earlier.nanos ? 0 : (total - earlier.total) * 1e9 / (nanos - earlier.nanos);
        }
    }

    record Snapshot(Reading sink, Reading generator, Map<String, Long> cpuTicks,
            Map<Integer, Map<String, Long>> workers, Map<String, Long> udp, String fastpathRole, long[] host) {
    }

    private record Result(String name, int workers, double forwardedPps, double offeredPps, double receivedPps,
            double seconds, Map<String, Double> cores, Map<Integer, Double> workerPps, Map<String, Long> workerDrops,
            Map<String, Long> udpErrors, String fastpathRole, double[] host, double noLossPps) {

        Result withNoLoss(double pps) {
            return new Result(name, workers, forwardedPps, offeredPps, receivedPps, seconds, cores, workerPps,
                    workerDrops, udpErrors, fastpathRole, host, pps);
        }

        static Result of(String name, int workers, Snapshot before, Snapshot after) {
            double seconds = (after.sink.nanos - before.sink.nanos) / 1e9;
            Map<String, Double> cores = new LinkedHashMap<>();
            before.cpuTicks.forEach((role, ticks) -> cores.put(role, seconds <= 0
                    ? 0
                    : (after.cpuTicks.getOrDefault(role, ticks) - ticks) / (double) CLOCK_TICKS_PER_SECOND / seconds));
            Map<Integer, Double> workerPps = new LinkedHashMap<>();
            Map<String, Long> drops = new LinkedHashMap<>();
            double received = 0;
            for (Map.Entry<Integer, Map<String, Long>> worker : after.workers.entrySet()) {
                Map<String, Long> earlier = before.workers.getOrDefault(worker.getKey(), Map.of());
                double pps = seconds <= 0
                        ? 0
                        : (worker.getValue().getOrDefault("packets", 0L) - earlier.getOrDefault("packets", 0L))
                                / seconds;
                workerPps.put(worker.getKey(), pps);
                received += pps;
                drops.put("worker " + worker.getKey(), worker.getValue().getOrDefault("drops", 0L)
                        - earlier.getOrDefault("drops", 0L));
            }
            Map<String, Long> udp = new LinkedHashMap<>();
            after.udp.forEach((k, v) -> udp.put(k, v - before.udp.getOrDefault(k, v)));
            double[] host = new double[after.host.length];
            for (int i = 0; i < host.length && seconds > 0; i++) {
                host[i] = (after.host[i] - before.host[i]) / (double) CLOCK_TICKS_PER_SECOND / seconds;
            }
            return new Result(name, workers, after.sink.ratePerSecond(before.sink),
                    after.generator.ratePerSecond(before.generator), received, seconds, cores, workerPps, drops, udp,
                    after.fastpathRole, host, -1);
        }

        void print() {
            String p = "forwarding." + name;
            double fastpathCores = cores.getOrDefault(fastpathRole, 0.0);
            System.out.printf("RESULT %s %.0f pps%n", p, forwardedPps);
            System.out.printf("RESULT %s.offered %.0f pps%n", p, offeredPps);
            System.out.printf("RESULT %s.received %.0f pps%n", p, receivedPps);
            if (noLossPps >= 0) {
                System.out.printf("RESULT %s.no-loss %.0f pps%n", p, noLossPps);
            }
            StringBuilder cpu = new StringBuilder();
            double ours = 0;
            for (Map.Entry<String, Double> c : cores.entrySet()) {
                cpu.append(' ').append(c.getKey().replace("-" + name, "")).append('=')
                        .append(String.format("%.2f", c.getValue()));
                ours += c.getValue();
            }
            double busy = host[0] + host[1] + host[2];
            System.out.printf("INFO %s over %.1f s: process cpu (cores, softirq excluded)%s; host user=%.2f"
                    + " system=%.2f softirq=%.2f idle=%.2f steal=%.2f; unattributed=%.2f%n", name, seconds, cpu,
                    host[0],
                    host[1], host[2], host[3], host[4], Math.max(0, busy - host[2] - ours));
            System.out.printf("INFO %s fastpath %.0f pps per process core (its softirq work is not in its cpu)%n",
                    name, fastpathCores == 0 ? 0 : forwardedPps / fastpathCores);
            StringBuilder spread = new StringBuilder();
            workerPps.forEach((id, pps) -> spread.append(" id ").append(id).append('=').append(String.format("%.0f",
                    pps)));
            System.out.printf("INFO %s packets/s received per worker:%s; fastpath drops %s; kernel UDP %s%n", name,
                    spread, workerDrops, udpErrors);
        }
    }

    // ---------------------------------------------------------------- processes

    private Child start(List<Child> children, String role, String cpus, List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (cpus != null) {
            full.addAll(List.of("taskset", "-c", cpus));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        Path log = logs.resolve(role + ".log");
        Child child = new Child(role, builder.start(), log);
        children.add(child);
        Files.writeString(logs.resolve(role + ".command"), String.join(" ", full) + "\n");
        return child;
    }

    /** A child process whose output goes to a log, its last {@code COUNT}/{@code SENT} line kept. */
    private static final class Child {
        final String role;
        final Process process;
        final CompletableFuture<String> listening = new CompletableFuture<>();
        volatile Reading latest = Reading.NONE;

        Child(String role, Process process, Path log) throws IOException {
            this.role = role;
            this.process = process;
            PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
            Thread.ofPlatform().daemon().name("out-" + role).start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8)); out) {
                    for (String line; (line = in.readLine()) != null;) {
                        if (line.startsWith("COUNT ") || line.startsWith("SENT ")) {
                            String[] parts = line.split(" ");
                            latest = new Reading(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                            continue;
                        }
                        if (line.startsWith("LISTENING ")) {
                            listening.complete(line.substring("LISTENING ".length()).trim());
                        }
                        out.println(line);
                    }
                } catch (IOException e) {
                    // the process went away
                }
            });
        }

        /** Writes a line to the child's stdin. */
        void send(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(Condition condition, int seconds, String what, Child watched) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!watched.process.isAlive()) {
                throw new IllegalStateException(watched.role + " exited with " + watched.process.exitValue()
                        + " while waiting for " + what);
            }
            if (condition.holds()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("timed out after " + seconds + " s waiting for " + what);
    }

    // ---------------------------------------------------------------- host

    private void printHost() throws IOException {
        String model = "unknown";
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            model = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(model);
        }
        System.out.printf("INFO cpu %s, %d cores%n", model, Runtime.getRuntime().availableProcessors());
        System.out.printf("INFO jdk %s (%s), os %s %s %s%n", System.getProperty("java.vm.version"),
                System.getProperty("java.vm.name"), System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"));
        System.out.printf("INFO jar %s; slowpath classpath %s%n", jar, slowpathClasspath);
        System.out.println("INFO loopback UDP; the kernel spreads datagrams over SO_REUSEPORT workers by the outer"
                + " 4-tuple hash, so the generator's source ports, not its inner flows, decide the spread");
        int gso = args.integer("generator-gso", 32);
        System.out.println(gso > 1
                ? "INFO the generator sends " + gso + " datagrams per UDP GSO message: a fastpath"
                        + " socket with UDP_GRO (mmsg --gso on) receives each message whole, one without (channel, mmsg-nogso)"
                        + " one datagram at a time; --generator-gso 1 sends them one by one (the generator then limits the"
                        + " offered load)"
                : "INFO the generator sends datagrams one by one (no GSO)");
    }

    /** The host's CPU ticks ({@code /proc/stat}): user+nice, system, irq+softirq, idle+iowait, steal. */
    private static long[] hostTicks() {
        long[] ticks = new long[5];
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            ticks[0] = Long.parseLong(f[1]) + Long.parseLong(f[2]);
            ticks[1] = Long.parseLong(f[3]);
            ticks[2] = Long.parseLong(f[6]) + Long.parseLong(f[7]);
            ticks[3] = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            ticks[4] = Long.parseLong(f[8]);
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return ticks;
    }

    /** User + system CPU ticks of a process ({@code /proc/<pid>/stat} fields 14 and 15), or 0. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The host's UDP error counters ({@code /proc/net/snmp}): receive buffer overflows and the like. */
    private static Map<String, Long> udpCounters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        try {
            List<String> udp = Files.readAllLines(Path.of("/proc/net/snmp")).stream().filter(l -> l.startsWith(
                    "Udp:")).toList();
            if (udp.size() >= 2) {
                String[] names = udp.get(0).split("\\s+");
                String[] values = udp.get(1).split("\\s+");
                for (int i = 1; i < Math.min(names.length, values.length); i++) {
                    if (names[i].endsWith("Errors")) {
                        counters.put(names[i], Long.parseLong(values[i]));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no kernel counters
        }
        return counters;
    }

    /**
     * The slowpath needs Jackson; if this jar lacks it (the e2e pom declares it test-scoped), the VNF runtime jar
     * built next to it supplies it.
     */
    private static String slowpathClasspath(Path jar) {
        if (ForwardingBenchmark.class.getClassLoader()
                .getResource("com/fasterxml/jackson/databind/ObjectMapper.class") != null) {
            return jar.toString();
        }
        Path runtime = jar.getParent().resolve("../../vnf-runtime/target/isthmus-vnf-runtime.jar").normalize();
        if (!Files.isRegularFile(runtime)) {
            throw new IllegalStateException(jar + " has no Jackson for the slowpath and " + runtime
                    + " is missing: build vnf-runtime (mvn -pl vnf-runtime -am package)");
        }
        return jar + File.pathSeparator + runtime;
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String get(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int put(String url, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
