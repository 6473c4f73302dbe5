package io.isthmus.vnf.cen.bgp;

import static io.isthmus.vnf.cen.bgp.BgpMessages.HEADER_LENGTH;
import static io.isthmus.vnf.cen.bgp.BgpMessages.u16;
import static io.isthmus.vnf.cen.bgp.BgpMessages.u32;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes an UPDATE (RFC 4271 §4.3) and decides what a malformed one costs, per RFC 7606: the weakest of "attribute
 * discard" (the attribute is dropped, the routes stand), "treat-as-withdraw" (the UPDATE's NLRI are withdrawn, the
 * session stays up) and "session reset" (NOTIFICATION, the session goes down) that the errors found demand. Pure: no
 * I/O, no state.
 */
public final class UpdateDecoder {

    /** RFC 7606 §2, weakest first: when several errors occur the strongest approach wins (§3 f). */
    public enum Approach {
        NONE, ATTRIBUTE_DISCARD, TREAT_AS_WITHDRAW, SESSION_RESET
    }

    /**
     * The decision. {@code withdrawn} holds the Withdrawn Routes (and MP_UNREACH IPv4 unicast), plus with
     * treat-as-withdraw the NLRI; {@code problems} says what was wrong, for the log. With session reset nothing else
     * applies and {@code notification} is what to send.
     */
    public record Result(Approach approach, List<LearnedRoute> announced, List<Prefix> withdrawn,
            Notification notification, List<String> problems) {
    }

    /** How the session reads an UPDATE: AS numbers 4 or 2 octets, and who the peer is (eBGP checks). */
    public record Context(boolean fourOctetAs, boolean ebgp, int peerAs) {
    }

    static final int ORIGIN = 1;
    static final int AS_PATH = 2;
    static final int NEXT_HOP = 3;
    static final int MULTI_EXIT_DISC = 4;
    static final int LOCAL_PREF = 5;
    static final int ATOMIC_AGGREGATE = 6;
    static final int AGGREGATOR = 7;
    static final int COMMUNITIES = 8;
    static final int MP_REACH_NLRI = 14;
    static final int MP_UNREACH_NLRI = 15;
    static final int AS4_PATH = 17;

    static final int FLAG_OPTIONAL = 0x80;
    static final int FLAG_TRANSITIVE = 0x40;
    static final int FLAG_EXTENDED_LENGTH = 0x10;

    static final int AS_SET = 1;
    static final int AS_SEQUENCE = 2;

    private UpdateDecoder() {
    }

    /** Decodes the UPDATE of {@code length} octets (header included, already checked) at {@code offset}. */
    public static Result decode(byte[] m, int offset, int length, Context context) {
        return new Decoding(m, context).run(offset, offset + length);
    }

    private static final class Decoding {
        private final byte[] m;
        private final Context context;
        private Approach approach = Approach.NONE;
        private final List<String> problems = new ArrayList<>(2);
        private Notification notification;
        private final List<Prefix> withdrawn = new ArrayList<>();
        private final List<Prefix> mpReach = new ArrayList<>();
        private int origin = -1;
        private List<Integer> asPath;
        private int nextHop;
        private boolean hasNextHop;
        private int mpNextHop;
        private int med;
        private int localPref = LearnedRoute.DEFAULT_LOCAL_PREF;
        private List<Integer> communities = List.of();

        Decoding(byte[] m, Context context) {
            this.m = m;
            this.context = context;
        }

