package io.isthmus.vnfm.api;

import static io.isthmus.sol.testing.EtsiSchemas.assertValid;
import static io.isthmus.vnfm.support.Sol003.LCM_API;
import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.fakes.FakeSubscriber;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * Subscriptions from a hostile client's side: the callback test is no probe of the platform's network, callbacks
 * carry the subscription's SOL013 authentication, and its secrets never come back.
 */
@QuarkusTest
@WithTestResource(FakePeers.class)
class SubscriptionCallbacksTest {

    private static final FakeSubscriber SUBSCRIBER = new FakeSubscriber();

    @Inject
    EntityManager entities;
    /** The realm's sol-client stands for the subscriber's own OAuth 2.0 client. */
    private static final String SOL_CLIENT_SECRET = System.getenv()
            .getOrDefault("ISTHMUS_SOL_CLIENT_SECRET", "sol-client-secret");

    @AfterAll
    static void stop() {
        SUBSCRIBER.close();
    }

    private static Response subscribe(Map<String, Object> request) {
        return as(Tokens.service()).body(request).post(ROOT + "/subscriptions");
    }

    private static List<String> subscribedCallbacks() {
        return as(Tokens.service()).get(ROOT + "/subscriptions").then().statusCode(200).extract().path("callbackUri");
    }

    @Test
    void callbackAnswering500WithABodyIs422ThatTellsNeitherTheStatusNorTheBody() {
        // When a subscriber names a callback that answers the test GET 500 with a banner
        Response response = subscribe(Map.of("callbackUri", SUBSCRIBER.hostileUri()));

        // Then it is refused, and the detail says only that
        response.then().statusCode(422).contentType("application/problem+json");
        assertValid(response.asString(), LCM_API, "ProblemDetails.schema.json");
        String detail = response.path("detail");
        assertThat(detail).contains("refused").doesNotContain("500").doesNotContain("SSH")
                .doesNotContain(FakeSubscriber.HOSTILE_BODY).doesNotContain("127.0.0.1");
        assertThat(subscribedCallbacks()).doesNotContain(SUBSCRIBER.hostileUri());
    }

    @Test
    void callbackToTheMetadataAddressIsRefusedUntestedAndNotStored() {
        String metadata = "http://169.254.169.254/latest/meta-data/";

        Response response = subscribe(Map.of("callbackUri", metadata));

        response.then().statusCode(422).contentType("application/problem+json");
        assertThat(response.<String>path("detail")).contains("not allow").contains("callback policy");
        assertThat(subscribedCallbacks()).doesNotContain(metadata);
    }

    @Test
    void callbackToThisServicesOwnPortIsRefused() {
        String own = "http://127.0.0.1:" + RestAssured.port + "/vnflcm/v2/vnf_instances";
        String ownByName = "http://localhost:" + RestAssured.port + "/q/health";

        subscribe(Map.of("callbackUri", own)).then().statusCode(422);
        subscribe(Map.of("callbackUri", ownByName)).then().statusCode(422);

        assertThat(subscribedCallbacks()).doesNotContain(own, ownByName);
    }

    @Test
    void credentialsInTheCallbackUriAre400() {
        String withCredentials = SUBSCRIBER.url().replace("http://", "http://user:pass@") + "/callbacks/creds";

        Response response = subscribe(Map.of("callbackUri", withCredentials));

        response.then().statusCode(400).contentType("application/problem+json");
        assertThat(response.<String>path("detail")).contains("credentials in the callbackUri are refused")
                .doesNotContain("pass");
        assertThat(SUBSCRIBER.to("/callbacks/creds")).isEmpty();
        assertThat(subscribedCallbacks()).doesNotContain(withCredentials);
    }

    @Test
    void authenticationOfAnUnknownTypeOrWithoutItsParametersIs400() {
        String callback = SUBSCRIBER.callbackUri("bad-auth-" + UUID.randomUUID());

        subscribe(Map.of("callbackUri", callback, "authentication", Map.of("authType", List.of("TLS_CERT"))))
                .then().statusCode(400);
        subscribe(Map.of("callbackUri", callback, "authentication", Map.of("authType", List.of("BASIC"))))
                .then().statusCode(400);
        subscribe(Map.of("callbackUri", callback, "authentication",
                Map.of("authType", List.of("OAUTH2_CLIENT_CREDENTIALS"), "paramsOauth2ClientCredentials",
                        Map.of("clientId", "c", "clientPassword", "p", "tokenEndpoint",
                                "http://169.254.169.254/token"))))
                .then().statusCode(422);
        assertThat(subscribedCallbacks()).doesNotContain(callback);
    }

