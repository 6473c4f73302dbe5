package io.isthmus.vnf.slb;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.Rule;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Egress;
import io.isthmus.slowpath.policy.Expiry;
import io.isthmus.slowpath.policy.FlowRuleInstall;
import io.isthmus.slowpath.policy.HealthCheck;
import io.isthmus.slowpath.policy.Install;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.TcpResets;
import io.isthmus.slowpath.policy.VnfPolicy;
import io.isthmus.vnf.slb.SlbConfig.Listener;
import io.isthmus.vnf.slb.SlbConfig.OnFailure;

/**
 * The server load balancer (VNF type {@code "slb"}), an L4 load balancer with full NAT (docs/slb.md). A client's new
 * connection to a listener's VIP and port is given a backend of the listener's group by the group's Maglev table
 * ({@link Maglev}) from a hash of the connection (or of the client's address alone, with session persistence), skipping
 * backends at their connection limit, and a source port on one of the load balancer's local addresses
 * ({@link LocalPorts}). Every fastpath gets two rules: the client's packets rewritten to local address and port →
 * backend (backend VNI, backend next hop), the backend's replies rewritten to VIP → client (frontend VNI, frontend next
 * hop); TTL decremented, counted per listener and per backend.
 * <p>
 * The connection is kept here until both rules have expired, so a fastpath that misses it (a flow moved by a scale,
 * a restarted fastpath) is given the same backend again whatever the table says now: a backend added, drained or
 * failed changes where new connections go, never where established ones are. A backend that fails its health check
 * (the slowpath probes it, {@link #healthChecks}) leaves its group's table and its connections end: TCP ones are reset
 * on the client's next packet (or dropped, as the listener says), UDP ones go to another backend on their next packet.
 * A draining backend leaves the table and keeps its connections. A TCP segment that opens nothing (no SYN) and belongs
 * to no connection is answered with a reset from the VIP, as the backend would; a SYN on the five-tuple of a known
 * connection (a client reusing its port once the connection closed: the fastpath punts such a SYN) opens a new one,
 * decided afresh, so a drained backend gets no new connection that way either.
 */
public final class SlbPolicy implements VnfPolicy {

    public static final String VNF_TYPE = "slb";
    private static final System.Logger LOG = System.getLogger(SlbPolicy.class.getName());
    private static final Action DECREMENT_TTL = new Action.DecrementTtl();
    private static final Action DROP = new Action.Drop();
    private static final Action UNGROUPED = new Action.Count();
    /** The most ended TCP connections remembered until their client's next packet is answered with a reset. */
    static final int MAX_ENDED = 1 << 20;
    /** The most table entries a new connection walks past backends at their connection limit. */
    private static final int MAX_LIMIT_WALK = 4096;
    private static final int MAX_COUNTER_GROUPS = Action.Count.MAX_GROUPS - 1;

    /** Why a packet was dropped or refused, counted in {@code /stats} {@code indicators.drops}. */
    enum Drop {
        /** Before the first configuration. */
        NOT_CONFIGURED("notConfigured"),
        /** To no listener's VIP, protocol and port. */
        NO_LISTENER("noListener"),
        /** A TCP segment without SYN, or a backend's packet, of no connection. */
        NOT_A_CONNECTION("notAConnection"),
        /** The group has no backend in service, or every one is at its connection limit. */
        NO_BACKEND("noBackend"),
        /** No local port is free. */
        EXHAUSTED("exhausted"),
        /** A packet of a connection whose backend failed. */
        BACKEND_FAILED("backendFailed"),
        /** An ICMP error punted for a flow without a rule. */
        ICMP_ERROR("icmpError");

        final String indicator;

        Drop(String indicator) {
            this.indicator = indicator;
        }
    }

    /** A backend's health as its check last said; a backend without a check is {@link #UP}. */
    enum Health {
        UNKNOWN, UP, DOWN
    }

    /** One connection: the client's key on the frontend and the backend's on the backend side. */
    static final class Connection {
        final FlowKey clientKey;
        final FlowKey backendKey;
        final String listener;
        final String backend;
        boolean clientExpired;
        boolean backendExpired;
        /** Its backend failed or left: it answers the client's next packet with a reset (or a drop) and is forgotten. */
        boolean ended;

        Connection(FlowKey clientKey, FlowKey backendKey, String listener, String backend) {
            this.clientKey = clientKey;
            this.backendKey = backendKey;
            this.listener = listener;
            this.backend = backend;
        }

        int localAddress() {
            return backendKey.dstAddress();
        }

