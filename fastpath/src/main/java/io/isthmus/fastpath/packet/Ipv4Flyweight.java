package io.isthmus.fastpath.packet;

import java.nio.ByteBuffer;

/**
 * An IPv4 header (RFC 791).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv4Flyweight extends HeaderFlyweight {

    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SRC_ADDRESS_OFFSET = 12;
    public static final int DST_ADDRESS_OFFSET = 16;
    public static final int MIN_HEADER_LENGTH = 20;

    public static final int FLAG_DONT_FRAGMENT = 0x4000;
    public static final int FLAG_MORE_FRAGMENTS = 0x2000;
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    public Ipv4Flyweight wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset, MIN_HEADER_LENGTH);
        return this;
    }

    public int version() {
        return u8(VERSION_IHL_OFFSET) >>> 4;
    }

    /** The header length in 32-bit words. */
    public int ihl() {
        return u8(VERSION_IHL_OFFSET) & 0x0F;
    }

    /** The header length in bytes. */
    public int headerLength() {
        return ihl() * 4;
    }

    public Ipv4Flyweight versionAndIhl(int version, int ihl) {
        putU8(VERSION_IHL_OFFSET, (version << 4) | (ihl & 0x0F));
        return this;
    }

    /** Whether the header carries options. */
    public boolean hasOptions() {
        return ihl() > 5;
    }

    public int tos() {
        return u8(TOS_OFFSET);
    }

    public Ipv4Flyweight tos(int tos) {
        putU8(TOS_OFFSET, tos);
        return this;
    }

    public int totalLength() {
        return u16(TOTAL_LENGTH_OFFSET);
    }

    public Ipv4Flyweight totalLength(int totalLength) {
        putU16(TOTAL_LENGTH_OFFSET, totalLength);
        return this;
    }

    public int identification() {
        return u16(IDENTIFICATION_OFFSET);
    }

    public Ipv4Flyweight identification(int identification) {
        putU16(IDENTIFICATION_OFFSET, identification);
        return this;
    }

    /** The 16-bit word of flags and fragment offset. */
    public int flagsAndFragmentOffset() {
        return u16(FLAGS_FRAGMENT_OFFSET);
    }

    public Ipv4Flyweight flagsAndFragmentOffset(int value) {
        putU16(FLAGS_FRAGMENT_OFFSET, value);
        return this;
    }

    public boolean dontFragment() {
        return (flagsAndFragmentOffset() & FLAG_DONT_FRAGMENT) != 0;
    }

    public boolean moreFragments() {
        return (flagsAndFragmentOffset() & FLAG_MORE_FRAGMENTS) != 0;
    }

    /** The fragment offset in 8-byte units. */
    public int fragmentOffset() {
        return flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK;
    }

    /** Whether this packet is one fragment of a larger datagram (first, middle or last). */
    public boolean isFragment() {
        return (flagsAndFragmentOffset() & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return u8(TTL_OFFSET);
    }

    public Ipv4Flyweight ttl(int ttl) {
        putU8(TTL_OFFSET, ttl);
        return this;
    }

    public int protocol() {
        return u8(PROTOCOL_OFFSET);
    }

    public Ipv4Flyweight protocol(int protocol) {
        putU8(PROTOCOL_OFFSET, protocol);
        return this;
    }

    /** The 16-bit word of TTL and protocol, as the checksum sees it. */
    public int ttlProtocolWord() {
        return u16(TTL_OFFSET);
    }

    public int checksum() {
        return u16(CHECKSUM_OFFSET);
    }

    public Ipv4Flyweight checksum(int checksum) {
        putU16(CHECKSUM_OFFSET, checksum);
        return this;
    }

    public int srcAddress() {
        return i32(SRC_ADDRESS_OFFSET);
    }

    public Ipv4Flyweight srcAddress(int address) {
        putI32(SRC_ADDRESS_OFFSET, address);
        return this;
    }

    public int dstAddress() {
        return i32(DST_ADDRESS_OFFSET);
    }

    public Ipv4Flyweight dstAddress(int address) {
        putI32(DST_ADDRESS_OFFSET, address);
        return this;
    }

    /** The header checksum computed over the header as it is now (the stored checksum excluded). */
    public int computeChecksum() {
        return Checksums.ipv4HeaderChecksum(buffer, offset, headerLength());
    }

    /** Whether the stored checksum matches the header. */
    public boolean isChecksumValid() {
        return computeChecksum() == checksum();
    }

    /** Recomputes and stores the header checksum. */
    public Ipv4Flyweight updateChecksum() {
        return checksum(computeChecksum());
    }
}
