package io.isthmus.vim.service;

import io.isthmus.sol.problem.ResourceNotFoundException;

/** 404: the allocation has no such component, or no replica of it with that index. */
public class ReplicaNotFoundException extends ResourceNotFoundException {

    public ReplicaNotFoundException(String allocationId, String what) {
        super("Allocation " + allocationId + "'s", what);
    }
}
