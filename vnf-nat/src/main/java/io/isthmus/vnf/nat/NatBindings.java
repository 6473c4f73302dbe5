package io.isthmus.vnf.nat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.random.RandomGenerator;

import io.isthmus.control.Ipv4Addresses;

/**
 * The NAT's state: bindings by inside endpoint and by public endpoint, the inside hosts with the public address each
 * is paired with and the port blocks each holds, one {@link AddressPool} per public address, and the session counts
 * the limits are checked against. Port forwards are bound from the start and never released. Not thread-safe: the
 * slowpath serializes policy calls.
 * <p>
 * An inside host is paired with one public address from its first binding to its last (RFC 4787 REQ-2): the one with
 * the most free blocks when it comes, or its port forwards' address. It gets a block of ports there at its first
 * binding and another when its blocks are full; a block goes back when its last binding does, and the host is
 * forgotten (its pairing too) with its last binding. Each block given or taken back is reported to the listener.
 * <p>
 * A slowpath that restarts while fastpaths forward learns its bindings back from their rules: {@link #adopt} makes
 * the binding an earlier slowpath made, with exactly its public port, and {@link #learnSession} its sessions.
 */
public final class NatBindings {

    /** An inside host: its paired pool, the blocks it holds there, its bindings and sessions. */
    private static final class InsideHost {
        final AddressPool pool;
        final List<Integer> blocks = new ArrayList<>(1);
        int bindings;
        int sessions;

        InsideHost(AddressPool pool) {
            this.pool = pool;
        }
    }

    private final Map<Long, NatBinding> byInside = new HashMap<>();
    private final Map<Long, NatBinding> byPublic = new HashMap<>();
    private final Map<Integer, InsideHost> hosts = new HashMap<>();
    private final Map<Integer, AddressPool> pools = new LinkedHashMap<>();
    private final Consumer<PortBlockEvent> blockListener;
    private final RandomGenerator random;
    private int sessions;

    /**
     * The state of a NAT just configured: an empty pool per public address, and the port forwards bound.
     *
     * @param blockListener hears of every block allocated and released (the policy logs them)
     */
    NatBindings(NatConfig config, Consumer<PortBlockEvent> blockListener) {
        this(config, blockListener, new SplittableRandom());
    }

    NatBindings(NatConfig config, Consumer<PortBlockEvent> blockListener, RandomGenerator random) {
        this.blockListener = blockListener;
        this.random = random;
        for (int address : config.publicAddresses()) {
            pools.put(address, new AddressPool(address, config.portRangeStart(), config.portRangeEnd(),
                    config.portBlockSize()));
        }
        for (PortForward forward : config.portForwards()) {
            AddressPool pool = pools.get(forward.publicAddress());
            InsideHost host = hosts.computeIfAbsent(forward.insideAddress(), a -> new InsideHost(pool));
            add(new NatBinding(forward.protocol(), forward.insideAddress(), forward.insidePort(),
                    forward.publicAddress(), forward.publicPort(), true), host);
            pool.reserve(forward.protocol(), forward.publicPort());
        }
    }

    /**
     * The binding of an inside endpoint, made with a port of its host's blocks on its paired address if new; empty if
     * that address has no port left for it.
     */
    public Optional<NatBinding> bind(int protocol, int insideAddress, int insidePort) {
        long insideKey = endpointKey(protocol, insideAddress, insidePort);
        NatBinding existing = byInside.get(insideKey);
        if (existing != null) {
            return Optional.of(existing);
        }
        InsideHost host = hosts.get(insideAddress);
        boolean newHost = host == null;
        if (newHost) {
            AddressPool pool = leastUsedPool();
            if (pool == null) {
                return Optional.empty();
            }
            host = new InsideHost(pool);
        }
        int publicPort = takePort(host, insideAddress, protocol);
        if (publicPort == AddressPool.NONE) {
            if (newHost) {
                releaseBlocks(host, insideAddress);
            }
            return Optional.empty();
        }
        if (newHost) {
            hosts.put(insideAddress, host);
        }
        return Optional.of(add(new NatBinding(protocol, insideAddress, insidePort, host.pool.address(), publicPort,
                false), host));
    }

