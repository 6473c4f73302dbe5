package io.isthmus.vnfm.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.persistence.LcmOperationType;

class LcmNotificationsTest {

    private static final LcmOpOccEntity INSTANTIATE_STARTING = new LcmOpOccEntity("op", "vnf", "acme",
            LcmOperationType.INSTANTIATE, Map.of(), Instant.parse("2026-01-01T00:00:00Z"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"STARTING, START", "PROCESSING, START", "ROLLING_BACK, START", "COMPLETED, RESULT",
            "FAILED_TEMP, RESULT", "FAILED, RESULT", "ROLLED_BACK, RESULT"})
    void notificationStatusFollowsSol003(LcmOperationState state, String status) {
        assertThat(LcmNotifications.notificationStatus(state)).isEqualTo(status);
    }

    @Test
    void subscriptionWithoutFilterHearsEverything() {
        assertThat(LcmNotifications.matches(null, INSTANTIATE_STARTING)).isTrue();
        assertThat(LcmNotifications.matches(new LccnSubscriptionRequest.Filter(null, null, null),
                INSTANTIATE_STARTING)).isTrue();
    }

    @Test
    void filterMatchesEveryAttributeItNames() {
        assertThat(LcmNotifications.matches(new LccnSubscriptionRequest.Filter(
                List.of("VnfLcmOperationOccurrenceNotification"), List.of("INSTANTIATE"), List.of("STARTING")),
                INSTANTIATE_STARTING)).isTrue();
        assertThat(LcmNotifications.matches(new LccnSubscriptionRequest.Filter(null, List.of("TERMINATE"), null),
                INSTANTIATE_STARTING)).isFalse();
        assertThat(LcmNotifications.matches(new LccnSubscriptionRequest.Filter(null, null, List.of("COMPLETED")),
                INSTANTIATE_STARTING)).isFalse();
        assertThat(LcmNotifications.matches(new LccnSubscriptionRequest.Filter(
                List.of("VnfIdentifierCreationNotification"), null, null), INSTANTIATE_STARTING)).isFalse();
    }
}
