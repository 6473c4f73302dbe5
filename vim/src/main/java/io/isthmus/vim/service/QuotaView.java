package io.isthmus.vim.service;

/** One tenant's limits (its own or the default) and what its allocations hold. */
public record QuotaView(String tenantId, int vcpusLimit, int vcpusUsed, long memoryMbLimit, long memoryMbUsed) {
}
