package io.isthmus.vim.persistence;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of an allocation, with its one transition table. An allocation holds its pool's capacity and its
 * tenant's quota from STARTING until it reaches STOPPED.
 *
 * <pre>
 * STARTING ──▶ ACTIVE ──▶ STOPPING ──▶ STOPPED
 *     └────────────┴──────────────────▶ STOPPED   (failed start, or the VIM stopping its local processes)
 * </pre>
 */
public enum AllocationState {
    STARTING, ACTIVE, STOPPING, STOPPED;

    private static final Map<AllocationState, Set<AllocationState>> NEXT = Map.of(
            STARTING, EnumSet.of(ACTIVE, STOPPED),
            ACTIVE, EnumSet.of(STOPPING, STOPPED),
            STOPPING, EnumSet.of(STOPPED),
            STOPPED, EnumSet.noneOf(AllocationState.class));

    public boolean canMoveTo(AllocationState next) {
        return NEXT.get(this).contains(next);
    }

    /** Whether an allocation in this state holds capacity and quota. */
    public boolean holdsResources() {
        return this != STOPPED;
    }
}
