package io.isthmus.sol.model;

import io.isthmus.sol.api.MaxLength;

/** SOL005 clause 6.5.2.7 CreateNsRequest. */
public record CreateNsRequest(@MaxLength(255) String nsdId, @MaxLength(255) String nsName,
        @MaxLength(1024) String nsDescription) {
}
