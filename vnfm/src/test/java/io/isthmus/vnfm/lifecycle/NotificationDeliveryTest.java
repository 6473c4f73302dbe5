package io.isthmus.vnfm.lifecycle;

import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.isthmus.outbox.persistence.OutboxMessage;
import io.isthmus.outbox.persistence.OutboxRepository;
import io.isthmus.outbox.persistence.OutboxStatus;
import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The outbox's side of notifications: bounded redelivery, then a dead-letter record; others unaffected. */
@QuarkusTest
@WithTestResource(FakePeers.class)
class NotificationDeliveryTest {

    @Inject
    OutboxRepository outbox;

    @Test
    void notificationToABrokenSubscriberEndsDeadAfterBoundedAttemptsWhileOthersAreDelivered() {
        // Given a subscriber that answers every notification 500, and a healthy one
        String broken = as(Tokens.service()).body(Map.of("callbackUri", FakePeers.sink().callbackUri("broken"),
                "filter", Map.of("operationTypes", List.of("INSTANTIATE"), "operationStates", List.of("STARTING"))))
                .post(ROOT + "/subscriptions").then().statusCode(201).extract().path("id");
        String healthy = as(Tokens.service()).body(Map.of("callbackUri", FakePeers.sink().callbackUri("healthy")))
                .post(ROOT + "/subscriptions").then().statusCode(201).extract().path("id");
        try {
            // When an operation starts
            String id = Sol003.createNat(Tokens.service(), "acme");
            String opId = Sol003.instantiate(Tokens.service(), id, "203.0.113.40");

            // Then the broken subscriber's notification is DEAD after 1 + 2 redeliveries (test profile), with why
            await().atMost(20, SECONDS).untilAsserted(() -> assertThat(rowsOf(broken))
                    .singleElement().satisfies(n -> {
                        assertThat(n.status()).isEqualTo(OutboxStatus.DEAD);
                        assertThat(n.attempts()).isEqualTo(3);
                        assertThat(n.lastError()).contains("500");
                    }));
            assertThat(FakePeers.sink().refused()).containsOnly(rowsOf(broken).getFirst().id()).hasSize(3);

            // and the healthy one (no filter) heard of the instance's creation and every state, each delivered once
            await().atMost(20, SECONDS).untilAsserted(() -> assertThat(rowsOf(healthy))
                    .extracting(OutboxMessage::status)
                    .containsExactly(OutboxStatus.DELIVERED, OutboxStatus.DELIVERED, OutboxStatus.DELIVERED,
                            OutboxStatus.DELIVERED));
            assertThat(FakePeers.sink().forOperation(opId))
                    .filteredOn(d -> d.path().equals("/callbacks/healthy")).hasSize(3);
        } finally {
            as(Tokens.service()).delete(ROOT + "/subscriptions/" + broken);
            as(Tokens.service()).delete(ROOT + "/subscriptions/" + healthy);
        }
    }

    @Test
    void tenantsSubscriptionHearsOnlyOfItsOwnInstances() {
        // Given alice (tenant acme) subscribes, and so does the platform
        String alices = as(Tokens.alice()).body(Map.of("callbackUri", FakePeers.sink().callbackUri("alice")))
                .post(ROOT + "/subscriptions").then().statusCode(201).extract().path("id");
        String platforms = as(Tokens.service()).body(Map.of("callbackUri", FakePeers.sink().callbackUri("platform")))
                .post(ROOT + "/subscriptions").then().statusCode(201).extract().path("id");
        try {
            // When a globex instance and then an acme instance are instantiated
            String globexOp = Sol003.instantiate(Tokens.service(), Sol003.createNat(Tokens.service(), "globex"),
                    "203.0.113.41");
            String acmeOp = Sol003.instantiate(Tokens.service(), Sol003.createNat(Tokens.service(), "acme"),
                    "203.0.113.42");

            // Then the platform hears of both, alice of acme's only
            await().atMost(20, SECONDS).untilAsserted(() -> assertThat(FakePeers.sink().forOperation(acmeOp))
                    .filteredOn(d -> d.path().equals("/callbacks/alice")).hasSize(3));
            await().atMost(20, SECONDS).untilAsserted(() -> assertThat(FakePeers.sink().forOperation(globexOp))
                    .filteredOn(d -> d.path().equals("/callbacks/platform")).hasSize(3));
            assertThat(FakePeers.sink().forOperation(globexOp)).noneMatch(d -> d.path().equals("/callbacks/alice"));
        } finally {
            as(Tokens.alice()).delete(ROOT + "/subscriptions/" + alices);
            as(Tokens.service()).delete(ROOT + "/subscriptions/" + platforms);
        }
    }

    private List<OutboxMessage> rowsOf(String subscriptionId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> outbox.list("subscriptionId = ?1 order by seq", subscriptionId));
    }
}
