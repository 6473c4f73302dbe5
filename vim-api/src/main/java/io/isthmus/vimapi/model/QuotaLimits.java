package io.isthmus.vimapi.model;

/** {@code PUT /vim/v1/quotas/{tenantId}}: the tenant's own limits, replacing the default. */
public record QuotaLimits(Integer vcpusLimit, Long memoryMbLimit) {
}
