package io.isthmus.vim.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The compute one driver may hand out (this host, or a cluster) and how much of it live allocations hold. */
@Entity
@Table(name = "capacity_pool")
public class CapacityPool {

    @Id
    private String id;

    @Column(nullable = false, unique = true)
    private String driver;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "vcpus_total", nullable = false)
    private int vcpusTotal;

    @Column(name = "memory_mb_total", nullable = false)
    private long memoryMbTotal;

    @Column(name = "vcpus_used", nullable = false)
    private int vcpusUsed;

    @Column(name = "memory_mb_used", nullable = false)
    private long memoryMbUsed;

    protected CapacityPool() {
    }

    public CapacityPool(String id, String driver, int vcpusTotal, long memoryMbTotal) {
        this.id = id;
        this.driver = driver;
        this.enabled = true;
        this.vcpusTotal = vcpusTotal;
        this.memoryMbTotal = memoryMbTotal;
    }

    /** Configuration says what the pool holds; what is used stays as the allocations left it. */
    public void resize(boolean enabled, int vcpusTotal, long memoryMbTotal) {
        this.enabled = enabled;
        this.vcpusTotal = vcpusTotal;
        this.memoryMbTotal = memoryMbTotal;
    }

    public void charge(Resources resources) {
        vcpusUsed += resources.vcpus();
        memoryMbUsed += resources.memoryMb();
    }

    public void release(Resources resources) {
        vcpusUsed = Math.max(0, vcpusUsed - resources.vcpus());
        memoryMbUsed = Math.max(0, memoryMbUsed - resources.memoryMb());
    }

    public String id() {
        return id;
    }

    public String driver() {
        return driver;
    }

    public boolean enabled() {
        return enabled;
    }

    public int vcpusTotal() {
        return vcpusTotal;
    }

    public long memoryMbTotal() {
        return memoryMbTotal;
    }

    public int vcpusUsed() {
        return vcpusUsed;
    }

    public long memoryMbUsed() {
        return memoryMbUsed;
    }
}
