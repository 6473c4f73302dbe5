package io.isthmus.control.message;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Rule;

/**
 * INSTALL, slowpath to fastpath: flow rules. Installing a key that exists replaces its program.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 3)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Rule Count           |           Reserved            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Rules ... (each below)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Rule: Flow Key (16) | Action Count (1, 1..8) | actions, each Opcode (1, Action) and its operands:
 *   REWRITE_SOURCE, REWRITE_DESTINATION, SET_NEXT_HOP   Address (4) | Port (2)
 *   SET_VNI                                             VNI (4)
 *   ESP_ENCRYPT, ESP_DECRYPT                            SA Index (4)
 *   COUNT_GROUP                                         Group (2, below Action.Count.MAX_GROUPS)
 *   DECREMENT_TTL, COUNT, DROP, ROUTE_LOOKUP            none
 * </pre>
 *
 * ROUTE_LOOKUP (10) came with the route table: a slowpath sends a rule that has it only to a fastpath whose HELLO
 * has {@link HelloFlyweight#INSTALL_ROUTE}, as an older one refuses an INSTALL with an opcode it does not know.
 * COUNT_GROUP (11), a COUNT into a counter group, came with the counter groups: a slowpath sends it only to a fastpath
 * whose HELLO has {@link HelloFlyweight#COUNT_GROUPS}; a COUNT without a group is opcode COUNT as before. A group not
 * below {@code Action.Count.MAX_GROUPS} makes the INSTALL malformed.
 */
public final class InstallFlyweight {

    public static final int RULE_COUNT_OFFSET = 12;
    public static final int RULES_OFFSET = 16;
    /** The most actions a rule's program may hold. */
    public static final int MAX_ACTIONS = Rule.MAX_ACTIONS;

    private InstallFlyweight() {
    }

    /** Receives the rules of an INSTALL without allocating. */
    public interface RuleVisitor {
        void onRuleStart(long keyHigh, long keyLow);

        /**
         * One action: for rewrites and next hops {@code a} is the address and {@code b} the port, for SET_VNI
         * {@code a} is the VNI, for ESP_ENCRYPT and ESP_DECRYPT the SA index, for COUNT_GROUP the counter group,
         * otherwise both are zero.
         */
        void onAction(int opcode, int a, int b);

        void onRuleEnd();
    }

