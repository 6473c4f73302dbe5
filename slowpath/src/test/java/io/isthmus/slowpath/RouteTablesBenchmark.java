package io.isthmus.slowpath;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.slowpath.control.RouteDistributor;
import io.isthmus.slowpath.policy.Install;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.TableRoute;
import io.isthmus.slowpath.service.SlowpathService;
import io.isthmus.slowpath.testing.RecordingPolicy;
import io.isthmus.slowpath.testing.RouteTablesFastpath;

/**
 * How fast route tables reach fastpaths played by test sockets on loopback (not a test: run its main). Prints the
 * time 1,000,000 routes take to be live in one fastpath, the time a fastpath that registers then takes to hold them,
 * and the p50/p99 of change → live over 10,000 changes of one route each with 4 fastpaths.
 */
public final class RouteTablesBenchmark {

    private static final JsonNode CONFIG;

    static {
        try {
            CONFIG = new ObjectMapper().readTree("{\"valid\":true}");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private RouteTablesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int routeCount = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int changes = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        encodeOnly(routeCount);
        fullLoad(routeCount, RouteDistributor.DEFAULT_LOG_BYTES);
        // a log too small for the table: the fastpath that registers gets a snapshot
        fullLoad(routeCount, 1 << 20);
        changeToLive(changes);
    }

    private static SlowpathOptions options(long logBytes) {
        return SlowpathOptions.of("test", "bench", InetAddress.getLoopbackAddress(), 0, 0)
                .withRoutes(Duration.ofSeconds(60), logBytes, RouteDistributor.DEFAULT_WINDOW);
    }

    /** The slowpath's own part: 1,000,000 routes into its tables and deltas, with no fastpath to send them to. */
    private static void encodeOnly(int count) throws Exception {
        RecordingPolicy policy = new RecordingPolicy();
        try (Slowpath slowpath = Slowpath.start(options(RouteDistributor.DEFAULT_LOG_BYTES), policy,
                Clock.systemUTC())) {
            policy.reconfigureWith(Reconfiguration.update(routes(count), List.of(), "full load"));
            long start = System.nanoTime();
            SlowpathService.RouteLiveness live = slowpath.service().configure(CONFIG);
            System.out.printf(Locale.ROOT,
                    "%,d routes into the slowpath's tables and %,d deltas, no fastpath: %,d ms%n",
                    count, live.version(), (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static List<Install> routes(int count) {
        List<List<TableRoute.NextHop>> groups = new ArrayList<>();
        for (int g = 0; g < 64; g++) {
            List<TableRoute.NextHop> hops = new ArrayList<>();
            for (int h = 0; h <= g % 4; h++) {
                hops.add(new TableRoute.NextHop(1000 + g, 0x0A640000 + g * 8 + h, 4789));
            }
            groups.add(hops);
        }
        List<Install> routes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            routes.add(new TableRoute(1, i << 8, 24, groups.get(i % groups.size())));
        }
        return routes;
    }

    private static void fullLoad(int count, long logBytes) throws Exception {
        RecordingPolicy policy = new RecordingPolicy();
        try (Slowpath slowpath = Slowpath.start(options(logBytes), policy, Clock.systemUTC());
                RouteTablesFastpath first = RouteTablesFastpath.start(slowpath.controlAddress(), 1)) {
            awaitFastpaths(slowpath, 1);
            List<Install> routes = routes(count);
            policy.reconfigureWith(Reconfiguration.update(routes, List.of(), "full load"));
            long start = System.nanoTime();
            SlowpathService.RouteLiveness live = slowpath.service().configure(CONFIG);
            long loaded = System.nanoTime() - start;
            System.out.printf(Locale.ROOT, "%,d routes to a registered fastpath: live %s at version %,d in %,d ms"
                    + " (fastpath holds %,d routes)%n", count, live.live(), live.version(), loaded / 1_000_000,
                    first.routeCount());

            start = System.nanoTime();
            try (RouteTablesFastpath late = RouteTablesFastpath.start(slowpath.controlAddress(), 2)) {
                long report = System.nanoTime();
                while (late.version() != live.version()) {
                    Thread.sleep(1);
                    if (System.nanoTime() - report > 2_000_000_000L) {
                        report = System.nanoTime();
                        System.out.println("waiting: fastpath 2 at " + late.version() + " holding "
                                + late.routeCount() + ", " + slowpath.service().stats().routeTables());
                    }
                }
                long joined = System.nanoTime() - start;
                System.out.printf(Locale.ROOT, "a fastpath registering with %,d routes installed (log of %d MiB) holds"
                        + " them in %,d ms (HELLO to last ack; %,d snapshot parts, %,d snapshots sent)%n",
                        late.routeCount(), logBytes >> 20,
                        joined / 1_000_000, late.snapshotParts(),
                        slowpath.service().stats().routeTables().snapshotsSent());
            }
        }
    }

    private static void changeToLive(int changes) throws Exception {
        RecordingPolicy policy = new RecordingPolicy();
        List<RouteTablesFastpath> fastpaths = new ArrayList<>();
        try (Slowpath slowpath = Slowpath.start(options(RouteDistributor.DEFAULT_LOG_BYTES), policy,
                Clock.systemUTC())) {
            for (int id = 1; id <= 4; id++) {
                fastpaths.add(RouteTablesFastpath.start(slowpath.controlAddress(), id));
            }
            awaitFastpaths(slowpath, 4);
            policy.reconfigureWith(Reconfiguration.update(routes(10_000), List.of(), "base"));
            slowpath.service().configure(CONFIG);
            long[] nanos = new long[changes];
            int notLive = 0;
            for (int i = 0; i < changes; i++) {
                TableRoute change = new TableRoute(2, i << 8, 24,
                        List.of(new TableRoute.NextHop(7, 0x0A000001 + (i & 7), 4789)));
                policy.reconfigureWith(Reconfiguration.update(List.of(change), List.of(), "one"));
                long start = System.nanoTime();
                if (!slowpath.service().configure(CONFIG).live()) {
                    notLive++;
                }
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT,
                    "%,d changes of one route, 4 fastpaths: change -> live p50 %,d us, p99 %,d us,"
                            + " max %,d us (%d not live in time, %d resends)%n",
                    changes, nanos[changes / 2] / 1_000,
                    nanos[changes * 99 / 100] / 1_000, nanos[changes - 1] / 1_000, notLive,
                    slowpath.service().stats().routeTables().resends());
        } finally {
            for (RouteTablesFastpath fastpath : fastpaths) {
                fastpath.close();
            }
        }
    }

    private static void awaitFastpaths(Slowpath slowpath, int count) throws InterruptedException {
        while (slowpath.service().health().fastpaths() < count) {
            Thread.sleep(1);
        }
    }
}
