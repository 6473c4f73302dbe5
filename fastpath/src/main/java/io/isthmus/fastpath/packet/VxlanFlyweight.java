package io.isthmus.fastpath.packet;

import java.nio.ByteBuffer;

/**
 * A VXLAN header (RFC 7348), the UDP payload on a tunnel endpoint's port; an Ethernet frame follows it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|R|R|R|I|R|R|R|                  Reserved                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           VXLAN Network Identifier (VNI)      |   Reserved    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class VxlanFlyweight extends HeaderFlyweight {

    public static final int FLAGS_OFFSET = 0;
    public static final int VNI_OFFSET = 4;
    public static final int HEADER_LENGTH = 8;

    /** The I flag: the VNI is valid. RFC 7348 requires it set. */
    public static final int FLAG_VNI_VALID = 0x08;
    public static final int MAX_VNI = 0xFF_FFFF;

    public VxlanFlyweight wrap(ByteBuffer buffer, int offset) {
        wrapAt(buffer, offset, HEADER_LENGTH);
        return this;
    }

    public int flags() {
        return u8(FLAGS_OFFSET);
    }

    public boolean isVniValid() {
        return (flags() & FLAG_VNI_VALID) != 0;
    }

    /** Writes a clean header: I flag, reserved fields zero and {@code vni}. */
    public VxlanFlyweight reset(int vni) {
        putI32(FLAGS_OFFSET, FLAG_VNI_VALID << 24);
        putI32(VNI_OFFSET, (vni & MAX_VNI) << 8);
        return this;
    }

    public int vni() {
        return i32(VNI_OFFSET) >>> 8;
    }

    /** Sets the VNI, keeping the reserved low byte. */
    public VxlanFlyweight vni(int vni) {
        putI32(VNI_OFFSET, ((vni & MAX_VNI) << 8) | u8(VNI_OFFSET + 3));
        return this;
    }
}
