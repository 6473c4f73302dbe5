package io.isthmus.fastpath.route;

import java.nio.ByteBuffer;
import java.util.Arrays;

import io.isthmus.control.message.RouteAckFlyweight;
import io.isthmus.control.message.RouteUpdateFlyweight;
import io.isthmus.fastpath.flow.NextHopTable;

/**
 * One worker's route tables (ROUTE_UPDATE, {@link RouteUpdateFlyweight}): which table routes each bound VNI's packets,
 * a {@link Fib} per table, and the next-hop groups the routes point at (ECMP over up to 16 next hops, chosen by the
 * flow's hash). {@link #route} is the data path's: a bound VNI's packet that no rule matches is looked up in its table
 * with no allocation and no lock — the worker's thread applies the updates too, between batches of packets.
 * <p>
 * It keeps the version the slowpath's updates brought it to (the wire contract's delta and snapshot rules, applied by
 * {@link #apply}) and answers where it stands in a ROUTE_ACK ({@link #encodeAck}).
 */
public final class RouteTables implements RouteUpdateFlyweight.EntryVisitor {

    /** Routes all the tables of one worker hold at most, by default (memory grows with the routes, not with this). */
    public static final int DEFAULT_MAX_ROUTES = 1 << 22;
    /** The packet's VNI is bound to no table: not routed (the codes are apart from {@code ActionExecutor}'s verdicts). */
    public static final int NOT_ROUTED = -100;
    /** No route of the table covers the destination. */
    public static final int NO_ROUTE = -101;
    /** A blackhole route covers it (or its group could not be installed). */
    public static final int BLACKHOLED = -102;

    private static final int MAX_HOPS = RouteUpdateFlyweight.MAX_NEXT_HOPS;

    private final NextHopTable nextHops;
    private final int maxRoutes;
    private final IntIntMap bindings = new IntIntMap();
    private final IntIntMap tableSlots = new IntIntMap();
    private Fib[] fibs = new Fib[16];
    private int tableCount;
    private final IntIntMap groupSlots = new IntIntMap();
    /** Per group slot: its next-hop count (0: free), then {@link #MAX_HOPS} next-hop indexes and VNIs. */
    private int[] groupCounts = new int[64];
    private int[] groupHops = new int[64 * MAX_HOPS];
    private int[] groupVnis = new int[64 * MAX_HOPS];
    private int[] freeGroups = new int[64];
    private int freeGroupCount;
    private int groupSlotsUsed;
    private int groups;
    private int routes;
    private long rejected;

    private long version;
    private long snapshotVersion;
    private int nextPart;
    /** The VNI of the next hop {@link #route} chose last. */
    private int lastVni;

    /**
     * @param nextHops the engine's next-hop table: a group's endpoints are interned there, so the data path sends to a
     *        preallocated address (it is emptied, with these tables, by a REMOVE of all rules)
     * @param maxRoutes the most routes all tables hold together
     */
    public RouteTables(NextHopTable nextHops, int maxRoutes) {
        this.nextHops = nextHops;
        this.maxRoutes = maxRoutes;
    }

    // ---------------------------------------------------------------- data path

    /** The table slot that routes {@code vni}'s packets, or {@link #NOT_ROUTED}. */
    public int tableOf(int vni) {
        if (bindings.size() == 0) {
            return NOT_ROUTED;
        }
        int slot = bindings.get(vni);
        return slot == IntIntMap.MISSING ? NOT_ROUTED : slot;
    }

    /**
     * The next hop (an index in the engine's next-hop table) for {@code destination} by table slot {@code table}, the
     * group's member chosen by {@code flowHash}, or {@link #NO_ROUTE} or {@link #BLACKHOLED}; the chosen next hop's
     * VNI is then {@link #lastVni()}.
     */
    public int route(int table, int destination, int flowHash) {
        int value = fibs[table].lookup(destination);
        if (value == Fib.MISSING) {
            return NO_ROUTE;
        }
        if (value == 0) {
            return BLACKHOLED;
        }
        int group = value - 1;
        int count = groupCounts[group];
        if (count == 0) {
            return BLACKHOLED;
        }
        int member = count == 1 ? 0 : (int) ((flowHash & 0xFFFF_FFFFL) % count);
        lastVni = groupVnis[group * MAX_HOPS + member];
        return groupHops[group * MAX_HOPS + member];
    }

    public int lastVni() {
        return lastVni;
    }

    // ---------------------------------------------------------------- ROUTE_UPDATE

    /**
     * Applies a ROUTE_UPDATE by the wire contract's rules; returns 1 if applied, 0 if ignored (not the delta or the
     * snapshot part this worker is at), -1 if malformed (nothing applied).
     */
    public int apply(ByteBuffer buffer, int offset, int length) {
        if (!RouteUpdateFlyweight.isValid(buffer, offset, length)) {
            return -1;
        }
        int flags = RouteUpdateFlyweight.flags(buffer, offset);
        long from = RouteUpdateFlyweight.fromVersion(buffer, offset);
        long to = RouteUpdateFlyweight.toVersion(buffer, offset);
        if ((flags & RouteUpdateFlyweight.SNAPSHOT) == 0) {
            if (version != from) {
                return 0;
            }
            RouteUpdateFlyweight.visit(buffer, offset, this);
            version = to;
            return 1;
        }
        if ((flags & RouteUpdateFlyweight.FIRST) != 0 && from == 0) {
            clearTables();
            version = RouteAckFlyweight.IN_SNAPSHOT;
            snapshotVersion = to;
            nextPart = 0;
        } else if (version != RouteAckFlyweight.IN_SNAPSHOT || snapshotVersion != to || nextPart != from) {
            return 0;
        }
        RouteUpdateFlyweight.visit(buffer, offset, this);
        nextPart++;
        if ((flags & RouteUpdateFlyweight.LAST) != 0) {
            version = to;
            snapshotVersion = 0;
            nextPart = 0;
        }
        return 1;
    }

