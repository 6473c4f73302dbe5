package io.isthmus.slowpath.control;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.FlowTimeouts;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.PuntReason;
import io.isthmus.control.Route;
import io.isthmus.control.Rule;
import io.isthmus.control.SaCounters;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.control.message.BatchFlyweight;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.FlowDumpFlyweight;
import io.isthmus.control.message.FlowExpiredFlyweight;
import io.isthmus.control.message.FlowKeyFlyweight;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.InstallRouteFlyweight;
import io.isthmus.control.message.InstallSaFlyweight;
import io.isthmus.control.message.PuntFlyweight;
import io.isthmus.control.message.ReinjectFlyweight;
import io.isthmus.control.message.RemoveFlyweight;
import io.isthmus.control.message.RemoveSaFlyweight;
import io.isthmus.control.message.RouteBatchFlyweight;
import io.isthmus.control.message.StatsRequestFlyweight;
import io.isthmus.control.message.TimeoutsFlyweight;
import io.isthmus.control.message.TransmitFlyweight;
import io.isthmus.control.message.WelcomeFlyweight;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Expiry;
import io.isthmus.slowpath.policy.FlowRuleInstall;
import io.isthmus.slowpath.policy.Install;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.PolicyContext;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.RouteBatchInstall;
import io.isthmus.slowpath.policy.RouteInstall;
import io.isthmus.slowpath.policy.RouteWithdrawal;
import io.isthmus.slowpath.policy.SecurityAssociationInstall;
import io.isthmus.slowpath.policy.SecurityAssociationRemoval;
import io.isthmus.slowpath.policy.TableRoute;
import io.isthmus.slowpath.policy.TableRouteRemoval;
import io.isthmus.slowpath.policy.Transmit;
import io.isthmus.slowpath.policy.VnfPolicy;
import io.isthmus.slowpath.policy.VniBinding;

/**
 * The one place the VNF's policy is called: on the policy thread, a batch of queued PUNT and FLOW_EXPIRED messages at
 * a time, and on an HTTP thread for a new configuration, always under one lock.
 * <p>
 * A batch's decisions are sent when the batch ends: first its security associations (one INSTALL_SA each) and routes
 * (INSTALL_ROUTE, and ROUTE_BATCHes of as many as fit), to each fastpath that announced it takes them in its HELLO
 * (the others are counted in {@code unsupportedInstalls}, never sent); then its rules as few INSTALLs as fit (each
 * one unfragmented datagram), the same ones to every fastpath; then its re-injected packets, each to the fastpath
 * that punted it (as many to a datagram as fit, for a fastpath that takes REINJECT_BATCH). A fastpath gets the SAs,
 * routes and rules before its packet comes back (same socket pair, in order). A FLOW_EXPIRED flushes the batch
 * first, so a rule is never removed before an install decided earlier.
 * <p>
 * A new configuration or a restored snapshot is the policy's {@link Reconfiguration}: a reset removes every rule from
 * every fastpath; otherwise the rules it ends are removed, by key, and those it changed installed again, in every
 * fastpath, so established flows go on.
 * <p>
 * The policy's health checks ({@link VnfPolicy#healthChecks}) are asked for after each configuration or restored
 * snapshot and run by a {@link HealthProber}; their changes reach the policy on the policy thread, between two batches
 * ({@link VnfPolicy#onHealthChanged}), and its answer is applied as a configuration's.
 * <p>
 * The policy's timer ({@link VnfPolicy#nextTimerMillis}) is asked for after every call into the policy; once it is due,
 * the policy thread calls {@link VnfPolicy#onTimer} between two batches and applies its answer as a health change's.
 * The {@link PolicyWorker} waits no longer than the deadline ({@link #nanosUntilTimer}), and a deadline brought
 * forward by a call on another thread (a configuration) wakes it. A policy's packets that answer no punt (the
 * {@link Transmit}s of a {@link Reconfiguration}) are sent once, by the registered fastpath of the lowest id that
 * takes TRANSMIT.
 * <p>
 * While any SA is installed, the policy thread asks every fastpath that reports SA counters (HELLO flag ESP_EXTENDED)
 * for its counters every
 * {@link #SA_STATS_INTERVAL_MILLIS} (STATS_REQUEST), and on its refresh after answers came, hands the policy its SAs'
 * counters summed over the fastpaths ({@link VnfPolicy#onSecurityAssociationCounters}).
 * <p>
 * The fastpaths rules go to are this thread's copy of the registry, synced before each batch: a fastpath new to it
 * (started, restarted, or this slowpath restarted) is told to remove every rule first, so its table cannot disagree
 * with the policy's state, is sent again the SAs and routes this slowpath installed, and then re-learns rules from its
 * misses — unless the policy learns its state from rules ({@link VnfPolicy#learnsRules}, the NAT): then the fastpath
 * keeps its rules and is asked for them (FLOW_DUMP, once the policy is configured), and each rule the policy takes
 * back stays, so a slowpath that restarts breaks no established flow. Doing that here rather than on the control
 * thread keeps the REMOVE (or the request) ordered before the INSTALLs that follow it.
 * <p>
 * Route tables ({@link TableRoute}, {@link TableRouteRemoval}, {@link VniBinding}) go another way: each decision or
 * reconfiguration that changes them is the next versions of the slowpath's {@link RouteTables} (one per ROUTE_UPDATE
 * delta of at most 1,472 bytes, kept in a bounded log), and a {@link RouteDistributor} sends each fastpath that takes
 * them (ROUTE_TABLES) what it lacks, paced by its ROUTE_ACKs, from this thread: at the end of each batch and whenever
 * an ack came or a resend is due. Changes a policy submits from its own threads ({@link PolicyContext#submit}) are
 * applied here too, between two batches, as a health change's answer.
 */
public final class PolicyDriver implements ControlQueue.Handler {

    private static final System.Logger LOG = System.getLogger(PolicyDriver.class.getName());

    /** Messages per batch: bounds the rules and re-injects held back until the batch is flushed. */
    public static final int BATCH = 64;
    /** While SAs are installed, every fastpath is asked for its counters this often, for the policy. */
    static final long SA_STATS_INTERVAL_MILLIS = 1_000;
    /** How long a timer whose {@link VnfPolicy#onTimer} threw waits before it is called again. */
    static final long TIMER_RETRY_MILLIS = 100;
    /** INSTALLs and REMOVEs the slowpath builds stay within one unfragmented datagram on a 1500-byte MTU. */
    static final int MAX_MESSAGE_BYTES = ControlProtocol.MAX_BATCH_BYTES;
    private static final int KEYS_PER_REMOVE = (MAX_MESSAGE_BYTES - RemoveFlyweight.KEYS_OFFSET)
            / FlowKeyFlyweight.KEY_LENGTH;

    /**
     * A fastpath (or fastpath worker: each registers on its own) as this thread knows it: its control endpoint and its
     * bit in the {@link FlowLedger}'s masks (0 for a sender that is not registered).
     */
    private record Target(int id, InetSocketAddress control, int address, int port, long bit, int helloFlags) {
        static Target of(RegisteredFastpath fastpath, long bit) {
            InetSocketAddress control = fastpath.controlAddress();
            return new Target(fastpath.id(), control, Ipv4Addresses.of(control.getAddress()), control.getPort(), bit,
                    fastpath.helloFlags());
        }

