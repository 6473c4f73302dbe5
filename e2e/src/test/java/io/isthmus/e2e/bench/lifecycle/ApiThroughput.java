package io.isthmus.e2e.bench.lifecycle;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.isthmus.e2e.Platform;

/**
 * The vnfm's LCM API with many VNF instances in its database, from {@code --users} virtual users sharing one HTTP
 * client (a connection each), as the tenant alice: 10 % creates ({@code POST /vnf_instances}), 40 % gets of a random
 * instance, 10 % lists filtered by name (one match), 10 % by instantiation state (the first page of 100), 30 % polls of a
 * random operation occurrence. First flat out (closed loop, no think time), then paced at {@code --rate} requests/s
 * (open loop: each request has its start time on a fixed schedule and its latency counts from then, so a slow answer
 * delays no later request's clock). A warm-up of 10 s flat out goes first and is not counted.
 */
final class ApiThroughput {

    enum Kind {
        CREATE, GET, LIST_BY_NAME, LIST_BY_STATE, POLL
    }

    private final LifecycleBenchmark bench;
    private final Api api;
    private final String base;
    private final int users;
    private List<String> instanceIds = List.of();
    private List<String> opOccIds = List.of();
    private final AtomicInteger created = new AtomicInteger();

    ApiThroughput(LifecycleBenchmark bench) {
        this.bench = bench;
        this.api = bench.api;
        this.base = bench.vnfm + "/vnflcm/v2";
        this.users = Integer.parseInt(bench.args.getOrDefault("users", "16"));
    }

    void run() throws Exception {
        int target = Integer.parseInt(bench.args.getOrDefault("instances", "10000"));
        int seconds = Integer.parseInt(bench.args.getOrDefault("seconds", "30"));
        int rate = Integer.parseInt(bench.args.getOrDefault("rate", "200"));
        fill(target, Integer.parseInt(bench.args.getOrDefault("fill-seconds", "240")));
        operations(200);

        run("warm-up", 10, 0);
        Mix flat = run("flat out", seconds, 0);
        Mix paced = run("paced", seconds, rate);
        bench.result("lifecycle.api.flat.throughput", flat.throughput(), "req/s");
        bench.result("lifecycle.api.flat.p50", flat.all.percentileMs(50), "ms");
        bench.result("lifecycle.api.flat.p99", flat.all.percentileMs(99), "ms");
        bench.result("lifecycle.api.flat.errors", flat.errors.get(), "requests");
        bench.result("lifecycle.api.paced.rate", rate, "req/s");
        bench.result("lifecycle.api.paced.throughput", paced.throughput(), "req/s");
        bench.result("lifecycle.api.paced.p50", paced.all.percentileMs(50), "ms");
        bench.result("lifecycle.api.paced.p99", paced.all.percentileMs(99), "ms");
        bench.result("lifecycle.api.paced.errors", paced.errors.get(), "requests");
        for (Kind k : Kind.values()) {
            bench.result("lifecycle.api.paced." + k.name().toLowerCase(Locale.ROOT).replace('_', '-') + ".p99",
                    paced.byKind.get(k).percentileMs(99), "ms");
        }
        bench.result("lifecycle.api.users", users, "connections");
        bench.result("lifecycle.api.instances", count(), "VNF instances");
        bench.stamp("api");
    }

    // ---------------------------------------------------------------- the database's 10,000 instances

