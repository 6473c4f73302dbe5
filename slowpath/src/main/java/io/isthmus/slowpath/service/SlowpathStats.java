package io.isthmus.slowpath.service;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The body of {@code GET /stats} (docs/contracts.md): the slowpath's counters and each fastpath's. Fields beyond the
 * contract's ({@code reinjects}, {@code policyDrops}, ... and per fastpath {@code bytes}, {@code puntDrops},
 * {@code flows}, ...) are additions.
 *
 * @param puntQueueDrops punts dropped because the queue between the control socket and the policy was full
 * @param expiryQueueDrops FLOW_EXPIRED messages dropped because even the queue's reserve was full
 * @param puntQueueBytes bytes waiting in that queue now
 * @param puntQueueCapacity its fixed size in bytes
 * @param expiryReports keys fastpaths reported expired
 * @param expiredFlows rules that expired in every fastpath holding them, handed to the policy
 * @param removes rules removed from every fastpath because the policy released their flow
 * @param rules rules the slowpath believes installed in some fastpath (not yet expired everywhere)
 * @param saInstalls security associations installed
 * @param routeInstalls routes installed
 * @param unsupportedInstalls installs not sent to a fastpath that did not announce it takes them, per fastpath
 * @param badControlMessages control messages from fastpaths dropped unapplied (malformed, or not for a slowpath);
 *        also in {@code errors}
 * @param learnedRules rules fastpaths held when they registered (FLOW_DUMP) that the policy took back
 * @param transmits packets the policy made (ICMP errors from the VNF's address, a protocol's messages from its timer)
 *        sent by a fastpath
 * @param indicators the VNF type's own indicators ({@code VnfPolicy#indicators}: for the NAT its sessions,
 *        bindings, port use per public address, allocation failures and drops by reason)
 * @param counters the policy's counter groups ({@code VnfPolicy#counterGroups}) by the names it gives them now: each
 *        one's packets and bytes summed over every fastpath, those gone or restarted included, so that they never go
 *        down from one {@code GET /stats} to the next
 * @param securityAssociations the counters of the SAs the policy installed and has not removed, by SA table slot:
 *        each one's SPI and its packets, bytes, replays, authentication failures and other drops summed over every
 *        fastpath for that SPI, never going down as {@code counters}
 * @param healthChecks the policy's active health checks ({@code VnfPolicy#healthChecks}) and their state
 * @param routeTables the route tables (ROUTE_UPDATE) as installed, their version, and each fastpath's that takes them
 */
@JsonPropertyOrder({"punts", "installs", "reinjects", "policyDrops", "unsupportedPunts", "errors", "puntQueueDrops",
        "expiryQueueDrops", "puntQueueBytes", "puntQueueCapacity", "expiryReports", "expiredFlows", "removes",
        "rules", "saInstalls", "routeInstalls", "unsupportedInstalls", "badControlMessages", "learnedRules",
        "transmits", "indicators", "counters", "securityAssociations",
        "fastpaths", "healthChecks", "routeTables"})