        boolean batches() {
            return takes(HelloFlyweight.REINJECT_BATCH);
        }

        /** Whether its HELLO had every flag of {@code helloFlags} (0: none asked, so yes). */
        boolean takes(int helloFlag) {
            return (helloFlags & helloFlag) == helloFlag;
        }
    }

    private final VnfPolicy policy;
    private final FastpathRegistry registry;
    private final ControlSender sender;
    private final SlowpathCounters counters;
    private final HealthProber health;
    private final Clock clock;
    private final FlowLedger ledger = new FlowLedger();
    private final Object lock = new Object();
    private final ByteBuffer out = ByteBuffer.allocateDirect(ControlProtocol.MAX_MESSAGE_LENGTH);
    private final FlowKeyFlyweight.KeyVisitor onExpiredKey = this::onExpiredKey;

    private Target[] targets = {};
    private long liveMask;
    /** The bits of the live fastpaths that take routes (INSTALL_ROUTE), and so rules with ROUTE_LOOKUP. */
    private long routingMask;
    private long seenChanges = -1;
    private int sequence;

    private final List<Rule> pendingRules = new ArrayList<>();
    /** Rules with a ROUTE_LOOKUP: only for fastpaths that take INSTALL_ROUTE. */
    private final List<Rule> pendingRoutedRules = new ArrayList<>();
    /** Route-table changes were made since the last flush: the open delta is closed at the next. */
    private boolean routeChangeOpen;
    /** The batch's SA and route installs and removals, in the decisions' order. */
    private final List<Install> pendingTableInstalls = new ArrayList<>();
    /** The SAs installed so far, by index: sent again to a fastpath that (re)registers. */
    private final Map<Integer, SecurityAssociation> installedSas = new LinkedHashMap<>();
    /** Whether {@link #installedSas} changed since {@link #installedSpis} was taken. */
    private boolean sasChanged;
    /** The SPI of each SA installed, by slot, as of the last flush (any thread). */
    private volatile Map<Integer, Integer> installedSpis = Map.of();
    private long seenSaCounterChanges;
    private long nextSaStatsRequest = Long.MIN_VALUE;
    /** The routes installed so far, by prefix and length: sent again to a fastpath that (re)registers. */
    private final Map<Long, Route> installedRoutes = new LinkedHashMap<>();
    private final List<Target> unregistered = new ArrayList<>();
    private final List<FlowKey> pendingRemoves = new ArrayList<>();
    /** Fastpaths that registered before the first configuration, whose rules are learned once it comes. */
    private final List<Target> awaitingConfiguration = new ArrayList<>();
    private boolean configured;
    /** The batch's packets to transmit, each by the fastpath at the same index of {@link #transmitTargets}. */
    private final List<Transmit> pendingTransmits = new ArrayList<>();
    private final List<Target> transmitTargets = new ArrayList<>();
    private ByteBuffer reinjectSource;
    private final int[] reinjectOffsets = new int[BATCH];
    private final int[] reinjectLengths = new int[BATCH];
    private final Target[] reinjectTargets = new Target[BATCH];
    private int reinjectCount;
    private long expiringFastpath;
    private boolean loggedPolicyError;
    private volatile int trackedRules;
    private volatile Map<String, Object> indicators = Map.of();
    private volatile Map<Integer, String> counterGroups = Map.of();
    /** When {@link VnfPolicy#onTimer} is next due (epoch millis), {@link Long#MAX_VALUE} for never. */
    private volatile long timerAt = Long.MAX_VALUE;
    /** After an {@link VnfPolicy#onTimer} that threw: no call before this (epoch millis). */
    private long timerRetryAt = Long.MIN_VALUE;
    private volatile Runnable wake = () -> {
    };
    private final RouteTables routeTables;
    private final RouteDistributor routeDistributor;
    /** Changes the policy submitted from its own threads, applied on the policy thread. */
    private final Queue<Submission> submissions = new ConcurrentLinkedQueue<>();
    private final PolicyContext context = new Context();

    /** A change a policy submitted ({@link PolicyContext#submit}). */
    private record Submission(String reason, Function<VnfPolicy, Reconfiguration> change) {
    }

    /** A driver whose policy's health checks, if it has any, run on a prober of its own that nothing stops. */
    public PolicyDriver(VnfPolicy policy, FastpathRegistry registry, ControlSender sender,
            SlowpathCounters counters) {
        this(policy, registry, sender, counters, new HealthProber(Clock.systemUTC()));
    }

    public PolicyDriver(VnfPolicy policy, FastpathRegistry registry, ControlSender sender, SlowpathCounters counters,
            HealthProber health) {
        this(policy, registry, sender, counters, health, Clock.systemUTC());
    }

    /** A driver whose policy's timers ({@link VnfPolicy#nextTimerMillis}) are read against {@code clock}. */
    public PolicyDriver(VnfPolicy policy, FastpathRegistry registry, ControlSender sender, SlowpathCounters counters,
            HealthProber health, Clock clock) {
        this(policy, registry, sender, counters, health, clock, RouteDistributor.DEFAULT_LOG_BYTES,
                RouteDistributor.DEFAULT_WINDOW);
    }

    /**
     * A driver whose route-table deltas are kept up to {@code routeLogBytes} for fastpaths that fall behind, and sent
     * with at most {@code routeWindow} messages in flight to each fastpath.
     */
    public PolicyDriver(VnfPolicy policy, FastpathRegistry registry, ControlSender sender, SlowpathCounters counters,
            HealthProber health, Clock clock, long routeLogBytes, int routeWindow) {
        this.routeTables = new RouteTables(routeLogBytes);
        this.routeDistributor = new RouteDistributor(routeTables, sender, routeWindow);
        this.policy = policy;
        this.registry = registry;
        this.sender = sender;
        this.counters = counters;
        this.health = health;
        this.clock = clock;
    }

    /**
     * Called when a call on another thread (a configuration) brings the policy's timer forward: wakes the policy
     * thread, which may be waiting for the later deadline (set once, before the policy thread starts).
     */
    public void wakeWith(Runnable wake) {
        this.wake = wake;
    }

    public String vnfType() {
        return policy.vnfType();
    }

    /**
     * Decides up to {@code limit} (at most {@link #BATCH}) queued messages and sends what they decided, then tells the
     * policy of the health checks that changed since and applies its answers, then calls its timer if it is due.
     */
    public int drain(ControlQueue queue, int limit) {
        synchronized (lock) {
            syncLocked(false);
            int work = queue.drain(this, Math.min(limit, BATCH)) + health.deliver(this::onHealthChangedLocked)
                    + applySubmissionsLocked();
            if (work > 0) {
                askTimerLocked();
            }
            long nanos = System.nanoTime();
            if (routeDistributor.hasWork(nanos)) {
                work += routeDistributor.pump(nanos);
            }
            long at = timerAt;
            if (at != Long.MAX_VALUE) {
                long now = clock.millis();
                if (now >= at) {
                    onTimerLocked(now);
                    work++;
                }
            }
            return work;
        }
    }

