package io.isthmus.vnf.nat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.isthmus.control.FlowKey;

/**
 * The NAT's state: bindings by inside endpoint and by public port, one {@link PortAllocator} per protocol (TCP, UDP
 * and ICMP echo identifiers are separate spaces). Not thread-safe: the slowpath serializes policy calls.
 */
public final class NatBindings {

    private final Map<Long, NatBinding> byInside = new HashMap<>();
    private final Map<Long, NatBinding> byPublic = new HashMap<>();
    private final PortAllocator tcp;
    private final PortAllocator udp;
    private final PortAllocator icmp;

    public NatBindings(int firstPort, int lastPort) {
        tcp = new PortAllocator(firstPort, lastPort);
        udp = new PortAllocator(firstPort, lastPort);
        icmp = new PortAllocator(firstPort, lastPort);
    }

    /** The binding of an inside endpoint, created with a free public port if new; empty if the range is exhausted. */
    public Optional<NatBinding> bind(int protocol, int insideAddress, int insidePort) {
        long insideKey = insideKey(protocol, insideAddress, insidePort);
        NatBinding existing = byInside.get(insideKey);
        if (existing != null) {
            return Optional.of(existing);
        }
        int publicPort = allocator(protocol).allocate();
        if (publicPort == PortAllocator.NONE) {
            return Optional.empty();
        }
        NatBinding binding = new NatBinding(protocol, insideAddress, insidePort, publicPort);
        byInside.put(insideKey, binding);
        byPublic.put(publicKey(protocol, publicPort), binding);
        return Optional.of(binding);
    }

    /** The binding of an inside endpoint, if it has one. */
    public Optional<NatBinding> byInside(int protocol, int insideAddress, int insidePort) {
        return Optional.ofNullable(byInside.get(insideKey(protocol, insideAddress, insidePort)));
    }

    /** The binding that owns a public port. */
    public Optional<NatBinding> byPublicPort(int protocol, int publicPort) {
        return Optional.ofNullable(byPublic.get(publicKey(protocol, publicPort)));
    }

    /** Ends a binding and frees its port (when every flow through it has expired in every fastpath). */
    public void release(NatBinding binding) {
        if (byInside.remove(insideKey(binding.protocol(), binding.insideAddress(), binding.insidePort())) != null) {
            byPublic.remove(publicKey(binding.protocol(), binding.publicPort()));
            allocator(binding.protocol()).release(binding.publicPort());
        }
    }

    public int size() {
        return byInside.size();
    }

    private PortAllocator allocator(int protocol) {
        return switch (protocol) {
            case FlowKey.TCP -> tcp;
            case FlowKey.UDP -> udp;
            case FlowKey.ICMP -> icmp;
            default -> throw new IllegalArgumentException("no ports for protocol " + protocol);
        };
    }

    private static long insideKey(int protocol, int address, int port) {
        return ((long) protocol << 48) | ((address & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }

    private static long publicKey(int protocol, int port) {
        return ((long) protocol << 16) | (port & 0xFFFF);
    }
}
