package io.isthmus.vnf.nat;

/**
 * How long a NAT session may stay idle before it ends, per protocol, in seconds, each at least what the NAT
 * behavioural RFCs require. The NAT only validates and publishes them ({@link NatPolicy#timeouts()}); the fastpaths
 * expire idle rules and report them (FLOW_EXPIRED), and a binding ends with its last session.
 *
 * @param udp a UDP session's idle timeout: RFC 4787 REQ-5 (at least 2 minutes, 5 recommended)
 * @param tcpEstablished an established TCP connection's: RFC 5382 REQ-5 (at least 2 hours 4 minutes)
 * @param tcpTransitory a TCP connection's while it opens or closes (SYN, FIN, RST seen): RFC 5382 REQ-5 (at least 4
 *        minutes)
 * @param icmp an ICMP echo session's: RFC 5508 REQ-2 (at least 60 seconds)
 */
public record NatTimeouts(int udp, int tcpEstablished, int tcpTransitory, int icmp) {

    public static final int MIN_UDP = 120;
    public static final int MIN_TCP_ESTABLISHED = 7440;
    public static final int MIN_TCP_TRANSITORY = 240;
    public static final int MIN_ICMP = 60;
    /** A week: any longer and a lost binding outlives every reason to keep it. */
    public static final int MAX = 604_800;

    /** What a config that says nothing gets: the RFCs' recommended UDP value and their minimums otherwise. */
    public static final NatTimeouts DEFAULTS = new NatTimeouts(300, MIN_TCP_ESTABLISHED, MIN_TCP_TRANSITORY, MIN_ICMP);
}
