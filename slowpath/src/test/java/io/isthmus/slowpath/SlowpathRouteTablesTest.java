package io.isthmus.slowpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.RouteUpdateFlyweight;
import io.isthmus.slowpath.control.RouteDistributor;
import io.isthmus.slowpath.policy.Install;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.TableRoute;
import io.isthmus.slowpath.policy.TableRoute.NextHop;
import io.isthmus.slowpath.policy.TableRouteRemoval;
import io.isthmus.slowpath.policy.VniBinding;
import io.isthmus.slowpath.service.SlowpathService.RouteLiveness;
import io.isthmus.slowpath.testing.RecordingPolicy;
import io.isthmus.slowpath.testing.RouteTablesFastpath;

/**
 * Route tables (ROUTE_UPDATE) from a policy's installs to fastpaths that take them, played by test sockets that apply
 * what they read to a model of the contract and acknowledge it (ROUTE_ACK): versions, losses, snapshots, resets, and
 * the API that says when a change is live.
 */
class SlowpathRouteTablesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NextHop A = new NextHop(200, 0x0A000001, 4789);
    private static final NextHop B = new NextHop(200, 0x0A000002, 4789);
    private static final NextHop C = new NextHop(300, 0x0A000003, 4789);

    private final RecordingPolicy policy = new RecordingPolicy();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Slowpath slowpath;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
    }

    private Slowpath start(SlowpathOptions options) {
        slowpath = Slowpath.start(options, policy, Clock.systemUTC());
        closeables.add(slowpath);
        return slowpath;
    }

    private Slowpath start() {
        return start(options());
    }

    private static SlowpathOptions options() {
        return SlowpathOptions.of("test", "vnf-routes", InetAddress.getLoopbackAddress(), 0, 0);
    }

    private RouteTablesFastpath fastpath(int id) throws Exception {
        RouteTablesFastpath fastpath = RouteTablesFastpath.start(slowpath.controlAddress(), id);
        closeables.add(fastpath);
        await().atMost(Duration.ofSeconds(5)).until(() -> slowpath.service().health().fastpaths() >= id);
        return fastpath;
    }

    /** Applies {@code installs} as the answer to a configuration; returns where its routes stand. */
    private RouteLiveness configure(List<? extends Install> installs) throws Exception {
        policy.reconfigureWith(Reconfiguration.update(List.copyOf(installs), List.of(), "routes"));
        return slowpath.service().configure(JSON.readTree("{\"valid\":true}"));
    }

    /** {@code count} routes of table 1 (10.x.y.0/24), each to one of three ECMP groups. */
    private static List<TableRoute> routes(int count, int first) {
        List<List<NextHop>> groups = List.of(List.of(A), List.of(A, B), List.of(B, C, A));
        List<TableRoute> routes = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            routes.add(new TableRoute(1, 0x0A000000 | (i << 8), 24, groups.get(i % 3)));
        }
        return routes;
    }

    private static Map<RouteTablesFastpath.Key, List<NextHop>> model(List<TableRoute> routes) {
        Map<RouteTablesFastpath.Key, List<NextHop>> model = new HashMap<>();
        for (TableRoute route : routes) {
            model.put(new RouteTablesFastpath.Key(route.table(), route.prefix(), route.prefixLength()),
                    route.nextHops());
        }
        return model;
    }

    private void awaitInSync(RouteTablesFastpath fastpath, Map<RouteTablesFastpath.Key, List<NextHop>> expected) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> fastpath.version() == slowpath.service().stats().routeTables().version());
        assertThat(fastpath.routes()).isEqualTo(expected);
        assertThat(fastpath.violations()).isZero();
    }

    @Test
    void aConfigurationsRoutesReachEveryFastpathThatTakesRouteTablesAndAreLiveWhenItIsAnswered() throws Exception {
        // Given two fastpaths that take route tables
        start();
        RouteTablesFastpath one = fastpath(1);
        RouteTablesFastpath two = fastpath(2);
        List<TableRoute> routes = new ArrayList<>(routes(1_000, 0));
        routes.add(TableRoute.blackhole(1, 0x0A0A0000, 16));
        List<Install> installs = new ArrayList<>();
        installs.add(new VniBinding(100, 1));
        installs.addAll(routes);

        // When a configuration installs a binding, 1,000 routes over three next-hop lists and a blackhole
        RouteLiveness answer = configure(installs);

        // Then it is answered once both hold them, at the version it made (one per ROUTE_UPDATE of 1,472 bytes)
        assertThat(answer.live()).isTrue();
        assertThat(answer.version()).isGreaterThanOrEqualTo(1_001 * RouteUpdateFlyweight.ROUTE_LENGTH
                / RouteUpdateFlyweight.MAX_ENTRY_BYTES);
        for (RouteTablesFastpath fastpath : List.of(one, two)) {
            assertThat(fastpath.version()).isEqualTo(answer.version());
            assertThat(fastpath.routes()).isEqualTo(model(routes));
            assertThat(fastpath.bindings()).isEqualTo(Map.of(100, 1));
            assertThat(fastpath.groupCount()).isEqualTo(3);
            assertThat(fastpath.violations()).isZero();
        }
        assertThat(one.groupOf(1, 0x0A0A0000, 16)).isZero();
    }

    @Test
    void routesWithTheSameNextHopsShareAGroupThatIsRemovedAfterTheLastRouteLeavesIt() throws Exception {
        // Given routes to {A}, {A,B} and {B,C,A}
        start();
        RouteTablesFastpath fastpath = fastpath(1);
        List<TableRoute> routes = routes(30, 0);
        configure(routes);
        Integer ab = fastpath.groupOf(1, 0x0A000100, 24);
        assertThat(fastpath.groupOf(1, 0x0A000400, 24)).isEqualTo(ab);
        assertThat(fastpath.groupOf(1, 0x0A000000, 24)).isNotEqualTo(ab);
        assertThat(fastpath.groupCount()).isEqualTo(3);

        // When every route to {A,B} moves to a blackhole and those to {A} are removed
        List<Install> changes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int prefix = 0x0A000000 | (i << 8);
            if (i % 3 == 1) {
                changes.add(TableRoute.blackhole(1, prefix, 24));
            } else if (i % 3 == 0) {
                changes.add(new TableRouteRemoval(1, prefix, 24));
            }
        }
        RouteLiveness answer = configure(changes);

        // Then only the group of {B,C,A} is left, the blackholes point at group 0, and no group went before its last
        // route (the fake counts that as a violation)
        assertThat(answer.live()).isTrue();
        assertThat(fastpath.groupCount()).isEqualTo(1);
        assertThat(fastpath.routeCount()).isEqualTo(20);
        assertThat(fastpath.groupOf(1, 0x0A000100, 24)).isZero();
        assertThat(fastpath.route(1, 0x0A000200, 24)).containsExactly(B, C, A);
        assertThat(fastpath.violations()).isZero();
        assertThat(slowpath.service().stats().routeTables().groups()).isEqualTo(1);

        // And a new list gets a group again (an id freed before may come back)
        configure(List.of(new TableRoute(2, 0, 0, List.of(C))));
        assertThat(fastpath.route(2, 0, 0)).containsExactly(C);
        assertThat(fastpath.groupCount()).isEqualTo(2);
    }

    @Test
    void aLostDeltaIsSentAgain() throws Exception {
        // Given a fastpath that loses the third delta it is sent, once
        start();
        RouteTablesFastpath fastpath = fastpath(1);
        AtomicInteger deltas = new AtomicInteger();
        fastpath.losing(message -> deltas.incrementAndGet() == 3);

        // When 20 changes of one route each are made
        List<TableRoute> routes = routes(20, 0);
        for (TableRoute route : routes) {
            configure(List.of(route));
        }

        // Then it has them all, the third sent again
        awaitInSync(fastpath, model(routes));
        assertThat(fastpath.lost()).isEqualTo(1);
        assertThat(slowpath.service().stats().routeTables().resends()).isPositive();
    }

    @Test
    void aFastpathThatRegistersAfter100kRoutesGetsASnapshotAndThenTheChangesMadeMeanwhile() throws Exception {
        // Given 100,000 routes, more than the 1 MiB log holds
        start(options().withRoutes(Duration.ofSeconds(5), 1 << 20, RouteDistributor.DEFAULT_WINDOW));
        List<TableRoute> routes = new ArrayList<>(routes(100_000, 0));
        configure(List.of(new VniBinding(7, 1)));
        configure(routes);

        // When a fastpath registers, and routes change while it loads
        RouteTablesFastpath late = fastpath(1);
        for (int i = 0; i < 50; i++) {
            TableRoute moved = new TableRoute(1, 0x0A000000 | (i << 8), 24, List.of(C));
            routes.set(i, moved);
            configure(List.of(moved));
        }

        // Then it gets a snapshot (bindings, groups, routes) and the deltas after it
        awaitInSync(late, model(routes));
        assertThat(late.bindings()).isEqualTo(Map.of(7, 1));
        assertThat(late.snapshotParts()).isGreaterThanOrEqualTo(100_000 / 89);
        assertThat(slowpath.service().stats().routeTables().snapshotsSent()).isPositive();
    }

    @Test
    void aFastpathFurtherBehindThanTheLogGetsASnapshot() throws Exception {
        // Given a fastpath in sync with 1,000 routes, and a log of 1 MiB
        start(options().withRoutes(Duration.ofMillis(200), 1 << 20, RouteDistributor.DEFAULT_WINDOW));
        RouteTablesFastpath fastpath = fastpath(1);
        List<TableRoute> routes = new ArrayList<>(routes(1_000, 0));
        configure(routes);
        assertThat(fastpath.snapshotParts()).isZero();

        // When it loses every update while 2 MiB of changes are made (not live: answered after the wait)
        fastpath.losing(message -> true);
        List<TableRoute> more = routes(120_000, 1_000);
        RouteLiveness answer = configure(more);
        routes.addAll(more);
        assertThat(answer.live()).isFalse();
        fastpath.losing(message -> false);

        // Then, once it hears again, it is sent a snapshot: the log no longer reaches back to its version
        awaitInSync(fastpath, model(routes));
        assertThat(fastpath.snapshotParts()).isPositive();
    }

    @Test
    void aResetEmptiesTheFastpathsTablesAndTheyAreSentAgain() throws Exception {
        // Given a fastpath with 500 routes
        start();
        RouteTablesFastpath fastpath = fastpath(1);
        List<TableRoute> routes = routes(500, 0);
        long version = configure(routes).version();

        // When a configuration resets every rule (a REMOVE of all rules empties its route tables too)
        policy.reconfigureWith(Reconfiguration.reset("flush"));
        RouteLiveness answer = slowpath.service().configure(JSON.readTree("{\"valid\":true}"));

        // Then the same version is live again: the tables were sent anew
        assertThat(answer.version()).isEqualTo(version);
        assertThat(answer.live()).isTrue();
        assertThat(fastpath.routes()).isEqualTo(model(routes));
    }

    @Test
    void putConfigAnswersWithTheRouteVersionAndWhetherItIsLive() throws Exception {
        // Given a slowpath that waits 300 ms for routes to be live, and a fastpath
        start(options().withRoutes(Duration.ofMillis(300), RouteDistributor.DEFAULT_LOG_BYTES,
                RouteDistributor.DEFAULT_WINDOW));
        RouteTablesFastpath fastpath = fastpath(1);
        policy.reconfigureWith(Reconfiguration.update(List.copyOf(routes(200, 0)), List.of(), "routes"));

        // When a configuration is PUT
        HttpResponse<String> live = put("{\"valid\":true}");

        // Then it is answered 204 once its routes are live, with their version
        assertThat(live.statusCode()).isEqualTo(204);
        assertThat(live.headers().firstValue("Isthmus-Routes-Live")).hasValue("true");
        long version = Long.parseLong(live.headers().firstValue("Isthmus-Route-Version").orElseThrow());
        assertThat(version).isEqualTo(fastpath.version()).isPositive();

        // And when the fastpath hears nothing, a change is still answered 204, after the wait, not live
        fastpath.losing(message -> true);
        policy.reconfigureWith(Reconfiguration.update(List.copyOf(routes(10, 500)), List.of(), "more"));
        HttpResponse<String> late = put("{\"valid\":true}");
        assertThat(late.statusCode()).isEqualTo(204);
        assertThat(late.headers().firstValue("Isthmus-Routes-Live")).hasValue("false");
        assertThat(late.headers().firstValue("Isthmus-Route-Version")).hasValue(Long.toString(version + 1));
    }

    @Test
    void statsShowTheRouteTablesAndEachFastpathsVersion() throws Exception {
        // Given a fastpath with 300 routes over 3 groups and a binding
        start();
        RouteTablesFastpath fastpath = fastpath(1);
        List<Install> installs = new ArrayList<>(routes(300, 0));
        installs.add(new VniBinding(5, 1));
        long version = configure(installs).version();

        // When the stats are read over HTTP
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/stats")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        // Then they say the version, that it is live, what the tables hold, and where the fastpath stands
        JsonNode tables = JSON.readTree(response.body()).path("routeTables");
        assertThat(tables.path("version").asLong()).isEqualTo(version);
        assertThat(tables.path("liveVersion").asLong()).isEqualTo(version);
        assertThat(tables.path("routes").asInt()).isEqualTo(300);
        assertThat(tables.path("groups").asInt()).isEqualTo(3);
        assertThat(tables.path("bindings").asInt()).isEqualTo(1);
        assertThat(tables.path("logBytes").asLong()).isPositive();
        assertThat(tables.has("snapshotsSent")).isTrue();
        assertThat(tables.has("resends")).isTrue();
        JsonNode one = tables.path("fastpaths").path("1");
        assertThat(one.path("version").asLong()).isEqualTo(version);
        assertThat(one.path("routes").asInt()).isEqualTo(300);
        assertThat(one.path("rejected").asLong()).isZero();
        assertThat(fastpath.version()).isEqualTo(version);
    }

    @Test
    void aPolicyIsAttachedBeforeItsFirstConfigurationAndItsSubmittedChangesReachTheFastpaths() throws Exception {
        // Given a slowpath: the policy was given its context before any configuration
        start();
        assertThat(policy.attached).hasValue(1);
        RouteTablesFastpath fastpath = fastpath(1);
        slowpath.service().configure(JSON.readTree("{\"valid\":true}"));
        assertThat(policy.configuredBeforeAttach).isFalse();

        // When the policy submits routes from a thread of its own (as BGP sessions would)
        List<TableRoute> routes = routes(2_000, 0);
        Thread learner = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < routes.size(); i += 100) {
                List<Install> part = List.copyOf(routes.subList(i, i + 100));
                policy.context.submit("learned", p -> Reconfiguration.update(part, List.of(), "learned"));
            }
        });
        learner.join();

        // Then they reach the fastpath, and the context says which version is live
        awaitInSync(fastpath, model(routes));
        long version = policy.context.routeVersion();
        assertThat(version).isEqualTo(slowpath.service().stats().routeTables().version());
        await().atMost(Duration.ofSeconds(5)).until(() -> policy.context.liveRouteVersion() == version);

        // And a submitted change that throws is counted, not fatal
        long errors = slowpath.service().stats().errors();
        policy.context.submit("broken", p -> {
            throw new IllegalStateException("broken");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> slowpath.service().stats().errors() == errors + 1);

        // And the policy is closed with the slowpath
        slowpath.close();
        assertThat(policy.closed).hasValue(1);
    }

    @Test
    void aFastpathThatLeavesIsForgottenAndNoLongerHoldsTheLiveVersionBack() throws Exception {
        // Given two fastpaths in sync, one of which then stops
        start(options().withRoutes(Duration.ofSeconds(2), RouteDistributor.DEFAULT_LOG_BYTES,
                RouteDistributor.DEFAULT_WINDOW));
        RouteTablesFastpath staying = fastpath(1);
        RouteTablesFastpath leaving = fastpath(2);
        configure(routes(10, 0));
        leaving.close();

        // When it is retired (scale in), and routes change
        assertThat(slowpath.service().retire(2)).isTrue();
        RouteLiveness answer = configure(routes(10, 10));

        // Then the change is live as soon as the one left has it, and the stats show that one alone
        assertThat(answer.live()).isTrue();
        assertThat(staying.version()).isEqualTo(answer.version());
        assertThat(slowpath.service().stats().routeTables().fastpaths()).containsOnlyKeys("1");
    }

    @Test
    void aFastpathThatKeptItsRulesGetsASnapshotWhoseFirstPartEmptiesTheTablesItHad() throws Exception {
        // Given a policy that learns its state from rules (a fastpath new to the slowpath keeps its rules, is not told
        // to remove them all), and routes installed
        policy.learnsRules = true;
        start();
        List<TableRoute> routes = routes(300, 0);
        configure(routes);

        // When a fastpath that takes rule dumps and route tables registers (it may hold another slowpath's tables)
        RouteTablesFastpath kept = RouteTablesFastpath.start(slowpath.controlAddress(), 1,
                HelloFlyweight.ROUTE_TABLES | HelloFlyweight.FLOW_DUMP);
        closeables.add(kept);

        // Then it is sent a snapshot rather than deltas from a version it may not have
        awaitInSync(kept, model(routes));
        assertThat(kept.snapshotParts()).isPositive();
    }

    @Test
    void aFastpathWithoutRouteTablesIsSentNoRouteUpdateAndDoesNotHoldTheLiveVersionBack() throws Exception {
        // Given a fastpath that does not take route tables
        start();
        RouteTablesFastpath old = RouteTablesFastpath.start(slowpath.controlAddress(), 1, 0);
        closeables.add(old);
        await().atMost(Duration.ofSeconds(5)).until(() -> slowpath.service().health().fastpaths() == 1);

        // When routes are configured
        RouteLiveness answer = configure(routes(100, 0));

        // Then they are live (no fastpath takes them) and it got none
        assertThat(answer.live()).isTrue();
        assertThat(old.updates()).isZero();
    }

    private HttpResponse<String> put(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/config")).PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + slowpath.configAddress().getPort() + path);
    }

    static {
        // keeps the import of ControlProtocol honest: the ROUTE_UPDATEs fit in one unfragmented datagram
        assert RouteUpdateFlyweight.MAX_ENTRY_BYTES
                + RouteUpdateFlyweight.ENTRIES_OFFSET == ControlProtocol.MAX_BATCH_BYTES;
    }
}
