package io.isthmus.sol.model;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * SOL003 v3.3.1 clauses 5.5.2.18 and 5.5.2.19: VnfIdentifierCreationNotification and
 * VnfIdentifierDeletionNotification, which have the same attributes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VnfIdentifierNotification(String id, String notificationType, String subscriptionId,
        Instant timeStamp, String vnfInstanceId, @JsonProperty("_links") Links links) {

    public static final String CREATION = "VnfIdentifierCreationNotification";
    public static final String DELETION = "VnfIdentifierDeletionNotification";

    public record Links(Link vnfInstance, Link subscription) {
    }
}
