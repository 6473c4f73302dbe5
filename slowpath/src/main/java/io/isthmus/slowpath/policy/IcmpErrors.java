package io.isthmus.slowpath.policy;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * ICMP errors a VNF sends from its own address about a packet a fastpath punted (RFC 792, RFC 1812 4.3.2.3): the
 * answer goes back in the packet's own VXLAN segment (same VNI), in an Ethernet frame with the addresses turned
 * around, to the packet's IPv4 source; it quotes the packet's IPv4 header and as much of its data as keeps the error
 * within 576 bytes of IPv4. Pure functions of the punted bytes: no I/O.
 */
public final class IcmpErrors {

    /** ICMP time exceeded (RFC 792). */
    public static final int TYPE_TIME_EXCEEDED = 11;
    /** ICMP destination unreachable (RFC 792). */
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    /** Time to live exceeded in transit. */
    public static final int CODE_TTL_EXCEEDED = 0;

    static final int VXLAN_LENGTH = 8;
    static final int ETHERNET_LENGTH = 14;
    static final int IPV4_LENGTH = 20;
    static final int ICMP_HEADER_LENGTH = 8;
    /** RFC 1812 4.3.2.3: an ICMP error's IPv4 datagram stays within 576 bytes. */
    static final int MAX_ERROR_DATAGRAM = 576;
    private static final int TTL = 64;
    private static final int PROTOCOL_ICMP = 1;
    private static final int ETHERTYPE_IPV4 = 0x0800;

    private IcmpErrors() {
    }

    /** A time exceeded in transit (type 11, code 0) from {@code sourceAddress} about {@code punted}. */
    public static Optional<byte[]> timeExceeded(ByteBuffer punted, int sourceAddress) {
        return error(punted, TYPE_TIME_EXCEEDED, CODE_TTL_EXCEEDED, sourceAddress);
    }

    /**
     * An ICMP error of {@code type} and {@code code} from {@code sourceAddress} about {@code punted} (VXLAN, Ethernet,
     * IPv4 without options), or empty if no error may be sent about it (RFC 1812 4.3.2.7): it is not a whole
     * Ethernet/IPv4 packet, it is itself an ICMP error, a later fragment, or from a broadcast, multicast, loopback or
     * unspecified source.
     */
    public static Optional<byte[]> error(ByteBuffer punted, int type, int code, int sourceAddress) {
        int at = punted.position();
        int available = punted.remaining();
        int ip = at + VXLAN_LENGTH + ETHERNET_LENGTH;
        if (available < VXLAN_LENGTH + ETHERNET_LENGTH + IPV4_LENGTH
                || (punted.getShort(at + VXLAN_LENGTH + 12) & 0xFFFF) != ETHERTYPE_IPV4
                || (punted.get(ip) & 0xFF) != 0x45) {
            return Optional.empty();
        }
        int totalLength = punted.getShort(ip + 2) & 0xFFFF;
        int fragmentOffset = punted.getShort(ip + 6) & 0x1FFF;
        int protocol = punted.get(ip + 9) & 0xFF;
        int destination = punted.getInt(ip + 16);
        int source = punted.getInt(ip + 12);
        if (fragmentOffset != 0 || !unicast(source) || (destination >>> 28) == 0xE) {
            return Optional.empty();
        }
        int ipLength = Math.min(totalLength, available - VXLAN_LENGTH - ETHERNET_LENGTH);
        if (protocol == PROTOCOL_ICMP && ipLength > IPV4_LENGTH && isIcmpError(punted.get(ip + IPV4_LENGTH) & 0xFF)) {
            return Optional.empty();
        }
        int quoted = Math.min(ipLength, MAX_ERROR_DATAGRAM - IPV4_LENGTH - ICMP_HEADER_LENGTH);
        int errorLength = IPV4_LENGTH + ICMP_HEADER_LENGTH + quoted;
        ByteBuffer out = reply(punted, errorLength, PROTOCOL_ICMP, 0, sourceAddress, source);
        int icmp = VXLAN_LENGTH + ETHERNET_LENGTH + IPV4_LENGTH;
        out.put(icmp, (byte) type);
        out.put(icmp + 1, (byte) code);
        out.put(icmp + ICMP_HEADER_LENGTH, punted, ip, quoted);
        out.putShort(icmp + 2, (short) checksum(out, icmp, ICMP_HEADER_LENGTH + quoted));
        return Optional.of(out.array());
    }

    /**
     * A reply to {@code punted} of {@code ipLength} bytes of IPv4: its VXLAN header (the VNI the packet came in), its
     * Ethernet header with the punted frame's addresses turned around, and its IPv4 header (no options, TTL 64,
     * {@code flagsFragment}, the checksum) from {@code source} to {@code destination}; the rest is for the caller.
     */
    static ByteBuffer reply(ByteBuffer punted, int ipLength, int protocol, int flagsFragment, int source,
            int destination) {
        int at = punted.position();
        ByteBuffer out = ByteBuffer.allocate(VXLAN_LENGTH + ETHERNET_LENGTH + ipLength);
        // VXLAN: flags (I) and the VNI the packet came in
        out.putInt(0, 0x0800_0000);
        out.putInt(4, punted.getInt(at + 4) & 0xFFFF_FF00);
        // Ethernet, addresses turned around
        int eth = VXLAN_LENGTH;
        for (int i = 0; i < 6; i++) {
            out.put(eth + i, punted.get(at + VXLAN_LENGTH + 6 + i));
            out.put(eth + 6 + i, punted.get(at + VXLAN_LENGTH + i));
        }
        out.putShort(eth + 12, (short) ETHERTYPE_IPV4);
        int ip = eth + ETHERNET_LENGTH;
        out.put(ip, (byte) 0x45);
        out.putShort(ip + 2, (short) ipLength);
        out.putShort(ip + 6, (short) flagsFragment);
        out.put(ip + 8, (byte) TTL);
        out.put(ip + 9, (byte) protocol);
        out.putInt(ip + 12, source);
        out.putInt(ip + 16, destination);
        out.putShort(ip + 10, (short) checksum(out, ip, IPV4_LENGTH));
        return out;
    }

    private static boolean isIcmpError(int icmpType) {
        return icmpType == 3 || icmpType == 4 || icmpType == 5 || icmpType == 11 || icmpType == 12;
    }

    /** Not 0.0.0.0/8, 127/8, multicast, class E or the limited broadcast. */
    private static boolean unicast(int address) {
        int first = address >>> 24;
        return first != 0 && first != 127 && first < 224;
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes at {@code offset}. */
    static int checksum(ByteBuffer buffer, int offset, int length) {
        return checksum(buffer, offset, length, 0);
    }

    /**
     * The Internet checksum (RFC 1071) of {@code length} bytes at {@code offset}, starting from {@code sum} (a
     * pseudo-header's sum, for UDP and TCP), for packets a policy builds.
     */
    public static int checksum(ByteBuffer buffer, int offset, int length, long sum) {
        int i = 0;
        for (; i + 1 < length; i += 2) {
            sum += buffer.getShort(offset + i) & 0xFFFF;
        }
        if (i < length) {
            sum += (buffer.get(offset + i) & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
