package io.isthmus.sol.client;

import java.io.IOException;
import java.util.function.Supplier;

import jakarta.ws.rs.ProcessingException;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Runs one call of a REST client and says what went wrong in one exception: the error statuses come as
 * {@link RemoteCallException} already ({@link RemoteCallExceptionMapper}); a peer that could not be reached, timed out,
 * or whose token could not be had is status 0 (transient), an unreadable reply 502.
 */
public final class RemoteCalls {

    private RemoteCalls() {
    }

    public static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (RemoteCallException e) {
            throw new RemoteCallException(what + " " + e.getMessage(), e.status(), e.body(), e);
        } catch (ProcessingException e) {
            if (causedBy(e, JsonProcessingException.class)) {
                throw new RemoteCallException(what + ": unreadable reply: " + e.getMessage(), 502, null, e);
            }
            throw new RemoteCallException(what + " unreachable: " + rootMessage(e), 0, null, e);
        } catch (RuntimeException e) {
            // Vert.x's HttpClosedException (a peer that closed the connection mid-call, e.g. while it stops) is no IOException
            if (causedBy(e, IOException.class) || causedByName(e, "OidcClientException")
                    || causedByName(e, "HttpClosedException")) {
                throw new RemoteCallException(what + " unreachable: " + rootMessage(e), 0, null, e);
            }
            throw e;
        }
    }

    public static void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** By name: the OIDC client's and Vert.x's exceptions are not on every service's class path. */
    private static boolean causedByName(Throwable e, String simpleName) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals(simpleName)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
