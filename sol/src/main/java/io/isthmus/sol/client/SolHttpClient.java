package io.isthmus.sol.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.api.SolApiVersions;

/** A small JSON client for one peer component: bearer token, SOL013 Version header, typed bodies. */
public final class SolHttpClient {

    private final HttpClient http;
    private final ObjectMapper json;
    private final String baseUrl;
    private final ServiceTokens tokens;

    public SolHttpClient(HttpClient http, ObjectMapper json, String baseUrl, ServiceTokens tokens) {
        this.http = http;
        this.json = json;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tokens = tokens;
    }

    public record Reply<T>(int status, T body, Optional<String> location) {
    }

    public <T> Reply<T> post(String path, Object body, Class<T> type) {
        return send("POST", path, body, type);
    }

    public <T> Reply<T> get(String path, Class<T> type) {
        return send("GET", path, null, type);
    }

    public <T> Reply<T> delete(String path, Class<T> type) {
        return send("DELETE", path, null, type);
    }

    public <T> Reply<T> send(String method, String path, Object body, Class<T> type) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + tokens.bearer())
                .header("Accept", "application/json");
        SolApiVersions.versionOf(path).ifPresent(v -> builder.header(SolApiVersions.HEADER, v));
        try {
            if (body != null) {
                builder.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            } else {
                builder.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 400) {
                throw new RemoteCallException(method + " " + baseUrl + path + " answered " + status + ": "
                        + response.body(), status, response.body());
            }
            T parsed = type == Void.class || response.body().isEmpty() ? null : json.readValue(response.body(), type);
            return new Reply<>(status, parsed, response.headers().firstValue("Location"));
        } catch (JsonProcessingException e) {
            throw new RemoteCallException("unreadable reply from " + baseUrl + path + ": " + e.getOriginalMessage(),
                    502, null);
        } catch (IOException e) {
            throw new RemoteCallException(method + " " + baseUrl + path + " unreachable: " + e, 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteCallException("interrupted", 0, null);
        }
    }
}
