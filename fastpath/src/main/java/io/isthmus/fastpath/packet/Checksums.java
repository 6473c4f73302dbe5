package io.isthmus.fastpath.packet;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071): full computation for IPv4 headers and TCP/UDP/ICMP messages, and incremental
 * update (RFC 1624, eqn. 3: {@code HC' = ~(~HC + ~m + m')}) for rewrites. All values are 16-bit in an {@code int}.
 */
public final class Checksums {

    private Checksums() {
    }

    /**
     * The ones'-complement sum, unfolded, of the big-endian 16-bit words of {@code length} bytes from
     * {@code offset}; an odd last byte is padded with zero.
     */
    public static long sum(ByteBuffer buffer, int offset, int length) {
        long sum = 0;
        int i = offset;
        int end = offset + length;
        for (; i + 4 <= end; i += 4) {
            sum += buffer.getInt(i) & 0xFFFF_FFFFL;
        }
        if (i + 2 <= end) {
            sum += buffer.getShort(i) & 0xFFFF;
            i += 2;
        }
        if (i < end) {
            sum += (buffer.get(i) & 0xFF) << 8;
        }
        // 32-bit words summed: fold the two halves, 2^16 ≡ 1 (mod 0xFFFF)
        return (sum >>> 32) + ((sum >>> 16) & 0xFFFF) + (sum & 0xFFFF);
    }

    /** Folds carries into 16 bits. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The checksum of {@code length} bytes from {@code offset}, the checksum field at {@code fieldOffset} excluded. */
    public static int checksumExcluding(ByteBuffer buffer, int offset, int length, int fieldOffset) {
        long sum = sum(buffer, offset, fieldOffset) + sum(buffer, offset + fieldOffset + 2, length - fieldOffset - 2);
        return ~fold(sum) & 0xFFFF;
    }

    /** The IPv4 header checksum over {@code headerLength} bytes, its checksum field excluded. */
    public static int ipv4HeaderChecksum(ByteBuffer buffer, int ipOffset, int headerLength) {
        return checksumExcluding(buffer, ipOffset, headerLength, Ipv4Flyweight.CHECKSUM_OFFSET);
    }

    /**
     * The TCP or UDP checksum: the pseudo-header (source, destination, protocol, {@code l4Length}) of the IPv4 header
     * at {@code ipOffset} and {@code l4Length} bytes from {@code l4Offset}, the checksum field (at
     * {@code checksumFieldOffset} into the L4 header) excluded. Not mapped for UDP: callers send a computed 0 as
     * 0xFFFF.
     */
    public static int transportChecksum(ByteBuffer buffer, int ipOffset, int l4Offset, int l4Length, int protocol,
            int checksumFieldOffset) {
        long sum = sum(buffer, ipOffset + Ipv4Flyweight.SRC_ADDRESS_OFFSET, 8) + protocol + l4Length;
        sum += sum(buffer, l4Offset, checksumFieldOffset);
        sum += sum(buffer, l4Offset + checksumFieldOffset + 2, l4Length - checksumFieldOffset - 2);
        return ~fold(sum) & 0xFFFF;
    }

    /** RFC 1624 eqn. 3 for one 16-bit word changing from {@code oldWord} to {@code newWord}. */
    public static int update16(int checksum, int oldWord, int newWord) {
        int sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return ~sum & 0xFFFF;
    }

    /** RFC 1624 eqn. 3 for a 32-bit field (an IPv4 address) changing from {@code oldValue} to {@code newValue}. */
    public static int update32(int checksum, int oldValue, int newValue) {
        int sum = (~checksum & 0xFFFF) + (~(oldValue >>> 16) & 0xFFFF) + (~oldValue & 0xFFFF) + (newValue >>> 16)
                + (newValue & 0xFFFF);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return ~sum & 0xFFFF;
    }
}
