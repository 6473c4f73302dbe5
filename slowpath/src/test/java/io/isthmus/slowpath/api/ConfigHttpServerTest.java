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
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.FastpathStats;
import io.isthmus.slowpath.Slowpath;
import io.isthmus.slowpath.SlowpathOptions;
import io.isthmus.slowpath.testing.FakeFastpath;
import io.isthmus.slowpath.testing.RecordingPolicy;

/** The config endpoint over real HTTP. */
class ConfigHttpServerTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Slowpath slowpath = Slowpath.start(
            SlowpathOptions.of("test", "vnf-test", InetAddress.getLoopbackAddress(), 0, 0), new RecordingPolicy(),
            Clock.systemUTC());

    @AfterEach
    void stop() {
        slowpath.close();
    }

    @Test
    void healthIsUpAndCountsRegisteredFastpaths() throws Exception {
        // Given no fastpath yet
        assertThat(json.readTree(get("/health").body()).toString()).isEqualTo("{\"status\":\"UP\",\"fastpaths\":0}");

        // When one registers
        try (FakeFastpath fastpath = new FakeFastpath(1, slowpath.controlAddress())) {
            fastpath.hello();

            // Then health counts it
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> json.readTree(get("/health").body()).path("fastpaths").asInt() == 1);
        }
    }

    @Test
    void aValidConfigIsAcceptedWith204AndReadBack() throws Exception {
        // Given no config yet
        assertThat(get("/config").statusCode()).isEqualTo(404);

        // When a valid config is PUT
        HttpResponse<String> put = put("/config", "{\"valid\":true,\"name\":\"x\"}");

        // Then 204 and GET returns it
        assertThat(put.statusCode()).isEqualTo(204);
        HttpResponse<String> get = get("/config");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json.readTree(get.body())).isEqualTo(json.readTree("{\"valid\":true,\"name\":\"x\"}"));
    }

    @Test
    void aConfigThePolicyRefusesIs400WithItsProblemsAndTheOldConfigStays() throws Exception {
        // Given an accepted config
        put("/config", "{\"valid\":true}");

        // When the policy refuses the next one
        HttpResponse<String> response = put("/config", "{\"valid\":false}");

        // Then 400 with a JSON error listing the problems, and the previous config is still in force
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json.readTree(response.body());
        assertThat(error.path("error").asText()).contains("valid must be true");
        assertThat(error.path("problems")).hasSize(2);
        assertThat(json.readTree(get("/config").body())).isEqualTo(json.readTree("{\"valid\":true}"));
    }

    @Test
    void malformedJsonOrANonObjectIs400() throws Exception {
        HttpResponse<String> malformed = put("/config", "{\"valid\":");
        HttpResponse<String> array = put("/config", "[1,2]");

        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json.readTree(malformed.body()).path("error").asText()).startsWith("malformed JSON");
        assertThat(array.statusCode()).isEqualTo(400);
        assertThat(json.readTree(array.body()).path("error").asText()).contains("JSON object");
    }

    @Test
    void wrongMethodsAndUnknownPathsAreRefused() throws Exception {
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri("/config"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, PUT");
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(get("/health/more").statusCode()).isEqualTo(404);
    }

    @Test
    void statsAggregateEachFastpathsCountersWithTheSlowpaths() throws Exception {
        try (FakeFastpath fastpath = new FakeFastpath(3, slowpath.controlAddress())) {
            // Given a registered fastpath that will answer the stats request
            fastpath.hello();
            fastpath.receive(ControlProtocol.REMOVE);
            await().atMost(Duration.ofSeconds(5)).until(() -> slowpath.service().health().fastpaths() == 1);
            CompletableFuture<HttpResponse<String>> stats = client.sendAsync(HttpRequest.newBuilder(uri("/stats"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            ByteBuffer request = fastpath.receive(ControlProtocol.STATS_REQUEST);
            long[] counters = new long[FastpathStats.COUNTER_COUNT];
            for (int i = 0; i < counters.length; i++) {
                counters[i] = 10 + i;
            }
            fastpath.statsResponse(ControlProtocol.sequence(request, 0), counters);

            // When the response comes back
            JsonNode body = json.readTree(stats.get().body());

            // Then it has the contract's shape with the fastpath's counters
            assertThat(body.path("punts").asLong()).isZero();
            assertThat(body.path("installs").asLong()).isZero();
            JsonNode one = body.path("fastpaths").get(0);
            assertThat(one.path("id").asInt()).isEqualTo(3);
            assertThat(one.path("packets").asLong()).isEqualTo(10 + FastpathStats.PACKETS_INDEX);
            assertThat(one.path("hits").asLong()).isEqualTo(10 + FastpathStats.HITS_INDEX);
            assertThat(one.path("misses").asLong()).isEqualTo(10 + FastpathStats.MISSES_INDEX);
            assertThat(one.path("punts").asLong()).isEqualTo(10 + FastpathStats.PUNTS_INDEX);
            assertThat(one.path("drops").asLong()).isEqualTo(10 + FastpathStats.DROPS_INDEX);
            assertThat(one.path("errors").asLong()).isEqualTo(10 + FastpathStats.ERRORS_INDEX);
            assertThat(one.path("stale").asBoolean()).isFalse();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + slowpath.configAddress().getPort() + path);
    }
}
