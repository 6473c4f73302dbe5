package io.isthmus.vnf.cen;

/**
 * A route a router attachment's BGP peer announced, as route selection sees it (the BGP session's own types stay in
 * package {@code bgp}).
 *
 * @param prefix the destination
 * @param localPref the LOCAL_PREF (100 from an eBGP peer): higher wins
 * @param asPathLength the AS_PATH's length: shorter wins
 * @param origin 0 IGP, 1 EGP, 2 INCOMPLETE: lower wins
 * @param med the MULTI_EXIT_DISC, unsigned, 0 when absent: lower wins
 */
public record BgpRoute(Ipv4Prefix prefix, int localPref, int asPathLength, int origin, int med) {

    public static final int DEFAULT_LOCAL_PREF = 100;

    /** A route from an eBGP peer with the default LOCAL_PREF and origin IGP. */
    public static BgpRoute of(Ipv4Prefix prefix, int asPathLength, int med) {
        return new BgpRoute(prefix, DEFAULT_LOCAL_PREF, asPathLength, 0, med);
    }

    /**
     * The route's rank among BGP routes of one prefix in one non-negative long, lower better: LOCAL_PREF (higher
     * first; values from 2,097,151 up rank alike), then AS_PATH length (up to 255), then ORIGIN, then MED (RFC 4271
     * 9.1.2.2, MED compared across neighbouring ASes as {@code always-compare-med} does).
     */
    public long rank() {
        long pref = 0x1F_FFFFL - Math.min(Integer.toUnsignedLong(localPref), 0x1F_FFFFL);
        long path = Math.min(Math.max(asPathLength, 0), 0xFF);
        long originRank = origin & 0x3;
        return pref << 42 | path << 34 | originRank << 32 | Integer.toUnsignedLong(med);
    }
}