        Result run(int start, int end) {
            int p = start + HEADER_LENGTH;
            // RFC 4271 §6.3: the two length fields must fit the message, else nothing can be located
            int withdrawnLength = u16(m, p);
            p += 2;
            if (p + withdrawnLength + 2 > end) {
                return reset(Notification.MALFORMED_ATTRIBUTE_LIST, "Withdrawn Routes Length " + withdrawnLength
                        + " overruns the message");
            }
            if (!parseNlri(p, p + withdrawnLength, withdrawn)) {
                return reset(Notification.INVALID_NETWORK_FIELD, "Withdrawn Routes field syntactically incorrect");
            }
            p += withdrawnLength;
            int attributesLength = u16(m, p);
            p += 2;
            int nlriStart = p + attributesLength;
            if (nlriStart > end) {
                return reset(Notification.MALFORMED_ATTRIBUTE_LIST, "Total Path Attribute Length "
                        + attributesLength + " overruns the message");
            }
            List<Prefix> nlri = new ArrayList<>((end - nlriStart) / 4);
            if (!parseNlri(nlriStart, end, nlri)) {
                return reset(Notification.INVALID_NETWORK_FIELD, "NLRI field syntactically incorrect");
            }
            parseAttributes(p, nlriStart);
            if (approach == Approach.SESSION_RESET) {
                return new Result(approach, List.of(), List.of(), notification, problems);
            }
            if (!nlri.isEmpty() || !mpReach.isEmpty()) {
                checkMandatory(!nlri.isEmpty());
            }
            if (approach == Approach.TREAT_AS_WITHDRAW) {
                withdrawn.addAll(nlri);
                withdrawn.addAll(mpReach);
                return new Result(approach, List.of(), withdrawn, null, problems);
            }
            List<LearnedRoute> announced = new ArrayList<>(nlri.size() + mpReach.size());
            for (Prefix prefix : nlri) {
                announced.add(new LearnedRoute(prefix, nextHop, asPath, med, localPref, origin, communities));
            }
            for (Prefix prefix : mpReach) {
                announced.add(new LearnedRoute(prefix, mpNextHop, asPath, med, localPref, origin, communities));
            }
            return new Result(approach, announced, withdrawn, null, problems);
        }

        private void checkMandatory(boolean classicNlri) {
            if (origin < 0) {
                error(Approach.TREAT_AS_WITHDRAW, "ORIGIN missing");
            }
            if (asPath == null) {
                error(Approach.TREAT_AS_WITHDRAW, "AS_PATH missing");
            }
            // RFC 4760: NEXT_HOP is only needed for NLRI in the UPDATE's own field
            if (classicNlri && !hasNextHop) {
                error(Approach.TREAT_AS_WITHDRAW, "NEXT_HOP missing");
            }
        }

        private void parseAttributes(int p, int end) {
            boolean[] seen = new boolean[256];
            while (p < end) {
                // RFC 7606 §4: a truncated attribute list; Total Path Attribute Length still locates the NLRI
                if (end - p < 3 || ((m[p] & FLAG_EXTENDED_LENGTH) != 0 && end - p < 4)) {
                    error(Approach.TREAT_AS_WITHDRAW, "path attribute header truncated");
                    return;
                }
                int flags = m[p] & 0xFF;
                int type = m[p + 1] & 0xFF;
                boolean extended = (flags & FLAG_EXTENDED_LENGTH) != 0;
                int length = extended ? u16(m, p + 2) : m[p + 2] & 0xFF;
                int value = p + (extended ? 4 : 3);
                if (value + length > end) {
                    error(Approach.TREAT_AS_WITHDRAW,
                            "attribute " + type + " length " + length + " overruns the path attributes");
                    return;
                }
                if (seen[type]) {
                    if (type == MP_REACH_NLRI || type == MP_UNREACH_NLRI) {
                        fail(Notification.MALFORMED_ATTRIBUTE_LIST, "attribute " + type + " twice");
                        return;
                    }
                    problems.add("attribute " + type + " repeated: discarded");
                    approach = max(approach, Approach.ATTRIBUTE_DISCARD);
                } else {
                    seen[type] = true;
                    attribute(flags, type, value, length, p);
                    if (approach == Approach.SESSION_RESET) {
                        return;
                    }
                }
                p = value + length;
            }
        }

