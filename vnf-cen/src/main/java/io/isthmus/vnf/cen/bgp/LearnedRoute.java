package io.isthmus.vnf.cen.bgp;

import java.util.List;

/**
 * A route the peer announced. AS numbers are 32-bit unsigned values in an int ({@link Integer#toUnsignedLong}).
 *
 * @param asPath the AS_PATH as the peer sent it, leftmost (the peer's) AS first: the members of AS_SEQUENCE segments in
 *               order, the members of an AS_SET in the order received
 * @param med the MULTI_EXIT_DISC, 0 when absent (or discarded as malformed)
 * @param localPref the LOCAL_PREF from an iBGP peer; 100 when absent and always 100 from an eBGP peer (whose LOCAL_PREF
 *                  is ignored, RFC 4271 §5.1.5)
 * @param origin 0 IGP, 1 EGP, 2 INCOMPLETE
 * @param communities the COMMUNITIES attribute's values, raw (RFC 1997: AS in the high 16 bits), empty when absent
 */
public record LearnedRoute(Prefix prefix, int nextHop, List<Integer> asPath, int med, int localPref, int origin,
        List<Integer> communities) {

    public static final int ORIGIN_IGP = 0;
    public static final int ORIGIN_EGP = 1;
    public static final int ORIGIN_INCOMPLETE = 2;
    public static final int DEFAULT_LOCAL_PREF = 100;

    public LearnedRoute {
        asPath = List.copyOf(asPath);
        communities = List.copyOf(communities);
    }

    public LearnedRoute(Prefix prefix, int nextHop, List<Integer> asPath, int med, int localPref, int origin) {
        this(prefix, nextHop, asPath, med, localPref, origin, List.of());
    }
}
