package io.isthmus.vnf.cen;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.FlowKey;
import io.isthmus.control.FlowTimeouts;
import io.isthmus.control.Rule;
import io.isthmus.control.SaCounters;
import io.isthmus.fastpath.Fastpath;
import io.isthmus.fastpath.FastpathOptions;
import io.isthmus.fastpath.testing.ReferencePackets;
import io.isthmus.slowpath.Slowpath;
import io.isthmus.slowpath.SlowpathOptions;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Expiry;
import io.isthmus.slowpath.policy.HealthCheck;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.PolicyContext;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.VnfPolicy;
import io.isthmus.slowpath.service.SlowpathStats;

/**
 * The CEN's routing with REAL fastpaths (in-process {@link Fastpath}es, one worker each, on loopback) and the real
 * {@link CenPolicy} in a real {@link Slowpath} (not a test: run its main). Prints lines {@code BENCH cen ...}, each with
 * the load average it was measured under:
 * <ol>
 * <li>{@code changes}: 4 fastpaths carrying VXLAN traffic from a VPC to a VPC and to a router's prefixes, while 10,000
 * route changes (one BGP route announced or withdrawn each, through {@link PolicyContext#submit} into
 * {@link CenPolicy#onBgpRoutes}, as the BGP sessions do) are paced at 1,000 a second: submit → live in every fastpath
 * ({@link PolicyContext#liveRouteVersion}) p50/p90/p99/max, packets delivered vs sent; then 1,000 {@code PUT /config}
 * over HTTP, each adding or removing one static route, back to back: call → answer (live) p50/p90/p99/max;</li>
 * <li>{@code load}: 1,000,000 BGP routes live in one fastpath, then a new fastpath started three times: start → it
 * holds them all, and → its ROUTE_ACK of the live version;</li>
 * <li>{@code bgp}: BIRD 2 in a network namespace (root and bird2 needed, else skipped) originating 1,000,000 static /24s,
 * the CEN's real BGP session to it and 2 fastpaths: configuration → Established → the policy holds them → every fastpath
 * holds them, live; and BIRD's own time to have them in its table.</li>
 * </ol>
 * Run: {@code java --enable-native-access=ALL-UNNAMED -Xmx6g -cp <test classpath> io.isthmus.vnf.cen.CenRoutingBenchmark
 * [all|changes|load|bgp] [changes=10000] [pps=100000] [routes=1000000]}.
 */
public final class CenRoutingBenchmark {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTER = "dc";
    private static final int VPC_A = 100;
    private static final String NS = "hbench-bird";
    private static final String CEN_ADDRESS = "198.51.100.253";
    private static final String BIRD_ADDRESS = "198.51.100.254";
    private static final Pattern COUNT = Pattern.compile("(\\d+) of (\\d+) routes");

