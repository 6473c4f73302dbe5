package io.isthmus.vim.driver;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Runs the components of allocations somewhere: processes on this host, workloads in a cluster. A driver owns no
 * accounting; the service admits an allocation, then asks its driver to start it.
 */
public interface VimDriver {

    /** The name clients use in an allocation's {@code driver} field. */
    String name();

    /** Whether configuration switched this driver on. */
    boolean enabled();

    /** Whether this driver knows how to run VNFs of this type (its VNF runtime lists the type). */
    boolean supports(String vnfType);

    /** The VNF types this driver is known to run, for messages; empty when it cannot tell before a start. */
    default Set<String> vnfTypes() {
        return Set.of();
    }

    /** Why this driver could not run the plan as it stands (names it cannot use, ...); empty when it can. */
    default List<String> problemsWith(AllocationPlan plan) {
        return List.of();
    }

    /**
     * Starts every component of the plan and returns once they are ready, one placement per replica. On failure it
     * throws {@link DriverException} and leaves nothing of the plan running.
     */
    List<Placement> start(AllocationPlan plan);

    /**
     * Stops whatever runs for the plan: what {@code placements} name and anything this driver started for it. Stopping
     * what is already gone is no error.
     */
    void stop(AllocationPlan plan, List<Placement> placements);

    /**
     * Whether one replica can be named on its own (which ones a shrink removes, which one restarts or stops); false
     * where the platform picks which replica goes (a Deployment's pods).
     */
    default boolean addressesReplicas() {
        return true;
    }

    /**
     * Changes how many replicas run: stops {@code removed} (SIGTERM, then SIGKILL after the grace period), starts
     * {@code added} on fresh ports, and returns the placements of {@code added} once ready. {@code plan} has the
     * components with their new counts; {@code running} the replicas that run and stay. On failure it throws
     * {@link DriverException}, having stopped what it started.
     */
    List<Placement> resize(AllocationPlan plan, List<Placement> running, List<Placement> removed, List<Replica> added);

    /**
     * Runs one replica again and returns where it runs once ready: on the same ports, or with {@code replace} in a new
     * process (a fastpath on a fresh data port; a slowpath keeps its ports, its fastpaths find it by them).
     * {@code running} are the other replicas that run.
     */
    Placement restart(AllocationPlan plan, List<Placement> running, Placement replica, boolean replace);

    /** Stops replicas, which stay placed; a {@code grace} of zero kills them at once. */
    void stopReplicas(AllocationPlan plan, List<Placement> replicas, Duration grace);

    /**
     * Starts stopped (or failed) replicas again on their ports and returns where they run once ready; {@code running}
     * are those that run already.
     */
    List<Placement> startReplicas(AllocationPlan plan, List<Placement> running, List<Placement> replicas);

    /**
     * What the platform says now of the replicas that should run ({@code running}); empty when the driver reports
     * exits itself, as {@link ReplicaExited} events.
     */
    default List<ReplicaHealth> observe(AllocationPlan plan, List<Placement> running) {
        return List.of();
    }
}
