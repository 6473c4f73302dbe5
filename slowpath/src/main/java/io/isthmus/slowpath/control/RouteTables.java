package io.isthmus.slowpath.control;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.RouteUpdateFlyweight;
import io.isthmus.slowpath.policy.TableRoute;
import io.isthmus.slowpath.policy.TableRouteRemoval;
import io.isthmus.slowpath.policy.VniBinding;

/**
 * The slowpath's route tables as installed (the RIB the fastpaths must hold): VNI bindings, routes by table, prefix
 * and length, and the next-hop groups they point at — and their versioned changes, encoded as ROUTE_UPDATE deltas into
 * a bounded {@link RouteLog}, or the whole as a {@link RouteSnapshot}.
 * <p>
 * Routes are a primitive map of a {@code long} key (the table's dense index, the prefix, the length) to the group id:
 * no object per route. Groups are interned by their next-hop list: the same list is the same group, counted by the
 * routes using it; a new group's GROUP entry goes before the first route that uses it, and its removal (GROUP of no
 * next hop) after the last route that stops using it, when its id is free again. A blackhole route points at group 0,
 * which is no group. A change that changes nothing (a route installed again as it is, a binding as it is, a removal
 * of what is not there) adds no entry; a change's entries fill ROUTE_UPDATEs of at most 1,472 bytes, one version
 * each. Policy thread only (under the policy lock); the counts are readable from any thread.
 */
final class RouteTables {

    /** Route tables (distinct table numbers) the tables can hold: the dense index has 25 bits of the route key. */
    static final int MAX_TABLES = 1 << 25;

    private final RouteLog log;
    /** (table index << 38 | prefix << 6 | length) → group (0: blackhole). */
    private final LongIntHashMap routes = new LongIntHashMap(1024);
    /** VNI → table. */
    private final LongIntHashMap bindings = new LongIntHashMap(16);
    /** Table number → dense index (from 0), and back. */
    private final LongIntHashMap tableIndex = new LongIntHashMap(16);
    private int[] tableNumbers = new int[16];
    private int tableCount;
    /** Next-hop list → group id; by id: its next hops (vni, address, port each) and the routes using it. */
    private final Map<NextHops, Integer> groupIds = new HashMap<>();
    private NextHops[] groups = new NextHops[16];
    private int[] groupUses = new int[16];
    private int[] freeGroupIds = new int[16];
    private int freeGroupCount;
    private int nextGroupId = 1;
    /**
     * The next-hop list (by identity) of the last route given a group, and that group: a policy that gives many routes
     * the same list object (a BGP path's routes) gets its group without a lookup.
     */
    private List<TableRoute.NextHop> lastHops;
    private int lastHopsGroup;

    private final ByteBuffer message = ByteBuffer.allocate(ControlProtocol.MAX_BATCH_BYTES);
    private int messageAt;
    private int messageEntries;
    private long version;
    private RouteSnapshot snapshot;

    private volatile int routeCount;
    private volatile int groupCount;
    private volatile int bindingCount;
    private volatile long publishedVersion;
    private volatile long logBytes;

    RouteTables(long logLimitBytes) {
        this.log = new RouteLog(logLimitBytes);
    }

    // ---------------------------------------------------------------- changes

    /** Installs (or replaces) a route. */
    void apply(TableRoute route) {
        long key = routeKey(indexOf(route.table()), route.prefix(), route.prefixLength());
        int group = route.isBlackhole() ? RouteUpdateFlyweight.BLACKHOLE : use(route.nextHops());
        int old = routes.put(key, group);
        if (old == group) {
            release(group); // as it was: the use just counted is the one it had
            return;
        }
        putRoute(route.table(), route.prefix(), route.prefixLength(), group, false);
        if (old != LongIntHashMap.MISSING) {
            release(old);
        }
    }

