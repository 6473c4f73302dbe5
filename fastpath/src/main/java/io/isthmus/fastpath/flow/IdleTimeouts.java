package io.isthmus.fastpath.flow;

import java.time.Duration;

import io.isthmus.control.FlowTimeouts;

/**
 * How long a flow may go without a packet before the fastpath expires it, by IPv4 protocol and, for TCP, by the
 * connection's state. A zero duration never expires. The defaults ({@link FlowTimeouts#DEFAULTS}, what a fastpath
 * applies until the slowpath's TIMEOUTS) are the minimums of the NAT behavioural RFCs, so a NAT built on them complies
 * however the slowpath configures nothing: established TCP 2 h 4 min and transitory TCP 4 min (RFC 5382 REQ-5), UDP
 * 5 min (RFC 4787 REQ-5), ICMP queries 60 s (RFC 5508 REQ-1), anything else (ESP, ...) 5 min.
 * <p>
 * The fastpath tracks no more TCP state than RFC 5382 needs: a TCP flow is established from its first rule until a
 * packet with FIN or RST passes it (or the other direction of its connection), transitory from then on, and
 * established again if a SYN without either opens the connection anew.
 *
 * @param tcpEstablished the idle timeout of TCP flows
 * @param tcpTransitory the idle timeout of TCP flows whose connection is closing (a FIN or an RST passed)
 * @param udp the idle timeout of UDP flows
 * @param icmp the idle timeout of ICMP echo flows
 * @param other the idle timeout of flows of any other protocol
 */
public record IdleTimeouts(Duration tcpEstablished, Duration tcpTransitory, Duration udp, Duration icmp,
        Duration other) {

    /** Flows never expire (the behaviour before idle timeouts existed). */
    public static final IdleTimeouts NEVER = all(Duration.ZERO);

    public static final IdleTimeouts DEFAULTS = of(FlowTimeouts.DEFAULTS);

    public IdleTimeouts {
        for (Duration d : new Duration[]{tcpEstablished, tcpTransitory, udp, icmp, other}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("idle timeouts are zero (never) or positive: " + d);
            }
        }
    }

    /** The same timeout for every protocol and TCP state. */
    public static IdleTimeouts all(Duration timeout) {
        return new IdleTimeouts(timeout, timeout, timeout, timeout, timeout);
    }

    /** The timeouts a TIMEOUTS message carries. */
    public static IdleTimeouts of(FlowTimeouts seconds) {
        return new IdleTimeouts(Duration.ofSeconds(seconds.tcpEstablished()),
                Duration.ofSeconds(seconds.tcpTransitory()), Duration.ofSeconds(seconds.udp()),
                Duration.ofSeconds(seconds.icmp()), Duration.ofSeconds(seconds.other()));
    }

    /**
     * The timeout of flows of IPv4 protocol {@code protocol} in nanoseconds, 0 for never; for TCP, of established
     * connections.
     */
    public long nanosFor(int protocol) {
        return switch (protocol) {
            case 6 -> tcpEstablished.toNanos();
            case 17 -> udp.toNanos();
            case 1 -> icmp.toNanos();
            default -> other.toNanos();
        };
    }

    /** The longest timeout in nanoseconds, 0 if nothing expires. */
    public long maxNanos() {
        return Math.max(Math.max(Math.max(tcpEstablished.toNanos(), tcpTransitory.toNanos()), udp.toNanos()),
                Math.max(icmp.toNanos(), other.toNanos()));
    }
}
