package io.isthmus.nfvo;

import static io.isthmus.nfvo.NfvoApiTest.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.isthmus.sol.testing.EtsiSchemas;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * NS LCM subscriptions from a hostile tenant's side: the callback test is no probe of the platform's network,
 * callbacks carry the subscription's SOL013 authentication, and its secrets never come back.
 */
@QuarkusTest
@QuarkusTestResource(value = FakePeers.class, restrictToAnnotatedClass = true)
class SubscriptionCallbacksTest {

    private static final String BANNER = "SSH-2.0-OpenSSH_9.6 internal-banner";

    /** One request the subscriber received. */
    record Received(String method, String path, String authorization, String body) {
    }

    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static HttpServer subscriber;

    @BeforeAll
    static void startSubscriber() throws IOException {
        subscriber = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        subscriber.createContext("/", SubscriptionCallbacksTest::receive);
        subscriber.start();
    }

    @AfterAll
    static void stopSubscriber() {
        subscriber.stop(0);
    }

    /** GET and POST → 204, but {@code /hostile} answers 500 with a banner. */
    private static void receive(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        RECEIVED.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                ex.getRequestHeaders().getFirst("Authorization"), body));
        if (ex.getRequestURI().getPath().equals("/hostile")) {
            byte[] bytes = BANNER.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(500, bytes.length);
            ex.getResponseBody().write(bytes);
        } else {
            ex.sendResponseHeaders(204, -1);
        }
        ex.close();
    }

    private static String subscriberUrl(String path) {
        return "http://127.0.0.1:" + subscriber.getAddress().getPort() + path;
    }

    private static Response subscribe(String token, Map<String, Object> request) {
        return as(token).contentType(ContentType.JSON).body(request).post("/nslcm/v2/subscriptions");
    }

    private static List<String> callbacksOf(String token) {
        return as(token).get("/nslcm/v2/subscriptions").then().statusCode(200).extract().path("callbackUri");
    }

    @Test
    void hostileOrForbiddenCallbacksAreRefusedWithoutAnOracleAndNotStored() {
        String alice = Tokens.user("alice");

        // a callback answering 500 with a banner: 422 that tells neither
        Response hostile = subscribe(alice, Map.of("callbackUri", subscriberUrl("/hostile")));
        hostile.then().statusCode(422).contentType("application/problem+json");
        EtsiSchemas.assertValid(hostile.asString(), NfvoApiTest.NSLCM, "ProblemDetails.schema.json");
        assertThat(hostile.<String>path("detail")).contains("refused").doesNotContain("500")
                .doesNotContain("SSH").doesNotContain(BANNER);

        // the metadata address and this NFVO's own port: not allowed by the policy, and never tried
        String metadata = "http://169.254.169.254/latest/meta-data/";
        String own = "http://127.0.0.1:" + RestAssured.port + "/nslcm/v2/ns_instances";
        for (String forbidden : List.of(metadata, own)) {
            Response refused = subscribe(alice, Map.of("callbackUri", forbidden));
            refused.then().statusCode(422);
            assertThat(refused.<String>path("detail")).contains("callback policy");
        }

        // credentials in the URI: 400
        String withCredentials = subscriberUrl("/creds").replace("http://", "http://user:pass@");
        subscribe(alice, Map.of("callbackUri", withCredentials)).then().statusCode(400)
                .contentType("application/problem+json");
        assertThat(RECEIVED).noneMatch(r -> r.path().equals("/creds"));

        assertThat(callbacksOf(alice)).doesNotContain(subscriberUrl("/hostile"), metadata, own, withCredentials);
    }

    @Test
    void basicAuthenticationGoesWithTheTestAndTheNotificationsAndIsNeverShown() {
        // Given alice subscribes with BASIC authentication
        String alice = Tokens.user("alice");
        String path = "/basic-" + UUID.randomUUID();
        Response created = subscribe(alice, Map.of("callbackUri", subscriberUrl(path),
                "filter", Map.of("operationTypes", List.of("INSTANTIATE")),
                "authentication", Map.of("authType", List.of("BASIC"), "paramsBasic",
                        Map.of("userName", "alice-listener", "password", "s3cret-basic"))));
        created.then().statusCode(201);
        String id = created.path("id");
        String expected = "Basic "
                + Base64.getEncoder().encodeToString("alice-listener:s3cret-basic".getBytes(StandardCharsets.UTF_8));
        try {
            // Then the test GET carried it, and the subscription never shows it
            assertThat(RECEIVED).filteredOn(r -> r.path().equals(path)).singleElement()
                    .satisfies(r -> assertThat(r.authorization()).isEqualTo(expected));
            for (String json : List.of(created.asString(), as(alice).get("/nslcm/v2/subscriptions/" + id).asString(),
                    as(alice).get("/nslcm/v2/subscriptions").asString())) {
                assertThat(json).doesNotContain("s3cret-basic").doesNotContain("authentication");
            }

            // When an NS is instantiated, then each of its notifications carries it too
            String nsId = NsLcmEngineTest.instantiatedNs(alice, "nat-gw-basic");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(RECEIVED)
                    .filteredOn(r -> r.path().equals(path) && r.method().equals("POST") && r.body().contains(nsId))
                    .hasSize(2).allSatisfy(r -> assertThat(r.authorization()).isEqualTo(expected)));
        } finally {
            as(alice).delete("/nslcm/v2/subscriptions/" + id).then().statusCode(204);
        }
    }
}
