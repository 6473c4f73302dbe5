package io.isthmus.vim.service;

import java.time.Clock;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.isthmus.vim.config.VimConfig;
import io.isthmus.vim.driver.AllocationPlan;
import io.isthmus.vim.driver.DriverException;
import io.isthmus.vim.driver.DriverRegistry;
import io.isthmus.vim.driver.Placement;
import io.isthmus.vim.driver.VimDriver;
import io.micrometer.core.instrument.MeterRegistry;

import io.isthmus.vimapi.model.AllocationRequest;
import io.isthmus.vimapi.model.AllocationView;

/**
 * Allocations' use cases: admit and start, look up, stop and release. Admission and release are transactions of the
 * {@link AllocationLedger}; starting and stopping happen between them, outside any transaction, in the driver.
 */
@ApplicationScoped
public class AllocationService {

    private static final Logger LOG = Logger.getLogger(AllocationService.class);

    /** What a create did: started a new allocation, or found the one with this id. */
    public record Outcome(boolean created, AllocationView allocation) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AllocationLedger ledger;
    private final DriverRegistry drivers;
    private final VimConfig config;
    private final Clock clock;
    private final MeterRegistry meters;
    private final AllocationChanges changes;
    private final AllocationLocks locks;

    public AllocationService(AllocationLedger ledger, DriverRegistry drivers, VimConfig config, Clock clock,
            MeterRegistry meters, AllocationChanges changes, AllocationLocks locks) {
        this.changes = changes;
        this.locks = locks;
        this.ledger = ledger;
        this.drivers = drivers;
        this.config = config;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Admits the allocation against quota and capacity, starts it and returns it ACTIVE; idempotent by id. A refused
     * admission charges nothing; a failed start releases everything and leaves nothing running.
     */
    public Outcome create(AllocationRequest request) {
        AllocationPlan plan = AllocationRequests.plan(request).withConfigSecret(newConfigSecret());
        String driverName = request.driver() == null ? config.defaultDriver() : request.driver();
        VimDriver driver = driverFor(driverName, plan);

        AllocationLedger.Reservation reservation;
        try {
            reservation = ledger.reserve(plan, driverName, clock.instant());
        } catch (QuotaExceededException | CapacityExhaustedException e) {
            count("refused");
            throw e;
        }
        if (!reservation.created()) {
            return new Outcome(false, reservation.allocation());
        }

        List<Placement> placements;
        try {
            placements = driver.start(plan);
        } catch (RuntimeException e) {
            LOG.warnf("Allocation %s failed to start on %s: %s", plan.id(), driverName, e.getMessage());
            abandon(driver, plan, List.of(), "start failed: " + e.getMessage());
            throw new AllocationStartFailedException(plan.id(),
                    e instanceof DriverException ? e.getMessage() : e.toString());
        }
        try {
            AllocationView active = ledger.activate(plan.id(), placements, clock.instant());
            count("created");
            return new Outcome(true, active);
        } catch (RuntimeException e) {
            // stopped under our feet (the VIM is shutting down): what was started must not outlive it
            abandon(driver, plan, placements, "stopped while starting: " + e.getMessage());
            throw e;
        }
    }

    /** The allocation, its replicas' statuses brought up to what their platform says where it must be asked. */
    public AllocationView get(String id) {
        changes.refresh(id);
        return ledger.view(id);
    }

    /** Stops what runs, then releases capacity and quota and forgets the allocation; 409 while a change runs. */
    public void delete(String id) {
        locks.changing(id, () -> {
            AllocationLedger.Stop stop = ledger.beginStop(id, clock.instant());
            if (stop.running()) {
                driverNamed(stop.driver()).stop(stop.plan(), stop.placements());
            }
            ledger.remove(id, clock.instant());
            count("released");
            return null;
        });
    }

    /**
     * Stops every allocation of one driver that still holds resources and keeps it as STOPPED, its resources released:
     * at shut-down for the processes this VIM started, at start-up for those a previous VIM process left behind.
     */
    public int stopAll(String driverName, String reason) {
        List<String> ids = ledger.holdingIds(driverName);
        VimDriver driver = driverNamed(driverName);
        for (String id : ids) {
            ledger.stopOf(id).ifPresent(stop -> {
                try {
                    driver.stop(stop.plan(), stop.placements());
                } catch (DriverException e) {
                    LOG.errorf("Allocation %s: %s", id, e.getMessage());
                }
                ledger.markStopped(id, reason, clock.instant());
            });
        }
        if (!ids.isEmpty()) {
            LOG.infof("Stopped %d %s allocations: %s", ids.size(), driverName, reason);
        }
        return ids.size();
    }

    private void abandon(VimDriver driver, AllocationPlan plan, List<Placement> placements, String reason) {
        try {
            driver.stop(plan, placements);
        } catch (RuntimeException e) {
            LOG.errorf("Allocation %s: cleaning up after a failed start failed too: %s", plan.id(), e.getMessage());
        }
        ledger.discard(plan.id(), reason, clock.instant());
        count("failed");
    }

    /** 256 random bits, URL-safe: the bearer token of the new VNF's slowpath config endpoint. */
    private static String newConfigSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private VimDriver driverFor(String name, AllocationPlan plan) {
        VimDriver driver = drivers.enabled(name)
                .orElseThrow(() -> new UnknownDriverException(name, drivers.enabledNames()));
        if (!driver.supports(plan.vnfType())) {
            throw new UnsupportedVnfTypeException(plan.vnfType(), name, driver.vnfTypes());
        }
        List<String> problems = driver.problemsWith(plan);
        if (!problems.isEmpty()) {
            throw new UnplaceableAllocationException(plan.id(), problems);
        }
        return driver;
    }

    private VimDriver driverNamed(String name) {
        return drivers.any(name).orElseThrow(() -> new IllegalStateException("No driver named " + name));
    }

    private void count(String outcome) {
        meters.counter("isthmus.vim.allocations", "outcome", outcome).increment();
    }
}
