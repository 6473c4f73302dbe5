package io.isthmus.slowpath.control;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.message.HelloFlyweight;

/**
 * The fastpaths of this VNF, by id, learnt from their HELLOs. A fastpath not heard from for the expiry time (five
 * hello intervals by default) is forgotten: it was stopped, scaled in or lost.
 */
public final class FastpathRegistry {

    /** What a HELLO meant. */
    public enum Registration {
        /** An id not known (or expired): a new fastpath, or this slowpath restarted. */
        NEW,
        /** A known id from another control address: the fastpath restarted. */
        MOVED,
        /** A known fastpath saying it is still there. */
        REFRESHED
    }

    public static final Duration DEFAULT_EXPIRY = HelloFlyweight.DEFAULT_INTERVAL.multipliedBy(5);

    private final ConcurrentMap<Integer, RegisteredFastpath> fastpaths = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration expiry;
    private final AtomicLong changes = new AtomicLong();

    public FastpathRegistry(Clock clock, Duration expiry) {
        this.clock = clock;
        this.expiry = expiry;
    }

    /** Records a HELLO without flags from fastpath {@code id} at {@code controlAddress}. */
    public Registration onHello(int id, InetSocketAddress controlAddress, InetSocketAddress dataAddress) {
        return onHello(id, controlAddress, dataAddress, 0);
    }

    /**
     * Records a HELLO from fastpath {@code id} at {@code controlAddress} with its {@code flags}; a change of flags
     * alone counts as a change ({@link #changes()}) without a new registration.
     */
    public Registration onHello(int id, InetSocketAddress controlAddress, InetSocketAddress dataAddress, int flags) {
        Instant now = clock.instant();
        Registration[] outcome = new Registration[1];
        boolean[] flagsChanged = new boolean[1];
        fastpaths.compute(id, (key, known) -> {
            if (known == null || isExpired(known, now)) {
                outcome[0] = Registration.NEW;
            } else if (!known.controlAddress().equals(controlAddress)) {
                outcome[0] = Registration.MOVED;
            } else {
                outcome[0] = Registration.REFRESHED;
                flagsChanged[0] = known.helloFlags() != flags;
                return known.seen(now, dataAddress, flags);
            }
            return new RegisteredFastpath(id, controlAddress, dataAddress, now, now, null, flags, now);
        });
        if (outcome[0] != Registration.REFRESHED || flagsChanged[0]) {
            changes.incrementAndGet();
        }
        return outcome[0];
    }

    /**
     * Counts registrations and expiries: whoever mirrors the set of fastpaths (the policy thread) compares it with the
     * value it last saw.
     */
    public long changes() {
        return changes.get();
    }

    /** The fastpaths heard from within the expiry time, by id; expired ones are dropped. */
    public List<RegisteredFastpath> live() {
        Instant now = clock.instant();
        if (fastpaths.values().removeIf(f -> isExpired(f, now))) {
            changes.incrementAndGet();
        }
        return fastpaths.values().stream().filter(f -> !isExpired(f, now))
                .sorted(Comparator.comparingInt(RegisteredFastpath::id)).toList();
    }

    /** Forgets fastpath {@code id} now, as if it had expired; returns whether it was live. */
    public boolean retire(int id) {
        Instant now = clock.instant();
        RegisteredFastpath removed = fastpaths.remove(id);
        if (removed == null) {
            return false;
        }
        changes.incrementAndGet();
        return !isExpired(removed, now);
    }

    public Optional<RegisteredFastpath> get(int id) {
        Instant now = clock.instant();
        return Optional.ofNullable(fastpaths.get(id)).filter(f -> !isExpired(f, now));
    }

    /** Keeps the counters of a STATS_RESPONSE from the fastpath at {@code controlAddress}. */
    public void recordStats(int id, InetSocketAddress controlAddress, FastpathStats stats) {
        Instant now = clock.instant();
        fastpaths.computeIfPresent(id,
                (key, known) -> known.controlAddress().equals(controlAddress) ? known.withStats(stats, now) : known);
    }

    private boolean isExpired(RegisteredFastpath fastpath, Instant now) {
        return fastpath.lastSeen().plus(expiry).isBefore(now);
    }
}
