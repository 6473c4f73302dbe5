package io.isthmus.slowpath.policy;

import io.isthmus.control.Rule;

/** A flow rule: an exact key and the action program its packets run (INSTALL; every fastpath takes it). */
public record FlowRuleInstall(Rule rule) implements Install {

    public FlowRuleInstall {
        if (rule == null) {
            throw new IllegalArgumentException("a flow rule install has a rule");
        }
    }
}
