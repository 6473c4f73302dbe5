package io.isthmus.sol.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** SOL003 clause 5.5.2.16 / SOL005 clause 6.5.2.4 LccnSubscription: no {@code authentication}, as the schema has none. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LccnSubscription(String id, LccnSubscriptionRequest.Filter filter, String callbackUri,
        @JsonProperty("_links") Links links) {

    public record Links(Link self) {
    }
}
