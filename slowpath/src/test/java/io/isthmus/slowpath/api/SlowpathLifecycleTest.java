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
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.isthmus.control.Action;
import io.isthmus.control.FastpathStats;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Rule;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.RemoveFlyweight;
import io.isthmus.slowpath.Slowpath;
import io.isthmus.slowpath.SlowpathOptions;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.FlowRuleInstall;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.testing.FakeFastpath;
import io.isthmus.slowpath.testing.RecordingPolicy;

/**
 * What the VNFM drives a slowpath's lifecycle with, over real HTTP with the config secret: retiring a fastpath,
 * reading how long a fastpath has had no packet, a live reconfiguration that keeps the rules, snapshots.
 */
class SlowpathLifecycleTest {

    private static final String SECRET = "s3cret-of-this-vnf";
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final Rule RULE = Rule.of(new FlowKey(7, FlowKey.UDP, 0x0A000001, 0x0A000002, 1000, 53),
            new Action.Count());

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(BOUND).build();
    private final RecordingPolicy policy = new RecordingPolicy();
    private final TestClock clock = new TestClock();
    private final Slowpath slowpath = Slowpath.start(
            SlowpathOptions.of("test", "vnf-test", InetAddress.getLoopbackAddress(), 0, 0).withConfigSecret(SECRET),
            policy, clock);

    @AfterEach
    void stop() {
        slowpath.close();
    }

    @Test
    void aRetiredFastpathIsForgottenAtOnceAndGetsNoMoreRules() throws Exception {
        try (FakeFastpath kept = registered(1); FakeFastpath retired = registered(2)) {
            // When the VNFM retires fastpath 2 (scale in)
            HttpResponse<String> delete = send(request("/fastpaths/2").DELETE());

            // Then it is forgotten at once: health counts one fastpath, and a rule decided now goes to the other only
            assertThat(delete.statusCode()).isEqualTo(204);
            assertThat(json.readTree(send(request("/health").GET()).body()).path("fastpaths").asInt()).isEqualTo(1);
            policy.decideWith(miss -> Decision.forward(RULE));
            kept.punt(RULE.key(), new byte[64]);
            ByteBuffer install = kept.receive(ControlProtocol.INSTALL);
            assertThat(InstallFlyweight.decode(install, 0, install.remaining())).containsExactly(RULE);
            assertThat(retired.receiveWithin(ControlProtocol.INSTALL, 300)).isEmpty();
        }
    }

    @Test
    void retiringNeedsTheSecretAndAnIdThatIsRegistered() throws Exception {
        try (FakeFastpath one = registered(1)) {
            assertThat(send(HttpRequest.newBuilder(uri("/fastpaths/1")).DELETE()).statusCode()).isEqualTo(401);
            assertThat(send(request("/fastpaths/9").DELETE()).statusCode()).isEqualTo(404);
            assertThat(send(request("/fastpaths/x").DELETE()).statusCode()).isEqualTo(404);
            assertThat(send(request("/fastpaths/1").GET()).statusCode()).isEqualTo(405);
            assertThat(slowpath.service().health().fastpaths()).isEqualTo(1);
        }
    }

    @Test
    void statsTellHowLongAFastpathHasHadNoPacket() throws Exception {
        try (FakeFastpath fastpath = registered(3)) {
            // Given a fastpath that has forwarded 5 packets
            assertThat(lastPacketAgeMs(fastpath, 5)).isZero();

            // When 3 s pass without a packet, Then its last packet is 3 s old
            clock.advance(Duration.ofSeconds(3));
            fastpath.hello();
            assertThat(lastPacketAgeMs(fastpath, 5)).isEqualTo(3_000);

            // When a packet comes, Then it is new again
            clock.advance(Duration.ofSeconds(1));
            assertThat(lastPacketAgeMs(fastpath, 6)).isZero();
        }
    }

