package io.isthmus.control.message;

import java.nio.ByteBuffer;

import io.isthmus.control.Route;

/**
 * INSTALL_ROUTE, slowpath to fastpath (additive, only to a fastpath whose HELLO has
 * {@link HelloFlyweight#INSTALL_ROUTE}): one route into (or, with {@link #WITHDRAW}, out of) the fastpath's
 * longest-prefix-match table. A route for a prefix and length that exists replaces it. The 16-byte route entry is
 * also ROUTE_BATCH's ({@link RouteBatchFlyweight}).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 14)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  route entry:
 * |                            Prefix                             |  +0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Prefix Length |     Flags     |         Next Hop Port         |  +4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                              VNI                              |  +8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Next Hop Address                        |  +12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * A receiver masks the prefix to its length; VNI, next hop and port are ignored in a withdrawal.
 */
public final class InstallRouteFlyweight {

    public static final int ENTRY_OFFSET = 12;
    public static final int LENGTH = ENTRY_OFFSET + 16;

    /** Offsets within a route entry. */
    public static final int ROUTE_PREFIX_OFFSET = 0;
    public static final int ROUTE_PREFIX_LENGTH_OFFSET = 4;
    public static final int ROUTE_FLAGS_OFFSET = 5;
    public static final int ROUTE_NEXT_HOP_PORT_OFFSET = 6;
    public static final int ROUTE_VNI_OFFSET = 8;
    public static final int ROUTE_NEXT_HOP_ADDRESS_OFFSET = 12;
    public static final int ROUTE_LENGTH = 16;

    /** Route flag: remove the route for this prefix and length instead. */
    public static final int WITHDRAW = 1;

    private InstallRouteFlyweight() {
    }

    /** Receives routes (of an INSTALL_ROUTE or a ROUTE_BATCH) without allocating. */
    @FunctionalInterface
    public interface RouteVisitor {
        void onRoute(int prefix, int prefixLength, int flags, int vni, int nextHopAddress, int nextHopPort);
    }

    /** Writes an INSTALL_ROUTE of {@code route}; returns the message length. */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, Route route) {
        return encode(buffer, offset, fastpathId, sequence, route, 0);
    }

    /** Writes an INSTALL_ROUTE withdrawing the route for {@code prefix/prefixLength}; returns the message length. */
    public static int encodeWithdraw(ByteBuffer buffer, int offset, int fastpathId, int sequence, int prefix,
            int prefixLength) {
        return encode(buffer, offset, fastpathId, sequence, new Route(prefix & Route.mask(prefixLength), prefixLength,
                0, 0, 0), WITHDRAW);
    }

    private static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, Route route, int flags) {
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.INSTALL_ROUTE, fastpathId, sequence);
        encodeRoute(buffer, offset + ENTRY_OFFSET, route, flags);
        return LENGTH;
    }

    /** Writes a route entry at {@code at}. */
    static void encodeRoute(ByteBuffer buffer, int at, Route route, int flags) {
        buffer.putInt(at + ROUTE_PREFIX_OFFSET, route.prefix());
        buffer.put(at + ROUTE_PREFIX_LENGTH_OFFSET, (byte) route.prefixLength());
        buffer.put(at + ROUTE_FLAGS_OFFSET, (byte) flags);
        buffer.putShort(at + ROUTE_NEXT_HOP_PORT_OFFSET, (short) route.nextHopPort());
        buffer.putInt(at + ROUTE_VNI_OFFSET, route.vni());
        buffer.putInt(at + ROUTE_NEXT_HOP_ADDRESS_OFFSET, route.nextHopAddress());
    }

    /** Whether the entry at {@code at} has a prefix length of 0..32 and a 24-bit VNI. */
    static boolean isValidRoute(ByteBuffer buffer, int at) {
        return (buffer.get(at + ROUTE_PREFIX_LENGTH_OFFSET) & 0xFF) <= 32
                && (buffer.getInt(at + ROUTE_VNI_OFFSET) & ~0xFF_FFFF) == 0;
    }

    /** Hands the entry at {@code at} to {@code visitor}, its prefix masked to its length. */
    static void visitRoute(ByteBuffer buffer, int at, RouteVisitor visitor) {
        int prefixLength = buffer.get(at + ROUTE_PREFIX_LENGTH_OFFSET) & 0xFF;
        visitor.onRoute(buffer.getInt(at + ROUTE_PREFIX_OFFSET) & Route.mask(prefixLength), prefixLength,
                buffer.get(at + ROUTE_FLAGS_OFFSET) & 0xFF, buffer.getInt(at + ROUTE_VNI_OFFSET),
                buffer.getInt(at + ROUTE_NEXT_HOP_ADDRESS_OFFSET),
                buffer.getShort(at + ROUTE_NEXT_HOP_PORT_OFFSET) & 0xFFFF);
    }

    /** Hands the route to {@code visitor}; returns 1, or -1 (visiting nothing) if the message is malformed. */
    public static int decode(ByteBuffer buffer, int offset, int length, RouteVisitor visitor) {
        if (length < LENGTH || !isValidRoute(buffer, offset + ENTRY_OFFSET)) {
            return -1;
        }
        visitRoute(buffer, offset + ENTRY_OFFSET, visitor);
        return 1;
    }
}
