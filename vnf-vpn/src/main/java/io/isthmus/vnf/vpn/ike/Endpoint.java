package io.isthmus.vnf.vpn.ike;

/** A UDP endpoint: an IPv4 address as a big-endian int and a port. */
public record Endpoint(int address, int port) {

    public Endpoint withPort(int newPort) {
        return new Endpoint(address, newPort);
    }

    public static String dotted(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    /** Parses {@code a.b.c.d} into a big-endian int. */
    public static int parseAddress(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int address = 0;
        for (String part : parts) {
            int octet = Integer.parseInt(part);
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            address = (address << 8) | octet;
        }
        return address;
    }

    @Override
    public String toString() {
        return dotted(address) + ":" + port;
    }
}
