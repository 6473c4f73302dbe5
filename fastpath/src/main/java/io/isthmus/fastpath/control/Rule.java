package io.isthmus.fastpath.control;

import java.util.List;

/** A flow-table entry as the slowpath installs it: an exact key and the action program its packets run. */
public record Rule(FlowKey key, List<Action> actions) {

    public Rule {
        actions = List.copyOf(actions);
        if (actions.isEmpty() || actions.size() > ControlProtocol.MAX_ACTIONS) {
            throw new IllegalArgumentException("a rule has 1.." + ControlProtocol.MAX_ACTIONS + " actions");
        }
    }

    public static Rule of(FlowKey key, Action... actions) {
        return new Rule(key, List.of(actions));
    }
}