    /** Removes a route, if there is one. */
    void apply(TableRouteRemoval removal) {
        int index = (int) tableIndex.get(removal.table());
        if (index == LongIntHashMap.MISSING) {
            return;
        }
        int old = routes.remove(routeKey(index, removal.prefix(), removal.prefixLength()));
        if (old == LongIntHashMap.MISSING) {
            return;
        }
        putRoute(removal.table(), removal.prefix(), removal.prefixLength(), old, true);
        release(old);
    }

    /** Binds a VNI to a table, or unbinds it (table 0). */
    void apply(VniBinding binding) {
        if (binding.table() == 0) {
            int old = bindings.remove(binding.vni());
            if (old != LongIntHashMap.MISSING) {
                // the unbind carries the table it leaves: a BIND's table is never 0 on the wire
                room(RouteUpdateFlyweight.BIND_LENGTH);
                messageAt = RouteUpdateFlyweight.putBind(message, messageAt, binding.vni(), old, true);
                messageEntries++;
            }
            return;
        }
        if (bindings.put(binding.vni(), binding.table()) == binding.table()) {
            return;
        }
        room(RouteUpdateFlyweight.BIND_LENGTH);
        messageAt = RouteUpdateFlyweight.putBind(message, messageAt, binding.vni(), binding.table(), false);
        messageEntries++;
    }

    /** Ends a change: its last message is closed as the next version. Returns the version now. */
    long endChange() {
        close();
        if (snapshot != null && snapshot.version() != version) {
            snapshot = null; // the fastpaths still sent it hold it
        }
        routeCount = routes.size();
        groupCount = groupIds.size();
        bindingCount = bindings.size();
        publishedVersion = version;
        logBytes = log.bytesHeld();
        return version;
    }

    private void putRoute(int table, int prefix, int prefixLength, int group, boolean withdraw) {
        room(RouteUpdateFlyweight.ROUTE_LENGTH);
        messageAt = RouteUpdateFlyweight.putRoute(message, messageAt, table, prefix, prefixLength, group, withdraw);
        messageEntries++;
    }

    /** The group of {@code nextHops}, a use more of it; a new one's GROUP entry is written first. */
    private int use(List<TableRoute.NextHop> nextHops) {
        if (nextHops == lastHops) {
            groupUses[lastHopsGroup]++;
            return lastHopsGroup;
        }
        int group = intern(nextHops);
        lastHops = nextHops;
        lastHopsGroup = group;
        return group;
    }

    private int intern(List<TableRoute.NextHop> nextHops) {
        NextHops hops = NextHops.of(nextHops);
        Integer known = groupIds.get(hops);
        if (known != null) {
            groupUses[known]++;
            return known;
        }
        int id = freeGroupCount > 0 ? freeGroupIds[--freeGroupCount] : nextGroupId++;
        if (id >= groups.length) {
            groups = Arrays.copyOf(groups, groups.length * 2);
            groupUses = Arrays.copyOf(groupUses, groups.length);
        }
        groups[id] = hops;
        groupUses[id] = 1;
        groupIds.put(hops, id);
        putGroup(id, hops);
        return id;
    }

    /** A use less of {@code group}; at none, it is removed (GROUP of no next hop) and its id free again. */
    private void release(int group) {
        if (group == RouteUpdateFlyweight.BLACKHOLE || --groupUses[group] > 0) {
            return;
        }
        groupIds.remove(groups[group]);
        groups[group] = null;
        if (group == lastHopsGroup) {
            lastHops = null;
        }
        if (freeGroupCount == freeGroupIds.length) {
            freeGroupIds = Arrays.copyOf(freeGroupIds, freeGroupCount * 2);
        }
        freeGroupIds[freeGroupCount++] = group;
        room(RouteUpdateFlyweight.groupLength(0));
        messageAt = RouteUpdateFlyweight.putGroup(message, messageAt, group, 0, null, null, null);
        messageEntries++;
    }

    private void putGroup(int id, NextHops hops) {
        room(RouteUpdateFlyweight.groupLength(hops.count()));
        messageAt = hops.put(message, messageAt, id);
        messageEntries++;
    }

