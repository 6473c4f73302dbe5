package io.isthmus.slowpath.policy;

import java.util.List;

import io.isthmus.control.FlowKey;

/**
 * A policy's answer to a rule that expired in every fastpath that held it.
 *
 * @param remove rules to remove from every fastpath now (e.g. both directions of a NAT binding the policy released);
 *        empty to keep whatever is still installed
 * @param reason why, for logs and tests
 */
public record Expiry(List<FlowKey> remove, String reason) {

    public Expiry {
        remove = List.copyOf(remove);
    }

    /** Nothing more to remove: e.g. the other direction of the flow is still in use. */
    public static Expiry keep(String reason) {
        return new Expiry(List.of(), reason);
    }

    /** The flow is over: remove these rules from every fastpath. */
    public static Expiry remove(FlowKey... keys) {
        return new Expiry(List.of(keys), "released");
    }
}
