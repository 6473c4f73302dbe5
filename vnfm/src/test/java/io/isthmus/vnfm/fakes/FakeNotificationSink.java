package io.isthmus.vnfm.fakes;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * A subscriber's callback endpoint: POST → 204 and remembered, GET (reachability test) → 204. Callbacks under
 * {@code /callbacks/broken} pass the test but answer every notification 500 (their attempts are counted).
 */
public final class FakeNotificationSink extends FakeHttpServer {

    /** One notification as delivered: its path, headers of interest, raw and parsed body. */
    public record Delivery(String path, String contentType, String version, String raw, JsonNode body) {
    }

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    public FakeNotificationSink() {
        server().createContext("/", this::receive);
        start();
    }

    /** The callback URI of one subscriber of this sink. */
    public String callbackUri(String name) {
        return url() + "/callbacks/" + name;
    }

    public List<Delivery> forOperation(String vnfLcmOpOccId) {
        return deliveries.stream().filter(d -> vnfLcmOpOccId.equals(d.body().path("vnfLcmOpOccId").asText()))
                .toList();
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Notification ids a broken callback refused, once per attempt. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    private void receive(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("POST") && exchange.getRequestURI().getPath()
                .startsWith("/callbacks/broken")) {
            refused.add(JSON.readTree(body(exchange)).path("id").asText());
            empty(exchange, 500);
            return;
        }
        if (exchange.getRequestMethod().equals("POST")) {
            String raw = body(exchange);
            deliveries.add(new Delivery(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Version"), raw, JSON.readTree(raw)));
        }
        empty(exchange, 204);
    }
}