        private void attribute(int flags, int type, int v, int length, int start) {
            int category = flags & (FLAG_OPTIONAL | FLAG_TRANSITIVE);
            switch (type) {
                case ORIGIN -> {
                    if (category != FLAG_TRANSITIVE || length != 1 || (m[v] & 0xFF) > 2) {
                        error(Approach.TREAT_AS_WITHDRAW, "ORIGIN malformed");
                    } else {
                        origin = m[v];
                    }
                }
                case AS_PATH -> {
                    if (category != FLAG_TRANSITIVE) {
                        error(Approach.TREAT_AS_WITHDRAW, "AS_PATH flags");
                    } else {
                        asPath = asPath(v, v + length);
                    }
                }
                case NEXT_HOP -> {
                    if (category != FLAG_TRANSITIVE || length != 4) {
                        error(Approach.TREAT_AS_WITHDRAW, "NEXT_HOP malformed");
                    } else {
                        nextHop = u32(m, v);
                        hasNextHop = true;
                        // RFC 4271 §6.3: a semantically wrong NEXT_HOP makes the route ignored, without NOTIFICATION
                        if (!usableNextHop(nextHop)) {
                            error(Approach.TREAT_AS_WITHDRAW,
                                    "NEXT_HOP " + Prefix.formatAddress(nextHop) + " unusable");
                        }
                    }
                }
                case MULTI_EXIT_DISC -> {
                    if (category != FLAG_OPTIONAL) {
                        error(Approach.TREAT_AS_WITHDRAW, "MULTI_EXIT_DISC flags");
                    } else if (length != 4) {
                        error(Approach.ATTRIBUTE_DISCARD, "MULTI_EXIT_DISC length " + length + ": discarded");
                    } else {
                        med = u32(m, v);
                    }
                }
                case LOCAL_PREF -> {
                    if (context.ebgp()) {
                        // RFC 7606 §7.5: from an external peer it is discarded whatever it holds
                        return;
                    }
                    if (category != FLAG_TRANSITIVE || length != 4) {
                        error(Approach.TREAT_AS_WITHDRAW, "LOCAL_PREF malformed");
                    } else {
                        localPref = u32(m, v);
                    }
                }
                case ATOMIC_AGGREGATE -> {
                    if (length != 0) {
                        error(Approach.ATTRIBUTE_DISCARD, "ATOMIC_AGGREGATE length " + length + ": discarded");
                    }
                }
                case AGGREGATOR -> {
                    if (length != (context.fourOctetAs() ? 8 : 6)) {
                        error(Approach.ATTRIBUTE_DISCARD, "AGGREGATOR length " + length + ": discarded");
                    }
                }
                case COMMUNITIES -> {
                    if (category != (FLAG_OPTIONAL | FLAG_TRANSITIVE) || length == 0 || length % 4 != 0) {
                        error(Approach.TREAT_AS_WITHDRAW, "COMMUNITIES malformed");
                    } else {
                        Integer[] values = new Integer[length / 4];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = u32(m, v + 4 * i);
                        }
                        communities = List.of(values);
                    }
                }
                case MP_REACH_NLRI -> mpReach(v, v + length);
                case MP_UNREACH_NLRI -> mpUnreach(v, v + length);
                default -> {
                    if ((flags & FLAG_OPTIONAL) == 0) {
                        // RFC 4271 §6.3, unchanged by RFC 7606
                        fail(Notification.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE,
                                "unrecognized well-known attribute " + type,
                                Arrays.copyOfRange(m, start, v + length));
                    }
                    // an unrecognized optional attribute is ignored (we pass no attributes on)
                }
            }
        }

        /** RFC 7606 §7.2: a segment overrunning, empty, of unknown type or a confederation segment from eBGP. */
        private List<Integer> asPath(int p, int end) {
            int asSize = context.fourOctetAs() ? 4 : 2;
            List<Integer> path = new ArrayList<>(8);
            boolean first = true;
            while (p < end) {
                if (end - p < 2) {
                    error(Approach.TREAT_AS_WITHDRAW, "AS_PATH segment header truncated");
                    return null;
                }
                int segmentType = m[p] & 0xFF;
                int count = m[p + 1] & 0xFF;
                if (segmentType != AS_SET && segmentType != AS_SEQUENCE) {
                    error(Approach.TREAT_AS_WITHDRAW, "AS_PATH segment type " + segmentType);
                    return null;
                }
                if (count == 0 || p + 2 + count * asSize > end) {
                    error(Approach.TREAT_AS_WITHDRAW, "AS_PATH segment length " + count);
                    return null;
                }
                p += 2;
                if (first && context.ebgp() && (segmentType != AS_SEQUENCE || asAt(p, asSize) != context.peerAs())) {
                    error(Approach.TREAT_AS_WITHDRAW, "AS_PATH does not start with the peer's AS");
                    return null;
                }
                first = false;
                for (int i = 0; i < count; i++, p += asSize) {
                    path.add(asAt(p, asSize));
                }
            }
            if (first && context.ebgp()) {
                error(Approach.TREAT_AS_WITHDRAW, "empty AS_PATH from an external peer");
                return null;
            }
            return List.copyOf(path);
        }

