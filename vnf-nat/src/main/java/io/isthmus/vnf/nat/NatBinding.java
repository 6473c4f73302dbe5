package io.isthmus.vnf.nat;

import java.util.HashMap;
import java.util.Map;

/**
 * One inside endpoint's translation: (protocol, inside address, inside port) ↔ (public address, public port). The
 * mapping is endpoint-independent (every remote sees the same public endpoint, RFC 4787 REQ-1); which new remotes may
 * answer is the {@link Filtering}'s to say, from the remotes the binding has sessions with.
 * <p>
 * Each remote is one session: a two-way flow with a forward and a reverse rule (for a hairpinned session, the peer
 * binding's forward rule is this one's reverse). The binding remembers which of the two have expired in every
 * fastpath; when both have, the session is over and the remote forgotten, and a dynamic binding with no remote left
 * is released. A static binding (a port forward) lives as long as its configuration.
 */
public final class NatBinding {

    /** The flow from the inside endpoint to the remote. */
    public static final int FORWARD = 1;
    /** The flow from the remote back to the public endpoint. */
    public static final int REVERSE = 2;
    private static final int BOTH = FORWARD | REVERSE;

    private final int protocol;
    private final int insideAddress;
    private final int insidePort;
    private final int publicAddress;
    private final int publicPort;
    private final boolean forward;
    /** Remote (address, port) to the directions whose rules have expired everywhere. */
    private final Map<Long, Integer> remotes = new HashMap<>(4);
    /** Remote address to how many of its ports are remotes: address-dependent filtering asks. */
    private final Map<Integer, Integer> remoteAddresses = new HashMap<>(4);

    NatBinding(int protocol, int insideAddress, int insidePort, int publicAddress, int publicPort, boolean forward) {
        this.protocol = protocol;
        this.insideAddress = insideAddress;
        this.insidePort = insidePort;
        this.publicAddress = publicAddress;
        this.publicPort = publicPort;
        this.forward = forward;
    }

    public int protocol() {
        return protocol;
    }

    public int insideAddress() {
        return insideAddress;
    }

    public int insidePort() {
        return insidePort;
    }

    public int publicAddress() {
        return publicAddress;
    }

    public int publicPort() {
        return publicPort;
    }

    /** Whether this is a port forward's static binding: never released, reachable whatever the filtering. */
    public boolean isPortForward() {
        return forward;
    }

    /**
     * Remembers a session with this remote; its rules are (re)installed, so none has expired. Returns whether the
     * session is new.
     */
    boolean addRemote(int address, int port) {
        boolean added = remotes.put(remote(address, port), 0) == null;
        if (added) {
            remoteAddresses.merge(address, 1, Integer::sum);
        }
        return added;
    }

    /**
     * Remembers a session learned back from its rule of {@code direction}, which a fastpath holds: that direction is in
     * use; the other counts as expired until its rule is learned too, so a session whose other rule no fastpath held
     * any more ends when this one expires. Returns whether the session is new.
     */
    boolean learnRemote(int address, int port, int direction) {
        Long key = remote(address, port);
        Integer expired = remotes.get(key);
        if (expired == null) {
            remotes.put(key, BOTH & ~direction);
            remoteAddresses.merge(address, 1, Integer::sum);
            return true;
        }
        remotes.put(key, expired & ~direction);
        return false;
    }

    /** Whether the binding has a session with this remote (the flow is not over). */
    public boolean knowsRemote(int address, int port) {
        return remotes.containsKey(remote(address, port));
    }

    /** Whether a new session from this remote may start, under {@code filtering} (a forward takes anyone). */
    public boolean admits(int address, int port, Filtering filtering) {
        if (forward) {
            return true;
        }
        return switch (filtering) {
            case ENDPOINT_INDEPENDENT -> true;
            case ADDRESS_DEPENDENT -> remoteAddresses.containsKey(address);
            case ADDRESS_AND_PORT_DEPENDENT -> knowsRemote(address, port);
        };
    }

    /**
     * The rule of {@code direction} ({@link #FORWARD} or {@link #REVERSE}) for this remote expired everywhere.
     * Returns true if both have now, and forgets the remote: the session is over.
     */
    boolean expire(int address, int port, int direction) {
        Long key = remote(address, port);
        Integer expired = remotes.get(key);
        if (expired == null) {
            return false;
        }
        int now = expired | direction;
        if (now == BOTH) {
            forget(address, port);
            return true;
        }
        remotes.put(key, now);
        return false;
    }

    /** Ends the session with this remote now; returns whether there was one. */
    boolean forget(int address, int port) {
        if (remotes.remove(remote(address, port)) == null) {
            return false;
        }
        remoteAddresses.computeIfPresent(address, (a, count) -> count == 1 ? null : count - 1);
        return true;
    }

    /**
     * Remembers a session as a snapshot or an earlier configuration had it, with the directions that had expired
     * everywhere; returns whether it is new.
     */
    boolean restoreRemote(int address, int port, int expired) {
        if (remotes.putIfAbsent(remote(address, port), expired & BOTH) != null) {
            return false;
        }
        remoteAddresses.merge(address, 1, Integer::sum);
        return true;
    }

    /** What {@link #forEachRemote} hands each session to. */
    @FunctionalInterface
    interface RemoteVisitor {
        /** A session with {@code address:port}; {@code expired} its directions expired everywhere (0 if none). */
        void remote(int address, int port, int expired);
    }

    /** Each session of the binding. */
    void forEachRemote(RemoteVisitor visitor) {
        remotes.forEach((remote, expired) -> visitor.remote((int) (remote >>> 16), (int) (remote & 0xFFFF), expired));
    }

    public int remoteCount() {
        return remotes.size();
    }

    private static long remote(int address, int port) {
        return ((address & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }
}
