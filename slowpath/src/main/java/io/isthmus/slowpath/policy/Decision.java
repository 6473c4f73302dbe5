package io.isthmus.slowpath.policy;

import java.util.List;

import io.isthmus.control.Rule;

/**
 * A policy's answer to a {@link Miss}.
 *
 * @param rules rules to install in every fastpath (empty for a drop)
 * @param reinject whether to send the punted packet back through the fastpath that punted it
 * @param reason why, for logs and tests
 */
public record Decision(List<Rule> rules, boolean reinject, String reason) {

    public Decision {
        rules = List.copyOf(rules);
    }

    /** Install {@code rules} everywhere and re-inject the packet. */
    public static Decision forward(List<Rule> rules) {
        return new Decision(rules, true, "forward");
    }

    /** Install {@code rules} everywhere and re-inject the packet. */
    public static Decision forward(Rule... rules) {
        return forward(List.of(rules));
    }

    /** Install nothing, drop the packet; the next packet of the flow is punted again (rate-limited). */
    public static Decision drop(String reason) {
        return new Decision(List.of(), false, reason);
    }

    public boolean isDrop() {
        return rules.isEmpty() && !reinject;
    }
}
