package io.isthmus.control;

import java.util.List;

/** A flow-table entry as the slowpath installs it: an exact key and the action program its packets run. */
public record Rule(FlowKey key, List<Action> actions) {

    /** The most actions a rule's program may hold. */
    public static final int MAX_ACTIONS = 8;

    public Rule {
        actions = List.copyOf(actions);
        if (actions.isEmpty() || actions.size() > MAX_ACTIONS) {
            throw new IllegalArgumentException("a rule has 1.." + MAX_ACTIONS + " actions");
        }
    }

    public static Rule of(FlowKey key, Action... actions) {
        return new Rule(key, List.of(actions));
    }
}
