package io.isthmus.vim.service;

import io.isthmus.sol.problem.ResourceNotFoundException;

/** 404: no allocation has this id. */
public class AllocationNotFoundException extends ResourceNotFoundException {

    public AllocationNotFoundException(String id) {
        super("Allocation", id);
    }
}
