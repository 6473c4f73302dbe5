package io.isthmus.slowpath.service;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The body of {@code GET /stats} (docs/contracts.md): the slowpath's counters and each fastpath's. Fields beyond the
 * contract's ({@code reinjects}, {@code policyDrops}, ... and per fastpath {@code bytes}, {@code puntDrops},
 * {@code flows}, ...) are additions.
 */
@JsonPropertyOrder({"punts", "installs", "reinjects", "policyDrops", "unsupportedPunts", "errors", "fastpaths"})
public record SlowpathStats(long punts, long installs, long reinjects, long policyDrops, long unsupportedPunts,
        long errors, List<Fastpath> fastpaths) {

    /** One fastpath's counters; {@code stale} if it did not answer this time (last known values). */
    @JsonPropertyOrder({"id", "packets", "hits", "misses", "punts", "drops", "errors", "bytes", "puntDrops", "flows",
            "installRejects", "reinjects", "stale"})
    public record Fastpath(int id, long packets, long hits, long misses, long punts, long drops, long errors,
            long bytes, long puntDrops, long flows, long installRejects, long reinjects, boolean stale) {
    }
}
