package io.isthmus.fastpath.flow;

import io.isthmus.fastpath.control.Action;
import io.isthmus.fastpath.packet.Checksums;
import io.isthmus.fastpath.packet.IcmpFlyweight;
import io.isthmus.fastpath.packet.Ipv4Flyweight;
import io.isthmus.fastpath.packet.PacketParser;
import io.isthmus.fastpath.packet.TcpFlyweight;
import io.isthmus.fastpath.packet.UdpFlyweight;

/**
 * Runs an action program over a parsed packet, in place: rewrites keep the IPv4 and L4 checksums right with RFC 1624
 * incremental updates, so a rewrite costs the same for a 64-byte and a 9000-byte packet. Returns the next hop to send
 * to or a negative verdict.
 */
public final class ActionExecutor {

    /** The program dropped the packet. */
    public static final int DROPPED = -1;
    /** DECREMENT_TTL found a TTL of 0 or 1. */
    public static final int TTL_EXPIRED = -2;
    /** The program ended without a next hop (a slowpath bug: counted as an error). */
    public static final int NO_NEXT_HOP = -3;

    private final ActionProgramTable programs;

    public ActionExecutor(ActionProgramTable programs) {
        this.programs = programs;
    }

    /** Runs {@code program} over the packet {@code packet} last parsed; returns a next-hop index or a verdict. */
    public int execute(int program, PacketParser packet) {
        int nextHop = NO_NEXT_HOP;
        int length = programs.length(program);
        for (int i = 0; i < length; i++) {
            long operand = programs.operand(program, i);
            switch (programs.opcode(program, i)) {
                case Action.REWRITE_SOURCE -> rewriteSource(packet, ActionProgramTable.address(operand),
                        ActionProgramTable.port(operand));
                case Action.REWRITE_DESTINATION -> rewriteDestination(packet, ActionProgramTable.address(operand),
                        ActionProgramTable.port(operand));
                case Action.SET_VNI -> packet.vxlan().vni((int) operand);
                case Action.SET_NEXT_HOP -> nextHop = (int) operand;
                case Action.DECREMENT_TTL -> {
                    if (!decrementTtl(packet.ipv4())) {
                        return TTL_EXPIRED;
                    }
                }
                case Action.COUNT -> programs.count(program, packet.packetLength());
                default -> {
                    return DROPPED;
                }
            }
        }
        return nextHop;
    }

    static void rewriteSource(PacketParser packet, int address, int port) {
        Ipv4Flyweight ip = packet.ipv4();
        int oldAddress = ip.srcAddress();
        ip.srcAddress(address);
        ip.checksum(Checksums.update32(ip.checksum(), oldAddress, address));
        switch (packet.protocol()) {
            case Ipv4Flyweight.PROTOCOL_UDP -> {
                UdpFlyweight udp = packet.udp();
                int oldPort = udp.srcPort();
                udp.srcPort(port);
                udp.checksum(updateUdpChecksum(udp.checksum(), oldAddress, address, oldPort, port));
            }
            case Ipv4Flyweight.PROTOCOL_TCP -> {
                TcpFlyweight tcp = packet.tcp();
                int oldPort = tcp.srcPort();
                tcp.srcPort(port);
                tcp.checksum(Checksums.update16(Checksums.update32(tcp.checksum(), oldAddress, address), oldPort,
                        port));
            }
            case Ipv4Flyweight.PROTOCOL_ICMP -> {
                IcmpFlyweight icmp = packet.icmp();
                if (icmp.type() == IcmpFlyweight.TYPE_ECHO_REQUEST) {
                    rewriteIdentifier(icmp, port);
                }
            }
            default -> {
            }
        }
    }

    static void rewriteDestination(PacketParser packet, int address, int port) {
        Ipv4Flyweight ip = packet.ipv4();
        int oldAddress = ip.dstAddress();
        ip.dstAddress(address);
        ip.checksum(Checksums.update32(ip.checksum(), oldAddress, address));
        switch (packet.protocol()) {
            case Ipv4Flyweight.PROTOCOL_UDP -> {
                UdpFlyweight udp = packet.udp();
                int oldPort = udp.dstPort();
                udp.dstPort(port);
                udp.checksum(updateUdpChecksum(udp.checksum(), oldAddress, address, oldPort, port));
            }
            case Ipv4Flyweight.PROTOCOL_TCP -> {
                TcpFlyweight tcp = packet.tcp();
                int oldPort = tcp.dstPort();
                tcp.dstPort(port);
                tcp.checksum(Checksums.update16(Checksums.update32(tcp.checksum(), oldAddress, address), oldPort,
                        port));
            }
            case Ipv4Flyweight.PROTOCOL_ICMP -> {
                IcmpFlyweight icmp = packet.icmp();
                if (icmp.type() == IcmpFlyweight.TYPE_ECHO_REPLY) {
                    rewriteIdentifier(icmp, port);
                }
            }
            default -> {
            }
        }
    }

    /** Decrements the TTL; false (packet untouched) if it would expire. */
    static boolean decrementTtl(Ipv4Flyweight ip) {
        int ttl = ip.ttl();
        if (ttl <= 1) {
            return false;
        }
        int oldWord = ip.ttlProtocolWord();
        ip.ttl(ttl - 1);
        ip.checksum(Checksums.update16(ip.checksum(), oldWord, ip.ttlProtocolWord()));
        return true;
    }

    private static void rewriteIdentifier(IcmpFlyweight icmp, int identifier) {
        int old = icmp.identifier();
        icmp.identifier(identifier);
        icmp.checksum(Checksums.update16(icmp.checksum(), old, identifier));
    }

    /** A zero UDP checksum means "none" and stays zero; a computed zero goes out as 0xFFFF. */
    private static int updateUdpChecksum(int checksum, int oldAddress, int newAddress, int oldPort, int newPort) {
        if (checksum == 0) {
            return 0;
        }
        int updated = Checksums.update16(Checksums.update32(checksum, oldAddress, newAddress), oldPort, newPort);
        return updated == 0 ? 0xFFFF : updated;
    }
}
