package io.isthmus.vim.service;

/** {@code PUT /vim/v1/quotas/{tenantId}}: the tenant's own limits, replacing the default. */
public record QuotaLimits(Integer vcpusLimit, Long memoryMbLimit) {
}
