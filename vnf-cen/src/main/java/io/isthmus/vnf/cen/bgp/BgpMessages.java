package io.isthmus.vnf.cen.bgp;

import java.util.Arrays;

/**
 * The BGP-4 message codec (RFC 4271 §4) apart from UPDATE ({@link UpdateDecoder}, {@link UpdateEncoder}): pure
 * functions over byte arrays, no I/O.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Marker (16 octets of 0xFF)                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Length               |      Type     |  body ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class BgpMessages {

    public static final int HEADER_LENGTH = 19;
    public static final int MAX_MESSAGE_LENGTH = 4096;
    public static final int LENGTH_OFFSET = 16;
    public static final int TYPE_OFFSET = 18;

    public static final int OPEN = 1;
    public static final int UPDATE = 2;
    public static final int NOTIFICATION = 3;
    public static final int KEEPALIVE = 4;
    public static final int ROUTE_REFRESH = 5;

    public static final int AS_TRANS = 23456;
    static final int CAPABILITIES_PARAMETER = 2;
    static final int CAP_MULTIPROTOCOL = 1;
    static final int CAP_ROUTE_REFRESH = 2;
    static final int CAP_FOUR_OCTET_AS = 65;

    private BgpMessages() {
    }

    /** A decoded OPEN. {@code as4} is the 4-octet AS capability's value, valid when {@code fourOctetAs}. */
    public record Open(int version, int myAs, int holdTime, int bgpIdentifier, boolean fourOctetAs, int as4,
            boolean ipv4Unicast, boolean routeRefresh) {

        /** The peer's AS: the capability's when present, else My AS. */
        public int peerAs() {
            return fourOctetAs ? as4 : myAs;
        }
    }

    /** What both OPENs agreed on. {@code holdTime} 0: no hold timer and no keepalives. */
    public record Negotiated(int holdTime, int keepaliveTime, boolean fourOctetAs, boolean routeRefresh,
            int peerIdentifier) {
    }

    /**
     * Checks a message's header at {@code offset} (RFC 4271 §6.1) and returns its length.
     *
     * @throws BgpProtocolException Message Header Error: marker not all ones, length outside 19..4096 or wrong for the
     *                              type, unknown type
     */
    public static int checkHeader(byte[] buffer, int offset) throws BgpProtocolException {
        for (int i = 0; i < 16; i++) {
            if (buffer[offset + i] != (byte) 0xFF) {
                throw new BgpProtocolException(
                        new Notification(Notification.MESSAGE_HEADER_ERROR, Notification.CONNECTION_NOT_SYNCHRONIZED),
                        "marker not all ones");
            }
        }
        int length = u16(buffer, offset + LENGTH_OFFSET);
        int type = buffer[offset + TYPE_OFFSET] & 0xFF;
        boolean lengthOk = switch (type) {
            case OPEN -> length >= 29;
            case UPDATE -> length >= 23;
            case NOTIFICATION -> length >= 21;
            case KEEPALIVE -> length == HEADER_LENGTH;
            case ROUTE_REFRESH -> length == 23;
            default -> throw new BgpProtocolException(new Notification(Notification.MESSAGE_HEADER_ERROR,
                    Notification.BAD_MESSAGE_TYPE, new byte[]{(byte) type}), "message type " + type);
        };
        if (!lengthOk || length > MAX_MESSAGE_LENGTH) {
            throw new BgpProtocolException(new Notification(Notification.MESSAGE_HEADER_ERROR,
                    Notification.BAD_MESSAGE_LENGTH, Arrays.copyOfRange(buffer, offset + 16, offset + 18)),
                    "length " + length + " for message type " + type);
        }
        return length;
    }

    public static int type(byte[] message, int offset) {
        return message[offset + TYPE_OFFSET] & 0xFF;
    }

    /** Our OPEN: version 4, capabilities Multiprotocol IPv4 unicast, Route Refresh and 4-octet AS. */
    public static byte[] encodeOpen(int localAs, int holdTime, int routerId) {
        byte[] capabilities = {
                CAP_MULTIPROTOCOL, 4, 0, 1, 0, 1,
                CAP_ROUTE_REFRESH, 0,
                (byte) CAP_FOUR_OCTET_AS, 4, (byte) (localAs >>> 24), (byte) (localAs >>> 16), (byte) (localAs >>> 8),
                (byte) localAs};
        int length = HEADER_LENGTH + 10 + 2 + capabilities.length;
        byte[] m = header(length, OPEN);
        int p = HEADER_LENGTH;
        m[p++] = 4;
        int myAs = Integer.compareUnsigned(localAs, 0xFFFF) > 0 ? AS_TRANS : localAs;
        p = put16(m, p, myAs);
        p = put16(m, p, holdTime);
        p = put32(m, p, routerId);
        m[p++] = (byte) (2 + capabilities.length);
        m[p++] = CAPABILITIES_PARAMETER;
        m[p++] = (byte) capabilities.length;
        System.arraycopy(capabilities, 0, m, p, capabilities.length);
        return m;
    }

    /**
     * Decodes an OPEN (header already checked). Unknown capabilities are ignored (RFC 5492); optional parameters other
     * than Capabilities are an error.
     */
    public static Open decodeOpen(byte[] m, int offset, int length) throws BgpProtocolException {
        int p = offset + HEADER_LENGTH;
        int end = offset + length;
        int version = m[p] & 0xFF;
        int myAs = u16(m, p + 1);
        int holdTime = u16(m, p + 3);
        int identifier = u32(m, p + 5);
        int paramsLength = m[p + 9] & 0xFF;
        p += 10;
        if (p + paramsLength != end) {
            throw new BgpProtocolException(new Notification(Notification.MESSAGE_HEADER_ERROR,
                    Notification.BAD_MESSAGE_LENGTH, new byte[]{(byte) (length >>> 8), (byte) length}),
                    "OPEN optional parameters length " + paramsLength + " in a message of " + length + " octets");
        }
        boolean fourOctet = false;
        int as4 = 0;
        boolean ipv4Unicast = false;
        boolean routeRefresh = false;
        while (p < end) {
            if (end - p < 2 || p + 2 + (m[p + 1] & 0xFF) > end) {
                throw new BgpProtocolException(new Notification(Notification.OPEN_MESSAGE_ERROR, 0),
                        "OPEN optional parameter overruns the message");
            }
            int type = m[p] & 0xFF;
            int paramLength = m[p + 1] & 0xFF;
            if (type != CAPABILITIES_PARAMETER) {
                throw new BgpProtocolException(new Notification(Notification.OPEN_MESSAGE_ERROR,
                        Notification.UNSUPPORTED_OPTIONAL_PARAMETER), "OPEN optional parameter type " + type);
            }
            int c = p + 2;
            int paramEnd = c + paramLength;
            while (c < paramEnd) {
                if (paramEnd - c < 2 || c + 2 + (m[c + 1] & 0xFF) > paramEnd) {
                    throw new BgpProtocolException(new Notification(Notification.OPEN_MESSAGE_ERROR, 0),
                            "capability overruns its optional parameter");
                }
                int code = m[c] & 0xFF;
                int capLength = m[c + 1] & 0xFF;
                if (code == CAP_FOUR_OCTET_AS && capLength == 4) {
                    fourOctet = true;
                    as4 = u32(m, c + 2);
                } else if (code == CAP_MULTIPROTOCOL && capLength == 4 && u16(m, c + 2) == 1 && m[c + 5] == 1) {
                    ipv4Unicast = true;
                } else if (code == CAP_ROUTE_REFRESH && capLength == 0) {
                    routeRefresh = true;
                }
                c += 2 + capLength;
            }
            p = paramEnd;
        }
        return new Open(version, myAs, holdTime, identifier, fourOctet, as4, ipv4Unicast, routeRefresh);
    }

    /**
     * Checks the peer's OPEN against the session's configuration (RFC 4271 §6.2) and agrees the hold time: the smaller
     * of both offers.
     */
    public static Negotiated negotiate(BgpPeerConfig config, Open open) throws BgpProtocolException {
        if (open.version() != 4) {
            throw new BgpProtocolException(new Notification(Notification.OPEN_MESSAGE_ERROR,
                    Notification.UNSUPPORTED_VERSION_NUMBER, new byte[]{0, 4}), "BGP version " + open.version());
        }
        if (open.peerAs() != config.peerAs()) {
            throw new BgpProtocolException(new Notification(Notification.OPEN_MESSAGE_ERROR, Notification.BAD_PEER_AS),
                    "peer AS " + Integer.toUnsignedString(open.peerAs()) + ", expected "
                            + Integer.toUnsignedString(config.peerAs()));
        }
        if (open.bgpIdentifier() == 0 || (!config.ebgp() && open.bgpIdentifier() == config.routerId())) {
            throw new BgpProtocolException(
                    new Notification(Notification.OPEN_MESSAGE_ERROR, Notification.BAD_BGP_IDENTIFIER),
                    "BGP identifier " + Prefix.formatAddress(open.bgpIdentifier()));
        }
        if (open.holdTime() == 1 || open.holdTime() == 2) {
            throw new BgpProtocolException(
                    new Notification(Notification.OPEN_MESSAGE_ERROR, Notification.UNACCEPTABLE_HOLD_TIME),
                    "hold time " + open.holdTime() + " s");
        }
        int hold = Math.min(open.holdTime(), config.holdTimeSeconds());
        return new Negotiated(hold, hold / 3, open.fourOctetAs(), open.routeRefresh(), open.bgpIdentifier());
    }

    public static byte[] encodeKeepalive() {
        return header(HEADER_LENGTH, KEEPALIVE);
    }

    public static byte[] encodeNotification(Notification notification) {
        byte[] data = notification.data();
        int length = Math.min(HEADER_LENGTH + 2 + data.length, MAX_MESSAGE_LENGTH);
        byte[] m = header(length, NOTIFICATION);
        m[HEADER_LENGTH] = (byte) notification.code();
        m[HEADER_LENGTH + 1] = (byte) notification.subcode();
        System.arraycopy(data, 0, m, HEADER_LENGTH + 2, length - HEADER_LENGTH - 2);
        return m;
    }

    public static Notification decodeNotification(byte[] m, int offset, int length) {
        return new Notification(m[offset + HEADER_LENGTH] & 0xFF, m[offset + HEADER_LENGTH + 1] & 0xFF,
                Arrays.copyOfRange(m, offset + HEADER_LENGTH + 2, offset + length));
    }

    /** The AFI/SAFI a ROUTE-REFRESH (RFC 2918) asks for, as {@code afi << 8 | safi}. */
    public static int routeRefreshFamily(byte[] m, int offset) {
        return u16(m, offset + HEADER_LENGTH) << 8 | (m[offset + HEADER_LENGTH + 3] & 0xFF);
    }

    static byte[] header(int length, int type) {
        byte[] m = new byte[length];
        Arrays.fill(m, 0, 16, (byte) 0xFF);
        put16(m, LENGTH_OFFSET, length);
        m[TYPE_OFFSET] = (byte) type;
        return m;
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    static int u32(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    static int put16(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
        return p + 2;
    }

    static int put32(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
        return p + 4;
    }
}
