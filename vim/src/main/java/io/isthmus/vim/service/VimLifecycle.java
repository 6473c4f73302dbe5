package io.isthmus.vim.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.isthmus.vim.driver.local.LocalProcessDriver;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * What the VIM does when it starts and stops. Local VNF processes live no longer than the VIM that started them: at
 * shut-down it stops them and marks their allocations STOPPED (capacity and quota released; a client DELETEs or
 * re-creates them); at start-up it does the same to any a previous VIM process left behind after a crash. Kubernetes
 * workloads belong to the cluster and keep running either way.
 */
@ApplicationScoped
public class VimLifecycle {

    private final CapacityService capacity;
    private final AllocationService allocations;

    public VimLifecycle(CapacityService capacity, AllocationService allocations) {
        this.capacity = capacity;
        this.allocations = allocations;
    }

    void onStart(@Observes StartupEvent event) {
        capacity.synchronizePools();
        allocations.stopAll(LocalProcessDriver.NAME, "left behind by a previous VIM process");
    }

    void onStop(@Observes ShutdownEvent event) {
        allocations.stopAll(LocalProcessDriver.NAME, "the VIM shut down");
    }
}
