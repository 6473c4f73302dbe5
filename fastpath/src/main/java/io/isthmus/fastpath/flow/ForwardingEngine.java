package io.isthmus.fastpath.flow;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Rule;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.FlowKeyFlyweight;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.InstallRouteFlyweight;
import io.isthmus.control.message.InstallSaFlyweight;
import io.isthmus.control.message.RemoveFlyweight;
import io.isthmus.control.message.RemoveSaFlyweight;
import io.isthmus.control.message.RouteBatchFlyweight;
import io.isthmus.control.message.TimeoutsFlyweight;
import io.isthmus.fastpath.packet.Ipv4Flyweight;
import io.isthmus.fastpath.packet.PacketParser;
import io.isthmus.fastpath.packet.TcpFlyweight;
import io.isthmus.fastpath.route.RouteTables;

/**
 * One worker's forwarding state: the flow table, the action programs it points to, the next hops they send to, the
 * ESP security associations they use and the routes of routed traffic. It applies INSTALL and REMOVE straight from
 * the control message ({@link InstallFlyweight.RuleVisitor}, {@link FlowKeyFlyweight.KeyVisitor}), and INSTALL_SA,
 * REMOVE_SA, INSTALL_ROUTE, ROUTE_BATCH and TIMEOUTS likewise; looks up and runs programs for parsed packets, and
 * expires idle flows ({@link #expire}).
 * <p>
 * It follows TCP connections as far as their timeouts need (RFC 5382 REQ-5, {@link IdleTimeouts}): a TCP packet with
 * FIN or RST that a rule forwards makes that rule's flow transitory, and the flow of the connection's other direction
 * too, whose key is the forwarded packet's 5-tuple turned around on the VNI the program set (for a NAT's forward
 * rule: outside VNI, remote → public address and port, the key of the reverse rule). A SYN without either makes the
 * packet's flow established again (the connection reopened). Other packets pay one comparison of their protocol.
 * Single-threaded; {@link #close()} frees the off-heap flow table.
 */