    /**
     * How long until the policy's timer is due, in nanoseconds: 0 if it is, {@link Long#MAX_VALUE} if it has none (any
     * thread; the policy thread waits no longer).
     */
    long nanosUntilTimer() {
        long at = timerAt;
        if (at == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long millis = at - clock.millis();
        if (millis <= 0) {
            return 0;
        }
        return millis >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : millis * 1_000_000;
    }

    /** The policy's timer is due: its answer is applied as a health change's. */
    private void onTimerLocked(long now) {
        Reconfiguration reconfiguration;
        try {
            reconfiguration = policy.onTimer(now);
        } catch (RuntimeException e) {
            counters.errors.incrementAndGet();
            logOnce("policy " + policy.vnfType() + " failed on its timer", e);
            // not again at once: a timer that keeps failing must not keep the policy thread busy
            timerRetryAt = now + TIMER_RETRY_MILLIS;
            askTimerLocked();
            return;
        }
        timerRetryAt = Long.MIN_VALUE;
        askTimerLocked();
        if (reconfiguration != null) {
            applyLocked(reconfiguration);
        }
    }

    /**
     * Asks the policy when it next wants {@link VnfPolicy#onTimer} (after every call into it, under the lock); wakes
     * the policy thread if that is sooner than it was.
     */
    private void askTimerLocked() {
        long next;
        try {
            next = policy.nextTimerMillis();
        } catch (RuntimeException e) {
            counters.errors.incrementAndGet();
            logOnce("policy " + policy.vnfType() + " failed to say when its timer is due", e);
            next = Long.MAX_VALUE;
        }
        long at = Math.max(next, timerRetryAt);
        long before = timerAt;
        timerAt = at;
        if (at < before) {
            wake.run();
        }
    }

    /**
     * Re-reads the registry even if nothing registered, so fastpaths that fell silent stop getting rules, and takes a
     * new snapshot of the policy's indicators and counter group names (every 100 ms on the policy thread).
     */
    public void refresh() {
        synchronized (lock) {
            syncLocked(true);
            snapshotIndicators();
            askTimerLocked();
        }
    }

    /**
     * The policy thread's refresh (every 100 ms): {@link #refresh}, and while SAs are installed, asks the fastpaths for
     * their counters (every {@link #SA_STATS_INTERVAL_MILLIS}) and hands the policy the SAs' counters if any came since
     * the last time.
     */
    void refreshOnPolicyThread() {
        synchronized (lock) {
            syncLocked(true);
            snapshotIndicators();
            if (!installedSas.isEmpty()) {
                long now = clock.millis();
                if (now >= nextSaStatsRequest) {
                    nextSaStatsRequest = now + SA_STATS_INTERVAL_MILLIS;
                    for (Target target : targets) {
                        // only a fastpath with the extended SAs reports their counters; answered to the control
                        // thread, which records them in the registry
                        if (target.takes(HelloFlyweight.ESP_EXTENDED)) {
                            sendTo(target, StatsRequestFlyweight.encode(out, 0, target.id(), ++sequence));
                        }
                    }
                }
                long changes = registry.securityAssociationChanges();
                if (changes != seenSaCounterChanges) {
                    seenSaCounterChanges = changes;
                    deliverSaCountersLocked();
                }
            }
            askTimerLocked();
        }
    }

    /** The SAs' counters summed over the fastpaths, to the policy. */
    private void deliverSaCountersLocked() {
        Map<Integer, SaCounters> totals = registry.securityAssociationTotals(installedSpis);
        try {
            policy.onSecurityAssociationCounters(totals);
        } catch (RuntimeException e) {
            counters.errors.incrementAndGet();
            logOnce("policy " + policy.vnfType() + " failed on its SAs' counters", e);
        }
    }

    /**
     * The SPI of each SA the policy installed and has not removed, by SA table slot, as of the last batch (any
     * thread): the SAs {@code GET /stats} shows the counters of.
     */
    public Map<Integer, Integer> installedSecurityAssociations() {
        return installedSpis;
    }

    /** Whether a fastpath registered or expired since the last sync. */
    boolean registryChanged() {
        return registry.changes() != seenChanges;
    }

    /** Whether a health check changed and the policy has not been told yet. */
    boolean healthChanged() {
        return health.hasChanges();
    }

    /** The policy's health checks and their state now (any thread). */
    public List<HealthProber.Status> healthChecks() {
        return health.statuses();
    }

    /** What the policy answers: a new configuration, or a restored snapshot. */
    @FunctionalInterface
    private interface Change {
        Reconfiguration apply() throws InvalidConfigException;
    }

    /**
     * Applies a configuration ({@link VnfPolicy#reconfigure}): the rules of the flows it ended are removed from every
     * fastpath and those it changed installed again, or, if the policy resets, every rule is removed.
     */
    public long configure(JsonNode config) throws InvalidConfigException {
        return change(() -> policy.reconfigure(config));
    }

    /**
     * Restores a snapshot's configuration and state ({@link VnfPolicy#restore}) and brings every fastpath's rules to
     * the restored state's. Returns the route-table version after it.
     */
    public long restore(JsonNode config, JsonNode state) throws InvalidConfigException {
        return change(() -> policy.restore(config, state));
    }

    /** The policy's state now ({@link VnfPolicy#snapshotState}), taken between two decisions (any thread). */
    public JsonNode snapshotState() {
        synchronized (lock) {
            try {
                return policy.snapshotState();
            } finally {
                askTimerLocked();
            }
        }
    }

    private long change(Change change) throws InvalidConfigException {
        synchronized (lock) {
            syncLocked(false);
            Reconfiguration reconfiguration;
            try {
                reconfiguration = change.apply();
            } finally {
                askTimerLocked();
            }
            configured = true;
            snapshotIndicators();
            for (Target target : targets) {
                sendTimeouts(target);
            }
            applyLocked(reconfiguration);
            if (!reconfiguration.reset()) {
                // fastpaths that registered before the first configuration kept their rules: learn them now
                for (Target target : awaitingConfiguration) {
                    if (isRegistered(target)) {
                        sendTo(target, FlowDumpFlyweight.encodeRequest(out, 0, target.id(), ++sequence));
                    }
                }
            }
            awaitingConfiguration.clear();
            updateHealthChecksLocked();
            return routeTables.version();
        }
    }

    /** Runs the checks the policy wants now; a list the policy fails to give, or gives wrong, leaves the previous. */
    private void updateHealthChecksLocked() {
        try {
            health.update(policy.healthChecks());
        } catch (RuntimeException e) {
            counters.errors.incrementAndGet();
            logOnce("policy " + policy.vnfType() + " failed to give its health checks", e);
        }
    }

    /** A health check changed: the policy's answer is applied as a configuration's. */
    private void onHealthChangedLocked(String checkId, boolean healthy) {
        Reconfiguration reconfiguration;
        try {
            reconfiguration = policy.onHealthChanged(checkId, healthy);
        } catch (RuntimeException e) {
            counters.errors.incrementAndGet();
            logOnce("policy " + policy.vnfType() + " failed on health check " + checkId, e);
            return;
        }
        applyLocked(reconfiguration);
    }

    /**
     * A reconfiguration to every fastpath: a reset as a REMOVE of all rules (then the SAs and routes installed, again);
     * otherwise its removes, then its installs, as a batch's. A rule installed again is removed by key first: INSTALLs
     * go unacknowledged, and a fastpath that misses one then misses the flow (and gets the new rule from the policy)
     * instead of keeping the old rule, towards an old next hop, until it is idle.
     */
    private void applyLocked(Reconfiguration reconfiguration) {
        applyLocked(reconfiguration, true);
    }

    /** Applies a reconfiguration; sends what it installs at once ({@code flushNow}) or with the batch's end. */
    private void applyLocked(Reconfiguration reconfiguration, boolean flushNow) {
        if (reconfiguration.reset()) {
            long now = System.nanoTime();
            for (Target target : targets) {
                sendRemoveAll(target);
                sendInstalled(target);
                if (target.takes(HelloFlyweight.ROUTE_TABLES)) {
                    routeDistributor.emptied(target.id(), now);
                }
            }
            routeDistributor.pump(now);
            ledger.clear();
            trackedRules = 0;
            return;
        }
        List<FlowKey> removes = reconfiguration.removes();
        if (!removes.isEmpty()) {
            for (FlowKey key : removes) {
                ledger.remove(key.high(), key.low());
            }
            sendRemoves(removes);
            counters.removes.addAndGet(removes.size());
        }
        List<FlowKey> replaced = new ArrayList<>();
        for (Install install : reconfiguration.installs()) {
            if (install instanceof FlowRuleInstall(Rule rule)) {
                replaced.add(rule.key());
            }
        }
        sendRemoves(replaced);
        int rules = collectInstalls(reconfiguration.installs(), null);
        counters.installs.addAndGet(rules);
        if (flushNow) {
            flush();
        }
    }

    /**
     * The policy's indicators as of the policy thread's last refresh ({@link #refresh}, a configuration): a snapshot,
     * so a stats request never waits for a policy that is busy (any thread).
     */
    public Map<String, Object> indicators() {
        return indicators;
    }

    /**
     * The names the policy gives its counter groups ({@link VnfPolicy#counterGroups}), as of the same snapshot as
     * {@link #indicators()} (any thread).
     */
    public Map<Integer, String> counterGroups() {
        return counterGroups;
    }

    /** Snapshots the policy's indicators and counter group names (under the lock). */
    private void snapshotIndicators() {
        try {
            indicators = Map.copyOf(policy.indicators());
            counterGroups = Map.copyOf(policy.counterGroups());
        } catch (RuntimeException e) {
            counters.errors.incrementAndGet();
            logOnce("policy " + policy.vnfType() + " failed to give its indicators or counter groups", e);
        }
    }

    /** Rules this slowpath believes installed in some fastpath, as of the last batch (any thread). */
    public int trackedRules() {
        return trackedRules;
    }

    // ---------------------------------------------------------------- route tables and submitted changes

    /** The route tables' distribution: acks come in through it (control thread), and its stats and live version. */
    public RouteDistributor routeDistributor() {
        return routeDistributor;
    }

    /** What the policy is offered ({@link VnfPolicy#attach}). */
    public PolicyContext context() {
        return context;
    }

    /** Gives the policy its context: once, before the first configuration. */
    public void attachPolicy() {
        policy.attach(context);
    }

    /** The slowpath stops: the policy stops what it started ({@link VnfPolicy#close}); what it throws is counted. */
    public void closePolicy() {
        try {
            policy.close();
        } catch (RuntimeException e) {
            counters.errors.incrementAndGet();
            logOnce("policy " + policy.vnfType() + " failed to close", e);
        }
    }

    /** Whether the policy submitted a change not applied yet, or the route distributor has work (any thread). */
    boolean hasRouteOrSubmittedWork() {
        return !submissions.isEmpty() || routeDistributor.hasWork(System.nanoTime());
    }

    /** Nanoseconds until a route-table resend is due ({@link Long#MAX_VALUE}: none). */
    long nanosUntilRouteResend() {
        return routeDistributor.nanosUntilResend(System.nanoTime());
    }

    /** Applies the changes submitted so far (at most a batch's worth), each as a health change's answer. */
    private int applySubmissionsLocked() {
        int applied = 0;
        Submission submission;
        while (applied < BATCH && (submission = submissions.poll()) != null) {
            applied++;
            Reconfiguration reconfiguration;
            try {
                reconfiguration = submission.change().apply(policy);
            } catch (RuntimeException e) {
                counters.errors.incrementAndGet();
                logOnce("policy " + policy.vnfType() + " failed on a change it submitted (" + submission.reason()
                        + ")", e);
                continue;
            }
            if (reconfiguration != null) {
                applyLocked(reconfiguration, false);
            }
        }
        if (applied > 0) {
            // the batch's route-table changes go out together, as few deltas as they fit in
            flush();
        }
        return applied;
    }

    /** The policy's {@link PolicyContext}. */
    private final class Context implements PolicyContext {

        @Override
        public void submit(String reason, Function<VnfPolicy, Reconfiguration> change) {
            submissions.add(new Submission(reason, change));
            wake.run();
        }

        @Override
        public long liveRouteVersion() {
            return routeDistributor.liveVersion();
        }

        @Override
        public long routeVersion() {
            // on the policy thread (a submitted change), the changes applied so far count, sent or not
            return Thread.holdsLock(lock) ? routeTables.pendingVersion() : routeTables.publishedVersion();
        }
    }

    // ---------------------------------------------------------------- one batch

    @Override
    public void onMessage(ByteBuffer buffer, int offset, int length, int senderAddress, int senderPort) {
        try {
            switch (ControlProtocol.type(buffer, offset)) {
                case ControlProtocol.PUNT -> onPunt(buffer, offset, length, senderAddress, senderPort);
                case ControlProtocol.FLOW_EXPIRED -> onFlowExpired(buffer, offset, length, senderAddress, senderPort);
                case ControlProtocol.FLOW_DUMP -> onFlowDump(buffer, offset, length, senderAddress, senderPort);
                default -> counters.badControlMessage();
            }
        } catch (RuntimeException e) {
            counters.errors.incrementAndGet();
            logOnce("control message failed", e);
        }
    }

    @Override
    public void onBatchEnd() {
        flush();
    }

    private void onPunt(ByteBuffer buffer, int offset, int length, int senderAddress, int senderPort) {
        if (!PuntFlyweight.isValid(buffer, offset, length)) {
            counters.badControlMessage();
            return;
        }
        int reason = PuntFlyweight.reason(buffer, offset);
        if (reason != PuntReason.MISS && reason != PuntReason.ICMP_ERROR && reason != PuntReason.TTL_EXCEEDED
                && reason != PuntReason.NON_ESP && reason != PuntReason.NO_ROUTE) {
            counters.unsupportedPunts.incrementAndGet();
            return;
        }
        int fastpathId = ControlProtocol.fastpathId(buffer, offset);
        FlowKey key = PuntFlyweight.key(buffer, offset);
        int packetOffset = offset + PuntFlyweight.PACKET_OFFSET;
        int packetLength = PuntFlyweight.packetLength(buffer, offset);
        Decision decision;
        try {
            Miss miss = new Miss(fastpathId, key, buffer.slice(packetOffset, packetLength).asReadOnlyBuffer(),
                    reason);
            decision = reason == PuntReason.TTL_EXCEEDED ? policy.onTtlExceeded(miss) : policy.onMiss(miss);
        } catch (RuntimeException e) {
            counters.errors.incrementAndGet();
            logOnce("policy " + policy.vnfType() + " failed on " + key, e);
            return;
        }
        if (decision.isDrop()) {
            counters.policyDrops.incrementAndGet();
            return;
        }
        if (reinjectCount == BATCH) {
            flush();
        }
        Target from = sender(fastpathId, senderAddress, senderPort);
        // one pass over the installs, no list of its rules made: this runs once per new flow
        int rules = collectInstalls(decision.installs(), from);
        if (rules > 0) {
            counters.installs.addAndGet(rules);
        }
        if (decision.reinject()) {
            reinjectSource = buffer;
            reinjectOffsets[reinjectCount] = packetOffset;
            reinjectLengths[reinjectCount] = packetLength;
            reinjectTargets[reinjectCount] = from;
            reinjectCount++;
        }
    }

    /**
     * Queues a decision's installs for {@link #flush()} in one pass: flow rules for every live fastpath (and the one
     * that punted, registered or not), SA and route installs and removals with what is installed now kept to send a
     * fastpath that registers later, packets to transmit by the fastpath that punted or, for installs no punt asked
     * for, by the registered one of the lowest id that takes TRANSMIT (none: counted in {@code unsupportedInstalls}).
     * Returns how many flow rules it queued. {@code from} is the fastpath that punted, or null for installs no punt
     * asked for (a reconfiguration, a health change, a timer).
     */
    private int collectInstalls(List<Install> installs, Target from) {
        int rules = 0;
        boolean routeTablesChanged = false;
        for (int i = 0; i < installs.size(); i++) {
            Install install = installs.get(i);
            switch (install) {
                case FlowRuleInstall(Rule rule) -> {
                    if (rules++ == 0 && from != null && !isRegistered(from) && !unregistered.contains(from)) {
                        // a fastpath not registered (yet): still give it the rules its packet needs
                        unregistered.add(from);
                    }
                    queueRule(rule);
                    continue;
                }
                case SecurityAssociationInstall sa -> {
                    installedSas.put(sa.securityAssociation().index(), sa.securityAssociation());
                    sasChanged = true;
                    counters.saInstalls.incrementAndGet();
                }
                case SecurityAssociationRemoval removal -> {
                    installedSas.remove(removal.index());
                    sasChanged = true;
                }
                case RouteInstall route -> {
                    installedRoutes.put(routeKey(route.route().prefix(), route.route().prefixLength()),
                            route.route());
                    counters.routeInstalls.incrementAndGet();
                }
                case RouteBatchInstall batch -> {
                    for (Route route : batch.routes()) {
                        installedRoutes.put(routeKey(route.prefix(), route.prefixLength()), route);
                    }
                    counters.routeInstalls.addAndGet(batch.routes().size());
                }
                case RouteWithdrawal withdrawal -> installedRoutes
                        .remove(routeKey(withdrawal.prefix(), withdrawal.prefixLength()));
                case TableRoute route -> {
                    routeTables.apply(route);
                    routeTablesChanged = true;
                    continue;
                }
                case TableRouteRemoval removal -> {
                    routeTables.apply(removal);
                    routeTablesChanged = true;
                    continue;
                }
                case VniBinding binding -> {
                    routeTables.apply(binding);
                    routeTablesChanged = true;
                    continue;
                }
                case Transmit transmit -> {
                    // only the fastpath that punted sends it (or, answering no punt, the first that can), after
                    // the batch's rules and re-injected packets
                    Target by = from != null ? from : transmitter();
                    if (by == null) {
                        counters.unsupportedInstalls.incrementAndGet();
                    } else {
                        pendingTransmits.add(transmit);
                        transmitTargets.add(by);
                    }
                    continue;
                }
            }
            pendingTableInstalls.add(install);
        }
        if (routeTablesChanged) {
            // the decision's changes join the open delta: it is closed as the next version at the batch's end
            // (flush), so the changes of a batch — misses, submitted changes — share their messages and versions
            routeChangeOpen = true;
        }
        return rules;
    }

    /** The registered fastpath of the lowest id that takes TRANSMIT, or null if none does. */
    private Target transmitter() {
        Target lowest = null;
        for (Target target : targets) {
            if (target.takes(HelloFlyweight.TRANSMIT) && (lowest == null || target.id() < lowest.id())) {
                lowest = target;
            }
        }
        return lowest;
    }

    /** A flow rule for every live fastpath (those that take routes, if it looks routes up), in the ledger too. */
    private void queueRule(Rule rule) {
        FlowKey ruleKey = rule.key();
        if (looksUpRoutes(rule)) {
            pendingRoutedRules.add(rule);
            if (routingMask != 0) {
                ledger.installed(ruleKey.high(), ruleKey.low(), liveMask & routingMask);
            }
        } else {
            pendingRules.add(rule);
            ledger.installed(ruleKey.high(), ruleKey.low(), liveMask);
        }
    }

    private static long routeKey(int prefix, int prefixLength) {
        return ((long) prefix << 8) | prefixLength;
    }

    private void onFlowExpired(ByteBuffer buffer, int offset, int length, int senderAddress, int senderPort) {
        flush();
        Target from = sender(ControlProtocol.fastpathId(buffer, offset), senderAddress, senderPort);
        if (!isRegistered(from)) {
            // from a fastpath since replaced (or not yet known): the rules it names are not the ones we track
            return;
        }
        expiringFastpath = from.bit();
        if (FlowExpiredFlyweight.decode(buffer, offset, length, onExpiredKey) < 0) {
            counters.badControlMessage();
        }
        if (!pendingRemoves.isEmpty()) {
            sendRemoves(pendingRemoves);
            counters.removes.addAndGet(pendingRemoves.size());
            pendingRemoves.clear();
        }
        trackedRules = ledger.size();
    }

    private void onExpiredKey(long high, long low) {
        counters.expiryReports.incrementAndGet();
        if (!ledger.reported(high, low, expiringFastpath, liveMask)) {
            return;
        }
        counters.expiredFlows.incrementAndGet();
        Expiry expiry;
        try {
            expiry = policy.onFlowExpired(FlowKey.unpack(high, low));
        } catch (RuntimeException e) {
            counters.errors.incrementAndGet();
            logOnce("policy " + policy.vnfType() + " failed on the expiry of " + FlowKey.unpack(high, low), e);
            return;
        }
        for (FlowKey key : expiry.remove()) {
            ledger.remove(key.high(), key.low());
            pendingRemoves.add(key);
        }
    }

    /** Sends the batch's rules to every fastpath, then its packets back to the fastpaths that punted them. */
    private void flush() {
        if (routeChangeOpen) {
            routeChangeOpen = false;
            routeTables.endChange();
        }
        if (sasChanged) {
            sasChanged = false;
            Map<Integer, Integer> spis = new LinkedHashMap<>();
            installedSas.forEach((slot, sa) -> spis.put(slot, sa.spi()));
            installedSpis = Collections.unmodifiableMap(spis);
        }
        if (!pendingTableInstalls.isEmpty()) {
            for (Target target : targets) {
                sendTableInstalls(target, pendingTableInstalls);
            }
            for (int i = 0; i < unregistered.size(); i++) {
                sendTableInstalls(unregistered.get(i), pendingTableInstalls);
            }
            pendingTableInstalls.clear();
        }
        long nanos = System.nanoTime();
        if (routeDistributor.hasWork(nanos)) {
            routeDistributor.pump(nanos);
        }
        if (!pendingRules.isEmpty() || !pendingRoutedRules.isEmpty()) {
            sendInstalls(pendingRules, 0);
            sendInstalls(pendingRoutedRules, HelloFlyweight.INSTALL_ROUTE);
            pendingRules.clear();
            pendingRoutedRules.clear();
            unregistered.clear();
        }
        sendReinjects();
        sendTransmits();
        counters.reinjects.addAndGet(reinjectCount);
        reinjectCount = 0;
        reinjectSource = null;
        trackedRules = ledger.size();
    }

    /**
     * Sends the batch's packets back, in order per fastpath: to one that takes REINJECT_BATCH as many to a datagram as
     * fit in {@link #MAX_MESSAGE_BYTES}, to others (and a packet too big to share a datagram) one REINJECT each.
     */
    private void sendReinjects() {
        for (int i = 0; i < reinjectCount; i++) {
            Target target = reinjectTargets[i];
            if (target == null) {
                continue; // already sent with an earlier one of its fastpath
            }
            if (!target.batches() || tooBigToShare(i)) {
                int length = ReinjectFlyweight.encode(out, 0, target.id(), ++sequence, reinjectSource,
                        reinjectOffsets[i], reinjectLengths[i]);
                sender.send(out, 0, length, target.control());
                reinjectTargets[i] = null;
                continue;
            }
            int length = BatchFlyweight.encode(out, 0, ControlProtocol.REINJECT_BATCH, target.id(), ++sequence);
            for (int j = i; j < reinjectCount; j++) {
                if (reinjectTargets[j] != target || tooBigToShare(j)) {
                    continue;
                }
                if (length + BatchFlyweight.entryLength(reinjectLengths[j]) > MAX_MESSAGE_BYTES) {
                    sender.send(out, 0, length, target.control());
                    length = BatchFlyweight.encode(out, 0, ControlProtocol.REINJECT_BATCH, target.id(),
                            ++sequence);
                }
                length = BatchFlyweight.append(out, 0, length, reinjectSource, reinjectOffsets[j],
                        reinjectLengths[j]);
                reinjectTargets[j] = null;
            }
            sender.send(out, 0, length, target.control());
        }
    }

    /**
     * Sends the batch's packets made by the policy (TRANSMIT), each by the fastpath that punted what it answers (or the
     * one {@link #collectInstalls} chose).
     */
    private void sendTransmits() {
        for (int i = 0; i < pendingTransmits.size(); i++) {
            Target target = transmitTargets.get(i);
            if (!target.takes(HelloFlyweight.TRANSMIT)) {
                counters.unsupportedInstalls.incrementAndGet();
                continue;
            }
            Transmit transmit = pendingTransmits.get(i);
            sendTo(target, TransmitFlyweight.encode(out, 0, target.id(), ++sequence, transmit.nextHopAddress(),
                    transmit.nextHopPort(), transmit.packet()));
            counters.transmits.incrementAndGet();
        }
        pendingTransmits.clear();
        transmitTargets.clear();
    }

    /** Whether re-injected packet {@code i} is too big to share a datagram: it goes in a REINJECT of its own. */
    private boolean tooBigToShare(int i) {
        return BatchFlyweight.ENTRIES_OFFSET
                + BatchFlyweight.entryLength(reinjectLengths[i]) > MAX_MESSAGE_BYTES;
    }

    /**
     * Sends {@code target}, in order, the SA and route installs and removals it announced it takes; counts each one it
     * did not announce in {@code unsupportedInstalls}. An SA that needs the extended INSTALL_SA (ESN, a replay window,
     * ESP in UDP, a byte limit) goes only to a fastpath that announced ESP_EXTENDED: an older one would run it without
     * them. A fastpath that takes INSTALL_ROUTE but not ROUTE_BATCH gets a batch's routes one by one.
     */
    private void sendTableInstalls(Target target, List<Install> installs) {
        boolean sas = target.takes(HelloFlyweight.INSTALL_SA);
        boolean extendedSas = target.takes(HelloFlyweight.ESP_EXTENDED);
        boolean routes = target.takes(HelloFlyweight.INSTALL_ROUTE);
        boolean routeBatches = target.takes(HelloFlyweight.ROUTE_BATCH);
        for (int i = 0; i < installs.size(); i++) {
            switch (installs.get(i)) {
                case SecurityAssociationInstall(SecurityAssociation sa) when sas
                        && (extendedSas || !sa.needsExtendedInstall()) ->
                    sendTo(target,
                            InstallSaFlyweight.encode(out, 0, target.id(), ++sequence, sa,
                                    sa.needsExtendedInstall()));
                case SecurityAssociationRemoval sa when sas -> sendTo(target,
                        RemoveSaFlyweight.encode(out, 0, target.id(), ++sequence, sa.index()));
                case RouteInstall route when routes -> sendTo(target,
                        InstallRouteFlyweight.encode(out, 0, target.id(), ++sequence, route.route()));
                case RouteWithdrawal route when routes -> sendTo(target, InstallRouteFlyweight.encodeWithdraw(out, 0,
                        target.id(), ++sequence, route.prefix(), route.prefixLength()));
                case RouteBatchInstall batch when routeBatches -> sendRouteBatch(target, batch.routes());
                case RouteBatchInstall batch when routes -> sendEachRoute(target, batch.routes());
                case FlowRuleInstall rule -> throw new IllegalStateException("flow rules go in INSTALLs: " + rule);
                case Transmit transmit -> throw new IllegalStateException("packets go in TRANSMITs: " + transmit);
                default -> counters.unsupportedInstalls.incrementAndGet();
            }
        }
    }

    private void sendTo(Target target, int length) {
        sender.send(out, 0, length, target.control());
    }

    private void sendEachRoute(Target target, List<Route> routes) {
        for (int i = 0; i < routes.size(); i++) {
            int length = InstallRouteFlyweight.encode(out, 0, target.id(), ++sequence, routes.get(i));
            sender.send(out, 0, length, target.control());
        }
    }

    /** Sends {@code routes} in ROUTE_BATCHes of at most {@link RouteBatchFlyweight#MAX_ROUTES} (1,472 bytes). */
    private void sendRouteBatch(Target target, List<Route> routes) {
        for (int from = 0; from < routes.size(); from += RouteBatchFlyweight.MAX_ROUTES) {
            List<Route> part = routes.subList(from, Math.min(routes.size(), from + RouteBatchFlyweight.MAX_ROUTES));
            int length = RouteBatchFlyweight.encode(out, 0, target.id(), ++sequence, part, false);
            sender.send(out, 0, length, target.control());
        }
    }

    /** Sends a fastpath that starts afresh the SAs and routes installed so far (the routes as one batch). */
    private void sendInstalled(Target target) {
        sendInstalled(target, true);
    }

    /**
     * The SAs and routes installed so far, to {@code target}; the outbound SAs only if {@code outbound} (a fastpath
     * process that had them: sending one again to it changes nothing, its counter goes on).
     */
    private void sendInstalled(Target target, boolean outbound) {
        if (installedSas.isEmpty() && installedRoutes.isEmpty()) {
            return;
        }
        List<Install> installed = new ArrayList<>(installedSas.size() + 1);
        for (SecurityAssociation sa : installedSas.values()) {
            if (outbound || sa.direction() != SecurityAssociation.Direction.OUTBOUND) {
                installed.add(new SecurityAssociationInstall(sa));
            }
        }
        if (!installedRoutes.isEmpty()) {
            installed.add(new RouteBatchInstall(new ArrayList<>(installedRoutes.values())));
        }
        sendTableInstalls(target, installed);
    }

    private static boolean looksUpRoutes(Rule rule) {
        List<Action> actions = rule.actions();
        for (int i = 0; i < actions.size(); i++) {
            if (actions.get(i).opcode() == Action.ROUTE_LOOKUP) {
                return true;
            }
        }
        return false;
    }

    /**
     * Encodes each INSTALL once and sends it to every fastpath with its id patched in, or only to those whose HELLO
     * has {@code requiredFlag} (0: all), counting the rules the others could not take. Rules that COUNT into a counter
     * group go as they are to fastpaths whose HELLO has COUNT_GROUPS, and with their COUNTs ungrouped to the others
     * (which count them against the rule alone).
     */
    private void sendInstalls(List<Rule> rules, int requiredFlag) {
        int from = 0;
        while (from < rules.size()) {
            int bytes = InstallFlyweight.RULES_OFFSET;
            int to = from;
            while (to < rules.size() && to - from < 0xFFFF) {
                int ruleBytes = InstallFlyweight.ruleLength(rules.get(to));
                if (to > from && bytes + ruleBytes > MAX_MESSAGE_BYTES) {
                    break;
                }
                bytes += ruleBytes;
                to++;
            }
            List<Rule> part = rules.subList(from, to);
            int length = InstallFlyweight.encode(out, 0, 0, 0, part);
            if (countsIntoGroups(part)) {
                sendToEvery(length, true, requiredFlag | HelloFlyweight.COUNT_GROUPS, 0, 0);
                if (anyLacks(HelloFlyweight.COUNT_GROUPS)) {
                    // no longer than with the groups, so it fits as well
                    length = InstallFlyweight.encode(out, 0, 0, 0, withoutGroups(part));
                    sendToEvery(length, true, requiredFlag, HelloFlyweight.COUNT_GROUPS, to - from);
                }
            } else {
                sendToEvery(length, true, requiredFlag, 0, to - from);
            }
            from = to;
        }
    }

    private void sendRemoves(List<FlowKey> keys) {
        sendRemoves(keys, null);
    }

    /** REMOVEs of {@code keys} to {@code only} that fastpath, or to every one if it is null. */
    private void sendRemoves(List<FlowKey> keys, Target only) {
        for (int from = 0; from < keys.size(); from += KEYS_PER_REMOVE) {
            int length = RemoveFlyweight.encode(out, 0, 0, 0,
                    keys.subList(from, Math.min(keys.size(), from + KEYS_PER_REMOVE)));
            if (only == null) {
                sendToEvery(length, false, 0, 0, 0);
            } else {
                sendAs(only, length);
            }
        }
    }

    /**
     * Sends the message in {@code out} to every fastpath whose HELLO has {@code requiredFlags}, counting
     * {@code installs} for each of the others, but for those whose HELLO has {@code skippedFlag} (0: none), which are
     * passed over.
     */
    private void sendToEvery(int length, boolean alsoUnregistered, int requiredFlags, int skippedFlag, int installs) {
        for (Target target : targets) {
            sendAsIfTaken(target, length, requiredFlags, skippedFlag, installs);
        }
        if (alsoUnregistered) {
            for (int i = 0; i < unregistered.size(); i++) {
                sendAsIfTaken(unregistered.get(i), length, requiredFlags, skippedFlag, installs);
            }
        }
    }

    private void sendAsIfTaken(Target target, int length, int requiredFlags, int skippedFlag, int installs) {
        if (skippedFlag != 0 && target.takes(skippedFlag)) {
            return;
        }
        if (target.takes(requiredFlags)) {
            sendAs(target, length);
        } else {
            counters.unsupportedInstalls.addAndGet(installs);
        }
    }

    private static boolean countsIntoGroups(List<Rule> rules) {
        for (int i = 0; i < rules.size(); i++) {
            for (Action action : rules.get(i).actions()) {
                if (action instanceof Action.Count count && count.group() != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a fastpath, registered or not yet, did not announce {@code flag} in its HELLO. */
    private boolean anyLacks(int flag) {
        for (Target target : targets) {
            if (!target.takes(flag)) {
                return true;
            }
        }
        for (int i = 0; i < unregistered.size(); i++) {
            if (!unregistered.get(i).takes(flag)) {
                return true;
            }
        }
        return false;
    }

    /** {@code rules} with each COUNT counting against its rule alone: for a fastpath without counter groups. */
    private static List<Rule> withoutGroups(List<Rule> rules) {
        List<Rule> ungrouped = new ArrayList<>(rules.size());
        for (Rule rule : rules) {
            List<Action> actions = new ArrayList<>(rule.actions().size());
            for (Action action : rule.actions()) {
                actions.add(action instanceof Action.Count ? new Action.Count() : action);
            }
            ungrouped.add(new Rule(rule.key(), actions));
        }
        return ungrouped;
    }

    private void sendAs(Target target, int length) {
        out.putInt(ControlProtocol.FASTPATH_ID_OFFSET, target.id());
        out.putInt(ControlProtocol.SEQUENCE_OFFSET, ++sequence);
        sender.send(out, 0, length, target.control());
    }

    /**
     * A fastpath new to this slowpath: one of a policy that learns its rules keeps them and is asked for them
     * (FLOW_DUMP_REQUEST; before the first configuration, once it comes); any other starts from an empty table. Either
     * way it is told what this slowpath takes (WELCOME) and sent the inbound SAs and routes installed so far, but not
     * the outbound SAs: an outbound SA's sequence numbers are its AES-GCM nonces and are counted in the fastpath
     * process, so a new or restarted process given an SA another process encrypted with would use them again under the
     * same key. The policy hears of the fastpath ({@link VnfPolicy#onFastpathJoined}) and installs new outbound SAs
     * (a VPN rekeys).
     */
    private void welcome(Target target) {
        sendTimeouts(target);
        boolean keepsRules = policy.learnsRules() && target.takes(HelloFlyweight.FLOW_DUMP);
        if (target.takes(HelloFlyweight.ROUTE_TABLES)) {
            // ordered after the REMOVE of all rules below: the distributor sends nothing before this thread's pump
            routeDistributor.join(target.id(), target.control(), !keepsRules, System.nanoTime());
        }
        if (keepsRules) {
            sendWelcome(target);
            if (configured) {
                sendTo(target, FlowDumpFlyweight.encodeRequest(out, 0, target.id(), ++sequence));
            } else {
                awaitingConfiguration.add(target);
            }
        } else {
            sendRemoveAll(target);
        }
        sendInstalled(target, false);
    }

    /**
     * A fastpath's rules (FLOW_DUMP, the answer to FLOW_DUMP_REQUEST): each one the policy takes back stays and is
     * tracked as held by that fastpath; the others are removed from it.
     */
    private void onFlowDump(ByteBuffer buffer, int offset, int length, int senderAddress, int senderPort) {
        flush();
        Target from = sender(ControlProtocol.fastpathId(buffer, offset), senderAddress, senderPort);
        if (!isRegistered(from)) {
            return;
        }
        List<Rule> rules;
        try {
            rules = FlowDumpFlyweight.rules(buffer, offset, length);
        } catch (IllegalArgumentException e) {
            counters.badControlMessage();
            return;
        }
        List<FlowKey> refused = new ArrayList<>();
        for (Rule rule : rules) {
            boolean kept;
            try {
                kept = configured && policy.learn(rule);
            } catch (RuntimeException e) {
                counters.errors.incrementAndGet();
                logOnce("policy " + policy.vnfType() + " failed to learn " + rule, e);
                kept = false;
            }
            if (kept) {
                ledger.learned(rule.key().high(), rule.key().low(), from.bit());
                counters.learnedRules.incrementAndGet();
            } else {
                refused.add(rule.key());
            }
        }
        sendRemoves(refused, from);
        counters.removes.addAndGet(refused.size());
        trackedRules = ledger.size();
    }

    /** The policy's idle timeouts, to a fastpath that takes them (TIMEOUTS), once the policy has a configuration. */
    private void sendTimeouts(Target target) {
        if (!configured || !target.takes(HelloFlyweight.TIMEOUTS)) {
            return;
        }
        Optional<FlowTimeouts> timeouts;
        try {
            timeouts = policy.flowTimeouts();
        } catch (RuntimeException e) {
            counters.errors.incrementAndGet();
            logOnce("policy " + policy.vnfType() + " failed to give its timeouts", e);
            return;
        }
        timeouts.ifPresent(t -> sendTo(target, TimeoutsFlyweight.encode(out, 0, target.id(), ++sequence, t)));
    }

    /** Tells a fastpath to start from an empty table, and then what this slowpath takes (WELCOME). */
    private void sendRemoveAll(Target target) {
        sendTo(target, RemoveFlyweight.encodeAll(out, 0, target.id(), ++sequence));
        sendWelcome(target);
    }

    /** What this slowpath takes (WELCOME): PUNT_BATCH. */
    private void sendWelcome(Target target) {
        sendTo(target, WelcomeFlyweight.encode(out, 0, target.id(), ++sequence, WelcomeFlyweight.PUNT_BATCH));
    }

    // ---------------------------------------------------------------- the fastpaths

    private void syncLocked(boolean force) {
        long changes = registry.changes();
        if (!force && changes == seenChanges) {
            return;
        }
        List<RegisteredFastpath> live = registry.live();
        seenChanges = registry.changes();
        Target[] next = new Target[live.size()];
        long kept = 0;
        for (int i = 0; i < next.length; i++) {
            RegisteredFastpath fastpath = live.get(i);
            Target known = registered(fastpath.id());
            if (known != null && known.control().equals(fastpath.controlAddress())
                    && known.helloFlags() == fastpath.helloFlags()) {
                next[i] = known;
                kept |= known.bit();
            }
        }
        long mask = kept;
        List<Integer> joined = new ArrayList<>();
        for (int i = 0; i < next.length; i++) {
            if (next[i] == null) {
                // new to this slowpath, or restarted: emptied, or asked for its rules (welcome)
                RegisteredFastpath fastpath = live.get(i);
                long bit = freeBit(mask, fastpath.id());
                next[i] = Target.of(fastpath, bit);
                ledger.forget(bit);
                welcome(next[i]);
                mask |= bit;
                joined.add(fastpath.id());
            }
        }
        targets = next;
        liveMask = mask;
        long routing = 0;
        for (Target target : next) {
            if (target.takes(HelloFlyweight.INSTALL_ROUTE)) {
                routing |= target.bit();
            }
        }
        routingMask = routing;
        int[] routeTableIds = new int[next.length];
        int routeTableCount = 0;
        for (Target target : next) {
            if (target.takes(HelloFlyweight.ROUTE_TABLES)) {
                routeTableIds[routeTableCount++] = target.id();
            }
        }
        routeDistributor.retain(routeTableIds, routeTableCount);
        for (int id : joined) {
            Reconfiguration reconfiguration;
            try {
                reconfiguration = policy.onFastpathJoined(id);
            } catch (RuntimeException e) {
                counters.errors.incrementAndGet();
                logOnce("policy " + policy.vnfType() + " failed on fastpath " + id + " joining", e);
                continue;
            } finally {
                askTimerLocked();
            }
            applyLocked(reconfiguration);
        }
    }

    /**
     * The lowest bit no live fastpath has. Past 64 live fastpaths (workers count one each) bits are shared, which can
     * only make a rule look expired everywhere while one of the sharers still holds it.
     */
    private static long freeBit(long used, int id) {
        long free = ~used;
        return free != 0 ? Long.lowestOneBit(free) : 1L << (id & 63);
    }

    private Target registered(int id) {
        for (Target target : targets) {
            if (target.id() == id) {
                return target;
            }
        }
        return null;
    }

    private boolean isRegistered(Target target) {
        for (Target known : targets) {
            if (known == target) {
                return true;
            }
        }
        return false;
    }

    /** The registered target that sent this, or a new one for a sender this thread does not know. */
    private Target sender(int id, int address, int port) {
        for (Target target : targets) {
            if (target.id() == id && target.address() == address && target.port() == port) {
                return target;
            }
        }
        for (int i = 0; i < unregistered.size(); i++) {
            Target target = unregistered.get(i);
            if (target.id() == id && target.address() == address && target.port() == port) {
                return target;
            }
        }
        return new Target(id, Ipv4Addresses.socketAddress(address, port), address, port, 0, 0);
    }

    private void logOnce(String message, RuntimeException e) {
        if (!loggedPolicyError) {
            loggedPolicyError = true;
            LOG.log(Level.ERROR, message + " (logged once, then counted)", e);
        }
    }
}
