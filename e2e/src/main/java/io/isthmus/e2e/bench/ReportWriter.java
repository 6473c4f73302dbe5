package io.isthmus.e2e.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code docs/benchmarks.md} from one {@code ./nfv bench} run: JMH's JSON results (figures 1 and 2) and the
 * {@code RESULT <name> <value> <unit>} lines of the harnesses (figures 3 to 8 and 12 to 14), each with its goal,
 * command line, date, and the machine (CPU model, cores, JDK). The previous file's table is kept under "Previous
 * figures", and each figure shows its previous value beside the new one. Figures are printed, never asserted.
 * <p>
 * The results directory holds, per benchmark key ({@code flowtable}, {@code pipeline}, {@code slowpath},
 * {@code balancer}, {@code forwarding}, {@code kernel}, {@code maglev}): {@code <key>.json} (JMH) or
 * {@code <key>.log} (RESULT lines), or {@code <key>.skipped} saying why it did not run; and {@code commands.tsv}
 * ({@code <key> TAB <command line>}).
 */
public final class ReportWriter {

    static final String USAGE = """
            usage: ReportWriter --results <dir> --out docs/benchmarks.md [--cpu <model>] [--cores <n>]
                                [--kernel <uname -r>] [--command "./nfv bench"]""";

    static final String START = "<!-- figures:start -->";
    static final String END = "<!-- figures:end -->";
    private static final Pattern RESULT = Pattern.compile("^RESULT (\\S+) (\\S+) ?(.*)$", Pattern.MULTILINE);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** A figure's outcome: what to show, and whether the goal is met (null: not measured or no goal). */
    record Value(String text, Boolean met) {
    }

    /** One of the figures: where its numbers come from and how they read against the goal. */
    record Figure(int number, String title, String goal, String key, String detail) {
    }

