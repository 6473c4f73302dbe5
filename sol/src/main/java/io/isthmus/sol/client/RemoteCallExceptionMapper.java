package io.isthmus.sol.client;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Turns a peer's error status (400 and above) into a {@link RemoteCallException} carrying the status and the body (a
 * SOL013 ProblemDetails, usually), for every REST client of the platform that registers it.
 */
public class RemoteCallExceptionMapper implements ResponseExceptionMapper<RemoteCallException> {

    @Override
    public RemoteCallException toThrowable(Response response) {
        String body = null;
        if (response.hasEntity()) {
            try {
                body = response.readEntity(String.class);
            } catch (RuntimeException unreadable) {
                body = null;
            }
        }
        int status = response.getStatus();
        return new RemoteCallException("answered " + status + (body == null || body.isBlank() ? "" : ": " + body),
                status, body);
    }

    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
        return status >= 400;
    }
}
