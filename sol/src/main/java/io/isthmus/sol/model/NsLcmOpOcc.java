package io.isthmus.sol.model;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.isthmus.sol.problem.ProblemDetails;

/**
 * SOL005 clause 6.5.2.3 NsLcmOpOcc; {@code cancelMode} only while a cancel is pending. {@code stateReason} (not
 * SOL005's) says why it is in its state, as "waiting until 2026-12-03T15:00:00Z to start".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NsLcmOpOcc(String id, String operationState, String stateReason, Instant statusEnteredTime,
        String nsInstanceId,
        String lcmOperationType, Instant startTime, boolean isAutomaticInvocation, Object operationParams,
        boolean isCancelPending, String cancelMode, ProblemDetails error, @JsonProperty("_links") Links links) {

    /** The task links are there only while the task is possible ({@code continue} is a Java keyword). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Links(Link self, Link nsInstance, Link cancel, Link retry, Link rollback,
            @JsonProperty("continue") Link continueOp, Link fail) {
    }
}