    /** Makes room for an entry of {@code length} bytes in the open delta, closing it first if it is full. */
    private void room(int length) {
        if (messageEntries > 0 && messageAt + length > ControlProtocol.MAX_BATCH_BYTES) {
            close();
        }
        if (messageEntries == 0) {
            messageAt = RouteUpdateFlyweight.encodeHeader(message, 0, 0, 0, 0, version, version + 1);
        }
    }

    /** Closes the open delta, if it has entries, as the next version. */
    private void close() {
        if (messageEntries == 0) {
            return;
        }
        RouteUpdateFlyweight.entryCount(message, 0, messageEntries);
        log.append(Arrays.copyOf(message.array(), messageAt));
        version++;
        messageEntries = 0;
        messageAt = 0;
    }

    private int indexOf(int table) {
        int index = tableIndex.get(table);
        if (index != LongIntHashMap.MISSING) {
            return index;
        }
        if (tableCount == MAX_TABLES) {
            throw new IllegalStateException("more than " + MAX_TABLES + " route tables");
        }
        if (tableCount == tableNumbers.length) {
            tableNumbers = Arrays.copyOf(tableNumbers, tableCount * 2);
        }
        tableNumbers[tableCount] = table;
        tableIndex.put(table, tableCount);
        return tableCount++;
    }

    private static long routeKey(int tableIndex, int prefix, int prefixLength) {
        return ((long) tableIndex << 38) | ((prefix & 0xFFFF_FFFFL) << 6) | prefixLength;
    }

    // ---------------------------------------------------------------- what fastpaths are sent

    /** The version of the tables: the last change's (policy thread; {@link #publishedVersion} from others). */
    long version() {
        return version;
    }

    RouteLog log() {
        return log;
    }

    /**
     * What a fastpath at {@code from} is better sent: the deltas if the log still holds them all and they are no
     * bigger than a snapshot.
     */
    boolean deltasServe(long from) {
        return log.holds(from) && log.bytesFrom(from) <= snapshotBytes();
    }

    /** About the bytes of a snapshot of the tables now. */
    private long snapshotBytes() {
        long entries = (long) routes.size() * RouteUpdateFlyweight.ROUTE_LENGTH
                + (long) bindings.size() * RouteUpdateFlyweight.BIND_LENGTH
                + (long) groupIds.size() * RouteUpdateFlyweight.groupLength(RouteUpdateFlyweight.MAX_NEXT_HOPS / 2);
        return entries + (entries / RouteUpdateFlyweight.MAX_ENTRY_BYTES + 1) * RouteUpdateFlyweight.ENTRIES_OFFSET;
    }

    /**
     * The whole tables at the current version as snapshot parts: the bindings, then the groups, then the routes;
     * encoded once per version and shared by the fastpaths that need it.
     */
    RouteSnapshot snapshot() {
        close();
        if (snapshot != null && snapshot.version() == version) {
            return snapshot;
        }
        List<byte[]> parts = new ArrayList<>();
        SnapshotWriter writer = new SnapshotWriter(parts, version);
        for (int slot = 0; slot < bindings.capacity(); slot++) {
            if (bindings.isUsed(slot)) {
                int at = writer.room(RouteUpdateFlyweight.BIND_LENGTH);
                writer.at = RouteUpdateFlyweight.putBind(writer.buffer, at, (int) bindings.keyAt(slot),
                        bindings.valueAt(slot), false);
            }
        }
        for (int id = 1; id < nextGroupId; id++) {
            NextHops hops = groups[id];
            if (hops != null) {
                int at = writer.room(RouteUpdateFlyweight.groupLength(hops.count()));
                writer.at = hops.put(writer.buffer, at, id);
            }
        }
        for (int slot = 0; slot < routes.capacity(); slot++) {
            if (routes.isUsed(slot)) {
                long key = routes.keyAt(slot);
                int at = writer.room(RouteUpdateFlyweight.ROUTE_LENGTH);
                writer.at = RouteUpdateFlyweight.putRoute(writer.buffer, at, tableNumbers[(int) (key >>> 38)],
                        (int) (key >>> 6), (int) (key & 0x3F), routes.valueAt(slot), false);
            }
        }
        writer.finish();
        snapshot = new RouteSnapshot(version, parts.toArray(byte[][]::new));
        return snapshot;
    }

