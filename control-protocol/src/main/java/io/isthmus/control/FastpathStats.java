package io.isthmus.control;

import java.util.Arrays;
import java.util.List;

/**
 * One fastpath worker's counters as a STATS_RESPONSE carries them. The {@code *_INDEX} constants are the counters'
 * positions on the wire; new counters are only ever appended. {@link #securityAssociations()} are the counters of the
 * SAs in its table (empty from a fastpath without {@code HelloFlyweight.ESP_EXTENDED}).
 */
public record FastpathStats(long packets, long bytes, long hits, long misses, long punts, long puntDrops, long drops,
        long errors, long flows, long installRejects, long reinjects, long ipv6, long ttlExceeded, long expiredFlows,
        long espErrors, long routes, long saInstalls, long malformedPackets, long truncatedPackets,
        long badControlMessages, long natKeepalives, long routed, long noRoute, long blackholed,
        List<SaCounters> securityAssociations) {

    public FastpathStats {
        securityAssociations = securityAssociations == null ? List.of() : List.copyOf(securityAssociations);
    }

    /** The counters before route tables (ROUTE_UPDATE). */
    public FastpathStats(long packets, long bytes, long hits, long misses, long punts, long puntDrops, long drops,
            long errors, long flows, long installRejects, long reinjects, long ipv6, long ttlExceeded,
            long expiredFlows, long espErrors, long routes, long saInstalls, long malformedPackets,
            long truncatedPackets, long badControlMessages, long natKeepalives,
            List<SaCounters> securityAssociations) {
        this(packets, bytes, hits, misses, punts, puntDrops, drops, errors, flows, installRejects, reinjects, ipv6,
                ttlExceeded, expiredFlows, espErrors, routes, saInstalls, malformedPackets, truncatedPackets,
                badControlMessages, natKeepalives, 0, 0, 0, securityAssociations);
    }

    /** The counters before ESP in UDP and per-SA counters. */
    public FastpathStats(long packets, long bytes, long hits, long misses, long punts, long puntDrops, long drops,
            long errors, long flows, long installRejects, long reinjects, long ipv6, long ttlExceeded,
            long expiredFlows, long espErrors, long routes, long saInstalls, long malformedPackets,
            long truncatedPackets, long badControlMessages) {
        this(packets, bytes, hits, misses, punts, puntDrops, drops, errors, flows, installRejects, reinjects, ipv6,
                ttlExceeded, expiredFlows, espErrors, routes, saInstalls, malformedPackets, truncatedPackets,
                badControlMessages, 0, 0, 0, 0, List.of());
    }

    /** The counters before the drops of hostile input were counted by reason. */
    public FastpathStats(long packets, long bytes, long hits, long misses, long punts, long puntDrops, long drops,
            long errors, long flows, long installRejects, long reinjects, long ipv6, long ttlExceeded,
            long expiredFlows, long espErrors, long routes, long saInstalls) {
        this(packets, bytes, hits, misses, punts, puntDrops, drops, errors, flows, installRejects, reinjects, ipv6,
                ttlExceeded, expiredFlows, espErrors, routes, saInstalls, 0, 0, 0, 0, 0, 0, 0, List.of());
    }

    /** The counters before routes and SAs were installed over the protocol. */
    public FastpathStats(long packets, long bytes, long hits, long misses, long punts, long puntDrops, long drops,
            long errors, long flows, long installRejects, long reinjects, long ipv6, long ttlExceeded,
            long expiredFlows, long espErrors) {
        this(packets, bytes, hits, misses, punts, puntDrops, drops, errors, flows, installRejects, reinjects, ipv6,
                ttlExceeded, expiredFlows, espErrors, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
    }

    /** The counters of the first version (a peer that sends only those reads as zero for the rest). */
    public FastpathStats(long packets, long bytes, long hits, long misses, long punts, long puntDrops, long drops,
            long errors, long flows, long installRejects, long reinjects) {
        this(packets, bytes, hits, misses, punts, puntDrops, drops, errors, flows, installRejects, reinjects, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
    }

    /** Packets received on the data port. */
    public static final int PACKETS_INDEX = 0;
    /** Bytes (VXLAN payloads) received on the data port. */
    public static final int BYTES_INDEX = 1;
    /** Packets that matched a rule. */
    public static final int HITS_INDEX = 2;
    /** Parsed packets with no rule. */
    public static final int MISSES_INDEX = 3;
    /** Packets handed to the slowpath (misses and unsupported packets). */
    public static final int PUNTS_INDEX = 4;
    /** Packets that should have been punted but were shed by the punt limit or a full socket. */
    public static final int PUNT_DROPS_INDEX = 5;
    /** Packets dropped for any reason but an error: drop actions, TTL expiry, punt drops, a full socket. */
    public static final int DROPS_INDEX = 6;
    /**
     * Malformed or truncated packets, bad control messages, and unexpected failures of the worker; the first three are
     * also counted by reason ({@link #MALFORMED_PACKETS_INDEX}, {@link #TRUNCATED_PACKETS_INDEX},
     * {@link #BAD_CONTROL_MESSAGES_INDEX}).
     */
    public static final int ERRORS_INDEX = 7;
    /** Rules in the flow table now (a gauge). */
    public static final int FLOWS_INDEX = 8;
    /**
     * Rules refused because the flow table (at its load limit), the program table or the next-hop table was full;
     * routes refused because the route table was, and SAs whose index is beyond the SA table.
     */
    public static final int INSTALL_REJECTS_INDEX = 9;
    /** Packets re-injected by the slowpath. */
    public static final int REINJECTS_INDEX = 10;
    /** IPv6 packets: parsed, checked and punted (or dropped by the punt limit). */
    public static final int IPV6_INDEX = 11;
    /** Packets a DECREMENT_TTL found at TTL 0 or 1: punted for an ICMP time exceeded (or dropped by the limit). */
    public static final int TTL_EXCEEDED_INDEX = 12;
    /** Rules removed because their idle timeout passed (and reported in FLOW_EXPIRED). */
    public static final int EXPIRED_FLOWS_INDEX = 13;
    /**
     * ESP packets dropped by ESP_ENCRYPT or ESP_DECRYPT: failed integrity check, replay, unknown SA or SPI, sequence
     * number exhausted, no room to grow. Also counted in drops.
     */
    public static final int ESP_ERRORS_INDEX = 14;
    /** Routes in the route table now (a gauge; INSTALL_ROUTE, ROUTE_BATCH). */
    public static final int ROUTES_INDEX = 15;
    /** Security associations installed (INSTALL_SA). */
    public static final int SA_INSTALLS_INDEX = 16;
    /**
     * Data packets dropped because a header is broken: VXLAN flags, IPv4 or IPv6 version, IHL, total length less
     * than the header, IPv4 checksum, an L4 header longer than the IP payload. Also counted in errors.
     */
    public static final int MALFORMED_PACKETS_INDEX = 17;
    /**
     * Data packets dropped because they end before their headers, or before the length their IP header says. Also
     * counted in errors.
     */
    public static final int TRUNCATED_PACKETS_INDEX = 18;
    /**
     * Control messages dropped unapplied: too short for a header, another magic or version, another fastpath's id, a
     * type this fastpath does not take, or a body that does not check (overrunning counts and lengths, unknown
     * opcodes, out-of-range fields). Also counted in errors.
     */
    public static final int BAD_CONTROL_MESSAGES_INDEX = 19;
    /**
     * NAT keepalives (RFC 3948 §2.3: a one-byte 0xFF UDP payload) that arrived on an ESP_DECRYPT rule: dropped as
     * they should be. Also counted in drops.
     */
    public static final int NAT_KEEPALIVES_INDEX = 20;
    /** Packets forwarded by a route of a route table (no rule), VNI bound by ROUTE_UPDATE. */
    public static final int ROUTED_INDEX = 21;
    /** Packets on a routed VNI that no route covered: punted ({@code PuntReason.NO_ROUTE}) or, if the punt failed, dropped. */
    public static final int NO_ROUTE_INDEX = 22;
    /** Packets a blackhole route dropped (also counted in drops). */
    public static final int BLACKHOLED_INDEX = 23;
    /** How many counters this version knows. */
    public static final int COUNTER_COUNT = 24;

    /**
     * The counters of {@code values}, indexed by the {@code *_INDEX} constants (an array of an older version's
     * {@link #COUNTER_COUNT} reads as zero for the rest).
     */
    public static FastpathStats of(long[] v) {
        long[] all = v.length >= COUNTER_COUNT ? v : Arrays.copyOf(v, COUNTER_COUNT);
        return new FastpathStats(all[0], all[1], all[2], all[3], all[4], all[5], all[6], all[7], all[8], all[9],
                all[10], all[11], all[12], all[13], all[14], all[15], all[16], all[17], all[18], all[19], all[20],
                all[21], all[22], all[23], List.of());
    }

    /** These counters with the SAs' counters {@code counters}. */
    public FastpathStats withSecurityAssociations(List<SaCounters> counters) {
        return new FastpathStats(packets, bytes, hits, misses, punts, puntDrops, drops, errors, flows,
                installRejects, reinjects, ipv6, ttlExceeded, expiredFlows, espErrors, routes, saInstalls,
                malformedPackets, truncatedPackets, badControlMessages, natKeepalives, routed, noRoute, blackholed,
                counters);
    }
}
