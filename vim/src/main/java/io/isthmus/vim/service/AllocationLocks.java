package io.isthmus.vim.service;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * One change of an allocation at a time (resize, restart, operate, release): the driver's work runs outside any
 * transaction, so a second change while one is under way gets 409 instead of racing it. Held in memory: a VIM that
 * restarts has no change under way.
 */
@ApplicationScoped
public class AllocationLocks {

    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    public <T> T changing(String id, Supplier<T> change) {
        if (!busy.add(id)) {
            throw new AllocationBusyException(id);
        }
        try {
            return change.get();
        } finally {
            busy.remove(id);
        }
    }
}
