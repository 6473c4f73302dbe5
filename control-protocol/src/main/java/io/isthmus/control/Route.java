package io.isthmus.control;

/**
 * A route as the slowpath installs it in a fastpath's longest-prefix-match table (INSTALL_ROUTE, ROUTE_BATCH):
 * packets to {@code prefix/prefixLength} leave on {@code vni} towards the VXLAN tunnel endpoint
 * {@code nextHopAddress:nextHopPort}.
 *
 * @param prefix the destination prefix, big-endian, with no bits set beyond {@code prefixLength}
 * @param prefixLength 0 (the default route) to 32
 * @param vni the VXLAN network identifier to send on (24 bits)
 * @param nextHopAddress the next hop's IPv4 address
 * @param nextHopPort the next hop's UDP port
 */
public record Route(int prefix, int prefixLength, int vni, int nextHopAddress, int nextHopPort) {

    public Route {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length out of 0..32: " + prefixLength);
        }
        if ((prefix & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("prefix has bits beyond its length: " + Ipv4Addresses.format(prefix)
                    + "/" + prefixLength);
        }
        if ((vni & ~0xFF_FFFF) != 0 || (nextHopPort & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("VNI or next-hop port out of range");
        }
    }

    /** A route to {@code cidr} ("10.1.0.0/16"). */
    public static Route of(String cidr, int vni, int nextHopAddress, int nextHopPort) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR prefix: " + cidr);
        }
        return new Route(Ipv4Addresses.parse(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)),
                vni, nextHopAddress, nextHopPort);
    }

    /** The network mask of a prefix length: 0 for 0, -1 (all ones) for 32. */
    public static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    @Override
    public String toString() {
        return Ipv4Addresses.format(prefix) + "/" + prefixLength + " vni=" + vni + " via "
                + Ipv4Addresses.format(nextHopAddress) + ":" + nextHopPort;
    }
}
