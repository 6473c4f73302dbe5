package io.isthmus.vnf.vpn;

import java.nio.ByteBuffer;

import io.isthmus.slowpath.policy.IcmpErrors;

/**
 * The IKE datagrams the gateway sends and receives, as the fastpaths carry them: VXLAN, Ethernet, IPv4 (no options),
 * UDP. Pure functions of bytes: no I/O. The slowpath's {@code IcmpErrors} builds its answers the same way.
 *
 * <pre>
 *  0      8               22                  42        50
 *  +------+---------------+-------------------+---------+-----------------+
 *  | VXLAN| Ethernet      | IPv4 (IHL 5)      | UDP     | payload (IKE)   |
 *  +------+---------------+-------------------+---------+-----------------+
 * </pre>
 */
final class UdpPackets {

    static final int VXLAN_LENGTH = 8;
    static final int ETHERNET_LENGTH = 14;
    static final int IPV4_LENGTH = 20;
    static final int UDP_LENGTH = 8;
    static final int HEADERS = VXLAN_LENGTH + ETHERNET_LENGTH + IPV4_LENGTH + UDP_LENGTH;
    static final long BROADCAST_MAC = 0xFFFF_FFFF_FFFFL;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int PROTOCOL_UDP = 17;
    private static final int TTL = 64;

    private UdpPackets() {
    }

    /**
     * A UDP datagram {@code source:sourcePort → destination:destinationPort} carrying {@code payload}, in an Ethernet
     * frame from {@code sourceMac} to {@code destinationMac} in VXLAN segment {@code vni}; IPv4 and UDP checksums set.
     */
    static byte[] build(int vni, long sourceMac, long destinationMac, int source, int sourcePort, int destination,
            int destinationPort, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(HEADERS + payload.length);
        out.putInt(0, 0x0800_0000);
        out.putInt(4, vni << 8);
        int eth = VXLAN_LENGTH;
        putMac(out, eth, destinationMac);
        putMac(out, eth + 6, sourceMac);
        out.putShort(eth + 12, (short) ETHERTYPE_IPV4);
        int ip = eth + ETHERNET_LENGTH;
        int ipLength = IPV4_LENGTH + UDP_LENGTH + payload.length;
        out.put(ip, (byte) 0x45);
        out.putShort(ip + 2, (short) ipLength);
        out.put(ip + 8, (byte) TTL);
        out.put(ip + 9, (byte) PROTOCOL_UDP);
        out.putInt(ip + 12, source);
        out.putInt(ip + 16, destination);
        out.putShort(ip + 10, (short) checksum(out, ip, IPV4_LENGTH, 0));
        int udp = ip + IPV4_LENGTH;
        int udpLength = UDP_LENGTH + payload.length;
        out.putShort(udp, (short) sourcePort);
        out.putShort(udp + 2, (short) destinationPort);
        out.putShort(udp + 4, (short) udpLength);
        out.put(udp + UDP_LENGTH, payload);
        long pseudo = (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF)
                + PROTOCOL_UDP + udpLength;
        int sum = checksum(out, udp, udpLength, pseudo);
        out.putShort(udp + 6, (short) (sum == 0 ? 0xFFFF : sum));
        return out.array();
    }

    /** The Ethernet destination of a frame that starts after the VXLAN header at {@code packet}'s position. */
    static long destinationMac(ByteBuffer packet) {
        return mac(packet, packet.position() + VXLAN_LENGTH);
    }

    /** The Ethernet source of a frame that starts after the VXLAN header at {@code packet}'s position. */
    static long sourceMac(ByteBuffer packet) {
        return mac(packet, packet.position() + VXLAN_LENGTH + 6);
    }

    /**
     * The offset in {@code packet} of the UDP payload of the VXLAN/Ethernet/IPv4/UDP datagram at its position, or -1
     * if it is not one (too short, not IPv4, not UDP, a fragment).
     */
    static int udpPayloadOffset(ByteBuffer packet) {
        int at = packet.position();
        int end = packet.limit();
        int ip = at + VXLAN_LENGTH + ETHERNET_LENGTH;
        if (ip + IPV4_LENGTH > end || (packet.getShort(at + VXLAN_LENGTH + 12) & 0xFFFF) != ETHERTYPE_IPV4
                || (packet.get(ip) & 0xF0) != 0x40 || (packet.get(ip + 9) & 0xFF) != PROTOCOL_UDP
                || (packet.getShort(ip + 6) & 0x3FFF) != 0) {
            return -1;
        }
        int udp = ip + (packet.get(ip) & 0x0F) * 4;
        return udp + UDP_LENGTH <= end ? udp + UDP_LENGTH : -1;
    }

    /** The UDP payload's length at {@code payloadOffset}: the UDP header's, bounded by what the packet holds. */
    static int udpPayloadLength(ByteBuffer packet, int payloadOffset) {
        int udpLength = packet.getShort(payloadOffset - UDP_LENGTH + 4) & 0xFFFF;
        return Math.max(0, Math.min(udpLength - UDP_LENGTH, packet.limit() - payloadOffset));
    }

    private static long mac(ByteBuffer packet, int offset) {
        return ((long) (packet.getShort(offset) & 0xFFFF) << 32) | (packet.getInt(offset + 2) & 0xFFFF_FFFFL);
    }

    private static void putMac(ByteBuffer out, int offset, long mac) {
        out.putShort(offset, (short) (mac >>> 32));
        out.putInt(offset + 2, (int) mac);
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes at {@code offset}, starting from {@code sum}. */
    static int checksum(ByteBuffer buffer, int offset, int length, long sum) {
        return IcmpErrors.checksum(buffer, offset, length, sum);
    }
}
