package io.isthmus.vim.driver;

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
}