    /**
     * Why {@link #adopt} would refuse this binding, or null if it would take it: the inside endpoint is bound to
     * another public endpoint, or the public endpoint to another inside endpoint (a port forward's too); the address
     * is not a public one; the host is paired with another; the port is outside the range, or in another host's block.
     */
    public String adoptRefusal(int protocol, int insideAddress, int insidePort, int publicAddress, int publicPort) {
        String publicEndpoint = Ipv4Addresses.format(publicAddress) + ":" + publicPort;
        NatBinding bound = byInside.get(endpointKey(protocol, insideAddress, insidePort));
        if (bound != null) {
            return bound.publicAddress() == publicAddress && bound.publicPort() == publicPort
                    ? null
                    : Ipv4Addresses.format(insideAddress) + ":" + insidePort + " is bound to "
                            + Ipv4Addresses.format(bound.publicAddress()) + ":" + bound.publicPort();
        }
        AddressPool pool = pools.get(publicAddress);
        if (pool == null) {
            return Ipv4Addresses.format(publicAddress) + " is not a public address";
        }
        NatBinding owner = byPublic.get(endpointKey(protocol, publicAddress, publicPort));
        if (owner != null) {
            return publicEndpoint + " is bound to " + Ipv4Addresses.format(owner.insideAddress()) + ":"
                    + owner.insidePort();
        }
        InsideHost host = hosts.get(insideAddress);
        if (host != null && host.pool != pool) {
            return Ipv4Addresses.format(insideAddress) + " is paired with " + Ipv4Addresses.format(host.pool.address());
        }
        int block = pool.blockOf(publicPort);
        if (block == AddressPool.NONE) {
            return publicEndpoint + " is outside the port range";
        }
        if ((host == null || !host.blocks.contains(block)) && pool.isBlockInUse(block)) {
            return publicEndpoint + " is in another host's block";
        }
        return null;
    }

    /**
     * Binds an inside endpoint to exactly this public endpoint, as an earlier slowpath did (its rules, held by the
     * fastpaths, are being learned back): the host is paired with that address, holds the block of that port (a block
     * it takes here is reported as learned) and that port is bound. A binding the same as one there is comes back as
     * it is.
     *
     * @throws IllegalArgumentException if {@link #adoptRefusal} refuses it
     */
    public NatBinding adopt(int protocol, int insideAddress, int insidePort, int publicAddress, int publicPort) {
        String refusal = adoptRefusal(protocol, insideAddress, insidePort, publicAddress, publicPort);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        NatBinding bound = byInside.get(endpointKey(protocol, insideAddress, insidePort));
        if (bound != null) {
            return bound;
        }
        AddressPool pool = pools.get(publicAddress);
        InsideHost host = hosts.computeIfAbsent(insideAddress, a -> new InsideHost(pool));
        int block = pool.blockOf(publicPort);
        if (!host.blocks.contains(block)) {
            pool.allocateBlock(block);
            host.blocks.add(block);
            report(true, insideAddress, pool, block, true);
        }
        pool.take(protocol, publicPort);
        return add(new NatBinding(protocol, insideAddress, insidePort, publicAddress, publicPort, false), host);
    }

    private NatBinding add(NatBinding binding, InsideHost host) {
        int protocol = binding.protocol();
        byInside.put(endpointKey(protocol, binding.insideAddress(), binding.insidePort()), binding);
        byPublic.put(endpointKey(protocol, binding.publicAddress(), binding.publicPort()), binding);
        host.bindings++;
        return binding;
    }

    /** A port of the host's blocks, taking a new block when they are full; {@link AddressPool#NONE} if none is left. */
    private int takePort(InsideHost host, int insideAddress, int protocol) {
        AddressPool pool = host.pool;
        for (int block : host.blocks) {
            int port = pool.take(protocol, block, random);
            if (port != AddressPool.NONE) {
                return port;
            }
        }
        while (true) {
            int block = pool.allocateBlock();
            if (block == AddressPool.NONE) {
                return AddressPool.NONE;
            }
            host.blocks.add(block);
            report(true, insideAddress, pool, block, false);
            int port = pool.take(protocol, block, random);
            if (port != AddressPool.NONE) {
                return port;
            }
            // every port of that block is a port forward's: the host keeps it, empty, until its last binding goes
        }
    }

    /** The pool with the most free blocks (the first of those on a tie); null if none has one. */
    private AddressPool leastUsedPool() {
        AddressPool best = null;
        for (AddressPool pool : pools.values()) {
            if (pool.freeBlocks() > 0 && (best == null || pool.freeBlocks() > best.freeBlocks())) {
                best = pool;
            }
        }
        return best;
    }

    /** The binding of an inside endpoint, if it has one. */
    public Optional<NatBinding> byInside(int protocol, int insideAddress, int insidePort) {
        return Optional.ofNullable(byInside.get(endpointKey(protocol, insideAddress, insidePort)));
    }

