package io.isthmus.fastpath.packet;

import java.nio.ByteBuffer;

/**
 * A TCP header (RFC 9293).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           [Options]                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class TcpFlyweight extends HeaderFlyweight {

    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int SEQUENCE_OFFSET = 4;
    public static final int ACKNOWLEDGMENT_OFFSET = 8;
    public static final int DATA_OFFSET_FLAGS_OFFSET = 12;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_POINTER_OFFSET = 18;
    public static final int MIN_HEADER_LENGTH = 20;

    public static final int FLAG_FIN = 0x01;
    public static final int FLAG_SYN = 0x02;
    public static final int FLAG_RST = 0x04;
    public static final int FLAG_PSH = 0x08;
    public static final int FLAG_ACK = 0x10;

    public TcpFlyweight wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset, MIN_HEADER_LENGTH);
        return this;
    }

    public int srcPort() {
        return u16(SRC_PORT_OFFSET);
    }

    public TcpFlyweight srcPort(int port) {
        putU16(SRC_PORT_OFFSET, port);
        return this;
    }

    public int dstPort() {
        return u16(DST_PORT_OFFSET);
    }

    public TcpFlyweight dstPort(int port) {
        putU16(DST_PORT_OFFSET, port);
        return this;
    }

    public int sequenceNumber() {
        return i32(SEQUENCE_OFFSET);
    }

    public TcpFlyweight sequenceNumber(int sequence) {
        putI32(SEQUENCE_OFFSET, sequence);
        return this;
    }

    public int acknowledgmentNumber() {
        return i32(ACKNOWLEDGMENT_OFFSET);
    }

    public TcpFlyweight acknowledgmentNumber(int acknowledgment) {
        putI32(ACKNOWLEDGMENT_OFFSET, acknowledgment);
        return this;
    }

    /** The header length in bytes (data offset × 4). */
    public int headerLength() {
        return (u8(DATA_OFFSET_FLAGS_OFFSET) >>> 4) * 4;
    }

    /** The control bits (CWR..FIN). */
    public int flags() {
        return u8(DATA_OFFSET_FLAGS_OFFSET + 1);
    }

    public TcpFlyweight dataOffsetAndFlags(int headerLength, int flags) {
        putU8(DATA_OFFSET_FLAGS_OFFSET, (headerLength / 4) << 4);
        putU8(DATA_OFFSET_FLAGS_OFFSET + 1, flags);
        return this;
    }

    public int window() {
        return u16(WINDOW_OFFSET);
    }

    public TcpFlyweight window(int window) {
        putU16(WINDOW_OFFSET, window);
        return this;
    }

    public int checksum() {
        return u16(CHECKSUM_OFFSET);
    }

    public TcpFlyweight checksum(int checksum) {
        putU16(CHECKSUM_OFFSET, checksum);
        return this;
    }

    public int urgentPointer() {
        return u16(URGENT_POINTER_OFFSET);
    }

    /**
     * The checksum over the pseudo-header of the IPv4 header at {@code ipOffset} and this segment of
     * {@code segmentLength} bytes (header and data).
     */
    public int computeChecksum(int ipOffset, int segmentLength) {
        return Checksums.transportChecksum(buffer, ipOffset, offset, segmentLength, Ipv4Flyweight.PROTOCOL_TCP,
                CHECKSUM_OFFSET);
    }
}
