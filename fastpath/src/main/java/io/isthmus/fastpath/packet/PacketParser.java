package io.isthmus.fastpath.packet;

import java.nio.ByteBuffer;

import io.isthmus.control.FlowKey;
import io.isthmus.control.PuntReason;

/**
 * Parses a VXLAN payload (VXLAN, Ethernet, IPv4, TCP/UDP/ICMP/ESP) in place into the flyweights and the packed flow
 * key. One instance per worker, reused for every packet; it allocates nothing.
 * <p>
 * {@link #parse} returns {@link #PARSED} for a packet the flow table can key, {@link #TRUNCATED} or {@link #MALFORMED}
 * (both negative) for one to drop and count, and otherwise the {@link PuntReason} to hand it to the slowpath with.
 * Every read is within the packet's {@code length} bytes, whatever they hold. Keys:
 * <ul>
 * <li>TCP, UDP: the 5-tuple and the VNI.</li>
 * <li>ICMP echo: the identifier as source port (request) or destination port (reply), see {@link FlowKey}.</li>
 * <li>ICMP errors (types 3, 11, 12) are keyed by the packet they quote: {@link #innerKeyHigh()}/{@link #innerKeyLow()}
 * is the quoted packet's own key, and the packet's key ({@link #keyHigh()}/{@link #keyLow()}) is that key turned
 * around — the key of a packet of the same flow travelling the way the error does. So the error of a NATed flow hits
 * the rule of its flow, and the rewrite actions translate the quote too ({@link #isIcmpError()}). An error quoting
 * something the table cannot key (a non-first fragment, another error, too short a quote) is punted as
 * {@link PuntReason#UNSUPPORTED_PROTOCOL}.</li>
 * <li>ESP (protocol 50): the SPI in the port fields, upper half as source port, lower as destination port.</li>
 * <li>IPv6: its fixed header is checked, then the packet is punted as {@link PuntReason#IPV6} with the VNI, next
 * header and (TCP or UDP right after the fixed header) ports in the key, no addresses.</li>
 * </ul>
 */
public final class PacketParser {

    /** The packet is keyed: look it up. */
    public static final int PARSED = 0;
    /**
     * The packet is broken (bad VXLAN flags, bad IPv4 or IPv6 header, an L4 header its IP length has no room for):
     * drop it and count it.
     */
    public static final int MALFORMED = -1;
    /**
     * The packet ends before its headers do, or before the length its IP header says: drop it and count it. Any
     * prefix of a whole packet shorter than it parses as this.
     */
    public static final int TRUNCATED = -2;

    /**
     * Whether to verify the inner IPv4 header checksum; read once. A NAT rewrites with incremental updates, which
     * keep a bad checksum bad, so it is safe but wasteful to forward such packets. Off with
     * {@code -Disthmus.fastpath.verifyIpv4Checksum=false}.
     */
    public static final boolean SHOULD_VERIFY_IPV4_CHECKSUM = !"false"
            .equalsIgnoreCase(System.getProperty("isthmus.fastpath.verifyIpv4Checksum"));

    /** VXLAN and Ethernet headers: where the IPv4 header starts in a VXLAN payload. */
    public static final int IPV4_OFFSET_IN_PACKET = VxlanFlyweight.HEADER_LENGTH + EthernetFlyweight.HEADER_LENGTH;

    public static final int PROTOCOL_ESP = 50;

    private final VxlanFlyweight vxlan = new VxlanFlyweight();
    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();
    private final Ipv6Flyweight ipv6 = new Ipv6Flyweight();
    private final UdpFlyweight udp = new UdpFlyweight();
    private final TcpFlyweight tcp = new TcpFlyweight();
    private final IcmpFlyweight icmp = new IcmpFlyweight();
    private final EspFlyweight esp = new EspFlyweight();
    private final Ipv4Flyweight innerIpv4 = new Ipv4Flyweight();
    private final UdpFlyweight innerPorts = new UdpFlyweight();
    private final IcmpFlyweight innerIcmp = new IcmpFlyweight();

    private ByteBuffer buffer;
    private int packetOffset;
    private int packetLength;
    private int ipOffset;
    private int l4Offset;
    private int l4Length;
    private int protocol;
    private long keyHigh;
    private long keyLow;
    private boolean icmpError;
    private int innerProtocol;
    private int innerL4Offset;
    private int innerL4Quoted;
    private long innerKeyHigh;
    private long innerKeyLow;

