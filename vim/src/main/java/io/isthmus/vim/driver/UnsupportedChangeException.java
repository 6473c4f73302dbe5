package io.isthmus.vim.driver;

/** The driver cannot make this change sensibly (its platform decides it, or cannot address a replica): nothing done. */
public class UnsupportedChangeException extends DriverException {

    public UnsupportedChangeException(String driver, String message) {
        super("Driver " + driver + " " + message);
    }
}
