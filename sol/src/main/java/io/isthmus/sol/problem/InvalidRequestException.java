package io.isthmus.sol.problem;

/** Maps to HTTP 400 (Bad Request). */
public class InvalidRequestException extends SolException {

    public InvalidRequestException(String detail) {
        super(400, "Bad Request", detail);
    }
}
