package io.isthmus.e2e.bench.lifecycle;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.e2e.Platform;

/**
 * A SOL client as a tenant's or an operator's program would be: one {@link HttpClient} (HTTP/1.1, its pooled
 * connections), a bearer token of the realm fetched with the password grant and renewed every minute, the
 * {@code Version: 2.0.0} header, JSON bodies.
 */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final long TOKEN_TTL_NANOS = Duration.ofSeconds(60).toNanos();

    private final HttpClient http;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    private record Token(String value, long fetchedAt) {
    }

    /** An answer: status, body as JSON (null when empty), Location header (null when none). */
    record Answer(int status, JsonNode body, String location, String raw) {
        Answer expect(int expected, String what) {
            if (status != expected) {
                throw new IllegalStateException(what + ": HTTP " + status + " (expected " + expected + "): " + raw);
            }
            return this;
        }
    }

    Api() {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A user's access token (password = user name, as the realm's users are), renewed after a minute. */
    String token(String user) {
        Token t = tokens.get(user);
        if (t != null && System.nanoTime() - t.fetchedAt() < TOKEN_TTL_NANOS) {
            return t.value();
        }
        String form = "grant_type=password&client_id=isthmus-cli&username=" + enc(user) + "&password=" + enc(user);
        HttpRequest request = HttpRequest.newBuilder(URI.create(Platform.OIDC_URL + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        Answer answer = send(request).expect(200, "token of " + user);
        Token fresh = new Token(answer.body().path("access_token").asText(), System.nanoTime());
        tokens.put(user, fresh);
        return fresh.value();
    }

    Answer get(String user, String url) {
        return send(base(user, url).GET().build());
    }

    Answer delete(String user, String url) {
        return send(base(user, url).DELETE().build());
    }

    Answer post(String user, String url, Object body) {
        return send(base(user, url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body))).build());
    }

    Answer patch(String user, String url, Object body) {
        return send(base(user, url).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes(body))).build());
    }

    Answer send(String user, String method, String url, Object body) {
        return send(base(user, url).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body))).build());
    }

    Answer put(String user, String url, String contentType, byte[] body) {
        return send(base(user, url).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private HttpRequest.Builder base(String user, String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token(user)).header("Version", "2.0.0")
                .header("Accept", "application/json");
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String raw = response.body();
            JsonNode body = raw == null || raw.isBlank() ? null : parse(raw);
            return new Answer(response.statusCode(), body, response.headers().firstValue("Location").orElse(null),
                    raw);
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode parse(String raw) {
        try {
            return JSON.readTree(raw);
        } catch (IOException e) {
            return null; // not JSON (a problem page from a proxy, say): the raw text says it
        }
    }

    private static byte[] bytes(Object body) {
        try {
            return body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
