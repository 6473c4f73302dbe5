package io.isthmus.vnf.cen;

/**
 * Where the CEN's BGP sessions run: outside the policy, which stays pure. The policy computes which peers it wants
 * ({@link CenPolicy#bgpPeers}) and what each is to advertise ({@link CenPolicy#drainAdvertisements}); an implementation
 * brings its sessions there when asked ({@link #reconcile}, always on the policy thread, from a
 * {@link io.isthmus.slowpath.policy.PolicyContext#submit}ted change) and brings the sessions' events back into the
 * policy the same way ({@link CenPolicy#onBgpRoutes}, {@link CenPolicy#onBgpEstablished}, {@link CenPolicy#onBgpDown}).
 */
interface BgpSessions extends AutoCloseable {

    /** No sessions: for a policy with no context (tests of the pure policy) or no router attachment. */
    BgpSessions NONE = new BgpSessions() {
        @Override
        public void reconcile(CenPolicy policy) {
            policy.drainAdvertisements();
        }

        @Override
        public void close() {
        }
    };

    /**
     * Starts the sessions of peers {@code policy} wants and has none for, closes those it no longer wants (or wants
     * with other settings), and hands each running session what the policy has for it to advertise and withdraw. Runs
     * on the policy thread.
     */
    void reconcile(CenPolicy policy);

    /** Closes every session. */
    @Override
    void close();
}
