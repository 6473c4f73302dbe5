package io.isthmus.vimapi.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The answer to a capacity check; {@code reason} says which quota or which pool refused. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CapacityCheckResult(boolean admitted, String reason, String zoneId, String vimId, String driver) {
}
