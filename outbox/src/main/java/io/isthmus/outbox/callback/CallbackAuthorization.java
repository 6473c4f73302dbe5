package io.isthmus.outbox.callback;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.outbox.OutboxConfig;
import io.isthmus.sol.model.SubscriptionAuthentication;
import io.isthmus.sol.model.SubscriptionAuthentication.ParamsBasic;
import io.isthmus.sol.model.SubscriptionAuthentication.ParamsOauth2ClientCredentials;
import io.isthmus.sol.problem.InvalidRequestException;

/**
 * SOL013 subscription authentication of the requests to a subscriber's callback: HTTP Basic, or an OAuth 2.0 bearer
 * token that the subscriber's token endpoint grants for its client credentials (RFC 6749 clause 4.4), kept until 30 s
 * before it expires. The token endpoint is held to the callback policy like the callback itself.
 */
@ApplicationScoped
public class CallbackAuthorization {

    private static final Duration EXPIRY_SKEW = Duration.ofSeconds(30);
    private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(1);
    /** RFC 6750 clause 2.1: what a bearer token may be (nothing that could end a header line). */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    private record Client(String tokenEndpoint, String clientId, String clientPassword) {

        @Override
        public String toString() {
            return "Client[" + tokenEndpoint + ", " + clientId + "]";
        }
    }

    private record Token(String value, Instant expires) {
    }

    private final CallbackPolicy policy;
    private final CallbackHttp http;
    private final OutboxConfig config;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Client, Token> tokens = new ConcurrentHashMap<>();

    public CallbackAuthorization(CallbackPolicy policy, OutboxConfig config, Clock clock, CallbackHttp http) {
        this.policy = policy;
        this.config = config;
        this.clock = clock;
        this.http = http;
    }

    /**
     * Refuses (400) an {@code authentication} that names an unknown or unsupported type or lacks the parameters of one
     * it names, and (422) a token endpoint the callback policy does not allow.
     */
    public void validate(SubscriptionAuthentication authentication) {
        if (authentication == null) {
            return;
        }
        List<String> types = authentication.authType();
        if (types == null || types.isEmpty()) {
            throw new InvalidRequestException("authentication.authType is required");
        }
        for (String type : types) {
            switch (type) {
                case SubscriptionAuthentication.BASIC -> {
                    ParamsBasic basic = authentication.paramsBasic();
                    if (basic == null || blank(basic.userName()) || basic.password() == null) {
                        throw new InvalidRequestException(
                                "authentication.paramsBasic with userName and password is required for BASIC");
                    }
                }
                case SubscriptionAuthentication.OAUTH2_CLIENT_CREDENTIALS -> {
                    ParamsOauth2ClientCredentials oauth = authentication.paramsOauth2ClientCredentials();
                    if (oauth == null || blank(oauth.clientId()) || oauth.clientPassword() == null
                            || blank(oauth.tokenEndpoint())) {
                        throw new InvalidRequestException("authentication.paramsOauth2ClientCredentials with clientId, "
                                + "clientPassword and tokenEndpoint is required for OAUTH2_CLIENT_CREDENTIALS");
                    }
                    URI endpoint = policy.validUri(oauth.tokenEndpoint(),
                            "authentication.paramsOauth2ClientCredentials.tokenEndpoint");
                    policy.check(endpoint, "token endpoint");
                }
                default -> throw new InvalidRequestException("authentication.authType " + type
                        + " is not supported; this API producer supports BASIC and OAUTH2_CLIENT_CREDENTIALS");
            }
        }
    }

    /**
     * The {@code Authorization} header of a request to the callback, none without authentication. The first type the
     * subscriber listed is used. A token that cannot be had is {@link CallbackRefusedException}.
     */
    public Optional<String> header(SubscriptionAuthentication authentication) {
        if (authentication == null || authentication.authType() == null || authentication.authType().isEmpty()) {
            return Optional.empty();
        }
        return switch (authentication.authType().getFirst()) {
            case SubscriptionAuthentication.BASIC -> Optional.of(basic(authentication.paramsBasic().userName(),
                    authentication.paramsBasic().password()));
            case SubscriptionAuthentication.OAUTH2_CLIENT_CREDENTIALS -> {
                ParamsOauth2ClientCredentials p = authentication.paramsOauth2ClientCredentials();
                yield Optional.of("Bearer " + token(new Client(p.tokenEndpoint(), p.clientId(), p.clientPassword())));
            }
            default -> Optional.empty();
        };
    }

    private String token(Client client) {
        Instant now = clock.instant();
        Token cached = tokens.get(client);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.value();
        }
        Token fresh = grant(client, now);
        tokens.put(client, fresh);
        return fresh.value();
    }

    /** RFC 6749 clause 4.4.2, the client authenticating with HTTP Basic (clause 2.3.1). */
    private Token grant(Client client, Instant now) {
        URI endpoint = URI.create(client.tokenEndpoint());
        policy.check(endpoint, "token endpoint");
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(config.responseTimeout())
                .header("Authorization", basic(form(client.clientId()), form(client.clientPassword())))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new CallbackRefusedException();
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw new CallbackRefusedException();
        }
        String token = body.path("access_token").asText("");
        if (!B64TOKEN.matcher(token).matches()) {
            throw new CallbackRefusedException();
        }
        Duration lifetime = body.hasNonNull("expires_in")
                ? Duration.ofSeconds(body.get("expires_in").asLong())
                : DEFAULT_LIFETIME;
        return new Token(token, now.plus(lifetime).minus(EXPIRY_SKEW));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