    /** Writes snapshot parts of at most 1,472 bytes. */
    private static final class SnapshotWriter {
        final ByteBuffer buffer = ByteBuffer.allocate(ControlProtocol.MAX_BATCH_BYTES);
        final List<byte[]> parts;
        final long version;
        int at;
        int entries;
        boolean started;

        SnapshotWriter(List<byte[]> parts, long version) {
            this.parts = parts;
            this.version = version;
        }

        int room(int length) {
            if (started && entries > 0 && at + length > ControlProtocol.MAX_BATCH_BYTES) {
                end(false);
            }
            if (!started) {
                int flags = RouteUpdateFlyweight.SNAPSHOT | (parts.isEmpty() ? RouteUpdateFlyweight.FIRST : 0);
                at = RouteUpdateFlyweight.encodeHeader(buffer, 0, 0, 0, flags, parts.size(), version);
                started = true;
            }
            entries++;
            return at;
        }

        void finish() {
            room(0);
            entries--;
            end(true);
        }

        private void end(boolean last) {
            if (last) {
                buffer.put(RouteUpdateFlyweight.FLAGS_OFFSET,
                        (byte) (RouteUpdateFlyweight.flags(buffer, 0) | RouteUpdateFlyweight.LAST));
            }
            RouteUpdateFlyweight.entryCount(buffer, 0, entries);
            parts.add(Arrays.copyOf(buffer.array(), at));
            entries = 0;
            started = false;
        }
    }

    // ---------------------------------------------------------------- counts (any thread)

    long publishedVersion() {
        return publishedVersion;
    }

    /**
     * The version at which every change applied so far is live: the open delta's, once closed, if it has entries
     * (policy thread only).
     */
    long pendingVersion() {
        return messageEntries > 0 ? version + 1 : version;
    }

    int routeCount() {
        return routeCount;
    }

    int groupCount() {
        return groupCount;
    }

    int bindingCount() {
        return bindingCount;
    }

    long logBytes() {
        return logBytes;
    }

    /** A group's next hops as the interning key: (VNI, address, port) each, in the route's order. */
    private static final class NextHops {
        private final int[] hops;
        private final int hash;

        private NextHops(int[] hops) {
            this.hops = hops;
            this.hash = Arrays.hashCode(hops);
        }

        static NextHops of(List<TableRoute.NextHop> nextHops) {
            int[] hops = new int[nextHops.size() * 3];
            for (int i = 0; i < nextHops.size(); i++) {
                TableRoute.NextHop hop = nextHops.get(i);
                hops[i * 3] = hop.vni();
                hops[i * 3 + 1] = hop.address();
                hops[i * 3 + 2] = hop.port();
            }
            return new NextHops(hops);
        }

        int count() {
            return hops.length / 3;
        }

        /** Writes the GROUP entry of these next hops as group {@code id}. */
        int put(ByteBuffer buffer, int at, int id) {
            int count = count();
            buffer.put(at, (byte) RouteUpdateFlyweight.KIND_GROUP);
            buffer.put(at + 1, (byte) count);
            buffer.putShort(at + 2, (short) 0);
            buffer.putInt(at + 4, id);
            int hop = at + RouteUpdateFlyweight.GROUP_HEADER_LENGTH;
            for (int i = 0; i < count; i++, hop += RouteUpdateFlyweight.NEXT_HOP_LENGTH) {
                buffer.putInt(hop, hops[i * 3]);
                buffer.putInt(hop + 4, hops[i * 3 + 1]);
                buffer.putShort(hop + 8, (short) hops[i * 3 + 2]);
                buffer.putShort(hop + 10, (short) 0);
            }
            return hop;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof NextHops that && hash == that.hash && Arrays.equals(hops, that.hops);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
