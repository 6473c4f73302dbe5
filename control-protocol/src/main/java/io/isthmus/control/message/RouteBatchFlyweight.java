package io.isthmus.control.message;

import java.nio.ByteBuffer;
import java.util.List;

import io.isthmus.control.Route;

/**
 * ROUTE_BATCH, slowpath to fastpath (additive, only to a fastpath whose HELLO has {@link HelloFlyweight#ROUTE_BATCH}):
 * many routes in one datagram, each a 16-byte route entry as in {@link InstallRouteFlyweight}, applied in order. A
 * slowpath keeps each batch within {@link ControlProtocol#MAX_BATCH_BYTES} ({@link #MAX_ROUTES} routes) and splits a
 * longer list over several.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 15)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Route Count          |           Reserved            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Route Entries ... (16 bytes each)                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class RouteBatchFlyweight {

    public static final int ROUTE_COUNT_OFFSET = 12;
    public static final int ROUTES_OFFSET = 16;
    /** The most routes in one ROUTE_BATCH within {@link ControlProtocol#MAX_BATCH_BYTES}: 91. */
    public static final int MAX_ROUTES = (ControlProtocol.MAX_BATCH_BYTES - ROUTES_OFFSET)
            / InstallRouteFlyweight.ROUTE_LENGTH;

    private RouteBatchFlyweight() {
    }

    /**
     * Writes a ROUTE_BATCH of {@code routes} (at most {@link #MAX_ROUTES}, or as many as the caller's buffer holds),
     * each withdrawn if {@code withdraw}; returns the message length.
     */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, List<Route> routes,
            boolean withdraw) {
        if (routes.size() > 0xFFFF) {
            throw new IllegalArgumentException("too many routes for one ROUTE_BATCH: " + routes.size());
        }
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.ROUTE_BATCH, fastpathId, sequence);
        buffer.putShort(offset + ROUTE_COUNT_OFFSET, (short) routes.size());
        buffer.putShort(offset + ROUTE_COUNT_OFFSET + 2, (short) 0);
        int flags = withdraw ? InstallRouteFlyweight.WITHDRAW : 0;
        for (int i = 0; i < routes.size(); i++) {
            InstallRouteFlyweight.encodeRoute(buffer, offset + ROUTES_OFFSET + i * InstallRouteFlyweight.ROUTE_LENGTH,
                    routes.get(i), flags);
        }
        return length(routes.size());
    }

    /** The length of a ROUTE_BATCH of {@code count} routes. */
    public static int length(int count) {
        return ROUTES_OFFSET + count * InstallRouteFlyweight.ROUTE_LENGTH;
    }

    public static int count(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + ROUTE_COUNT_OFFSET) & 0xFFFF;
    }

    /**
     * Checks every route, then hands each to {@code visitor} in order; returns the count, or -1 (visiting nothing) if
     * the message is malformed (its length is not its count's, or a route's prefix length or VNI is out of range).
     */
    public static int decode(ByteBuffer buffer, int offset, int length, InstallRouteFlyweight.RouteVisitor visitor) {
        if (length < ROUTES_OFFSET) {
            return -1;
        }
        int count = count(buffer, offset);
        if (length(count) != length) {
            return -1;
        }
        for (int i = 0; i < count; i++) {
            if (!InstallRouteFlyweight.isValidRoute(buffer,
                    offset + ROUTES_OFFSET + i * InstallRouteFlyweight.ROUTE_LENGTH)) {
                return -1;
            }
        }
        for (int i = 0; i < count; i++) {
            InstallRouteFlyweight.visitRoute(buffer, offset + ROUTES_OFFSET + i * InstallRouteFlyweight.ROUTE_LENGTH,
                    visitor);
        }
        return count;
    }
}