        int localPort() {
            return backendKey.dstPort();
        }
    }

    /** A backend of a group as this policy runs it: its configuration, health, table share and counters. */
    static final class BackendState {
        /** {@code <group>/<address:port>}: its name, its check's id and its counter group's. */
        final String id;
        final String group;
        SlbConfig.Backend config;
        Health health = Health.UP;
        HealthCheck check;
        /** The COUNT into its counter group, made once: its connections' rules share it. */
        Action count = UNGROUPED;
        int entries;
        int active;
        long newConnections;
        long limitRefusals;

        BackendState(String group, SlbConfig.Backend backend) {
            this.id = id(group, backend.address(), backend.port());
            this.group = group;
        }

        static String id(String group, int address, int port) {
            return group + "/" + SlbConfig.endpoint(address, port);
        }

        boolean inService() {
            return config.weight() > 0 && !config.draining() && health == Health.UP;
        }

        String state() {
            if (config.draining()) {
                return "draining";
            }
            if (config.weight() == 0) {
                return "disabled";
            }
            return health.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A group as this policy runs it: its backends in configuration order and its Maglev table. */
    static final class GroupState {
        final SlbConfig.Group config;
        final List<BackendState> backends;
        final Maglev.Permutation[] permutations;
        int[] table;

        GroupState(SlbConfig.Group config, List<BackendState> backends) {
            this.config = config;
            this.backends = backends;
            this.permutations = new Maglev.Permutation[backends.size()];
            for (int i = 0; i < permutations.length; i++) {
                permutations[i] = Maglev.permutation(backends.get(i).config.name(), config.tableSize());
            }
        }

        /**
         * Fills the table from the backends in service; if none is, from those whose health is not known yet (a
         * group just configured is not refused until its first checks answer); a backend that failed never.
         */
        void rebuild() {
            int[] weights = new int[backends.size()];
            boolean any = false;
            for (int i = 0; i < weights.length; i++) {
                BackendState b = backends.get(i);
                weights[i] = b.inService() ? b.config.weight() : 0;
                any |= weights[i] > 0;
            }
            if (!any) {
                for (int i = 0; i < weights.length; i++) {
                    BackendState b = backends.get(i);
                    boolean unknown = b.health == Health.UNKNOWN && b.config.weight() > 0 && !b.config.draining();
                    weights[i] = unknown ? b.config.weight() : 0;
                }
            }
            table = Maglev.populate(permutations, weights, config.tableSize());
            for (BackendState b : backends) {
                b.entries = 0;
            }
            for (int owner : table) {
                if (owner != Maglev.NONE) {
                    backends.get(owner).entries++;
                }
            }
        }
    }

    /** A listener's counters, kept by name across configurations. */
    static final class ListenerStats {
        /** The COUNT into its counter group, made once: its connections' rules share it. */
        Action count = UNGROUPED;
        long newConnections;
        int active;
        long refused;
    }

    private SlbConfig config;
    private LocalPorts ports = new LocalPorts(List.of());
    private Map<String, GroupState> groups = Map.of();
    private Map<String, BackendState> backends = Map.of();
    private LongPairMap<List<Listener>> listenersByVip = new LongPairMap<>();
    private Map<String, Listener> listeners = Map.of();
    private final Map<String, ListenerStats> listenerStats = new HashMap<>();
    private final LongPairMap<Connection> byClient = new LongPairMap<>();
    private final LongPairMap<Connection> byBackend = new LongPairMap<>();
    private final LinkedHashSet<FlowKey> ended = new LinkedHashSet<>();
    private final Map<String, Integer> counterGroups = new HashMap<>();
    private final long[] drops = new long[Drop.values().length];
    private Action toFrontendVni;
    private Action toBackendVni;

    @Override
    public String vnfType() {
        return VNF_TYPE;
    }

    /** Applies a configuration as {@link #reconfigure} does; true if the rules installed change. */
    @Override
    public boolean configure(JsonNode json) throws InvalidConfigException {
        return reconfigure(json).changesRules();
    }

    /**
     * A new configuration keeps every established connection whose listener (by name, with the same VIP, protocol
     * and port), backend (by group and address:port), local address and VNIs it still has; the rules of those whose
     * next hops or counters changed are installed again. The others end as a failed backend's do.
     */
    @Override
    public Reconfiguration reconfigure(JsonNode json) throws InvalidConfigException {
        SlbConfig next = SlbConfig.from(json);
        if (next.equals(config)) {
            return Reconfiguration.unchanged("the same configuration");
        }
        SlbConfig previous = config;
        List<Install> installs = new ArrayList<>();
        List<FlowKey> removes = new ArrayList<>();
        Map<String, Listener> oldListeners = listeners;
        install(next);
        if (previous != null) {
            boolean sameSides = previous.frontendVni() == next.frontendVni()
                    && previous.backendVni() == next.backendVni();
            boolean sameHops = sameSides && previous.frontendNextHop().equals(next.frontendNextHop())
                    && previous.backendNextHop().equals(next.backendNextHop());
            for (Connection c : byClient.values()) {
                Listener listener = listeners.get(c.listener);
                Listener old = oldListeners.get(c.listener);
                BackendState backend = backends.get(c.backend);
                boolean keeps = sameSides && listener != null && old != null && listener.vip() == old.vip()
                        && listener.protocol() == old.protocol() && listener.takes(c.clientKey.dstPort())
                        && backend != null && next.localAddresses().contains(c.localAddress())
                        && backend.group.equals(listener.group());
                if (c.ended) {
                    if (!sameSides) {
                        forget(c);
                    }
                } else if (!keeps) {
                    end(c, listener != null ? listener : old, installs, removes);
                } else {
                    ports.claim(c.localAddress(), c.clientKey.protocol(), c.localPort(), c.backendKey.srcAddress(),
                            c.backendKey.srcPort());
                    // an ingress that changed moves only the connections whose pick changed
                    if (!sameHops && !previous.backendNextHop().action(leavingForward(c))
                            .equals(next.backendNextHop().action(leavingForward(c)))) {
                        installs.add(new FlowRuleInstall(forwardRule(c)));
                    }
                    if (!sameHops && !previous.frontendNextHop().action(leavingReverse(c))
                            .equals(next.frontendNextHop().action(leavingReverse(c)))) {
                        installs.add(new FlowRuleInstall(reverseRule(c)));
                    }
                }
            }
        }
        recount();
        return Reconfiguration.update(installs, removes,
                previous == null ? "first configuration" : "new configuration");
    }

    /** Takes {@code next} as the configuration: listeners, groups and their tables, backends' states carried over. */
    private void install(SlbConfig next) {
        Map<String, BackendState> nextBackends = new HashMap<>();
        Map<String, GroupState> nextGroups = new HashMap<>();
        for (SlbConfig.Group group : next.groups().values()) {
            List<BackendState> states = new ArrayList<>();
            for (SlbConfig.Backend backend : group.backends()) {
                String id = BackendState.id(group.name(), backend.address(), backend.port());
                BackendState state = backends.getOrDefault(id, new BackendState(group.name(), backend));
                HealthCheck check = check(id, group.check(), backend);
                if (check == null) {
                    state.health = Health.UP;
                } else if (!check.equals(state.check)) {
                    // the slowpath starts a changed check afresh: its first result decides
                    state.health = Health.UNKNOWN;
                }
                state.check = check;
                state.config = backend;
                state.count = counted(counterGroup("backend." + id));
                states.add(state);
                nextBackends.put(id, state);
            }
            GroupState state = new GroupState(group, states);
            state.rebuild();
            nextGroups.put(group.name(), state);
        }
        LongPairMap<List<Listener>> byVip = new LongPairMap<>();
        Map<String, Listener> byName = new LinkedHashMap<>();
        for (Listener listener : next.listeners()) {
            List<Listener> onVip = byVip.get(vipKey(listener.vip(), listener.protocol()), 0);
            if (onVip == null) {
                onVip = new ArrayList<>();
                byVip.put(vipKey(listener.vip(), listener.protocol()), 0, onVip);
            }
            onVip.add(listener);
            byName.put(listener.name(), listener);
            listenerStats.computeIfAbsent(listener.name(), n -> new ListenerStats()).count = counted(
                    counterGroup("listener." + listener.name()));
        }
        listenerStats.keySet().retainAll(byName.keySet());
        config = next;
        groups = nextGroups;
        backends = nextBackends;
        listenersByVip = byVip;
        listeners = byName;
        ports = new LocalPorts(next.localAddresses());
        toFrontendVni = new Action.SetVni(next.frontendVni());
        toBackendVni = new Action.SetVni(next.backendVni());
    }

    /** The connections counted again against the backends and listeners they are on now. */
    private void recount() {
        for (BackendState b : backends.values()) {
            b.active = 0;
        }
        for (ListenerStats s : listenerStats.values()) {
            s.active = 0;
        }
        for (Connection c : byBackend.values()) {
            BackendState b = backends.get(c.backend);
            if (b != null) {
                b.active++;
            }
            ListenerStats s = listenerStats.get(c.listener);
            if (s != null) {
                s.active++;
            }
        }
    }

    private static HealthCheck check(String id, SlbConfig.Check check, SlbConfig.Backend backend) {
        if (check == null) {
            return null;
        }
        int port = backend.checkPort() != 0 ? backend.checkPort() : backend.port();
        InetSocketAddress target = Ipv4Addresses.socketAddress(backend.checkAddress(), port);
        return check.http()
                ? HealthCheck.http(id, target, check.path(), check.host(), check.statusMin(), check.statusMax(),
                        check.interval(), check.timeout(), check.rise(), check.fall())
                : HealthCheck.tcp(id, target, check.interval(), check.timeout(), check.rise(), check.fall());
    }

    @Override
    public List<HealthCheck> healthChecks() {
        List<HealthCheck> checks = new ArrayList<>();
        for (BackendState b : backends.values()) {
            if (b.check != null) {
                checks.add(b.check);
            }
        }
        return checks;
    }

    /**
     * A backend's check changed state: its group's table is filled again; a backend that failed has its connections
     * ended (TCP reset on the client's next packet, or dropped; UDP sent to another backend on its next packet).
     */
    @Override
    public Reconfiguration onHealthChanged(String checkId, boolean healthy) {
        BackendState backend = backends.get(checkId);
        if (backend == null || backend.check == null) {
            return Reconfiguration.unchanged("no such check: " + checkId);
        }
        Health was = backend.health;
        backend.health = healthy ? Health.UP : Health.DOWN;
        if (was == backend.health) {
            return Reconfiguration.unchanged("no change");
        }
        LOG.log(System.Logger.Level.INFO, "backend {0} {1}", checkId, healthy ? "in service" : "failed its check");
        groups.get(backend.group).rebuild();
        List<Install> installs = new ArrayList<>();
        List<FlowKey> removes = new ArrayList<>();
        if (!healthy) {
            for (Connection c : byBackend.values()) {
                if (c.backend.equals(checkId)) {
                    end(c, listeners.get(c.listener), installs, removes);
                }
            }
        }
        return Reconfiguration.update(installs, removes, checkId + (healthy ? " healthy" : " unhealthy"));
    }

    /**
     * Ends a connection whose backend is gone: its backend-side rule is removed and its port freed; a UDP one is
     * forgotten (its next packet is a new flow), a TCP one stays, ended, until its client's next packet is answered
     * with a reset, or, if the listener drops, its client's packets are dropped by a rule until it is idle.
     */
    private void end(Connection c, Listener listener, List<Install> installs, List<FlowKey> removes) {
        removes.add(c.backendKey);
        if (c.clientKey.protocol() != FlowKey.TCP) {
            removes.add(c.clientKey);
            forget(c);
            return;
        }
        release(c);
        c.ended = true;
        c.clientExpired = false;
        if (listener != null && listener.onFailure() == OnFailure.DROP) {
            installs.add(new FlowRuleInstall(Rule.of(c.clientKey, DROP)));
        } else {
            removes.add(c.clientKey);
        }
        ended.add(c.clientKey);
        while (ended.size() > MAX_ENDED) {
            FlowKey oldest = ended.removeFirst();
            Connection gone = byClient.get(oldest);
            if (gone != null && gone.ended) {
                byClient.remove(oldest);
            }
        }
    }

    /** Frees the connection's backend side: its local port, its key, its place in the counts. */
    private void release(Connection c) {
        if (byBackend.remove(c.backendKey, c)) {
            ports.release(c.localAddress(), c.clientKey.protocol(), c.localPort(), c.backendKey.srcAddress(),
                    c.backendKey.srcPort());
            BackendState b = backends.get(c.backend);
            if (b != null) {
                b.active--;
            }
            ListenerStats s = listenerStats.get(c.listener);
            if (s != null) {
                s.active--;
            }
        }
    }

    private void forget(Connection c) {
        release(c);
        byClient.remove(c.clientKey, c);
        ended.remove(c.clientKey);
    }

    @Override
    public Decision onMiss(Miss miss) {
        if (config == null) {
            return drop(Drop.NOT_CONFIGURED, "not configured");
        }
        if (miss.isIcmpError()) {
            return drop(Drop.ICMP_ERROR, "ICMP error of no connection");
        }
        FlowKey key = miss.key();
        Connection c = byClient.get(key);
        boolean syn = key.protocol() == FlowKey.TCP && TcpResets.isSyn(miss.packet());
        if (c != null && !syn) {
            return c.ended ? failed(c, miss) : again(c);
        }
        if (c != null) {
            // a SYN on a known or ended connection's five-tuple (a client reusing its port; the fastpath punts one on
            // a closed connection): a new connection, decided afresh; its rules replace the old one's
            forget(c);
        }
        c = byBackend.get(key);
        if (c != null) {
            return again(c);
        }
        Listener listener = key.vni() == config.frontendVni() ? listener(key) : null;
        if (listener == null) {
            return drop(key.vni() == config.frontendVni() ? Drop.NO_LISTENER : Drop.NOT_A_CONNECTION,
                    "not to a listener");
        }
        if (key.protocol() == FlowKey.TCP && !syn) {
            return reset(miss, Drop.NOT_A_CONNECTION, "a TCP segment of no connection");
        }
        ListenerStats stats = listenerStats.get(listener.name());
        BackendState backend = pick(groups.get(listener.group()), key, listener.persistence());
        if (backend == null) {
            stats.refused++;
            return reset(miss, Drop.NO_BACKEND, "no backend in service");
        }
        int backendPort = backend.config.port() != 0 ? backend.config.port() : key.dstPort();
        long local = ports.take(key.protocol(), backend.config.address(), backendPort);
        if (local < 0) {
            stats.refused++;
            return reset(miss, Drop.EXHAUSTED, "no local port free");
        }
        FlowKey backendKey = new FlowKey(config.backendVni(), key.protocol(), backend.config.address(),
                LocalPorts.address(local), backendPort, LocalPorts.port(local));
        c = new Connection(key, backendKey, listener.name(), backend.id);
        byClient.put(key, c);
        byBackend.put(backendKey, c);
        backend.active++;
        backend.newConnections++;
        stats.active++;
        stats.newConnections++;
        return Decision.forward(forwardRule(c, stats.count, backend.count), reverseRule(c, stats.count, backend.count));
    }

    /** A connection's rules again, for a fastpath that misses them (a moved flow, a restarted fastpath). */
    private Decision again(Connection c) {
        c.clientExpired = false;
        c.backendExpired = false;
        return Decision.forward(forwardRule(c), reverseRule(c));
    }

    /** A client's packet on a connection whose backend failed: a reset (or a drop), and the connection forgotten. */
    private Decision failed(Connection c, Miss miss) {
        Listener listener = listeners.get(c.listener);
        if (listener != null && listener.onFailure() == OnFailure.DROP) {
            drops[Drop.BACKEND_FAILED.ordinal()]++;
            return Decision.drop("backend failed");
        }
        forget(c);
        return reset(miss, Drop.BACKEND_FAILED, "backend failed");
    }

    /** A TCP segment answered with a reset from where it was sent to; anything else dropped. */
    private Decision reset(Miss miss, Drop why, String reason) {
        drops[why.ordinal()]++;
        if (miss.key().protocol() != FlowKey.TCP) {
            return Decision.drop(reason);
        }
        Optional<byte[]> reset = TcpResets.reset(miss.packet());
        if (reset.isEmpty()) {
            return Decision.drop(reason);
        }
        Egress back = miss.key().vni() == config.frontendVni() ? config.frontendNextHop() : config.backendNextHop();
        // the reset travels the punted segment's flow the other way
        return back.transmit(reset.get(), miss.key().reversed(miss.key().vni()))
                .map(transmit -> new Decision(List.<Install>of(transmit), false, reason))
                .orElseGet(() -> Decision.drop(reason + " (next hop not wired)"));
    }

    private Decision drop(Drop why, String reason) {
        drops[why.ordinal()]++;
        return Decision.drop(reason);
    }

    private Listener listener(FlowKey key) {
        List<Listener> candidates = listenersByVip.get(vipKey(key.dstAddress(), key.protocol()), 0);
        if (candidates != null) {
            for (Listener listener : candidates) {
                if (listener.takes(key.dstPort())) {
                    return listener;
                }
            }
        }
        return null;
    }

    /**
     * The backend of a new connection: the table's entry for the connection's hash, or the next entries' while that
     * one's backend is at its connection limit; null if the table is empty or the limits are all reached.
     */
    private static BackendState pick(GroupState group, FlowKey key, boolean bySource) {
        int[] table = group.table;
        int m = table.length;
        int entry = Maglev.entry(flowHash(key, bySource), m);
        for (int walked = 0; walked < Math.min(m, MAX_LIMIT_WALK); walked++) {
            int owner = table[entry];
            if (owner == Maglev.NONE) {
                return null;
            }
            BackendState backend = group.backends.get(owner);
            int limit = backend.config.maxConnections();
            if (limit == 0 || backend.active < limit) {
                return backend;
            }
            backend.limitRefusals++;
            entry = entry + 1 == m ? 0 : entry + 1;
        }
        return null;
    }

    /** The hash a connection's backend is chosen by: of its 5-tuple, or of the client's address alone. */
    static long flowHash(FlowKey key, boolean bySource) {
        if (bySource) {
            return mix((key.srcAddress() & 0xFFFF_FFFFL) * 0x9E37_79B9_7F4A_7C15L);
        }
        long client = (key.srcAddress() & 0xFFFF_FFFFL) << 32 | (long) key.srcPort() << 16 | key.protocol();
        long vip = (key.dstAddress() & 0xFFFF_FFFFL) << 32 | key.dstPort();
        return mix(client * 0x9E37_79B9_7F4A_7C15L ^ mix(vip));
    }

    /** MurmurHash3's 64-bit finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return z ^ (z >>> 33);
    }

    private static long vipKey(int vip, int protocol) {
        return (vip & 0xFFFF_FFFFL) << 8 | protocol;
    }

    /** The client's packets: to the backend from a local address and port, on the backend side. */
    private Rule forwardRule(Connection c) {
        return forwardRule(c, count(listenerStats.get(c.listener)), count(backends.get(c.backend)));
    }

    private Rule forwardRule(Connection c, Action listenerCount, Action backendCount) {
        FlowKey b = c.backendKey;
        Action nextHop = config.backendNextHop().action(b.dstAddress(), b.srcAddress(), b.protocol(), b.dstPort(),
                b.srcPort());
        return Rule.of(c.clientKey, new Action.RewriteSource(b.dstAddress(), b.dstPort()),
                new Action.RewriteDestination(b.srcAddress(), b.srcPort()), toBackendVni, DECREMENT_TTL,
                nextHop, listenerCount, backendCount);
    }

    /** The client's packets as they leave for the backend: the backend's replies' key turned around. */
    private static FlowKey leavingForward(Connection c) {
        return c.backendKey.reversed(c.backendKey.vni());
    }

    /** The backend's replies as they leave for the client: the client's key turned around. */
    private static FlowKey leavingReverse(Connection c) {
        return c.clientKey.reversed(c.clientKey.vni());
    }

    /** The backend's replies: from the VIP to the client, on the frontend side. */
    private Rule reverseRule(Connection c) {
        return reverseRule(c, count(listenerStats.get(c.listener)), count(backends.get(c.backend)));
    }

    private Rule reverseRule(Connection c, Action listenerCount, Action backendCount) {
        FlowKey k = c.clientKey;
        Action nextHop = config.frontendNextHop().action(k.dstAddress(), k.srcAddress(), k.protocol(), k.dstPort(),
                k.srcPort());
        return Rule.of(c.backendKey, new Action.RewriteSource(k.dstAddress(), k.dstPort()),
                new Action.RewriteDestination(k.srcAddress(), k.srcPort()), toFrontendVni, DECREMENT_TTL,
                nextHop, listenerCount, backendCount);
    }

    private static Action count(ListenerStats stats) {
        return stats == null ? UNGROUPED : stats.count;
    }

    private static Action count(BackendState backend) {
        return backend == null ? UNGROUPED : backend.count;
    }

    private static Action counted(int group) {
        return group == 0 ? UNGROUPED : new Action.Count(group);
    }

    /** The counter group of {@code name}, the same for the policy's life; 0 (none) once every group is given out. */
    private int counterGroup(String name) {
        Integer id = counterGroups.get(name);
        if (id == null) {
            if (counterGroups.size() >= MAX_COUNTER_GROUPS) {
                return 0;
            }
            id = counterGroups.size() + 1;
            counterGroups.put(name, id);
        }
        return id;
    }

    @Override
    public Map<Integer, String> counterGroups() {
        Map<Integer, String> names = new HashMap<>();
        for (String listener : listeners.keySet()) {
            named(names, "listener." + listener);
        }
        for (String backend : backends.keySet()) {
            named(names, "backend." + backend);
        }
        return names;
    }

    /** Puts {@code name} under its counter group, if it was given one. */
    private void named(Map<Integer, String> names, String name) {
        Integer id = counterGroups.get(name);
        if (id != null) {
            names.put(id, name);
        }
    }

    @Override
    public Expiry onFlowExpired(FlowKey key) {
        Connection c = byClient.get(key);
        if (c != null) {
            c.clientExpired = true;
        } else {
            c = byBackend.get(key);
            if (c == null) {
                return Expiry.keep("no connection");
            }
            c.backendExpired = true;
        }
        if (c.ended || (c.clientExpired && c.backendExpired)) {
            forget(c);
            return Expiry.keep("connection over");
        }
        return Expiry.keep("the other direction is in use");
    }

    @Override
    public boolean learnsRules() {
        return true;
    }

    /**
     * Takes back the connection a dumped rule stands for: a forward rule (a listener's VIP → a backend from a local
     * port) or a reverse one (a backend to a local port → the VIP), if its listener, backend and local address are in
     * the configuration and its port is free or held by the same connection.
     */
    @Override
    public boolean learn(Rule rule) {
        if (config == null) {
            return false;
        }
        FlowKey key = rule.key();
        Action.RewriteSource source = null;
        Action.RewriteDestination destination = null;
        for (Action action : rule.actions()) {
            if (action instanceof Action.RewriteSource s) {
                source = s;
            } else if (action instanceof Action.RewriteDestination d) {
                destination = d;
            }
        }
        if (source == null || destination == null) {
            return false;
        }
        FlowKey clientKey;
        FlowKey backendKey;
        if (key.vni() == config.frontendVni() && listener(key) != null) {
            clientKey = key;
            backendKey = new FlowKey(config.backendVni(), key.protocol(), destination.address(), source.address(),
                    destination.port(), source.port());
        } else if (key.vni() == config.backendVni()) {
            backendKey = key;
            clientKey = new FlowKey(config.frontendVni(), key.protocol(), destination.address(), source.address(),
                    destination.port(), source.port());
        } else {
            return false;
        }
        return adopt(clientKey, backendKey);
    }

    /** A connection learned or restored; false if it contradicts the configuration or another connection. */
    private boolean adopt(FlowKey clientKey, FlowKey backendKey) {
        Connection known = byClient.get(clientKey);
        if (known != null) {
            return !known.ended && known.backendKey.equals(backendKey);
        }
        Listener listener = listener(clientKey);
        if (listener == null || byBackend.containsKey(backendKey)) {
            return false;
        }
        // the backend by its own port, or one that takes the client's port (port 0) if that is the port
        BackendState backend = backends
                .get(BackendState.id(listener.group(), backendKey.srcAddress(), backendKey.srcPort()));
        if (backend == null && backendKey.srcPort() == clientKey.dstPort()) {
            backend = backends.get(BackendState.id(listener.group(), backendKey.srcAddress(), 0));
        }
        if (backend == null || !ports.claim(backendKey.dstAddress(), clientKey.protocol(), backendKey.dstPort(),
                backendKey.srcAddress(), backendKey.srcPort())) {
            return false;
        }
        Connection c = new Connection(clientKey, backendKey, listener.name(), backend.id);
        byClient.put(clientKey, c);
        byBackend.put(backendKey, c);
        backend.active++;
        listenerStats.get(listener.name()).active++;
        return true;
    }

    /** The established connections: {@code {"connections":[{"client","vip","protocol","backend","local"}]}}. */
    @Override
    public JsonNode snapshotState() {
        var json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        var list = json.arrayNode();
        for (Connection c : byBackend.values()) {
            list.addObject().put("protocol", c.clientKey.protocol() == FlowKey.TCP ? "tcp" : "udp")
                    .put("client", SlbConfig.endpoint(c.clientKey.srcAddress(), c.clientKey.srcPort()))
                    .put("vip", SlbConfig.endpoint(c.clientKey.dstAddress(), c.clientKey.dstPort()))
                    .put("backend", SlbConfig.endpoint(c.backendKey.srcAddress(), c.backendKey.srcPort()))
                    .put("local", SlbConfig.endpoint(c.localAddress(), c.localPort()));
        }
        var state = json.objectNode();
        state.set("connections", list);
        return state;
    }

    /**
     * The configuration and the connections of a snapshot in place of this policy's own, all or nothing: every
     * connection must have its listener, backend and local address in the configuration. The fastpaths lose the rules
     * of connections the snapshot does not have and get the snapshot's.
     */
    @Override
    public Reconfiguration restore(JsonNode configJson, JsonNode stateJson) throws InvalidConfigException {
        SlbConfig next = SlbConfig.from(configJson);
        JsonNode list = stateJson == null ? null : stateJson.get("connections");
        if (list == null || !list.isArray()) {
            throw new InvalidConfigException("state.connections is required: a list of connections");
        }
        List<FlowKey[]> restored = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            try {
                int protocol = "tcp".equals(node.path("protocol").asText()) ? FlowKey.TCP : FlowKey.UDP;
                InetSocketAddress client = Ipv4Addresses.parseSocketAddress(node.path("client").asText());
                InetSocketAddress vip = Ipv4Addresses.parseSocketAddress(node.path("vip").asText());
                InetSocketAddress backend = Ipv4Addresses.parseSocketAddress(node.path("backend").asText());
                InetSocketAddress local = Ipv4Addresses.parseSocketAddress(node.path("local").asText());
                restored.add(new FlowKey[]{
                        new FlowKey(next.frontendVni(), protocol, Ipv4Addresses.of(client.getAddress()),
                                Ipv4Addresses.of(vip.getAddress()), client.getPort(), vip.getPort()),
                        new FlowKey(next.backendVni(), protocol, Ipv4Addresses.of(backend.getAddress()),
                                Ipv4Addresses.of(local.getAddress()), backend.getPort(), local.getPort())});
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException("state.connections[" + i + "]: " + e.getMessage());
            }
        }
        // all or nothing: the restored state is built aside and taken only if every connection fits
        SlbPolicy aside = new SlbPolicy();
        aside.counterGroups.putAll(counterGroups);
        aside.install(next);
        for (int i = 0; i < restored.size(); i++) {
            if (!aside.adopt(restored.get(i)[0], restored.get(i)[1])) {
                throw new InvalidConfigException("state.connections[" + i + "] does not fit the configuration");
            }
        }
        List<FlowKey> removes = new ArrayList<>();
        for (Connection c : byClient.values()) {
            if (!aside.byClient.containsKey(c.clientKey)) {
                removes.add(c.clientKey);
                if (!c.ended) {
                    removes.add(c.backendKey);
                }
            }
        }
        byClient.clear();
        byBackend.clear();
        ended.clear();
        install(next);
        List<Install> installs = new ArrayList<>();
        for (FlowKey[] keys : restored) {
            adopt(keys[0], keys[1]);
            Connection c = byClient.get(keys[0]);
            installs.add(new FlowRuleInstall(forwardRule(c)));
            installs.add(new FlowRuleInstall(reverseRule(c)));
        }
        return Reconfiguration.update(installs, removes, "snapshot restored");
    }

