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

    public FakeSlowpath() {
        server().createContext("/config", this::config);
        // every fastpath quiet for long: a drain ends at once
        server().createContext("/stats", ex -> json(ex, 200, java.util.Map.of("fastpaths", java.util.List.of())));
        server().createContext("/fastpaths/", ex -> empty(ex, 204));
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
