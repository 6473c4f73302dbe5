package io.isthmus.vim;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.isthmus.sol.testing.ClientSecrets;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Real bearer tokens from the isthmus realm of the running Keycloak; no auth is mocked. */
public final class Tokens {

    private static final String REALM = System.getenv().getOrDefault("ISTHMUS_OIDC_URL",
            "http://127.0.0.1:8180/realms/isthmus");
    private static final String TOKEN_ENDPOINT = REALM + "/protocol/openid-connect/token";
    /** Well inside the realm's access token lifespan. */
    private static final long REUSE_NANOS = 60_000_000_000L;
    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();

    private record Cached(String token, long fetchedAt) {
    }

    private Tokens() {
    }

    /** The NFVO's service account: realm role {@code service}. */
    public static String service() {
        return cached("service", () -> token(Map.of("grant_type", "client_credentials",
                "client_id", "isthmus-nfvo", "client_secret", ClientSecrets.nfvo())));
    }

    /** oscar: realm role {@code operator}. */
    public static String operator() {
        return cached("operator", () -> password("oscar"));
    }

    /** alice: realm role {@code tenant}, tenant acme. */
    public static String tenant() {
        return cached("tenant", () -> password("alice"));
    }

    private static String cached(String who, Supplier<String> fetch) {
        return CACHE.compute(who, (k, old) -> old != null && System.nanoTime() - old.fetchedAt() < REUSE_NANOS
                ? old
                : new Cached(fetch.get(), System.nanoTime())).token();
    }

    private static String password(String user) {
        return token(Map.of("grant_type", "password", "client_id", "isthmus-cli", "username", user,
                "password", user));
    }

    private static String token(Map<String, String> form) {
        Response response = given().contentType(ContentType.URLENC).formParams(form).post(TOKEN_ENDPOINT);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Keycloak at " + TOKEN_ENDPOINT + " gave no token for " + form.get(
                    "client_id") + ": " + response.statusCode() + " " + response.asString());
        }
        return response.path("access_token");
    }
}
