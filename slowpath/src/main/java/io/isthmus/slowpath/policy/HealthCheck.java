package io.isthmus.slowpath.policy;

import java.net.InetSocketAddress;
import java.time.Duration;

/** Stand-in until the health prober lands (same API). */
public record HealthCheck(String id, Kind kind, InetSocketAddress target, String httpPath, String httpHost,
        int expectedStatusMin, int expectedStatusMax, Duration interval, Duration timeout, int rise, int fall) {

    public enum Kind {
        TCP, HTTP
    }

    public static HealthCheck tcp(String id, InetSocketAddress target, Duration interval, Duration timeout, int rise,
            int fall) {
        return new HealthCheck(id, Kind.TCP, target, null, null, 0, 0, interval, timeout, rise, fall);
    }

    public static HealthCheck http(String id, InetSocketAddress target, String path, String host, int statusMin,
            int statusMax, Duration interval, Duration timeout, int rise, int fall) {
        return new HealthCheck(id, Kind.HTTP, target, path, host, statusMin, statusMax, interval, timeout, rise, fall);
    }
}