    static final List<Figure> FIGURES = List.of(
            new Figure(1, "Flow-table lookup (JMH, exact match, hit)", "≤ 20 ns at 1M flows, ≤ 40 ns at 10M",
                    "flowtable", "FlowTableLookupBenchmark: lookups of random keys in the off-heap table at 1M and 10M"
                            + " flows: in batches of 32 as the worker looks a received batch up (hitBatch: every"
                            + " slot loaded first, then the keys compared), one at a time (hit, miss), and the slot"
                            + " loads alone (slotLoads: the machine's floor for a random access). On a virtual"
                            + " machine a random access into a table of more than a few MiB is a TLB miss with a"
                            + " nested page walk (about 165 ns alone); slotLoads shows what overlapping 32 of them"
                            + " leaves per key."),
            new Figure(2, "Fastpath pipeline per core (JMH)", "≥ 10 Mpps per core, 0 B allocated per packet",
                    "pipeline", "PipelineBenchmark: parse → lookup → NAT program on in-memory 68-byte frames, in"
                            + " batches of 64 as the worker runs them (looked up ahead from 32K flows); ops/µs ="
                            + " Mpps; allocation from -prof gc (gc.alloc.rate.norm per packet)."),
            new Figure(3, "NAT new flows through the slowpath", "≥ 500,000 new flows/s per core", "slowpath",
                    "NatSlowpathBenchmark: each new flow is a PUNT through the bounded queue, the NAT policy (a new"
                            + " binding), the rule ledger, batched INSTALLs for 2 fastpaths and a REINJECT, encoded"
                            + " but not sent (in-process, one thread; per core = per CPU second). The configuration"
                            + " between rounds, which ends the round before's 60,000 bindings, is not counted in it"
                            + " (a BENCH line gives its CPU time and the figure with it; the runs before figure 14 was"
                            + " added counted it). The same over loopback UDP through a real slowpath is reported"
                            + " beside it."),
            new Figure(4, "Forwarding with batched I/O (recvmmsg/sendmmsg) vs one datagram per call",
                    "≥ 2 × the channel fastpath's packets/s", "forwarding",
                    "ForwardingBenchmark: NAT forwarding through one fastpath process over loopback UDP, load"
                            + " generator, sink and slowpath as processes."),
            new Figure(5, "The same NAT traffic through the Linux kernel (nftables masquerade, veth, netns)",
                    "the fastpath forwards ≥ the kernel's packets/s per core", "kernel",
                    "KernelNatBenchmark: 64 UDP flows from a src namespace through a nat namespace to a sink in a"
                            + " dst namespace, all forwarding work (softirq, and the fastpath process) on one CPU;"
                            + " the figure: packets/s at the sink per second of that CPU's busy time, each leg with"
                            + " the sender flat out (one core sends: the kernel's leg keeps up with it using about"
                            + " two thirds of the forwarding CPU, the fastpath's leg with all of it). The paced half-load figures beside it do not compare: on a kernel that"
                            + " samples CPU time by tick (TICK_CPU_ACCOUNTING, NO_HZ_IDLE, no IRQ_TIME_ACCOUNTING,"
                            + " as the benchmark machine's) softirq work done in short wake-ups from idle is missed,"
                            + " so the kernel's paced figure is too high, while the fastpath's counts its process"
                            + " waking for each burst. A fifth phase runs the fastpath flat out receiving through"
                            + " AF_XDP (--xdp-dev ib-nat0: generic XDP on the veth, after RPS, on the same CPU)."),
            new Figure(6, "Scale-out: 2 fastpath workers vs 1", "≥ 1.8 × one worker's packets/s", "scaling",
                    "WorkerScaling: PipelineBenchmark.worker (a real FastpathWorker over in-memory rings, 1,024"
                            + " flows) with 1 and then 2 JMH threads, each a worker with its own table; and"
                            + " ForwardingBenchmark's scenarios mmsg-1w and mmsg-2w (SO_REUSEPORT workers over"
                            + " loopback UDP, where the generator and the sink share the cores; command under 4)."),
            new Figure(7, "One TCP stream through the NAT in the VPC lab (iperf3, 2 fastpaths) vs the kernel's"
                    + " masquerade in the same lab", "≥ the kernel's nftables masquerade", "lab",
                    "LabBenchmark (io.isthmus.e2e.bench.lab): a NAT of its own (a slowpath and two fastpaths of the"
                            + " runtime jar) and the VPC lab of scripts/lab.sh built for it: iperf3 -c 203.0.113.130"
                            + " -t 10 from the VPC namespace over kernel VXLAN to the fastpaths and on to the router"
                            + " and the server; then the VPC and the router are pointed at a namespace that does the"
                            + " same with VXLAN and nftables masquerade, and the stream runs again. Every namespace,"
                            + " the iperf3 ends and both NATs share the machine's cores."),
            new Figure(8, "New TCP connections per second through the NAT in the VPC lab vs the kernel's masquerade",
                    "≥ the kernel's nftables masquerade", "lab",
                    "ConnectionRate (io.isthmus.e2e.bench.lab): 8 client threads in the VPC namespace open a"
                            + " connection to a Java server behind the router, read its 3-byte answer to the"
                            + " server's close, and open the next, for 5 s: each connection is a new flow, so a"
                            + " punt, a new binding and two rules installed in both fastpaths; then the same through"
                            + " the kernel's masquerade (a conntrack entry each). Failed attempts are printed beside."),
            new Figure(12, "Maglev lookup table rebuild, 1,000 backends of equal weight at M = 65,537 (JMH)",
                    "≤ 3 ms per rebuild (the paper: 1.8 ms)", "maglev",
                    "MaglevBenchmark.rebuild: Maglev.populate of 1,000 backend names, each permutation from the"
                            + " SHA-256 of its name, then the paper's population (Pseudocode 1) into 65,537 entries,"
                            + " JMH's average time per rebuild on one thread; rebuildFromPermutations: the population"
                            + " alone, from permutations computed before. Beside them, the rebuild's CPU time (the"
                            + " thread's, over 1,000 rebuilds after 1,000 to warm up): on a shared machine JMH's wall"
                            + " clock also counts the time the thread waited for a core."),
            new Figure(13, "Maglev table entries moved when 1 % of 1,000 backends fail, M = 65,537",
                    "≤ 3.5 % of the table", "maglev",
                    "MaglevBenchmark (counted, not timed): 10 of the 1,000 backends removed at random (a fixed"
                            + " seed, 20 draws) and the table populated again; the entries whose owner changed though"
                            + " it did not fail, as % of the table, averaged over the draws. The failed backends' own"
                            + " entries, which must move, are not counted, as in the paper's measure of its tables'"
                            + " resilience. The same at M = 655,373 is printed beside."),
            new Figure(14, "New connections through the load balancer's slowpath",
                    "≥ 500,000 new connections/s per core", "balancer",
                    "SlbSlowpathBenchmark, the harness of figure 3 (SlowpathBenchmark) with the load balancer's"
                            + " policy: each new connection is a TCP SYN from a distinct client to the one listener"
                            + " (VIP:80), punted, given a backend of 100 (equal weights, no health check) by the"
                            + " group's Maglev table and a local port, its forward and reverse rules INSTALLed in 2"
                            + " fastpaths and its packet REINJECTed, encoded but not sent (in-process, one thread;"
                            + " per core = per CPU second). The same over loopback UDP through a real slowpath is"
                            + " reported beside it."),
            new Figure(15, "HTTP requests per second through the load balancer vs straight to one backend",
                    "(no goal set: a comparison)", "balancerlab",
                    "LoadBalancerLabBenchmark (io.isthmus.e2e.bench.lab): a load balancer of its own (a slowpath"
                            + " and one fastpath of the runtime jar), the namespaces of its end-to-end test (clients"
                            + " and the backends' VPC, kernel VXLAN to the fastpath), three nginx backends answering"
                            + " a few bytes; HttpRate in the clients' namespace, 16 keep-alive connections sending"
                            + " GET after GET for 10 s, to the VIP, then over a veth straight to one backend."));

