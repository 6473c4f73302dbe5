package io.isthmus.fastpath.packet;

import java.nio.ByteBuffer;

/**
 * An Ethernet II header (no 802.1Q tag; a tagged frame shows EtherType 0x8100 and is punted).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination MAC Address                    |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                      Source MAC Address                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           EtherType           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class EthernetFlyweight extends HeaderFlyweight {

    public static final int DST_MAC_OFFSET = 0;
    public static final int SRC_MAC_OFFSET = 6;
    public static final int ETHER_TYPE_OFFSET = 12;
    public static final int HEADER_LENGTH = 14;

    public static final int ETHER_TYPE_IPV4 = 0x0800;
    public static final int ETHER_TYPE_ARP = 0x0806;
    public static final int ETHER_TYPE_VLAN = 0x8100;
    public static final int ETHER_TYPE_IPV6 = 0x86DD;

    public EthernetFlyweight wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset, HEADER_LENGTH);
        return this;
    }

    /** The destination MAC in the low 48 bits. */
    public long dstMac() {
        return mac(DST_MAC_OFFSET);
    }

    public EthernetFlyweight dstMac(long mac) {
        putMac(DST_MAC_OFFSET, mac);
        return this;
    }

    /** The source MAC in the low 48 bits. */
    public long srcMac() {
        return mac(SRC_MAC_OFFSET);
    }

    public EthernetFlyweight srcMac(long mac) {
        putMac(SRC_MAC_OFFSET, mac);
        return this;
    }

    public int etherType() {
        return u16(ETHER_TYPE_OFFSET);
    }

    public EthernetFlyweight etherType(int etherType) {
        putU16(ETHER_TYPE_OFFSET, etherType);
        return this;
    }

    private long mac(int fieldOffset) {
        return ((long) u16(fieldOffset) << 32) | (i32(fieldOffset + 2) & 0xFFFF_FFFFL);
    }

    private void putMac(int fieldOffset, long mac) {
        putU16(fieldOffset, (int) (mac >>> 32));
        putI32(fieldOffset + 2, (int) mac);
    }
}
