package io.isthmus.vnf.nat;

import java.util.HashMap;
import java.util.Map;

/**
 * One inside endpoint's translation: (protocol, inside address, inside port) ↔ (public address, public port). The
 * mapping is endpoint-independent (every remote sees the same public port, RFC 4787 REQ-1); filtering is
 * address-and-port-dependent: only remotes the inside host sent to may answer.
 * <p>
 * Each remote is one two-way flow with a forward and a reverse rule. The binding remembers which of the two have
 * expired in every fastpath; when both have, the flow is over and the remote forgotten, and a binding with no remote
 * left can be released.
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
    private final int publicPort;
    /** Remote (address, port) to the directions whose rules have expired everywhere. */
    private final Map<Long, Integer> remotes = new HashMap<>(4);

    NatBinding(int protocol, int insideAddress, int insidePort, int publicPort) {
        this.protocol = protocol;
        this.insideAddress = insideAddress;
        this.insidePort = insidePort;
        this.publicPort = publicPort;
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

    public int publicPort() {
        return publicPort;
    }

    /** Remembers that the inside endpoint sent to this remote; its rules are (re)installed, so none has expired. */
    void addRemote(int address, int port) {
        remotes.put(remote(address, port), 0);
    }

    /** Whether the inside endpoint sent to this remote (and the flow is not over). */
    public boolean knowsRemote(int address, int port) {
        return remotes.containsKey(remote(address, port));
    }

    /**
     * The rule of {@code direction} ({@link #FORWARD} or {@link #REVERSE}) for this remote expired everywhere.
     * Returns true if both have now, and forgets the remote: the flow is over.
     */
    boolean expire(int address, int port, int direction) {
        Long key = remote(address, port);
        Integer expired = remotes.get(key);
        if (expired == null) {
            return false;
        }
        int now = expired | direction;
        if (now == BOTH) {
            remotes.remove(key);
            return true;
        }
        remotes.put(key, now);
        return false;
    }

    public int remoteCount() {
        return remotes.size();
    }

    private static long remote(int address, int port) {
        return ((address & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }
}
