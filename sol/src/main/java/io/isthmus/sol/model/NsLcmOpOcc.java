package io.isthmus.sol.model;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.isthmus.sol.problem.ProblemDetails;

/** SOL005 clause 6.5.2.3 NsLcmOpOcc. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NsLcmOpOcc(String id, String operationState, Instant statusEnteredTime, String nsInstanceId,
        String lcmOperationType, Instant startTime, boolean isAutomaticInvocation, Object operationParams,
        boolean isCancelPending, ProblemDetails error, @JsonProperty("_links") Links links) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Links(Link self, Link nsInstance) {
    }
}
