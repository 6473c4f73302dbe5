package io.isthmus.vnfm.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.isthmus.sol.model.Link;

/**
 * SOL003 v3.3.1 clause 8.5.2.2 VnfIndicator: one indicator of a VNF instance and its value now. Isthmus names an
 * indicator by its id ({@code name} = {@code id}); the value is a JSON number, string or boolean.
 */
public record VnfIndicator(String id, String name, Object value, String vnfInstanceId,
        @JsonProperty("_links") Links links) {

    public record Links(Link self, Link vnfInstance) {
    }
}
