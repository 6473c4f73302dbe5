package io.isthmus.fastpath.flow;

import java.nio.ByteBuffer;

import io.isthmus.control.Action;
import io.isthmus.fastpath.packet.Checksums;
import io.isthmus.fastpath.packet.IcmpFlyweight;
import io.isthmus.fastpath.packet.Ipv4Flyweight;
import io.isthmus.fastpath.packet.PacketParser;
import io.isthmus.fastpath.packet.TcpFlyweight;
import io.isthmus.fastpath.packet.UdpFlyweight;

/**
 * Runs an action program over a parsed packet, in place: rewrites keep the IPv4 and L4 checksums right with RFC 1624
 * incremental updates, so a rewrite costs the same for a 64-byte and a 9000-byte packet. Returns the next hop to send
 * to or a negative verdict; the packet's length afterwards is {@link PacketParser#packetLength()} (ESP changes it).
 * <p>
 * ICMP errors keyed by their quote ({@link PacketParser#isIcmpError()}) are translated as RFC 5508 asks: a rewrite of
 * the outer destination also rewrites the quoted source address and port (identifier), a rewrite of the outer source
 * the quoted destination, with the quoted IPv4 and L4 checksums and the ICMP checksum updated incrementally.
 * <p>
 * A program with a DECREMENT_TTL before any ESP action checks the TTL before it changes anything, so a packet whose
 * TTL expires leaves as it came, for the slowpath to quote in its ICMP time exceeded.
 */
public final class ActionExecutor {

    /** The program dropped the packet. */
    public static final int DROPPED = -1;
    /** DECREMENT_TTL found a TTL of 0 or 1. */
    public static final int TTL_EXPIRED = -2;
    /** The program ended without a next hop (a slowpath bug: counted as an error). */
    public static final int NO_NEXT_HOP = -3;
    /** An ESP action dropped the packet ({@link #lastEspError()} says why). */
    public static final int ESP_FAILED = -4;
    /** After an ESP action the packet was no longer one the L3/L4 actions that follow can rewrite. */
    public static final int NOT_REWRITABLE = -5;
    /** ROUTE_LOOKUP found no route for the destination (dropped). */
    public static final int NO_ROUTE = -6;
    /**
     * ESP_DECRYPT found the non-ESP marker in the UDP payload (RFC 3948): IKE on the ESP port, to punt as
     * {@code PuntReason.NON_ESP}; the packet is as it came (but for actions before the ESP_DECRYPT).
     */
    public static final int NON_ESP = -7;
    /** ESP_DECRYPT found a NAT keepalive (a one-byte 0xFF UDP payload): dropped, counted. */
    public static final int NAT_KEEPALIVE = -8;

    private final ActionProgramTable programs;
    private final SecurityAssociationTable sas;
    private final RouteTable routes;
    private EspProcessor esp;

    public ActionExecutor(ActionProgramTable programs) {
        this(programs, new SecurityAssociationTable(0));
    }

    public ActionExecutor(ActionProgramTable programs, SecurityAssociationTable sas) {
        this(programs, sas, new RouteTable(1));
    }

    /**
     * @param routes the routes ROUTE_LOOKUP finds, whose next hops were installed with the index of their next hop in
     *        the table the verdict indexes ({@link RouteTable#nextHop})
     */
    public ActionExecutor(ActionProgramTable programs, SecurityAssociationTable sas, RouteTable routes) {
        this.programs = programs;
        this.sas = sas;
        this.routes = routes;
    }

    /** Runs {@code program} over the packet {@code packet} last parsed; returns a next-hop index or a verdict. */
    public int execute(int program, PacketParser packet) {
        return execute(program, programs.actions(), ActionProgramTable.base(program), packet);
    }

