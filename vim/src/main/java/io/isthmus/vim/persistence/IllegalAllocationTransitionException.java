package io.isthmus.vim.persistence;

import io.isthmus.sol.problem.ConflictException;

/** A change of state the allocation lifecycle does not allow (409: the allocation is busy with something else). */
public class IllegalAllocationTransitionException extends ConflictException {

    public IllegalAllocationTransitionException(String allocationId, AllocationState from, AllocationState to) {
        super("Allocation " + allocationId + " is " + from + " and cannot become " + to);
    }
}
