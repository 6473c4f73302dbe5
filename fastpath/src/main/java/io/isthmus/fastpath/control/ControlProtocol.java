package io.isthmus.fastpath.control;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary control protocol between fastpaths and their slowpath, one UDP datagram per message, big-endian.
 * <p>
 * Every message starts with this header:
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
 * version. A flow key is 16 bytes:
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   VNI                         |   Protocol    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Source Address                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Destination Address                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Bodies after the 12-byte header:
 * <ul>
 * <li>HELLO (fastpath to slowpath, on start and every hello interval): data address (4), data port (2), flags (2:
 * {@link #HELLO_REINJECT_BATCH} if it takes REINJECT_BATCH). The slowpath learns the fastpath's control address from
 * the datagram's source.</li>
 * <li>PUNT (fastpath to slowpath): reason (1, {@link PuntReason}), reserved (1), packet length (2), flow key (16, as
 * far as the packet could be parsed), packet (the VXLAN payload as received, from the VXLAN header on).</li>
 * <li>INSTALL (slowpath to fastpath): rule count (2), reserved (2), rules. A rule is a flow key (16), an action count
 * (1) and the actions; an action is an opcode (1, {@link Action}) and its operands: REWRITE_SOURCE,
 * REWRITE_DESTINATION and SET_NEXT_HOP an address (4) and a port (2), SET_VNI a VNI (4), ESP_ENCRYPT and ESP_DECRYPT
 * an SA index (4), the others none. Installing
 * a key that exists replaces its program.</li>
 * <li>REMOVE (slowpath to fastpath): flags (1, {@link #REMOVE_ALL} empties the table), reserved (1), key count (2),
 * keys (16 each).</li>
 * <li>REINJECT (slowpath to fastpath): reserved (2), packet length (2), packet. The fastpath runs it through its
 * table again; a re-injected packet that misses is dropped, never punted again.</li>
 * <li>REINJECT_BATCH (slowpath to fastpath; still version 1, an additive type, sent only to a fastpath whose HELLO
 * has {@link #HELLO_REINJECT_BATCH}): entry count (2), reserved (2), then per packet its length (2) and the packet.
 * Each packet is handled as a REINJECT's. The slowpath fills a datagram with the packets of a batch of decisions for
 * one fastpath, instead of one datagram each.</li>
 * <li>WELCOME (slowpath to fastpath, additive): flags (2, {@link #WELCOME_PUNT_BATCH} if the slowpath takes
 * PUNT_BATCH), reserved (2). Sent after every REMOVE of all rules (which a slowpath sends a fastpath it registers);
 * a fastpath forgets what a WELCOME told it at a REMOVE of all rules, so a slowpath that sends none is never sent
 * what it does not know.</li>
 * <li>PUNT_BATCH (fastpath to slowpath, additive, only after a WELCOME with {@link #WELCOME_PUNT_BATCH}): entry count
 * (2), reserved (2), then per entry its length (2) and a whole PUNT message. The fastpath gathers the punts of one
 * round of its loop (a poll of its data socket and of its control socket) into as few datagrams as fit in
 * {@link #MAX_BATCH_BYTES}.</li>
 * <li>STATS_REQUEST (slowpath to fastpath): no body.</li>
 * <li>STATS_RESPONSE (fastpath to slowpath): counter count (2), reserved (2), counters (8 each, in
 * {@link FastpathStats} index order).</li>
 * <li>FLOW_EXPIRED (fastpath to slowpath, since the flow table has idle timeouts; still version 1, an additive
 * type): flags (1, {@link #EXPIRED_IDLE}), reserved (1), key count (2), keys (16 each) — the same layout as REMOVE.
 * The fastpath has already removed these rules (their idle timeout passed without a hit) and sends this once per
 * batch of at most {@link #FLOW_EXPIRED_BATCH} keys; the slowpath releases what it bound to them (a NAT binding
 * whose forward and reverse rules have both expired in every fastpath). Best effort: a lost FLOW_EXPIRED leaves the
 * slowpath's binding until the next one or a REMOVE; a receiver ignores flags it does not know.</li>
 * </ul>
 */
public final class ControlProtocol {

    public static final int MAGIC = 0x4953;
    public static final int VERSION = 1;

    public static final int HELLO = 1;
    public static final int PUNT = 2;
    public static final int INSTALL = 3;
    public static final int REMOVE = 4;
    public static final int REINJECT = 5;
    public static final int STATS_REQUEST = 6;
    public static final int STATS_RESPONSE = 7;
    public static final int FLOW_EXPIRED = 8;
    public static final int REINJECT_BATCH = 9;
    public static final int WELCOME = 10;
    public static final int PUNT_BATCH = 11;

    /** The largest UDP payload over IPv4; no message is longer. */
    public static final int MAX_MESSAGE_LENGTH = 65_507;
    /** The most actions a rule's program may hold. */
    public static final int MAX_ACTIONS = 8;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int TYPE_OFFSET = 3;
    public static final int FASTPATH_ID_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int HEADER_LENGTH = 12;

    public static final int KEY_VNI_PROTOCOL_OFFSET = 0;
    public static final int KEY_SRC_ADDRESS_OFFSET = 4;
    public static final int KEY_DST_ADDRESS_OFFSET = 8;
    public static final int KEY_SRC_PORT_OFFSET = 12;
    public static final int KEY_DST_PORT_OFFSET = 14;
    public static final int KEY_LENGTH = 16;

    public static final int HELLO_DATA_ADDRESS_OFFSET = 12;
    public static final int HELLO_DATA_PORT_OFFSET = 16;
    public static final int HELLO_FLAGS_OFFSET = 18;
    public static final int HELLO_LENGTH = 20;
    /** HELLO flag: the fastpath takes REINJECT_BATCH. */
    public static final int HELLO_REINJECT_BATCH = 1;

    public static final int PUNT_REASON_OFFSET = 12;
    public static final int PUNT_PACKET_LENGTH_OFFSET = 14;
    public static final int PUNT_KEY_OFFSET = 16;
    public static final int PUNT_PACKET_OFFSET = PUNT_KEY_OFFSET + KEY_LENGTH;

    public static final int INSTALL_RULE_COUNT_OFFSET = 12;
    public static final int INSTALL_RULES_OFFSET = 16;

    public static final int REMOVE_FLAGS_OFFSET = 12;
    public static final int REMOVE_KEY_COUNT_OFFSET = 14;
    public static final int REMOVE_KEYS_OFFSET = 16;
    /** REMOVE flag: remove every rule (the keys, if any, are ignored). */
    public static final int REMOVE_ALL = 1;

    public static final int REINJECT_PACKET_LENGTH_OFFSET = 14;
    public static final int REINJECT_PACKET_OFFSET = 16;

    /** REINJECT_BATCH and PUNT_BATCH: the entry count, then the entries, each after its length. */
    public static final int BATCH_COUNT_OFFSET = 12;
    public static final int BATCH_ENTRIES_OFFSET = 16;
    public static final int BATCH_ENTRY_HEADER = 2;
    /** Batches stay within one unfragmented datagram on a 1500-byte MTU. */
    public static final int MAX_BATCH_BYTES = 1472;

    public static final int WELCOME_FLAGS_OFFSET = 12;
    public static final int WELCOME_LENGTH = 16;
    /** WELCOME flag: the slowpath takes PUNT_BATCH. */
    public static final int WELCOME_PUNT_BATCH = 1;

    public static final int FLOW_EXPIRED_FLAGS_OFFSET = 12;
    public static final int FLOW_EXPIRED_KEY_COUNT_OFFSET = 14;
    public static final int FLOW_EXPIRED_KEYS_OFFSET = 16;
    /** FLOW_EXPIRED flag: the rules expired because no packet hit them within the idle timeout. */
    public static final int EXPIRED_IDLE = 1;
    /** The most keys a fastpath puts in one FLOW_EXPIRED (1,040 bytes: one unfragmented datagram). */
    public static final int FLOW_EXPIRED_BATCH = 64;

    public static final int STATS_COUNTER_COUNT_OFFSET = 12;
    public static final int STATS_COUNTERS_OFFSET = 16;

    /** The largest packet a PUNT can carry. */
    public static final int MAX_PUNT_PACKET_LENGTH = MAX_MESSAGE_LENGTH - PUNT_PACKET_OFFSET;
    /** The largest packet a REINJECT can carry. */
    public static final int MAX_REINJECT_PACKET_LENGTH = MAX_MESSAGE_LENGTH - REINJECT_PACKET_OFFSET;

    private ControlProtocol() {
    }

    /** Receives the rules of an INSTALL without allocating. */
    public interface RuleVisitor {
        void onRuleStart(long keyHigh, long keyLow);

        /**
         * One action: for rewrites and next hops {@code a} is the address and {@code b} the port, for SET_VNI
         * {@code a} is the VNI, for ESP_ENCRYPT and ESP_DECRYPT the SA index, otherwise both are zero.
         */
        void onAction(int opcode, int a, int b);

        void onRuleEnd();
    }

    /** Receives the keys of a REMOVE without allocating. */
    @FunctionalInterface
    public interface KeyVisitor {
        void onKey(long keyHigh, long keyLow);
    }

    // ---------------------------------------------------------------- header

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

    // ---------------------------------------------------------------- flow keys

    public static void encodeKey(ByteBuffer buffer, int offset, long keyHigh, long keyLow) {
        buffer.putInt(offset + KEY_VNI_PROTOCOL_OFFSET, (int) (keyHigh >>> 32));
        buffer.putInt(offset + KEY_SRC_ADDRESS_OFFSET, (int) (keyLow >>> 32));
        buffer.putInt(offset + KEY_DST_ADDRESS_OFFSET, (int) keyLow);
        buffer.putInt(offset + KEY_SRC_PORT_OFFSET, (int) keyHigh);
    }

    public static long keyHigh(ByteBuffer buffer, int offset) {
        return ((buffer.getInt(offset + KEY_VNI_PROTOCOL_OFFSET) & 0xFFFF_FFFFL) << 32)
                | (buffer.getInt(offset + KEY_SRC_PORT_OFFSET) & 0xFFFF_FFFFL);
    }

    public static long keyLow(ByteBuffer buffer, int offset) {
        return ((long) buffer.getInt(offset + KEY_SRC_ADDRESS_OFFSET) << 32)
                | (buffer.getInt(offset + KEY_DST_ADDRESS_OFFSET) & 0xFFFF_FFFFL);
    }

    // ---------------------------------------------------------------- HELLO

    /** A HELLO without flags: a fastpath that takes only single REINJECTs. */
    public static int encodeHello(ByteBuffer buffer, int offset, int fastpathId, int sequence, int dataAddress,
            int dataPort) {
        return encodeHello(buffer, offset, fastpathId, sequence, dataAddress, dataPort, 0);
    }

    public static int encodeHello(ByteBuffer buffer, int offset, int fastpathId, int sequence, int dataAddress,
            int dataPort, int flags) {
        encodeHeader(buffer, offset, HELLO, fastpathId, sequence);
        buffer.putInt(offset + HELLO_DATA_ADDRESS_OFFSET, dataAddress);
        buffer.putShort(offset + HELLO_DATA_PORT_OFFSET, (short) dataPort);
        buffer.putShort(offset + HELLO_FLAGS_OFFSET, (short) flags);
        return HELLO_LENGTH;
    }

    public static int helloFlags(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + HELLO_FLAGS_OFFSET) & 0xFFFF;
    }

    public static boolean isValidHello(ByteBuffer buffer, int offset, int length) {
        return length >= HELLO_LENGTH;
    }

    public static int helloDataAddress(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + HELLO_DATA_ADDRESS_OFFSET);
    }

    public static int helloDataPort(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + HELLO_DATA_PORT_OFFSET) & 0xFFFF;
    }

    // ---------------------------------------------------------------- PUNT

    /**
     * Writes a PUNT carrying {@code packetLength} bytes of {@code packet} from {@code packetOffset}; returns the
     * message length. The caller keeps {@code packetLength <= MAX_PUNT_PACKET_LENGTH}.
     */
    public static int encodePunt(ByteBuffer buffer, int offset, int fastpathId, int sequence, int reason,
            long keyHigh, long keyLow, ByteBuffer packet, int packetOffset, int packetLength) {
        encodeHeader(buffer, offset, PUNT, fastpathId, sequence);
        buffer.put(offset + PUNT_REASON_OFFSET, (byte) reason);
        buffer.put(offset + PUNT_REASON_OFFSET + 1, (byte) 0);
        buffer.putShort(offset + PUNT_PACKET_LENGTH_OFFSET, (short) packetLength);
        encodeKey(buffer, offset + PUNT_KEY_OFFSET, keyHigh, keyLow);
        buffer.put(offset + PUNT_PACKET_OFFSET, packet, packetOffset, packetLength);
        return PUNT_PACKET_OFFSET + packetLength;
    }

    public static boolean isValidPunt(ByteBuffer buffer, int offset, int length) {
        return length >= PUNT_PACKET_OFFSET && PUNT_PACKET_OFFSET + puntPacketLength(buffer, offset) <= length;
    }

    public static int puntReason(ByteBuffer buffer, int offset) {
        return buffer.get(offset + PUNT_REASON_OFFSET) & 0xFF;
    }

    public static int puntPacketLength(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + PUNT_PACKET_LENGTH_OFFSET) & 0xFFFF;
    }

    public static FlowKey puntKey(ByteBuffer buffer, int offset) {
        return FlowKey.unpack(keyHigh(buffer, offset + PUNT_KEY_OFFSET), keyLow(buffer, offset + PUNT_KEY_OFFSET));
    }

    // ---------------------------------------------------------------- INSTALL

    /** Writes an INSTALL of {@code rules}; returns the message length. */
    public static int encodeInstall(ByteBuffer buffer, int offset, int fastpathId, int sequence, List<Rule> rules) {
        if (rules.size() > 0xFFFF) {
            throw new IllegalArgumentException("too many rules for one INSTALL: " + rules.size());
        }
        encodeHeader(buffer, offset, INSTALL, fastpathId, sequence);
        buffer.putShort(offset + INSTALL_RULE_COUNT_OFFSET, (short) rules.size());
        buffer.putShort(offset + INSTALL_RULE_COUNT_OFFSET + 2, (short) 0);
        int cursor = offset + INSTALL_RULES_OFFSET;
        for (Rule rule : rules) {
            encodeKey(buffer, cursor, rule.key().high(), rule.key().low());
            cursor += KEY_LENGTH;
            buffer.put(cursor++, (byte) rule.actions().size());
            for (Action action : rule.actions()) {
                buffer.put(cursor++, (byte) action.opcode());
                switch (action) {
                    case Action.RewriteSource a -> cursor = putAddressPort(buffer, cursor, a.address(), a.port());
                    case Action.RewriteDestination a -> cursor = putAddressPort(buffer, cursor, a.address(), a.port());
                    case Action.SetNextHop a -> cursor = putAddressPort(buffer, cursor, a.address(), a.port());
                    case Action.SetVni a -> {
                        buffer.putInt(cursor, a.vni());
                        cursor += Integer.BYTES;
                    }
                    case Action.DecrementTtl a -> {
                    }
                    case Action.EspEncrypt a -> {
                        buffer.putInt(cursor, a.saIndex());
                        cursor += Integer.BYTES;
                    }
                    case Action.EspDecrypt a -> {
                        buffer.putInt(cursor, a.saIndex());
                        cursor += Integer.BYTES;
                    }
                    case Action.Count a -> {
                    }
                    case Action.Drop a -> {
                    }
                }
            }
        }
        return cursor - offset;
    }

    /** The length of an INSTALL of {@code rules}, to size buffers and split batches. */
    public static int installLength(List<Rule> rules) {
        int length = INSTALL_RULES_OFFSET;
        for (Rule rule : rules) {
            length += KEY_LENGTH + 1;
            for (Action action : rule.actions()) {
                length += 1 + operandLength(action.opcode());
            }
        }
        return length;
    }

    /**
     * Checks the whole INSTALL, then hands each rule to {@code visitor}; returns the rule count, or -1 (and visits
     * nothing) if the message is malformed.
     */
    public static int decodeInstall(ByteBuffer buffer, int offset, int length, RuleVisitor visitor) {
        if (length < INSTALL_RULES_OFFSET) {
            return -1;
        }
        int count = buffer.getShort(offset + INSTALL_RULE_COUNT_OFFSET) & 0xFFFF;
        int end = offset + length;
        int cursor = offset + INSTALL_RULES_OFFSET;
        for (int r = 0; r < count; r++) {
            if (cursor + KEY_LENGTH + 1 > end) {
                return -1;
            }
            cursor += KEY_LENGTH;
            int actions = buffer.get(cursor++) & 0xFF;
            if (actions == 0 || actions > MAX_ACTIONS) {
                return -1;
            }
            for (int a = 0; a < actions; a++) {
                if (cursor >= end) {
                    return -1;
                }
                int operands = operandLength(buffer.get(cursor++) & 0xFF);
                if (operands < 0 || cursor + operands > end) {
                    return -1;
                }
                cursor += operands;
            }
        }
        cursor = offset + INSTALL_RULES_OFFSET;
        for (int r = 0; r < count; r++) {
            visitor.onRuleStart(keyHigh(buffer, cursor), keyLow(buffer, cursor));
            cursor += KEY_LENGTH;
            int actions = buffer.get(cursor++) & 0xFF;
            for (int a = 0; a < actions; a++) {
                int opcode = buffer.get(cursor++) & 0xFF;
                switch (opcode) {
                    case Action.REWRITE_SOURCE, Action.REWRITE_DESTINATION, Action.SET_NEXT_HOP -> {
                        visitor.onAction(opcode, buffer.getInt(cursor), buffer.getShort(cursor + 4) & 0xFFFF);
                        cursor += 6;
                    }
                    case Action.SET_VNI, Action.ESP_ENCRYPT, Action.ESP_DECRYPT -> {
                        visitor.onAction(opcode, buffer.getInt(cursor), 0);
                        cursor += 4;
                    }
                    default -> visitor.onAction(opcode, 0, 0);
                }
            }
            visitor.onRuleEnd();
        }
        return count;
    }

    /** Decodes an INSTALL into rules (control plane and tests; the data plane uses the visitor). */
    public static List<Rule> decodeInstall(ByteBuffer buffer, int offset, int length) {
        List<Rule> rules = new ArrayList<>();
        int count = decodeInstall(buffer, offset, length, new RuleVisitor() {
            private FlowKey key;
            private List<Action> actions;

            @Override
            public void onRuleStart(long keyHigh, long keyLow) {
                key = FlowKey.unpack(keyHigh, keyLow);
                actions = new ArrayList<>();
            }

            @Override
            public void onAction(int opcode, int a, int b) {
                actions.add(switch (opcode) {
                    case Action.REWRITE_SOURCE -> new Action.RewriteSource(a, b);
                    case Action.REWRITE_DESTINATION -> new Action.RewriteDestination(a, b);
                    case Action.SET_NEXT_HOP -> new Action.SetNextHop(a, b);
                    case Action.SET_VNI -> new Action.SetVni(a);
                    case Action.DECREMENT_TTL -> new Action.DecrementTtl();
                    case Action.COUNT -> new Action.Count();
                    case Action.ESP_ENCRYPT -> new Action.EspEncrypt(a);
                    case Action.ESP_DECRYPT -> new Action.EspDecrypt(a);
                    default -> new Action.Drop();
                });
            }

            @Override
            public void onRuleEnd() {
                rules.add(new Rule(key, actions));
            }
        });
        if (count < 0) {
            throw new IllegalArgumentException("malformed INSTALL");
        }
        return rules;
    }

    /** Operand bytes after an opcode, or -1 for an unknown opcode. */
    public static int operandLength(int opcode) {
        return switch (opcode) {
            case Action.REWRITE_SOURCE, Action.REWRITE_DESTINATION, Action.SET_NEXT_HOP -> 6;
            case Action.SET_VNI, Action.ESP_ENCRYPT, Action.ESP_DECRYPT -> 4;
            case Action.DECREMENT_TTL, Action.COUNT, Action.DROP -> 0;
            default -> -1;
        };
    }

    private static int putAddressPort(ByteBuffer buffer, int cursor, int address, int port) {
        buffer.putInt(cursor, address);
        buffer.putShort(cursor + 4, (short) port);
        return cursor + 6;
    }

    // ---------------------------------------------------------------- REMOVE

    /** Writes a REMOVE of {@code keys}; returns the message length. */
    public static int encodeRemove(ByteBuffer buffer, int offset, int fastpathId, int sequence, List<FlowKey> keys) {
        encodeHeader(buffer, offset, REMOVE, fastpathId, sequence);
        buffer.put(offset + REMOVE_FLAGS_OFFSET, (byte) 0);
        buffer.put(offset + REMOVE_FLAGS_OFFSET + 1, (byte) 0);
        buffer.putShort(offset + REMOVE_KEY_COUNT_OFFSET, (short) keys.size());
        int cursor = offset + REMOVE_KEYS_OFFSET;
        for (FlowKey key : keys) {
            encodeKey(buffer, cursor, key.high(), key.low());
            cursor += KEY_LENGTH;
        }
        return cursor - offset;
    }

    /** Writes a REMOVE of every rule; returns the message length. */
    public static int encodeRemoveAll(ByteBuffer buffer, int offset, int fastpathId, int sequence) {
        encodeHeader(buffer, offset, REMOVE, fastpathId, sequence);
        buffer.put(offset + REMOVE_FLAGS_OFFSET, (byte) REMOVE_ALL);
        buffer.put(offset + REMOVE_FLAGS_OFFSET + 1, (byte) 0);
        buffer.putShort(offset + REMOVE_KEY_COUNT_OFFSET, (short) 0);
        return REMOVE_KEYS_OFFSET;
    }

    public static int removeFlags(ByteBuffer buffer, int offset) {
        return buffer.get(offset + REMOVE_FLAGS_OFFSET) & 0xFF;
    }

    /** Hands each key to {@code visitor}; returns the key count, or -1 (visiting nothing) if malformed. */
    public static int decodeRemove(ByteBuffer buffer, int offset, int length, KeyVisitor visitor) {
        if (length < REMOVE_KEYS_OFFSET) {
            return -1;
        }
        int count = buffer.getShort(offset + REMOVE_KEY_COUNT_OFFSET) & 0xFFFF;
        if (REMOVE_KEYS_OFFSET + count * KEY_LENGTH > length) {
            return -1;
        }
        for (int i = 0; i < count; i++) {
            int cursor = offset + REMOVE_KEYS_OFFSET + i * KEY_LENGTH;
            visitor.onKey(keyHigh(buffer, cursor), keyLow(buffer, cursor));
        }
        return count;
    }

    // ---------------------------------------------------------------- REINJECT

    public static int encodeReinject(ByteBuffer buffer, int offset, int fastpathId, int sequence, ByteBuffer packet,
            int packetOffset, int packetLength) {
        encodeHeader(buffer, offset, REINJECT, fastpathId, sequence);
        buffer.putShort(offset + HEADER_LENGTH, (short) 0);
        buffer.putShort(offset + REINJECT_PACKET_LENGTH_OFFSET, (short) packetLength);
        buffer.put(offset + REINJECT_PACKET_OFFSET, packet, packetOffset, packetLength);
        return REINJECT_PACKET_OFFSET + packetLength;
    }

    public static boolean isValidReinject(ByteBuffer buffer, int offset, int length) {
        return length >= REINJECT_PACKET_OFFSET
                && REINJECT_PACKET_OFFSET + reinjectPacketLength(buffer, offset) <= length;
    }

    public static int reinjectPacketLength(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + REINJECT_PACKET_LENGTH_OFFSET) & 0xFFFF;
    }

    // ---------------------------------------------------------------- REINJECT_BATCH, PUNT_BATCH

    /**
     * Starts a batch ({@link #REINJECT_BATCH} or {@link #PUNT_BATCH}) without entries; returns its length, to pass to
     * {@link #appendToBatch}.
     */
    public static int encodeBatch(ByteBuffer buffer, int offset, int type, int fastpathId, int sequence) {
        encodeHeader(buffer, offset, type, fastpathId, sequence);
        buffer.putShort(offset + BATCH_COUNT_OFFSET, (short) 0);
        buffer.putShort(offset + BATCH_COUNT_OFFSET + 2, (short) 0);
        return BATCH_ENTRIES_OFFSET;
    }

    /**
     * Appends an entry (a packet to re-inject, or a whole PUNT message) to the batch at {@code offset} whose length is
     * {@code messageLength}; returns the new length. The caller keeps the batch within its limit
     * ({@link #batchEntryLength}).
     */
    public static int appendToBatch(ByteBuffer buffer, int offset, int messageLength, ByteBuffer entry,
            int entryOffset, int entryLength) {
        int at = offset + messageLength;
        buffer.putShort(at, (short) entryLength);
        buffer.put(at + BATCH_ENTRY_HEADER, entry, entryOffset, entryLength);
        int count = batchCount(buffer, offset);
        buffer.putShort(offset + BATCH_COUNT_OFFSET, (short) (count + 1));
        return messageLength + BATCH_ENTRY_HEADER + entryLength;
    }

    /** The bytes an entry of {@code entryLength} adds to a batch. */
    public static int batchEntryLength(int entryLength) {
        return BATCH_ENTRY_HEADER + entryLength;
    }

    public static int batchCount(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + BATCH_COUNT_OFFSET) & 0xFFFF;
    }

    /** Receives the entries of a batch, in order. */
    @FunctionalInterface
    public interface PacketVisitor {
        void onPacket(ByteBuffer buffer, int offset, int length);
    }

    /**
     * Hands each entry of a batch to {@code visitor}; returns the count, or -1 if the message is malformed (its
     * entries overrun it, or its count is wrong), in which case none was handed over.
     */
    public static int decodeBatch(ByteBuffer buffer, int offset, int length, PacketVisitor visitor) {
        if (length < BATCH_ENTRIES_OFFSET) {
            return -1;
        }
        int count = batchCount(buffer, offset);
        int cursor = BATCH_ENTRIES_OFFSET;
        for (int i = 0; i < count; i++) {
            if (cursor + BATCH_ENTRY_HEADER > length) {
                return -1;
            }
            cursor += BATCH_ENTRY_HEADER + (buffer.getShort(offset + cursor) & 0xFFFF);
            if (cursor > length) {
                return -1;
            }
        }
        if (cursor != length) {
            return -1;
        }
        cursor = BATCH_ENTRIES_OFFSET;
        for (int i = 0; i < count; i++) {
            int entryLength = buffer.getShort(offset + cursor) & 0xFFFF;
            visitor.onPacket(buffer, offset + cursor + BATCH_ENTRY_HEADER, entryLength);
            cursor += BATCH_ENTRY_HEADER + entryLength;
        }
        return count;
    }

    // ---------------------------------------------------------------- WELCOME

    public static int encodeWelcome(ByteBuffer buffer, int offset, int fastpathId, int sequence, int flags) {
        encodeHeader(buffer, offset, WELCOME, fastpathId, sequence);
        buffer.putShort(offset + WELCOME_FLAGS_OFFSET, (short) flags);
        buffer.putShort(offset + WELCOME_FLAGS_OFFSET + 2, (short) 0);
        return WELCOME_LENGTH;
    }

    public static boolean isValidWelcome(ByteBuffer buffer, int offset, int length) {
        return length >= WELCOME_LENGTH;
    }

    public static int welcomeFlags(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + WELCOME_FLAGS_OFFSET) & 0xFFFF;
    }

    // ---------------------------------------------------------------- FLOW_EXPIRED

    /**
     * Writes a FLOW_EXPIRED of the first {@code count} keys of {@code keyHighs}/{@code keyLows} (packed as
     * {@link FlowKey#high()}/{@link FlowKey#low()}); returns the message length. Allocates nothing.
     */
    public static int encodeFlowExpired(ByteBuffer buffer, int offset, int fastpathId, int sequence, int flags,
            long[] keyHighs, long[] keyLows, int count) {
        if (count < 0 || count > 0xFFFF) {
            throw new IllegalArgumentException("key count out of range: " + count);
        }
        encodeHeader(buffer, offset, FLOW_EXPIRED, fastpathId, sequence);
        buffer.put(offset + FLOW_EXPIRED_FLAGS_OFFSET, (byte) flags);
        buffer.put(offset + FLOW_EXPIRED_FLAGS_OFFSET + 1, (byte) 0);
        buffer.putShort(offset + FLOW_EXPIRED_KEY_COUNT_OFFSET, (short) count);
        for (int i = 0; i < count; i++) {
            encodeKey(buffer, offset + FLOW_EXPIRED_KEYS_OFFSET + i * KEY_LENGTH, keyHighs[i], keyLows[i]);
        }
        return FLOW_EXPIRED_KEYS_OFFSET + count * KEY_LENGTH;
    }

    /** Writes a FLOW_EXPIRED of {@code keys} (control plane and tests); returns the message length. */
    public static int encodeFlowExpired(ByteBuffer buffer, int offset, int fastpathId, int sequence, int flags,
            List<FlowKey> keys) {
        long[] highs = new long[keys.size()];
        long[] lows = new long[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            highs[i] = keys.get(i).high();
            lows[i] = keys.get(i).low();
        }
        return encodeFlowExpired(buffer, offset, fastpathId, sequence, flags, highs, lows, keys.size());
    }

    public static int flowExpiredFlags(ByteBuffer buffer, int offset) {
        return buffer.get(offset + FLOW_EXPIRED_FLAGS_OFFSET) & 0xFF;
    }

    /** Hands each expired key to {@code visitor}; returns the key count, or -1 (visiting nothing) if malformed. */
    public static int decodeFlowExpired(ByteBuffer buffer, int offset, int length, KeyVisitor visitor) {
        if (length < FLOW_EXPIRED_KEYS_OFFSET) {
            return -1;
        }
        int count = buffer.getShort(offset + FLOW_EXPIRED_KEY_COUNT_OFFSET) & 0xFFFF;
        if (FLOW_EXPIRED_KEYS_OFFSET + count * KEY_LENGTH > length) {
            return -1;
        }
        for (int i = 0; i < count; i++) {
            int cursor = offset + FLOW_EXPIRED_KEYS_OFFSET + i * KEY_LENGTH;
            visitor.onKey(keyHigh(buffer, cursor), keyLow(buffer, cursor));
        }
        return count;
    }

    /** Decodes the keys of a FLOW_EXPIRED, or returns null if it is malformed (control plane and tests). */
    public static List<FlowKey> decodeFlowExpired(ByteBuffer buffer, int offset, int length) {
        List<FlowKey> keys = new ArrayList<>();
        int count = decodeFlowExpired(buffer, offset, length, (high, low) -> keys.add(FlowKey.unpack(high, low)));
        return count < 0 ? null : keys;
    }

    // ---------------------------------------------------------------- STATS

    public static int encodeStatsRequest(ByteBuffer buffer, int offset, int fastpathId, int sequence) {
        return encodeHeader(buffer, offset, STATS_REQUEST, fastpathId, sequence);
    }

    /** Writes a STATS_RESPONSE of the first {@code count} of {@code counters}; returns the message length. */
    public static int encodeStatsResponse(ByteBuffer buffer, int offset, int fastpathId, int sequence,
            long[] counters, int count) {
        encodeHeader(buffer, offset, STATS_RESPONSE, fastpathId, sequence);
        buffer.putShort(offset + STATS_COUNTER_COUNT_OFFSET, (short) count);
        buffer.putShort(offset + STATS_COUNTER_COUNT_OFFSET + 2, (short) 0);
        for (int i = 0; i < count; i++) {
            buffer.putLong(offset + STATS_COUNTERS_OFFSET + i * Long.BYTES, counters[i]);
        }
        return STATS_COUNTERS_OFFSET + count * Long.BYTES;
    }

    /** Decodes a STATS_RESPONSE, or returns null if it is malformed. */
    public static FastpathStats decodeStatsResponse(ByteBuffer buffer, int offset, int length) {
        if (length < STATS_COUNTERS_OFFSET) {
            return null;
        }
        int count = buffer.getShort(offset + STATS_COUNTER_COUNT_OFFSET) & 0xFFFF;
        if (STATS_COUNTERS_OFFSET + count * Long.BYTES > length) {
            return null;
        }
        return FastpathStats.read(buffer, offset + STATS_COUNTERS_OFFSET, count);
    }

    private static void checkOrder(ByteBuffer buffer) {
        if (buffer.order() != ByteOrder.BIG_ENDIAN) {
            throw new IllegalArgumentException("control buffers are big-endian");
        }
    }
}
