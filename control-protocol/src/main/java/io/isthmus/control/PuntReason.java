package io.isthmus.control;

/** Why a fastpath handed a packet to the slowpath; the {@code reason} byte of a PUNT message. */
public final class PuntReason {

    /** Parsed fine, no rule for its flow: the slowpath's policy decides. */
    public static final int MISS = 1;
    /** The inner frame is not Ethernet/IPv4 or IPv6 (ARP, VLAN-tagged, ...). */
    public static final int NOT_IPV4 = 2;
    /** The inner IPv4 header carries options (IHL &gt; 5). */
    public static final int IP_OPTIONS = 3;
    /** The inner IPv4 packet is a fragment (MF set or a non-zero fragment offset). */
    public static final int FRAGMENT = 4;
    /** An L4 protocol or ICMP type the flow table does not key (only TCP, UDP and ICMP echo are keyed). */
    public static final int UNSUPPORTED_PROTOCOL = 5;
    /**
     * An IPv6 packet: its header is parsed and checked, but the flow table keys IPv4 only. The PUNT key carries the
     * VNI, the next header and, for TCP and UDP straight after the fixed header, the ports; no addresses.
     */
    public static final int IPV6 = 6;
    /**
     * A rule's DECREMENT_TTL found a TTL of 0 or 1: the packet (as received, untouched by the program) is punted so
     * the slowpath can answer with an ICMP time exceeded (RFC 792 type 11, code 0). The key is the packet's flow.
     */
    public static final int TTL_EXCEEDED = 7;
    /**
     * An ICMP error (destination unreachable, time exceeded, parameter problem) whose flow has no rule. The key is the
     * flow of the quoted packet turned around, i.e. the key a packet travelling with the error would have
     * (PacketParser's error-flow key), so the slowpath finds the binding the error belongs to.
     */
    public static final int ICMP_ERROR = 8;
    /**
     * A UDP packet on an ESP_DECRYPT rule (ESP in UDP, RFC 3948) whose payload starts with the 4-byte zero non-ESP
     * marker: IKE on the NAT-traversal port, for the slowpath's IKE. The key is the packet's own (outer) flow; the
     * packet is punted as received.
     */
    public static final int NON_ESP = 9;
    /**
     * A packet on a VNI bound to a route table (ROUTE_UPDATE) that no route of the table covers, and no rule either:
     * for the slowpath's ICMP destination unreachable. The key is the packet's flow; the packet is punted as received.
     */
    public static final int NO_ROUTE = 10;

    private PuntReason() {
    }

    /** A name for logs and stats. */
    public static String name(int reason) {
        return switch (reason) {
            case MISS -> "MISS";
            case NOT_IPV4 -> "NOT_IPV4";
            case IP_OPTIONS -> "IP_OPTIONS";
            case FRAGMENT -> "FRAGMENT";
            case UNSUPPORTED_PROTOCOL -> "UNSUPPORTED_PROTOCOL";
            case IPV6 -> "IPV6";
            case TTL_EXCEEDED -> "TTL_EXCEEDED";
            case ICMP_ERROR -> "ICMP_ERROR";
            case NON_ESP -> "NON_ESP";
            case NO_ROUTE -> "NO_ROUTE";
            default -> "UNKNOWN(" + reason + ")";
        };
    }
}