    @Test
    void basicAuthenticationGoesWithTheTestAndEveryNotificationAndIsNeverShown() {
        // Given a subscription with BASIC authentication
        String path = "/callbacks/basic-" + UUID.randomUUID();
        String callback = SUBSCRIBER.url() + path;
        Response created = subscribe(Map.of("callbackUri", callback,
                "filter", Map.of("operationTypes", List.of("INSTANTIATE"), "operationStates", List.of("STARTING")),
                "authentication", Map.of("authType", List.of("BASIC"), "paramsBasic",
                        Map.of("userName", "nfvo-listener", "password", "s3cret-basic"))));
        created.then().statusCode(201);
        String id = created.path("id");
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString("nfvo-listener:s3cret-basic".getBytes(StandardCharsets.UTF_8));
        try {
            // Then the test GET carried it
            assertThat(SUBSCRIBER.to(path)).singleElement().satisfies(r -> {
                assertThat(r.method()).isEqualTo("GET");
                assertThat(r.authorization()).isEqualTo(expected);
            });
            // and the subscription, read or listed, shows neither the authentication nor its password
            assertNoSecrets(created.asString(), "s3cret-basic");
            assertNoSecrets(as(Tokens.service()).get(ROOT + "/subscriptions/" + id).asString(), "s3cret-basic");
            assertNoSecrets(as(Tokens.service()).get(ROOT + "/subscriptions").asString(), "s3cret-basic");
            // and the database holds the password sealed (the test profile sets isthmus.callbacks.secrets-key)
            String stored = QuarkusTransaction.requiringNew().call(() -> (String) entities
                    .createNativeQuery("select authentication::text from lccn_subscription where id = ?1")
                    .setParameter(1, id).getSingleResult());
            assertThat(stored).contains("nfvo-listener").contains("aesgcm:").doesNotContain("s3cret-basic");

            // When an operation starts, then its notification carries it too
            Sol003.instantiate(Tokens.service(), Sol003.createNat(Tokens.service(), "acme"), "203.0.113.60");
            await().atMost(20, SECONDS).untilAsserted(() -> assertThat(SUBSCRIBER.to(path))
                    .filteredOn(r -> r.method().equals("POST")).singleElement()
                    .satisfies(r -> assertThat(r.authorization()).isEqualTo(expected)));
        } finally {
            as(Tokens.service()).delete(ROOT + "/subscriptions/" + id).then().statusCode(204);
        }
    }

    @Test
    void oauth2ClientCredentialsBringABearerTokenOfTheTokenEndpointToTestAndNotification() {
        // Given a subscription whose subscriber accepts tokens of the realm's sol-client
        String tokenEndpoint = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class)
                + "/protocol/openid-connect/token";
        String path = "/callbacks/oauth2-" + UUID.randomUUID();
        Response created = subscribe(Map.of("callbackUri", SUBSCRIBER.url() + path,
                "filter", Map.of("operationTypes", List.of("INSTANTIATE"), "operationStates", List.of("STARTING")),
                "authentication", Map.of("authType", List.of("OAUTH2_CLIENT_CREDENTIALS"),
                        "paramsOauth2ClientCredentials", Map.of("clientId", "sol-client", "clientPassword",
                                SOL_CLIENT_SECRET, "tokenEndpoint", tokenEndpoint))));
        created.then().statusCode(201);
        String id = created.path("id");
        try {
            // Then the test GET carried a JWT of the realm
            assertThat(SUBSCRIBER.to(path)).singleElement()
                    .satisfies(r -> assertThat(r.authorization()).satisfies(SubscriptionCallbacksTest::isSolClientJwt));
            assertNoSecrets(as(Tokens.service()).get(ROOT + "/subscriptions/" + id).asString(), SOL_CLIENT_SECRET);

            // and so does the notification of an operation
            Sol003.instantiate(Tokens.service(), Sol003.createNat(Tokens.service(), "acme"), "203.0.113.61");
            await().atMost(20, SECONDS).untilAsserted(() -> assertThat(SUBSCRIBER.to(path))
                    .filteredOn(r -> r.method().equals("POST")).singleElement()
                    .satisfies(
                            r -> assertThat(r.authorization()).satisfies(SubscriptionCallbacksTest::isSolClientJwt)));
        } finally {
            as(Tokens.service()).delete(ROOT + "/subscriptions/" + id).then().statusCode(204);
        }
    }

    /** A bearer JWT the realm issued to sol-client (its {@code azp}). */
    private static void isSolClientJwt(String authorization) {
        assertThat(authorization).matches("Bearer [\\w-]+\\.[\\w-]+\\.[\\w-]+");
        String claims = new String(Base64.getUrlDecoder().decode(authorization.split("\\.")[1]),
                StandardCharsets.UTF_8);
        assertThat(claims).contains("\"azp\":\"sol-client\"");
    }

    private static void assertNoSecrets(String json, String password) {
        assertThat(json).doesNotContain(password).doesNotContain("authentication").doesNotContain("paramsBasic")
                .doesNotContain("paramsOauth2ClientCredentials");
    }
}