    /** Writes a ROUTE_ACK of where these tables stand; returns its length. */
    public int encodeAck(ByteBuffer buffer, int offset, int fastpathId, int sequence) {
        return RouteAckFlyweight.encode(buffer, offset, fastpathId, sequence, version, snapshotVersion, nextPart,
                routes,
                groups, rejected);
    }

    @Override
    public void onBind(int vni, int table, boolean unbind) {
        if (unbind) {
            bindings.remove(vni);
        } else {
            bindings.put(vni, tableSlot(table));
        }
    }

    @Override
    public void onGroup(int group, int count, ByteBuffer buffer, int nextHopsAt) {
        int slot = groupSlots.get(group);
        if (count == 0) {
            if (slot != IntIntMap.MISSING) {
                groupSlots.remove(group);
                groupCounts[slot] = 0;
                freeGroups[freeGroupCount++] = slot;
                groups--;
            }
            return;
        }
        if (slot == IntIntMap.MISSING) {
            slot = newGroupSlot();
            groupSlots.put(group, slot);
            groups++;
        }
        for (int i = 0; i < count; i++) {
            int hop = nextHops.intern(RouteUpdateFlyweight.nextHopAddress(buffer, nextHopsAt, i),
                    RouteUpdateFlyweight.nextHopPort(buffer, nextHopsAt, i));
            if (hop == NextHopTable.NONE) {
                // the next-hop table is full: the group's routes drop until it is defined again
                groupCounts[slot] = 0;
                rejected++;
                return;
            }
            groupHops[slot * MAX_HOPS + i] = hop;
            groupVnis[slot * MAX_HOPS + i] = RouteUpdateFlyweight.nextHopVni(buffer, nextHopsAt, i);
        }
        groupCounts[slot] = count;
    }

    @Override
    public void onRoute(int table, int prefix, int prefixLength, int group, boolean withdraw) {
        if (withdraw) {
            int slot = tableSlots.get(table);
            if (slot != IntIntMap.MISSING && fibs[slot].remove(prefix, prefixLength)) {
                routes--;
            }
            return;
        }
        int value = 0;
        if (group != RouteUpdateFlyweight.BLACKHOLE) {
            int groupSlot = groupSlots.get(group);
            if (groupSlot == IntIntMap.MISSING) {
                rejected++;
                return;
            }
            value = groupSlot + 1;
        }
        Fib fib = fibs[tableSlot(table)];
        int before = fib.size();
        if (!fib.insert(prefix, prefixLength, value)) {
            rejected++;
            return;
        }
        if (fib.size() > before) {
            if (routes == maxRoutes) {
                fib.remove(prefix, prefixLength);
                rejected++;
                return;
            }
            routes++;
        }
    }

    private int tableSlot(int table) {
        int slot = tableSlots.get(table);
        if (slot != IntIntMap.MISSING) {
            return slot;
        }
        if (tableCount == fibs.length) {
            fibs = Arrays.copyOf(fibs, fibs.length * 2);
        }
        slot = tableCount++;
        fibs[slot] = new Fib(maxRoutes);
        tableSlots.put(table, slot);
        return slot;
    }

    private int newGroupSlot() {
        if (freeGroupCount > 0) {
            return freeGroups[--freeGroupCount];
        }
        if (groupSlotsUsed == groupCounts.length) {
            int capacity = groupCounts.length * 2;
            groupCounts = Arrays.copyOf(groupCounts, capacity);
            groupHops = Arrays.copyOf(groupHops, capacity * MAX_HOPS);
            groupVnis = Arrays.copyOf(groupVnis, capacity * MAX_HOPS);
            freeGroups = Arrays.copyOf(freeGroups, capacity);
        }
        return groupSlotsUsed++;
    }

    /** Empties every table, binding and group (a snapshot's first part). */
    private void clearTables() {
        bindings.clear();
        for (int i = 0; i < tableCount; i++) {
            fibs[i].clear();
        }
        groupSlots.clear();
        Arrays.fill(groupCounts, 0, groupSlotsUsed, 0);
        groupSlotsUsed = 0;
        freeGroupCount = 0;
        groups = 0;
        routes = 0;
    }

    /** A REMOVE of all rules: every table, binding and group gone, version 0 (the next-hop table is emptied too). */
    public void clear() {
        clearTables();
        version = 0;
        snapshotVersion = 0;
        nextPart = 0;
    }

    /** The version of the last delta or whole snapshot applied; {@link RouteAckFlyweight#IN_SNAPSHOT} mid-snapshot. */
    public long version() {
        return version;
    }

    /** Routes in all tables. */
    public int routes() {
        return routes;
    }

    public int groups() {
        return groups;
    }

    public int bindings() {
        return bindings.size();
    }

    /** Routes and groups refused for want of room (or a route naming no group) since the worker started. */
    public long rejected() {
        return rejected;
    }

    /** Bytes the tables' FIBs hold. */
    public long memoryBytes() {
        long bytes = 0;
        for (int i = 0; i < tableCount; i++) {
            bytes += fibs[i].memoryBytes();
        }
        return bytes;
    }
}
