package io.isthmus.vnf.cen.bgp;

import java.util.List;

/**
 * What a {@link BgpPeer} reports. Every call comes from the peer's own I/O thread, one at a time and in order; an
 * implementation shared by several peers makes itself thread-safe. An exception thrown here is logged and ignored.
 */
public interface BgpListener {

    /** The session reached Established: routes follow through {@link #onRoutes}. */
    void onEstablished(BgpPeer peer);

    /**
     * One UPDATE's worth of changes. {@code announced} routes replace any earlier route of the same prefix from this
     * peer; {@code withdrawn} holds only prefixes that this peer had announced (an UPDATE treated as withdraw under RFC
     * 7606 withdraws its NLRI here).
     */
    void onRoutes(BgpPeer peer, List<LearnedRoute> announced, List<Prefix> withdrawn);

    /** The session left Established: every route learned from the peer is gone. */
    void onDown(BgpPeer peer, String reason);
}
