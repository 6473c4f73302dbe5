package io.isthmus.sol.problem;

/** Maps to HTTP 409 (Conflict). */
public class ConflictException extends SolException {

    public ConflictException(String detail) {
        super(409, "Conflict", detail);
    }
}
