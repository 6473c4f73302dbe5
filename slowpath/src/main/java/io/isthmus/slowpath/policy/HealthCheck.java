package io.isthmus.slowpath.policy;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * An active health check a policy declares ({@link VnfPolicy#healthChecks}): the slowpath probes {@code target} every
 * {@code interval}, each probe bounded by {@code timeout}, and tells the policy when the check's state changes
 * ({@link VnfPolicy#onHealthChanged}). The policy declares and hears; the slowpath does the I/O.
 * <p>
 * A {@link Kind#TCP} probe passes when a connection to the target is accepted within the timeout (then closed at
 * once). A {@link Kind#HTTP} probe sends {@code GET httpPath} (HTTP/1.1, {@code Host: httpHost},
 * {@code Connection: close}) and passes when the reply's status is in {@code [expectedStatusMin, expectedStatusMax]}
 * within the timeout; a refused or timed-out connection, a status outside the range or a reply that is not HTTP fails.
 * The first probe decides the state at once; after that it takes {@code rise} passes in a row to become healthy and
 * {@code fall} failures in a row to become unhealthy.
 * <p>
 * Two checks are the same when the records are equal: a policy that declares an equal check again after a new
 * configuration keeps its state and schedule; a check of the same id that differs in anything starts over. The HTTP
 * fields of a TCP check are cleared ({@code null}, 0), and an HTTP check without {@code httpHost} gets the target's
 * address (and port, unless 80).
 *
 * @param id the check's name, unique among the policy's checks, as {@link VnfPolicy#onHealthChanged} and
 *        {@code /stats} give it
 * @param target the address and port probed
 * @param httpPath the path an HTTP check asks for, starting with {@code /}
 * @param httpHost the {@code Host} header of an HTTP check
 * @param expectedStatusMin the lowest status an HTTP check takes for a pass (100..599)
 * @param expectedStatusMax the highest (at least {@code expectedStatusMin}, at most 599)
 * @param interval between two probes' starts, at least 100 ms
 * @param timeout how long a probe may take in all (connect, request, status line), at most {@code interval}
 * @param rise passes in a row that make an unhealthy check healthy (1..100)
 * @param fall failures in a row that make a healthy check unhealthy (1..100)
 */
public record HealthCheck(String id, Kind kind, InetSocketAddress target, String httpPath, String httpHost,
        int expectedStatusMin, int expectedStatusMax, Duration interval, Duration timeout, int rise, int fall) {

    /** How a check probes its target. */
    public enum Kind {
        /** A TCP connection accepted within the timeout. */
        TCP,
        /** An HTTP/1.1 GET answered with an expected status within the timeout. */
        HTTP
    }

    /** The shortest interval between two probes of one check. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    /** The largest {@code rise} and {@code fall}. */
    public static final int MAX_THRESHOLD = 100;

    public HealthCheck {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a health check needs an id");
        }
        if (kind == null) {
            throw new IllegalArgumentException("health check " + id + ": kind is missing");
        }
        if (target == null || target.getPort() < 1 || target.getPort() > 65_535) {
            throw new IllegalArgumentException("health check " + id + ": target needs an address and a port 1..65535");
        }
        if (kind == Kind.HTTP) {
            if (httpPath == null || !httpPath.startsWith("/") || !isToken(httpPath)) {
                throw new IllegalArgumentException(
                        "health check " + id + ": the HTTP path must start with / and hold no space: " + httpPath);
            }
            if (httpHost == null || httpHost.isBlank()) {
                httpHost = hostHeader(target);
            } else if (!isToken(httpHost)) {
                throw new IllegalArgumentException("health check " + id + ": the Host must hold no space: " + httpHost);
            }
            if (expectedStatusMin < 100 || expectedStatusMax > 599 || expectedStatusMin > expectedStatusMax) {
                throw new IllegalArgumentException("health check " + id + ": expected status " + expectedStatusMin
                        + ".." + expectedStatusMax + " is not a range within 100..599");
            }
        } else {
            httpPath = null;
            httpHost = null;
            expectedStatusMin = 0;
            expectedStatusMax = 0;
        }
        if (interval == null || interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("health check " + id + ": interval must be at least 100 ms");
        }
        if (timeout == null || !timeout.isPositive() || timeout.compareTo(interval) > 0) {
            throw new IllegalArgumentException("health check " + id + ": timeout must be positive, at most interval");
        }
        if (rise < 1 || rise > MAX_THRESHOLD || fall < 1 || fall > MAX_THRESHOLD) {
            throw new IllegalArgumentException("health check " + id + ": rise and fall must be 1..100");
        }
    }

    /** A check that passes when {@code target} accepts a TCP connection within {@code timeout}. */
    public static HealthCheck tcp(String id, InetSocketAddress target, Duration interval, Duration timeout, int rise,
            int fall) {
        return new HealthCheck(id, Kind.TCP, target, null, null, 0, 0, interval, timeout, rise, fall);
    }

    /**
     * A check that passes when {@code GET path} on {@code target} answers a status in {@code [statusMin, statusMax]}
     * within {@code timeout}; {@code host} is the {@code Host} header, null for the target's address.
     */
    public static HealthCheck http(String id, InetSocketAddress target, String path, String host, int statusMin,
            int statusMax, Duration interval, Duration timeout, int rise, int fall) {
        return new HealthCheck(id, Kind.HTTP, target, path, host, statusMin, statusMax, interval, timeout, rise,
                fall);
    }

    /** The target as a Host header names it: its host (an IPv6 literal in brackets), and its port unless 80. */
    private static String hostHeader(InetSocketAddress target) {
        String host = target.getHostString().indexOf(':') >= 0
                ? "[" + target.getHostString() + "]"
                : target.getHostString();
        return target.getPort() == 80 ? host : host + ":" + target.getPort();
    }

    /** Printable ASCII without spaces: nothing that could end the request line or a header early. */
    private static boolean isToken(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }
}
