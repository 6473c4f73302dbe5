package io.isthmus.slowpath.policy;

import java.util.List;

import io.isthmus.control.FlowKey;

/**
 * What a policy asks of the fastpaths after a new configuration ({@link VnfPolicy#reconfigure}), a restored snapshot
 * ({@link VnfPolicy#restore}), a health check's change ({@link VnfPolicy#onHealthChanged}) or its timer
 * ({@link VnfPolicy#onTimer}): either start over ({@link #reset}: every rule removed from every fastpath, flows
 * decided afresh), or keep the established flows, with the rules whose flows ended removed and those that changed (or
 * are new) installed again, in every fastpath.
 * <p>
 * Its installs may also be security associations and their removals (to every fastpath that takes INSTALL_SA; the SAs
 * installed are sent again to a fastpath that registers later, those removed are not), routes, and packets the policy
 * built ({@link Transmit}): each packet is sent once, by one fastpath, the registered one of the lowest id whose HELLO
 * announced TRANSMIT, to the Transmit's next hop (no such fastpath: not sent, counted in {@code unsupportedInstalls});
 * after the SAs, routes and rules of the same reconfiguration.
 *
 * @param reset remove every rule from every fastpath; {@code installs} and {@code removes} are then empty
 * @param installs what to install in every fastpath (flow rules, SAs and their removals, routes) and the packets to
 *        send, after the removes; an INSTALL of a key a fastpath holds replaces its rule
 * @param removes the keys of the rules to remove from every fastpath, first
 * @param reason why, for logs and tests
 */
public record Reconfiguration(boolean reset, List<Install> installs, List<FlowKey> removes, String reason) {

    public Reconfiguration {
        installs = List.copyOf(installs);
        removes = List.copyOf(removes);
        if (reset && (!installs.isEmpty() || !removes.isEmpty())) {
            throw new IllegalArgumentException("a reset removes everything: no installs or removes with it");
        }
    }

    /** Every rule in every fastpath is wrong now: remove them all, decide the flows afresh. */
    public static Reconfiguration reset(String reason) {
        return new Reconfiguration(true, List.of(), List.of(), reason);
    }

    /** The rules installed stay as they are. */
    public static Reconfiguration unchanged(String reason) {
        return new Reconfiguration(false, List.of(), List.of(), reason);
    }

    /**
     * Remove {@code removes} and install {@code installs} in every fastpath (and send the {@link Transmit}s among them);
     * every other rule stays.
     */
    public static Reconfiguration update(List<Install> installs, List<FlowKey> removes, String reason) {
        return new Reconfiguration(false, installs, removes, reason);
    }

    /** Send {@code packets}, each once, by one fastpath; the rules installed stay as they are. */
    public static Reconfiguration transmit(List<Transmit> packets, String reason) {
        return new Reconfiguration(false, List.copyOf(packets), List.of(), reason);
    }

    /** Whether the fastpaths' rules change at all (or it sends a packet). */
    public boolean changesRules() {
        return reset || !installs.isEmpty() || !removes.isEmpty();
    }
}
