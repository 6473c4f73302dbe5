package io.isthmus.slowpath.control;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.GroupCounters;
import io.isthmus.control.SaCounters;
import io.isthmus.control.message.HelloFlyweight;

/**
 * The fastpaths of this VNF, by id, learnt from their HELLOs. A fastpath not heard from for the expiry time (five
 * hello intervals by default) is forgotten: it was stopped, scaled in or lost.
 * <p>
 * It keeps each fastpath's counter groups from its last STATS_RESPONSE, and sums them over the fastpaths so that the
 * sums never go down ({@link #counterGroupTotals()}): a fastpath's last values move to a retired sum when they would
 * leave the sum, because the fastpath left (expired, retired, replaced by a new registration of its id) or because a
 * group's count went down (it started again).
 * <p>
 * Its SAs' counters (per SA table slot) are summed the same way, per SA: a slot's counters count for the SA of one SPI,
 * and a slot that a fastpath reports with another SPI than before (an outbound SA rekeyed into the same slot), or with
 * counts that went down, retires its last values, kept by slot and SPI (the last {@link #RETIRED_SPIS_PER_SLOT} SPIs
 * of each slot: SAs long replaced are forgotten) ({@link #securityAssociationTotals}).
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
    /** SPIs of one slot whose retired counters are kept: more than a rekey's old and new SA. */
    static final int RETIRED_SPIS_PER_SLOT = 4;

    private final ConcurrentMap<Integer, RegisteredFastpath> fastpaths = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration expiry;
    private final AtomicLong changes = new AtomicLong();
    /**
     * Held while a fastpath's counter groups change or leave the registry and while they are summed, so a sum never
     * sees them both retired and live, or neither.
     */
    private final Object groupsLock = new Object();
    /** The counter groups of fastpaths gone or started again, by group (guarded by {@link #groupsLock}). */
    private final Map<Integer, GroupCounters> retiredGroups = new HashMap<>();
    /**
     * The SA counters of fastpaths gone or started again, by slot and then SPI, the last few SPIs of each slot
     * (guarded by {@link #groupsLock}).
     */
    private final Map<Integer, Map<Integer, SaCounters>> retiredSas = new HashMap<>();
    /** Counts the STATS_RESPONSEs that brought SA counters (or took them away). */
    private final AtomicLong saCounterChanges = new AtomicLong();

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
        synchronized (groupsLock) {
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
                if (known != null) {
                    retireGroups(known.lastGroups());
                    retireSas(known.lastSas());
                }
                return new RegisteredFastpath(id, controlAddress, dataAddress, now, now, null, flags, now, Map.of(),
                        Map.of());
            });
        }
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
        boolean removed = false;
        for (RegisteredFastpath fastpath : fastpaths.values()) {
            if (isExpired(fastpath, now)) {
                removed |= remove(fastpath);
            }
        }
        if (removed) {
            changes.incrementAndGet();
        }
        return fastpaths.values().stream().filter(f -> !isExpired(f, now))
                .sorted(Comparator.comparingInt(RegisteredFastpath::id)).toList();
    }

    /** Forgets fastpath {@code id} now, as if it had expired; returns whether it was live. */
    public boolean retire(int id) {
        Instant now = clock.instant();
        RegisteredFastpath known = fastpaths.get(id);
        if (known == null || !remove(known)) {
            return false;
        }
        changes.incrementAndGet();
        return !isExpired(known, now);
    }

    /** Removes {@code fastpath} if it is still the registration of its id, its counter groups retired. */
    private boolean remove(RegisteredFastpath fastpath) {
        synchronized (groupsLock) {
            if (!fastpaths.remove(fastpath.id(), fastpath)) {
                return false;
            }
            retireGroups(fastpath.lastGroups());
            retireSas(fastpath.lastSas());
            return true;
        }
    }

    public Optional<RegisteredFastpath> get(int id) {
        Instant now = clock.instant();
        return Optional.ofNullable(fastpaths.get(id)).filter(f -> !isExpired(f, now));
    }

    /** Keeps the counters of a STATS_RESPONSE without counter groups from the fastpath at {@code controlAddress}. */
    public void recordStats(int id, InetSocketAddress controlAddress, FastpathStats stats) {
        recordStats(id, controlAddress, stats, Map.of());
    }

    /**
     * Keeps the counters, counter groups and SA counters ({@link FastpathStats#securityAssociations()}) of a
     * STATS_RESPONSE from the fastpath at {@code controlAddress}.
     */
    public void recordStats(int id, InetSocketAddress controlAddress, FastpathStats stats,
            Map<Integer, GroupCounters> groups) {
        recordStats(id, controlAddress, stats, groups, stats.securityAssociations());
    }

    /**
     * Keeps the counters, counter groups and SA counters of a STATS_RESPONSE from the fastpath at
     * {@code controlAddress}. A group whose packets or bytes went down since its last response (or that is gone from
     * it) started again from zero: its last values are retired. So are an SA slot's when the slot is gone, has another
     * SPI, or any of its counts went down.
     */
    public void recordStats(int id, InetSocketAddress controlAddress, FastpathStats stats,
            Map<Integer, GroupCounters> groups, List<SaCounters> sas) {
        Instant now = clock.instant();
        Map<Integer, SaCounters> bySlot = bySlot(sas);
        boolean[] recorded = new boolean[1];
        synchronized (groupsLock) {
            fastpaths.computeIfPresent(id, (key, known) -> {
                if (!known.controlAddress().equals(controlAddress)) {
                    return known;
                }
                known.lastGroups().forEach((group, last) -> {
                    if (groups.getOrDefault(group, GroupCounters.ZERO).isBelow(last)) {
                        retiredGroups.merge(group, last, GroupCounters::plus);
                    }
                });
                known.lastSas().forEach((slot, last) -> {
                    SaCounters next = bySlot.get(slot);
                    if (next == null || next.spi() != last.spi() || next.isBelow(last)) {
                        retireSa(last);
                    }
                });
                recorded[0] = !bySlot.isEmpty() || !known.lastSas().isEmpty();
                return known.withStats(stats, groups, bySlot, now);
            });
        }
        if (recorded[0]) {
            saCounterChanges.incrementAndGet();
        }
    }

    /**
     * Counts the STATS_RESPONSEs recorded with SA counters (or without those the fastpath had before): whoever hands
     * them on (the policy thread) compares it with the value it last saw.
     */
    public long securityAssociationChanges() {
        return saCounterChanges.get();
    }

    /**
     * The counters of the SAs {@code spiBySlot} names (SA table slot to SPI), each summed over the fastpaths: their
     * last STATS_RESPONSEs where they report that slot with that SPI, and what fastpaths that left or started again had
     * counted for it. Never less than an earlier answer for the same slot and SPI (as {@link #counterGroupTotals()});
     * a slot no fastpath reported is there with zeros. By slot, in order.
     */
    public Map<Integer, SaCounters> securityAssociationTotals(Map<Integer, Integer> spiBySlot) {
        Map<Integer, SaCounters> totals = new TreeMap<>();
        synchronized (groupsLock) {
            spiBySlot.forEach((slot, spi) -> {
                SaCounters sum = new SaCounters(slot, spi, 0, 0, 0, 0, 0);
                SaCounters retired = retiredSas.getOrDefault(slot, Map.of()).get(spi);
                if (retired != null) {
                    sum = sum.plus(retired);
                }
                for (RegisteredFastpath fastpath : fastpaths.values()) {
                    SaCounters counted = fastpath.lastSas().get(slot);
                    if (counted != null && counted.spi() == spi) {
                        sum = sum.plus(counted);
                    }
                }
                totals.put(slot, sum);
            });
        }
        return Collections.unmodifiableMap(totals);
    }

    /** {@code sas} by slot; of two for one slot, the last. */
    private static Map<Integer, SaCounters> bySlot(List<SaCounters> sas) {
        if (sas.isEmpty()) {
            return Map.of();
        }
        Map<Integer, SaCounters> bySlot = new HashMap<>();
        for (SaCounters sa : sas) {
            bySlot.put(sa.index(), sa);
        }
        return bySlot;
    }

    /** Guarded by {@link #groupsLock}: a slot keeps the counts of its last few SPIs retired. */
    private void retireSa(SaCounters last) {
        retiredSas.computeIfAbsent(last.index(), slot -> new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, SaCounters> eldest) {
                return size() > RETIRED_SPIS_PER_SLOT;
            }
        }).merge(last.spi(), last, SaCounters::plus);
    }

    /** Guarded by {@link #groupsLock}. */
    private void retireSas(Map<Integer, SaCounters> sas) {
        sas.values().forEach(this::retireSa);
    }

    /**
     * The packets and bytes of each counter group summed over the fastpaths: their last STATS_RESPONSEs, and what
     * fastpaths that left or started again had counted. Never less than an earlier answer for any group (as far as the
     * fastpaths' responses reach the slowpath; a fastpath that counted after its last response and then left loses
     * what it counted since).
     */
    public Map<Integer, GroupCounters> counterGroupTotals() {
        synchronized (groupsLock) {
            Map<Integer, GroupCounters> totals = new HashMap<>(retiredGroups);
            for (RegisteredFastpath fastpath : fastpaths.values()) {
                fastpath.lastGroups().forEach((group, counted) -> totals.merge(group, counted, GroupCounters::plus));
            }
            return totals;
        }
    }

    /** Guarded by {@link #groupsLock}. */
    private void retireGroups(Map<Integer, GroupCounters> groups) {
        groups.forEach((group, counted) -> retiredGroups.merge(group, counted, GroupCounters::plus));
    }

    private boolean isExpired(RegisteredFastpath fastpath, Instant now) {
        return fastpath.lastSeen().plus(expiry).isBefore(now);
    }
}
