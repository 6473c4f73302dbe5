package io.isthmus.vim.persistence;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Whether one replica of an ACTIVE allocation runs, with its one transition table. STOPPED is a stop someone asked for
 * (operate), FAILED an exit nobody asked for; both keep the replica's capacity and quota.
 *
 * <pre>
 * RUNNING ──▶ STOPPED ──▶ RUNNING      (operate STOPPED, then STARTED or a restart)
 *    │           └──────▶ FAILED       (it did not start again)
 *    └──────▶ FAILED  ──▶ RUNNING      (exited unasked, then a restart or operate STARTED)
 *                └──────▶ STOPPED      (operate STOPPED of what had failed)
 * </pre>
 */
public enum ReplicaStatus {
    RUNNING, STOPPED, FAILED;

    private static final Map<ReplicaStatus, Set<ReplicaStatus>> NEXT = Map.of(
            RUNNING, EnumSet.of(STOPPED, FAILED),
            STOPPED, EnumSet.of(RUNNING, FAILED),
            FAILED, EnumSet.of(RUNNING, STOPPED));

    public boolean canMoveTo(ReplicaStatus next) {
        return NEXT.get(this).contains(next);
    }
}
