package io.isthmus.vnf.cen;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.slowpath.policy.Install;
import io.isthmus.slowpath.policy.PolicyContext;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.TableRoute.NextHop;
import io.isthmus.slowpath.policy.TableRouteRemoval;
import io.isthmus.slowpath.policy.VnfPolicy;

/**
 * The CEN with its real BGP sessions against BIRD 2 in a network namespace of its own (root and {@code bird2} needed,
 * else skipped): the routes BIRD announces enter the route table of the router attachment, pointing at its next hop;
 * BIRD learns the VPC's cidr; a route BIRD stops announcing leaves; the router taken out of the configuration closes
 * its session and takes its routes along, and put back learns them again; BIRD stopping takes them out again.
 */
class CenBgpBirdTest {

    private static final String NS = "hcen-bird";
    private static final String CEN_ADDRESS = "198.51.100.253";
    private static final String BIRD_ADDRESS = "198.51.100.254";
    private static final Path BIRD = Path.of("/usr/sbin/bird");
    private static final Path BIRDC = Path.of("/usr/sbin/birdc");
    private static final NextHop TO_DC = new NextHop(500, CenPolicyTest.ip("198.51.100.14"), 4789);

    private static final String WITH_ROUTER = """
            {"routerAddress":"%s","attachment1NextHop":"198.51.100.2:4789","attachment2NextHop":"198.51.100.14:4789",
             "attachments":[
               {"name":"vpcA","kind":"vpc","vni":100,"connectionPoint":"attachment1","cidrs":["10.0.0.0/24"]},
               {"name":"dc","kind":"router","vni":500,"connectionPoint":"attachment2",
                "bgp":{"peerAddress":"%s","peerAs":65001,"localAs":4200000001,"holdTime":9}}],
             "routeTables":[{"name":"main","associations":["vpcA","dc"],"propagations":["vpcA","dc"]}]}
            """.formatted(CEN_ADDRESS, BIRD_ADDRESS);
    private static final String WITHOUT_ROUTER = """
            {"routerAddress":"%s","attachment1NextHop":"198.51.100.2:4789",
             "attachments":[
               {"name":"vpcA","kind":"vpc","vni":100,"connectionPoint":"attachment1","cidrs":["10.0.0.0/24"]}],
             "routeTables":[{"name":"main","associations":["vpcA"],"propagations":["vpcA"]}]}
            """.formatted(CEN_ADDRESS);

