package io.isthmus.fastpath.flow;

import java.time.Duration;

/**
 * How long a flow may go without a packet before the fastpath expires it, by IPv4 protocol. A zero duration never
 * expires. The defaults are the minimums of the NAT behavioural RFCs, so a NAT built on them complies however the
 * slowpath configures nothing: TCP 2 h 4 min (RFC 5382 REQ-5, established connections; the fastpath does not track
 * TCP state), UDP 5 min (RFC 4787 REQ-5), ICMP queries 60 s (RFC 5508 REQ-1), anything else (ESP, ...) 5 min.
 *
 * @param tcp the idle timeout of TCP flows
 * @param udp the idle timeout of UDP flows
 * @param icmp the idle timeout of ICMP echo flows
 * @param other the idle timeout of flows of any other protocol
 */
public record IdleTimeouts(Duration tcp, Duration udp, Duration icmp, Duration other) {

    /** Flows never expire (the behaviour before idle timeouts existed). */
    public static final IdleTimeouts NEVER = all(Duration.ZERO);

    public static final IdleTimeouts DEFAULTS = new IdleTimeouts(Duration.ofMinutes(124), Duration.ofMinutes(5),
            Duration.ofSeconds(60), Duration.ofMinutes(5));

    public IdleTimeouts {
        for (Duration d : new Duration[]{tcp, udp, icmp, other}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("idle timeouts are zero (never) or positive: " + d);
            }
        }
    }

    /** The same timeout for every protocol. */
    public static IdleTimeouts all(Duration timeout) {
        return new IdleTimeouts(timeout, timeout, timeout, timeout);
    }

    /** The timeout of flows of IPv4 protocol {@code protocol} in nanoseconds, 0 for never. */
    public long nanosFor(int protocol) {
        return switch (protocol) {
            case 6 -> tcp.toNanos();
            case 17 -> udp.toNanos();
            case 1 -> icmp.toNanos();
            default -> other.toNanos();
        };
    }

    /** The longest timeout in nanoseconds, 0 if nothing expires. */
    public long maxNanos() {
        return Math.max(Math.max(tcp.toNanos(), udp.toNanos()), Math.max(icmp.toNanos(), other.toNanos()));
    }
}