    private final Path results;
    private final Map<String, String> args;
    private final Map<String, String> commands = new LinkedHashMap<>();

    private ReportWriter(Path results, Map<String, String> args) throws IOException {
        this.results = results;
        this.args = args;
        Path tsv = results.resolve("commands.tsv");
        if (Files.isRegularFile(tsv)) {
            for (String line : Files.readAllLines(tsv)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    commands.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --name value at " + argv[i] + "\n" + USAGE);
            }
            args.put(argv[i].substring(2), argv[++i]);
        }
        if (!args.containsKey("results") || !args.containsKey("out")) {
            throw new IllegalArgumentException(USAGE);
        }
        Path out = Path.of(args.get("out"));
        String previous = Files.isRegularFile(out) ? Files.readString(out) : "";
        String report = new ReportWriter(Path.of(args.get("results")), args).write(previous, Instant.now());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    // ---------------------------------------------------------------- the document

    String write(String previousReport, Instant now) throws IOException {
        Map<Integer, String> previousValues = previousValues(previousReport);
        String previousDate = previousDate(previousReport);
        String machine = "CPU %s, %s cores (lscpu); JDK %s; Linux %s".formatted(args.getOrDefault("cpu", cpuModel()),
                args.getOrDefault("cores", Integer.toString(Runtime.getRuntime().availableProcessors())), jdk(),
                args.getOrDefault("kernel", System.getProperty("os.version")));
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Written by `").append(args.getOrDefault("command", "./nfv bench"))
                .append("` (scripts/bench.sh). Figures are printed by the benchmarks, never asserted; how each is")
                .append(" measured is below the table. On a machine shared with other work, figures 4 to 8 and 12")
                .append(" move with that work: the CPU lines of each benchmark's log say how much there was.\n\n");
        md.append(START).append('\n');
        md.append("Run of ").append(DATE.format(now)).append(" — ").append(machine).append(".\n\n");
        md.append("| # | What | Figure | Goal | Met | Previous")
                .append(previousDate.isEmpty()
                        ? ""
                        : " (" + previousDate
                                + ")")
                .append(" | Measured |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        List<String> details = new ArrayList<>();
        for (Figure figure : FIGURES) {
            Value value = value(figure);
            String met = value.met() == null ? "—" : value.met() ? "yes" : "**no**";
            md.append("| ").append(figure.number()).append(" | ").append(figure.title()).append(" | ")
                    .append(value.text()).append(" | ").append(figure.goal()).append(" | ").append(met).append(" | ")
                    .append(previousValues.getOrDefault(figure.number(), "—")).append(" | ")
                    .append(measuredAt(figure.key())).append(" |\n");
            details.add(detail(figure, value, machine));
        }
        md.append('\n').append(END).append("\n\n");
        md.append("## How each figure was measured\n\n");
        for (String detail : details) {
            md.append(detail).append('\n');
        }
        md.append("## Previous figures\n\n");
        String previousTable = section(previousReport);
        if (previousTable.isEmpty()) {
            md.append("None: this is the first run that wrote this file.\n");
        } else {
            md.append("The table of the run before this one, as it was written:\n\n").append(previousTable.strip())
                    .append('\n');
        }
        return md.toString();
    }

    private String detail(Figure figure, Value value, String machine) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("### ").append(figure.number()).append(". ").append(figure.title()).append("\n\n");
        md.append(figure.detail()).append("\n\n");
        md.append("- Figure: ").append(value.text()).append(" — goal ").append(figure.goal()).append('\n');
        md.append("- Command: `").append(commands.getOrDefault(figure.key(), "(not run)")).append("`\n");
        md.append("- Date: ").append(measuredAt(figure.key())).append("; ").append(machine).append('\n');
        Path skipped = results.resolve(figure.key() + ".skipped");
        if (Files.isRegularFile(skipped)) {
            md.append("- Not measured: ").append(Files.readString(skipped).strip()).append('\n');
        }
        List<String> rows = rawRows(figure.key());
        if (!rows.isEmpty()) {
            md.append("\n<details><summary>All numbers of this run</summary>\n\n```\n");
            rows.forEach(r -> md.append(r).append('\n'));
            md.append("```\n</details>\n");
        }
        return md.append('\n').toString();
    }

    // ---------------------------------------------------------------- the figures

    Value value(Figure figure) throws IOException {
        try {
            return switch (figure.number()) {
                case 1 -> flowTable();
                case 2 -> pipeline();
                case 3 -> slowpath("slowpath", "nat", "flow");
                case 4 -> ratio("forwarding.mmsg-vs-channel", 2.0, "forwarding.mmsg-1w", "forwarding.channel-1w");
                case 5 -> kernel();
                case 6 -> scaling();
                case 7 -> labVersusKernel("lab.tcp", 1e9, "Gbit/s", 2);
                case 8 -> labVersusKernel("lab.cps", 1, "connections/s", 0);
                case 12 -> maglev("maglev.rebuild", "%s ms per rebuild with the permutations%s", 3,
                        "maglev.rebuild.precomputed", "; from permutations computed before %s ms", "maglev.rebuild.cpu",
                        "; the thread's CPU time per rebuild %s ms");
                case 13 -> maglev("maglev.moved", "%s %% of the entries moved%s", 3.5, "maglev.moved.655373",
                        "; at M = 655,373 %s %%");
                case 14 -> slowpath("balancer", "slb", "connection");
                case 15 -> balancedVersusDirect();
                default -> throw new IllegalArgumentException("no figure " + figure.number());
            };
        } catch (MissingResult e) {
            return new Value(notMeasured(figure.key(), e.getMessage()), null);
        }
    }

    private Value flowTable() throws IOException, MissingResult {
        List<JmhRow> rows = jmh("flowtable");
        double batch1m = score(rows, "hitBatch", "1000000");
        double batch10m = score(rows, "hitBatch", "10000000");
        String single = "; one at a time %s / %s ns".formatted(fmt(score(rows, "hit", "1000000"), 1),
                fmt(score(rows, "hit", "10000000"), 1));
        String floor = rows.stream().anyMatch(row -> row.method().equals("slotLoads"))
                ? "; the slot loads alone %s / %s ns".formatted(fmt(score(rows, "slotLoads", "1000000"), 1),
                        fmt(score(rows, "slotLoads", "10000000"), 1))
                : "";
        return new Value("hit %s ns at 1M, %s ns at 10M in batches of 32%s%s".formatted(fmt(batch1m, 1),
                fmt(batch10m, 1), single, floor), batch1m <= 20 && batch10m <= 40);
    }

    private Value pipeline() throws IOException, MissingResult {
        List<JmhRow> rows = jmh("pipeline");
        JmhRow big = row(rows, "pipeline", "1000000");
        JmhRow small = row(rows, "pipeline", "1024");
        JmhRow bigAlone = row(rows, "pipelineNoLookahead", "1000000");
        double alloc = Math.max(big.allocPerOp(), small.allocPerOp());
        String allocText = Double.isNaN(alloc) ? "allocation not measured" : fmt(alloc, 2) + " B/packet";
        // JMH's own bookkeeping shows as ~0.01 B/op; one object per packet would be 16 B or more
        return new Value("%s Mpps at 1M flows (%s without look-ahead), %s Mpps at 1,024; %s".formatted(
                fmt(big.score(), 2), fmt(bigAlone.score(), 2), fmt(small.score(), 2), allocText),
                big.score() >= 10 && small.score() >= 10 && !Double.isNaN(alloc) && alloc < 0.1);
    }

    /**
     * A figure of SlowpathBenchmark, whose RESULT names are {@code <prefix>_new_<flows>_per_core} and the like: met at
     * 500,000 new flows (or connections) per second per core.
     */
    private Value slowpath(String key, String prefix, String flow) throws IOException, MissingResult {
        Map<String, Double> r = resultLines(key);
        String flows = flow + "s";
        double perCore = need(r, prefix + "_new_" + flows + "_per_core");
        String udp = r.containsKey(prefix + "_new_" + flows + "_udp_per_core")
                ? "; over loopback UDP %s %s/s per slowpath core".formatted(
                        fmt(r.get(prefix + "_new_" + flows + "_udp_per_core"), 0), flows)
                : "";
        return new Value("%s new %s/s per core (%s ns/%s)%s".formatted(fmt(perCore, 0), flows,
                fmt(r.getOrDefault(prefix + "_new_" + flow + "_ns", Double.NaN), 0), flow, udp), perCore >= 500_000);
    }

    private Value kernel() throws IOException, MissingResult {
        Map<String, Double> r = resultLines("kernel");
        double fastpath = need(r, "fastpath_nat_capacity_per_core");
        double kernel = need(r, "kernel_nat_capacity_per_core");
        String xdp = r.containsKey("fastpath_xdp_capacity_per_core")
                ? "; receiving through AF_XDP %s pps/core (%s ×)".formatted(
                        fmt(r.get("fastpath_xdp_capacity_per_core"), 0),
                        fmt(r.get("fastpath_xdp_capacity_per_core") / kernel, 2))
                : "";
        return new Value(("flat out, per core of forwarding CPU busy time: fastpath %s pps/core (%s pps) vs kernel %s"
                + " pps/core (%s pps) = %s ×%s; at the same paced load (%s pps) fastpath %s vs kernel %s pps/core")
                .formatted(fmt(fastpath, 0), fmt(need(r, "fastpath_nat_saturated_pps"), 0), fmt(kernel, 0),
                        fmt(need(r, "kernel_nat_saturated_pps"), 0), fmt(fastpath / kernel, 2), xdp,
                        fmt(r.getOrDefault("offered_load", Double.NaN), 0),
                        fmt(r.getOrDefault("fastpath_nat_pps_per_core", Double.NaN), 0),
                        fmt(r.getOrDefault("kernel_nat_pps_per_core", Double.NaN), 0)),
                Math.max(fastpath, r.getOrDefault("fastpath_xdp_capacity_per_core", 0.0)) >= kernel);
    }

    private Value scaling() throws IOException, MissingResult {
        Map<String, Double> r = resultLines("scaling");
        double ratio = need(r, "scaling.2w-vs-1w");
        String udp;
        try {
            Value overUdp = ratio("forwarding.2w-vs-1w", 1.8, "forwarding.mmsg-2w", "forwarding.mmsg-1w");
            udp = "; over loopback UDP " + overUdp.text();
        } catch (MissingResult e) {
            udp = "; over loopback UDP not measured";
        }
        return new Value("in memory %s × (%s pps vs %s pps)%s".formatted(fmt(ratio, 2), fmt(need(r, "scaling.2w"), 0),
                fmt(need(r, "scaling.1w"), 0), udp), ratio >= 1.8);
    }

    /**
     * A figure of MaglevBenchmark: {@code name}, met at most {@code goal}, and others beside it as pairs of a name and
     * its text, each if it was printed.
     */
    private Value maglev(String name, String text, double goal, String... beside) throws IOException, MissingResult {
        Map<String, Double> r = resultLines("maglev");
        double value = need(r, name);
        StringBuilder besides = new StringBuilder();
        for (int i = 0; i + 1 < beside.length; i += 2) {
            if (r.containsKey(beside[i])) {
                besides.append(beside[i + 1].formatted(fmt(r.get(beside[i]), 2)));
            }
        }
        return new Value(text.formatted(fmt(value, 2), besides), value <= goal);
    }

    /** The lab's NAT figure beside the kernel's, and their ratio; the goal: at least the kernel's. */
    private Value labVersusKernel(String name, double unit, String units, int decimals)
            throws IOException, MissingResult {
        Map<String, Double> r = resultLines("lab");
        double nat = need(r, name + ".nat");
        double kernel = need(r, name + ".kernel");
        return new Value("NAT %s %s vs kernel %s %s = %s ×".formatted(fmt(nat / unit, decimals), units,
                fmt(kernel / unit, decimals), units, fmt(nat / kernel, 2)), nat >= kernel);
    }

    /** Requests/s through the load balancer beside the same client's straight to a backend; no goal. */
    private Value balancedVersusDirect() throws IOException, MissingResult {
        Map<String, Double> r = resultLines("balancerlab");
        double balanced = need(r, "lab.http.balanced");
        double direct = need(r, "lab.http.direct");
        return new Value("through the load balancer %s req/s vs straight to one backend %s req/s = %s ×".formatted(
                fmt(balanced, 0), fmt(direct, 0), fmt(balanced / direct, 2)), null);
    }

    private Value ratio(String name, double goal, String numerator, String denominator)
            throws IOException, MissingResult {
        Map<String, Double> r = resultLines("forwarding");
        double ratio = need(r, name);
        return new Value("%s × (%s pps vs %s pps)".formatted(fmt(ratio, 2), fmt(need(r, numerator), 0),
                fmt(need(r, denominator), 0)), ratio >= goal);
    }

    // ---------------------------------------------------------------- inputs

    /** A figure could not be read: its benchmark was skipped, failed, or printed no such result. */
    static final class MissingResult extends Exception {
        private static final long serialVersionUID = 1L;

        MissingResult(String message) {
            super(message);
        }
    }

    private String notMeasured(String key, String why) throws IOException {
        Path skipped = results.resolve(key + ".skipped");
        String reason = Files.isRegularFile(skipped) ? Files.readString(skipped).strip() : why;
        return "not measured: " + reason.replace('|', '/').replace('\n', ' ');
    }

    Map<String, Double> resultLines(String key) throws IOException, MissingResult {
        Path log = results.resolve(key + ".log");
        if (!Files.isRegularFile(log)) {
            throw new MissingResult("no " + log.getFileName());
        }
        return parseResults(Files.readString(log));
    }

    static Map<String, Double> parseResults(String text) {
        Map<String, Double> values = new LinkedHashMap<>();
        Matcher m = RESULT.matcher(text);
        while (m.find()) {
            try {
                values.put(m.group(1), Double.parseDouble(m.group(2)));
            } catch (NumberFormatException e) {
                // NaN or a word: not a figure
            }
        }
        return values;
    }

    private static double need(Map<String, Double> values, String name) throws MissingResult {
        Double value = values.get(name);
        if (value == null || value.isNaN()) {
            throw new MissingResult("no RESULT " + name);
        }
        return value;
    }

    /** One JMH result: benchmark method, its params, primary score, and allocation per operation (NaN if absent). */
    record JmhRow(String method, Map<String, Object> params, double score, String unit, double allocPerOp) {
    }

    List<JmhRow> jmh(String key) throws IOException, MissingResult {
        Path json = results.resolve(key + ".json");
        if (!Files.isRegularFile(json)) {
            throw new MissingResult("no " + json.getFileName());
        }
        return parseJmh(Files.readString(json));
    }

    @SuppressWarnings("unchecked")
    static List<JmhRow> parseJmh(String json) {
        List<JmhRow> rows = new ArrayList<>();
        for (Object o : (List<Object>) new Json(json).value()) {
            Map<String, Object> run = (Map<String, Object>) o;
            String benchmark = (String) run.get("benchmark");
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            Map<String, Object> params = (Map<String, Object>) run.getOrDefault("params", Map.of());
            Map<String, Object> primary = (Map<String, Object>) run.get("primaryMetric");
            Map<String, Object> secondary = (Map<String, Object>) run.getOrDefault("secondaryMetrics", Map.of());
            Map<String, Object> alloc = (Map<String, Object>) secondary.get("gc.alloc.rate.norm");
            rows.add(new JmhRow(method, params == null ? Map.of() : params, number(primary.get("score")),
                    (String) primary.get("scoreUnit"), alloc == null ? Double.NaN : number(alloc.get("score"))));
        }
        return rows;
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(o));
    }

