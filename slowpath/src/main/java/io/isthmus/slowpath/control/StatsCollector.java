package io.isthmus.slowpath.control;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.GroupCounters;

/**
 * Asks every live fastpath for its counters and waits, bounded, for the answers. A fastpath that does not answer in
 * time is reported with its last known counters, marked stale. The counter groups of each answer are kept in the
 * registry ({@link FastpathRegistry#counterGroupTotals()}).
 */
public final class StatsCollector {

    /**
     * A fastpath's counters as collected; {@code lastPacketAt} when its {@code packets} count last moved (as far as
     * the stats responses tell).
     */
    public record Collected(int id, FastpathStats stats, boolean stale, Instant lastPacketAt) {
    }

    private final FastpathRegistry registry;
    private final FastpathMessenger messenger;
    private final AtomicInteger sequences = new AtomicInteger();
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();

    private record Pending(Set<Integer> answered, CountDownLatch latch) {
    }

    public StatsCollector(FastpathRegistry registry, FastpathMessenger messenger) {
        this.registry = registry;
        this.messenger = messenger;
    }

    /** Collects the counters of every live fastpath, waiting at most {@code timeout}. */
    public List<Collected> collect(Duration timeout) throws InterruptedException {
        List<RegisteredFastpath> fastpaths = registry.live();
        int sequence = sequences.incrementAndGet();
        Pending request = new Pending(ConcurrentHashMap.newKeySet(), new CountDownLatch(fastpaths.size()));
        pending.put(sequence, request);
        try {
            for (RegisteredFastpath fastpath : fastpaths) {
                messenger.requestStats(fastpath.id(), fastpath.controlAddress(), sequence);
            }
            request.latch().await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            pending.remove(sequence);
        }
        return fastpaths.stream().map(f -> {
            RegisteredFastpath now = registry.get(f.id()).orElse(f);
            FastpathStats stats = now.lastStats() != null ? now.lastStats() : empty();
            return new Collected(f.id(), stats, !request.answered().contains(f.id()), now.lastPacketAt());
        }).toList();
    }

    /** A STATS_RESPONSE arrived with its counter groups (control thread). */
    void onResponse(int fastpathId, int sequence, InetSocketAddress sender, FastpathStats stats,
            Map<Integer, GroupCounters> groups) {
        registry.recordStats(fastpathId, sender, stats, groups);
        Pending request = pending.get(sequence);
        if (request != null && request.answered().add(fastpathId)) {
            request.latch().countDown();
        }
    }

    private static FastpathStats empty() {
        return FastpathStats.of(new long[FastpathStats.COUNTER_COUNT]);
    }
}
