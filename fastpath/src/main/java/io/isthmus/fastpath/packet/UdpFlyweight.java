package io.isthmus.fastpath.packet;

import java.nio.ByteBuffer;

/**
 * A UDP header (RFC 768). A checksum of zero means the sender computed none; a computed zero is sent as 0xFFFF.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class UdpFlyweight extends HeaderFlyweight {

    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;

    /** The VXLAN port of RFC 7348; this platform's tunnel endpoints may use others. */
    public static final int VXLAN_PORT = 4789;

    public UdpFlyweight wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset, HEADER_LENGTH);
        return this;
    }

    public int srcPort() {
        return u16(SRC_PORT_OFFSET);
    }

    public UdpFlyweight srcPort(int port) {
        putU16(SRC_PORT_OFFSET, port);
        return this;
    }

    public int dstPort() {
        return u16(DST_PORT_OFFSET);
    }

    public UdpFlyweight dstPort(int port) {
        putU16(DST_PORT_OFFSET, port);
        return this;
    }

    /** Header plus payload, in bytes. */
    public int length() {
        return u16(LENGTH_OFFSET);
    }

    public UdpFlyweight length(int length) {
        putU16(LENGTH_OFFSET, length);
        return this;
    }

    public int checksum() {
        return u16(CHECKSUM_OFFSET);
    }

    public UdpFlyweight checksum(int checksum) {
        putU16(CHECKSUM_OFFSET, checksum);
        return this;
    }

    /**
     * The checksum computed over the pseudo-header of the IPv4 header at {@code ipOffset} and this datagram
     * ({@link #length()} bytes), already mapped 0 → 0xFFFF.
     */
    public int computeChecksum(int ipOffset) {
        int checksum = Checksums.transportChecksum(buffer, ipOffset, offset, length(), Ipv4Flyweight.PROTOCOL_UDP,
                CHECKSUM_OFFSET);
        return checksum == 0 ? 0xFFFF : checksum;
    }
}
