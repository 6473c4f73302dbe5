package io.isthmus.vim.service;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.vim.driver.DriverRegistry;
import io.isthmus.vim.driver.Placement;
import io.isthmus.vim.driver.UnsupportedChangeException;
import io.isthmus.vim.driver.VimDriver;
import io.isthmus.vim.persistence.ReplicaStatus;
import io.isthmus.vimapi.model.AllocationView;
import io.isthmus.vimapi.model.ComponentResize;
import io.isthmus.vimapi.model.OperateRequest;
import io.isthmus.vimapi.model.ReplicaRestart;

/**
 * Changes of an ACTIVE allocation, what the VNFM's scale, heal and operate come down to: resize a component, restart
 * or replace one replica, stop and start replicas. Each is checked and recorded by the {@link ChangeLedger}; the driver
 * works between, outside any transaction, one change per allocation at a time ({@link AllocationLocks}).
 */
@ApplicationScoped
public class AllocationChanges {

    private static final Logger LOG = Logger.getLogger(AllocationChanges.class);
    static final int DEFAULT_STOP_TIMEOUT_SECONDS = 5;
    static final int MAX_STOP_TIMEOUT_SECONDS = 3600;

    private final ChangeLedger ledger;
    private final AllocationLocks locks;
    private final DriverRegistry drivers;
    private final Clock clock;

    public AllocationChanges(ChangeLedger ledger, AllocationLocks locks, DriverRegistry drivers, Clock clock) {
        this.ledger = ledger;
        this.locks = locks;
        this.drivers = drivers;
        this.clock = clock;
    }

