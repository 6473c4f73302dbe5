package io.isthmus.sol.model;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.isthmus.sol.problem.ProblemDetails;

/** SOL003 v3.3.1 clause 5.5.2.13 VnfLcmOpOcc. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VnfLcmOpOcc(String id, String operationState, Instant stateEnteredTime, Instant startTime,
        String vnfInstanceId, String grantId, String operation, boolean isAutomaticInvocation, Object operationParams,
        boolean isCancelPending, ProblemDetails error, @JsonProperty("_links") Links links) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Links(Link self, Link vnfInstance, Link grant, Link cancel, Link retry, Link rollback, Link fail) {
    }
}
