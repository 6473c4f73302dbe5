package io.isthmus.control.message;

import java.nio.ByteBuffer;

/**
 * ROUTE_UPDATE, slowpath to fastpath (additive, only to a fastpath whose HELLO has
 * {@link HelloFlyweight#ROUTE_TABLES}): a versioned batch of changes to the fastpath's route tables — which route table
 * a VNI's packets are routed by (BIND), the next-hop groups routes point at (GROUP), and the routes (ROUTE) — applied
 * in order, whole or not at all.
 * <p>
 * A <b>delta</b> ({@link #SNAPSHOT} clear) takes a fastpath from version {@code From} to {@code To}: it applies it only
 * if its route-table version is {@code From} (it starts at 0, empty, and is 0 again after a REMOVE of all rules), and
 * ignores it otherwise. A <b>snapshot</b> is the whole of the slowpath's tables at version {@code To} in parts: part 0
 * ({@link #FIRST}) empties every table, binding and group first; part {@code k} ({@code From} holds the part index) is
 * applied only right after part {@code k - 1} of the same snapshot; the {@link #LAST} part sets the version to
 * {@code To}. After each control-socket read that held ROUTE_UPDATEs the fastpath answers one ROUTE_ACK
 * ({@link RouteAckFlyweight}) with where it stands, so a slowpath sends the deltas it missed (or a snapshot) again.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 20)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Flags     |   Reserved    |          Entry Count          |  12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           Reserved                            |  16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          From Version (8; a snapshot's part index)            |  20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        To Version (8)                         |  28
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Entries ...                            |  36
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * ROUTE (16):  Kind=1 | Prefix Length | Flags (WITHDRAW=1) | Reserved | Table (4) | Prefix (4) | Group (4)
 * GROUP (8+12n): Kind=2 | Next-Hop Count n (0 removes, 1..16) | Reserved (2) | Group (4) |
 *                n x { VNI (4) | Address (4) | Port (2) | Reserved (2) }
 * BIND (12):   Kind=3 | Flags (UNBIND=1) | Reserved (2) | VNI (4) | Table (4)
 * </pre>
 *
 * A route's group 0 ({@link #BLACKHOLE}) drops what it matches; other groups must have been defined (by a GROUP
 * earlier in this message or before). A route's prefix is masked to its length. Tables and groups are numbered from 1;
 * a VNI is 24 bits. A message whose entries do not add up to its length, or with an unknown kind, a prefix length over
 * 32, a next-hop count over 16, a zero table, VNI bits beyond 24 or a zero next-hop port, is malformed and refused
 * whole. A fastpath that runs out of room for a route or a group applies the rest and counts the refusal in
 * {@code installRejects}.
 */
public final class RouteUpdateFlyweight {

    public static final int FLAGS_OFFSET = 12;
    public static final int ENTRY_COUNT_OFFSET = 14;
    public static final int FROM_VERSION_OFFSET = 20;
    public static final int TO_VERSION_OFFSET = 28;
    public static final int ENTRIES_OFFSET = 36;

    /** Flag: a part of a snapshot ({@code From} is the part index), not a delta. */
    public static final int SNAPSHOT = 1;
    /** Flag: the snapshot's first part: empty every table, binding and group before its entries. */
    public static final int FIRST = 2;
    /** Flag: the snapshot's last part: the fastpath is at version {@code To} once it is applied. */
    public static final int LAST = 4;

    public static final int KIND_ROUTE = 1;
    public static final int KIND_GROUP = 2;
    public static final int KIND_BIND = 3;

    public static final int ROUTE_LENGTH = 16;
    public static final int GROUP_HEADER_LENGTH = 8;
    public static final int NEXT_HOP_LENGTH = 12;
    public static final int BIND_LENGTH = 12;

    /** Route entry flag: remove the route for this table, prefix and length. */
    public static final int WITHDRAW = 1;
    /** Bind entry flag: the VNI's packets are no longer routed. */
    public static final int UNBIND = 1;
    /** The group of a blackhole route: what it matches is dropped. */
    public static final int BLACKHOLE = 0;
    /** The most next hops a group holds (ECMP). */
    public static final int MAX_NEXT_HOPS = 16;
    /** Room for entries in one message within {@link ControlProtocol#MAX_BATCH_BYTES}: 1,436 bytes (89 routes). */
    public static final int MAX_ENTRY_BYTES = ControlProtocol.MAX_BATCH_BYTES - ENTRIES_OFFSET;

