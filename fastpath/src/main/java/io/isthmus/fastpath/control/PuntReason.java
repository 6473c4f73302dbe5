package io.isthmus.fastpath.control;

/** Why a fastpath handed a packet to the slowpath; the {@code reason} byte of a PUNT message. */
public final class PuntReason {

    /** Parsed fine, no rule for its flow: the slowpath's policy decides. */
    public static final int MISS = 1;
    /** The inner frame is not Ethernet/IPv4 (ARP, IPv6, VLAN-tagged, ...). */
    public static final int NOT_IPV4 = 2;
    /** The inner IPv4 header carries options (IHL &gt; 5). */
    public static final int IP_OPTIONS = 3;
    /** The inner IPv4 packet is a fragment (MF set or a non-zero fragment offset). */
    public static final int FRAGMENT = 4;
    /** An L4 protocol or ICMP type the flow table does not key (only TCP, UDP and ICMP echo are keyed). */
    public static final int UNSUPPORTED_PROTOCOL = 5;

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
            default -> "UNKNOWN(" + reason + ")";
        };
    }
}
