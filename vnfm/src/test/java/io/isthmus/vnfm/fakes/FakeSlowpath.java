package io.isthmus.vnfm.fakes;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * A slowpath's config endpoint (contracts.md "VNF processes"): PUT /config → 204, remembered; GET /config → what it
 * holds, 404 before the first PUT and after {@link #restart()}.
 */
public final class FakeSlowpath extends FakeHttpServer {

    private final List<JsonNode> configs = new CopyOnWriteArrayList<>();
    private volatile JsonNode held;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> snapshotsServed = new CopyOnWriteArrayList<>();
    private final List<String> snapshotsPut = new CopyOnWriteArrayList<>();
    private volatile JsonNode state = JSON.createObjectNode();
    private volatile JsonNode indicators;
    private volatile JsonNode counters;
    private volatile boolean statsAnswered = true;

    public FakeSlowpath() {
        server().createContext("/config", this::config);
        server().createContext("/stats", this::stats);
        server().createContext("/fastpaths/", ex -> empty(ex, 204));
        server().createContext("/snapshot", this::snapshot);
        start();
    }

    public List<JsonNode> configs() {
        return List.copyOf(configs);
    }

    /** As a slowpath process that was restarted: it holds no configuration any more. */
    /** The Authorization header of every request, in order ("" where there was none). */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    public void restart() {
        held = null;
    }

    /** The {@code indicators} and {@code counters} objects {@code GET /stats} answers from now on (null: none). */
    public void stats(JsonNode indicators, JsonNode counters) {
        this.indicators = indicators;
        this.counters = counters;
    }

    /** {@code GET /stats} closes the connection unanswered, as a slowpath that is gone, until told otherwise. */
    public void answerStats(boolean answer) {
        statsAnswered = answer;
    }

    /** {@code GET /stats}: every fastpath quiet for long (a drain ends at once), and the VNF's indicators. */
    private void stats(HttpExchange exchange) throws IOException {
        if (!statsAnswered) {
            exchange.close();
            return;
        }
        com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
        body.putArray("fastpaths");
        if (indicators != null) {
            body.set("indicators", indicators);
        }
        if (counters != null) {
            body.set("counters", counters);
        }
        json(exchange, 200, body);
    }

    /** The policy state the next {@code GET /snapshot} answers with the config held. */
    public void state(JsonNode policyState) {
        state = policyState;
    }

    /** The bodies {@code GET /snapshot} answered, in order. */
    public List<String> snapshotsServed() {
        return List.copyOf(snapshotsServed);
    }

    /** The bodies {@code PUT /snapshot} received, in order, as they came. */
    public List<String> snapshotsPut() {
        return List.copyOf(snapshotsPut);
    }

    /**
     * contracts.md "Snapshots": GET → {@code {vnfType, config, state, takenAt}} (404 without config); PUT → 204, the
     * snapshot's config and state are held from then on (400 without config or state objects).
     */
    private void snapshot(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(authorization == null ? "" : authorization);
        if (exchange.getRequestMethod().equals("GET")) {
            JsonNode config = held;
            if (config == null) {
                json(exchange, 404, java.util.Map.of("error", "no config yet"));
                return;
            }
            com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
            body.put("vnfType", "nat").set("config", config);
            body.set("state", state);
            body.put("takenAt", java.time.Instant.now().toString());
            String text = JSON.writeValueAsString(body);
            snapshotsServed.add(text);
            byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
            return;
        }
        if (!exchange.getRequestMethod().equals("PUT")) {
            empty(exchange, 405);
            return;
        }
        String text = body(exchange);
        JsonNode snapshot = JSON.readTree(text);
        if (!snapshot.path("config").isObject() || !snapshot.path("state").isObject()) {
            json(exchange, 400, java.util.Map.of("error", "not a snapshot", "problems", List.of("config", "state")));
            return;
        }
        snapshotsPut.add(text);
        held = snapshot.path("config");
        state = snapshot.path("state");
        empty(exchange, 204);
    }

    private void config(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(authorization == null ? "" : authorization);
        if (exchange.getRequestMethod().equals("GET")) {
            JsonNode now = held;
            if (now == null) {
                empty(exchange, 404);
            } else {
                byte[] body = JSON.writeValueAsBytes(now);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            }
            return;
        }
        if (!exchange.getRequestMethod().equals("PUT")) {
            empty(exchange, 405);
            return;
        }
        JsonNode config = JSON.readTree(body(exchange));
        configs.add(config);
        held = config;
        empty(exchange, 204);
    }
}