    @Test
    void aReconfigurationThatKeepsTheFlowsRemovesAndInstallsOnlyWhatThePolicySays() throws Exception {
        try (FakeFastpath one = registered(1); FakeFastpath two = registered(2)) {
            // Given a configuration, and a policy whose next one ends one flow and changes another's rule
            assertThat(send(put("/config", "{\"valid\":true}")).statusCode()).isEqualTo(204);
            FlowKey ended = new FlowKey(7, FlowKey.UDP, 0x0A000001, 0x0A000003, 1000, 53);
            policy.reconfigureWith(Reconfiguration.update(List.of(new FlowRuleInstall(RULE)), List.of(ended),
                    "test"));

            // When it is PUT
            assertThat(send(put("/config", "{\"valid\":true,\"v\":2}")).statusCode()).isEqualTo(204);

            // Then every fastpath is told to remove that flow's rule and the changed one, by key, then gets the changed
            // rule: no REMOVE_ALL, nothing else removed
            for (FakeFastpath fastpath : List.of(one, two)) {
                List<FlowKey> keys = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    ByteBuffer remove = fastpath.receive(ControlProtocol.REMOVE);
                    assertThat(RemoveFlyweight.flags(remove, 0)).isZero();
                    RemoveFlyweight.decode(remove, 0, remove.remaining(),
                            (high, low) -> keys.add(FlowKey.unpack(high, low)));
                }
                assertThat(keys).containsExactly(ended, RULE.key());
                ByteBuffer install = fastpath.receive(ControlProtocol.INSTALL);
                assertThat(InstallFlyweight.decode(install, 0, install.remaining())).containsExactly(RULE);
            }
            assertThat(slowpath.service().stats().rules()).isEqualTo(1);
        }
    }

    @Test
    void aSnapshotCarriesTheTypeTheConfigAndTheStateAndIsRestored() throws Exception {
        // Given no configuration: no snapshot
        assertThat(send(request("/snapshot").GET()).statusCode()).isEqualTo(404);
        assertThat(send(put("/config", "{\"valid\":true,\"name\":\"a\"}")).statusCode()).isEqualTo(204);

        // When a snapshot is taken
        HttpResponse<String> taken = send(request("/snapshot").GET());

        // Then it has the VNF type, the config, the policy's state ({} for a policy without state) and the time
        assertThat(taken.statusCode()).isEqualTo(200);
        JsonNode snapshot = json.readTree(taken.body());
        assertThat(snapshot.path("vnfType").asText()).isEqualTo("test");
        assertThat(snapshot.path("config")).isEqualTo(json.readTree("{\"valid\":true,\"name\":\"a\"}"));
        assertThat(snapshot.path("state")).isEqualTo(json.createObjectNode());
        assertThat(Instant.parse(snapshot.path("takenAt").asText())).isEqualTo(clock.instant());

        // When the config changes and the snapshot is put back, Then the snapshot's config is in force again
        assertThat(send(put("/config", "{\"valid\":true,\"name\":\"b\"}")).statusCode()).isEqualTo(204);
        assertThat(send(put("/snapshot", taken.body())).statusCode()).isEqualTo(204);
        assertThat(json.readTree(send(request("/config").GET()).body()))
                .isEqualTo(json.readTree("{\"valid\":true,\"name\":\"a\"}"));
    }

    @Test
    void aSnapshotOfAnotherTypeOrMalformedIsRefusedWith400AndChangesNothing() throws Exception {
        assertThat(send(put("/config", "{\"valid\":true,\"name\":\"now\"}")).statusCode()).isEqualTo(204);
        ObjectNode snapshot = (ObjectNode) json.readTree(send(request("/snapshot").GET()).body());
        snapshot.set("config", json.readTree("{\"valid\":true,\"name\":\"then\"}"));

        HttpResponse<String> otherType = send(put("/snapshot", snapshot.deepCopy().put("vnfType", "nat").toString()));
        HttpResponse<String> withState = send(put("/snapshot", snapshot.deepCopy()
                .set("state", json.readTree("{\"bindings\":[]}")).toString()));
        HttpResponse<String> noConfig = send(put("/snapshot", snapshot.deepCopy().without("config").toString()));
        HttpResponse<String> notJson = send(put("/snapshot", "{\"vnfType\":"));
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(uri("/snapshot"))
                .PUT(HttpRequest.BodyPublishers.ofString(snapshot.toString())));

        assertThat(otherType.statusCode()).isEqualTo(400);
        assertThat(json.readTree(otherType.body()).path("error").asText()).contains("vnfType").contains("nat");
        assertThat(withState.statusCode()).isEqualTo(400);
        assertThat(json.readTree(withState.body()).path("error").asText()).contains("state");
        assertThat(noConfig.statusCode()).isEqualTo(400);
        assertThat(json.readTree(noConfig.body()).path("error").asText()).contains("config is required");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json.readTree(send(request("/config").GET()).body()).path("name").asText()).isEqualTo("now");
    }

    // ---------------------------------------------------------------- helpers

    private FakeFastpath registered(int id) throws Exception {
        int before = slowpath.service().health().fastpaths();
        FakeFastpath fastpath = FakeFastpath.registered(slowpath.controlAddress(), id, 0);
        await().atMost(BOUND).until(() -> slowpath.service().health().fastpaths() == before + 1);
        return fastpath;
    }

    /** GET /stats, answered by {@code fastpath} with {@code packets}: its {@code lastPacketAgeMs}. */
    private long lastPacketAgeMs(FakeFastpath fastpath, long packets) throws Exception {
        CompletableFuture<HttpResponse<String>> stats = client.sendAsync(request("/stats").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        ByteBuffer request = fastpath.receive(ControlProtocol.STATS_REQUEST);
        long[] counters = new long[FastpathStats.COUNTER_COUNT];
        counters[FastpathStats.PACKETS_INDEX] = packets;
        fastpath.statsResponse(ControlProtocol.sequence(request, 0), counters);
        JsonNode one = json.readTree(stats.get().body()).path("fastpaths").get(0);
        assertThat(one.path("packets").asLong()).isEqualTo(packets);
        return one.path("lastPacketAgeMs").asLong();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + SECRET);
    }

    private HttpRequest.Builder put(String path, String body) {
        return request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + slowpath.configAddress().getPort() + path);
    }

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-31T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
