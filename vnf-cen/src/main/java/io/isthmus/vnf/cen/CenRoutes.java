package io.isthmus.vnf.cen;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.isthmus.slowpath.policy.Install;
import io.isthmus.slowpath.policy.TableRoute;
import io.isthmus.slowpath.policy.TableRoute.NextHop;
import io.isthmus.slowpath.policy.TableRouteRemoval;
import io.isthmus.slowpath.policy.VniBinding;
import io.isthmus.vnf.cen.CenConfig.Attachment;
import io.isthmus.vnf.cen.CenConfig.Kind;
import io.isthmus.vnf.cen.CenConfig.StaticRoute;

/**
 * The CEN's route tables as the fastpaths are to have them, and the changes that take them there: pure, no I/O.
 * <p>
 * Each table gathers, per prefix, the candidates of three origins: its static routes ({@link #STATIC}), the cidrs of
 * the VPCs and VPNs it propagates ({@link #PROPAGATED}) and the routes the BGP peers of the routers it propagates
 * learned ({@link #BGP}). Per prefix the best origin wins (static over propagated over BGP), then the lowest metric (a
 * static route's metric; propagated routes are all 0; BGP: {@link BgpRoute#rank}), and the route's next hops are those
 * of every candidate tied best (ECMP: distinct, sorted by VNI, address and port, at most 16); a static blackhole wins
 * as any static route and drops. Longest prefix first is the fastpaths' lookup.
 * <p>
 * Every change answers with the installs that take the fastpaths from the tables before to the tables after, and
 * nothing more: a {@link TableRoute} for each prefix whose result changed, a {@link TableRouteRemoval} for each that
 * lost its last candidate, a {@link VniBinding} for each attachment whose table changed. A BGP update recomputes only
 * its prefixes (a million routes: primitive maps keyed by {@link Ipv4Prefix#key()}); a configuration recomputes the
 * prefixes of the candidates it changed, or a table's every prefix when the BGP routers it propagates changed.
 * <p>
 * Routers are also told what to advertise: the routes of the table each is associated with, except blackholes and
 * those through the router itself (split horizon), kept per router and handed out as changes
 * ({@link #drainAdvertisements}) or whole ({@link #advertisedTo}).
 */
final class CenRoutes {

    static final int STATIC = 0;
    static final int PROPAGATED = 1;
    static final int BGP = 2;
    private static final int NONE = 3;
    private static final Comparator<NextHop> NEXT_HOP_ORDER = Comparator.comparingInt(NextHop::vni)
            .thenComparing(NextHop::address, Integer::compareUnsigned).thenComparingInt(NextHop::port);
    /** The intern pool of ECMP next-hop sets is emptied when a configuration finds it this big. */
    private static final int MAX_INTERNED = 10_000;

    /** A candidate from the configuration: a static route, or a propagated cidr. */
    record Candidate(int origin, long metric, List<NextHop> nextHops) {
    }

    /** What a router is to advertise and withdraw since the last drain. */
    record Advertisements(List<Ipv4Prefix> advertise, List<Ipv4Prefix> withdraw) {

        boolean isEmpty() {
            return advertise.isEmpty() && withdraw.isEmpty();
        }
    }

    private static final class Table {
        final String name;
        final int number;
        /** Static and propagated candidates by prefix key. */
        PrefixMap<List<Candidate>> configured = new PrefixMap<>();
        /** The routers whose BGP routes enter this table. */
        List<Router> bgpSources = List.of();
        /** The routers associated with this table: they are told its routes. */
        List<Router> advertisedTo = List.of();
        /** The table as the fastpaths have it: prefix key → next hops (empty: blackhole). */
        final PrefixMap<List<NextHop>> installed = new PrefixMap<>();

        Table(String name, int number) {
            this.name = name;
            this.number = number;
        }
    }

