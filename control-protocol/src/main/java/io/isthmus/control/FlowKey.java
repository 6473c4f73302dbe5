package io.isthmus.control;

/**
 * A flow as the control plane names it: (VNI, protocol, source, destination, source port, destination port).
 * <p>
 * The data plane never builds one; it packs the same six fields into two longs ({@link #high()}, {@link #low()}). For
 * ICMP echo the "ports" carry the echo identifier: an echo request has {@code srcPort = identifier, dstPort = 0}, an
 * echo reply {@code srcPort = 0, dstPort = identifier}, so a reply's key is the request's key reversed. An ICMP error
 * is keyed as a packet of the flow it quotes travelling its way: the quote's key reversed. ESP (protocol 50) carries its
 * SPI in the ports, upper half as source port.
 *
 * @param vni the VXLAN network identifier (24 bits)
 * @param protocol the IPv4 protocol number (6 TCP, 17 UDP, 1 ICMP)
 * @param srcAddress the source IPv4 address, big-endian
 * @param dstAddress the destination IPv4 address, big-endian
 * @param srcPort the source port (16 bits)
 * @param dstPort the destination port (16 bits)
 */
public record FlowKey(int vni, int protocol, int srcAddress, int dstAddress, int srcPort, int dstPort) {

    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;

    public FlowKey {
        if ((vni & ~0xFF_FFFF) != 0) {
            throw new IllegalArgumentException("VNI out of 24 bits: " + vni);
        }
        if ((protocol & ~0xFF) != 0 || (srcPort & ~0xFFFF) != 0 || (dstPort & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("protocol or port out of range");
        }
    }

    /** The key of packets flowing the other way on {@code vni}. */
    public FlowKey reversed(int vni) {
        return new FlowKey(vni, protocol, dstAddress, srcAddress, dstPort, srcPort);
    }

    /** The upper half of the packed key: VNI, protocol and ports. */
    public long high() {
        return packHigh(vni, protocol, srcPort, dstPort);
    }

    /** The lower half of the packed key: the addresses. */
    public long low() {
        return packLow(srcAddress, dstAddress);
    }

    /** Unpacks a key packed by {@link #packHigh} and {@link #packLow}. */
    public static FlowKey unpack(long high, long low) {
        return new FlowKey((int) (high >>> 40) & 0xFF_FFFF, (int) (high >>> 32) & 0xFF, (int) (low >>> 32), (int) low,
                (int) (high >>> 16) & 0xFFFF, (int) high & 0xFFFF);
    }

    /** {@code vni(24) | protocol(8) | srcPort(16) | dstPort(16)}, all 64 bits used. */
    public static long packHigh(int vni, int protocol, int srcPort, int dstPort) {
        return ((long) (vni & 0xFF_FFFF) << 40) | ((long) (protocol & 0xFF) << 32) | ((long) (srcPort & 0xFFFF) << 16)
                | (dstPort & 0xFFFF);
    }

    /** {@code srcAddress(32) | dstAddress(32)}. */
    public static long packLow(int srcAddress, int dstAddress) {
        return ((long) srcAddress << 32) | (dstAddress & 0xFFFF_FFFFL);
    }

    @Override
    public String toString() {
        return "vni=" + vni + " proto=" + protocol + " " + Ipv4Addresses.format(srcAddress) + ":" + srcPort + " -> "
                + Ipv4Addresses.format(dstAddress) + ":" + dstPort;
    }
}
