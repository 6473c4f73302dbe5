package io.isthmus.vnf.cen.bgp;

/**
 * An IPv4 prefix: the address as a big-endian int ({@code 10.0.0.0} is {@code 0x0A000000}) and its length, 0 to 32.
 * The bits beyond the length are zero.
 */
public record Prefix(int address, int length) {

    public Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length " + length + " is outside 0..32");
        }
        if ((address & ~mask(length)) != 0) {
            throw new IllegalArgumentException(
                    "prefix " + formatAddress(address) + "/" + length + " has bits set beyond its length");
        }
    }

    /** {@code "10.1.0.0/16"} → the prefix; a host address without a length is a /32. */
    public static Prefix parse(String text) {
        int slash = text.indexOf('/');
        int address = parseAddress(slash < 0 ? text : text.substring(0, slash));
        int length = slash < 0 ? 32 : Integer.parseInt(text.substring(slash + 1));
        return new Prefix(address, length);
    }

    /** The prefix of {@code length} bits that contains {@code address} (the host bits cleared). */
    public static Prefix of(int address, int length) {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length " + length + " is outside 0..32");
        }
        return new Prefix(address & mask(length), length);
    }

    /** The netmask of a length as an int: 24 → {@code 0xFFFFFF00}. */
    public static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /** {@code "192.0.2.1"} → {@code 0xC0000201}. */
    public static int parseAddress(String dotted) {
        String[] parts = dotted.trim().split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int address = 0;
        for (String part : parts) {
            int octet = Integer.parseInt(part);
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            address = address << 8 | octet;
        }
        return address;
    }

    public static String formatAddress(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF);
    }

    /** A key unique per prefix, for primitive sets: the address in the high bits, the length in the low byte. */
    long key() {
        return (address & 0xFFFF_FFFFL) << 8 | length;
    }

    static Prefix ofKey(long key) {
        return new Prefix((int) (key >>> 8), (int) (key & 0xFF));
    }

    @Override
    public String toString() {
        return formatAddress(address) + "/" + length;
    }
}