    /** The binding that owns a public endpoint. */
    public Optional<NatBinding> byPublic(int protocol, int publicAddress, int publicPort) {
        return Optional.ofNullable(byPublic.get(endpointKey(protocol, publicAddress, publicPort)));
    }

    /** Whether {@code address} is one of the NAT's public addresses. */
    public boolean isPublic(int address) {
        return pools.containsKey(address);
    }

    /** The public address an inside host is paired with; 0 if it has no binding. */
    public int pairedAddress(int insideAddress) {
        InsideHost host = hosts.get(insideAddress);
        return host == null ? 0 : host.pool.address();
    }

    /** The public address a host without bindings would be paired with now; 0 if no address has a free block. */
    public int nextPairing() {
        AddressPool pool = leastUsedPool();
        return pool == null ? 0 : pool.address();
    }

    /** Starts (or refreshes) a session of {@code binding} with a remote; returns whether it is new. */
    public boolean addSession(NatBinding binding, int remoteAddress, int remotePort) {
        boolean added = binding.addRemote(remoteAddress, remotePort);
        if (added) {
            sessionStarted(binding);
        }
        return added;
    }

    /**
     * Takes back a session from its rule of {@code direction} ({@link NatBinding#FORWARD} or
     * {@link NatBinding#REVERSE}) that a fastpath holds, counted as a session a miss started; returns whether it is new.
     * The other direction counts as expired until its rule is learned too ({@link NatBinding#learnRemote}).
     */
    public boolean learnSession(NatBinding binding, int remoteAddress, int remotePort, int direction) {
        boolean added = binding.learnRemote(remoteAddress, remotePort, direction);
        if (added) {
            sessionStarted(binding);
        }
        return added;
    }

    private void sessionStarted(NatBinding binding) {
        hosts.get(binding.insideAddress()).sessions++;
        sessions++;
    }

    /**
     * One direction of a session expired everywhere; returns true if both have, and the session is over (the binding
     * is not released here: {@link #releaseIfIdle}).
     */
    public boolean expire(NatBinding binding, int remoteAddress, int remotePort, int direction) {
        boolean over = binding.expire(remoteAddress, remotePort, direction);
        if (over) {
            sessionEnded(binding);
        }
        return over;
    }

    /** Ends a session now, whatever has expired of it; returns whether there was one. */
    public boolean endSession(NatBinding binding, int remoteAddress, int remotePort) {
        boolean ended = binding.forget(remoteAddress, remotePort);
        if (ended) {
            sessionEnded(binding);
        }
        return ended;
    }

    private void sessionEnded(NatBinding binding) {
        hosts.get(binding.insideAddress()).sessions--;
        sessions--;
    }

    /** Releases a dynamic binding without sessions: its port, its block if it was the block's last, its host's pairing. */
    public void releaseIfIdle(NatBinding binding) {
        if (binding.remoteCount() == 0 && !binding.isPortForward()) {
            release(binding);
        }
    }

    private void release(NatBinding binding) {
        int protocol = binding.protocol();
        if (byInside.remove(endpointKey(protocol, binding.insideAddress(), binding.insidePort())) == null) {
            return;
        }
        byPublic.remove(endpointKey(protocol, binding.publicAddress(), binding.publicPort()));
        InsideHost host = hosts.get(binding.insideAddress());
        AddressPool pool = host.pool;
        if (pool.giveBack(protocol, binding.publicPort())) {
            Integer block = pool.blockOf(binding.publicPort());
            host.blocks.remove(block);
            releaseBlock(pool, binding.insideAddress(), block);
        }
        if (--host.bindings == 0) {
            hosts.remove(binding.insideAddress());
            releaseBlocks(host, binding.insideAddress());
        }
    }

    /** Gives back every block the host still holds (none, unless some were all port forwards' ports). */
    private void releaseBlocks(InsideHost host, int insideAddress) {
        for (int block : host.blocks) {
            releaseBlock(host.pool, insideAddress, block);
        }
        host.blocks.clear();
    }

    private void releaseBlock(AddressPool pool, int insideAddress, int block) {
        pool.releaseBlock(block);
        report(false, insideAddress, pool, block, false);
    }

    /** Reports every block held as released: the state is being dropped (a new configuration). */
    public void releaseAll() {
        hosts.forEach((address, host) -> {
            for (int block : host.blocks) {
                report(false, address, host.pool, block, false);
            }
        });
    }

    private void report(boolean allocated, int insideAddress, AddressPool pool, int block, boolean learned) {
        blockListener.accept(new PortBlockEvent(allocated, insideAddress, pool.address(), pool.firstPort(block),
                pool.lastPort(block), learned));
    }

