package io.isthmus.slowpath.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.GroupCounters;
import io.isthmus.control.SaCounters;
import io.isthmus.slowpath.control.ControlQueue;
import io.isthmus.slowpath.control.FastpathRegistry;
import io.isthmus.slowpath.control.PolicyDriver;
import io.isthmus.slowpath.control.RouteDistributor;
import io.isthmus.slowpath.control.SlowpathCounters;
import io.isthmus.slowpath.control.StatsCollector;
import io.isthmus.slowpath.policy.InvalidConfigException;

/** The slowpath's use cases behind its config endpoint: health, configuration, stats. */
public final class SlowpathService {

    private final FastpathRegistry registry;
    private final PolicyDriver policyDriver;
    private final StatsCollector statsCollector;
    private final SlowpathCounters counters;
    private final ControlQueue queue;
    private final Duration statsTimeout;
    private final Duration routeLiveTimeout;
    private final Clock clock;
    private final AtomicReference<JsonNode> config = new AtomicReference<>();

    /** Where the route tables of a configuration stand when its request is answered. */
    public record RouteLiveness(long version, boolean live) {
    }

    public SlowpathService(FastpathRegistry registry, PolicyDriver policyDriver, StatsCollector statsCollector,
            SlowpathCounters counters, ControlQueue queue, Duration statsTimeout, Clock clock) {
        this(registry, policyDriver, statsCollector, counters, queue, statsTimeout,
                Duration.ofSeconds(5), clock);
    }

    /**
     * A service whose configurations and restored snapshots are answered once their route tables are live in every
     * fastpath that takes route tables, or after {@code routeLiveTimeout}.
     */
    public SlowpathService(FastpathRegistry registry, PolicyDriver policyDriver, StatsCollector statsCollector,
            SlowpathCounters counters, ControlQueue queue, Duration statsTimeout, Duration routeLiveTimeout,
            Clock clock) {
        this.routeLiveTimeout = routeLiveTimeout;
        this.clock = clock;
        this.registry = registry;
        this.policyDriver = policyDriver;
        this.statsCollector = statsCollector;
        this.counters = counters;
        this.queue = queue;
        this.statsTimeout = statsTimeout;
    }

    public Health health() {
        return new Health("UP", registry.live().size());
    }

    /**
     * Applies a VNF configuration through the policy; kept for {@link #config()} once accepted. Returns once the route
     * tables as of this configuration are live in every fastpath that takes them, or the route live timeout passed.
     */
    public RouteLiveness configure(JsonNode newConfig) throws InvalidConfigException, InterruptedException {
        long version;
        synchronized (this) {
            version = policyDriver.configure(newConfig);
            config.set(newConfig.deepCopy());
        }
        return awaitRoutes(version);
    }

    private RouteLiveness awaitRoutes(long version) throws InterruptedException {
        boolean live = policyDriver.routeDistributor().awaitLive(version, routeLiveTimeout.toNanos());
        return new RouteLiveness(version, live);
    }

    /**
     * The VNF's snapshot now: its type, its configuration and its policy's state, taken together (no configuration can
     * come between them); empty before the first configuration.
     */
    public synchronized Optional<Snapshot> snapshot() {
        JsonNode current = config.get();
        if (current == null) {
            return Optional.empty();
        }
        return Optional.of(new Snapshot(policyDriver.vnfType(), current, policyDriver.snapshotState(),
                clock.instant()));
    }

    /**
     * Restores a snapshot in place of the running configuration and state, all or nothing; returns as
     * {@link #configure}.
     *
     * @throws InvalidConfigException if the snapshot is of another VNF type, or its policy refuses its configuration
     *         or state
     */
    public RouteLiveness restore(Snapshot snapshot) throws InvalidConfigException, InterruptedException {
        long version;
        synchronized (this) {
            if (!policyDriver.vnfType().equals(snapshot.vnfType())) {
                throw new InvalidConfigException("vnfType: the snapshot is of a " + snapshot.vnfType()
                        + " VNF, this slowpath runs " + policyDriver.vnfType());
            }
            version = policyDriver.restore(snapshot.config(), snapshot.state());
            config.set(snapshot.config().deepCopy());
        }
        return awaitRoutes(version);
    }

    /**
     * Forgets a fastpath now (scale in, or its replacement): it gets no rule from here on and no longer counts in
     * {@code /health}. Returns false if no live fastpath has that id. A fastpath that says HELLO again registers anew.
     */
    public boolean retire(int fastpathId) {
        if (!registry.retire(fastpathId)) {
            return false;
        }
        policyDriver.refresh();
        return true;
    }

    /** The last configuration accepted, if any. */
    public Optional<JsonNode> config() {
        return Optional.ofNullable(config.get());
    }

