package io.isthmus.sol.model;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.isthmus.sol.problem.ProblemDetails;

/** SOL003 v3.3.1 clause 5.5.2.17 VnfLcmOperationOccurrenceNotification. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VnfLcmOperationOccurrenceNotification(String id, String notificationType, String subscriptionId,
        Instant timeStamp, String notificationStatus, String operationState, String vnfInstanceId, String operation,
        boolean isAutomaticInvocation, String vnfLcmOpOccId, ProblemDetails error,
        @JsonProperty("_links") Links links) {

    public static final String TYPE = "VnfLcmOperationOccurrenceNotification";

    public record Links(Link vnfInstance, Link subscription, Link vnfLcmOpOcc) {
    }
}
