package io.isthmus.control.message;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * HELLO, fastpath to slowpath, on start and every hello interval: where its packets arrive and which additive
 * messages it takes. The slowpath learns the fastpath's control address from the datagram's source.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 1)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Data Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Data Port           |             Flags             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * A slowpath never sends a fastpath a message whose flag its last HELLO did not carry; a receiver ignores flags it
 * does not know.
 */
public final class HelloFlyweight {

    public static final int DATA_ADDRESS_OFFSET = 12;
    public static final int DATA_PORT_OFFSET = 16;
    public static final int FLAGS_OFFSET = 18;
    public static final int LENGTH = 20;

    /**
     * How often a fastpath says HELLO unless told otherwise; a slowpath forgets a fastpath it has not heard from for a
     * few intervals.
     */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    /** The fastpath takes REINJECT_BATCH. */
    public static final int REINJECT_BATCH = 1;
    /** The fastpath takes INSTALL_SA and REMOVE_SA: it has an ESP security association table. */
    public static final int INSTALL_SA = 1 << 1;
    /** The fastpath takes INSTALL_ROUTE: it has a longest-prefix-match route table. */
    public static final int INSTALL_ROUTE = 1 << 2;
    /** The fastpath takes ROUTE_BATCH. */
    public static final int ROUTE_BATCH = 1 << 3;
    /** The fastpath takes TRANSMIT: it sends a packet the slowpath made (an ICMP error) out of its data socket. */
    public static final int TRANSMIT = 1 << 4;
    /** The fastpath takes TIMEOUTS: its rules' idle timeouts are the slowpath's to set. */
    public static final int TIMEOUTS = 1 << 5;
    /** The fastpath answers FLOW_DUMP_REQUEST with its rules (FLOW_DUMP), so a restarted slowpath learns them. */
    public static final int FLOW_DUMP = 1 << 6;
    /**
     * The fastpath takes COUNT_GROUP (a COUNT into a counter group) and reports its groups' counters in STATS_RESPONSE
     * ({@link StatsResponseFlyweight}).
     */
    public static final int COUNT_GROUPS = 1 << 7;
    /**
     * The fastpath takes the extended INSTALL_SA ({@link InstallSaFlyweight#FLAG_EXTENDED}: ESN, its own replay
     * window, ESP in UDP, a byte limit), finds an ESP_DECRYPT's SA by the packet's SPI, punts IKE on the ESP port
     * ({@code PuntReason.NON_ESP}), and reports its SAs' counters in STATS_RESPONSE ({@link StatsResponseFlyweight}).
     */
    public static final int ESP_EXTENDED = 1 << 8;
    /**
     * The fastpath takes ROUTE_UPDATE (versioned route tables, a VNI's packets routed by longest prefix match without
     * a rule: {@link RouteUpdateFlyweight}) and answers ROUTE_ACK.
     */
    public static final int ROUTE_TABLES = 1 << 9;

    private HelloFlyweight() {
    }

    /** A HELLO without flags: a fastpath that takes only the messages of the first version. */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, int dataAddress,
            int dataPort) {
        return encode(buffer, offset, fastpathId, sequence, dataAddress, dataPort, 0);
    }

    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, int dataAddress,
            int dataPort, int flags) {
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.HELLO, fastpathId, sequence);
        buffer.putInt(offset + DATA_ADDRESS_OFFSET, dataAddress);
        buffer.putShort(offset + DATA_PORT_OFFSET, (short) dataPort);
        buffer.putShort(offset + FLAGS_OFFSET, (short) flags);
        return LENGTH;
    }

    public static boolean isValid(ByteBuffer buffer, int offset, int length) {
        return length >= LENGTH;
    }

    public static int flags(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + FLAGS_OFFSET) & 0xFFFF;
    }

    public static int dataAddress(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + DATA_ADDRESS_OFFSET);
    }

    public static int dataPort(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + DATA_PORT_OFFSET) & 0xFFFF;
    }
}