    /**
     * Makes component {@code name} run {@code count} replicas: a growth is charged first and answered once the new
     * replicas are ready; a shrink stops the replicas named (the highest indexes by default) and releases them.
     */
    public AllocationView resize(String id, String name, ComponentResize request) {
        if (request == null) {
            throw new InvalidRequestException("A body with count is required");
        }
        List<String> invalid = new ArrayList<>();
        AllocationRequests.inRange(invalid, "count", request.count(), 1, AllocationRequests.MAX_COUNT);
        if (request.remove() != null) {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < request.remove().size(); i++) {
                Integer index = request.remove().get(i);
                if (index == null || index < 0) {
                    invalid.add("remove[" + i + "] must be a replica index, 0 or more");
                } else if (!seen.add(index)) {
                    invalid.add("remove[" + i + "] names index " + index + " twice");
                }
            }
        }
        if (!invalid.isEmpty()) {
            throw new InvalidRequestException("Invalid resize: " + String.join("; ", invalid));
        }
        int count = request.count();
        return locks.changing(id, () -> {
            ChangeLedger.Resize resize = ledger.beginResize(id, name, count, request.remove(), clock.instant());
            if (resize.unchanged()) {
                return resize.view();
            }
            VimDriver driver = driverNamed(resize.driver());
            boolean growth = !resize.added().isEmpty();
            int before = growth ? count - resize.added().size() : count + resize.removed().size();
            if (!driver.addressesReplicas() && request.remove() != null && !request.remove().isEmpty()) {
                throw new InvalidChangeException(id, "driver " + driver.name() + " cannot choose which replicas"
                        + " to remove (its platform picks them): leave remove out");
            }
            List<Placement> added;
            try {
                added = driver.resize(resize.plan(), resize.running(), resize.removed(), resize.added());
            } catch (RuntimeException e) {
                if (growth) {
                    ledger.abandonGrowth(id, name, before, clock.instant());
                }
                if (e instanceof UnsupportedChangeException) {
                    throw new InvalidChangeException(id, e.getMessage());
                }
                LOG.warnf("Allocation %s: resizing %s from %d to %d failed: %s", id, name, before, count,
                        e.getMessage());
                throw new ChangeFailedException(id, "resizing " + name + " to " + count + " failed"
                        + (growth ? "; nothing was added, nothing stays charged: " : ": ") + e.getMessage());
            }
            LOG.infof("Allocation %s: %s resized from %d to %d", id, name, before, count);
            return ledger.finishResize(id, name, count, resize.removed(), added, clock.instant());
        });
    }

    /** Runs one replica again: {@code RESTART} on its ports, {@code REPLACE} as a new process; answers once ready. */
    public AllocationView restart(String id, String name, int index, ReplicaRestart request) {
        if (request == null || request.mode() == null) {
            throw new InvalidRequestException("A body with mode RESTART or REPLACE is required");
        }
        boolean replace = switch (request.mode()) {
            case ReplicaRestart.RESTART -> false;
            case ReplicaRestart.REPLACE -> true;
            default -> throw new InvalidRequestException("Invalid value at mode: RESTART or REPLACE, not "
                    + request.mode());
        };
        return locks.changing(id, () -> {
            ChangeLedger.ReplicaChange change = ledger.beginRestart(id, name, index);
            VimDriver driver = driverNamed(change.driver());
            Placement replica = change.targets().getFirst();
            Placement placed;
            try {
                placed = driver.restart(change.plan(), change.running(), replica, replace);
            } catch (UnsupportedChangeException e) {
                throw new InvalidChangeException(id, e.getMessage());
            } catch (RuntimeException e) {
                ledger.mark(id, change.targets(), ReplicaStatus.FAILED, "restart failed: " + e.getMessage(),
                        clock.instant());
                throw new ChangeFailedException(id, (replace ? "replacing " : "restarting ") + replica.replicaName()
                        + " failed; it is FAILED: " + e.getMessage());
            }
            return ledger.relaunched(id, List.of(placed), replace ? "replaced on request" : "restarted on request",
                    clock.instant());
        });
    }

    /**
     * Stops replicas (they keep their capacity and quota, the allocation stays ACTIVE) or starts stopped and failed
     * ones again on their ports; replicas already as asked are left alone, so a repeated call changes nothing.
     */
    public AllocationView operate(String id, OperateRequest request) {
        if (request == null || request.state() == null) {
            throw new InvalidRequestException("A body with state STOPPED or STARTED is required");
        }
        boolean stop = switch (request.state()) {
            case OperateRequest.STOPPED -> true;
            case OperateRequest.STARTED -> false;
            default -> throw new InvalidRequestException("Invalid value at state: STOPPED or STARTED, not "
                    + request.state());
        };
        int timeout = request.timeoutSeconds() == null ? DEFAULT_STOP_TIMEOUT_SECONDS : request.timeoutSeconds();
        if (timeout < 0 || timeout > MAX_STOP_TIMEOUT_SECONDS) {
            throw new InvalidRequestException("Invalid value at timeoutSeconds: between 0 and "
                    + MAX_STOP_TIMEOUT_SECONDS + ", not " + timeout);
        }
        if (request.components() != null) {
            for (int i = 0; i < request.components().size(); i++) {
                String replica = request.components().get(i);
                if (replica == null || !replica.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?-[0-9]{1,8}")) {
                    throw new InvalidRequestException("Invalid value at components[" + i
                            + "]: a replica as <component>-<index>, like fastpath-1");
                }
            }
        }
        boolean graceful = request.graceful() == null || request.graceful();
        Duration grace = graceful ? Duration.ofSeconds(timeout) : Duration.ZERO;
        return locks.changing(id, () -> {
            ChangeLedger.ReplicaChange change = ledger.beginOperate(id, stop,
                    request.components() == null ? null : Set.copyOf(request.components()));
            if (change.targets().isEmpty()) {
                return change.view();
            }
            VimDriver driver = driverNamed(change.driver());
            List<String> names = change.targets().stream().map(Placement::replicaName).toList();
            try {
                if (stop) {
                    driver.stopReplicas(change.plan(), change.targets(), grace);
                    LOG.infof("Allocation %s: stopped %s (%s)", id, names, graceful ? "graceful" : "forceful");
                    return ledger.mark(id, change.targets(), ReplicaStatus.STOPPED,
                            (graceful ? "stopped gracefully" : "stopped forcefully") + " on request", clock.instant());
                }
                List<Placement> started = driver.startReplicas(change.plan(), change.running(), change.targets());
                LOG.infof("Allocation %s: started %s again", id, names);
                return ledger.relaunched(id, started, "started on request", clock.instant());
            } catch (UnsupportedChangeException e) {
                throw new InvalidChangeException(id, e.getMessage());
            } catch (RuntimeException e) {
                ledger.mark(id, change.targets(), ReplicaStatus.FAILED,
                        (stop ? "stop failed: " : "start failed: ") + e.getMessage(), clock.instant());
                throw new ChangeFailedException(id, (stop ? "stopping " : "starting ") + names + " failed; they are"
                        + " FAILED: " + e.getMessage());
            }
        });
    }

    /**
     * Brings the statuses of an ACTIVE allocation's replicas up to what its platform says, where the driver does not
     * report exits itself (Kubernetes); best effort: a platform that does not answer leaves them as they were.
     */
    public void refresh(String id) {
        ledger.shouldRun(id).ifPresent(change -> {
            VimDriver driver = driverNamed(change.driver());
            try {
                var health = driver.observe(change.plan(), change.running());
                if (!health.isEmpty()) {
                    ledger.observed(id, health, clock.instant());
                }
            } catch (RuntimeException e) {
                LOG.debugf("Allocation %s: driver %s did not say how its replicas are: %s", id, driver.name(),
                        e.getMessage());
            }
        });
    }

    private VimDriver driverNamed(String name) {
        return drivers.any(name).orElseThrow(() -> new IllegalStateException("No driver named " + name));
    }
}
