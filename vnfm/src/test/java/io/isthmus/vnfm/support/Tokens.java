package io.isthmus.vnfm.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.testing.ClientSecrets;

/**
 * Real access tokens from the realm the lead's Keycloak serves (deploy/keycloak/isthmus-realm.json), cached for the
 * test run (they live 15 minutes).
 */
public final class Tokens {

    private static final String REALM = System.getenv().getOrDefault("ISTHMUS_OIDC_URL",
            "http://127.0.0.1:8180/realms/isthmus");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Tokens() {
    }

    /** The nfvo's service account: role service. */
    public static String service() {
        return CACHE.computeIfAbsent("nfvo", k -> token(Map.of("grant_type", "client_credentials", "client_id",
                "isthmus-nfvo", "client_secret", ClientSecrets.nfvo())));
    }

    /** alice: role tenant, tenant acme. */
    public static String alice() {
        return user("alice");
    }

    /** bob: role tenant, tenant globex. */
    public static String bob() {
        return user("bob");
    }

    /** oscar: role operator, no tenant. */
    public static String oscar() {
        return user("oscar");
    }

    private static String user(String name) {
        return CACHE.computeIfAbsent(name, k -> token(Map.of("grant_type", "password", "client_id", "isthmus-cli",
                "username", name, "password", name)));
    }

    private static String token(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(REALM + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token for " + form.get("client_id") + "/"
                        + form.getOrDefault("username", "-") + ": " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak unreachable at " + REALM, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
