package io.isthmus.slowpath.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.isthmus.control.FlowKey;
import io.isthmus.control.FlowTimeouts;
import io.isthmus.control.Rule;
import io.isthmus.control.SaCounters;

/**
 * What a VNF type plugs into the slowpath: its configuration and its decision on each new flow. Implementations are
 * found with {@link java.util.ServiceLoader} ({@code META-INF/services/io.isthmus.slowpath.policy.VnfPolicy}) and
 * picked by {@link #vnfType()} against {@code --vnf-type}; they need a public no-argument constructor.
 * <p>
 * The slowpath never calls a policy concurrently: {@link #reconfigure}, {@link #restore}, {@link #snapshotState},
 * {@link #onMiss}, {@link #onFlowExpired}, {@link #onHealthChanged}, {@link #onTimer} and the others run one at a time
 * (under one lock), so a policy keeps its state (NAT bindings, SLB tables, a protocol's sessions) in plain
 * collections. Every method is pure policy: it changes the policy's own state and says what the fastpaths are to get
 * (and which packets they are to send), and does no I/O.
 * <p>
 * A policy that runs a protocol of its own (retransmissions, keepalives, lifetimes) asks for a timer
 * ({@link #nextTimerMillis}, {@link #onTimer}) instead of a thread: its time is the policy thread's.
 * <p>
 * Misses reach the policy through a bounded queue: under overload the slowpath drops punts (counted as
 * {@code puntQueueDrops}) rather than queueing without end, so a policy sees a subset of the misses and must not
 * assume it sees every packet of a flow.
 */
public interface VnfPolicy {

    /** The VNF type this policy implements, as {@code --vnf-type} names it (e.g. {@code "nat"}). */
    String vnfType();

    /**
     * Validates and applies a configuration, the body of {@code PUT /config}. All or nothing: on exception the
     * previous configuration and state stay.
     *
     * @return true if rules installed under the previous configuration are now wrong; the slowpath then removes every
     *         rule from every fastpath (flows re-punt and are decided afresh). The slowpath asks {@link #reconfigure},
     *         whose default asks this; a policy that keeps flows across configurations overrides that one.
     * @throws InvalidConfigException if the configuration is refused (answered with 400)
     */
    boolean configure(JsonNode config) throws InvalidConfigException;

    /**
     * Applies a configuration, the body of {@code PUT /config}, and says what becomes of the rules installed under the
     * previous one: a policy that can keeps every established flow its new configuration still allows (the NAT keeps
     * the bindings still valid and re-sends their rules with, say, new next hops) and names the rules to remove and
     * to install again. All or nothing, as {@link #configure}. The slowpath calls this one; the default is
     * {@link #configure}'s answer: a reset (every rule removed, flows decided afresh) when it says the rules are stale.
     *
     * @throws InvalidConfigException if the configuration is refused (answered with 400)
     */
    default Reconfiguration reconfigure(JsonNode config) throws InvalidConfigException {
        return configure(config)
                ? Reconfiguration.reset("new configuration")
                : Reconfiguration.unchanged("the rules installed stay valid");
    }