public record SlowpathStats(long punts, long installs, long reinjects, long policyDrops, long unsupportedPunts,
        long errors, long puntQueueDrops, long expiryQueueDrops, long puntQueueBytes, long puntQueueCapacity,
        long expiryReports, long expiredFlows, long removes, long rules, long saInstalls, long routeInstalls,
        long unsupportedInstalls, long badControlMessages, long learnedRules, long transmits,
        Map<String, Object> indicators, Map<String, Counter> counters,
        Map<Integer, SaCounter> securityAssociations,
        List<Fastpath> fastpaths, List<HealthCheckStatus> healthChecks, RouteTables routeTables) {

    /**
     * The route tables: {@code version} of the slowpath's own (each ROUTE_UPDATE delta is one), {@code liveVersion}
     * the lowest every fastpath that takes route tables acknowledged, the routes, next-hop groups and VNI bindings held,
     * the bytes of the deltas kept for fastpaths that fall behind ({@code logBytes}), snapshots started (a fastpath
     * new, reset, or further behind than the log), go-backs ({@code resends}: a fastpath sent again from where its ack
     * stood after a loss), and per fastpath id what its last ROUTE_ACK said.
     */
    @JsonPropertyOrder({"version", "liveVersion", "routes", "groups", "bindings", "logBytes", "snapshotsSent",
            "resends", "fastpaths"})
    public record RouteTables(long version, long liveVersion, int routes, int groups, int bindings, long logBytes,
            long snapshotsSent, long resends, Map<String, RouteTableFastpath> fastpaths) {
    }

    /**
     * One fastpath's route tables as its last ROUTE_ACK said: {@code version} applied (0: none yet or emptied, -1: half
     * way through a snapshot), routes and groups held, routes and groups refused for want of room.
     */
    @JsonPropertyOrder({"version", "routes", "groups", "rejected"})
    public record RouteTableFastpath(long version, int routes, int groups, long rejected) {
    }

    /** A counter group's packets and bytes, summed over the fastpaths. */
    @JsonPropertyOrder({"packets", "bytes"})
    public record Counter(long packets, long bytes) {
    }

    /**
     * One SA's counters, summed over the fastpaths: {@code spi} as an unsigned number, packets and bytes it encrypted
     * or decrypted, inbound packets dropped as replays or for a failed integrity check, and other drops.
     */
    @JsonPropertyOrder({"spi", "packets", "bytes", "replays", "authFailures", "otherDrops"})
    public record SaCounter(long spi, long packets, long bytes, long replays, long authFailures, long otherDrops) {
    }

    /**
     * One fastpath's counters; {@code stale} if it did not answer this time (last known values).
     * {@code malformedPackets}, {@code truncatedPackets} and {@code badControlMessages} break its {@code errors} down
     * (0 from a fastpath that does not count them). {@code routed}, {@code noRoute}, {@code blackholed}: the packets of
     * its route tables (ROUTE_UPDATE) forwarded, punted for want of a route, dropped by a blackhole route.
     * {@code lastPacketAgeMs}: milliseconds since it last received a data
     * packet, as far as its {@code packets} counter tells (since its registration if it received none): the time since
     * the stats response that first showed its latest count, so never more than the truth, and less by at most the
     * time between two {@code GET /stats} (what the VNFM reads before it retires a drained fastpath).
     */
    @JsonPropertyOrder({"id", "packets", "lastPacketAgeMs", "hits", "misses", "punts", "drops", "errors", "bytes",
            "puntDrops", "flows",
            "installRejects", "reinjects", "expiredFlows", "ipv6", "ttlExceeded", "espErrors", "routes", "saInstalls",
            "malformedPackets", "truncatedPackets", "badControlMessages", "routed", "noRoute", "blackholed", "stale"})
    public record Fastpath(int id, long packets, long hits, long misses, long punts, long drops, long errors,
            long bytes, long puntDrops, long flows, long installRejects, long reinjects, long expiredFlows, long ipv6,
            long ttlExceeded, long espErrors, long routes, long saInstalls, long malformedPackets,
            long truncatedPackets, long badControlMessages, long routed, long noRoute, long blackholed, boolean stale,
            long lastPacketAgeMs) {
    }

    /**
     * One health check: {@code state} {@code unknown} (no probe yet), {@code healthy} or {@code unhealthy};
     * {@code lastResult} {@code pass}, {@code fail} or null before the first probe, {@code lastError} why it failed
     * (null after a pass); {@code consecutive} probes in a row with that result; {@code checks} probes since the check
     * started (or changed); {@code lastCheckAgeMs} milliseconds since the last probe ended, null before the first.
     */
    @JsonPropertyOrder({"id", "state", "lastResult", "lastError", "consecutive", "checks", "lastCheckAgeMs"})
    public record HealthCheckStatus(String id, String state, String lastResult, String lastError, int consecutive,
            long checks, Long lastCheckAgeMs) {
    }
}
