package io.isthmus.fastpath.packet;

import java.nio.ByteBuffer;

/**
 * An ESP header (RFC 4303) with the 8-byte explicit IV of AES-GCM (RFC 4106), the IPv4 payload of protocol 50. The
 * payload that follows is encrypted; its trailer (padding, pad length, next header) and the 16-byte ICV are only
 * visible after decryption ({@code io.isthmus.fastpath.flow.EspProcessor}).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Security Parameters Index (SPI)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Sequence Number                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Initialization Vector (8)                    |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Encrypted: inner IPv4 packet, padding, pad length,       |
 * ~      next header (4 = IPv4)                                   ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Integrity Check Value (16)                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class EspFlyweight extends HeaderFlyweight {

    public static final int SPI_OFFSET = 0;
    public static final int SEQUENCE_OFFSET = 4;
    public static final int HEADER_LENGTH = 8;
    public static final int IV_OFFSET = 8;
    public static final int IV_LENGTH = 8;
    /** Where the encrypted payload starts. */
    public static final int PAYLOAD_OFFSET = IV_OFFSET + IV_LENGTH;
    /** The AES-GCM tag (RFC 4106: 16 bytes). */
    public static final int ICV_LENGTH = 16;
    /** Pad length and next header. */
    public static final int TRAILER_LENGTH = 2;
    /** The next header of an IPv4 packet in tunnel mode. */
    public static final int NEXT_HEADER_IPV4 = 4;

    public EspFlyweight wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset, HEADER_LENGTH);
        return this;
    }

    public int spi() {
        return i32(SPI_OFFSET);
    }

    public EspFlyweight spi(int spi) {
        putI32(SPI_OFFSET, spi);
        return this;
    }

    /** The low 32 bits of the sequence number. */
    public int sequenceNumber() {
        return i32(SEQUENCE_OFFSET);
    }

    public EspFlyweight sequenceNumber(int sequence) {
        putI32(SEQUENCE_OFFSET, sequence);
        return this;
    }

    public long iv() {
        return buffer.getLong(offset + IV_OFFSET);
    }

    public EspFlyweight iv(long iv) {
        buffer.putLong(offset + IV_OFFSET, iv);
        return this;
    }
}
