package io.isthmus.slowpath.control;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.isthmus.slowpath.policy.HealthCheck;
import io.isthmus.slowpath.policy.VnfPolicy;

/**
 * Runs the policy's health checks ({@link VnfPolicy#healthChecks}) and queues their state changes for the policy
 * thread, which tells the policy ({@link VnfPolicy#onHealthChanged}) under its lock. One scheduler thread starts each
 * check's probe every interval (the first within the interval, at most a second, at random, so that many checks do
 * not fire together), each probe on a virtual thread of its own ({@link HealthProbes}); a check whose last probe still
 * runs skips a turn. Nothing here blocks the policy thread.
 * <p>
 * A check's states, changed only in {@link Check#record}: UNKNOWN until its first probe, which decides at once
 * (healthy on a pass, unhealthy on a failure); then {@code rise} passes in a row make it healthy, {@code fall} failures
 * in a row unhealthy. Only changes are queued and logged (INFO: a dead backend is the VNF's normal business).
 * <p>
 * {@link #update} takes the policy's list after each configuration, by id: an equal check keeps its state and
 * schedule, a new or changed one starts UNKNOWN, one no longer named stops. A change queued by a check stopped or
 * replaced since is dropped when delivered ({@link #deliver}); {@link #update} and {@link #deliver} both run under the
 * policy driver's lock, so the policy never hears of a check it no longer names.
 */