    /**
     * Takes over {@code state}, a snapshot's or the state of an earlier configuration, into this one (just made):
     * each binding with exactly its public endpoint ({@link #adopt}, its host paired and holding its block), then each
     * of its sessions with the directions that had expired. A binding this configuration refuses ({@link #adoptRefusal})
     * is left out with its sessions, and so is a session whose remote changed sides ({@code wasPublic} says what was a
     * public address where the state comes from) or is the public endpoint of a binding left out; the limits are not
     * checked (established flows stay). A dynamic binding left without a session is released. Returns why each one
     * left out was, empty if none.
     */
    List<String> carry(NatState state, IntPredicate wasPublic) {
        List<String> problems = new ArrayList<>();
        List<NatState.Binding> wanted = state.bindings();
        NatBinding[] placed = new NatBinding[wanted.size()];
        for (int i = 0; i < placed.length; i++) {
            NatState.Binding b = wanted.get(i);
            String refusal = adoptRefusal(b.protocol(), b.insideAddress(), b.insidePort(), b.publicAddress(),
                    b.publicPort());
            if (refusal != null) {
                problems.add("bindings[" + i + "] (" + b + "): " + refusal);
                continue;
            }
            placed[i] = adopt(b.protocol(), b.insideAddress(), b.insidePort(), b.publicAddress(), b.publicPort());
        }
        for (int i = 0; i < placed.length; i++) {
            NatBinding binding = placed[i];
            if (binding == null) {
                continue;
            }
            List<NatState.Session> sessions = wanted.get(i).sessions();
            for (int j = 0; j < sessions.size(); j++) {
                NatState.Session s = sessions.get(j);
                String remote = Ipv4Addresses.format(s.remoteAddress()) + ":" + s.remotePort();
                boolean hairpin = wasPublic.test(s.remoteAddress());
                if (hairpin != isPublic(s.remoteAddress())) {
                    problems.add("bindings[" + i + "].sessions[" + j + "]: " + remote
                            + (hairpin ? " is not a public address any more" : " is a public address now"));
                } else if (hairpin && byPublic(binding.protocol(), s.remoteAddress(), s.remotePort()).isEmpty()) {
                    problems.add("bindings[" + i + "].sessions[" + j + "]: hairpinned to " + remote
                            + ", which no binding holds");
                } else if (binding.restoreRemote(s.remoteAddress(), s.remotePort(), s.expired())) {
                    sessionStarted(binding);
                }
            }
        }
        for (NatBinding binding : placed) {
            if (binding != null) {
                releaseIfIdle(binding);
            }
        }
        return problems;
    }

    /** Every binding now, port forwards included (a view: not to be changed while walked). */
    Collection<NatBinding> all() {
        return Collections.unmodifiableCollection(byInside.values());
    }

    /** Every block an inside host holds now, as the event of its allocation. */
    Set<PortBlockEvent> heldBlocks() {
        Set<PortBlockEvent> held = new HashSet<>();
        hosts.forEach((address, host) -> {
            for (int block : host.blocks) {
                held.add(new PortBlockEvent(true, address, host.pool.address(), host.pool.firstPort(block),
                        host.pool.lastPort(block), false));
            }
        });
        return held;
    }

    /** Sessions of an inside host now. */
    public int sessionsOf(int insideAddress) {
        InsideHost host = hosts.get(insideAddress);
        return host == null ? 0 : host.sessions;
    }

    /** Sessions now, all hosts together. */
    public int sessions() {
        return sessions;
    }

    /** Bindings now (port forwards included). */
    public int size() {
        return byInside.size();
    }

    /** Per public address: its blocks and ports, held and in all, and its dynamic bindings (fresh maps, immutable). */
    public List<Map<String, Object>> addressIndicators() {
        List<Map<String, Object>> addresses = new ArrayList<>(pools.size());
        for (AddressPool pool : pools.values()) {
            addresses.add(Map.of("address", Ipv4Addresses.format(pool.address()),
                    "blocks", pool.blocksInUse(), "blocksTotal", pool.blockCount(),
                    "portsInUse", pool.portsInBlocks(), "portsTotal", pool.portCount(),
                    "bindings", pool.bindings()));
        }
        return List.copyOf(addresses);
    }

    /** (protocol, address, port) in one long: the key of an endpoint, inside or public. */
    static long endpointKey(int protocol, int address, int port) {
        return ((long) protocol << 48) | ((address & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }
}