    /** Collects every fastpath's counters (bounded wait) with the slowpath's own. */
    public SlowpathStats stats() throws InterruptedException {
        List<StatsCollector.Collected> collected = statsCollector.collect(statsTimeout);
        Instant now = clock.instant();
        List<SlowpathStats.Fastpath> fastpaths = collected.stream().map(c -> {
            FastpathStats s = c.stats();
            return new SlowpathStats.Fastpath(c.id(), s.packets(), s.hits(), s.misses(), s.punts(), s.drops(),
                    s.errors(), s.bytes(), s.puntDrops(), s.flows(), s.installRejects(), s.reinjects(),
                    s.expiredFlows(),
                    s.ipv6(), s.ttlExceeded(), s.espErrors(), s.routes(), s.saInstalls(), s.malformedPackets(),
                    s.truncatedPackets(), s.badControlMessages(), s.routed(), s.noRoute(), s.blackholed(), c.stale(),
                    Math.max(0, Duration.between(c.lastPacketAt(), now).toMillis()));
        }).toList();
        return new SlowpathStats(counters.punts.get(), counters.installs.get(), counters.reinjects.get(),
                counters.policyDrops.get(), counters.unsupportedPunts.get(), counters.errors.get(),
                counters.puntQueueDrops.get(), counters.expiryQueueDrops.get(), queue.usedBytes(), queue.capacity(),
                counters.expiryReports.get(), counters.expiredFlows.get(), counters.removes.get(),
                policyDriver.trackedRules(), counters.saInstalls.get(), counters.routeInstalls.get(),
                counters.unsupportedInstalls.get(), counters.badControlMessages.get(), counters.learnedRules.get(),
                counters.transmits.get(),
                policyDriver.indicators(), namedCounterGroups(), securityAssociations(), fastpaths,
                healthChecks(now), routeTables());
    }

    private SlowpathStats.RouteTables routeTables() {
        RouteDistributor.Stats s = policyDriver.routeDistributor().stats();
        Map<String, SlowpathStats.RouteTableFastpath> byFastpath = new LinkedHashMap<>();
        s.fastpaths().forEach((id, f) -> byFastpath.put(Integer.toString(id),
                new SlowpathStats.RouteTableFastpath(f.version(), f.routes(), f.groups(), f.rejected())));
        return new SlowpathStats.RouteTables(s.version(), s.liveVersion(), s.routes(), s.groups(), s.bindings(),
                s.logBytes(), s.snapshotsSent(), s.resends(), byFastpath);
    }

    /**
     * The counters of the SAs installed now, by slot, each summed over the fastpaths for the SPI installed in it
     * ({@link FastpathRegistry#securityAssociationTotals}).
     */
    private Map<Integer, SlowpathStats.SaCounter> securityAssociations() {
        Map<Integer, SaCounters> totals = registry
                .securityAssociationTotals(policyDriver.installedSecurityAssociations());
        Map<Integer, SlowpathStats.SaCounter> bySlot = new LinkedHashMap<>();
        totals.forEach((slot, sa) -> bySlot.put(slot, new SlowpathStats.SaCounter(Integer.toUnsignedLong(sa.spi()),
                sa.packets(), sa.bytes(), sa.replays(), sa.authFailures(), sa.otherDrops())));
        return bySlot;
    }

    private List<SlowpathStats.HealthCheckStatus> healthChecks(Instant now) {
        return policyDriver.healthChecks().stream().map(s -> new SlowpathStats.HealthCheckStatus(s.id(),
                s.state().name().toLowerCase(Locale.ROOT),
                s.lastPassed() == null ? null : s.lastPassed() ? "pass" : "fail",
                s.lastError(), s.consecutive(), s.checks(),
                s.lastCheckAt() == null ? null : Math.max(0, Duration.between(s.lastCheckAt(), now).toMillis())))
                .toList();
    }

    /**
     * The counter groups the policy names now, by name, each summed over the fastpaths (never going down, see
     * {@link FastpathRegistry#counterGroupTotals()}); a group that counted nothing yet is there with zeros.
     */
    private Map<String, SlowpathStats.Counter> namedCounterGroups() {
        Map<Integer, GroupCounters> totals = registry.counterGroupTotals();
        Map<String, GroupCounters> byName = new TreeMap<>();
        policyDriver.counterGroups().forEach((group, name) -> byName.merge(name,
                totals.getOrDefault(group, GroupCounters.ZERO), GroupCounters::plus));
        Map<String, SlowpathStats.Counter> named = new LinkedHashMap<>();
        byName.forEach((name, sum) -> named.put(name, new SlowpathStats.Counter(sum.packets(), sum.bytes())));
        return named;
    }

    public String vnfType() {
        return policyDriver.vnfType();
    }
}