    /**
     * Runs {@code program} from a copy of its actions at {@code actions[base..]} (a copy the flow table kept with the
     * flow's key, {@link FlowTable#lastHitPayload}): the same as {@link #execute(int, PacketParser)}, without reading
     * the program table. COUNT still counts against {@code program} (COUNT_GROUP against its group too).
     */
    public int execute(int program, long[] actions, int base, PacketParser packet) {
        long first = actions[base];
        int length = ActionProgramTable.lengthOf(first);
        if (ActionProgramTable.checksTtlFirstOf(first) && packet.ipv4().ttl() <= 1) {
            return TTL_EXPIRED;
        }
        int nextHop = NO_NEXT_HOP;
        boolean rewritable = true;
        for (int i = 0; i < length; i++) {
            long action = actions[base + i];
            long operand = ActionProgramTable.operandOf(action);
            int opcode = ActionProgramTable.opcodeOf(action);
            switch (opcode) {
                case Action.REWRITE_SOURCE -> {
                    if (!rewritable) {
                        return NOT_REWRITABLE;
                    }
                    rewriteSource(packet, ActionProgramTable.address(operand), ActionProgramTable.port(operand));
                }
                case Action.REWRITE_DESTINATION -> {
                    if (!rewritable) {
                        return NOT_REWRITABLE;
                    }
                    rewriteDestination(packet, ActionProgramTable.address(operand), ActionProgramTable.port(operand));
                }
                case Action.SET_VNI -> packet.vxlan().vni((int) operand);
                case Action.SET_NEXT_HOP -> nextHop = (int) operand;
                case Action.DECREMENT_TTL -> {
                    if (!rewritable) {
                        return NOT_REWRITABLE;
                    }
                    if (!decrementTtl(packet.ipv4())) {
                        return TTL_EXPIRED;
                    }
                }
                case Action.COUNT -> programs.count(program, packet.packetLength());
                case Action.COUNT_GROUP -> programs.count(program, packet.packetLength(), (int) operand);
                case Action.ESP_ENCRYPT, Action.ESP_DECRYPT -> {
                    if (!rewritable) {
                        return NOT_REWRITABLE;
                    }
                    int newLength = opcode == Action.ESP_ENCRYPT
                            ? esp().encrypt((int) operand, packet)
                            : esp().decrypt((int) operand, packet);
                    if (newLength < 0) {
                        return switch (newLength) {
                            case EspProcessor.NON_ESP -> NON_ESP;
                            case EspProcessor.NAT_KEEPALIVE -> NAT_KEEPALIVE;
                            default -> ESP_FAILED;
                        };
                    }
                    rewritable = packet.reparse(newLength) == PacketParser.PARSED;
                }
                case Action.ROUTE_LOOKUP -> {
                    if (!rewritable) {
                        return NOT_REWRITABLE;
                    }
                    int route = routes.lookup(packet.ipv4().dstAddress());
                    if (route == RouteTable.MISSING) {
                        return NO_ROUTE;
                    }
                    packet.vxlan().vni(routes.vni(route));
                    nextHop = routes.nextHop(route);
                }
                default -> {
                    return DROPPED;
                }
            }
        }
        return nextHop;
    }

    /** Why the last {@link #ESP_FAILED} happened. */
    public EspProcessor.Error lastEspError() {
        return esp == null ? EspProcessor.Error.NONE : esp.lastError();
    }

