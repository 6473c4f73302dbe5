package io.isthmus.fastpath.packet;

import java.nio.ByteBuffer;

import io.isthmus.fastpath.control.FlowKey;
import io.isthmus.fastpath.control.PuntReason;

/**
 * Parses a VXLAN payload (VXLAN, Ethernet, IPv4, TCP/UDP/ICMP echo) in place into the flyweights and the packed flow
 * key. One instance per worker, reused for every packet; it allocates nothing.
 * <p>
 * {@link #parse} returns {@link #PARSED} for a packet the flow table can key, {@link #MALFORMED} for one to drop and
 * count as an error, and otherwise the {@link PuntReason} to hand it to the slowpath with.
 */
public final class PacketParser {

    /** The packet is keyed: look it up. */
    public static final int PARSED = 0;
    /** The packet is broken (truncated, bad VXLAN flags, bad IPv4 header): drop it and count an error. */
    public static final int MALFORMED = -1;

    /**
     * Whether to verify the inner IPv4 header checksum; read once. A NAT rewrites with incremental updates, which
     * keep a bad checksum bad, so it is safe but wasteful to forward such packets. Off with
     * {@code -Disthmus.fastpath.verifyIpv4Checksum=false}.
     */
    public static final boolean SHOULD_VERIFY_IPV4_CHECKSUM = !"false"
            .equalsIgnoreCase(System.getProperty("isthmus.fastpath.verifyIpv4Checksum"));

    /** VXLAN and Ethernet headers: where the IPv4 header starts in a VXLAN payload. */
    public static final int IPV4_OFFSET_IN_PACKET = VxlanFlyweight.HEADER_LENGTH + EthernetFlyweight.HEADER_LENGTH;

    private final VxlanFlyweight vxlan = new VxlanFlyweight();
    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();
    private final UdpFlyweight udp = new UdpFlyweight();
    private final TcpFlyweight tcp = new TcpFlyweight();
    private final IcmpFlyweight icmp = new IcmpFlyweight();

    private int packetOffset;
    private int packetLength;
    private int ipOffset;
    private int l4Offset;
    private int l4Length;
    private int protocol;
    private long keyHigh;
    private long keyLow;

    /** Parses {@code length} bytes from {@code offset}; see the class comment for the result. */
    public int parse(ByteBuffer buffer, int offset, int length) {
        packetOffset = offset;
        packetLength = length;
        protocol = 0;
        keyHigh = 0;
        keyLow = 0;
        if (length < IPV4_OFFSET_IN_PACKET) {
            return MALFORMED;
        }
        vxlan.wrap(buffer, offset);
        if (!vxlan.isVniValid()) {
            return MALFORMED;
        }
        int vni = vxlan.vni();
        keyHigh = FlowKey.packHigh(vni, 0, 0, 0);
        ethernet.wrap(buffer, offset + VxlanFlyweight.HEADER_LENGTH);
        if (ethernet.etherType() != EthernetFlyweight.ETHER_TYPE_IPV4) {
            return PuntReason.NOT_IPV4;
        }
        ipOffset = offset + IPV4_OFFSET_IN_PACKET;
        int ipRoom = length - IPV4_OFFSET_IN_PACKET;
        if (ipRoom < Ipv4Flyweight.MIN_HEADER_LENGTH) {
            return MALFORMED;
        }
        ipv4.wrap(buffer, ipOffset);
        int headerLength = ipv4.headerLength();
        int totalLength = ipv4.totalLength();
        if (ipv4.version() != 4 || headerLength < Ipv4Flyweight.MIN_HEADER_LENGTH || totalLength < headerLength
                || totalLength > ipRoom) {
            return MALFORMED;
        }
        if (SHOULD_VERIFY_IPV4_CHECKSUM && !ipv4.isChecksumValid()) {
            return MALFORMED;
        }
        protocol = ipv4.protocol();
        keyLow = FlowKey.packLow(ipv4.srcAddress(), ipv4.dstAddress());
        keyHigh = FlowKey.packHigh(vni, protocol, 0, 0);
        if (headerLength != Ipv4Flyweight.MIN_HEADER_LENGTH) {
            return PuntReason.IP_OPTIONS;
        }
        if (ipv4.isFragment()) {
            return PuntReason.FRAGMENT;
        }
        l4Offset = ipOffset + headerLength;
        l4Length = totalLength - headerLength;
        switch (protocol) {
            case Ipv4Flyweight.PROTOCOL_UDP -> {
                if (l4Length < UdpFlyweight.HEADER_LENGTH) {
                    return MALFORMED;
                }
                udp.wrap(buffer, l4Offset);
                if (udp.length() < UdpFlyweight.HEADER_LENGTH || udp.length() > l4Length) {
                    return MALFORMED;
                }
                keyHigh = FlowKey.packHigh(vni, protocol, udp.srcPort(), udp.dstPort());
            }
            case Ipv4Flyweight.PROTOCOL_TCP -> {
                if (l4Length < TcpFlyweight.MIN_HEADER_LENGTH) {
                    return MALFORMED;
                }
                tcp.wrap(buffer, l4Offset);
                if (tcp.headerLength() < TcpFlyweight.MIN_HEADER_LENGTH || tcp.headerLength() > l4Length) {
                    return MALFORMED;
                }
                keyHigh = FlowKey.packHigh(vni, protocol, tcp.srcPort(), tcp.dstPort());
            }
            case Ipv4Flyweight.PROTOCOL_ICMP -> {
                if (l4Length < IcmpFlyweight.HEADER_LENGTH) {
                    return MALFORMED;
                }
                icmp.wrap(buffer, l4Offset);
                int type = icmp.type();
                if (type == IcmpFlyweight.TYPE_ECHO_REQUEST) {
                    keyHigh = FlowKey.packHigh(vni, protocol, icmp.identifier(), 0);
                } else if (type == IcmpFlyweight.TYPE_ECHO_REPLY) {
                    keyHigh = FlowKey.packHigh(vni, protocol, 0, icmp.identifier());
                } else {
                    return PuntReason.UNSUPPORTED_PROTOCOL;
                }
            }
            default -> {
                return PuntReason.UNSUPPORTED_PROTOCOL;
            }
        }
        return PARSED;
    }

    /** The upper half of the packed flow key ({@link FlowKey#packHigh}); as much as was parsed. */
    public long keyHigh() {
        return keyHigh;
    }

    /** The lower half of the packed flow key ({@link FlowKey#packLow}); as much as was parsed. */
    public long keyLow() {
        return keyLow;
    }

    public int packetOffset() {
        return packetOffset;
    }

    public int packetLength() {
        return packetLength;
    }

    /** The IPv4 protocol of the last parsed packet. */
    public int protocol() {
        return protocol;
    }

    public int ipOffset() {
        return ipOffset;
    }

    public int l4Offset() {
        return l4Offset;
    }

    /** The L4 length per the IPv4 total length (Ethernet padding excluded). */
    public int l4Length() {
        return l4Length;
    }

    public VxlanFlyweight vxlan() {
        return vxlan;
    }

    public EthernetFlyweight ethernet() {
        return ethernet;
    }

    public Ipv4Flyweight ipv4() {
        return ipv4;
    }

    /** Valid after {@link #PARSED} of a UDP packet. */
    public UdpFlyweight udp() {
        return udp;
    }

    /** Valid after {@link #PARSED} of a TCP packet. */
    public TcpFlyweight tcp() {
        return tcp;
    }

    /** Valid after {@link #PARSED} of an ICMP echo packet. */
    public IcmpFlyweight icmp() {
        return icmp;
    }
}
