package io.isthmus.control.message;

import java.nio.ByteBuffer;

/**
 * TRANSMIT, slowpath to fastpath (additive, for a fastpath whose HELLO announced {@link HelloFlyweight#TRANSMIT}): a
 * packet the slowpath made — an ICMP error such as time exceeded, from the VNF's own address — for the fastpath to
 * send as it is, from its data socket, to a VXLAN tunnel endpoint. The packet starts at its VXLAN header, like a
 * punted one; the fastpath neither parses nor looks it up.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 16)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Next Hop Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Next Hop Port          |         Packet Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Packet ...                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class TransmitFlyweight {

    public static final int NEXT_HOP_ADDRESS_OFFSET = 12;
    public static final int NEXT_HOP_PORT_OFFSET = 16;
    public static final int PACKET_LENGTH_OFFSET = 18;
    public static final int PACKET_OFFSET = 20;
    /** The largest packet a TRANSMIT carries: what fits one unfragmented datagram on a 1500-byte MTU. */
    public static final int MAX_PACKET_LENGTH = ControlProtocol.MAX_BATCH_BYTES - PACKET_OFFSET;

    private TransmitFlyweight() {
    }

    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, int nextHopAddress,
            int nextHopPort, byte[] packet) {
        if (packet.length > MAX_PACKET_LENGTH) {
            throw new IllegalArgumentException("a TRANSMIT carries at most " + MAX_PACKET_LENGTH + " bytes, not "
                    + packet.length);
        }
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.TRANSMIT, fastpathId, sequence);
        buffer.putInt(offset + NEXT_HOP_ADDRESS_OFFSET, nextHopAddress);
        buffer.putShort(offset + NEXT_HOP_PORT_OFFSET, (short) nextHopPort);
        buffer.putShort(offset + PACKET_LENGTH_OFFSET, (short) packet.length);
        buffer.put(offset + PACKET_OFFSET, packet);
        return PACKET_OFFSET + packet.length;
    }

    /** Whether the message holds its header, a next hop with a port and the whole packet it announces. */
    public static boolean isValid(ByteBuffer buffer, int offset, int length) {
        return length >= PACKET_OFFSET && nextHopPort(buffer, offset) != 0
                && PACKET_OFFSET + packetLength(buffer, offset) <= length && packetLength(buffer, offset) > 0;
    }

    public static int nextHopAddress(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + NEXT_HOP_ADDRESS_OFFSET);
    }

    public static int nextHopPort(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + NEXT_HOP_PORT_OFFSET) & 0xFFFF;
    }

    public static int packetLength(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + PACKET_LENGTH_OFFSET) & 0xFFFF;
    }
}