    /**
     * {@code connections}, {@code localPortsInUse}, {@code localPortsPerBackend}; per listener ({@code listeners[]}) and
     * per backend ({@code backends[]}): new and active connections, refusals, and a backend's health
     * {@code state} (up, down, unknown, draining, disabled) and share of its group's table; {@code drops} by kind.
     */
    @Override
    public Map<String, Object> indicators() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connections", byBackend.size());
        out.put("endedConnections", byClient.size() - byBackend.size());
        out.put("localPortsInUse", ports.inUse());
        out.put("localPortsPerBackend", ports.perBackend());
        List<Map<String, Object>> listenerList = new ArrayList<>();
        for (Listener listener : listeners.values()) {
            ListenerStats s = listenerStats.get(listener.name());
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", listener.name());
            l.put("vip", Ipv4Addresses.format(listener.vip()));
            l.put("protocol", listener.protocol() == FlowKey.TCP ? "tcp" : "udp");
            l.put("port", listener.port());
            l.put("portEnd", listener.portEnd());
            l.put("newConnections", s.newConnections);
            l.put("activeConnections", s.active);
            l.put("refused", s.refused);
            listenerList.add(l);
        }
        out.put("listeners", listenerList);
        List<Map<String, Object>> backendList = new ArrayList<>();
        for (GroupState group : groups.values()) {
            for (BackendState b : group.backends) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", b.id);
                m.put("group", b.group);
                m.put("address", Ipv4Addresses.format(b.config.address()));
                m.put("port", b.config.port());
                m.put("weight", b.config.weight());
                m.put("state", b.state());
                m.put("checked", b.check != null);
                m.put("tableEntries", b.entries);
                m.put("newConnections", b.newConnections);
                m.put("activeConnections", b.active);
                m.put("limitRefusals", b.limitRefusals);
                backendList.add(m);
            }
        }
        out.put("backends", backendList);
        Map<String, Object> dropMap = new LinkedHashMap<>();
        for (Drop d : Drop.values()) {
            dropMap.put(d.indicator, drops[d.ordinal()]);
        }
        out.put("drops", dropMap);
        return out;
    }
}
