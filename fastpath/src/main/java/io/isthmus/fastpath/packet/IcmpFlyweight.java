package io.isthmus.fastpath.packet;

import java.nio.ByteBuffer;

/**
 * An ICMP header (RFC 792) as echo request and reply lay it out. The checksum covers the ICMP message only, no
 * pseudo-header, so rewriting IPv4 addresses leaves it alone; rewriting the identifier does not.
 * <p>
 * An error (destination unreachable, time exceeded, parameter problem) has the same first four bytes, then four bytes
 * that are unused (or next-hop MTU, RFC 1191; pointer, for parameter problem) and the quoted packet from
 * {@link #QUOTED_PACKET_OFFSET}: its IPv4 header and at least 8 bytes of its payload (RFC 792; RFC 1812 routers quote
 * more). The quote is part of the ICMP message, so rewriting it changes the ICMP checksum.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data ...
 * +-+-+-+-+-
 * </pre>
 */
public final class IcmpFlyweight extends HeaderFlyweight {

    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;
    /** Errors: bytes 6-7 of a destination unreachable, fragmentation needed (type 3, code 4). */
    public static final int NEXT_HOP_MTU_OFFSET = 6;
    /** Errors: byte 4 of a parameter problem. */
    public static final int POINTER_OFFSET = 4;
    /** Errors: where the quoted IPv4 header starts. */
    public static final int QUOTED_PACKET_OFFSET = 8;
    /** The quoted payload bytes an error carries at least (RFC 792): the ports, or an ICMP echo's identifier. */
    public static final int MIN_QUOTED_PAYLOAD = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;

    public static final int CODE_TTL_EXCEEDED_IN_TRANSIT = 0;
    public static final int CODE_FRAGMENTATION_NEEDED = 4;

    public IcmpFlyweight wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset, HEADER_LENGTH);
        return this;
    }

    public int type() {
        return u8(TYPE_OFFSET);
    }

    public IcmpFlyweight type(int type) {
        putU8(TYPE_OFFSET, type);
        return this;
    }

    public int code() {
        return u8(CODE_OFFSET);
    }

    public IcmpFlyweight code(int code) {
        putU8(CODE_OFFSET, code);
        return this;
    }

    public int checksum() {
        return u16(CHECKSUM_OFFSET);
    }

    public IcmpFlyweight checksum(int checksum) {
        putU16(CHECKSUM_OFFSET, checksum);
        return this;
    }

    public int identifier() {
        return u16(IDENTIFIER_OFFSET);
    }

    public IcmpFlyweight identifier(int identifier) {
        putU16(IDENTIFIER_OFFSET, identifier);
        return this;
    }

    public int sequenceNumber() {
        return u16(SEQUENCE_OFFSET);
    }

    public IcmpFlyweight sequenceNumber(int sequence) {
        putU16(SEQUENCE_OFFSET, sequence);
        return this;
    }

    public boolean isEcho() {
        int type = type();
        return type == TYPE_ECHO_REQUEST || type == TYPE_ECHO_REPLY;
    }

    /** Whether this is an error that quotes the packet it is about (types 3, 11, 12). */
    public boolean isError() {
        return isError(type());
    }

    public static boolean isError(int type) {
        return type == TYPE_DESTINATION_UNREACHABLE || type == TYPE_TIME_EXCEEDED || type == TYPE_PARAMETER_PROBLEM;
    }

    /** The next-hop MTU of a fragmentation-needed error (RFC 1191), 0 if the router did not say. */
    public int nextHopMtu() {
        return u16(NEXT_HOP_MTU_OFFSET);
    }

    /** The octet of the quoted header a parameter problem points at. */
    public int pointer() {
        return u8(POINTER_OFFSET);
    }

    /** The offset in the buffer of the quoted IPv4 header of an error. */
    public int quotedPacketOffset() {
        return offset + QUOTED_PACKET_OFFSET;
    }

    /** The checksum over this message of {@code messageLength} bytes. */
    public int computeChecksum(int messageLength) {
        return Checksums.checksumExcluding(buffer, offset, messageLength, CHECKSUM_OFFSET);
    }
}