    private CenRoutingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        int changes = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int pps = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int routes = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
        InetAddress host = hostAddress();
        System.out.println("BENCH cen next hops on " + host.getHostAddress() + " (this host's own address: CenConfig"
                + " refuses 127/8), fastpaths on " + LOOPBACK.getHostAddress() + ", " + Runtime.getRuntime()
                        .availableProcessors()
                + " CPUs, max heap " + (Runtime.getRuntime().maxMemory() >> 20)
                + " MB");
        if (which.equals("all") || which.equals("changes")) {
            changes(host, changes, pps);
        }
        if (which.equals("all") || which.equals("load")) {
            fullLoad(host, routes);
        }
        if (which.equals("all") || which.equals("bgp")) {
            bgp(host, routes);
        }
        System.exit(0);
    }

    // ---- 1. route changes while traffic flows ------------------------------------------------------------------

    private static void changes(InetAddress host, int changes, int pps) throws Exception {
        int base = 20_000;
        Harness h = new Harness(new CenPolicy(Clock.systemUTC(), context -> BgpSessions.NONE));
        List<Fastpath> fastpaths = new ArrayList<>();
        try (Sink a = new Sink(host);
                Sink b = new Sink(host);
                Sink dc = new Sink(host);
                Slowpath slowpath = Slowpath.start(options(), h, Clock.systemUTC())) {
            for (int id = 1; id <= 4; id++) {
                fastpaths.add(fastpath(id, slowpath));
            }
            awaitFastpaths(slowpath, 4);
            slowpath.service().configure(config(a, b, dc, BIRD_ADDRESS, ""));
            // the router's table before the stream: 240.0.0.0/24 .. 240.78.31.0/24
            h.run("base", () -> h.cen.onBgpRoutes(ROUTER, slash24s(0xF000_0000, base), List.of()));
            awaitLive(h, h.versionNow(), 30);

            // counted from the sender's start to its stop and the queues drained: nothing else sends
            long[] countersBefore = counters(fastpaths);
            long rcvbufErrorsBefore = udpRcvbufErrors();
            Sender sender = new Sender(fastpaths, pps);
            long trafficStart = System.nanoTime();
            sender.start();
            Thread.sleep(1_000);

            // paced: change i even announces 241.0.0.0/24 + i/2 (new), odd withdraws 240.0.0.0/24 + i/2 (from the base)
            stream(h, changes, 1_000_000L, 0xF100_0000, 0, base + 2);
            // as fast as submit returns: the same with 242.0.0.0/24 + i/2, and the base's next changes / 2 routes
            stream(h, changes, 0, 0xF200_0000, changes / 2, base + 2);

            // the full API: PUT /config adding or removing one static route, back to back
            int puts = Math.max(2, changes / 10);
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://" + LOOPBACK.getHostAddress() + ":" + slowpath.configAddress().getPort()
                    + "/config");
            long[] putNanos = new long[puts];
            int putsNotLive = 0;
            int putsFailed = 0;
            long putStart = System.nanoTime();
            for (int i = 0; i < puts; i++) {
                String statics = (i & 1) == 0 ? "{\"prefix\":\"10.200.0.0/24\",\"attachments\":[\"vpcB\"]}" : "";
                String body = JSON.writeValueAsString(config(a, b, dc, BIRD_ADDRESS, statics));
                long t0 = System.nanoTime();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                        .PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                        .build(), HttpResponse.BodyHandlers.ofString());
                putNanos[i] = System.nanoTime() - t0;
                if (response.statusCode() / 100 != 2) {
                    putsFailed++;
                    if (putsFailed == 1) {
                        System.out.println("PUT /config answered " + response.statusCode() + ": " + response.body());
                    }
                } else if (!"true".equals(response.headers().firstValue("Isthmus-Routes-Live").orElse(""))) {
                    putsNotLive++;
                }
            }
            double putSeconds = (System.nanoTime() - putStart) / 1e9;
            System.out.printf(Locale.ROOT,
                    "BENCH cen put-config: %,d PUT /config over HTTP, each adding or removing one"
                            + " static route, back to back (%,.0f/s), 4 fastpaths, traffic flowing: call -> 204 with"
                            + " Isthmus-Routes-Live %s (the first call, a new HTTP connection: %s ms); %d answered"
                            + " not live, %d failed [%s]%n",
                    puts, puts / putSeconds, percentiles(putNanos), millis(putNanos[0]), putsNotLive, putsFailed,
                    load());

            sender.stop();
            double streamSeconds = (System.nanoTime() - trafficStart) / 1e9;
            Thread.sleep(1_000);
            long sent = sender.sent.get();
            long delivered = b.received.get() + dc.received.get();
            long[] counters = counters(fastpaths);
            System.out.printf(Locale.ROOT, "BENCH cen traffic: over the %.1f s of changes and PUTs (and 1 s before)"
                    + " %,d packets sent"
                    + " (%,.0f pps, asked %,d), %,d delivered to the next hops (%.3f%%, %,d missing); fastpaths:"
                    + " packets %,d, routed %,d, noRoute %,d, blackholed %,d, drops %,d, punts %,d; send errors %,d;"
                    + " vpcA sink got %,d; host UDP receive buffer overflows (/proc/net/snmp RcvbufErrors) %,d"
                    + " [%s]%n", streamSeconds, sent, sent / streamSeconds, pps, delivered,
                    100.0 * delivered / Math.max(1, sent), sent - delivered,
                    counters[FastpathStats.PACKETS_INDEX] - countersBefore[FastpathStats.PACKETS_INDEX],
                    counters[FastpathStats.ROUTED_INDEX] - countersBefore[FastpathStats.ROUTED_INDEX],
                    counters[FastpathStats.NO_ROUTE_INDEX] - countersBefore[FastpathStats.NO_ROUTE_INDEX],
                    counters[FastpathStats.BLACKHOLED_INDEX] - countersBefore[FastpathStats.BLACKHOLED_INDEX],
                    counters[FastpathStats.DROPS_INDEX] - countersBefore[FastpathStats.DROPS_INDEX],
                    counters[FastpathStats.PUNTS_INDEX] - countersBefore[FastpathStats.PUNTS_INDEX],
                    sender.errors.get(), a.received.get(), udpRcvbufErrors() - rcvbufErrorsBefore, load());
            SlowpathStats.RouteTables tables = slowpath.service().stats().routeTables();
            System.out.println("BENCH cen changes end state: slowpath routes " + tables.routes() + " version "
                    + tables.version() + " live " + tables.liveVersion() + "; fastpaths " + tables.fastpaths());
        } finally {
            fastpaths.forEach(Fastpath::close);
        }
    }

    /**
     * {@code changes} changes, one every {@code interval} ns (0: as fast as submit returns): change i even announces
     * {@code announceFrom} + i/2 (a new /24), odd withdraws 240.0.0.0/24 + {@code withdrawFrom} + i/2 (a base route);
     * prints submit -> live in every fastpath.
     */
    private static void stream(Harness h, int changes, long interval, int announceFrom, int withdrawFrom,
            int tableSize) throws InterruptedException {
        long[] submitted = new long[changes];
        AtomicLongArray versions = new AtomicLongArray(changes);
        long[] liveAt = new long[changes];
        Thread poller = Thread.ofPlatform().name("bench-live").start(() -> {
            int next = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(changes / 1_000 + 60);
            while (next < changes && System.nanoTime() < deadline) {
                long live = h.context.liveRouteVersion();
                long now = System.nanoTime();
                while (next < changes && versions.get(next) != 0 && versions.get(next) <= live) {
                    liveAt[next++] = now;
                }
                LockSupport.parkNanos(20_000);
            }
        });
        long start = System.nanoTime();
        for (int i = 0; i < changes; i++) {
            long due = start + i * interval;
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(due - System.nanoTime());
            }
            int n = i;
            int prefix = (i & 1) == 0 ? announceFrom + (i / 2 << 8) : 0xF000_0000 + (withdrawFrom + i / 2 << 8);
            List<BgpRoute> announced = (i & 1) == 0 ? slash24s(prefix, 1) : List.of();
            List<Ipv4Prefix> withdrawn = (i & 1) == 0 ? List.of() : List.of(new Ipv4Prefix(prefix, 24));
            submitted[i] = System.nanoTime();
            h.run("change " + i, () -> h.cen.onBgpRoutes(ROUTER, announced, withdrawn));
            // right after the change is applied, on the policy thread: the version it made
            h.context.submit("version of change " + i, p -> {
                versions.set(n, h.context.routeVersion());
                return Reconfiguration.unchanged("read the version");
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        poller.join();
        long[] latencies = new long[changes];
        int notLive = 0;
        for (int i = 0; i < changes; i++) {
            if (liveAt[i] == 0) {
                notLive++;
                latencies[i] = Long.MAX_VALUE;
            } else {
                latencies[i] = liveAt[i] - submitted[i];
            }
        }
        long firstVersion = versions.get(0);
        long lastVersion = versions.get(changes - 1);
        System.out.printf(Locale.ROOT, "BENCH cen changes %s: %,d route changes (one BGP route announced or"
                + " withdrawn each, PolicyContext.submit -> CenPolicy.onBgpRoutes) at %,.0f/s over %.1f s, 4 fastpaths"
                + " (1 worker each), %,d routes in the table: submit -> live in every fastpath %s; %d never"
                + " live; all live %s ms after the first submit; versions %,d..%,d (%,d versions for %,d changes)"
                + " [%s]%n", interval == 0 ? "unpaced" : "paced", changes, changes / seconds, seconds, tableSize,
                percentiles(latencies), notLive, ms(Arrays.stream(liveAt).max().orElse(0) - start), firstVersion,
                lastVersion, lastVersion - firstVersion + 1, changes, load());
    }

    // ---- 2. a full table into a new fastpath -------------------------------------------------------------------

    private static void fullLoad(InetAddress host, int routes) throws Exception {
        Harness h = new Harness(new CenPolicy(Clock.systemUTC(), context -> BgpSessions.NONE));
        try (Sink a = new Sink(host);
                Sink b = new Sink(host);
                Sink dc = new Sink(host);
                Slowpath slowpath = Slowpath.start(options(), h, Clock.systemUTC());
                Fastpath first = fastpath(1, slowpath)) {
            awaitFastpaths(slowpath, 1);
            slowpath.service().configure(config(a, b, dc, BIRD_ADDRESS, ""));
            long start = System.nanoTime();
            int chunk = 50_000;
            for (int from = 0; from < routes; from += chunk) {
                List<BgpRoute> part = slash24s(0xF000_0000 + (from << 8), Math.min(chunk, routes - from));
                h.run("load", () -> h.cen.onBgpRoutes(ROUTER, part, List.of()));
            }
            long version = h.versionNow();
            long inPolicy = System.nanoTime() - start;
            awaitLive(h, version, 120);
            long live = System.nanoTime() - start;
            int expected = slowpath.service().stats().routeTables().routes();
            System.out.printf(Locale.ROOT, "BENCH cen load registered: %,d BGP routes (%d announcements of %,d) into"
                    + " the policy and slowpath tables in %,d ms, live in 1 registered fastpath %,d ms after the"
                    + " first (fastpath holds %,d of %,d) [%s]%n", routes, (routes + chunk - 1) / chunk, chunk,
                    inPolicy / 1_000_000, live / 1_000_000, first.counters().get(FastpathStats.ROUTES_INDEX),
                    expected, load());
            for (int run = 1; run <= 3; run++) {
                int id = 10 + run;
                System.gc();
                long heapBefore = heapUsed();
                long t0 = System.nanoTime();
                long holding = 0;
                long acked = 0;
                try (Fastpath late = fastpath(id, slowpath)) {
                    long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
                    while (System.nanoTime() < deadline && (holding == 0 || acked == 0)) {
                        if (holding == 0 && late.counters().get(FastpathStats.ROUTES_INDEX) >= expected) {
                            holding = System.nanoTime() - t0;
                        }
                        if (acked == 0 && ackedVersion(slowpath, id) >= version) {
                            acked = System.nanoTime() - t0;
                        }
                        LockSupport.parkNanos(holding == 0 ? 200_000 : 2_000_000);
                    }
                    System.gc();
                    long heapAfter = heapUsed();
                    SlowpathStats.RouteTables tables = slowpath.service().stats().routeTables();
                    System.out.printf(Locale.ROOT, "BENCH cen load new-fastpath run %d: fastpath %d started with %,d"
                            + " routes live elsewhere: holds them %s ms after start, its ROUTE_ACK of version %,d"
                            + " (/stats routeTables) %s ms after start; it reports %s; snapshots sent %d; heap +%,d"
                            + " MB after GC (JVM-wide) [%s]%n", run, id, expected, ms(holding), version, ms(acked),
                            tables.fastpaths().get(Integer.toString(id)), tables.snapshotsSent(),
                            (heapAfter - heapBefore) >> 20, load());
                }
                slowpath.service().retire(id);
            }
        }
    }

    // ---- 3. BGP: a full table from BIRD ------------------------------------------------------------------------

    private static void bgp(InetAddress host, int routes) throws Exception {
        Path bird = Path.of("/usr/sbin/bird");
        Path birdc = Path.of("/usr/sbin/birdc");
        if (!Files.isExecutable(bird) || !Files.isExecutable(birdc)) {
            System.out.println("BENCH cen bgp: skipped, BIRD 2 (bird2) is not installed");
            return;
        }
        if (!"0".equals(run("id", "-u").strip())) {
            System.out.println("BENCH cen bgp: skipped, needs root (a network namespace for BIRD)");
            return;
        }
        Path dir = Files.createTempDirectory("hbench-bird-");
        Process birdProcess = null;
        List<Fastpath> fastpaths = new ArrayList<>();
        run("ip", "netns", "del", NS);
        run("ip", "link", "del", "hbench-r");
        try {
            check("ip", "netns", "add", NS);
            check("ip", "link", "add", "hbench-r", "type", "veth", "peer", "name", "hbench-b", "netns", NS);
            check("ip", "addr", "add", CEN_ADDRESS + "/30", "dev", "hbench-r");
            check("ip", "link", "set", "hbench-r", "up");
            check("ip", "-n", NS, "addr", "add", BIRD_ADDRESS + "/30", "dev", "hbench-b");
            check("ip", "-n", NS, "link", "set", "hbench-b", "up");
            check("ip", "-n", NS, "link", "set", "lo", "up");
            Files.writeString(dir.resolve("bird.conf"), birdConfig(routes));
            String ctl = dir.resolve("bird.ctl").toString();
            long birdStart = System.nanoTime();
            birdProcess = new ProcessBuilder("ip", "netns", "exec", NS, bird.toString(), "-f", "-c",
                    dir.resolve("bird.conf").toString(), "-s", ctl, "-P", dir.resolve("bird.pid").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("bird.log").toFile()).start();
            long birdLoaded = 0;
            while (System.nanoTime() - birdStart < TimeUnit.SECONDS.toNanos(120)) {
                Matcher m = COUNT.matcher(run(birdc.toString(), "-s", ctl, "show", "route", "count"));
                if (m.find() && Long.parseLong(m.group(1)) >= routes) {
                    birdLoaded = System.nanoTime() - birdStart;
                    break;
                }
                Thread.sleep(50);
            }
            System.out.printf(Locale.ROOT, "BENCH cen bgp bird-alone: BIRD 2 has its %,d static routes in its own table"
                    + " %s ms after start (birdc show route count, polled every 50 ms) [%s]%n", routes,
                    ms(birdLoaded), load());

            Harness h = new Harness(new CenPolicy());
            try (Sink a = new Sink(host);
                    Sink b = new Sink(host);
                    Sink dc = new Sink(host);
                    Slowpath slowpath = Slowpath.start(options(), h, Clock.systemUTC())) {
                for (int id = 1; id <= 2; id++) {
                    fastpaths.add(fastpath(id, slowpath));
                }
                awaitFastpaths(slowpath, 2);
                int expected = routes + 2;
                long t0 = System.nanoTime();
                slowpath.service().configure(config(a, b, dc, BIRD_ADDRESS, ""));
                long[] holding = new long[fastpaths.size()];
                long learned = 0;
                long learnedMost = 0;
                long mostHeld = 0;
                long live = 0;
                long deadline = t0 + TimeUnit.SECONDS.toNanos(300);
                long report = t0;
                while (System.nanoTime() < deadline && live == 0) {
                    long now = System.nanoTime();
                    if (learned == 0 && h.learned.get() >= routes) {
                        learned = now;
                    }
                    if (learnedMost == 0 && h.learned.get() >= routes * 0.99) {
                        learnedMost = now;
                    }
                    if (mostHeld == 0 && fastpaths.stream().allMatch(
                            f -> f.counters().get(FastpathStats.ROUTES_INDEX) >= routes * 0.99)) {
                        mostHeld = now;
                    }
                    boolean all = true;
                    for (int i = 0; i < fastpaths.size(); i++) {
                        if (holding[i] == 0
                                && fastpaths.get(i).counters().get(FastpathStats.ROUTES_INDEX) >= expected) {
                            holding[i] = now;
                        }
                        all &= holding[i] != 0;
                    }
                    if (all && learned != 0 && h.context.liveRouteVersion() == h.context.routeVersion()) {
                        live = now;
                    }
                    if (now - report > TimeUnit.SECONDS.toNanos(10)) {
                        report = now;
                        System.out.printf(Locale.ROOT, "  ... %.0f s: policy learned %,d, fastpaths hold %,d / %,d,"
                                + " version %,d live %,d%n", (now - t0) / 1e9, h.learned.get(),
                                fastpaths.get(0).counters().get(FastpathStats.ROUTES_INDEX),
                                fastpaths.get(1).counters().get(FastpathStats.ROUTES_INDEX),
                                h.context.routeVersion(), h.context.liveRouteVersion());
                    }
                    LockSupport.parkNanos(1_000_000);
                }
                long established = h.establishedAt;
                SlowpathStats.RouteTables tables = slowpath.service().stats().routeTables();
                System.out.printf(Locale.ROOT, "BENCH cen bgp: %,d prefixes from BIRD 2 (AS 65001, veth in namespace"
                        + " %s) to the CEN's BGP session (2 fastpaths): Established %s ms after PUT config; the"
                        + " policy learned 99%% of them %s ms, all %s ms after Established; both fastpaths held 99%%"
                        + " %s ms after Established; fastpaths hold them %s / %s ms after"
                        + " Established; live everywhere (liveRouteVersion = routeVersion %,d) %s ms after"
                        + " Established, %s ms after PUT config; slowpath routes %,d, fastpaths %s [%s]%n", routes,
                        NS, ms(established == 0 ? 0 : established - t0), since(learnedMost, established),
                        since(learned, established), since(mostHeld, established),
                        since(holding[0], established), since(holding[1], established), h.context.routeVersion(),
                        since(live, established), since(live, t0), tables.routes(), tables.fastpaths(), load());
            }
        } finally {
            fastpaths.forEach(Fastpath::close);
            if (birdProcess != null && birdProcess.isAlive()) {
                birdProcess.destroyForcibly();
                birdProcess.waitFor(15, TimeUnit.SECONDS);
            }
            run("ip", "netns", "del", NS);
            run("ip", "link", "del", "hbench-r");
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static String birdConfig(int routes) {
        StringBuilder statics = new StringBuilder(routes * 36);
        for (int i = 0; i < routes; i++) {
            int address = 0xF000_0000 | i << 8;
            statics.append("  route ").append(address >>> 24).append('.').append(address >>> 16 & 0xFF).append('.')
                    .append(address >>> 8 & 0xFF).append(".0/24 blackhole;\n");
        }
        return """
                router id %s;
                protocol device {}
                protocol static { ipv4;
                %s}
                protocol bgp cen {
                  local %s as 65001;
                  neighbor %s as 4200000001;
                  hold time 90;
                  connect delay time 1;
                  error wait time 1, 5;
                  ipv4 { import all; export all; };
                }
                """.formatted(BIRD_ADDRESS, statics, BIRD_ADDRESS, CEN_ADDRESS);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static SlowpathOptions options() {
        return SlowpathOptions.of(CenPolicy.VNF_TYPE, "bench", LOOPBACK, 0, 0);
    }

    private static Fastpath fastpath(int id, Slowpath slowpath) {
        return Fastpath.start(FastpathOptions.of(id, LOOPBACK, 0, slowpath.controlAddress())
                .withHelloInterval(Duration.ofMillis(100)));
    }

    /** Two VPCs and a router, all in table main; the router's peer is {@code peer} (never reached without BGP). */
    private static JsonNode config(Sink a, Sink b, Sink dc, String peer, String staticRoutes) throws IOException {
        return JSON.readTree("""
                {"routerAddress":"169.254.0.1","icmpErrorsPerSecond":0,
                 "attachment1NextHop":"%s","attachment2NextHop":"%s","attachment3NextHop":"%s",
                 "attachments":[
                   {"name":"vpcA","kind":"vpc","vni":100,"connectionPoint":"attachment1","cidrs":["10.0.0.0/24"]},
                   {"name":"vpcB","kind":"vpc","vni":300,"connectionPoint":"attachment2","cidrs":["10.1.0.0/24"]},
                   {"name":"dc","kind":"router","vni":500,"connectionPoint":"attachment3",
                    "bgp":{"peerAddress":"%s","peerAs":65001,"localAs":4200000001,"holdTime":90}}],
                 "routeTables":[{"name":"main","associations":["vpcA","vpcB","dc"],
                   "propagations":["vpcA","vpcB","dc"],"staticRoutes":[%s]}]}
                """.formatted(a.nextHop(), b.nextHop(), dc.nextHop(), peer, staticRoutes));
    }

    private static List<BgpRoute> slash24s(int first, int count) {
        List<BgpRoute> routes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            routes.add(BgpRoute.of(new Ipv4Prefix(first + (i << 8), 24), 1, 0));
        }
        return routes;
    }

    private static void awaitFastpaths(Slowpath slowpath, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (slowpath.service().health().fastpaths() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + slowpath.service().health().fastpaths() + " of " + count
                        + " fastpaths registered");
            }
            Thread.sleep(5);
        }
    }

    private static void awaitLive(Harness h, long version, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (h.context.liveRouteVersion() < version) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("version " + version + " not live after " + seconds + " s (live "
                        + h.context.liveRouteVersion() + ")");
            }
            Thread.sleep(1);
        }
    }

    private static long ackedVersion(Slowpath slowpath, int id) throws InterruptedException {
        SlowpathStats.RouteTableFastpath f = slowpath.service().stats().routeTables().fastpaths()
                .get(Integer.toString(id));
        return f == null ? 0 : f.version();
    }

    private static long[] counters(List<Fastpath> fastpaths) {
        long[] sums = new long[FastpathStats.BLACKHOLED_INDEX + 1];
        for (Fastpath f : fastpaths) {
            for (int i = 0; i < sums.length; i++) {
                sums[i] += f.counters().get(i);
            }
        }
        return sums;
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return String.format(Locale.ROOT, "p50 %s ms, p90 %s ms, p99 %s ms, max %s ms", millis(sorted[n / 2]),
                millis(sorted[n * 9 / 10]), millis(sorted[n * 99 / 100]), millis(sorted[n - 1]));
    }

    private static String millis(long nanos) {
        return nanos == Long.MAX_VALUE ? "never" : String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    private static String ms(long nanos) {
        return nanos <= 0 ? "never" : String.format(Locale.ROOT, "%,d", nanos / 1_000_000);
    }

    private static String since(long at, long from) {
        return at == 0 || from == 0 ? "never" : ms(at - from);
    }

    private static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "load " + parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "load ?";
        }
    }

    /** The host's UDP datagrams dropped for a full socket receive buffer, all sockets (the kernel's count). */
    private static long udpRcvbufErrors() {
        try {
            List<String> udp = Files.readAllLines(Path.of("/proc/net/snmp")).stream().filter(l -> l.startsWith("Udp:"))
                    .toList();
            List<String> names = List.of(udp.get(0).split(" "));
            return Long.parseLong(udp.get(1).split(" ")[names.indexOf("RcvbufErrors")]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long heapUsed() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** The first non-loopback IPv4 address of this host: local delivery, like loopback, but a unicast next hop. */
    private static InetAddress hostAddress() throws IOException {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nif.isUp() && !nif.isLoopback()) {
                Optional<InetAddress> v4 = nif.inetAddresses().filter(Inet4Address.class::isInstance).findFirst();
                if (v4.isPresent()) {
                    return v4.get();
                }
            }
        }
        throw new IllegalStateException("no non-loopback IPv4 address for the next hops (CenConfig refuses 127/8)");
    }

    private static void check(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    /** A next hop: a UDP socket on this host counting what arrives. */
    private static final class Sink implements AutoCloseable {
        final DatagramChannel channel;
        final AtomicLong received = new AtomicLong();
        private final Thread thread;

        Sink(InetAddress host) throws IOException {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
            channel.bind(new InetSocketAddress(host, 0));
            thread = Thread.ofPlatform().daemon().name("bench-sink").start(() -> {
                ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
                try {
                    while (true) {
                        buffer.clear();
                        channel.receive(buffer);
                        received.incrementAndGet();
                    }
                } catch (ClosedChannelException closed) {
                    // done
                } catch (IOException e) {
                    System.out.println("sink: " + e);
                }
            });
        }

        String nextHop() throws IOException {
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            return local.getAddress().getHostAddress() + ":" + local.getPort();
        }

        @Override
        public void close() throws Exception {
            channel.close();
            thread.join(5_000);
        }
    }

    /**
     * VXLAN packets from VPC A (VNI 100) round robin into the fastpaths, half to VPC B's 10.1.0.7, half to the router's
     * 240.70.0.7 (a base route no change touches), paced in 1 ms batches.
     */
    private static final class Sender {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        private final List<DatagramChannel> channels = new ArrayList<>();
        private final ByteBuffer[] packets;
        private final int pps;
        private volatile boolean running = true;
        private Thread thread;

        Sender(List<Fastpath> fastpaths, int pps) throws IOException {
            this.pps = pps;
            for (Fastpath f : fastpaths) {
                DatagramChannel c = DatagramChannel.open();
                c.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
                c.connect(f.dataAddress());
                channels.add(c);
            }
            packets = Stream.of("10.1.0.7", "240.70.0.7").map(dst -> {
                byte[] p = ReferencePackets.udp("10.0.0.5", 40000, dst, 5000).vni(VPC_A)
                        .payload(new byte[64]).build();
                ByteBuffer buffer = ByteBuffer.allocateDirect(p.length);
                buffer.put(p).flip();
                return buffer;
            }).toArray(ByteBuffer[]::new);
        }

        void start() {
            thread = Thread.ofPlatform().name("bench-sender").start(() -> {
                long start = System.nanoTime();
                long tick = 0;
                int next = 0;
                while (running) {
                    long due = start + tick * 1_000_000L;
                    while (System.nanoTime() < due) {
                        LockSupport.parkNanos(due - System.nanoTime());
                    }
                    tick++;
                    long target = tick * pps / 1_000;
                    while (sent.get() < target && running) {
                        ByteBuffer packet = packets[next & 1];
                        DatagramChannel channel = channels.get((next >> 1) % channels.size());
                        next++;
                        try {
                            packet.rewind();
                            channel.write(packet);
                            sent.incrementAndGet();
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            sent.incrementAndGet();
                        }
                    }
                    if (sent.get() < target - pps) {
                        // more than a second behind: this host cannot send that fast, do not catch up in a burst
                        tick = (System.nanoTime() - start) / 1_000_000L;
                    }
                }
            });
        }

        void stop() throws Exception {
            running = false;
            thread.join(5_000);
            for (DatagramChannel c : channels) {
                c.close();
            }
        }
    }

    /**
     * The CEN policy as the slowpath runs it, with the slowpath's {@link PolicyContext} at hand: every change submitted
     * (the benchmark's, the BGP sessions') runs against the {@link CenPolicy} itself, and the routes its answers
     * install are counted.
     */
    private static final class Harness implements VnfPolicy {
        final CenPolicy cen;
        final AtomicLong learned = new AtomicLong();
        volatile PolicyContext context;
        volatile long establishedAt;

        Harness(CenPolicy cen) {
            this.cen = cen;
        }

        /** Runs {@code change} on the policy thread; its answer goes to the fastpaths. */
        void run(String reason, Supplier<Reconfiguration> change) {
            context.submit(reason, p -> change.get());
        }

        /** The route version once every change submitted so far is applied. */
        long versionNow() throws Exception {
            CompletableFuture<Long> version = new CompletableFuture<>();
            context.submit("read the version", p -> {
                version.complete(context.routeVersion());
                return Reconfiguration.unchanged("read the version");
            });
            return version.get(120, TimeUnit.SECONDS);
        }

        @Override
        public void attach(PolicyContext slowpath) {
            context = slowpath;
            cen.attach(new PolicyContext() {
                @Override
                public void submit(String reason, Function<VnfPolicy, Reconfiguration> change) {
                    if (establishedAt == 0 && reason.endsWith("established")) {
                        establishedAt = System.nanoTime();
                    }
                    slowpath.submit(reason, p -> {
                        Reconfiguration r = change.apply(cen);
                        learned.addAndGet(r.installs().size());
                        return r;
                    });
                }

                @Override
                public long liveRouteVersion() {
                    return slowpath.liveRouteVersion();
                }

                @Override
                public long routeVersion() {
                    return slowpath.routeVersion();
                }
            });
        }

        @Override
        public String vnfType() {
            return cen.vnfType();
        }

        @Override
        public boolean configure(JsonNode config) throws InvalidConfigException {
            return cen.configure(config);
        }

        @Override
        public Reconfiguration reconfigure(JsonNode config) throws InvalidConfigException {
            return cen.reconfigure(config);
        }

        @Override
        public JsonNode snapshotState() {
            return cen.snapshotState();
        }

        @Override
        public Reconfiguration restore(JsonNode config, JsonNode state) throws InvalidConfigException {
            return cen.restore(config, state);
        }

        @Override
        public Decision onMiss(Miss miss) {
            return cen.onMiss(miss);
        }

        @Override
        public Decision onTtlExceeded(Miss miss) {
            return cen.onTtlExceeded(miss);
        }

        @Override
        public Optional<FlowTimeouts> flowTimeouts() {
            return cen.flowTimeouts();
        }

        @Override
        public boolean learnsRules() {
            return cen.learnsRules();
        }

        @Override
        public boolean learn(Rule rule) {
            return cen.learn(rule);
        }

        @Override
        public Reconfiguration onFastpathJoined(int fastpathId) {
            return cen.onFastpathJoined(fastpathId);
        }

        @Override
        public Map<String, Object> indicators() {
            return cen.indicators();
        }

        @Override
        public Map<Integer, String> counterGroups() {
            return cen.counterGroups();
        }

        @Override
        public Expiry onFlowExpired(FlowKey key) {
            return cen.onFlowExpired(key);
        }

        @Override
        public List<HealthCheck> healthChecks() {
            return cen.healthChecks();
        }

        @Override
        public Reconfiguration onHealthChanged(String checkId, boolean healthy) {
            return cen.onHealthChanged(checkId, healthy);
        }

        @Override
        public long nextTimerMillis() {
            return cen.nextTimerMillis();
        }

        @Override
        public Reconfiguration onTimer(long nowMillis) {
            return cen.onTimer(nowMillis);
        }

        @Override
        public void onSecurityAssociationCounters(Map<Integer, SaCounters> bySlot) {
            cen.onSecurityAssociationCounters(bySlot);
        }

        @Override
        public void close() {
            cen.close();
        }
    }
}