public final class HealthProber implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HealthProber.class.getName());
    /** The first probe of a new check comes within this (or its interval, if shorter). */
    private static final long MAX_FIRST_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A check's state. */
    public enum State {
        UNKNOWN, HEALTHY, UNHEALTHY
    }

    /**
     * A check as {@code /stats} shows it.
     *
     * @param lastPassed the last probe's result, null before the first
     * @param lastError why the last probe failed, null if it passed
     * @param consecutive probes in a row with the last one's result
     * @param checks probes run since the check started (or changed)
     * @param lastCheckAt when the last probe ended, null before the first
     */
    public record Status(String id, State state, Boolean lastPassed, String lastError, int consecutive, long checks,
            Instant lastCheckAt) {
    }

    /** A check's state changed, to be told to the policy. */
    record Transition(Check check, boolean healthy, String reason) {
    }

    /** What the policy thread does with a check's change ({@link #deliver}). */
    @FunctionalInterface
    interface Listener {
        void onHealthChanged(String checkId, boolean healthy);
    }

    private final Clock clock;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Queue<Transition> transitions = new ConcurrentLinkedQueue<>();
    private volatile Map<String, Check> checks = Map.of();
    private volatile Runnable wake = () -> {
    };
    private volatile boolean closed;

    /** A prober with no check; its scheduler thread starts with the first check. */
    public HealthProber(Clock clock) {
        this.clock = clock;
        this.scheduler = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("slowpath-health").daemon(true).factory());
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    /** Called whenever a change is queued: wakes the policy thread (set once, before the first check). */
    public void wakeWith(Runnable wake) {
        this.wake = wake;
    }

    /**
     * The policy's checks now, in place of the previous list (under the policy driver's lock).
     *
     * @throws IllegalArgumentException if two checks have the same id (nothing changes)
     */
    void update(List<HealthCheck> wanted) {
        Map<String, HealthCheck> byId = new LinkedHashMap<>();
        for (HealthCheck check : wanted) {
            if (byId.putIfAbsent(check.id(), check) != null) {
                throw new IllegalArgumentException("two health checks have the id " + check.id());
            }
        }
        if (closed) {
            return;
        }
        Map<String, Check> previous = checks;
        Map<String, Check> next = new LinkedHashMap<>();
        for (HealthCheck spec : byId.values()) {
            Check kept = previous.get(spec.id());
            next.put(spec.id(), kept != null && kept.spec.equals(spec) ? kept : start(spec));
        }
        for (Check old : previous.values()) {
            if (next.get(old.spec.id()) != old) {
                old.stop();
            }
        }
        checks = Collections.unmodifiableMap(next);
    }

    /**
     * Hands each queued change of a check still running to {@code listener}, in order (policy thread, under the policy
     * driver's lock); returns how many.
     */
    int deliver(Listener listener) {
        int delivered = 0;
        for (Transition transition = transitions.poll(); transition != null; transition = transitions.poll()) {
            Check check = transition.check();
            if (checks.get(check.spec.id()) == check) {
                listener.onHealthChanged(check.spec.id(), transition.healthy());
                delivered++;
            }
        }
        return delivered;
    }

    /** Whether changes wait for {@link #deliver}. */
    boolean hasChanges() {
        return !transitions.isEmpty();
    }

    /** Every check's state now, in the policy's order (any thread). */
    public List<Status> statuses() {
        return checks.values().stream().map(Check::status).toList();
    }

    /** Stops every check; probes under way end unreported. */
    @Override
    public void close() {
        closed = true;
        for (Check check : checks.values()) {
            check.stop();
        }
        checks = Map.of();
        scheduler.shutdownNow();
    }

    private Check start(HealthCheck spec) {
        Check check = new Check(spec);
        long interval = spec.interval().toNanos();
        long first = ThreadLocalRandom.current().nextLong(Math.min(interval, MAX_FIRST_DELAY_NANOS));
        try {
            check.schedule(scheduler.scheduleAtFixedRate(() -> launch(check), first, interval,
                    TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            // closing: the check never runs
        }
        return check;
    }

    /** Starts a probe of {@code check} on a virtual thread (scheduler thread), unless the last one still runs. */
    private void launch(Check check) {
        if (check.probing.compareAndSet(false, true)) {
            try {
                Thread.ofVirtual().name("slowpath-health-probe").start(() -> probe(check));
            } catch (RuntimeException | OutOfMemoryError e) {
                // no thread this turn: the next one tries again (a throw would cancel the schedule)
                check.probing.set(false);
            }
        }
    }

    private void probe(Check check) {
        try {
            String error = HealthProbes.probe(check.spec);
            Transition transition = check.record(error == null, error, clock.instant());
            if (transition != null) {
                LOG.log(Level.INFO, "health check " + check.spec.id() + " "
                        + (transition.healthy() ? "healthy" : "unhealthy") + ": " + transition.reason());
                transitions.add(transition);
                wake.run();
            }
        } finally {
            check.probing.set(false);
        }
    }

    /** One check of the policy's: its declaration, its schedule and its state. */
    static final class Check {

        final HealthCheck spec;
        final AtomicBoolean probing = new AtomicBoolean();
        private ScheduledFuture<?> schedule;
        private State state = State.UNKNOWN;
        private Boolean lastPassed;
        private String lastError;
        private int consecutive;
        private long checks;
        private Instant lastCheckAt;
        private boolean stopped;

        Check(HealthCheck spec) {
            this.spec = spec;
        }

        /**
         * Takes a probe's result, the one place the check's state changes; returns the change it makes, or null (none,
         * or the check was stopped while the probe ran).
         */
        synchronized Transition record(boolean passed, String error, Instant at) {
            if (stopped) {
                return null;
            }
            consecutive = lastPassed != null && lastPassed == passed ? consecutive + 1 : 1;
            lastPassed = passed;
            lastError = passed ? null : error;
            lastCheckAt = at;
            checks++;
            State next = next(state, passed, consecutive, spec.rise(), spec.fall());
            if (next == state) {
                return null;
            }
            String reason = (state == State.UNKNOWN ? "first probe " : consecutive + " in a row, ")
                    + (passed ? "passed" : "failed: " + error);
            state = next;
            return new Transition(this, next == State.HEALTHY, reason);
        }

        /** The state after a probe: the first decides, then {@code rise} passes or {@code fall} failures in a row. */
        static State next(State state, boolean passed, int inARow, int rise, int fall) {
            return switch (state) {
                case UNKNOWN -> passed ? State.HEALTHY : State.UNHEALTHY;
                case HEALTHY -> !passed && inARow >= fall ? State.UNHEALTHY : State.HEALTHY;
                case UNHEALTHY -> passed && inARow >= rise ? State.HEALTHY : State.UNHEALTHY;
            };
        }

        synchronized Status status() {
            return new Status(spec.id(), state, lastPassed, lastError, consecutive, checks, lastCheckAt);
        }

        synchronized void schedule(ScheduledFuture<?> schedule) {
            if (stopped) {
                schedule.cancel(false);
            }
            this.schedule = schedule;
        }

        /** No more probes, and no report from one under way. */
        synchronized void stop() {
            stopped = true;
            if (schedule != null) {
                schedule.cancel(false);
            }
        }
    }
}