    /**
     * The policy's state now, as JSON, for a VNF snapshot ({@code GET /snapshot}): with the configuration it is all a
     * slowpath needs to go on where this one is ({@link #restore}). The NAT's: its bindings and their sessions. The
     * default, for a policy that keeps no state: {@code {}}.
     */
    default JsonNode snapshotState() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Restores a snapshot ({@code PUT /snapshot}): the configuration and the state {@link #snapshotState} gave, in place
     * of the policy's own, all or nothing. Returns what the fastpaths are to get so that their rules are the restored
     * state's: rules of flows the snapshot does not have removed, the snapshot's installed. The default takes only an
     * empty state ({@code {}}) and applies the configuration as {@link #reconfigure} does.
     *
     * @throws InvalidConfigException if the configuration or the state is refused (answered with 400, nothing changed)
     */
    default Reconfiguration restore(JsonNode config, JsonNode state) throws InvalidConfigException {
        if (state == null || !state.isObject() || !state.isEmpty()) {
            throw new InvalidConfigException("state must be {}: a " + vnfType() + " VNF keeps no state");
        }
        return reconfigure(config);
    }

    /**
     * Decides a flow a fastpath has no rule for: what to install in every fastpath (the flow rules of both directions
     * of a two-way flow, and any security associations and routes they need, see {@link Install}) and whether to
     * re-inject the packet, or a drop. Must not block; it runs on the policy thread. Also gets the IKE packets a rule
     * that decrypts ESP in UDP punts ({@link Miss#isNonEsp()}: the non-ESP marker), which only a policy that installs
     * such rules sees.
     */
    Decision onMiss(Miss miss);

    /**
     * A packet whose rule would have decremented its TTL to zero: the fastpath forwarded nothing and punted it as it
     * came. A router answers with an ICMP time exceeded from its own address ({@link IcmpErrors#timeExceeded} and a
     * {@link Transmit} back the way the packet came); the default drops it silently. Runs on the policy thread.
     */
    default Decision onTtlExceeded(Miss miss) {
        return Decision.drop("TTL exceeded");
    }

    /**
     * The idle timeouts the fastpaths are to apply to this policy's rules (TIMEOUTS), as its configuration sets them;
     * empty (the default) leaves the fastpaths at {@link FlowTimeouts#DEFAULTS}. Asked after each configuration and
     * for each fastpath that registers.
     */
    default Optional<FlowTimeouts> flowTimeouts() {
        return Optional.empty();
    }

    /**
     * Whether this policy learns its state back from the rules fastpaths hold ({@link #learn}), so that a slowpath
     * that starts while fastpaths forward (it restarted, or replaced another) keeps their flows: a fastpath new to the
     * slowpath is then asked for its rules (FLOW_DUMP) instead of told to remove them all. The default: no, the
     * fastpath starts from an empty table and re-learns from its misses.
     */
    default boolean learnsRules() {
        return false;
    }

    /**
     * A rule a fastpath held when it registered with this slowpath (FLOW_DUMP), once the policy is configured: the
     * policy takes back the state the rule stands for (a NAT its binding and the remote) and returns true to keep the
     * rule, or false to have it removed from that fastpath (it contradicts the configuration or the state learned so
     * far). Runs on the policy thread, before the misses that fastpath punts after its dump.
     */
    default boolean learn(Rule rule) {
        return false;
    }

    /**
     * A fastpath new to this slowpath registered (a fastpath process started, restarted, or added by a scale out). It
     * was sent the inbound SAs and routes installed so far, but no outbound SA: an outbound SA's sequence numbers are
     * its AES-GCM nonces, counted in the fastpath process that encrypts, and a new process would start them again
     * under the same key. A policy that encrypts installs new outbound SAs for it (the VPN rekeys its CHILD_SAs); until
     * then the fastpath drops what its rules would encrypt. Runs on the policy thread, under the lock; the answer is
     * applied as a health change's. The default changes nothing.
     */
    default Reconfiguration onFastpathJoined(int fastpathId) {
        return Reconfiguration.unchanged("no outbound SAs");
    }

    /**
     * The VNF type's indicators now, by name (numbers, or maps of them), for {@code GET /stats} and the VNFM: e.g. the
     * NAT's sessions and bindings. Runs under the policy's lock, between decisions; must be cheap (no copy of the
     * state). The default has none.
     */
    default Map<String, Object> indicators() {
        return Map.of();
    }

    /**
     * The names of the counter groups this policy counts into now ({@code Action.Count(group)}), by group: e.g. group
     * 3 is {@code "backend.web.10.0.0.11:8080"}. {@code GET /stats} reports each named group under its name in
     * {@code counters}, its packets and bytes summed over every fastpath (and never going down); groups without a name
     * are left out, and two groups of one name are summed. Asked as {@link #indicators()} is: under the policy's lock,
     * between decisions, on the policy thread's refresh and after each configuration; must be cheap. The default names
     * none.
     */
    default Map<Integer, String> counterGroups() {
        return Map.of();
    }

    /**
     * A rule the slowpath installed has expired (idle timeout) in every fastpath that held it; those fastpaths have
     * dropped it already. The policy releases what it bound to the flow once the flow is over (for a two-way flow:
     * both directions expired) and names the rules to remove from every fastpath. Runs on the policy thread; must not
     * block. The default keeps nothing: the rule is gone, the next packet of the flow is a miss again.
     */
    default Expiry onFlowExpired(FlowKey key) {
        return Expiry.keep("no state");
    }

    /**
     * The active health checks the policy wants now (backends probed by TCP connect or HTTP GET), from its
     * configuration. The slowpath asks after every configuration or snapshot accepted, under the policy's lock, and
     * probes them itself: a check equal to one it runs keeps its state and schedule (the policy is not told its state
     * again, so it keeps what it heard across configurations), a new or changed one (same id, other fields) starts
     * unknown, one no longer named stops unreported. Ids must be unique. The default has none.
     */
    default List<HealthCheck> healthChecks() {
        return List.of();
    }

    /**
     * A health check's state changed: its first probe's result (either way), then {@code rise} passes or {@code fall}
     * failures in a row. Runs on the policy thread, under the lock {@link #onMiss} runs under; must not block. The
     * slowpath applies the answer as a configuration's ({@link #reconfigure}): removes, then installs, in every
     * fastpath, or a reset. The default changes nothing.
     */
    default Reconfiguration onHealthChanged(String checkId, boolean healthy) {
        return Reconfiguration.unchanged("no health checks");
    }

    /**
     * When the policy next wants {@link #onTimer} called, in epoch milliseconds (the slowpath's clock);
     * {@link Long#MAX_VALUE} (the default) for never. The slowpath asks after every call into the policy (a miss, an
     * expiry, a configuration or snapshot, a health change, a timer, counters) and keeps the latest answer only, so a
     * policy gives the earliest of its deadlines. A deadline already past is due at once. Runs under the policy's
     * lock; must be cheap (it is asked after each batch of misses).
     */
    default long nextTimerMillis() {
        return Long.MAX_VALUE;
    }

    /**
     * The deadline {@link #nextTimerMillis} gave has come ({@code nowMillis} is at or after it; later by at most a few
     * milliseconds when the policy thread is idle, by a batch of misses when it is busy). Runs on the policy thread,
     * under the lock {@link #onMiss} runs under, never concurrently with any other call; must not block. The slowpath
     * applies the answer as a health change's: removes, then installs (SAs and their removals, routes, rules) in every
     * fastpath, then sends its {@link Transmit}s, each once, by the registered fastpath of the lowest id that takes
     * TRANSMIT. A timer that throws is logged (once) and counted in {@code errors}, and is called again no sooner than
     * 100 ms later if its deadline has not moved past that; the slowpath goes on. The default changes nothing.
     */
    default Reconfiguration onTimer(long nowMillis) {
        return Reconfiguration.unchanged("no timer");
    }

    /**
     * The counters of the SAs this slowpath installed and has not removed ({@link SecurityAssociationInstall}), by SA
     * table slot: each slot's packets, bytes, replays, authentication failures and other drops for the SA of the SPI
     * installed there, summed over every fastpath, and never going down (what a fastpath counted before it left or
     * started again stays in the sum, as with the counter groups); a slot no fastpath has reported yet is there with
     * zeros. Called on the policy thread, under the policy's lock, after the stats refresh that brought new counters:
     * while any SA is installed the slowpath asks every fastpath that reports them (HELLO flag ESP_EXTENDED) for its
     * counters every second (and on each {@code GET /stats}), and tells the policy at most every 100 ms. A policy
     * rekeys an SA by bytes from here (its answer waits for its timer: it sets {@link #nextTimerMillis} to now). Must
     * not block; the default ignores them.
     */
    default void onSecurityAssociationCounters(Map<Integer, SaCounters> bySlot) {
    }

    /**
     * Called once, before the first configuration, with what the slowpath offers a policy that has work outside the
     * policy thread ({@link PolicyContext#submit}: the CEN's BGP sessions bring learned routes). The policy's own
     * methods stay pure; a policy that runs I/O keeps it in objects it starts from here or from a configuration and
     * stops in {@link #close}. The default keeps nothing.
     */
    default void attach(PolicyContext context) {
    }

    /** The slowpath stops: stop what {@link #attach} or a configuration started (threads, sockets). The default: nothing. */
    default void close() {
    }
}
