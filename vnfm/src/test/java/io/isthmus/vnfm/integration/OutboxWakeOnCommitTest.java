package io.isthmus.vnfm.integration;

import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The outbox sends what a transaction wrote once it commits, without waiting for its poll. */
@QuarkusTest
@WithTestResource(FakePeers.class)
@TestProfile(OutboxWakeOnCommitTest.HourlyPoll.class)
class OutboxWakeOnCommitTest {

    /** The outbox polls once an hour: only the wake-up on commit can deliver within the test. */
    public static class HourlyPoll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("isthmus.outbox.poll-interval", "PT1H");
        }
    }

    @Test
    void notificationsLeaveWhenTheirTransactionCommitsNotAtThePoll() {
        // Given a subscriber, and an outbox that polls once an hour
        String subscription = as(Tokens.service())
                .body(Map.of("callbackUri", FakePeers.sink().callbackUri("on-commit")))
                .post(ROOT + "/subscriptions").then().statusCode(201).extract().path("id");
        try {
            // When an operation runs through its states
            String opId = Sol003.instantiate(Tokens.service(), Sol003.createNat(Tokens.service(), "acme"),
                    "203.0.113.43");

            // Then the subscriber hears of each state within seconds, in order
            await().atMost(15, SECONDS).untilAsserted(() -> assertThat(FakePeers.sink().forOperation(opId))
                    .filteredOn(d -> d.path().equals("/callbacks/on-commit"))
                    .extracting(d -> d.body().path("operationState").asText())
                    .containsExactly("STARTING", "PROCESSING", "COMPLETED"));
        } finally {
            as(Tokens.service()).delete(ROOT + "/subscriptions/" + subscription);
        }
    }
}
