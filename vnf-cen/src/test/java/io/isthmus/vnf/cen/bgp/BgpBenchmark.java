package io.isthmus.vnf.cen.bgp;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A full table from BIRD: BIRD 2 originates {@code routes} static /24s in 240.0.0.0/4 (never routable) and our speaker
 * learns them. Prints the time from Established to the last route received (and routes/s), the speaker's heap, and
 * for comparison BIRD's own figures: the time until the routes are in its table after start, and BIRD-to-BIRD (a
 * second BIRD receiving the same table). Not part of the test run; needs BIRD 2. Run: {@code java -cp ...
 * io.isthmus.vnf.cen.bgp.BgpBenchmark [routes]} (default 1,000,000).
 */
public final class BgpBenchmark {

    private static final Pattern COUNT = Pattern.compile("(\\d+) of (\\d+) routes");
    private static final Pattern SINCE = Pattern.compile("BGP\\s+---\\s+up\\s+(\\d\\d:\\d\\d:\\d\\d\\.\\d+)");
    private static final String RECEIVER_ADDRESS = "127.13.0.3";

    private BgpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int routes = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        if (!BirdLab.available()) {
            System.out.println("BIRD 2 is not installed (apt-get install bird2): nothing to measure");
            return;
        }
        String statics = statics(routes);
        int port = BirdLab.freePort();
        int ourAs = (int) 4200000001L;
        try (BirdLab sender = new BirdLab("bench-sender")) {
            // BIRD alone: from start to the routes in its table
            long start = System.nanoTime();
            sender.start(BirdLab.config(port, ourAs, 90, statics + receiverSide(port)));
            long loadedAt = awaitCount(sender, "bench", routes, start);
            System.out.printf("BIRD 2: %,d static routes in its own table %.2f s after start; RSS %s%n", routes,
                    (loadedAt - start) / 1e9, rss(sender.pid()));

            // our speaker
            System.gc();
            long heapBefore = heapUsed();
            CountingListener listener = new CountingListener(routes);
            try (BgpPeer peer = new BgpPeer(new BgpPeerConfig(ourAs, Prefix.parseAddress("10.13.0.1"),
                    BirdLab.SPEAKER_ADDRESS, BirdLab.BIRD_AS, BirdLab.BIRD_ADDRESS, port, 90,
                    Prefix.parseAddress(BirdLab.SPEAKER_ADDRESS), 0, 1), listener)) {
                peer.start();
                if (!listener.all.await(300, TimeUnit.SECONDS)) {
                    System.out.printf("our speaker: only %,d routes after 300 s%n", listener.received);
                    return;
                }
                double seconds = (listener.lastAt - listener.establishedAt) / 1e9;
                double most = (listener.mostAt - listener.establishedAt) / 1e9;
                long heapWithTable = heapUsed();
                System.gc();
                long heapAfterGc = heapUsed();
                System.out.printf(
                        "our speaker: %,d routes %.2f s after Established (%,.0f routes/s), 99%% of them after %.2f s"
                                + " (%,.0f routes/s), %,d UPDATEs; heap %,d MB more than before the session (%,d MB"
                                + " right after the table, before GC)%n",
                        listener.received, seconds, listener.received / seconds, most, routes * 0.99 / most,
                        peer.updatesReceived(),
                        (heapAfterGc - heapBefore) >> 20, (heapWithTable - heapBefore) >> 20);
            }

            // BIRD to BIRD
            try (BirdLab receiver = new BirdLab("bench-receiver")) {
                receiver.start(receiverConfig(port));
                long receiverStart = System.nanoTime();
                long mostAt = awaitCount(receiver, "sender", (int) (routes * 0.99), receiverStart);
                long doneAt = awaitCount(receiver, "sender", routes, receiverStart);
                String protocols = receiver.birdc("show", "protocols", "sender");
                Matcher since = SINCE.matcher(protocols);
                long doneWall = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - doneAt);
                if (since.find()) {
                    LocalTime established = LocalTime.parse(since.group(1));
                    LocalTime done = Instant.ofEpochMilli(doneWall).atZone(ZoneId.systemDefault())
                            .toLocalTime();
                    double fromEstablished = Duration.between(established, done).toNanos() / 1e9;
                    double most = fromEstablished - (doneAt - mostAt) / 1e9;
                    System.out.printf("BIRD 2 to BIRD 2: %,d routes %.2f s after Established (%,.0f routes/s), 99%% of"
                            + " them after %.2f s (polled every 50 ms), %.2f s after the receiver's start; receiver RSS"
                            + " %s, sender RSS %s%n", routes, fromEstablished, routes / fromEstablished, most,
                            (doneAt - receiverStart) / 1e9,
                            rss(receiver.pid()), rss(sender.pid()));
                } else {
                    System.out.printf("BIRD 2 to BIRD 2: %,d routes %.2f s after the receiver's start%n", routes,
                            (doneAt - receiverStart) / 1e9);
                }
            }
        }
    }

    /** Polls {@code show route count protocol ...} until the protocol's routes reach {@code routes}; the time it saw them. */
    private static long awaitCount(BirdLab bird, String protocol, int routes, long start) throws InterruptedException {
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(600)) {
            Matcher m = COUNT.matcher(bird.birdc("show", "route", "count", "protocol", protocol));
            if (m.find() && Long.parseLong(m.group(1)) >= routes) {
                return System.nanoTime();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("BIRD never had " + routes + " routes");
    }

    private static String statics(int routes) {
        StringBuilder config = new StringBuilder(routes * 36).append("protocol static bench { ipv4;\n");
        for (int i = 0; i < routes; i++) {
            config.append("route ").append(Prefix.formatAddress(0xF000_0000 | i << 8)).append("/24 blackhole;\n");
        }
        return config.append("}\n").toString();
    }

    private static String receiverSide(int port) {
        return """
                protocol bgp receiver {
                  local %s port %d as %d;
                  neighbor %s as 65020;
                  passive on;
                  multihop;
                  ipv4 { import all; export all; };
                }
                """.formatted(BirdLab.BIRD_ADDRESS, port, BirdLab.BIRD_AS, RECEIVER_ADDRESS);
    }

    private static String receiverConfig(int senderPort) {
        return """
                router id 10.13.0.3;
                protocol device {}
                protocol direct { ipv4; interface "lo"; }
                protocol bgp sender {
                  local %s port %d as 65020;
                  neighbor %s port %d as %d;
                  multihop;
                  ipv4 { import all; export none; };
                }
                """.formatted(RECEIVER_ADDRESS, BirdLab.freePort(), BirdLab.BIRD_ADDRESS, senderPort,
                BirdLab.BIRD_AS);
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String rss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:")).map(line -> line.substring(6).trim()).findFirst()
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static final class CountingListener implements BgpListener {
        private final int expected;
        final CountDownLatch all = new CountDownLatch(1);
        volatile long establishedAt;
        volatile long lastAt;
        volatile long mostAt;
        volatile int received;

        CountingListener(int expected) {
            this.expected = expected;
        }

        @Override
        public void onEstablished(BgpPeer peer) {
            establishedAt = System.nanoTime();
        }

        @Override
        public void onRoutes(BgpPeer peer, List<LearnedRoute> announced, List<Prefix> withdrawn) {
            received += announced.size();
            if (mostAt == 0 && received >= expected * 0.99) {
                mostAt = System.nanoTime();
            }
            if (received >= expected && lastAt == 0) {
                lastAt = System.nanoTime();
                all.countDown();
            }
        }

        @Override
        public void onDown(BgpPeer peer, String reason) {
            // the benchmark ends the session itself
        }
    }
}
