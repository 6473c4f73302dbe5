package io.isthmus.vnf.cen.bgp;

import java.util.Objects;

/**
 * One BGP session. AS numbers and addresses are 32-bit values in an int: AS 4200000001 is
 * {@code (int) 4200000001L}, an address is big-endian ({@link Prefix#parseAddress}).
 *
 * @param localAs our AS; above 65535 it goes in the OPEN's 4-octet AS capability, with AS_TRANS (23456) in My AS
 * @param routerId our BGP Identifier, non-zero
 * @param localAddress the address our connections come from and the passive listener binds to; null: any
 * @param peerAs the AS the peer must announce; equal to {@code localAs} makes the session iBGP
 * @param peerAddress the peer's address; incoming connections from elsewhere are refused
 * @param peerPort the peer's port for our active open (179 by default); 0: never connect, only listen
 * @param holdTimeSeconds the Hold Time we offer (90 by default): 0 (no keepalives) or at least 3; the session uses
 *                        the smaller of both sides' offers and sends KEEPALIVEs every third of it
 * @param nextHopSelf the NEXT_HOP of our announcements
 * @param listenPort a local port to accept the peer's connections on (passive open); 0: none
 * @param connectRetrySeconds the ConnectRetry time (5 by default): the wait after a failed attempt, doubled after each
 *                            further failure up to {@link #MAX_CONNECT_RETRY_SECONDS}, back to this after a session
 */
public record BgpPeerConfig(int localAs, int routerId, String localAddress, int peerAs, String peerAddress,
        int peerPort, int holdTimeSeconds, int nextHopSelf, int listenPort, int connectRetrySeconds) {

    public static final int DEFAULT_PORT = 179;
    public static final int DEFAULT_HOLD_TIME = 90;
    public static final int DEFAULT_CONNECT_RETRY_SECONDS = 5;
    public static final int MAX_CONNECT_RETRY_SECONDS = 120;

    public BgpPeerConfig {
        Objects.requireNonNull(peerAddress, "peerAddress");
        if (localAs == 0 || peerAs == 0) {
            throw new IllegalArgumentException("AS 0 is reserved (RFC 7607)");
        }
        if (routerId == 0) {
            throw new IllegalArgumentException("the router id (BGP Identifier) must not be 0.0.0.0");
        }
        if (holdTimeSeconds != 0 && (holdTimeSeconds < 3 || holdTimeSeconds > 65535)) {
            throw new IllegalArgumentException("hold time " + holdTimeSeconds + " s: must be 0 or 3..65535");
        }
        if (peerPort < 0 || peerPort > 65535 || listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("port outside 0..65535");
        }
        if (peerPort == 0 && listenPort == 0) {
            throw new IllegalArgumentException("neither an active open (peerPort) nor a passive one (listenPort)");
        }
        if (connectRetrySeconds < 1) {
            throw new IllegalArgumentException("connect retry must be at least 1 s");
        }
    }

    /** An active-open session with the default ConnectRetry time. */
    public BgpPeerConfig(int localAs, int routerId, String localAddress, int peerAs, String peerAddress, int peerPort,
            int holdTimeSeconds, int nextHopSelf) {
        this(localAs, routerId, localAddress, peerAs, peerAddress, peerPort, holdTimeSeconds, nextHopSelf, 0,
                DEFAULT_CONNECT_RETRY_SECONDS);
    }

    public boolean ebgp() {
        return localAs != peerAs;
    }
}
