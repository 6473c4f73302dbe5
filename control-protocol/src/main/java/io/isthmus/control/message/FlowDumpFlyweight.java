package io.isthmus.control.message;

import java.nio.ByteBuffer;
import java.util.List;

import io.isthmus.control.Rule;

/**
 * FLOW_DUMP_REQUEST (slowpath to fastpath, the header alone) and FLOW_DUMP (fastpath to slowpath): a slowpath that
 * starts while fastpaths already forward (it restarted, or replaced another) asks each for the rules it holds and
 * learns its state back from them (a NAT its bindings) instead of removing them, so no established flow breaks. The
 * fastpath answers with as many FLOW_DUMPs as its rules need, the last one flagged {@link #LAST} (one with no rule if
 * it holds none). A FLOW_DUMP has the layout of an INSTALL ({@link InstallFlyweight}: the same rules, read with its
 * decoders), with the reserved field as flags:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 19)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Rule Count           |             Flags             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Rules ... (as in an INSTALL)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class FlowDumpFlyweight {

    public static final int FLAGS_OFFSET = InstallFlyweight.RULE_COUNT_OFFSET + 2;
    /** The last FLOW_DUMP of an answer. */
    public static final int LAST = 1;

    private FlowDumpFlyweight() {
    }

    /** Writes a FLOW_DUMP_REQUEST; returns its length (the header's). */
    public static int encodeRequest(ByteBuffer buffer, int offset, int fastpathId, int sequence) {
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.FLOW_DUMP_REQUEST, fastpathId, sequence);
        return ControlProtocol.HEADER_LENGTH;
    }

    /** Writes a FLOW_DUMP of {@code rules}, flagged {@link #LAST} if {@code last}; returns its length. */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, List<Rule> rules,
            boolean last) {
        int length = InstallFlyweight.encode(buffer, offset, fastpathId, sequence, rules);
        buffer.put(offset + ControlProtocol.TYPE_OFFSET, (byte) ControlProtocol.FLOW_DUMP);
        buffer.putShort(offset + FLAGS_OFFSET, (short) (last ? LAST : 0));
        return length;
    }

    /** Whether this FLOW_DUMP is the last of its answer. */
    public static boolean isLast(ByteBuffer buffer, int offset, int length) {
        return length >= InstallFlyweight.RULES_OFFSET && (buffer.getShort(offset + FLAGS_OFFSET) & LAST) != 0;
    }

    /** The rules of a FLOW_DUMP; throws IllegalArgumentException if it is malformed. */
    public static List<Rule> rules(ByteBuffer buffer, int offset, int length) {
        return InstallFlyweight.decode(buffer, offset, length);
    }
}
