package io.isthmus.sol.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Bearer tokens for the platform's own calls (nfvo → vnfm, vnfm → nfvo, → vim): OAuth 2.0 client credentials against
 * the realm, as SOL013 clause 8 recommends, cached until shortly before they expire.
 */
public final class ServiceTokens {

    private static final Duration EARLY = Duration.ofSeconds(30);

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final Clock clock;
    private String token;
    private Instant expires = Instant.MIN;

    public ServiceTokens(HttpClient http, ObjectMapper json, String realmUrl, String clientId, String clientSecret,
            Clock clock) {
        this.http = http;
        this.json = json;
        this.tokenEndpoint = URI.create(realmUrl + "/protocol/openid-connect/token");
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
    }

    public synchronized String bearer() {
        if (token == null || clock.instant().isAfter(expires.minus(EARLY))) {
            refresh();
        }
        return token;
    }

    private void refresh() {
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret="
                + enc(clientSecret);
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new RemoteCallException("token endpoint answered " + response.statusCode(), response.statusCode(),
                        response.body());
            }
            JsonNode body = json.readTree(response.body());
            token = body.path("access_token").asText();
            expires = clock.instant().plusSeconds(body.path("expires_in").asLong(60));
        } catch (IOException e) {
            throw new RemoteCallException("token endpoint unreachable: " + e.getMessage(), 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteCallException("interrupted", 0, null);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
