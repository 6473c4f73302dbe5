package io.isthmus.vim.driver.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.vnf.process.VnfProcess;

/**
 * Asks a slowpath how many fastpaths registered ({@code GET /health} on its config port) and which of them answer
 * ({@code GET /stats}).
 */
@ApplicationScoped
public class SlowpathProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json;

    public SlowpathProbe(ObjectMapper json) {
        this.json = json;
    }

    /** The fastpaths the slowpath reports while UP; empty while it does not answer, or answers anything else. */
    public OptionalInt registeredFastpaths(String host, int configPort) {
        HttpRequest request = HttpRequest
                .newBuilder(URI.create("http://" + host + ":" + configPort + VnfProcess.HEALTH_PATH))
                .timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return OptionalInt.empty();
            }
            JsonNode health = json.readTree(response.body());
            if (!"UP".equals(health.path("status").asText()) || !health.path("fastpaths").canConvertToInt()) {
                return OptionalInt.empty();
            }
            return OptionalInt.of(health.path("fastpaths").asInt());
        } catch (IOException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /**
     * The ids of the fastpaths that answered the slowpath's last stats request ({@code stale} false): a fastpath that
     * restarted with its id answers only once it registered again. Empty while the slowpath does not answer.
     */
    public Optional<Set<Integer>> answeringFastpaths(String host, int configPort) {
        HttpRequest request = HttpRequest
                .newBuilder(URI.create("http://" + host + ":" + configPort + VnfProcess.STATS_PATH))
                .timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            Set<Integer> ids = new HashSet<>();
            for (JsonNode fastpath : json.readTree(response.body()).path("fastpaths")) {
                if (!fastpath.path("stale").asBoolean(true)) {
                    ids.add(fastpath.path("id").asInt());
                }
            }
            return Optional.of(ids);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
