package io.isthmus.vim.service;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import org.jboss.logging.Logger;

import io.isthmus.vim.driver.ReplicaExited;

/** Records that a replica exited without being asked (FAILED, with how it exited), as soon as its driver says so. */
@ApplicationScoped
public class ReplicaWatch {

    private static final Logger LOG = Logger.getLogger(ReplicaWatch.class);

    private final ChangeLedger ledger;
    private final Clock clock;

    public ReplicaWatch(ChangeLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    void onExit(@ObservesAsync ReplicaExited exit) {
        try {
            ledger.exited(exit, clock.instant());
        } catch (RuntimeException e) {
            LOG.errorf("Allocation %s: could not record that %s-%d exited: %s", exit.allocationId(), exit.component(),
                    exit.index(), e.getMessage());
        }
    }
}
