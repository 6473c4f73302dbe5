package io.isthmus.slowpath.policy;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * TCP resets a VNF answers a punted TCP segment with, as the host the segment was addressed to would (RFC 9293 section
 * 3.10.7.1, a segment for a connection that does not exist): from the segment's destination to its source, in the
 * segment's own VXLAN segment (same VNI) in an Ethernet frame with the addresses turned around. If the segment carries
 * an ACK the reset's sequence number is that acknowledgment number; otherwise the reset has sequence number 0 and
 * acknowledges the segment. Pure functions of the punted bytes: no I/O.
 */
public final class TcpResets {

    private static final int TCP_HEADER_LENGTH = 20;
    private static final int PROTOCOL_TCP = 6;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int ACK = 0x10;

    private TcpResets() {
    }

    /** The TCP flags of a punted segment (VXLAN, Ethernet, IPv4, TCP), or -1 if it is not a whole one. */
    public static int flags(ByteBuffer punted) {
        int tcp = tcpOffset(punted);
        return tcp < 0 ? -1 : punted.get(tcp + 13) & 0xFF;
    }

    /** Whether a punted segment opens a connection: SYN without ACK. */
    public static boolean isSyn(ByteBuffer punted) {
        int flags = flags(punted);
        return flags >= 0 && (flags & (SYN | ACK | RST)) == SYN;
    }

    /**
     * The reset answering {@code punted} (VXLAN, Ethernet, IPv4 without options, TCP), or empty if none may be sent:
     * it is not a whole TCP segment, or it is itself a reset.
     */
    public static Optional<byte[]> reset(ByteBuffer punted) {
        int at = punted.position();
        int tcp = tcpOffset(punted);
        if (tcp < 0) {
            return Optional.empty();
        }
        int ip = at + IcmpErrors.VXLAN_LENGTH + IcmpErrors.ETHERNET_LENGTH;
        int flags = punted.get(tcp + 13) & 0xFF;
        if ((flags & RST) != 0) {
            return Optional.empty();
        }
        int totalLength = punted.getShort(ip + 2) & 0xFFFF;
        int dataOffset = ((punted.get(tcp + 12) & 0xF0) >>> 4) * 4;
        int segmentLength = totalLength - IcmpErrors.IPV4_LENGTH - dataOffset + ((flags & SYN) != 0 ? 1 : 0)
                + ((flags & FIN) != 0 ? 1 : 0);
        ByteBuffer out = IcmpErrors.reply(punted, IcmpErrors.IPV4_LENGTH + TCP_HEADER_LENGTH, PROTOCOL_TCP, 0x4000,
                punted.getInt(ip + 16), punted.getInt(ip + 12));
        int outIp = IcmpErrors.VXLAN_LENGTH + IcmpErrors.ETHERNET_LENGTH;
        int outTcp = outIp + IcmpErrors.IPV4_LENGTH;
        out.putShort(outTcp, punted.getShort(tcp + 2));
        out.putShort(outTcp + 2, punted.getShort(tcp));
        if ((flags & ACK) != 0) {
            out.putInt(outTcp + 4, punted.getInt(tcp + 8));
            out.put(outTcp + 13, (byte) RST);
        } else {
            out.putInt(outTcp + 8, punted.getInt(tcp + 4) + segmentLength);
            out.put(outTcp + 13, (byte) (RST | ACK));
        }
        out.put(outTcp + 12, (byte) ((TCP_HEADER_LENGTH / 4) << 4));
        out.putShort(outTcp + 16, (short) tcpChecksum(out, outIp, outTcp, TCP_HEADER_LENGTH));
        return Optional.of(out.array());
    }

    /** The offset of the TCP header of a whole punted IPv4 TCP segment without IP options, or -1. */
    private static int tcpOffset(ByteBuffer punted) {
        int at = punted.position();
        int ip = at + IcmpErrors.VXLAN_LENGTH + IcmpErrors.ETHERNET_LENGTH;
        if (punted.remaining() < IcmpErrors.VXLAN_LENGTH + IcmpErrors.ETHERNET_LENGTH + IcmpErrors.IPV4_LENGTH
                + TCP_HEADER_LENGTH
                || (punted.getShort(at + IcmpErrors.VXLAN_LENGTH + 12) & 0xFFFF) != ETHERTYPE_IPV4
                || (punted.get(ip) & 0xFF) != 0x45 || (punted.get(ip + 9) & 0xFF) != PROTOCOL_TCP
                || (punted.getShort(ip + 6) & 0x1FFF) != 0) {
            return -1;
        }
        return ip + IcmpErrors.IPV4_LENGTH;
    }

    /** The TCP checksum over the IPv4 pseudo-header and {@code length} bytes of segment at {@code tcp}. */
    private static int tcpChecksum(ByteBuffer packet, int ip, int tcp, int length) {
        ByteBuffer pseudo = ByteBuffer.allocate(12 + length);
        pseudo.putInt(0, packet.getInt(ip + 12));
        pseudo.putInt(4, packet.getInt(ip + 16));
        pseudo.putShort(8, (short) PROTOCOL_TCP);
        pseudo.putShort(10, (short) length);
        pseudo.put(12, packet, tcp, length);
        return IcmpErrors.checksum(pseudo, 0, 12 + length);
    }
}
