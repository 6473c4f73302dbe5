package io.isthmus.vim.service;

import io.isthmus.sol.problem.SolException;

/**
 * 503: the driver could not start the allocation; nothing of it runs and nothing stays charged, so the client may try
 * again with the same id.
 */
public class AllocationStartFailedException extends SolException {

    public AllocationStartFailedException(String id, String cause) {
        super(503, "Service Unavailable", "Allocation " + id + " failed to start and was released: " + cause);
    }
}
