package io.isthmus.vim.service;

import java.util.List;

import io.isthmus.sol.problem.UnprocessableContentException;

/** 422: the request names a driver this VIM does not have switched on. */
public class UnknownDriverException extends UnprocessableContentException {

    public UnknownDriverException(String driver, List<String> enabled) {
        super("Driver " + driver + " is unknown or not enabled here; enabled drivers: " + String.join(", ", enabled));
    }
}