        private int asAt(int p, int asSize) {
            return asSize == 4 ? u32(m, p) : u16(m, p);
        }

        /** IPv4 unicast only; other families were not negotiated and are ignored. */
        private void mpReach(int p, int end) {
            if (end - p < 5) {
                fail(Notification.MALFORMED_ATTRIBUTE_LIST, "MP_REACH_NLRI truncated");
                return;
            }
            if (u16(m, p) != 1 || m[p + 2] != 1) {
                return;
            }
            int nextHopLength = m[p + 3] & 0xFF;
            int nlri = p + 4 + nextHopLength + 1;
            if (nextHopLength != 4 || nlri > end) {
                fail(Notification.MALFORMED_ATTRIBUTE_LIST, "MP_REACH_NLRI next hop length " + nextHopLength);
                return;
            }
            mpNextHop = u32(m, p + 4);
            if (!parseNlri(nlri, end, mpReach)) {
                fail(Notification.INVALID_NETWORK_FIELD, "MP_REACH_NLRI prefixes syntactically incorrect");
            } else if (!usableNextHop(mpNextHop)) {
                error(Approach.TREAT_AS_WITHDRAW, "MP_REACH_NLRI next hop unusable");
            }
        }

        private void mpUnreach(int p, int end) {
            if (end - p < 3) {
                fail(Notification.MALFORMED_ATTRIBUTE_LIST, "MP_UNREACH_NLRI truncated");
                return;
            }
            if (u16(m, p) == 1 && m[p + 2] == 1 && !parseNlri(p + 3, end, withdrawn)) {
                fail(Notification.INVALID_NETWORK_FIELD, "MP_UNREACH_NLRI prefixes syntactically incorrect");
            }
        }

        /** RFC 7606 §5.3: a length above 32 or a prefix overrunning the field is a syntax error. */
        private boolean parseNlri(int p, int end, List<Prefix> into) {
            while (p < end) {
                int length = m[p++] & 0xFF;
                int octets = (length + 7) >>> 3;
                if (length > 32 || p + octets > end) {
                    return false;
                }
                int address = 0;
                for (int i = 0; i < 4; i++) {
                    address = address << 8 | (i < octets ? m[p + i] & 0xFF : 0);
                }
                into.add(Prefix.of(address, length));
                p += octets;
            }
            return true;
        }

        private static boolean usableNextHop(int address) {
            // 0.0.0.0/8 and class D/E (multicast, reserved) cannot be a next hop
            return (address >>> 24) != 0 && Integer.compareUnsigned(address, 0xE000_0000) < 0;
        }

        private void error(Approach needed, String problem) {
            problems.add(problem);
            approach = max(approach, needed);
        }

        private void fail(int subcode, String problem) {
            fail(subcode, problem, new byte[0]);
        }

        private void fail(int subcode, String problem, byte[] data) {
            problems.add(problem);
            approach = Approach.SESSION_RESET;
            notification = new Notification(Notification.UPDATE_MESSAGE_ERROR, subcode, data);
        }

        private Result reset(int subcode, String problem) {
            fail(subcode, problem);
            return new Result(approach, List.of(), List.of(), notification, problems);
        }

        private static Approach max(Approach a, Approach b) {
            return a.compareTo(b) >= 0 ? a : b;
        }
    }
}
