package io.isthmus.control.message;

import java.nio.ByteBuffer;

/**
 * ROUTE_ACK, fastpath to slowpath: where the fastpath's route tables stand, sent after each control-socket read that
 * held ROUTE_UPDATEs ({@link RouteUpdateFlyweight}), applied or ignored. {@code Version} is the version of the last
 * delta or whole snapshot applied (0: nothing since the start or the last REMOVE of all rules; -1: a snapshot is half
 * applied); while a snapshot is being applied, {@code Snapshot Version} and {@code Next Part} say which part it waits
 * for (else 0 and 0). {@code Routes} and {@code Groups} count what its tables hold, {@code Rejected} the routes and
 * groups it refused for want of room since it started.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 21)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Version (8)                           |  12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Snapshot Version (8)                      |  20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Next Part (4)                          |  28
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Routes (4)                           |  32
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Groups (4)                           |  36
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Rejected (8)                          |  40
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class RouteAckFlyweight {

    public static final int VERSION_OFFSET = 12;
    public static final int SNAPSHOT_VERSION_OFFSET = 20;
    public static final int NEXT_PART_OFFSET = 28;
    public static final int ROUTES_OFFSET = 32;
    public static final int GROUPS_OFFSET = 36;
    public static final int REJECTED_OFFSET = 40;
    public static final int LENGTH = 48;

    /** The version of a fastpath half way through a snapshot. */
    public static final long IN_SNAPSHOT = -1;

    private RouteAckFlyweight() {
    }

    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, long version,
            long snapshotVersion, int nextPart, int routes, int groups, long rejected) {
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.ROUTE_ACK, fastpathId, sequence);
        buffer.putLong(offset + VERSION_OFFSET, version);
        buffer.putLong(offset + SNAPSHOT_VERSION_OFFSET, snapshotVersion);
        buffer.putInt(offset + NEXT_PART_OFFSET, nextPart);
        buffer.putInt(offset + ROUTES_OFFSET, routes);
        buffer.putInt(offset + GROUPS_OFFSET, groups);
        buffer.putLong(offset + REJECTED_OFFSET, rejected);
        return LENGTH;
    }

    public static boolean isValid(int length) {
        return length == LENGTH;
    }

    public static long version(ByteBuffer buffer, int offset) {
        return buffer.getLong(offset + VERSION_OFFSET);
    }

    public static long snapshotVersion(ByteBuffer buffer, int offset) {
        return buffer.getLong(offset + SNAPSHOT_VERSION_OFFSET);
    }

    public static int nextPart(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + NEXT_PART_OFFSET);
    }

    public static int routes(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + ROUTES_OFFSET);
    }

    public static int groups(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + GROUPS_OFFSET);
    }

    public static long rejected(ByteBuffer buffer, int offset) {
        return buffer.getLong(offset + REJECTED_OFFSET);
    }
}