    /**
     * Creates instances through the API, {@code users} at a time, for at most {@code seconds}; the rest, if any, by
     * SQL: copies of one the API made, with new ids, names and creation times.
     */
    private void fill(int target, int seconds) throws Exception {
        int before = count();
        long t0 = System.nanoTime();
        long deadline = t0 + seconds * 1_000_000_000L;
        AtomicInteger next = new AtomicInteger(before);
        List<Thread> threads = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            threads.add(Thread.ofPlatform().name("fill-" + u).start(() -> {
                int k;
                while (System.nanoTime() < deadline && (k = next.getAndIncrement()) < target) {
                    api.post("alice", base + "/vnf_instances",
                            Map.of("vnfdId", "isthmus-nat-1.0", "vnfInstanceName", "bench-api-" + k,
                                    "vnfInstanceDescription", "made through the API"))
                            .expect(201, "create");
                    created.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double took = (System.nanoTime() - t0) / 1e9;
        int byApi = created.get();
        bench.info(String.format(Locale.ROOT, "BENCH fill: %d VNF instances through the API in %.1f s (%.0f/s, %d"
                + " users)", byApi, took, byApi / took, users));
        bench.result("lifecycle.api.fill.api", byApi, "VNF instances");
        bench.result("lifecycle.api.fill.api-rate", byApi / took, "creates/s");
        int missing = target - count();
        if (missing > 0) {
            long s0 = System.nanoTime();
            copyBySql(missing);
            bench.info(String.format(Locale.ROOT, "BENCH fill: %d VNF instances by SQL in %.1f s", missing,
                    (System.nanoTime() - s0) / 1e9));
        }
        bench.result("lifecycle.api.fill.sql", Math.max(0, missing), "VNF instances");
        instanceIds = ids("select id from vnf_instance where tenant = 'acme'");
    }

    private Connection db() throws SQLException {
        return DriverManager.getConnection(bench.platform.databaseUrl("vnfm"), Platform.DB_USER,
                Platform.DB_PASSWORD);
    }

    private int count() throws SQLException {
        try (Connection c = db();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select count(*) from vnf_instance")) {
            r.next();
            return r.getInt(1);
        }
    }

    private List<String> ids(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    /** Copies of the newest instance the API made: every column as it is but id, name, creation time and key. */
    private void copyBySql(int n) throws SQLException {
        List<String> columns = ids("select column_name from information_schema.columns where table_name ="
                + " 'vnf_instance' and table_schema = current_schema() order by ordinal_position");
        List<String> values = new ArrayList<>();
        for (String column : columns) {
            values.add(switch (column) {
                case "id" -> "gen_random_uuid()::text";
                case "vnf_instance_name" -> "'bench-sql-' || g";
                case "created_at" -> "t.created_at + g * interval '1 millisecond'";
                case "idempotency_key" -> "null";
                case "version" -> "0";
                default -> "t." + column;
            });
        }
        String sql = "insert into vnf_instance (" + String.join(", ", columns) + ") select " + String.join(", ", values)
                + " from vnf_instance t cross join generate_series(1, ?) g where t.id = (select id from vnf_instance"
                + " where vnf_instance_name like 'bench-api-%' order by created_at desc limit 1)";
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setInt(1, n);
            int rows = s.executeUpdate();
            if (rows != n) {
                throw new IllegalStateException("copied " + rows + " instances, not " + n);
            }
        }
        try (Connection c = db(); Statement s = c.createStatement()) {
            s.execute("analyze vnf_instance");
        }
    }

    /** Operation occurrences to poll: a PATCH of the description (MODIFY_INFO) on {@code n} instances. */
    private void operations(int n) {
        List<String> shuffled = new ArrayList<>(instanceIds);
        Collections.shuffle(shuffled);
        List<String> ops = Collections.synchronizedList(new ArrayList<>());
        shuffled.subList(0, Math.min(n, shuffled.size())).parallelStream().forEach(id -> {
            String location = api.patch("alice", base + "/vnf_instances/" + id,
                    Map.of("vnfInstanceDescription", "patched by the benchmark")).expect(202, "PATCH").location();
            ops.add(location.substring(location.lastIndexOf('/') + 1));
        });
        opOccIds = List.copyOf(ops);
        // the vnfm's worker runs them one after the other: let it finish, so that it loads no measured second
        long deadline = System.nanoTime() + 180_000_000_000L;
        int open = Integer.MAX_VALUE;
        while (open > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(500_000_000L);
            try {
                open = Integer.parseInt(ids("select count(*) from vnf_lcm_op_occ where operation_state not in"
                        + " ('COMPLETED', 'FAILED', 'ROLLED_BACK')").getFirst());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        bench.info("BENCH " + opOccIds.size() + " MODIFY_INFO operation occurrences to poll (" + open
                + " still open)");
    }

    // ---------------------------------------------------------------- the mix

    final class Mix {
        final Latencies all = new Latencies();
        final Map<Kind, Latencies> byKind = Map.of(Kind.CREATE, new Latencies(), Kind.GET, new Latencies(),
                Kind.LIST_BY_NAME, new Latencies(), Kind.LIST_BY_STATE, new Latencies(), Kind.POLL,
                new Latencies());
        final AtomicLong errors = new AtomicLong();
        volatile double seconds;

        double throughput() {
            return all.count() / seconds;
        }
    }

    /** {@code rate} 0: flat out. */
    private Mix run(String name, int seconds, int rate) throws InterruptedException {
        Mix mix = new Mix();
        long start = System.nanoTime() + 50_000_000L;
        long end = start + seconds * 1_000_000_000L;
        long interval = rate == 0 ? 0 : 1_000_000_000L / rate;
        AtomicLong next = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            threads.add(Thread.ofPlatform().name("user-" + u).start(() -> {
                LockSupport.parkNanos(start - System.nanoTime());
                while (true) {
                    long scheduled;
                    if (rate == 0) {
                        scheduled = System.nanoTime();
                    } else {
                        scheduled = start + next.getAndIncrement() * interval;
                        LockSupport.parkNanos(scheduled - System.nanoTime());
                    }
                    if (scheduled >= end) {
                        return;
                    }
                    Kind kind = pick();
                    boolean ok;
                    try {
                        ok = request(kind);
                    } catch (RuntimeException e) {
                        ok = false;
                    }
                    long took = System.nanoTime() - scheduled;
                    if (!ok) {
                        mix.errors.incrementAndGet();
                    }
                    mix.all.add(took);
                    mix.byKind.get(kind).add(took);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        mix.seconds = Math.max(seconds, (System.nanoTime() - start) / 1e9);
        StringBuilder kinds = new StringBuilder();
        for (Kind k : Kind.values()) {
            kinds.append("; ").append(k.name().toLowerCase(Locale.ROOT).replace('_', ' ')).append(' ')
                    .append(mix.byKind.get(k).summary());
        }
        bench.info(String.format(Locale.ROOT, "BENCH api %s%s, %d users: %.0f req/s, %s, %d errors%s; %s", name,
                rate == 0 ? "" : " at " + rate + " req/s", users, mix.throughput(), mix.all.summary(),
                mix.errors.get(), kinds, LifecycleBenchmark.load()));
        return mix;
    }

    private static Kind pick() {
        int r = ThreadLocalRandom.current().nextInt(100);
        return r < 10
                ? Kind.CREATE
                : r < 50 ? Kind.GET : r < 60 ? Kind.LIST_BY_NAME : r < 70 ? Kind.LIST_BY_STATE : Kind.POLL;
    }

    private boolean request(Kind kind) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return switch (kind) {
            case CREATE -> api.post("alice", base + "/vnf_instances",
                    Map.of("vnfdId", "isthmus-nat-1.0", "vnfInstanceName", "bench-mix-" + random.nextInt(1_000_000)))
                    .status() == 201;
            case GET -> api.get("alice", base + "/vnf_instances/" + instanceIds.get(random.nextInt(instanceIds.size())))
                    .status() == 200;
            case LIST_BY_NAME -> api.get("alice", base + "/vnf_instances?filter=" + Api.enc(
                    "(eq,vnfInstanceName,bench-api-" + random.nextInt(Math.max(1, created.get())) + ")"))
                    .status() == 200;
            case LIST_BY_STATE -> api.get("alice",
                    base + "/vnf_instances?filter=" + Api.enc("(eq,instantiationState,NOT_INSTANTIATED)"))
                    .status() == 200;
            case POLL -> api.get("alice", base + "/vnf_lcm_op_occs/" + opOccIds.get(random.nextInt(opOccIds.size())))
                    .status() == 200;
        };
    }
}
