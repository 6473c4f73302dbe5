package io.isthmus.vim.driver;

/** A driver could not do what it was asked: start failed, or the platform below refused. */
public class DriverException extends RuntimeException {

    public DriverException(String message) {
        super(message);
    }

    public DriverException(String message, Throwable cause) {
        super(message, cause);
    }
}