    private static final class Router {
        final String name;
        CenConfig.Bgp bgp;
        int vni;
        List<NextHop> nextHops;
        /** Learned routes: prefix key → {@link BgpRoute#rank}. */
        PrefixMetrics learned = new PrefixMetrics();
        List<Table> propagatedInto = List.of();
        Table associatedWith;
        /** What the peer has been told to advertise, as a set. */
        PrefixMetrics advertised = new PrefixMetrics();
        /** Changes to tell the peer: 1 advertise, 0 withdraw. */
        PrefixMetrics pending = new PrefixMetrics();
        String state = "Idle";
        String reason = "not started";

        Router(String name) {
            this.name = name;
        }
    }

    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<String, Router> routers = new LinkedHashMap<>();
    /** VNI → table number, as the fastpaths have it. */
    private final Map<Integer, Integer> bindings = new HashMap<>();
    private final Map<List<NextHop>, List<NextHop>> interned = new HashMap<>();

    /**
     * Takes the tables to {@code config}'s: returns unbindings first, then route changes, then bindings (a VNI is bound
     * once its table's routes are in). A table keeps its number while its name stays; a new one takes the lowest free.
     * A router whose BGP settings changed loses its learned routes (its session starts again).
     */
    List<Install> configure(CenConfig config) {
        if (interned.size() > MAX_INTERNED) {
            interned.clear();
        }
        List<Install> routes = new ArrayList<>();
        Map<String, Attachment> byName = new HashMap<>();
        config.attachments().forEach(a -> byName.put(a.name(), a));

        // routers: keep their learned routes unless their peer changed
        Set<Router> changed = new HashSet<>();
        Map<String, Router> nextRouters = new LinkedHashMap<>();
        List<Router> dropped = new ArrayList<>();
        for (Attachment a : config.attachments()) {
            if (a.kind() != Kind.ROUTER) {
                continue;
            }
            Router r = routers.get(a.name());
            if (r == null || !r.bgp.equals(a.bgp())) {
                if (r != null) {
                    dropped.add(r);
                }
                r = new Router(a.name());
                r.bgp = a.bgp();
                changed.add(r);
            }
            List<NextHop> via = ecmp(a.nextHops());
            if (r.vni != a.vni() || !via.equals(r.nextHops)) {
                changed.add(r);
            }
            r.vni = a.vni();
            r.nextHops = via;
            nextRouters.put(a.name(), r);
        }
        routers.values().stream().filter(r -> !nextRouters.containsKey(r.name)).forEach(dropped::add);

        // tables removed go first, and their numbers are not taken again before the next configuration
        Set<String> names = new HashSet<>();
        config.routeTables().forEach(t -> names.add(t.name()));
        Set<Integer> taken = new HashSet<>();
        for (Table table : tables.values()) {
            taken.add(table.number);
            if (!names.contains(table.name)) {
                table.installed.forEach((key, nextHops) -> routes.add(new TableRouteRemoval(table.number,
                        Ipv4Prefix.addressOf(key), Ipv4Prefix.lengthOf(key))));
            }
        }
        Set<Router> resync = new HashSet<>(changed);
        Map<String, Table> nextTables = new LinkedHashMap<>();
        for (CenConfig.RouteTable t : config.routeTables()) {
            Table existing = tables.get(t.name());
            Table table = existing;
            if (table == null) {
                int number = 1;
                while (taken.contains(number)) {
                    number++;
                }
                taken.add(number);
                table = new Table(t.name(), number);
            }
            PrefixMap<List<Candidate>> configured = candidates(t, byName);
            List<Router> sources = t.propagations().stream().map(nextRouters::get).filter(Objects::nonNull).toList();
            List<Router> associated = t.associations().stream().map(nextRouters::get).filter(Objects::nonNull)
                    .toList();
            boolean structural = existing == null || !sameRouters(table.bgpSources, sources)
                    || sources.stream().anyMatch(changed::contains);
            Set<Long> dirty = new HashSet<>();
            if (!structural) {
                PrefixMap<List<Candidate>> before = table.configured;
                before.forEach((key, candidates) -> {
                    if (!candidates.equals(configured.get(key))) {
                        dirty.add(key);
                    }
                });
                configured.forEach((key, candidates) -> {
                    if (!candidates.equals(before.get(key))) {
                        dirty.add(key);
                    }
                });
            }
            table.configured = configured;
            table.bgpSources = sources;
            table.advertisedTo = associated;
            for (Router r : associated) {
                if (r.associatedWith != table) {
                    r.associatedWith = table;
                    resync.add(r);
                }
            }
            nextTables.put(t.name(), table);
            if (structural) {
                recomputeAll(table, routes);
            } else {
                for (long key : dirty) {
                    recompute(table, key, routes);
                }
            }
        }
        tables.clear();
        tables.putAll(nextTables);

        routers.clear();
        routers.putAll(nextRouters);
        for (Router r : routers.values()) {
            r.propagatedInto = tables.values().stream().filter(t -> t.bgpSources.contains(r)).toList();
        }
        for (Router r : resync) {
            resyncAdvertisements(r);
        }

        // bindings: each attachment's VNI to its table
        Map<Integer, Integer> nextBindings = new HashMap<>();
        for (CenConfig.RouteTable t : config.routeTables()) {
            int number = tables.get(t.name()).number;
            t.associations().forEach(name -> nextBindings.put(byName.get(name).vni(), number));
        }
        List<Install> installs = new ArrayList<>();
        bindings.keySet().stream().filter(vni -> !nextBindings.containsKey(vni)).sorted()
                .forEach(vni -> installs.add(VniBinding.unbind(vni)));
        installs.addAll(routes);
        nextBindings.entrySet().stream().filter(e -> !e.getValue().equals(bindings.get(e.getKey())))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> installs.add(new VniBinding(e.getKey(), e.getValue())));
        bindings.clear();
        bindings.putAll(nextBindings);
        return installs;
    }

    /**
     * A BGP UPDATE's worth from the peer of router {@code router}: {@code announced} replace the peer's routes of
     * their prefixes, {@code withdrawn} remove them. Nothing for a router the configuration does not have (an event of
     * a session already closed).
     */
    List<Install> bgpRoutes(String router, List<BgpRoute> announced, List<Ipv4Prefix> withdrawn) {
        Router r = routers.get(router);
        if (r == null) {
            return List.of();
        }
        List<Install> installs = new ArrayList<>();
        for (BgpRoute route : announced) {
            long key = route.prefix().key();
            long rank = route.rank();
            if (r.learned.put(key, rank) != rank) {
                for (Table t : r.propagatedInto) {
                    recompute(t, key, installs);
                }
            }
        }
        for (Ipv4Prefix prefix : withdrawn) {
            long key = prefix.key();
            if (r.learned.remove(key) != PrefixMetrics.MISSING) {
                for (Table t : r.propagatedInto) {
                    recompute(t, key, installs);
                }
            }
        }
        return installs;
    }

    /** The session of {@code router} is established. */
    void bgpEstablished(String router) {
        Router r = routers.get(router);
        if (r != null) {
            r.state = "Established";
            r.reason = "";
        }
    }

    /** The session of {@code router} went down: every route learned from it leaves the tables. */
    List<Install> bgpDown(String router, String reason) {
        Router r = routers.get(router);
        if (r == null) {
            return List.of();
        }
        r.state = "Idle";
        r.reason = reason;
        List<Install> installs = new ArrayList<>();
        long[] keys = r.learned.keys();
        r.learned = new PrefixMetrics();
        for (long key : keys) {
            for (Table t : r.propagatedInto) {
                recompute(t, key, installs);
            }
        }
        return installs;
    }

    /** The changes to each router's advertisements since the last drain, by router; the routers without are left out. */
    Map<String, Advertisements> drainAdvertisements() {
        Map<String, Advertisements> out = new LinkedHashMap<>();
        for (Router r : routers.values()) {
            if (r.pending.size() == 0) {
                continue;
            }
            List<Ipv4Prefix> advertise = new ArrayList<>();
            List<Ipv4Prefix> withdraw = new ArrayList<>();
            for (long key : r.pending.keys()) {
                (r.pending.get(key) == 1 ? advertise : withdraw).add(Ipv4Prefix.ofKey(key));
            }
            r.pending = new PrefixMetrics();
            out.put(r.name, new Advertisements(advertise, withdraw));
        }
        return out;
    }

    /** Everything router {@code router} is to advertise now (after its session is established), none if unknown. */
    List<Ipv4Prefix> advertisedTo(String router) {
        Router r = routers.get(router);
        if (r == null) {
            return List.of();
        }
        List<Ipv4Prefix> all = new ArrayList<>(r.advertised.size());
        for (long key : r.advertised.keys()) {
            all.add(Ipv4Prefix.ofKey(key));
        }
        return all;
    }

    /** The number of the table named {@code name}, or 0. */
    int tableNumber(String name) {
        Table t = tables.get(name);
        return t == null ? 0 : t.number;
    }

    /** The route of table {@code name} for exactly {@code prefix}: its next hops (empty: blackhole), or null. */
    List<NextHop> route(String name, Ipv4Prefix prefix) {
        Table t = tables.get(name);
        return t == null ? null : t.installed.get(prefix.key());
    }

    /** The indicators: per table its number and routes, per router its session and routes. */
    Map<String, Object> indicators() {
        Map<String, Object> byTable = new LinkedHashMap<>();
        tables.values().forEach(t -> byTable.put(t.name, Map.of("number", t.number, "routes", t.installed.size())));
        Map<String, Object> byRouter = new LinkedHashMap<>();
        routers.values().forEach(r -> byRouter.put(r.name, Map.of("state", r.state, "reason", r.reason,
                "learnedRoutes", r.learned.size(), "advertisedRoutes", r.advertised.size())));
        return Map.of("routeTables", byTable, "bgp", byRouter);
    }

    // ---- selection ---------------------------------------------------------------------------------------------

    private PrefixMap<List<Candidate>> candidates(CenConfig.RouteTable t, Map<String, Attachment> byName) {
        Map<Long, List<Candidate>> configured = new HashMap<>();
        for (String name : t.propagations()) {
            Attachment a = byName.get(name);
            List<NextHop> via = ecmp(a.nextHops());
            for (Ipv4Prefix cidr : a.cidrs()) {
                configured.computeIfAbsent(cidr.key(), k -> new ArrayList<>()).add(new Candidate(PROPAGATED, 0, via));
            }
        }
        for (StaticRoute route : t.staticRoutes()) {
            List<NextHop> via = new ArrayList<>();
            route.attachments().forEach(name -> via.addAll(byName.get(name).nextHops()));
            configured.computeIfAbsent(route.prefix().key(), k -> new ArrayList<>())
                    .add(new Candidate(STATIC, route.metric(), ecmp(via)));
        }
        PrefixMap<List<Candidate>> out = new PrefixMap<>();
        configured.forEach((key, list) -> out.put(key, List.copyOf(list)));
        return out;
    }

    /** The best next hops of {@code key} in {@code table}, or null when it has no candidate. */
    private List<NextHop> select(Table table, long key) {
        int bestOrigin = NONE;
        long bestMetric = Long.MAX_VALUE;
        List<NextHop> first = null;
        List<List<NextHop>> ties = null;
        List<Candidate> configured = table.configured.get(key);
        if (configured != null) {
            for (Candidate c : configured) {
                if (c.origin < bestOrigin || (c.origin == bestOrigin && c.metric < bestMetric)) {
                    bestOrigin = c.origin;
                    bestMetric = c.metric;
                    first = c.nextHops;
                    ties = null;
                } else if (c.origin == bestOrigin && c.metric == bestMetric) {
                    ties = tie(ties, first, c.nextHops);
                }
            }
        }
        if (bestOrigin >= BGP) {
            for (Router r : table.bgpSources) {
                long rank = r.learned.get(key);
                if (rank == PrefixMetrics.MISSING) {
                    continue;
                }
                if (bestOrigin > BGP || rank < bestMetric) {
                    bestOrigin = BGP;
                    bestMetric = rank;
                    first = r.nextHops;
                    ties = null;
                } else if (rank == bestMetric) {
                    ties = tie(ties, first, r.nextHops);
                }
            }
        }
        if (ties == null) {
            return first;
        }
        List<NextHop> all = new ArrayList<>();
        ties.forEach(all::addAll);
        return ecmp(all);
    }

    private static List<List<NextHop>> tie(List<List<NextHop>> ties, List<NextHop> first, List<NextHop> another) {
        List<List<NextHop>> out = ties == null ? new ArrayList<>(List.of(first)) : ties;
        out.add(another);
        return out;
    }

    /** Distinct, sorted, at most 16, interned: equal sets are one list. */
    private List<NextHop> ecmp(List<NextHop> nextHops) {
        TreeSet<NextHop> distinct = new TreeSet<>(NEXT_HOP_ORDER);
        distinct.addAll(nextHops);
        List<NextHop> sorted = distinct.stream().limit(TableRoute.MAX_NEXT_HOPS).toList();
        return intern(sorted);
    }

    private List<NextHop> intern(List<NextHop> nextHops) {
        List<NextHop> copy = List.copyOf(nextHops);
        List<NextHop> known = interned.putIfAbsent(copy, copy);
        return known != null ? known : copy;
    }

    /** Every prefix the table has or may have now; one recomputed twice changes nothing the second time. */
    private void recomputeAll(Table table, List<Install> out) {
        for (long key : table.installed.keys()) {
            recompute(table, key, out);
        }
        for (long key : table.configured.keys()) {
            recompute(table, key, out);
        }
        for (Router r : table.bgpSources) {
            for (long key : r.learned.keys()) {
                recompute(table, key, out);
            }
        }
    }

    /** Brings the route of {@code key} in {@code table} up to date; adds the change, if any, to {@code out}. */
    private void recompute(Table table, long key, List<Install> out) {
        List<NextHop> want = select(table, key);
        List<NextHop> have = table.installed.get(key);
        int address = Ipv4Prefix.addressOf(key);
        int length = Ipv4Prefix.lengthOf(key);
        if (want == null) {
            if (have != null) {
                table.installed.remove(key);
                out.add(new TableRouteRemoval(table.number, address, length));
                advertise(table, key, null);
            }
            return;
        }
        if (want.equals(have)) {
            return;
        }
        table.installed.put(key, want);
        out.add(new TableRoute(table.number, address, length, want));
        advertise(table, key, want);
    }

    // ---- advertisements ----------------------------------------------------------------------------------------

    private void advertise(Table table, long key, List<NextHop> route) {
        for (Router r : table.advertisedTo) {
            boolean want = advertisable(r, route);
            boolean has = r.advertised.get(key) != PrefixMetrics.MISSING;
            if (want && !has) {
                r.advertised.put(key, 0);
                r.pending.put(key, 1);
            } else if (!want && has) {
                r.advertised.remove(key);
                r.pending.put(key, 0);
            }
        }
    }

    /** A route is advertised to a router unless it is a blackhole or goes through the router itself. */
    private static boolean advertisable(Router r, List<NextHop> route) {
        if (route == null || route.isEmpty()) {
            return false;
        }
        for (NextHop hop : route) {
            if (hop.vni() == r.vni) {
                return false;
            }
        }
        return true;
    }

    /** Sets what {@code r} advertises to its table's routes afresh, telling the peer the difference. */
    private void resyncAdvertisements(Router r) {
        PrefixMetrics want = new PrefixMetrics();
        if (r.associatedWith != null) {
            r.associatedWith.installed.forEach((key, route) -> {
                if (advertisable(r, route)) {
                    want.put(key, 0);
                }
            });
        }
        for (long key : r.advertised.keys()) {
            if (want.get(key) == PrefixMetrics.MISSING) {
                r.pending.put(key, 0);
            }
        }
        for (long key : want.keys()) {
            if (r.advertised.get(key) == PrefixMetrics.MISSING) {
                r.pending.put(key, 1);
            }
        }
        r.advertised = want;
    }

    private static boolean sameRouters(List<Router> a, List<Router> b) {
        return a.size() == b.size() && new HashSet<>(a).equals(new HashSet<>(b));
    }
}
