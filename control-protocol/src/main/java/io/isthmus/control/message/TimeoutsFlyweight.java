package io.isthmus.control.message;

import java.nio.ByteBuffer;

import io.isthmus.control.FlowTimeouts;

/**
 * TIMEOUTS, slowpath to fastpath (additive, only to a fastpath whose HELLO has {@link HelloFlyweight#TIMEOUTS}): the
 * idle timeouts of the fastpath's flow rules, in seconds ({@link FlowTimeouts}). The fastpath applies them to the
 * rules it holds and to those installed later, and keeps them through a REMOVE of all rules; until the first TIMEOUTS
 * it applies {@link FlowTimeouts#DEFAULTS}. A TIMEOUTS with a value under its RFC minimum is refused whole.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 17)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 TCP Established Timeout (s)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  TCP Transitory Timeout (s)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       UDP Timeout (s)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    ICMP Query Timeout (s)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Other Timeout (s)                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Each timeout is 32 bits unsigned.
 */
public final class TimeoutsFlyweight {

    public static final int TCP_ESTABLISHED_OFFSET = 12;
    public static final int TCP_TRANSITORY_OFFSET = 16;
    public static final int UDP_OFFSET = 20;
    public static final int ICMP_OFFSET = 24;
    public static final int OTHER_OFFSET = 28;
    public static final int LENGTH = 32;

    private TimeoutsFlyweight() {
    }

    /** Writes a TIMEOUTS of {@code timeouts}; returns {@link #LENGTH}. */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, FlowTimeouts timeouts) {
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.TIMEOUTS, fastpathId, sequence);
        buffer.putInt(offset + TCP_ESTABLISHED_OFFSET, (int) timeouts.tcpEstablished());
        buffer.putInt(offset + TCP_TRANSITORY_OFFSET, (int) timeouts.tcpTransitory());
        buffer.putInt(offset + UDP_OFFSET, (int) timeouts.udp());
        buffer.putInt(offset + ICMP_OFFSET, (int) timeouts.icmp());
        buffer.putInt(offset + OTHER_OFFSET, (int) timeouts.other());
        return LENGTH;
    }

    /** Whether the message is a whole TIMEOUTS whose every timeout is at least its RFC minimum. */
    public static boolean isValid(ByteBuffer buffer, int offset, int length) {
        return length >= LENGTH && FlowTimeouts.isValid(tcpEstablished(buffer, offset), tcpTransitory(buffer, offset),
                udp(buffer, offset), icmp(buffer, offset), other(buffer, offset));
    }

    public static long tcpEstablished(ByteBuffer buffer, int offset) {
        return seconds(buffer, offset + TCP_ESTABLISHED_OFFSET);
    }

    public static long tcpTransitory(ByteBuffer buffer, int offset) {
        return seconds(buffer, offset + TCP_TRANSITORY_OFFSET);
    }

    public static long udp(ByteBuffer buffer, int offset) {
        return seconds(buffer, offset + UDP_OFFSET);
    }

    public static long icmp(ByteBuffer buffer, int offset) {
        return seconds(buffer, offset + ICMP_OFFSET);
    }

    public static long other(ByteBuffer buffer, int offset) {
        return seconds(buffer, offset + OTHER_OFFSET);
    }

    /** Decodes a valid TIMEOUTS ({@link #isValid}). */
    public static FlowTimeouts decode(ByteBuffer buffer, int offset) {
        return new FlowTimeouts(tcpEstablished(buffer, offset), tcpTransitory(buffer, offset), udp(buffer, offset),
                icmp(buffer, offset), other(buffer, offset));
    }

    private static long seconds(ByteBuffer buffer, int index) {
        return buffer.getInt(index) & 0xFFFF_FFFFL;
    }
}
