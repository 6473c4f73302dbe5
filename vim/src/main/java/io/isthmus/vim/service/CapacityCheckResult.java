package io.isthmus.vim.service;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The answer to a capacity check; {@code reason} says which quota or which pool refused. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CapacityCheckResult(boolean admitted, String reason, String zoneId, String vimId, String driver) {
}
