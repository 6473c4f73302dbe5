package io.isthmus.vnfm.fakes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;

/**
 * A subscriber that remembers every request to it with its {@code Authorization} header: GET → 204, POST → 204, but
 * anything under {@code /hostile} answers 500 with a body that must never reach the subscriber's API caller.
 */
public final class FakeSubscriber extends FakeHttpServer {

    /** What the hostile path answers. */
    public static final String HOSTILE_BODY = "SSH-2.0-OpenSSH_9.6 internal-banner";

    /** One request as received. */
    public record Request(String method, String path, String query, String authorization, String body) {
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeSubscriber() {
        server().createContext("/", this::receive);
        start();
    }

    public String callbackUri(String name) {
        return url() + "/callbacks/" + name;
    }

    public String hostileUri() {
        return url() + "/hostile";
    }

    public List<Request> to(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void receive(HttpExchange exchange) throws IOException {
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                body(exchange)));
        if (exchange.getRequestURI().getPath().startsWith("/hostile")) {
            byte[] bytes = HOSTILE_BODY.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
            return;
        }
        empty(exchange, 204);
    }
}
