package io.isthmus.sol.problem;

/**
 * Maps to HTTP 404. Also what a caller gets for another tenant's resource: it must not learn that the
 * resource exists.
 */
public class ResourceNotFoundException extends SolException {

    public ResourceNotFoundException(String resource, String id) {
        super(404, "Not Found", resource + " " + id + " does not exist");
    }
}