    private static JmhRow row(List<JmhRow> rows, String method, String flows) throws MissingResult {
        return rows.stream().filter(r -> r.method().equals(method) && flows.equals(String.valueOf(r.params().get(
                "flows")))).findFirst().orElseThrow(() -> new MissingResult("no JMH " + method + " at " + flows));
    }

    private static double score(List<JmhRow> rows, String method, String flows) throws MissingResult {
        return row(rows, method, flows).score();
    }

    /** Every number the benchmark printed, for the details. */
    private List<String> rawRows(String key) throws IOException {
        List<String> rows = new ArrayList<>();
        Path json = results.resolve(key + ".json");
        Path log = results.resolve(key + ".log");
        if (Files.isRegularFile(json)) {
            for (JmhRow r : parseJmh(Files.readString(json))) {
                rows.add("%s %s: %s %s%s".formatted(r.method(), r.params(), fmt(r.score(), 3), r.unit(),
                        Double.isNaN(r.allocPerOp()) ? "" : ", " + fmt(r.allocPerOp(), 3) + " B/op allocated"));
            }
        } else if (Files.isRegularFile(log)) {
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith("RESULT ") || line.startsWith("BENCH ") || line.startsWith("INFO ")) {
                    rows.add(line);
                }
            }
        }
        return rows;
    }

    private String measuredAt(String key) throws IOException {
        for (String name : List.of(key + ".json", key + ".log")) {
            Path file = results.resolve(name);
            if (Files.isRegularFile(file)) {
                return DATE.format(Files.getLastModifiedTime(file).toInstant());
            }
        }
        return "—";
    }

    // ---------------------------------------------------------------- the previous report

    static String section(String report) {
        int start = report.indexOf(START);
        int end = report.indexOf(END);
        return start < 0 || end < start ? "" : report.substring(start + START.length(), end);
    }

    /** Figure number → its figure in the previous report's table. */
    static Map<Integer, String> previousValues(String report) {
        Map<Integer, String> values = new HashMap<>();
        for (String line : section(report).split("\n")) {
            String[] cells = line.split("\\|");
            // "| # | What | Figure | ...": cells[0] is empty, cells[1] the number, cells[3] the figure
            if (cells.length > 3 && cells[1].trim().matches("\\d+")) {
                values.put(Integer.parseInt(cells[1].trim()), cells[3].trim());
            }
        }
        return values;
    }

    static String previousDate(String report) {
        Matcher m = Pattern.compile("Run of (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC)").matcher(section(report));
        return m.find() ? m.group(1) : "";
    }

    // ---------------------------------------------------------------- the machine

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String jdk() {
        return "%s %s (%s)".formatted(System.getProperty("java.vm.vendor"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.name"));
    }

    private static String fmt(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "?";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    // ---------------------------------------------------------------- JSON, just enough for JMH's results

    /** A small recursive-descent JSON reader: objects to maps, arrays to lists, numbers to doubles. */
    static final class Json {
        private final String text;
        private int at;

        Json(String text) {
            this.text = text;
        }

        Object value() {
            skipSpace();
            char c = text.charAt(at);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't', 'f', 'n' -> literal();
                default -> number();
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            at++;
            skipSpace();
            if (text.charAt(at) == '}') {
                at++;
                return map;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (text.charAt(at++) == '}') {
                    return map;
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            at++;
            skipSpace();
            if (text.charAt(at) == ']') {
                at++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (text.charAt(at++) == ']') {
                    return list;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder s = new StringBuilder();
            while (true) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return s.toString();
                }
                if (c == '\\') {
                    char e = text.charAt(at++);
                    switch (e) {
                        case 'n' -> s.append('\n');
                        case 't' -> s.append('\t');
                        case 'r' -> s.append('\r');
                        case 'b' -> s.append('\b');
                        case 'f' -> s.append('\f');
                        case 'u' -> {
                            s.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                            at += 4;
                        }
                        default -> s.append(e);
                    }
                } else {
                    s.append(c);
                }
            }
        }

        private Object literal() {
            for (String word : new String[]{"true", "false", "null"}) {
                if (text.startsWith(word, at)) {
                    at += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            throw new IllegalArgumentException("bad JSON at " + at);
        }

        private Object number() {
            // JMH writes NaN and Infinity bare (e.g. the error of a single iteration)
            for (String word : new String[]{"NaN", "Infinity", "-Infinity"}) {
                if (text.startsWith(word, at)) {
                    at += word.length();
                    return Double.parseDouble(word);
                }
            }
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            if (start == at) {
                throw new IllegalArgumentException("bad JSON at " + at);
            }
            return Double.parseDouble(text.substring(start, at));
        }

        private void expect(char c) {
            skipSpace();
            if (text.charAt(at++) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + (at - 1));
            }
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
