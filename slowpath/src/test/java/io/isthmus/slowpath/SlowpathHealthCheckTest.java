package io.isthmus.slowpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;

import io.isthmus.control.FlowKey;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.RemoveFlyweight;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.HealthCheck;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.VnfPolicy;
import io.isthmus.slowpath.service.SlowpathStats;
import io.isthmus.slowpath.testing.FakeFastpath;

/**
 * Health checks a policy declares, probed by the slowpath against real servers on 127.0.0.1 (a JDK HTTP server, a
 * listening socket, a closed port), and what the policy hears and answers.
 */
class SlowpathHealthCheckTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final Duration INTERVAL = Duration.ofMillis(300);
    private static final FlowKey FLOW = new FlowKey(100, FlowKey.TCP, 0x0A000005, 0x0A000063, 40001, 80);

    private final CheckingPolicy policy = new CheckingPolicy();
    private final Slowpath slowpath = Slowpath.start(
            SlowpathOptions.of("test", "vnf-test", InetAddress.getLoopbackAddress(), 0, 0), policy,
            Clock.systemUTC());
    private final List<Backend> backends = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        slowpath.close();
        backends.forEach(Backend::stop);
    }

    @Test
    void anHttpCheckIsHealthyOn200AndUnhealthyOn500() throws Exception {
        // Given a backend that answers 200 and a check of it
        Backend backend = backend();
        configure(HealthCheck.http("web", backend.address(), "/health", null, 200, 299, INTERVAL, INTERVAL, 1, 1));

        // Then the policy hears it is healthy, and the backend was asked GET /health with its address as Host
        await().atMost(BOUND).until(() -> policy.reports("web").equals(List.of(true)));
        assertThat(backend.requests.keySet()).containsExactly("GET /health 127.0.0.1:" + backend.address().getPort());
        JsonNode stats = new ObjectMapper().valueToTree(slowpath.service().stats()).path("healthChecks").path(0);
        assertThat(stats.path("id").asText()).isEqualTo("web");
        assertThat(stats.path("state").asText()).isEqualTo("healthy");
        assertThat(stats.path("lastResult").asText()).isEqualTo("pass");
        assertThat(stats.path("lastError").isNull()).isTrue();
        assertThat(stats.path("checks").asLong()).isPositive();
        assertThat(stats.has("lastCheckAgeMs")).isTrue();

        // When it answers 500
        backend.status = 500;

        // Then the policy hears it is unhealthy, and /stats says why
        await().atMost(BOUND).until(() -> policy.reports("web").equals(List.of(true, false)));
        SlowpathStats.HealthCheckStatus status = status("web");
        assertThat(status.state()).isEqualTo("unhealthy");
        assertThat(status.lastResult()).isEqualTo("fail");
        assertThat(status.lastError()).isEqualTo("status 500");
    }

    @Test
    void anHttpCheckTurnsUnhealthyWhenItsServerStops() throws Exception {
        Backend backend = backend();
        configure(HealthCheck.http("web", backend.address(), "/", "backend.test", 200, 399, INTERVAL, INTERVAL, 1,
                1));
        await().atMost(BOUND).until(() -> policy.reports("web").equals(List.of(true)));
        assertThat(backend.requests.keySet()).containsExactly("GET / backend.test");

        backend.stop();

        await().atMost(BOUND).until(() -> policy.reports("web").equals(List.of(true, false)));
        assertThat(status("web").lastError()).isEqualTo("connection refused");
    }

    @Test
    void aTcpCheckIsHealthyWhileItsPortListensAndUnhealthyOnceItCloses() throws Exception {
        // Given a listening socket and a closed port
        ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        InetSocketAddress closed = closedPort();
        configure(HealthCheck.tcp("open", (InetSocketAddress) listening.getLocalSocketAddress(), INTERVAL, INTERVAL,
                1, 1), HealthCheck.tcp("closed", closed, INTERVAL, INTERVAL, 1, 1));

        // Then the first is healthy and the second unhealthy from its first probe on
        await().atMost(BOUND).until(() -> policy.reports("open").equals(List.of(true))
                && policy.reports("closed").equals(List.of(false)));

        // When the socket closes, its check turns unhealthy
        listening.close();
        await().atMost(BOUND).until(() -> policy.reports("open").equals(List.of(true, false)));
        assertThat(policy.reports("closed")).containsExactly(false);
    }

    @Test
    void fallTakesThatManyFailuresInARowAndRiseThatManyPasses() throws Exception {
        // Given a healthy check that falls after 3 failures and rises after 2 passes
        Backend backend = backend();
        configure(HealthCheck.http("web", backend.address(), "/", null, 200, 299, INTERVAL, INTERVAL, 2, 3));
        await().atMost(BOUND).until(() -> policy.reports("web").equals(List.of(true)));

        // When the backend fails, then recovers
        backend.status = 503;
        await().atMost(BOUND).until(() -> policy.reports("web").equals(List.of(true, false)));
        int passesBefore = backend.answered(200);
        backend.status = 200;
        await().atMost(BOUND).until(() -> policy.reports("web").equals(List.of(true, false, true)));

        // Then the policy heard of the failure once the backend had failed 3 probes, of the recovery after 2 passes
        assertThat(policy.served.get(1)).isGreaterThanOrEqualTo(3);
        assertThat(policy.served.get(2) - passesBefore).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anUnchangedCheckKeepsItsStateAcrossAConfigurationAndAChangedOneStartsOver() throws Exception {
        // Given two healthy checks
        Backend backend = backend();
        HealthCheck kept = HealthCheck.http("kept", backend.address(), "/a", null, 200, 299, INTERVAL, INTERVAL, 1, 1);
        HealthCheck changed = HealthCheck.http("changed", backend.address(), "/b", null, 200, 299, INTERVAL, INTERVAL,
                1, 1);
        configure(kept, changed);
        await().atMost(BOUND).until(() -> policy.reports("kept").size() == 1 && policy.reports("changed").size() == 1);

        // When a new configuration declares the first again and the second with another path
        configure(kept,
                HealthCheck.http("changed", backend.address(), "/c", null, 200, 299, INTERVAL, INTERVAL, 1, 1));

        // Then the second starts over (its first probe is reported again), the first goes on unreported
        await().atMost(BOUND).until(() -> policy.reports("changed").equals(List.of(true, true)));
        long keptChecks = status("kept").checks();
        await().atMost(BOUND).until(() -> status("kept").checks() > keptChecks + 2);
        assertThat(policy.reports("kept")).containsExactly(true);
        assertThat(status("kept").state()).isEqualTo("healthy");
        assertThat(backend.requests).containsKey("GET /c 127.0.0.1:" + backend.address().getPort());
    }

    @Test
    void aCheckNoLongerDeclaredStopsUnreported() throws Exception {
        // Given a healthy check
        Backend backend = backend();
        configure(HealthCheck.http("web", backend.address(), "/", null, 200, 299, INTERVAL, INTERVAL, 1, 1));
        await().atMost(BOUND).until(() -> policy.reports("web").equals(List.of(true)));

        // When a configuration no longer declares it, and the backend fails
        configure();
        backend.status = 500;

        // Then no probe reaches the backend any more (but one under way), and the policy hears nothing
        assertThat(slowpath.service().stats().healthChecks()).isEmpty();
        int requests = backend.answered(200) + backend.answered(500);
        await().during(Duration.ofMillis(600)).atMost(BOUND)
                .until(() -> backend.answered(200) + backend.answered(500) <= requests + 1);
        assertThat(policy.reports("web")).containsExactly(true);
    }

    @Test
    void aServerSlowerThanTheTimeoutFails() throws Exception {
        Backend backend = backend();
        backend.hold = new CountDownLatch(1);
        configure(HealthCheck.http("slow", backend.address(), "/", null, 200, 299, Duration.ofMillis(300),
                Duration.ofMillis(200), 1, 1));

        await().atMost(BOUND).until(() -> policy.reports("slow").equals(List.of(false)));
        assertThat(status("slow").lastError()).isEqualTo("timed out after 200 ms");
    }

    @Test
    void theReconfigurationThePolicyAnswersReachesEveryFastpath() throws Exception {
        // Given a fastpath, and a policy that removes a flow's rule when its backend goes down
        try (FakeFastpath fastpath = FakeFastpath.registered(slowpath.controlAddress(), 1, 0)) {
            policy.answer = healthy -> healthy
                    ? Reconfiguration.unchanged("up")
                    : Reconfiguration.update(List.of(), List.of(FLOW), "backend down");

            // When its check fails
            configure(HealthCheck.tcp("backend", closedPort(), INTERVAL, INTERVAL, 1, 1));

            // Then the fastpath is told to remove the flow's rule
            ByteBuffer remove = fastpath.receive(ControlProtocol.REMOVE);
            assertThat(RemoveFlyweight.flags(remove, 0)).isZero();
            List<FlowKey> keys = new ArrayList<>();
            RemoveFlyweight.decode(remove, 0, remove.remaining(), (high, low) -> keys.add(FlowKey.unpack(high, low)));
            assertThat(keys).containsExactly(FLOW);
            assertThat(slowpath.service().stats().removes()).isEqualTo(1);
        }
    }

    private void configure(HealthCheck... checks) {
        policy.checks = List.of(checks);
        try {
            slowpath.service().configure(JsonNodeFactory.instance.objectNode());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private SlowpathStats.HealthCheckStatus status(String id) throws InterruptedException {
        return slowpath.service().stats().healthChecks().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow();
    }

    private Backend backend() {
        Backend backend = new Backend();
        backends.add(backend);
        return backend;
    }

    /** A port nothing listens on: bound once, then closed. */
    private static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }
    }

    /** An HTTP server that answers every request with {@link #status}, after {@link #hold} if set. */
    private static final class Backend {

        final HttpServer server;
        final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        final Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        volatile int status = 200;
        volatile CountDownLatch hold;

        Backend() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                requests.computeIfAbsent(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                        + exchange.getRequestHeaders().getFirst("Host"), k -> new AtomicInteger()).incrementAndGet();
                CountDownLatch held = hold;
                if (held != null) {
                    try {
                        held.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                int answer = status;
                answers.computeIfAbsent(answer, k -> new AtomicInteger()).incrementAndGet();
                exchange.sendResponseHeaders(answer, -1);
                exchange.close();
            });
            server.start();
            warmUp();
        }

        /** One request before the test's: a server's first answer, cold, could take longer than a probe's timeout. */
        private void warmUp() {
            try (HttpClient client = HttpClient.newHttpClient()) {
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address().getPort() + "/")).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
            requests.clear();
            answers.clear();
        }

        InetSocketAddress address() {
            return server.getAddress();
        }

        int answered(int status) {
            AtomicInteger count = answers.get(status);
            return count == null ? 0 : count.get();
        }

        void stop() {
            CountDownLatch held = hold;
            if (held != null) {
                held.countDown();
            }
            server.stop(0);
        }
    }

    /** A policy that declares the checks a test sets, records what it hears, and answers as the test says. */
    private final class CheckingPolicy implements VnfPolicy {

        volatile List<HealthCheck> checks = List.of();
        volatile Function<Boolean, Reconfiguration> answer = healthy -> Reconfiguration
                .unchanged("test");
        final List<Map.Entry<String, Boolean>> heard = new CopyOnWriteArrayList<>();
        /** For each report, what the last backend had answered by then: 200s when healthy, other statuses if not. */
        final List<Integer> served = new CopyOnWriteArrayList<>();

        @Override
        public String vnfType() {
            return "test";
        }

        @Override
        public boolean configure(JsonNode config) {
            return false;
        }

        @Override
        public Decision onMiss(Miss miss) {
            return Decision.drop("not this test's business");
        }

        @Override
        public List<HealthCheck> healthChecks() {
            return checks;
        }

        @Override
        public Reconfiguration onHealthChanged(String checkId, boolean healthy) {
            if (!backends.isEmpty()) {
                Backend backend = backends.getLast();
                served.add(healthy
                        ? backend.answered(200)
                        : backend.answered(500) + backend.answered(503));
            }
            heard.add(Map.entry(checkId, healthy));
            return answer.apply(healthy);
        }

        List<Boolean> reports(String checkId) {
            return heard.stream().filter(e -> e.getKey().equals(checkId)).map(Map.Entry::getValue).toList();
        }
    }
}