    /** Parses {@code length} bytes from {@code offset}; see the class comment for the result. */
    public int parse(ByteBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        packetOffset = offset;
        packetLength = length;
        protocol = 0;
        keyHigh = 0;
        keyLow = 0;
        icmpError = false;
        if (length < IPV4_OFFSET_IN_PACKET) {
            return TRUNCATED;
        }
        vxlan.wrap(buffer, offset);
        if (!vxlan.isVniValid()) {
            return MALFORMED;
        }
        int vni = vxlan.vni();
        keyHigh = FlowKey.packHigh(vni, 0, 0, 0);
        ethernet.wrap(buffer, offset + VxlanFlyweight.HEADER_LENGTH);
        ipOffset = offset + IPV4_OFFSET_IN_PACKET;
        int ipRoom = length - IPV4_OFFSET_IN_PACKET;
        int etherType = ethernet.etherType();
        if (etherType != EthernetFlyweight.ETHER_TYPE_IPV4) {
            return etherType == EthernetFlyweight.ETHER_TYPE_IPV6 ? parseIpv6(vni, ipRoom) : PuntReason.NOT_IPV4;
        }
        if (ipRoom < Ipv4Flyweight.MIN_HEADER_LENGTH) {
            return TRUNCATED;
        }
        ipv4.wrap(buffer, ipOffset);
        int headerLength = ipv4.headerLength();
        int totalLength = ipv4.totalLength();
        if (ipv4.version() != 4 || headerLength < Ipv4Flyweight.MIN_HEADER_LENGTH || totalLength < headerLength) {
            return MALFORMED;
        }
        if (totalLength > ipRoom) {
            return TRUNCATED;
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
                } else if (IcmpFlyweight.isError(type)) {
                    return parseIcmpError(vni);
                } else {
                    return PuntReason.UNSUPPORTED_PROTOCOL;
                }
            }
            case PROTOCOL_ESP -> {
                if (l4Length < EspFlyweight.HEADER_LENGTH) {
                    return MALFORMED;
                }
                esp.wrap(buffer, l4Offset);
                int spi = esp.spi();
                keyHigh = FlowKey.packHigh(vni, protocol, spi >>> 16, spi & 0xFFFF);
            }
            default -> {
                return PuntReason.UNSUPPORTED_PROTOCOL;
            }
        }
        return PARSED;
    }

    private int parseIpv6(int vni, int ipRoom) {
        if (ipRoom < Ipv6Flyweight.HEADER_LENGTH) {
            return TRUNCATED;
        }
        ipv6.wrap(buffer, ipOffset);
        if (ipv6.version() != 6) {
            return MALFORMED;
        }
        if (Ipv6Flyweight.HEADER_LENGTH + ipv6.payloadLength() > ipRoom) {
            return TRUNCATED;
        }
        int nextHeader = ipv6.nextHeader();
        int srcPort = 0;
        int dstPort = 0;
        if ((nextHeader == Ipv6Flyweight.NEXT_HEADER_TCP || nextHeader == Ipv6Flyweight.NEXT_HEADER_UDP)
                && ipv6.payloadLength() >= 4) {
            int ports = buffer.getInt(ipOffset + Ipv6Flyweight.HEADER_LENGTH);
            srcPort = ports >>> 16;
            dstPort = ports & 0xFFFF;
        }
        keyHigh = FlowKey.packHigh(vni, nextHeader, srcPort, dstPort);
        return PuntReason.IPV6;
    }

    /** Keys an ICMP error by the packet it quotes (class comment). */
    private int parseIcmpError(int vni) {
        int quotedOffset = l4Offset + IcmpFlyweight.QUOTED_PACKET_OFFSET;
        int icmpEnd = l4Offset + l4Length;
        if (quotedOffset + Ipv4Flyweight.MIN_HEADER_LENGTH > icmpEnd) {
            return PuntReason.UNSUPPORTED_PROTOCOL;
        }
        innerIpv4.wrap(buffer, quotedOffset);
        int innerHeaderLength = innerIpv4.headerLength();
        innerL4Offset = quotedOffset + innerHeaderLength;
        innerL4Quoted = icmpEnd - innerL4Offset;
        if (innerIpv4.version() != 4 || innerHeaderLength < Ipv4Flyweight.MIN_HEADER_LENGTH
                || innerL4Quoted < IcmpFlyweight.MIN_QUOTED_PAYLOAD || innerIpv4.fragmentOffset() != 0) {
            return PuntReason.UNSUPPORTED_PROTOCOL;
        }
        // RFC 5508 REQ-3, 3a: an error whose ICMP checksum or quoted IPv4 header checksum fails is dropped (errors are
        // rare: summing them costs nothing on the path of the packets that matter)
        if (Checksums.fold(Checksums.sum(buffer, l4Offset, l4Length)) != 0xFFFF
                || Checksums.fold(Checksums.sum(buffer, quotedOffset, innerHeaderLength)) != 0xFFFF) {
            return MALFORMED;
        }
        innerProtocol = innerIpv4.protocol();
        int srcPort;
        int dstPort;
        switch (innerProtocol) {
            case Ipv4Flyweight.PROTOCOL_UDP, Ipv4Flyweight.PROTOCOL_TCP -> {
                innerPorts.wrap(buffer, innerL4Offset);
                srcPort = innerPorts.srcPort();
                dstPort = innerPorts.dstPort();
            }
            case Ipv4Flyweight.PROTOCOL_ICMP -> {
                innerIcmp.wrap(buffer, innerL4Offset);
                int innerType = innerIcmp.type();
                if (innerType == IcmpFlyweight.TYPE_ECHO_REQUEST) {
                    srcPort = innerIcmp.identifier();
                    dstPort = 0;
                } else if (innerType == IcmpFlyweight.TYPE_ECHO_REPLY) {
                    srcPort = 0;
                    dstPort = innerIcmp.identifier();
                } else {
                    return PuntReason.UNSUPPORTED_PROTOCOL;
                }
            }
            default -> {
                return PuntReason.UNSUPPORTED_PROTOCOL;
            }
        }
        int innerSrc = innerIpv4.srcAddress();
        int innerDst = innerIpv4.dstAddress();
        innerKeyHigh = FlowKey.packHigh(vni, innerProtocol, srcPort, dstPort);
        innerKeyLow = FlowKey.packLow(innerSrc, innerDst);
        keyHigh = FlowKey.packHigh(vni, innerProtocol, dstPort, srcPort);
        keyLow = FlowKey.packLow(innerDst, innerSrc);
        icmpError = true;
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

    /** The buffer of the last parsed packet. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Parses the packet again at its offset with a new length, after an action rewrote it whole (ESP); returns what
     * {@link #parse} returns.
     */
    public int reparse(int newLength) {
        return parse(buffer, packetOffset, newLength);
    }

    /** Whether the last packet parsed is an ICMP error keyed by its quote. */
    public boolean isIcmpError() {
        return icmpError;
    }

    /** The quoted packet's own key (an ICMP error's); {@link #keyHigh()} is it turned around. */
    public long innerKeyHigh() {
        return innerKeyHigh;
    }

    public long innerKeyLow() {
        return innerKeyLow;
    }

    /** The protocol of an ICMP error's quoted packet. */
    public int innerProtocol() {
        return innerProtocol;
    }

    /** Where the quoted packet's L4 header starts. */
    public int innerL4Offset() {
        return innerL4Offset;
    }

    /** How many bytes of the quoted packet's L4 header and payload the error carries (at least 8). */
    public int innerL4Quoted() {
        return innerL4Quoted;
    }

    /** The quoted IPv4 header of an ICMP error. */
    public Ipv4Flyweight innerIpv4() {
        return innerIpv4;
    }

    /** The quoted ports of an ICMP error about TCP or UDP (a UDP-shaped view of the first 8 bytes). */
    public UdpFlyweight innerPorts() {
        return innerPorts;
    }

    /** The quoted ICMP echo header of an ICMP error about an echo. */
    public IcmpFlyweight innerIcmp() {
        return innerIcmp;
    }

    /** Valid after {@link PuntReason#IPV6}. */
    public Ipv6Flyweight ipv6() {
        return ipv6;
    }

    /** Valid after {@link #PARSED} of an ESP packet. */
    public EspFlyweight esp() {
        return esp;
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

    /** Valid after {@link #PARSED} of an ICMP echo packet or error. */
    public IcmpFlyweight icmp() {
        return icmp;
    }
}
