package io.isthmus.sol.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** SOL003 clause 5.5.2.15 / SOL005 clause 6.5.2.2 LccnSubscriptionRequest (no authentication: callbacks are open). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LccnSubscriptionRequest(Filter filter, String callbackUri) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Filter(List<String> notificationTypes, List<String> operationTypes, List<String> operationStates) {
    }
}