    /** The ESP engine, made on first use: workers that never see ESP keep no ciphers or scratch arrays. */
    private EspProcessor esp() {
        if (esp == null) {
            esp = new EspProcessor(sas);
        }
        return esp;
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
                if (packet.isIcmpError()) {
                    rewriteQuote(packet, false, address, port);
                } else if (icmp.type() == IcmpFlyweight.TYPE_ECHO_REQUEST) {
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
                if (packet.isIcmpError()) {
                    rewriteQuote(packet, true, address, port);
                } else if (icmp.type() == IcmpFlyweight.TYPE_ECHO_REPLY) {
                    rewriteIdentifier(icmp, port);
                }
            }
            default -> {
            }
        }
    }

    /**
     * Rewrites the quoted packet of an ICMP error: its source ({@code quoteSource}) or destination address and the
     * port (or echo identifier) on that side, keeping the quoted checksums and the ICMP checksum right. The ICMP
     * checksum covers the quote, so every 16-bit word changed in it is carried into it.
     */
    private static void rewriteQuote(PacketParser packet, boolean quoteSource, int address, int port) {
        IcmpFlyweight icmp = packet.icmp();
        Ipv4Flyweight quoted = packet.innerIpv4();
        int icmpChecksum = icmp.checksum();
        int oldAddress;
        if (quoteSource) {
            oldAddress = quoted.srcAddress();
            quoted.srcAddress(address);
        } else {
            oldAddress = quoted.dstAddress();
            quoted.dstAddress(address);
        }
        icmpChecksum = Checksums.update32(icmpChecksum, oldAddress, address);
        int oldIpChecksum = quoted.checksum();
        int newIpChecksum = Checksums.update32(oldIpChecksum, oldAddress, address);
        quoted.checksum(newIpChecksum);
        icmpChecksum = Checksums.update16(icmpChecksum, oldIpChecksum, newIpChecksum);
        switch (packet.innerProtocol()) {
            case Ipv4Flyweight.PROTOCOL_UDP -> {
                UdpFlyweight ports = packet.innerPorts();
                int oldPort = quoteSource ? ports.srcPort() : ports.dstPort();
                icmpChecksum = rewriteQuotedPort(ports, quoteSource, oldPort, port, icmpChecksum);
                int oldChecksum = ports.checksum();
                if (oldChecksum != 0) {
                    int newChecksum = updateUdpChecksum(oldChecksum, oldAddress, address, oldPort, port);
                    ports.checksum(newChecksum);
                    icmpChecksum = Checksums.update16(icmpChecksum, oldChecksum, newChecksum);
                }
            }
            case Ipv4Flyweight.PROTOCOL_TCP -> {
                UdpFlyweight ports = packet.innerPorts();
                int oldPort = quoteSource ? ports.srcPort() : ports.dstPort();
                icmpChecksum = rewriteQuotedPort(ports, quoteSource, oldPort, port, icmpChecksum);
                if (packet.innerL4Quoted() >= TcpFlyweight.CHECKSUM_OFFSET + 2) {
                    // routers that quote more than 8 bytes (RFC 1812) include the TCP checksum: keep it right too
                    // (a quote ending inside it carries half a word that no update can fix; it is left as quoted)
                    ByteBuffer buffer = packet.buffer();
                    int at = packet.innerL4Offset() + TcpFlyweight.CHECKSUM_OFFSET;
                    int oldChecksum = buffer.getShort(at) & 0xFFFF;
                    int newChecksum = Checksums.update16(Checksums.update32(oldChecksum, oldAddress, address), oldPort,
                            port);
                    buffer.putShort(at, (short) newChecksum);
                    icmpChecksum = Checksums.update16(icmpChecksum, oldChecksum, newChecksum);
                }
            }
            case Ipv4Flyweight.PROTOCOL_ICMP -> {
                IcmpFlyweight echo = packet.innerIcmp();
                int type = echo.type();
                if (type == (quoteSource ? IcmpFlyweight.TYPE_ECHO_REQUEST : IcmpFlyweight.TYPE_ECHO_REPLY)) {
                    int oldIdentifier = echo.identifier();
                    int oldChecksum = echo.checksum();
                    rewriteIdentifier(echo, port);
                    icmpChecksum = Checksums.update16(icmpChecksum, oldIdentifier, port);
                    icmpChecksum = Checksums.update16(icmpChecksum, oldChecksum, echo.checksum());
                }
            }
            default -> {
            }
        }
        icmp.checksum(icmpChecksum);
    }

    private static int rewriteQuotedPort(UdpFlyweight ports, boolean quoteSource, int oldPort, int port,
            int icmpChecksum) {
        if (quoteSource) {
            ports.srcPort(port);
        } else {
            ports.dstPort(port);
        }
        return Checksums.update16(icmpChecksum, oldPort, port);
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
