package io.isthmus.sol.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * SOL003 clause 5.5.2.15 / SOL005 clause 6.5.2.2 LccnSubscriptionRequest; {@code authentication} (SOL013
 * SubscriptionAuthentication) is how notifications are to authenticate to the callback, and is never returned.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LccnSubscriptionRequest(Filter filter, String callbackUri, SubscriptionAuthentication authentication) {

    /** A subscription whose callback takes notifications without credentials. */
    public LccnSubscriptionRequest(Filter filter, String callbackUri) {
        this(filter, callbackUri, null);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Filter(List<String> notificationTypes, List<String> operationTypes, List<String> operationStates) {
    }
}
