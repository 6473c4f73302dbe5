package io.isthmus.vnf.nat;

import java.util.HashSet;
import java.util.Set;

/**
 * One inside endpoint's translation: (protocol, inside address, inside port) ↔ (public address, public port). The
 * mapping is endpoint-independent (every remote sees the same public port, RFC 4787 REQ-1); filtering is
 * address-and-port-dependent: only remotes the inside host sent to may answer.
 */
public final class NatBinding {

    private final int protocol;
    private final int insideAddress;
    private final int insidePort;
    private final int publicPort;
    private final Set<Long> remotes = new HashSet<>();

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

    /** Remembers that the inside endpoint sent to this remote. */
    void addRemote(int address, int port) {
        remotes.add(remote(address, port));
    }

    /** Whether the inside endpoint sent to this remote. */
    public boolean knowsRemote(int address, int port) {
        return remotes.contains(remote(address, port));
    }

    public int remoteCount() {
        return remotes.size();
    }

    private static long remote(int address, int port) {
        return ((address & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }
}
