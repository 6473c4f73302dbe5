package io.isthmus.vnfm.lifecycle;

import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.isthmus.outbox.persistence.OutboxMessage;
import io.isthmus.outbox.persistence.OutboxRepository;
import io.isthmus.outbox.persistence.OutboxStatus;
import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.fakes.FakeSubscriber;
import io.isthmus.vnfm.persistence.LccnSubscriptionEntity;
import io.isthmus.vnfm.persistence.LccnSubscriptionRepository;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The outbox holds each notification to the callback policy and to its callback URI as written. */
@QuarkusTest
@WithTestResource(FakePeers.class)
class CallbackDeliveryPolicyTest {

    private static final FakeSubscriber SUBSCRIBER = new FakeSubscriber();
    private static final LccnSubscriptionRequest.Filter STARTING = new LccnSubscriptionRequest.Filter(null,
            List.of("INSTANTIATE"), List.of("STARTING"));

    @Inject
    LccnSubscriptionRepository subscriptions;
    @Inject
    OutboxRepository outbox;

    @AfterAll
    static void stop() {
        SUBSCRIBER.close();
    }

    @Test
    void aNotificationToADestinationThePolicyNowRefusesIsDeadAtOnceAndNeverSent() {
        // Given a subscription whose callback points where the policy refuses (as if DNS had changed since)
        String id = UUID.randomUUID().toString();
        QuarkusTransaction.requiringNew().run(() -> subscriptions.persist(new LccnSubscriptionEntity(id,
                "http://169.254.169.254/latest/meta-data/", STARTING, null, null, Instant.now())));
        try {
            // When an operation starts
            Sol003.instantiate(Tokens.service(), Sol003.createNat(Tokens.service(), "acme"), "203.0.113.62");

            // Then its notification is DEAD after one attempt, saying why
            await().atMost(20, SECONDS).untilAsserted(() -> assertThat(rowsOf(id)).singleElement().satisfies(n -> {
                assertThat(n.status()).isEqualTo(OutboxStatus.DEAD);
                assertThat(n.attempts()).isEqualTo(1);
                assertThat(n.lastError()).isEqualTo("destination not allowed by the callback policy");
            }));
        } finally {
            as(Tokens.service()).delete(ROOT + "/subscriptions/" + id).then().statusCode(204);
        }
    }

    @Test
    void theQueryOfACallbackUriIsSentAsItsQueryAndSetsNoOptionOfTheHttpClient() {
        // Given a callback whose query names options of Camel's HTTP endpoint
        String path = "/callbacks/query-" + UUID.randomUUID();
        String query = "followRedirects=true&throwExceptionOnFailure=false&x=1";
        String id = as(Tokens.service()).body(Map.of("callbackUri", SUBSCRIBER.url() + path + "?" + query, "filter",
                Map.of("operationTypes", List.of("INSTANTIATE"), "operationStates", List.of("STARTING"))))
                .post(ROOT + "/subscriptions").then().statusCode(201).extract().path("id");
        try {
            // When an operation starts, then the notification arrives with that query, as a query
            Sol003.instantiate(Tokens.service(), Sol003.createNat(Tokens.service(), "acme"), "203.0.113.63");
            await().atMost(20, SECONDS).untilAsserted(() -> assertThat(SUBSCRIBER.to(path))
                    .filteredOn(r -> r.method().equals("POST")).singleElement()
                    .satisfies(r -> assertThat(r.query()).isEqualTo(query)));
        } finally {
            as(Tokens.service()).delete(ROOT + "/subscriptions/" + id).then().statusCode(204);
        }
    }

    private List<OutboxMessage> rowsOf(String subscriptionId) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.list("subscriptionId", subscriptionId));
    }
}
