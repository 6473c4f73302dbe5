package io.isthmus.sol.model;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.isthmus.sol.problem.ProblemDetails;

/** SOL005 clause 6.5.2.5 NsLcmOperationOccurrenceNotification. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NsLcmOperationOccurrenceNotification(String id, String notificationType, String subscriptionId,
        Instant timestamp, String nsInstanceId, String nsLcmOpOccId, String operation, String notificationStatus,
        String operationState, boolean isAutomaticInvocation, ProblemDetails error,
        @JsonProperty("_links") Links links) {

    public static final String TYPE = "NsLcmOperationOccurrenceNotification";

    public record Links(Link nsInstance, Link subscription, Link nslcmOpOcc) {
    }
}
