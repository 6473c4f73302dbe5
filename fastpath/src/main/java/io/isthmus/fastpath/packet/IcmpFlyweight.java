package io.isthmus.fastpath.packet;

import java.nio.ByteBuffer;

/**
 * An ICMP header (RFC 792) as echo request and reply lay it out. The checksum covers the ICMP message only, no
 * pseudo-header, so rewriting IPv4 addresses leaves it alone; rewriting the identifier does not.
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

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;

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

    /** The checksum over this message of {@code messageLength} bytes. */
    public int computeChecksum(int messageLength) {
        return Checksums.checksumExcluding(buffer, offset, messageLength, CHECKSUM_OFFSET);
    }
}
