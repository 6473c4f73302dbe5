package io.isthmus.vimapi.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One tenant's limits (its own or the default) and what its allocations hold. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QuotaView(String tenantId, int vcpusLimit, int vcpusUsed, long memoryMbLimit, long memoryMbUsed) {
}
