package io.isthmus.vim.service;

import io.isthmus.sol.problem.UnprocessableContentException;

/** 422: a well-formed change the allocation cannot take as asked (a slowpath's count, indexes it does not have...). */
public class InvalidChangeException extends UnprocessableContentException {

    public InvalidChangeException(String id, String problem) {
        super("Allocation " + id + " cannot change as asked: " + problem);
    }
}
