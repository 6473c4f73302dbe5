package io.isthmus.vim.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

/** Compute handed to one VNF instance: its components as asked, where their replicas run, and its state. */
@Entity
@Table(name = "allocation")
public class Allocation {

    @Id
    private String id;

    @Column(name = "tenant_id", nullable = false)
    private String tenantId;

    @Column(name = "vnf_instance_id", nullable = false)
    private String vnfInstanceId;

    @Column(name = "vnf_type", nullable = false)
    private String vnfType;

    @Column(nullable = false)
    private String driver;

    @Column(name = "pool_id", nullable = false)
    private String poolId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private AllocationState state;

    @Column(name = "state_reason")
    private String stateReason;

    @Column(name = "state_entered_at", nullable = false)
    private Instant stateEnteredAt;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** The bearer token of the VNF's slowpath config endpoint: handed to the slowpath and to the VNFM only. */
    @Column(name = "config_secret")
    private String configSecret;

    @Column(nullable = false)
    private int vcpus;

    @Column(name = "memory_mb", nullable = false)
    private long memoryMb;

    /** The {@code --id} the next fastpath gets: never reused in the allocation's life. */
    @Column(name = "next_fastpath_id", nullable = false)
    private int nextFastpathId;

    @OneToMany(cascade = CascadeType.ALL, orphanRemoval = true)
    @JoinColumn(name = "allocation_id", nullable = false)
    @OrderBy("position")
    private List<AllocationComponent> components = new ArrayList<>();

    @OneToMany(cascade = CascadeType.ALL, orphanRemoval = true)
    @JoinColumn(name = "allocation_id", nullable = false)
    @OrderBy("id")
    private List<ComponentPlacement> placements = new ArrayList<>();

    protected Allocation() {
    }

    /**
     * A new allocation, STARTING: it holds {@code resources} of pool {@code poolId} from now on, and its slowpath takes
     * configuration from the holder of {@code configSecret}.
     */
    public Allocation(String id, String tenantId, String vnfInstanceId, String vnfType, String driver, String poolId,
            List<AllocationComponent> components, String configSecret, Instant now) {
        this.id = id;
        this.configSecret = configSecret;
        this.tenantId = tenantId;
        this.vnfInstanceId = vnfInstanceId;
        this.vnfType = vnfType;
        this.driver = driver;
        this.poolId = poolId;
        this.components.addAll(components);
        Resources total = resources();
        this.vcpus = total.vcpus();
        this.memoryMb = total.memoryMb();
        this.nextFastpathId = components.stream().filter(c -> !c.isSlowpath())
                .mapToInt(AllocationComponent::replicas).sum();
        this.state = AllocationState.STARTING;
        this.stateReason = "allocation requested";
        this.stateEnteredAt = now;
        this.createdAt = now;
    }

    public String configSecret() {
        return configSecret;
    }

    /** The one place an allocation changes state. */
    public void transition(AllocationState to, String reason, Instant now) {
        if (!state.canMoveTo(to)) {
            throw new IllegalAllocationTransitionException(id, state, to);
        }
        this.state = to;
        this.stateReason = reason;
        this.stateEnteredAt = now;
    }

    public void place(List<ComponentPlacement> where) {
        placements.clear();
        placements.addAll(where);
    }

    /** Adds replicas that run now (a component grew). */
    public void addPlacements(List<ComponentPlacement> added) {
        placements.addAll(added);
    }

    /** Forgets replicas that do not run any more (a component shrank). */
    public void removePlacements(List<ComponentPlacement> removed) {
        placements.removeAll(removed);
    }

    public Optional<ComponentPlacement> placement(String component, int index) {
        return placements.stream().filter(p -> p.componentName().equals(component) && p.replicaIndex() == index)
                .findFirst();
    }

    public Optional<AllocationComponent> component(String name) {
        return components.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Hands out {@code count} fastpath ids no fastpath of this allocation ever had. */
    public int takeFastpathIds(int count) {
        int first = nextFastpathId;
        nextFastpathId += count;
        return first;
    }

    /** Holds more (a component grew): what the allocation charged to its pool and quota follows. */
    public void charge(Resources more) {
        vcpus += more.vcpus();
        memoryMb += more.memoryMb();
    }

    /** Holds less (a component shrank, or a growth failed). */
    public void uncharge(Resources less) {
        vcpus -= less.vcpus();
        memoryMb -= less.memoryMb();
    }

    /** What the components ask for in total: the sum of replicas × size. */
    public Resources resources() {
        return components.stream().map(AllocationComponent::resources).reduce(Resources.NONE, Resources::plus);
    }

    /** What this allocation holds of its pool and quota: what it was admitted with, as later changes left it. */
    public Resources charged() {
        return new Resources(vcpus, memoryMb);
    }

    public String id() {
        return id;
    }

    public String tenantId() {
        return tenantId;
    }

    public String vnfInstanceId() {
        return vnfInstanceId;
    }

    public String vnfType() {
        return vnfType;
    }

    public String driver() {
        return driver;
    }

    public String poolId() {
        return poolId;
    }

    public AllocationState state() {
        return state;
    }

    public String stateReason() {
        return stateReason;
    }

    public Instant stateEnteredAt() {
        return stateEnteredAt;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public List<AllocationComponent> components() {
        return List.copyOf(components);
    }

    public List<ComponentPlacement> placements() {
        return List.copyOf(placements);
    }
}
