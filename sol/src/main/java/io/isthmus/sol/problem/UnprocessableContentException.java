package io.isthmus.sol.problem;

/** Maps to HTTP 422 (Unprocessable Content). */
public class UnprocessableContentException extends SolException {

    public UnprocessableContentException(String detail) {
        super(422, "Unprocessable Content", detail);
    }
}