    /** Writes an INSTALL of {@code rules}; returns the message length. */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, List<Rule> rules) {
        if (rules.size() > 0xFFFF) {
            throw new IllegalArgumentException("too many rules for one INSTALL: " + rules.size());
        }
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.INSTALL, fastpathId, sequence);
        buffer.putShort(offset + RULE_COUNT_OFFSET, (short) rules.size());
        buffer.putShort(offset + RULE_COUNT_OFFSET + 2, (short) 0);
        int cursor = offset + RULES_OFFSET;
        for (Rule rule : rules) {
            FlowKeyFlyweight.encodeKey(buffer, cursor, rule.key().high(), rule.key().low());
            cursor += FlowKeyFlyweight.KEY_LENGTH;
            buffer.put(cursor++, (byte) rule.actions().size());
            for (Action action : rule.actions()) {
                buffer.put(cursor++, (byte) action.opcode());
                switch (action) {
                    case Action.RewriteSource a -> cursor = putAddressPort(buffer, cursor, a.address(), a.port());
                    case Action.RewriteDestination a -> cursor = putAddressPort(buffer, cursor, a.address(), a.port());
                    case Action.SetNextHop a -> cursor = putAddressPort(buffer, cursor, a.address(), a.port());
                    case Action.SetVni a -> cursor = putInt(buffer, cursor, a.vni());
                    case Action.EspEncrypt a -> cursor = putInt(buffer, cursor, a.saIndex());
                    case Action.EspDecrypt a -> cursor = putInt(buffer, cursor, a.saIndex());
                    case Action.DecrementTtl a -> {
                    }
                    case Action.Count a -> {
                        if (a.group() != 0) {
                            buffer.putShort(cursor, (short) a.group());
                            cursor += Short.BYTES;
                        }
                    }
                    case Action.Drop a -> {
                    }
                    case Action.RouteLookup a -> {
                    }
                }
            }
        }
        return cursor - offset;
    }

    /** The length of an INSTALL of {@code rules}, to size buffers and split batches. */
    public static int length(List<Rule> rules) {
        int length = RULES_OFFSET;
        for (int i = 0; i < rules.size(); i++) {
            length += ruleLength(rules.get(i));
        }
        return length;
    }

    /** The bytes {@code rule} takes in an INSTALL. */
    public static int ruleLength(Rule rule) {
        int length = FlowKeyFlyweight.KEY_LENGTH + 1;
        List<Action> actions = rule.actions();
        for (int i = 0; i < actions.size(); i++) {
            length += 1 + operandLength(actions.get(i).opcode());
        }
        return length;
    }

    /**
     * Checks the whole INSTALL, then hands each rule to {@code visitor}; returns the rule count, or -1 (and visits
     * nothing) if the message is malformed.
     */
    public static int decode(ByteBuffer buffer, int offset, int length, RuleVisitor visitor) {
        if (length < RULES_OFFSET) {
            return -1;
        }
        int count = buffer.getShort(offset + RULE_COUNT_OFFSET) & 0xFFFF;
        int end = offset + length;
        int cursor = offset + RULES_OFFSET;
        for (int r = 0; r < count; r++) {
            if (cursor + FlowKeyFlyweight.KEY_LENGTH + 1 > end) {
                return -1;
            }
            cursor += FlowKeyFlyweight.KEY_LENGTH;
            int actions = buffer.get(cursor++) & 0xFF;
            if (actions == 0 || actions > MAX_ACTIONS) {
                return -1;
            }
            for (int a = 0; a < actions; a++) {
                if (cursor >= end) {
                    return -1;
                }
                int opcode = buffer.get(cursor++) & 0xFF;
                int operands = operandLength(opcode);
                if (operands < 0 || cursor + operands > end) {
                    return -1;
                }
                if (opcode == Action.COUNT_GROUP && (buffer.getShort(cursor) & 0xFFFF) >= Action.Count.MAX_GROUPS) {
                    return -1;
                }
                cursor += operands;
            }
        }
        cursor = offset + RULES_OFFSET;
        for (int r = 0; r < count; r++) {
            visitor.onRuleStart(FlowKeyFlyweight.keyHigh(buffer, cursor), FlowKeyFlyweight.keyLow(buffer, cursor));
            cursor += FlowKeyFlyweight.KEY_LENGTH;
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
                    case Action.COUNT_GROUP -> {
                        visitor.onAction(opcode, buffer.getShort(cursor) & 0xFFFF, 0);
                        cursor += 2;
                    }
                    default -> visitor.onAction(opcode, 0, 0);
                }
            }
            visitor.onRuleEnd();
        }
        return count;
    }

    /** Decodes an INSTALL into rules (control plane and tests; the data plane uses the visitor). */
    public static List<Rule> decode(ByteBuffer buffer, int offset, int length) {
        List<Rule> rules = new ArrayList<>();
        int count = decode(buffer, offset, length, new RuleVisitor() {
            private FlowKey key;
            private List<Action> actions;

            @Override
            public void onRuleStart(long keyHigh, long keyLow) {
                key = FlowKey.unpack(keyHigh, keyLow);
                actions = new ArrayList<>();
            }

            @Override
            public void onAction(int opcode, int a, int b) {
                actions.add(Action.of(opcode, a, b));
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
            case Action.COUNT_GROUP -> 2;
            case Action.DECREMENT_TTL, Action.COUNT, Action.DROP, Action.ROUTE_LOOKUP -> 0;
            default -> -1;
        };
    }

    private static int putAddressPort(ByteBuffer buffer, int cursor, int address, int port) {
        buffer.putInt(cursor, address);
        buffer.putShort(cursor + 4, (short) port);
        return cursor + 6;
    }

    private static int putInt(ByteBuffer buffer, int cursor, int value) {
        buffer.putInt(cursor, value);
        return cursor + Integer.BYTES;
    }
}
