package io.isthmus.sol.problem;

/** Maps to HTTP 403 (Forbidden). */
public class ForbiddenOperationException extends SolException {

    public ForbiddenOperationException(String detail) {
        super(403, "Forbidden", detail);
    }
}