    private static Path dir;
    private static Process bird;

    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void namespaceWithBird() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(BIRD) && Files.isExecutable(BIRDC), "BIRD 2 (bird2) not installed");
        Assumptions.assumeTrue("0".equals(run("id", "-u").strip()), "needs root (a network namespace)");
        run("ip", "netns", "del", NS);
        run("ip", "link", "del", "hcen-r");
        dir = Files.createTempDirectory("hcen-bird-");
        check("ip", "netns", "add", NS);
        check("ip", "link", "add", "hcen-r", "type", "veth", "peer", "name", "hcen-b", "netns", NS);
        check("ip", "addr", "add", CEN_ADDRESS + "/30", "dev", "hcen-r");
        check("ip", "link", "set", "hcen-r", "up");
        check("ip", "-n", NS, "addr", "add", BIRD_ADDRESS + "/30", "dev", "hcen-b");
        check("ip", "-n", NS, "link", "set", "hcen-b", "up");
        check("ip", "-n", NS, "link", "set", "lo", "up");
        startBird(List.of("172.20.0.0/16", "172.21.0.0/16"));
    }

    @AfterAll
    static void removeIt() throws Exception {
        if (bird != null && bird.isAlive()) {
            bird.destroyForcibly();
            bird.waitFor(15, SECONDS);
        }
        run("ip", "netns", "del", NS);
        run("ip", "link", "del", "hcen-r");
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void birdsRoutesEnterTheTableAndLeaveWhenWithdrawnOrWhenBirdStops() throws Exception {
        PolicyThread thread = new PolicyThread();
        CenPolicy policy = new CenPolicy(new CenPolicyTest.MutableClock(), CenBgpSessions::new);
        thread.policy = policy;
        policy.attach(thread);
        try {
            // Given a CEN with a VPC and a router attachment whose peer is BIRD (AS 65001)
            thread.call(() -> policy.reconfigure(json.readTree(WITH_ROUTER)));

            // Then BIRD's routes enter table main, towards the router attachment's next hop, on its VNI
            await().atMost(60, SECONDS).untilAsserted(() -> assertThat(thread.installs()).contains(
                    CenPolicyTest.route(1, "172.20.0.0/16", TO_DC), CenPolicyTest.route(1, "172.21.0.0/16", TO_DC)));
            // and BIRD learned the VPC's cidr from the CEN, with the CEN's AS in the path
            await().atMost(30, SECONDS).untilAsserted(() -> assertThat(birdc("show", "route", "all", "10.0.0.0/24"))
                    .contains("10.0.0.0/24").contains("4200000001"));
            assertThat(thread.call(policy::indicators).get("bgp")).asString().contains("Established");

            // When BIRD stops announcing 172.21.0.0/16
            reconfigureBird(List.of("172.20.0.0/16"));
            // Then it leaves the table
            await().atMost(30, SECONDS).untilAsserted(() -> assertThat(thread.installs())
                    .contains(new TableRouteRemoval(1, CenPolicyTest.ip("172.21.0.0"), 16)));

            // When the router attachment leaves the configuration, Then its session closes and its route leaves
            thread.call(() -> policy.reconfigure(json.readTree(WITHOUT_ROUTER)));
            assertThat(thread.installs()).contains(new TableRouteRemoval(1, CenPolicyTest.ip("172.20.0.0"), 16));
            await().atMost(30, SECONDS).untilAsserted(() -> assertThat(birdc("show", "protocols", "cen"))
                    .doesNotContain("Established"));

            // When it comes back, Then a new session learns the route again
            thread.clear();
            thread.call(() -> policy.reconfigure(json.readTree(WITH_ROUTER)));
            await().atMost(60, SECONDS).untilAsserted(() -> assertThat(thread.installs())
                    .contains(CenPolicyTest.route(1, "172.20.0.0/16", TO_DC)));

            // When BIRD stops altogether, Then the session is down and its route leaves again
            bird.destroy();
            await().atMost(30, SECONDS).untilAsserted(() -> assertThat(thread.installs())
                    .contains(new TableRouteRemoval(1, CenPolicyTest.ip("172.20.0.0"), 16)));
        } finally {
            thread.call(() -> {
                policy.close();
                return null;
            });
            thread.executor.shutdown();
        }
    }

    /** The slowpath's policy thread, as far as the policy can tell: one thread runs every call and every change. */
    private static final class PolicyThread implements PolicyContext {
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        private final List<Install> installs = new ArrayList<>();
        VnfPolicy policy;

        @Override
        public void submit(String reason, Function<VnfPolicy, Reconfiguration> change) {
            executor.execute(() -> record(change.apply(policy)));
        }

        <T> T call(Callable<T> call) throws Exception {
            T result = executor.submit(call).get(30, SECONDS);
            if (result instanceof Reconfiguration r) {
                record(r);
            }
            return result;
        }

        synchronized void record(Reconfiguration r) {
            installs.addAll(r.installs());
        }

        synchronized void clear() {
            installs.clear();
        }

        synchronized List<Install> installs() {
            return List.copyOf(installs);
        }

        @Override
        public long liveRouteVersion() {
            return 0;
        }

        @Override
        public long routeVersion() {
            return 0;
        }
    }

    private static String birdConfig(List<String> routes) {
        StringBuilder statics = new StringBuilder();
        routes.forEach(r -> statics.append("  route ").append(r).append(" blackhole;\n"));
        return """
                router id %s;
                protocol device {}
                protocol static { ipv4;
                %s}
                protocol bgp cen {
                  local %s as 65001;
                  neighbor %s as 4200000001;
                  hold time 9;
                  connect delay time 1;
                  error wait time 1, 5;
                  ipv4 { import all; export all; };
                }
                """.formatted(BIRD_ADDRESS, statics, BIRD_ADDRESS, CEN_ADDRESS);
    }

    private static void startBird(List<String> routes) throws IOException {
        Files.writeString(dir.resolve("bird.conf"), birdConfig(routes));
        bird = new ProcessBuilder("ip", "netns", "exec", NS, BIRD.toString(), "-f", "-c",
                dir.resolve("bird.conf").toString(), "-s", dir.resolve("bird.ctl").toString(), "-P",
                dir.resolve("bird.pid").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("bird.log").toFile()).start();
        await().atMost(30, SECONDS).until(() -> birdc("show", "status").contains("Daemon is up and running"));
    }

    private static void reconfigureBird(List<String> routes) throws IOException, InterruptedException {
        Files.writeString(dir.resolve("bird.conf"), birdConfig(routes));
        assertThat(birdc("configure")).contains("Reconfigured");
    }

    private static String birdc(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(BIRDC.toString(), "-s", dir.resolve("bird.ctl").toString()));
        line.addAll(List.of(command));
        return run(line.toArray(String[]::new));
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
}
