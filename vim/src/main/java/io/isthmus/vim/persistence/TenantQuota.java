package io.isthmus.vim.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * What one tenant holds and, when an operator set them, its own limits; a null limit means the configured default, so
 * changing the default reaches every tenant that has no limit of its own.
 */
@Entity
@Table(name = "tenant_quota")
public class TenantQuota {

    @Id
    @Column(name = "tenant_id")
    private String tenantId;

    @Column(name = "vcpus_limit")
    private Integer vcpusLimit;

    @Column(name = "memory_mb_limit")
    private Long memoryMbLimit;

    @Column(name = "vcpus_used", nullable = false)
    private int vcpusUsed;

    @Column(name = "memory_mb_used", nullable = false)
    private long memoryMbUsed;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected TenantQuota() {
    }

    public TenantQuota(String tenantId, Instant now) {
        this.tenantId = tenantId;
        this.updatedAt = now;
    }

    public void limit(int vcpus, long memoryMb, Instant now) {
        this.vcpusLimit = vcpus;
        this.memoryMbLimit = memoryMb;
        this.updatedAt = now;
    }

    public void charge(Resources resources, Instant now) {
        vcpusUsed += resources.vcpus();
        memoryMbUsed += resources.memoryMb();
        updatedAt = now;
    }

    public void release(Resources resources, Instant now) {
        vcpusUsed = Math.max(0, vcpusUsed - resources.vcpus());
        memoryMbUsed = Math.max(0, memoryMbUsed - resources.memoryMb());
        updatedAt = now;
    }

    public String tenantId() {
        return tenantId;
    }

    public int vcpusLimit(int byDefault) {
        return vcpusLimit == null ? byDefault : vcpusLimit;
    }

    public long memoryMbLimit(long byDefault) {
        return memoryMbLimit == null ? byDefault : memoryMbLimit;
    }

    public int vcpusUsed() {
        return vcpusUsed;
    }

    public long memoryMbUsed() {
        return memoryMbUsed;
    }
}
