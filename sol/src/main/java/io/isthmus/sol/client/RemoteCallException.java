package io.isthmus.sol.client;

/** A call to another component failed: unreachable (status 0) or answered with an error status. */
public class RemoteCallException extends RuntimeException {

    private final int status;
    private final String body;

    public RemoteCallException(String message, int status, String body) {
        super(message);
        this.status = status;
        this.body = body;
    }

    public RemoteCallException(String message, int status, String body, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }

    /** Worth retrying: the peer was unreachable or failed on its side. */
    public boolean transientFailure() {
        return status == 0 || status >= 500;
    }
}