public final class ForwardingEngine
        implements
            InstallFlyweight.RuleVisitor,
            FlowKeyFlyweight.KeyVisitor,
            InstallRouteFlyweight.RouteVisitor,
            AutoCloseable {

    /** SA slots of an engine made without an SA table. */
    public static final int DEFAULT_SECURITY_ASSOCIATIONS = 64;
    /** Routes an engine's route table holds (its nodes grow as routes come). */
    public static final int DEFAULT_MAX_ROUTES = 1 << 16;
    /** The TCP flags that change a connection's state for its timeouts. */
    private static final int CONNECTION_FLAGS = TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_RST;

    private final FlowTable flows;
    private final ActionProgramTable programs;
    private final NextHopTable nextHops;
    private final SecurityAssociationTable securityAssociations;
    private final RouteTable routes = new RouteTable(DEFAULT_MAX_ROUTES);
    private final RouteTables routeTables;
    private final ActionExecutor executor;
    private final FlowTable.ExpiryHandler onExpired = this::onExpired;
    private FlowTable.ExpiryHandler expiryListener;
    /** The inline copy of the last hit's program. */
    private final long[] inline = new long[FlowTable.PAYLOAD_LONGS];
    /** Installed programs too long to travel in their flow's slot. */
    private int outOfLinePrograms;

    private long pendingHigh;
    private long pendingLow;
    private int pendingProgram = ActionProgramTable.NONE;
    private boolean pendingValid;
    private int installed;
    private int rejected;
    private int routesRejected;

    /**
     * An engine for {@code maxFlows} flows, with the default idle timeouts ({@link IdleTimeouts#DEFAULTS}) and its own
     * SA table.
     */
    public ForwardingEngine(int maxFlows, int maxNextHops) {
        this(maxFlows, maxNextHops, IdleTimeouts.DEFAULTS);
    }

    public ForwardingEngine(int maxFlows, int maxNextHops, IdleTimeouts idleTimeouts) {
        this(maxFlows, maxNextHops, idleTimeouts, new SecurityAssociationTable(DEFAULT_SECURITY_ASSOCIATIONS));
    }

    /**
     * @param maxFlows the flows the table holds; it has {@code nextPowerOfTwo(maxFlows / 0.75)} slots of 64 bytes
     *        off-heap (1M flows: 128 MiB; 16M: 2 GiB) and refuses inserts beyond {@code maxFlows}
     * @param maxNextHops the next-hop table's capacity
     * @param idleTimeouts when flows without packets expire ({@link IdleTimeouts#NEVER} to keep them)
     * @param securityAssociations the ESP SAs the programs name, the worker's own (their cipher contexts are not
     *        thread safe; {@code Fastpath} gives each worker its own)
     */
    public ForwardingEngine(int maxFlows, int maxNextHops, IdleTimeouts idleTimeouts,
            SecurityAssociationTable securityAssociations) {
        this.flows = new FlowTable(maxFlows, FlowTable.DEFAULT_MAX_LOAD_FACTOR, idleTimeouts);
        // one spare program: replacing a rule in a full table allocates before it frees
        this.programs = new ActionProgramTable(flows.maxFlows() + 1);
        this.nextHops = new NextHopTable(maxNextHops);
        this.routeTables = new RouteTables(nextHops, RouteTables.DEFAULT_MAX_ROUTES);
        this.securityAssociations = securityAssociations;
        this.executor = new ActionExecutor(programs, securityAssociations, routes);
    }

    /** The program for the packet last parsed, or {@link FlowTable#MISSING}; a hit restarts the flow's idle time. */
    public int lookup(PacketParser packet) {
        return flows.hit(packet.keyHigh(), packet.keyLow());
    }

    /**
     * The program for the packet last parsed, or {@link FlowTable#MISSING}, leaving the flow's idle time alone: for an
     * ICMP error, which must neither refresh nor end the session it quotes (RFC 5508 REQ-6).
     */
    public int peek(PacketParser packet) {
        return flows.get(packet.keyHigh(), packet.keyLow());
    }

    /**
     * First stage of looking a batch up ahead ({@code worker.BatchPrefetcher}): loads the key's flow-table slot.
     * Returns a value for the caller to fold into one it keeps, so the load stays.
     */
    public int prefetchSlot(long keyHigh, long keyLow) {
        return flows.prefetch(keyHigh, keyLow);
    }

    /** Whether some installed program is not in its flow's slot, so a look-ahead should load programs too. */
    public boolean hasOutOfLinePrograms() {
        return outOfLinePrograms > 0;
    }

    /**
     * Second stage, once the batch's slots are loaded: finds the key's program (in cache now) and loads its first
     * action. Leaves the flow's idle time alone; returns a value to fold as {@link #prefetchSlot}'s.
     */
    public int prefetchProgram(long keyHigh, long keyLow) {
        int program = flows.get(keyHigh, keyLow);
        return program == FlowTable.MISSING ? 0 : (int) programs.action(program, 0);
    }

    /** Moves the flow table's clock (hits are stamped with it); once per batch of packets. */
    public void advanceTo(long nowNanos) {
        flows.advanceTo(nowNanos);
    }

    /**
     * Expires flows idle for their timeout, visiting at most {@code budget} flows: each one's rule
     * is removed, its program freed, and its key handed to {@code listener} (with the freed program's index). Returns
     * the flows expired.
     */
    public int expire(long nowNanos, int budget, FlowTable.ExpiryHandler listener) {
        expiryListener = listener;
        return flows.expire(nowNanos, budget, onExpired);
    }

    private void onExpired(long keyHigh, long keyLow, int program) {
        free(program);
        expiryListener.onExpired(keyHigh, keyLow, program);
    }

    /** Why the last ESP action failed. */
    public EspProcessor.Error lastEspError() {
        return executor.lastEspError();
    }

    /** The ESP SAs programs name by index; the control path installs them. */
    public SecurityAssociationTable securityAssociations() {
        return securityAssociations;
    }

    /** The routes of routed traffic, by longest prefix match; the control path installs them. */
    public RouteTable routes() {
        return routes;
    }

    /** The route tables of routed traffic (ROUTE_UPDATE): a bound VNI's packets that no rule matches. */
    public RouteTables routeTables() {
        return routeTables;
    }

    /**
     * Routes the packet last parsed, which no rule matched, by its VNI's route table: returns the next hop (an index
     * for {@link #nextHop}) with the packet's TTL decremented and its VNI the route's, or
     * {@link RouteTables#NOT_ROUTED} (its VNI is bound to no table; the packet is as it came),
     * {@link RouteTables#NO_ROUTE}, {@link RouteTables#BLACKHOLED} or {@link ActionExecutor#TTL_EXPIRED} (the packet as
     * it came). ECMP picks the group's member by the hash of the packet's flow key, so a flow stays on one next hop.
     */
    public int route(PacketParser packet) {
        int table = routeTables.tableOf(packet.vxlan().vni());
        if (table == RouteTables.NOT_ROUTED) {
            return RouteTables.NOT_ROUTED;
        }
        int hop = routeTables.route(table, packet.ipv4().dstAddress(),
                FlowTable.hash(packet.keyHigh(), packet.keyLow()));
        if (hop < 0) {
            return hop;
        }
        if (!ActionExecutor.decrementTtl(packet.ipv4())) {
            return ActionExecutor.TTL_EXPIRED;
        }
        packet.vxlan().vni(routeTables.lastVni());
        return hop;
    }

    // ---------------------------------------------------------------- ROUTE_UPDATE

    /** Applies a ROUTE_UPDATE: 1 applied, 0 ignored (another version), -1 malformed ({@link RouteTables#apply}). */
    public int updateRouteTables(ByteBuffer buffer, int offset, int length) {
        return routeTables.apply(buffer, offset, length);
    }

    /**
     * Runs a program; see {@link ActionExecutor#execute}. Right after the {@link #lookup} that returned it, a program
     * of at most {@link FlowTable#PAYLOAD_LONGS} actions is read from the copy in its flow's slot, already in cache,
     * instead of the program table. A TCP packet with FIN, RST or SYN that the program forwards changes the state of
     * its connection's rules (class comment).
     */
    public int execute(int program, PacketParser packet) {
        int connectionFlags = packet.protocol() == Ipv4Flyweight.PROTOCOL_TCP
                ? packet.tcp().flags() & CONNECTION_FLAGS
                : 0;
        if (connectionFlags == 0) {
            return run(program, packet);
        }
        long keyHigh = packet.keyHigh();
        long keyLow = packet.keyLow();
        int verdict = run(program, packet);
        if (verdict >= 0) {
            followConnection(connectionFlags, keyHigh, keyLow, packet);
        }
        return verdict;
    }

    private int run(int program, PacketParser packet) {
        if (flows.lastHitValue() == program && flows.lastHitPayload(inline, 0) && inline[0] != 0) {
            return executor.execute(program, inline, 0, packet);
        }
        return executor.execute(program, packet);
    }

    /**
     * After a forwarded TCP packet with FIN, RST or SYN: its flow and, for FIN or RST, the flow of the other
     * direction (key: the packet as it leaves, turned around; unless the program made it something else than TCP, as
     * ESP does) change TCP state.
     */
    private void followConnection(int connectionFlags, long keyHigh, long keyLow, PacketParser packet) {
        boolean closing = (connectionFlags & (TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_RST)) != 0;
        flows.setTransitory(keyHigh, keyLow, closing);
        if (closing && packet.protocol() == Ipv4Flyweight.PROTOCOL_TCP) {
            TcpFlyweight tcp = packet.tcp();
            Ipv4Flyweight ip = packet.ipv4();
            flows.setTransitory(FlowKey.packHigh(packet.vxlan().vni(), FlowKey.TCP, tcp.dstPort(), tcp.srcPort()),
                    FlowKey.packLow(ip.dstAddress(), ip.srcAddress()), true);
        }
    }

    /** Whether the TCP flow of the key is transitory: a FIN or an RST of its connection passed. */
    public boolean isTransitory(long keyHigh, long keyLow) {
        return flows.isTransitory(keyHigh, keyLow);
    }

    // ---------------------------------------------------------------- TIMEOUTS

    /**
     * Applies a TIMEOUTS to the rules held and those to come; returns false (nothing applied) if the message is
     * malformed or a timeout is under its RFC minimum. A REMOVE of all rules keeps them.
     */
    public boolean applyTimeouts(ByteBuffer buffer, int offset, int length) {
        if (!TimeoutsFlyweight.isValid(buffer, offset, length)) {
            return false;
        }
        timeouts(IdleTimeouts.of(TimeoutsFlyweight.decode(buffer, offset)));
        return true;
    }

    /** Applies new idle timeouts to the rules held and those to come ({@link FlowTable#timeouts(IdleTimeouts)}). */
    public void timeouts(IdleTimeouts timeouts) {
        flows.timeouts(timeouts);
    }

    /** The idle timeouts applied now. */
    public IdleTimeouts timeouts() {
        return flows.timeouts();
    }

    public InetSocketAddress nextHop(int index) {
        return nextHops.endpoint(index);
    }

    // ---------------------------------------------------------------- INSTALL

    /**
     * Applies an INSTALL; returns the number of rules refused (table or next hops full, bad program), or -1 if the
     * message is malformed (nothing applied).
     */
    public int install(ByteBuffer buffer, int offset, int length) {
        installed = 0;
        rejected = 0;
        if (InstallFlyweight.decode(buffer, offset, length, this) < 0) {
            return -1;
        }
        return rejected;
    }

    @Override
    public void onRuleStart(long keyHigh, long keyLow) {
        pendingHigh = keyHigh;
        pendingLow = keyLow;
        pendingProgram = programs.allocate();
        pendingValid = pendingProgram != ActionProgramTable.NONE;
    }

    @Override
    public void onAction(int opcode, int a, int b) {
        if (!pendingValid) {
            return;
        }
        long operand = switch (opcode) {
            case Action.REWRITE_SOURCE, Action.REWRITE_DESTINATION -> ActionProgramTable.addressPort(a, b);
            case Action.SET_VNI, Action.ESP_ENCRYPT, Action.ESP_DECRYPT, Action.COUNT_GROUP -> a;
            case Action.SET_NEXT_HOP -> nextHops.intern(a, b);
            default -> 0;
        };
        if (opcode == Action.SET_NEXT_HOP && operand == NextHopTable.NONE) {
            pendingValid = false;
            return;
        }
        pendingValid = programs.append(pendingProgram, opcode, operand);
    }

    @Override
    public void onRuleEnd() {
        if (!pendingValid) {
            if (pendingProgram != ActionProgramTable.NONE) {
                programs.free(pendingProgram);
            }
            rejected++;
            return;
        }
        int length = programs.length(pendingProgram);
        boolean inLine = length <= FlowTable.PAYLOAD_LONGS;
        int previous = flows.put(pendingHigh, pendingLow, pendingProgram, programs.actions(),
                ActionProgramTable.base(pendingProgram), inLine ? length : 0);
        if (previous == FlowTable.REJECTED) {
            programs.free(pendingProgram);
            rejected++;
        } else {
            if (previous != FlowTable.MISSING) {
                free(previous);
            }
            if (!inLine) {
                outOfLinePrograms++;
            }
            installed++;
        }
    }

    // ---------------------------------------------------------------- INSTALL_SA, REMOVE_SA

    /**
     * Applies an INSTALL_SA (control path: it keys the SA's cipher context); returns 1 if it was installed, 0 if refused
     * (its index beyond the SA table), -1 if the message is malformed.
     */
    public int installSecurityAssociation(ByteBuffer buffer, int offset, int length) {
        if (!InstallSaFlyweight.isValid(buffer, offset, length)) {
            return -1;
        }
        int index = InstallSaFlyweight.saIndex(buffer, offset);
        if (index >= securityAssociations.capacity()) {
            return 0;
        }
        securityAssociations.install(InstallSaFlyweight.decode(buffer, offset));
        return 1;
    }

    /** Applies a REMOVE_SA; returns 1 if the index is in the table, 0 if not, -1 if the message is malformed. */
    public int removeSecurityAssociation(ByteBuffer buffer, int offset, int length) {
        if (!RemoveSaFlyweight.isValid(buffer, offset, length)) {
            return -1;
        }
        int index = RemoveSaFlyweight.saIndex(buffer, offset);
        if (index >= securityAssociations.capacity()) {
            return 0;
        }
        securityAssociations.remove(index);
        return 1;
    }

    // ---------------------------------------------------------------- INSTALL_ROUTE, ROUTE_BATCH

    /**
     * Applies an INSTALL_ROUTE or a ROUTE_BATCH ({@code type}); returns the number of routes refused (the table
     * full), or -1 if the message is malformed (nothing applied).
     */
    public int installRoutes(int type, ByteBuffer buffer, int offset, int length) {
        routesRejected = 0;
        int count = type == ControlProtocol.ROUTE_BATCH
                ? RouteBatchFlyweight.decode(buffer, offset, length, this)
                : InstallRouteFlyweight.decode(buffer, offset, length, this);
        return count < 0 ? -1 : routesRejected;
    }

    @Override
    public void onRoute(int prefix, int prefixLength, int flags, int vni, int nextHopAddress, int nextHopPort) {
        if ((flags & InstallRouteFlyweight.WITHDRAW) != 0) {
            routes.withdraw(prefix, prefixLength);
        } else {
            // interned now, so ROUTE_LOOKUP sends to a preallocated endpoint; the next hops go with REMOVE of all
            int nextHop = nextHops.intern(nextHopAddress, nextHopPort);
            if (nextHop == NextHopTable.NONE
                    || !routes.install(prefix, prefixLength, vni, nextHopAddress, nextHopPort, nextHop)) {
                routesRejected++;
            }
        }
    }

    // ---------------------------------------------------------------- FLOW_DUMP

    /**
     * Every rule in the table as the slowpath installed it (its key and its program's actions, next hops as
     * addresses), for a FLOW_DUMP. The control path's: it allocates a rule each.
     */
    public List<Rule> rules() {
        List<Rule> rules = new ArrayList<>(flows.size());
        flows.forEach((keyHigh, keyLow, program) -> {
            int length = programs.length(program);
            List<Action> actions = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                int opcode = programs.opcode(program, i);
                long operand = programs.operand(program, i);
                actions.add(switch (opcode) {
                    case Action.REWRITE_SOURCE, Action.REWRITE_DESTINATION -> Action.of(opcode,
                            ActionProgramTable.address(operand), ActionProgramTable.port(operand));
                    case Action.SET_NEXT_HOP -> Action.SetNextHop.of(nextHops.endpoint((int) operand));
                    default -> Action.of(opcode, (int) operand, 0);
                });
            }
            rules.add(new Rule(FlowKey.unpack(keyHigh, keyLow), actions));
        });
        return rules;
    }

    // ---------------------------------------------------------------- REMOVE

    /** Applies a REMOVE; returns the number of keys named, or -1 if malformed. */
    public int remove(ByteBuffer buffer, int offset, int length) {
        if (RemoveFlyweight.isRemoveAll(buffer, offset, length)) {
            clear();
            return 0;
        }
        return RemoveFlyweight.decode(buffer, offset, length, this);
    }

    @Override
    public void onKey(long keyHigh, long keyLow) {
        int program = flows.remove(keyHigh, keyLow);
        if (program != FlowTable.MISSING) {
            free(program);
        }
    }

    private void free(int program) {
        if (programs.length(program) > FlowTable.PAYLOAD_LONGS) {
            outOfLinePrograms--;
        }
        programs.free(program);
    }

    /**
     * Removes every rule, and with them the next hops they named, the routes and the SAs: what a slowpath that
     * registers the fastpath sends again.
     */
    public void clear() {
        flows.clear();
        programs.clear();
        nextHops.clear();
        routes.clear();
        routeTables.clear();
        securityAssociations.clear();
        outOfLinePrograms = 0;
    }

    public int flowCount() {
        return flows.size();
    }

    /** The most rules the table holds. */
    public int maxFlows() {
        return flows.maxFlows();
    }

    /** Rules removed by their idle timeout since the engine was made. */
    public long expiredFlows() {
        return flows.expiredFlows();
    }

    /** Rules refused because the table was full. */
    public long rejectedInserts() {
        return flows.rejectedInserts();
    }

    /** Frees the off-heap flow table; the engine must not be used afterwards. */
    @Override
    public void close() {
        flows.close();
    }

    /**
     * The counter groups' packets and bytes (COUNT_GROUP), group {@code g}'s at {@code 2g} and {@code 2g + 1}: the
     * live array, read on the worker's thread (STATS_RESPONSE).
     */
    public long[] groupCounts() {
        return programs.groupCounts();
    }

    /** Packets counted by a rule's COUNT action, or -1 if there is no rule for the key. */
    public long rulePackets(long keyHigh, long keyLow) {
        int program = flows.get(keyHigh, keyLow);
        return program == FlowTable.MISSING ? -1 : programs.packets(program);
    }
}
