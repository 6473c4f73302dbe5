package io.isthmus.slowpath.policy;

import java.util.ArrayList;
import java.util.List;

import io.isthmus.control.Rule;

/**
 * A policy's answer to a {@link Miss}.
 *
 * @param installs what to install in every fastpath, in order (empty for a drop): flow rules, security
 *        associations, routes; a batch's SAs and routes reach a fastpath before its flow rules
 * @param reinject whether to send the punted packet back through the fastpath that punted it
 * @param reason why, for logs and tests
 */
public record Decision(List<Install> installs, boolean reinject, String reason) {

    public Decision {
        installs = List.copyOf(installs);
    }

    /** Install {@code rules} everywhere and re-inject the packet. */
    public static Decision forward(List<Rule> rules) {
        Install[] installs = new Install[rules.size()];
        for (int i = 0; i < installs.length; i++) {
            installs[i] = new FlowRuleInstall(rules.get(i));
        }
        // List.of is immutable already: the constructor's List.copyOf keeps it as it is
        return new Decision(List.of(installs), true, "forward");
    }

    /** Install {@code rules} everywhere and re-inject the packet. */
    public static Decision forward(Rule... rules) {
        return forward(List.of(rules));
    }

    /** Install {@code installs} everywhere and re-inject the packet. */
    public static Decision forward(Install... installs) {
        return new Decision(List.of(installs), true, "forward");
    }

    /** Install nothing, drop the packet; the next packet of the flow is punted again (rate-limited). */
    public static Decision drop(String reason) {
        return new Decision(List.of(), false, reason);
    }

    /** This decision with {@code more} installed after its own installs. */
    public Decision with(Install... more) {
        List<Install> all = new ArrayList<>(installs);
        all.addAll(List.of(more));
        return new Decision(all, reinject, reason);
    }

    /** The flow rules among the installs, in order. */
    public List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        for (Install install : installs) {
            if (install instanceof FlowRuleInstall(Rule rule)) {
                rules.add(rule);
            }
        }
        return rules;
    }

    public boolean isDrop() {
        return installs.isEmpty() && !reinject;
    }
}
