package io.isthmus.slowpath.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.GroupCounters;
import io.isthmus.control.Rule;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.slowpath.Slowpath;
import io.isthmus.slowpath.SlowpathOptions;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.testing.FakeFastpath;
import io.isthmus.slowpath.testing.RecordingPolicy;

/**
 * {@code GET /stats} {@code counters}: the policy's named counter groups summed over fastpaths played by test sockets,
 * never going down when a fastpath starts again or leaves.
 */
class StatsCountersTest {

    private static final Duration BOUND = Duration.ofSeconds(5);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(BOUND).build();
    private final RecordingPolicy policy = new RecordingPolicy();
    private final Slowpath slowpath = Slowpath.start(
            SlowpathOptions.of("test", "vnf-test", InetAddress.getLoopbackAddress(), 0, 0), policy,
            Clock.systemUTC());

    @AfterEach
    void stop() {
        slowpath.close();
    }

    @Test
    void countersSumTheNamedGroupsOverTheFastpathsAndNeverGoDown() throws Exception {
        // Given a policy that names groups 1 and 2 (not 3), and two fastpaths that have counter groups
        policy.nameCounterGroups(Map.of(1, "group.one", 2, "group.two"));
        try (FakeFastpath one = registered(1); FakeFastpath two = registered(2)) {
            Map<FakeFastpath, Map<Integer, GroupCounters>> answers = new LinkedHashMap<>();
            answers.put(one, Map.of(1, counted(10, 1000), 2, counted(1, 100), 3, counted(7, 700)));
            answers.put(two, Map.of(1, counted(5, 500)));

            // When /stats is read, Then each named group is summed over both, the unnamed one left out
            await().atMost(BOUND).until(() -> counters(answers).has("group.one"));
            JsonNode counters = counters(answers);
            assertThat(counters.toString()).isEqualTo(
                    "{\"group.one\":{\"packets\":15,\"bytes\":1500},\"group.two\":{\"packets\":1,\"bytes\":100}}");

            // When fastpath 1 starts again from zero and counts 2 more in group 1, and fastpath 2 one more
            answers.put(one, Map.of(1, counted(2, 200)));
            answers.put(two, Map.of(1, counted(6, 600)));

            // Then the sums go on from where they were
            counters = counters(answers);
            assertThat(counters.path("group.one").path("packets").asLong()).isEqualTo(18);
            assertThat(counters.path("group.one").path("bytes").asLong()).isEqualTo(1800);
            assertThat(counters.path("group.two").path("packets").asLong()).isEqualTo(1);

            // When fastpath 2 leaves (scaled in) and fastpath 1 counts one more
            assertThat(client.send(HttpRequest.newBuilder(uri("/fastpaths/2")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
            answers.remove(two);
            answers.put(one, Map.of(1, counted(3, 300)));

            // Then what fastpath 2 counted stays in the sums
            counters = counters(answers);
            assertThat(counters.path("group.one").path("packets").asLong()).isEqualTo(19);
            assertThat(counters.path("group.one").path("bytes").asLong()).isEqualTo(1900);
            assertThat(counters.path("group.two").path("bytes").asLong()).isEqualTo(100);
        }
    }

    @Test
    void aGroupTheFastpathsHaveNotCountedInIsThereWithZeros() throws Exception {
        policy.nameCounterGroups(Map.of(9, "group.nine"));
        try (FakeFastpath one = registered(1)) {
            Map<FakeFastpath, Map<Integer, GroupCounters>> answers = Map.of(one, Map.of());

            await().atMost(BOUND).until(() -> counters(answers).has("group.nine"));
            assertThat(counters(answers).toString()).isEqualTo("{\"group.nine\":{\"packets\":0,\"bytes\":0}}");
        }
    }

    @Test
    void aRuleCountsIntoItsGroupOnlyInFastpathsThatHaveCounterGroups() throws Exception {
        // Given a fastpath with counter groups and one from before them, and a policy that counts flows into group 4
        FlowKey flow = new FlowKey(100, FlowKey.UDP, 0x0A000005, 0x08080808, 40001, 53);
        policy.decideWith(miss -> Decision.forward(Rule.of(flow, new Action.Count(4),
                new Action.SetNextHop(0x7F000001, 9))));
        try (FakeFastpath grouped = registered(1);
                FakeFastpath older = FakeFastpath.registered(
                        slowpath.controlAddress(), 2, HelloFlyweight.REINJECT_BATCH)) {
            // When a miss is decided
            grouped.punt(flow, new byte[]{8, 0, 0, 0, 0, 0, 100, 0, 1, 2, 3});

            // Then the first gets the rule with its group, the older one the rule counting against itself alone
            assertThat(installed(grouped).actions().get(0)).isEqualTo(new Action.Count(4));
            assertThat(installed(older).actions().get(0)).isEqualTo(new Action.Count());
        }
    }

    private FakeFastpath registered(int id) throws Exception {
        FakeFastpath fastpath = FakeFastpath.registered(slowpath.controlAddress(), id, HelloFlyweight.COUNT_GROUPS);
        await().atMost(BOUND).until(() -> slowpath.service().health().fastpaths() >= id);
        return fastpath;
    }

    private static Rule installed(FakeFastpath fastpath) throws Exception {
        ByteBuffer install = fastpath.receive(ControlProtocol.INSTALL);
        List<Rule> rules = InstallFlyweight.decode(install, 0, install.capacity());
        assertThat(rules).hasSize(1);
        return rules.get(0);
    }

    /** Reads {@code /stats} while each fastpath answers its STATS_REQUEST with its groups; returns its counters. */
    private JsonNode counters(Map<FakeFastpath, Map<Integer, GroupCounters>> answers) throws Exception {
        CompletableFuture<HttpResponse<String>> stats = client.sendAsync(HttpRequest.newBuilder(uri("/stats"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        for (Map.Entry<FakeFastpath, Map<Integer, GroupCounters>> answer : answers.entrySet()) {
            ByteBuffer request = answer.getKey().receive(ControlProtocol.STATS_REQUEST);
            answer.getKey().statsResponse(ControlProtocol.sequence(request, 0), answer.getValue());
        }
        JsonNode body = json.readTree(stats.get().body());
        assertThat(body.path("fastpaths")).allSatisfy(f -> assertThat(f.path("stale").asBoolean()).isFalse());
        return body.path("counters");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + slowpath.configAddress().getPort() + path);
    }

    private static GroupCounters counted(long packets, long bytes) {
        return new GroupCounters(packets, bytes);
    }
}
