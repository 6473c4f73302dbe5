package io.isthmus.vnfm.fakes;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

/** A slowpath's config endpoint (contracts.md "VNF processes"): PUT /config → 204, remembered. */
public final class FakeSlowpath extends FakeHttpServer {

    private final List<JsonNode> configs = new CopyOnWriteArrayList<>();

    public FakeSlowpath() {
        server().createContext("/config", this::config);
        start();
    }

    public List<JsonNode> configs() {
        return List.copyOf(configs);
    }

    private void config(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("PUT")) {
            empty(exchange, 405);
            return;
        }
        configs.add(JSON.readTree(body(exchange)));
        empty(exchange, 204);
    }
}
