package io.isthmus.control;

/**
 * How long a fastpath keeps a flow rule that no packet hits, in whole seconds, by kind of flow: what the slowpath
 * sends in TIMEOUTS. Each is at least the minimum the NAT behavioural RFCs set, so a NAT that follows them never
 * drops a binding too early: established TCP 2 h 4 min and transitory TCP (after a FIN or an RST) 4 min (RFC 5382
 * REQ-5), UDP 2 min (RFC 4787 REQ-5), ICMP queries 60 s (RFC 5508 REQ-1); no RFC sets one for other protocols (ESP,
 * ...), so theirs is only positive. There is no "never": every value fits 32 bits unsigned.
 *
 * @param tcpEstablished the idle timeout of TCP flows, in seconds
 * @param tcpTransitory the idle timeout of TCP flows whose connection is closing (a FIN or an RST passed), in seconds
 * @param udp the idle timeout of UDP flows, in seconds
 * @param icmp the idle timeout of ICMP query (echo) flows, in seconds
 * @param other the idle timeout of flows of any other protocol, in seconds
 */
public record FlowTimeouts(long tcpEstablished, long tcpTransitory, long udp, long icmp, long other) {

    public static final long MIN_TCP_ESTABLISHED = 7_440;
    public static final long MIN_TCP_TRANSITORY = 240;
    public static final long MIN_UDP = 120;
    public static final long MIN_ICMP = 60;
    public static final long MIN_OTHER = 1;
    /** The longest timeout the message carries: 32 bits unsigned, about 136 years. */
    public static final long MAX = 0xFFFF_FFFFL;

    /**
     * What a fastpath applies until TIMEOUTS says otherwise: the RFC minimums, but UDP 5 min (RFC 4787 REQ-5's
     * recommendation) and 5 min for other protocols.
     */
    public static final FlowTimeouts DEFAULTS = new FlowTimeouts(MIN_TCP_ESTABLISHED, MIN_TCP_TRANSITORY, 300,
            MIN_ICMP, 300);

    public FlowTimeouts {
        if (!isValid(tcpEstablished, tcpTransitory, udp, icmp, other)) {
            throw new IllegalArgumentException("idle timeouts under their RFC minimums (TCP established "
                    + MIN_TCP_ESTABLISHED + " s, transitory " + MIN_TCP_TRANSITORY + " s, UDP " + MIN_UDP
                    + " s, ICMP " + MIN_ICMP + " s, other " + MIN_OTHER + " s) or beyond " + MAX + " s: "
                    + tcpEstablished + ", " + tcpTransitory + ", " + udp + ", " + icmp + ", " + other);
        }
    }

    /** Whether each timeout, in seconds, is within its minimum and {@link #MAX}. */
    public static boolean isValid(long tcpEstablished, long tcpTransitory, long udp, long icmp, long other) {
        return within(tcpEstablished, MIN_TCP_ESTABLISHED) && within(tcpTransitory, MIN_TCP_TRANSITORY)
                && within(udp, MIN_UDP) && within(icmp, MIN_ICMP) && within(other, MIN_OTHER);
    }

    private static boolean within(long seconds, long minimum) {
        return seconds >= minimum && seconds <= MAX;
    }
}
