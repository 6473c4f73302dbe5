package io.isthmus.control.message;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The binary control protocol between fastpaths and their slowpath: one UDP datagram per message, big-endian, version
 * 1. This class holds the header every message starts with and the registry of message types; each message's body
 * has its own flyweight ({@link HelloFlyweight}, {@link PuntFlyweight}, {@link InstallFlyweight}, ...).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Magic 0x4953 "IS"      |    Version    |     Type      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Fastpath Id                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           Sequence                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Fastpath Id is the sender's id from a fastpath and the addressee's id from the slowpath (a fastpath ignores
 * messages for another id). Sequence is echoed by STATS_RESPONSE. A receiver drops messages with another magic or
 * version. New message types are additive: a slowpath sends one only to a fastpath whose HELLO announced it
 * ({@link HelloFlyweight}), a fastpath sends one only to a slowpath whose WELCOME did ({@link WelcomeFlyweight}).
 */
public final class ControlProtocol {

    public static final int MAGIC = 0x4953;
    public static final int VERSION = 1;

    /** {@link HelloFlyweight}: fastpath to slowpath. */
    public static final int HELLO = 1;
    /** {@link PuntFlyweight}: fastpath to slowpath. */
    public static final int PUNT = 2;
    /** {@link InstallFlyweight}: slowpath to fastpath, flow rules. */
    public static final int INSTALL = 3;
    /** {@link RemoveFlyweight}: slowpath to fastpath, flow rules. */
    public static final int REMOVE = 4;
    /** {@link ReinjectFlyweight}: slowpath to fastpath. */
    public static final int REINJECT = 5;
    /** {@link StatsRequestFlyweight}: slowpath to fastpath. */
    public static final int STATS_REQUEST = 6;
    /** {@link StatsResponseFlyweight}: fastpath to slowpath. */
    public static final int STATS_RESPONSE = 7;
    /** {@link FlowExpiredFlyweight}: fastpath to slowpath. */
    public static final int FLOW_EXPIRED = 8;
    /** {@link BatchFlyweight}: slowpath to fastpath, if HELLO announced {@link HelloFlyweight#REINJECT_BATCH}. */
    public static final int REINJECT_BATCH = 9;
    /** {@link WelcomeFlyweight}: slowpath to fastpath. */
    public static final int WELCOME = 10;
    /** {@link BatchFlyweight}: fastpath to slowpath, if WELCOME announced {@link WelcomeFlyweight#PUNT_BATCH}. */
    public static final int PUNT_BATCH = 11;
    /** {@link InstallSaFlyweight}: slowpath to fastpath, if HELLO announced {@link HelloFlyweight#INSTALL_SA}. */
    public static final int INSTALL_SA = 12;
    /** {@link RemoveSaFlyweight}: slowpath to fastpath, if HELLO announced {@link HelloFlyweight#INSTALL_SA}. */
    public static final int REMOVE_SA = 13;
    /** {@link InstallRouteFlyweight}: slowpath to fastpath, if HELLO announced {@link HelloFlyweight#INSTALL_ROUTE}. */
    public static final int INSTALL_ROUTE = 14;
    /** {@link RouteBatchFlyweight}: slowpath to fastpath, if HELLO announced {@link HelloFlyweight#ROUTE_BATCH}. */
    public static final int ROUTE_BATCH = 15;
    /** {@link TransmitFlyweight}: slowpath to fastpath, if HELLO announced {@link HelloFlyweight#TRANSMIT}. */
    public static final int TRANSMIT = 16;
    /** {@link TimeoutsFlyweight}: slowpath to fastpath, if HELLO announced {@link HelloFlyweight#TIMEOUTS}. */
    public static final int TIMEOUTS = 17;
    /** {@link FlowDumpFlyweight#encodeRequest}: slowpath to fastpath, if HELLO announced {@link HelloFlyweight#FLOW_DUMP}. */
    public static final int FLOW_DUMP_REQUEST = 18;
    /** {@link FlowDumpFlyweight}: fastpath to slowpath, the answer to a FLOW_DUMP_REQUEST. */
    public static final int FLOW_DUMP = 19;
    /** {@link RouteUpdateFlyweight}: slowpath to fastpath, if HELLO announced {@link HelloFlyweight#ROUTE_TABLES}. */
    public static final int ROUTE_UPDATE = 20;
    /** {@link RouteAckFlyweight}: fastpath to slowpath, the answer to ROUTE_UPDATEs. */
    public static final int ROUTE_ACK = 21;

    /** The largest UDP payload over IPv4; no message is longer. */
    public static final int MAX_MESSAGE_LENGTH = 65_507;
    /** Batches (and the messages a slowpath builds) stay within one unfragmented datagram on a 1500-byte MTU. */
    public static final int MAX_BATCH_BYTES = 1472;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int TYPE_OFFSET = 3;
    public static final int FASTPATH_ID_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int HEADER_LENGTH = 12;

    private ControlProtocol() {
    }

    /** Writes a header and returns {@link #HEADER_LENGTH}. */
    public static int encodeHeader(ByteBuffer buffer, int offset, int type, int fastpathId, int sequence) {
        checkOrder(buffer);
        buffer.putShort(offset + MAGIC_OFFSET, (short) MAGIC);
        buffer.put(offset + VERSION_OFFSET, (byte) VERSION);
        buffer.put(offset + TYPE_OFFSET, (byte) type);
        buffer.putInt(offset + FASTPATH_ID_OFFSET, fastpathId);
        buffer.putInt(offset + SEQUENCE_OFFSET, sequence);
        return HEADER_LENGTH;
    }

    /** Whether the message is long enough for a header and has this protocol's magic and version. */
    public static boolean isValidHeader(ByteBuffer buffer, int offset, int length) {
        return length >= HEADER_LENGTH && (buffer.getShort(offset + MAGIC_OFFSET) & 0xFFFF) == MAGIC
                && (buffer.get(offset + VERSION_OFFSET) & 0xFF) == VERSION;
    }

    public static int type(ByteBuffer buffer, int offset) {
        return buffer.get(offset + TYPE_OFFSET) & 0xFF;
    }

    public static int fastpathId(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + FASTPATH_ID_OFFSET);
    }

    public static int sequence(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + SEQUENCE_OFFSET);
    }

    /** A name for logs and counters. */
    public static String typeName(int type) {
        return switch (type) {
            case HELLO -> "HELLO";
            case PUNT -> "PUNT";
            case INSTALL -> "INSTALL";
            case REMOVE -> "REMOVE";
            case REINJECT -> "REINJECT";
            case STATS_REQUEST -> "STATS_REQUEST";
            case STATS_RESPONSE -> "STATS_RESPONSE";
            case FLOW_EXPIRED -> "FLOW_EXPIRED";
            case REINJECT_BATCH -> "REINJECT_BATCH";
            case WELCOME -> "WELCOME";
            case PUNT_BATCH -> "PUNT_BATCH";
            case INSTALL_SA -> "INSTALL_SA";
            case REMOVE_SA -> "REMOVE_SA";
            case INSTALL_ROUTE -> "INSTALL_ROUTE";
            case ROUTE_BATCH -> "ROUTE_BATCH";
            case TIMEOUTS -> "TIMEOUTS";
            case ROUTE_UPDATE -> "ROUTE_UPDATE";
            case ROUTE_ACK -> "ROUTE_ACK";
            default -> "UNKNOWN(" + type + ")";
        };
    }

    static void checkOrder(ByteBuffer buffer) {
        if (buffer.order() != ByteOrder.BIG_ENDIAN) {
            throw new IllegalArgumentException("control buffers are big-endian");
        }
    }
}
