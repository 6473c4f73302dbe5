package io.isthmus.fastpath.packet;

import java.nio.ByteBuffer;

import io.isthmus.control.PuntReason;

/**
 * An IPv6 fixed header (RFC 8200). The fastpath parses and checks it but keys only IPv4, so IPv6 packets are punted
 * ({@code PuntReason.IPV6}); addresses are read as two longs each.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +                         Source Address                        +
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +                      Destination Address                      +
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv6Flyweight extends HeaderFlyweight {

    public static final int VERSION_CLASS_LABEL_OFFSET = 0;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SRC_ADDRESS_OFFSET = 8;
    public static final int DST_ADDRESS_OFFSET = 24;
    public static final int HEADER_LENGTH = 40;

    public static final int NEXT_HEADER_TCP = 6;
    public static final int NEXT_HEADER_UDP = 17;
    public static final int NEXT_HEADER_ICMPV6 = 58;

    public Ipv6Flyweight wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset, HEADER_LENGTH);
        return this;
    }

    public int version() {
        return u8(VERSION_CLASS_LABEL_OFFSET) >>> 4;
    }

    public int trafficClass() {
        return (i32(VERSION_CLASS_LABEL_OFFSET) >>> 20) & 0xFF;
    }

    public int flowLabel() {
        return i32(VERSION_CLASS_LABEL_OFFSET) & 0xF_FFFF;
    }

    /** Writes version 6, {@code trafficClass} and {@code flowLabel}. */
    public Ipv6Flyweight versionClassLabel(int trafficClass, int flowLabel) {
        putI32(VERSION_CLASS_LABEL_OFFSET, (6 << 28) | ((trafficClass & 0xFF) << 20) | (flowLabel & 0xF_FFFF));
        return this;
    }

    /** The bytes after this fixed header (extension headers included). */
    public int payloadLength() {
        return u16(PAYLOAD_LENGTH_OFFSET);
    }

    public Ipv6Flyweight payloadLength(int length) {
        putU16(PAYLOAD_LENGTH_OFFSET, length);
        return this;
    }

    public int nextHeader() {
        return u8(NEXT_HEADER_OFFSET);
    }

    public Ipv6Flyweight nextHeader(int nextHeader) {
        putU8(NEXT_HEADER_OFFSET, nextHeader);
        return this;
    }

    public int hopLimit() {
        return u8(HOP_LIMIT_OFFSET);
    }

    public Ipv6Flyweight hopLimit(int hopLimit) {
        putU8(HOP_LIMIT_OFFSET, hopLimit);
        return this;
    }

    /** The upper 64 bits of the source address. */
    public long srcAddressHigh() {
        return buffer.getLong(offset + SRC_ADDRESS_OFFSET);
    }

    public long srcAddressLow() {
        return buffer.getLong(offset + SRC_ADDRESS_OFFSET + 8);
    }

    public long dstAddressHigh() {
        return buffer.getLong(offset + DST_ADDRESS_OFFSET);
    }

    public long dstAddressLow() {
        return buffer.getLong(offset + DST_ADDRESS_OFFSET + 8);
    }

    public Ipv6Flyweight srcAddress(long high, long low) {
        buffer.putLong(offset + SRC_ADDRESS_OFFSET, high);
        buffer.putLong(offset + SRC_ADDRESS_OFFSET + 8, low);
        return this;
    }

    public Ipv6Flyweight dstAddress(long high, long low) {
        buffer.putLong(offset + DST_ADDRESS_OFFSET, high);
        buffer.putLong(offset + DST_ADDRESS_OFFSET + 8, low);
        return this;
    }
}
