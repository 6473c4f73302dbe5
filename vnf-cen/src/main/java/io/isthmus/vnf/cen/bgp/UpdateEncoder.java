package io.isthmus.vnf.cen.bgp;

import static io.isthmus.vnf.cen.bgp.BgpMessages.HEADER_LENGTH;
import static io.isthmus.vnf.cen.bgp.BgpMessages.MAX_MESSAGE_LENGTH;
import static io.isthmus.vnf.cen.bgp.BgpMessages.put16;
import static io.isthmus.vnf.cen.bgp.BgpMessages.put32;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the UPDATEs for our announcements and withdrawals: as many prefixes per message as fit in
 * {@link BgpMessages#MAX_MESSAGE_LENGTH} octets, all announcements sharing one set of attributes — ORIGIN IGP, AS_PATH
 * our AS (eBGP) or empty (iBGP), NEXT_HOP our configured address, LOCAL_PREF 100 (iBGP only). Pure.
 */
public final class UpdateEncoder {

    private UpdateEncoder() {
    }

    /**
     * The path attributes of our announcements. On a session without 4-octet AS our AS above 65535 travels as
     * AS_TRANS, with the real one in AS4_PATH (RFC 6793 §4.2.2).
     */
    public static byte[] attributes(int localAs, boolean ebgp, boolean fourOctetAs, int nextHop) {
        ByteArrayOutputStream a = new ByteArrayOutputStream(40);
        a.writeBytes(new byte[]{(byte) UpdateDecoder.FLAG_TRANSITIVE, UpdateDecoder.ORIGIN, 1,
                LearnedRoute.ORIGIN_IGP});
        boolean bigAs = Integer.compareUnsigned(localAs, 0xFFFF) > 0;
        if (ebgp) {
            int asSize = fourOctetAs ? 4 : 2;
            a.writeBytes(new byte[]{(byte) UpdateDecoder.FLAG_TRANSITIVE, UpdateDecoder.AS_PATH,
                    (byte) (2 + asSize), UpdateDecoder.AS_SEQUENCE, 1});
            int as = fourOctetAs || !bigAs ? localAs : BgpMessages.AS_TRANS;
            a.writeBytes(fourOctetAs ? int32(as) : new byte[]{(byte) (as >>> 8), (byte) as});
            if (!fourOctetAs && bigAs) {
                a.writeBytes(new byte[]{(byte) (UpdateDecoder.FLAG_OPTIONAL | UpdateDecoder.FLAG_TRANSITIVE),
                        UpdateDecoder.AS4_PATH, 6, UpdateDecoder.AS_SEQUENCE, 1});
                a.writeBytes(int32(localAs));
            }
        } else {
            a.writeBytes(new byte[]{(byte) UpdateDecoder.FLAG_TRANSITIVE, UpdateDecoder.AS_PATH, 0});
        }
        a.writeBytes(new byte[]{(byte) UpdateDecoder.FLAG_TRANSITIVE, UpdateDecoder.NEXT_HOP, 4});
        a.writeBytes(int32(nextHop));
        if (!ebgp) {
            a.writeBytes(new byte[]{(byte) UpdateDecoder.FLAG_TRANSITIVE, UpdateDecoder.LOCAL_PREF, 4});
            a.writeBytes(int32(LearnedRoute.DEFAULT_LOCAL_PREF));
        }
        return a.toByteArray();
    }

    /** UPDATEs announcing {@code prefixes}, each with {@code attributes} and as many NLRI as fit. */
    public static List<byte[]> announce(List<Prefix> prefixes, byte[] attributes) {
        return pack(prefixes, attributes);
    }

    /** UPDATEs withdrawing {@code prefixes}, as many per message as fit. */
    public static List<byte[]> withdraw(List<Prefix> prefixes) {
        return pack(prefixes, null);
    }

    private static List<byte[]> pack(List<Prefix> prefixes, byte[] attributes) {
        int fixed = HEADER_LENGTH + 4 + (attributes == null ? 0 : attributes.length);
        List<byte[]> messages = new ArrayList<>();
        byte[] scratch = new byte[MAX_MESSAGE_LENGTH];
        int i = 0;
        while (i < prefixes.size()) {
            int fieldLength = 0;
            while (i < prefixes.size()) {
                int size = 1 + ((prefixes.get(i).length() + 7) >>> 3);
                if (fixed + fieldLength + size > MAX_MESSAGE_LENGTH) {
                    break;
                }
                fieldLength = encodePrefix(scratch, fieldLength, prefixes.get(i));
                i++;
            }
            byte[] m = BgpMessages.header(fixed + fieldLength, BgpMessages.UPDATE);
            int p = HEADER_LENGTH;
            if (attributes == null) {
                p = put16(m, p, fieldLength);
                System.arraycopy(scratch, 0, m, p, fieldLength);
                put16(m, p + fieldLength, 0);
            } else {
                p = put16(m, p, 0);
                p = put16(m, p, attributes.length);
                System.arraycopy(attributes, 0, m, p, attributes.length);
                System.arraycopy(scratch, 0, m, p + attributes.length, fieldLength);
            }
            messages.add(m);
        }
        return messages;
    }

    private static int encodePrefix(byte[] b, int p, Prefix prefix) {
        b[p++] = (byte) prefix.length();
        int octets = (prefix.length() + 7) >>> 3;
        for (int k = 0; k < octets; k++) {
            b[p++] = (byte) (prefix.address() >>> (24 - 8 * k));
        }
        return p;
    }

    private static byte[] int32(int v) {
        byte[] b = new byte[4];
        put32(b, 0, v);
        return b;
    }
}
