package io.isthmus.fastpath.flow;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import io.isthmus.fastpath.control.Action;
import io.isthmus.fastpath.control.ControlProtocol;
import io.isthmus.fastpath.packet.PacketParser;

/**
 * One worker's forwarding state: the flow table, the action programs it points to and the next hops they send to.
 * It applies INSTALL and REMOVE straight from the control message ({@link ControlProtocol.RuleVisitor},
 * {@link ControlProtocol.KeyVisitor}) and looks up and runs programs for parsed packets. Single-threaded.
 */
public final class ForwardingEngine implements ControlProtocol.RuleVisitor, ControlProtocol.KeyVisitor {

    private final FlowTable flows;
    private final ActionProgramTable programs;
    private final NextHopTable nextHops;
    private final ActionExecutor executor;

    private long pendingHigh;
    private long pendingLow;
    private int pendingProgram = ActionProgramTable.NONE;
    private boolean pendingValid;
    private int installed;
    private int rejected;

    public ForwardingEngine(int maxFlows, int maxNextHops) {
        this.flows = new FlowTable(maxFlows);
        // one spare program: replacing a rule in a full table allocates before it frees
        this.programs = new ActionProgramTable(maxFlows + 1);
        this.nextHops = new NextHopTable(maxNextHops);
        this.executor = new ActionExecutor(programs);
    }

    /** The program for the packet last parsed, or {@link FlowTable#MISSING}. */
    public int lookup(PacketParser packet) {
        return flows.get(packet.keyHigh(), packet.keyLow());
    }

    /** Runs a program; see {@link ActionExecutor#execute}. */
    public int execute(int program, PacketParser packet) {
        return executor.execute(program, packet);
    }

    public InetSocketAddress nextHop(int index) {
        return nextHops.endpoint(index);
    }

    // ---------------------------------------------------------------- INSTALL

    /**
     * Applies an INSTALL; returns the number of rules refused (table or next hops full, bad program), or -1 if the
     * message is malformed (nothing applied).
     */
    public int install(ByteBuffer buffer, int offset, int length) {
        installed = 0;
        rejected = 0;
        if (ControlProtocol.decodeInstall(buffer, offset, length, this) < 0) {
            return -1;
        }
        return rejected;
    }

    @Override
    public void onRuleStart(long keyHigh, long keyLow) {
        pendingHigh = keyHigh;
        pendingLow = keyLow;
        pendingProgram = programs.allocate();
        pendingValid = pendingProgram != ActionProgramTable.NONE;
    }

    @Override
    public void onAction(int opcode, int a, int b) {
        if (!pendingValid) {
            return;
        }
        long operand = switch (opcode) {
            case Action.REWRITE_SOURCE, Action.REWRITE_DESTINATION -> ActionProgramTable.addressPort(a, b);
            case Action.SET_VNI -> a;
            case Action.SET_NEXT_HOP -> nextHops.intern(a, b);
            default -> 0;
        };
        if (opcode == Action.SET_NEXT_HOP && operand == NextHopTable.NONE) {
            pendingValid = false;
            return;
        }
        pendingValid = programs.append(pendingProgram, opcode, operand);
    }

    @Override
    public void onRuleEnd() {
        if (!pendingValid) {
            if (pendingProgram != ActionProgramTable.NONE) {
                programs.free(pendingProgram);
            }
            rejected++;
            return;
        }
        int previous = flows.put(pendingHigh, pendingLow, pendingProgram);
        if (previous == FlowTable.REJECTED) {
            programs.free(pendingProgram);
            rejected++;
        } else {
            if (previous != FlowTable.MISSING) {
                programs.free(previous);
            }
            installed++;
        }
    }

    // ---------------------------------------------------------------- REMOVE

    /** Applies a REMOVE; returns the number of keys named, or -1 if malformed. */
    public int remove(ByteBuffer buffer, int offset, int length) {
        if (length >= ControlProtocol.REMOVE_KEYS_OFFSET
                && (ControlProtocol.removeFlags(buffer, offset) & ControlProtocol.REMOVE_ALL) != 0) {
            clear();
            return 0;
        }
        return ControlProtocol.decodeRemove(buffer, offset, length, this);
    }

    @Override
    public void onKey(long keyHigh, long keyLow) {
        int program = flows.remove(keyHigh, keyLow);
        if (program != FlowTable.MISSING) {
            programs.free(program);
        }
    }

    /** Removes every rule, and with them the next hops they named. */
    public void clear() {
        flows.clear();
        programs.clear();
        nextHops.clear();
    }

    public int flowCount() {
        return flows.size();
    }

    public int maxFlows() {
        return flows.maxFlows();
    }

    /** Packets counted by a rule's COUNT action, or -1 if there is no rule for the key. */
    public long rulePackets(long keyHigh, long keyLow) {
        int program = flows.get(keyHigh, keyLow);
        return program == FlowTable.MISSING ? -1 : programs.packets(program);
    }
}
