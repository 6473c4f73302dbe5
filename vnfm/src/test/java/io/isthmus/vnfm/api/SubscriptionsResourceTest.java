package io.isthmus.vnfm.api;

import static io.isthmus.sol.testing.EtsiSchemas.assertEachValid;
import static io.isthmus.sol.testing.EtsiSchemas.assertValid;
import static io.isthmus.vnfm.support.Sol003.LCM_API;
import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(FakePeers.class)
class SubscriptionsResourceTest {

    private static Map<String, Object> request(String callbackUri) {
        return Map.of("callbackUri", callbackUri, "filter",
                Map.of("notificationTypes", List.of("VnfLcmOperationOccurrenceNotification")));
    }

    @Test
    void subscriptionIsCreatedReadListedAndDeleted() {
        String callback = FakePeers.sink().callbackUri("sub-" + UUID.randomUUID());

        // When the nfvo subscribes
        Response created = as(Tokens.service()).body(request(callback)).post(ROOT + "/subscriptions");

        // Then it is created, where Location says
        created.then().statusCode(201);
        String id = created.path("id");
        assertThat(created.header("Location")).endsWith(ROOT + "/subscriptions/" + id);
        assertThat(created.<String>path("callbackUri")).isEqualTo(callback);
        assertValid(created.asString(), LCM_API, "LccnSubscription.schema.json");

        // and read and listed
        Response one = as(Tokens.service()).get(ROOT + "/subscriptions/" + id);
        one.then().statusCode(200);
        assertValid(one.asString(), LCM_API, "LccnSubscription.schema.json");
        Response all = as(Tokens.service()).get(ROOT + "/subscriptions");
        assertThat(all.<List<String>>path("id")).contains(id);
        assertEachValid(all.asString(), LCM_API, "LccnSubscription.schema.json");

        // When it is deleted, then it is gone
        as(Tokens.service()).delete(ROOT + "/subscriptions/" + id).then().statusCode(204);
        as(Tokens.service()).get(ROOT + "/subscriptions/" + id).then().statusCode(404);
    }

    @Test
    void subscribingTheSameCallbackAgainIs303ToTheExistingSubscription() {
        // Given a subscription
        String callback = FakePeers.sink().callbackUri("again-" + UUID.randomUUID());
        String id = as(Tokens.service()).body(request(callback)).post(ROOT + "/subscriptions").then().statusCode(201)
                .extract().path("id");

        // When the same subscriber subscribes the same callback URI again (the nfvo restarted)
        Response again = as(Tokens.service()).body(request(callback)).post(ROOT + "/subscriptions");

        // Then SOL003's 303 See Other points at the existing one, and there is still one
        again.then().statusCode(303);
        assertThat(again.header("Location")).endsWith(ROOT + "/subscriptions/" + id);
        assertThat(as(Tokens.service()).get(ROOT + "/subscriptions").then().extract()
                .<List<String>>path("callbackUri")).containsOnlyOnce(callback);
        as(Tokens.service()).delete(ROOT + "/subscriptions/" + id).then().statusCode(204);
    }

    @Test
    void tenantCannotSeeTheServicesSubscription() {
        String id = as(Tokens.service()).body(request(FakePeers.sink().callbackUri("svc-" + UUID.randomUUID())))
                .post(ROOT + "/subscriptions").then().statusCode(201).extract().path("id");

        as(Tokens.alice()).get(ROOT + "/subscriptions/" + id).then().statusCode(404);
        as(Tokens.alice()).delete(ROOT + "/subscriptions/" + id).then().statusCode(404);
        as(Tokens.service()).delete(ROOT + "/subscriptions/" + id).then().statusCode(204);
    }

    @Test
    void subscriptionToACallbackThatDoesNotAnswerIs422() throws IOException {
        // Given a callback URI nobody listens on
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        // When it is subscribed, then the reachability test (GET → 204) fails it
        Response response = as(Tokens.service()).body(request("http://127.0.0.1:" + closedPort + "/callbacks/x"))
                .post(ROOT + "/subscriptions");
        response.then().statusCode(422).contentType("application/problem+json");
        assertValid(response.asString(), LCM_API, "ProblemDetails.schema.json");
    }

    @Test
    void subscriptionWithoutAnAbsoluteCallbackUriIs400() {
        as(Tokens.service()).body(Map.of("callbackUri", "not a uri")).post(ROOT + "/subscriptions").then()
                .statusCode(400).contentType("application/problem+json");
        as(Tokens.service()).body(Map.of()).post(ROOT + "/subscriptions").then().statusCode(400);
    }
}
