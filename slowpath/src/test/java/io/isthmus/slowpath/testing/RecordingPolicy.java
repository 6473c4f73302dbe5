package io.isthmus.slowpath.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.FlowKey;
import io.isthmus.control.FlowTimeouts;
import io.isthmus.control.SaCounters;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Expiry;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.PolicyContext;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.VnfPolicy;

/**
 * A policy for tests (VNF type {@code "test"}): accepts configs with {@code "valid": true}, says rules are stale when
 * {@code "flush": true}, and decides misses and expiries with functions the test sets.
 */
public final class RecordingPolicy implements VnfPolicy {

    public final List<Miss> misses = new CopyOnWriteArrayList<>();
    public final List<FlowKey> expired = new CopyOnWriteArrayList<>();
    /** The SA counters the slowpath handed over, in order. */
    public final List<Map<Integer, SaCounters>> saCounters = new CopyOnWriteArrayList<>();
    /** The fastpaths {@link #onFastpathJoined} heard of, in order. */
    public final List<Integer> joined = new CopyOnWriteArrayList<>();
    private volatile Function<Miss, Decision> decide = miss -> Decision.drop("no decision set");
    private volatile Function<FlowKey, Expiry> expire = key -> Expiry.keep("no expiry set");
    private volatile Optional<FlowTimeouts> timeouts = Optional.empty();
    private volatile Reconfiguration reconfiguration;
    private volatile Map<Integer, String> counterGroups = Map.of();
    /** What the slowpath gave {@link #attach}, and how often it called it and {@link #close}. */
    public volatile PolicyContext context;
    public final AtomicInteger attached = new AtomicInteger();
    public final AtomicInteger closed = new AtomicInteger();
    /** Whether it learns its state from the fastpaths' rules (so a fastpath new to the slowpath keeps them). */
    public volatile boolean learnsRules;
    /** Whether a configuration came before {@link #attach} (it must not). */
    public volatile boolean configuredBeforeAttach;

    @Override
    public String vnfType() {
        return "test";
    }

    @Override
    public boolean learnsRules() {
        return learnsRules;
    }

    @Override
    public void attach(PolicyContext context) {
        this.context = context;
        attached.incrementAndGet();
    }

    @Override
    public void close() {
        closed.incrementAndGet();
    }

    @Override
    public boolean configure(JsonNode config) throws InvalidConfigException {
        if (context == null) {
            configuredBeforeAttach = true;
        }
        if (!config.path("valid").asBoolean(false)) {
            throw new InvalidConfigException(List.of("valid must be true", "and this is a second problem"));
        }
        return config.path("flush").asBoolean(false);
    }

    /** Answers a valid config with the reconfiguration set ({@link #reconfigureWith}), or as {@link #configure}. */
    @Override
    public Reconfiguration reconfigure(JsonNode config) throws InvalidConfigException {
        boolean stale = configure(config);
        Reconfiguration next = reconfiguration;
        if (next == null) {
            return stale ? Reconfiguration.reset("flush") : Reconfiguration.unchanged("no flush");
        }
        return next;
    }

    @Override
    public Reconfiguration onFastpathJoined(int fastpathId) {
        joined.add(fastpathId);
        return Reconfiguration.unchanged("recorded");
    }

    @Override
    public Decision onMiss(Miss miss) {
        misses.add(miss);
        return decide.apply(miss);
    }

    @Override
    public Expiry onFlowExpired(FlowKey key) {
        expired.add(key);
        return expire.apply(key);
    }

    @Override
    public void onSecurityAssociationCounters(Map<Integer, SaCounters> bySlot) {
        saCounters.add(bySlot);
    }

    @Override
    public Optional<FlowTimeouts> flowTimeouts() {
        return timeouts;
    }

    @Override
    public Map<Integer, String> counterGroups() {
        return counterGroups;
    }

    /** The names the policy gives its counter groups from now on (none by default). */
    public void nameCounterGroups(Map<Integer, String> names) {
        this.counterGroups = names;
    }

    /** The idle timeouts the policy asks the fastpaths for (none by default). */
    public void timeouts(FlowTimeouts timeouts) {
        this.timeouts = Optional.of(timeouts);
    }

    /** What every valid configuration from now on asks of the fastpaths. */
    public void reconfigureWith(Reconfiguration reconfiguration) {
        this.reconfiguration = reconfiguration;
    }

    public void decideWith(Function<Miss, Decision> decide) {
        this.decide = decide;
    }

    public void expireWith(Function<FlowKey, Expiry> expire) {
        this.expire = expire;
    }
}
