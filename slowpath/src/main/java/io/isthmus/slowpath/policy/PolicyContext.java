package io.isthmus.slowpath.policy;

import java.util.function.Function;

/**
 * What the slowpath offers a policy that has work of its own outside the policy thread: a protocol over the host's
 * network (the CEN's BGP sessions) whose events change the policy's state. Given once, to {@link VnfPolicy#attach},
 * before the first configuration.
 */
public interface PolicyContext {

    /**
     * Runs {@code change} on the policy thread, under the policy's lock, as soon as the thread is free (after the batch
     * of misses it runs, if any), and applies its answer as a health change's ({@link VnfPolicy#onHealthChanged}):
     * removes, then installs (SAs, routes, route tables, rules) in every fastpath, then its {@link Transmit}s. Returns at
     * once; safe from any thread. A change that throws is logged and counted in {@code errors}.
     */
    void submit(String reason, Function<VnfPolicy, Reconfiguration> change);

    /**
     * The route-table version every fastpath that takes route tables has applied, the lowest of them ({@code 0} before
     * the first change); a change submitted is live everywhere once this reaches the version {@link #routeVersion}
     * gave right after it.
     */
    long liveRouteVersion();

    /**
     * The route-table version of the slowpath's own tables: the last change's. Asked from a submitted change (on the
     * policy thread), it counts the changes applied so far in the same batch, which the slowpath sends together — as
     * few deltas, so few versions, as they fit in — when the batch ends; from another thread, the changes sent.
     */
    long routeVersion();
}
