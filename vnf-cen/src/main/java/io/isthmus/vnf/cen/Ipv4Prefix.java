package io.isthmus.vnf.cen;

import io.isthmus.control.Ipv4Addresses;

/**
 * An IPv4 prefix: the network address (big-endian, no bits set beyond {@code length}) and its length, 0 to 32.
 * {@link #key()} packs it in a long for the primitive maps of the route tables.
 */
public record Ipv4Prefix(int address, int length) implements Comparable<Ipv4Prefix> {

    public Ipv4Prefix {
        if (length < 0 || length > 32 || (address & ~mask(length)) != 0) {
            throw new IllegalArgumentException("not a prefix: " + Ipv4Addresses.format(address) + "/" + length);
        }
    }

    /** The netmask of a length: 24 is {@code 0xFFFFFF00}. */
    public static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /** The address in bits 8..39, the length in the low byte: unique per prefix, never negative. */
    public long key() {
        return key(address, length);
    }

    public static long key(int address, int length) {
        return (address & 0xFFFF_FFFFL) << 8 | length;
    }

    public static Ipv4Prefix ofKey(long key) {
        return new Ipv4Prefix((int) (key >>> 8), (int) (key & 0xFF));
    }

    public static int addressOf(long key) {
        return (int) (key >>> 8);
    }

    public static int lengthOf(long key) {
        return (int) (key & 0xFF);
    }

    /**
     * Parses {@code a.b.c.d/n}.
     *
     * @throws IllegalArgumentException if the text is no prefix, or has host bits set (the message names the network)
     */
    public static Ipv4Prefix parse(String text) {
        int slash = text.indexOf('/');
        String lengthText = slash < 0 ? "" : text.substring(slash + 1);
        if (slash < 0 || lengthText.isEmpty() || lengthText.length() > 2 || !lengthText.chars().allMatch(c -> c >= '0'
                && c <= '9')) {
            throw new IllegalArgumentException("not an IPv4 prefix a.b.c.d/n: " + text);
        }
        int length = Integer.parseInt(lengthText);
        int address = Ipv4Addresses.parse(text.substring(0, slash));
        if (length > 32) {
            throw new IllegalArgumentException("not an IPv4 prefix a.b.c.d/n: " + text);
        }
        if ((address & ~mask(length)) != 0) {
            throw new IllegalArgumentException("host bits set in " + text + " (the network is "
                    + Ipv4Addresses.format(address & mask(length)) + "/" + length + ")");
        }
        return new Ipv4Prefix(address, length);
    }

    public boolean contains(int other) {
        return (other & mask(length)) == address;
    }

    @Override
    public int compareTo(Ipv4Prefix other) {
        int byAddress = Integer.compareUnsigned(address, other.address);
        return byAddress != 0 ? byAddress : Integer.compare(length, other.length);
    }

    @Override
    public String toString() {
        return Ipv4Addresses.format(address) + "/" + length;
    }
}