    private RouteUpdateFlyweight() {
    }

    /** Receives a ROUTE_UPDATE's entries in order, without allocating. */
    public interface EntryVisitor {
        void onBind(int vni, int table, boolean unbind);

        /** A group's next hops: {@code count} of them (0 removes the group), read with {@link #nextHopVni} etc. */
        void onGroup(int group, int count, ByteBuffer buffer, int nextHopsAt);

        void onRoute(int table, int prefix, int prefixLength, int group, boolean withdraw);
    }

    /** Writes the header of a ROUTE_UPDATE with no entries yet; returns the offset after it (where entries go). */
    public static int encodeHeader(ByteBuffer buffer, int offset, int fastpathId, int sequence, int flags,
            long fromVersion, long toVersion) {
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.ROUTE_UPDATE, fastpathId, sequence);
        buffer.put(offset + FLAGS_OFFSET, (byte) flags);
        buffer.put(offset + FLAGS_OFFSET + 1, (byte) 0);
        buffer.putShort(offset + ENTRY_COUNT_OFFSET, (short) 0);
        buffer.putInt(offset + 16, 0);
        buffer.putLong(offset + FROM_VERSION_OFFSET, fromVersion);
        buffer.putLong(offset + TO_VERSION_OFFSET, toVersion);
        return offset + ENTRIES_OFFSET;
    }

    /** Sets the entry count of the message at {@code offset}. */
    public static void entryCount(ByteBuffer buffer, int offset, int count) {
        buffer.putShort(offset + ENTRY_COUNT_OFFSET, (short) count);
    }

    /** Writes a ROUTE entry at {@code at}; returns the offset after it. */
    public static int putRoute(ByteBuffer buffer, int at, int table, int prefix, int prefixLength, int group,
            boolean withdraw) {
        buffer.put(at, (byte) KIND_ROUTE);
        buffer.put(at + 1, (byte) prefixLength);
        buffer.put(at + 2, (byte) (withdraw ? WITHDRAW : 0));
        buffer.put(at + 3, (byte) 0);
        buffer.putInt(at + 4, table);
        buffer.putInt(at + 8, prefixLength == 0 ? 0 : prefix & (-1 << (32 - prefixLength)));
        buffer.putInt(at + 12, group);
        return at + ROUTE_LENGTH;
    }

    /**
     * Writes a GROUP entry at {@code at} of {@code count} next hops, the i-th {@code vnis[i]},
     * {@code addresses[i]}, {@code ports[i]}; returns the offset after it.
     */
    public static int putGroup(ByteBuffer buffer, int at, int group, int count, int[] vnis, int[] addresses,
            int[] ports) {
        if (count < 0 || count > MAX_NEXT_HOPS) {
            throw new IllegalArgumentException("a group has 0 to 16 next hops: " + count);
        }
        buffer.put(at, (byte) KIND_GROUP);
        buffer.put(at + 1, (byte) count);
        buffer.putShort(at + 2, (short) 0);
        buffer.putInt(at + 4, group);
        int hop = at + GROUP_HEADER_LENGTH;
        for (int i = 0; i < count; i++, hop += NEXT_HOP_LENGTH) {
            buffer.putInt(hop, vnis[i]);
            buffer.putInt(hop + 4, addresses[i]);
            buffer.putShort(hop + 8, (short) ports[i]);
            buffer.putShort(hop + 10, (short) 0);
        }
        return hop;
    }

    /** Writes a BIND entry at {@code at}; returns the offset after it. */
    public static int putBind(ByteBuffer buffer, int at, int vni, int table, boolean unbind) {
        buffer.put(at, (byte) KIND_BIND);
        buffer.put(at + 1, (byte) (unbind ? UNBIND : 0));
        buffer.putShort(at + 2, (short) 0);
        buffer.putInt(at + 4, vni);
        buffer.putInt(at + 8, table);
        return at + BIND_LENGTH;
    }

    /** The length of a GROUP entry of {@code count} next hops. */
    public static int groupLength(int count) {
        return GROUP_HEADER_LENGTH + count * NEXT_HOP_LENGTH;
    }

    public static int flags(ByteBuffer buffer, int offset) {
        return buffer.get(offset + FLAGS_OFFSET) & 0xFF;
    }

    public static int entryCount(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + ENTRY_COUNT_OFFSET) & 0xFFFF;
    }

    public static long fromVersion(ByteBuffer buffer, int offset) {
        return buffer.getLong(offset + FROM_VERSION_OFFSET);
    }

    public static long toVersion(ByteBuffer buffer, int offset) {
        return buffer.getLong(offset + TO_VERSION_OFFSET);
    }

    public static int nextHopVni(ByteBuffer buffer, int nextHopsAt, int i) {
        return buffer.getInt(nextHopsAt + i * NEXT_HOP_LENGTH);
    }

    public static int nextHopAddress(ByteBuffer buffer, int nextHopsAt, int i) {
        return buffer.getInt(nextHopsAt + i * NEXT_HOP_LENGTH + 4);
    }

    public static int nextHopPort(ByteBuffer buffer, int nextHopsAt, int i) {
        return buffer.getShort(nextHopsAt + i * NEXT_HOP_LENGTH + 8) & 0xFFFF;
    }

    /** Whether the message is well formed (see the class comment): its entries add up to its length, each valid. */
    public static boolean isValid(ByteBuffer buffer, int offset, int length) {
        if (length < ENTRIES_OFFSET) {
            return false;
        }
        int count = entryCount(buffer, offset);
        int at = offset + ENTRIES_OFFSET;
        int end = offset + length;
        for (int i = 0; i < count; i++) {
            if (at >= end) {
                return false;
            }
            int kind = buffer.get(at) & 0xFF;
            switch (kind) {
                case KIND_ROUTE -> {
                    if (at + ROUTE_LENGTH > end || (buffer.get(at + 1) & 0xFF) > 32 || buffer.getInt(at + 4) == 0) {
                        return false;
                    }
                    at += ROUTE_LENGTH;
                }
                case KIND_GROUP -> {
                    int hops = buffer.get(at + 1) & 0xFF;
                    if (at + GROUP_HEADER_LENGTH > end || hops > MAX_NEXT_HOPS || buffer.getInt(at + 4) == 0
                            || at + groupLength(hops) > end) {
                        return false;
                    }
                    for (int h = 0; h < hops; h++) {
                        if ((nextHopVni(buffer, at + GROUP_HEADER_LENGTH, h) & ~0xFF_FFFF) != 0
                                || nextHopPort(buffer, at + GROUP_HEADER_LENGTH, h) == 0) {
                            return false;
                        }
                    }
                    at += groupLength(hops);
                }
                case KIND_BIND -> {
                    if (at + BIND_LENGTH > end || (buffer.getInt(at + 4) & ~0xFF_FFFF) != 0
                            || buffer.getInt(at + 8) == 0) {
                        return false;
                    }
                    at += BIND_LENGTH;
                }
                default -> {
                    return false;
                }
            }
        }
        return at == end;
    }

    /**
     * Hands each entry of a message {@link #isValid} said is well formed to {@code visitor}, in order; returns the
     * entry count.
     */
    public static int visit(ByteBuffer buffer, int offset, EntryVisitor visitor) {
        int count = entryCount(buffer, offset);
        int at = offset + ENTRIES_OFFSET;
        for (int i = 0; i < count; i++) {
            switch (buffer.get(at) & 0xFF) {
                case KIND_ROUTE -> {
                    int prefixLength = buffer.get(at + 1) & 0xFF;
                    int prefix = buffer.getInt(at + 8);
                    visitor.onRoute(buffer.getInt(at + 4),
                            prefixLength == 0 ? 0 : prefix & (-1 << (32 - prefixLength)), prefixLength,
                            buffer.getInt(at + 12), (buffer.get(at + 2) & WITHDRAW) != 0);
                    at += ROUTE_LENGTH;
                }
                case KIND_GROUP -> {
                    int hops = buffer.get(at + 1) & 0xFF;
                    visitor.onGroup(buffer.getInt(at + 4), hops, buffer, at + GROUP_HEADER_LENGTH);
                    at += groupLength(hops);
                }
                default -> {
                    visitor.onBind(buffer.getInt(at + 4), buffer.getInt(at + 8), (buffer.get(at + 1) & UNBIND) != 0);
                    at += BIND_LENGTH;
                }
            }
        }
        return count;
    }
}
