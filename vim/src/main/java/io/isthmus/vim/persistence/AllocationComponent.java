package io.isthmus.vim.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One component of an allocation as it was asked for: so many replicas of this size in this role. */
@Entity
@Table(name = "allocation_component")
public class AllocationComponent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private int position;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String role;

    @Column(nullable = false)
    private int replicas;

    @Column(nullable = false)
    private int vcpus;

    @Column(name = "memory_mb", nullable = false)
    private long memoryMb;

    /** The index the next replica gets: indexes are never reused in the allocation's life. */
    @Column(name = "next_index", nullable = false)
    private int nextIndex;

    protected AllocationComponent() {
    }

    public AllocationComponent(int position, String name, String role, int replicas, int vcpus, long memoryMb) {
        this.position = position;
        this.name = name;
        this.role = role;
        this.replicas = replicas;
        this.vcpus = vcpus;
        this.memoryMb = memoryMb;
        this.nextIndex = replicas;
    }

    /** What one replica holds. */
    public Resources replicaResources() {
        return new Resources(vcpus, memoryMb);
    }

    /** Hands out {@code count} indexes no replica of this component ever had. */
    public int takeIndexes(int count) {
        int first = nextIndex;
        nextIndex += count;
        return first;
    }

    public void resize(int replicas) {
        this.replicas = replicas;
    }

    public boolean isSlowpath() {
        return "slowpath".equals(role);
    }

    public Resources resources() {
        return new Resources(vcpus, memoryMb).times(replicas);
    }

    public int position() {
        return position;
    }

    public String name() {
        return name;
    }

    public String role() {
        return role;
    }

    public int replicas() {
        return replicas;
    }

    public int vcpus() {
        return vcpus;
    }

    public long memoryMb() {
        return memoryMb;
    }
}
