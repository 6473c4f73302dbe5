package io.isthmus.vnf.vpn.ike;

import io.isthmus.vnf.vpn.ike.IkeProposals.Proposal;
import io.isthmus.vnf.vpn.ike.IkeProposals.Transform;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * IKEv2 messages on the wire (RFC 7296 §3). Parsing yields {@link Payload} views into the message; the typed decoders
 * read them. {@link Writer} builds a payload chain, {@link #plain} and {@link #encrypted} wrap it into a message.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Initiator's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Responder's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Message ID                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Length                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
final class IkeCodec {

    static final int HEADER_LENGTH = 28;
    static final int SPI_I_OFFSET = 0;
    static final int SPI_R_OFFSET = 8;
    static final int NEXT_PAYLOAD_OFFSET = 16;
    static final int VERSION_OFFSET = 17;
    static final int EXCHANGE_OFFSET = 18;
    static final int FLAGS_OFFSET = 19;
    static final int MESSAGE_ID_OFFSET = 20;
    static final int LENGTH_OFFSET = 24;
    static final int VERSION_2 = 0x20;

    static final int FLAG_INITIATOR = 0x08;
    static final int FLAG_VERSION = 0x10;
    static final int FLAG_RESPONSE = 0x20;

    static final int IKE_SA_INIT = 34;
    static final int IKE_AUTH = 35;
    static final int CREATE_CHILD_SA = 36;
    static final int INFORMATIONAL = 37;

    static final int PT_NONE = 0;
    static final int PT_SA = 33;
    static final int PT_KE = 34;
    static final int PT_IDI = 35;
    static final int PT_IDR = 36;
    static final int PT_CERT = 37;
    static final int PT_CERTREQ = 38;
    static final int PT_AUTH = 39;
    static final int PT_NONCE = 40;
    static final int PT_NOTIFY = 41;
    static final int PT_DELETE = 42;
    static final int PT_VENDOR = 43;
    static final int PT_TSI = 44;
    static final int PT_TSR = 45;
    static final int PT_SK = 46;
    static final int PT_CP = 47;
    static final int PT_EAP = 48;

    static final int ID_IPV4_ADDR = 1;
    static final int ID_FQDN = 2;
    static final int AUTH_SHARED_KEY_MIC = 2;
    static final int TS_IPV4_ADDR_RANGE = 7;

    static final int N_UNSUPPORTED_CRITICAL_PAYLOAD = 1;
    static final int N_INVALID_IKE_SPI = 4;
    static final int N_INVALID_SYNTAX = 7;
    static final int N_INVALID_MESSAGE_ID = 9;
    static final int N_INVALID_SPI = 11;
    static final int N_NO_PROPOSAL_CHOSEN = 14;
    static final int N_INVALID_KE_PAYLOAD = 17;
    static final int N_AUTHENTICATION_FAILED = 24;
    static final int N_SINGLE_PAIR_REQUIRED = 34;
    static final int N_NO_ADDITIONAL_SAS = 35;
    static final int N_TS_UNACCEPTABLE = 38;
    static final int N_TEMPORARY_FAILURE = 43;
    static final int N_CHILD_SA_NOT_FOUND = 44;
    static final int N_INITIAL_CONTACT = 16384;
    static final int N_NAT_DETECTION_SOURCE_IP = 16388;
    static final int N_NAT_DETECTION_DESTINATION_IP = 16389;
    static final int N_COOKIE = 16390;
    static final int N_USE_TRANSPORT_MODE = 16391;
    static final int N_REKEY_SA = 16393;
    static final int N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394;

    private static final int[] KNOWN = {PT_SA, PT_KE, PT_IDI, PT_IDR, PT_CERT, PT_CERTREQ, PT_AUTH, PT_NONCE,
            PT_NOTIFY, PT_DELETE, PT_VENDOR, PT_TSI, PT_TSR, PT_SK, PT_CP, PT_EAP};

    private IkeCodec() {
    }

    /** A message that does not parse; thrown without a stack trace, caught in the engine. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    /** One payload: its type, its critical bit, the type of the next one, and its body (after the 4-byte header). */
    record Payload(int type, boolean critical, int next, byte[] buf, int offset, int length) {

        byte[] body() {
            return Arrays.copyOfRange(buf, offset, offset + length);
        }

        boolean known() {
            for (int t : KNOWN) {
                if (t == type) {
                    return true;
                }
            }
            return false;
        }
    }

    record Notify(int protocol, byte[] spi, int type, byte[] data) {
        boolean error() {
            return type < 16384;
        }
    }

    record Ke(int group, byte[] data) {
    }

    record Delete(int protocol, int[] spis) {
    }

    /** Parses the payload chain starting with type {@code first} in {@code buf[offset, end)}; SK is always last. */
    static List<Payload> parsePayloads(int first, byte[] buf, int offset, int end) throws MalformedException {
        List<Payload> payloads = new ArrayList<>(8);
        int type = first;
        int off = offset;
        while (type != PT_NONE) {
            if (end - off < 4) {
                throw new MalformedException("truncated payload header");
            }
            int next = buf[off] & 0xff;
            boolean critical = (buf[off + 1] & 0x80) != 0;
            int length = u16(buf, off + 2);
            if (length < 4 || length > end - off) {
                throw new MalformedException("bad payload length " + length);
            }
            payloads.add(new Payload(type, critical, next, buf, off + 4, length - 4));
            off += length;
            if (type == PT_SK) {
                return payloads;
            }
            type = next;
        }
        if (off != end) {
            throw new MalformedException("trailing bytes after the last payload");
        }
        return payloads;
    }

    static Payload find(List<Payload> payloads, int type) {
        for (Payload p : payloads) {
            if (p.type() == type) {
                return p;
            }
        }
        return null;
    }

    static List<Notify> notifies(List<Payload> payloads) throws MalformedException {
        List<Notify> result = new ArrayList<>(4);
        for (Payload p : payloads) {
            if (p.type() == PT_NOTIFY) {
                result.add(notify(p));
            }
        }
        return result;
    }

    static Notify findNotify(List<Notify> notifies, int type) {
        for (Notify n : notifies) {
            if (n.type() == type) {
                return n;
            }
        }
        return null;
    }

    static Notify notify(Payload p) throws MalformedException {
        if (p.length() < 4) {
            throw new MalformedException("short notify");
        }
        byte[] b = p.buf();
        int o = p.offset();
        int spiSize = b[o + 1] & 0xff;
        if (4 + spiSize > p.length()) {
            throw new MalformedException("short notify SPI");
        }
        byte[] spi = Arrays.copyOfRange(b, o + 4, o + 4 + spiSize);
        byte[] data = Arrays.copyOfRange(b, o + 4 + spiSize, o + p.length());
        return new Notify(b[o] & 0xff, spi, u16(b, o + 2), data);
    }

    static Ke ke(Payload p) throws MalformedException {
        if (p.length() < 4) {
            throw new MalformedException("short KE");
        }
        return new Ke(u16(p.buf(), p.offset()), Arrays.copyOfRange(p.buf(), p.offset() + 4, p.offset() + p.length()));
    }

    static byte[] nonce(Payload p) throws MalformedException {
        if (p.length() < 16 || p.length() > 256) {
            throw new MalformedException("nonce of " + p.length() + " bytes");
        }
        return p.body();
    }

    /** The identity as text: dotted IPv4 for ID_IPV4_ADDR, the string for others. */
    static String idText(Payload p) throws MalformedException {
        if (p.length() < 4) {
            throw new MalformedException("short ID");
        }
        int type = p.buf()[p.offset()] & 0xff;
        if (type == ID_IPV4_ADDR && p.length() == 8) {
            return Endpoint.dotted(i32(p.buf(), p.offset() + 4));
        }
        return new String(p.buf(), p.offset() + 4, p.length() - 4, java.nio.charset.StandardCharsets.UTF_8);
    }

    static Delete delete(Payload p) throws MalformedException {
        if (p.length() < 4) {
            throw new MalformedException("short delete");
        }
        byte[] b = p.buf();
        int o = p.offset();
        int protocol = b[o] & 0xff;
        int spiSize = b[o + 1] & 0xff;
        int count = u16(b, o + 2);
        if (protocol == IkeProposals.PROTOCOL_IKE) {
            return new Delete(protocol, new int[0]);
        }
        if (spiSize != 4 || 4 + count * 4 != p.length()) {
            throw new MalformedException("bad delete");
        }
        int[] spis = new int[count];
        for (int i = 0; i < count; i++) {
            spis[i] = i32(b, o + 4 + 4 * i);
        }
        return new Delete(protocol, spis);
    }

    /** The IPv4 range selectors of a TS payload (others are skipped). */
    static List<TrafficSelector> ts(Payload p) throws MalformedException {
        byte[] b = p.buf();
        int o = p.offset();
        int end = o + p.length();
        if (p.length() < 4) {
            throw new MalformedException("short TS");
        }
        int count = b[o] & 0xff;
        List<TrafficSelector> result = new ArrayList<>(count);
        int off = o + 4;
        for (int i = 0; i < count; i++) {
            if (end - off < 4) {
                throw new MalformedException("truncated TS");
            }
            int type = b[off] & 0xff;
            int length = u16(b, off + 2);
            if (length < 8 || length > end - off) {
                throw new MalformedException("bad TS length");
            }
            if (type == TS_IPV4_ADDR_RANGE) {
                if (length != 16) {
                    throw new MalformedException("bad IPv4 TS length");
                }
                result.add(new TrafficSelector(i32(b, off + 8), i32(b, off + 12), b[off + 1] & 0xff, u16(b, off + 4),
                        u16(b, off + 6)));
            }
            off += length;
        }
        if (off != end) {
            throw new MalformedException("trailing bytes in TS");
        }
        return result;
    }

    static List<Proposal> sa(Payload p) throws MalformedException {
        byte[] b = p.buf();
        int off = p.offset();
        int end = off + p.length();
        List<Proposal> result = new ArrayList<>(4);
        boolean more = true;
        while (more) {
            if (end - off < 8) {
                throw new MalformedException("truncated proposal");
            }
            more = b[off] == 2;
            int length = u16(b, off + 2);
            if (length < 8 || length > end - off) {
                throw new MalformedException("bad proposal length");
            }
            int number = b[off + 4] & 0xff;
            int protocol = b[off + 5] & 0xff;
            int spiSize = b[off + 6] & 0xff;
            int count = b[off + 7] & 0xff;
            int pend = off + length;
            int t = off + 8 + spiSize;
            if (t > pend) {
                throw new MalformedException("bad proposal SPI");
            }
            byte[] spi = Arrays.copyOfRange(b, off + 8, t);
            List<Transform> transforms = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                if (pend - t < 8) {
                    throw new MalformedException("truncated transform");
                }
                int tlen = u16(b, t + 2);
                if (tlen < 8 || tlen > pend - t) {
                    throw new MalformedException("bad transform length");
                }
                int keyBits = 0;
                boolean unknownAttribute = false;
                for (int a = t + 8; a < t + tlen;) {
                    if (t + tlen - a < 4) {
                        throw new MalformedException("truncated attribute");
                    }
                    int type = u16(b, a);
                    if ((type & 0x8000) != 0) {
                        if ((type & 0x7fff) == 14) {
                            keyBits = u16(b, a + 2);
                        } else {
                            unknownAttribute = true;
                        }
                        a += 4;
                    } else {
                        unknownAttribute = true;
                        a += 4 + u16(b, a + 2);
                    }
                }
                if (!unknownAttribute) { // a transform with attributes we do not know can never match
                    transforms.add(new Transform(b[t + 4] & 0xff, u16(b, t + 6), keyBits));
                }
                t += tlen;
            }
            result.add(new Proposal(number, protocol, spi, transforms));
            off = pend;
        }
        return result;
    }

    /** Builds a chain of payloads; each begin/end pair writes one, patching the previous one's next-payload field. */
    static final class Writer {
        private byte[] buf = new byte[512];
        private int length;
        private int previousHeader = -1;
        private int first = PT_NONE;
        private int start;

        int first() {
            return first;
        }

        int length() {
            return length;
        }

        byte[] buffer() {
            return buf;
        }

        Writer begin(int type) {
            if (previousHeader < 0) {
                first = type;
            } else {
                buf[previousHeader] = (byte) type;
            }
            ensure(4);
            previousHeader = length;
            start = length;
            buf[length++] = 0;
            buf[length++] = 0;
            length += 2;
            return this;
        }

        Writer end() {
            put16(buf, start + 2, length - start);
            return this;
        }

        Writer u8(int v) {
            ensure(1);
            buf[length++] = (byte) v;
            return this;
        }

        Writer u16(int v) {
            ensure(2);
            put16(buf, length, v);
            length += 2;
            return this;
        }

        Writer u32(int v) {
            ensure(4);
            put32(buf, length, v);
            length += 4;
            return this;
        }

        Writer bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, length, b.length);
            length += b.length;
            return this;
        }

        private void ensure(int n) {
            if (length + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + n));
            }
        }

        Writer sa(List<Proposal> proposals) {
            begin(PT_SA);
            for (int i = 0; i < proposals.size(); i++) {
                Proposal p = proposals.get(i);
                int ps = length;
                u8(i == proposals.size() - 1 ? 0 : 2).u8(0).u16(0).u8(p.number()).u8(p.protocol()).u8(p.spi().length)
                        .u8(p.transforms().size()).bytes(p.spi());
                for (int j = 0; j < p.transforms().size(); j++) {
                    Transform t = p.transforms().get(j);
                    u8(j == p.transforms().size() - 1 ? 0 : 3).u8(0).u16(t.keyBits() != 0 ? 12 : 8).u8(t.type()).u8(0)
                            .u16(t.id());
                    if (t.keyBits() != 0) {
                        u16(0x800e).u16(t.keyBits());
                    }
                }
                put16(buf, ps + 2, length - ps);
            }
            return end();
        }

        Writer ke(int group, byte[] data) {
            return begin(PT_KE).u16(group).u16(0).bytes(data).end();
        }

        Writer nonce(byte[] nonce) {
            return begin(PT_NONCE).bytes(nonce).end();
        }

        /** An ID payload from its body (type, 3 reserved bytes, identity: what AUTH signs). */
        Writer id(int payloadType, byte[] body) {
            return begin(payloadType).bytes(body).end();
        }

        Writer auth(byte[] value) {
            return begin(PT_AUTH).u8(AUTH_SHARED_KEY_MIC).u8(0).u16(0).bytes(value).end();
        }

        Writer notify(int protocol, byte[] spi, int type, byte[] data) {
            return begin(PT_NOTIFY).u8(protocol).u8(spi.length).u16(type).bytes(spi).bytes(data).end();
        }

        Writer notify(int type, byte[] data) {
            return notify(0, new byte[0], type, data);
        }

        Writer deleteIke() {
            return begin(PT_DELETE).u8(IkeProposals.PROTOCOL_IKE).u8(0).u16(0).end();
        }

        Writer deleteEsp(int... spis) {
            begin(PT_DELETE).u8(IkeProposals.PROTOCOL_ESP).u8(4).u16(spis.length);
            for (int spi : spis) {
                u32(spi);
            }
            return end();
        }

        Writer ts(int payloadType, List<TrafficSelector> selectors) {
            begin(payloadType).u8(selectors.size()).u8(0).u16(0);
            for (TrafficSelector s : selectors) {
                u8(TS_IPV4_ADDR_RANGE).u8(s.protocol()).u16(16).u16(s.startPort()).u16(s.endPort())
                        .u32(s.startAddress()).u32(s.endAddress());
            }
            return end();
        }
    }

    /** The body of an ID payload for an identity: ID_IPV4_ADDR when it is a dotted address, else ID_FQDN. */
    static byte[] idBody(String identity) {
        try {
            int address = Endpoint.parseAddress(identity);
            byte[] b = new byte[8];
            b[0] = ID_IPV4_ADDR;
            put32(b, 4, address);
            return b;
        } catch (IllegalArgumentException notAnAddress) {
            byte[] text = identity.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] b = new byte[4 + text.length];
            b[0] = ID_FQDN;
            System.arraycopy(text, 0, b, 4, text.length);
            return b;
        }
    }

    /** A message whose payloads travel in the clear (IKE_SA_INIT). */
    static byte[] plain(long spiI, long spiR, int exchange, int flags, int messageId, Writer payloads) {
        byte[] msg = new byte[HEADER_LENGTH + payloads.length()];
        header(msg, spiI, spiR, payloads.first(), exchange, flags, messageId);
        System.arraycopy(payloads.buffer(), 0, msg, HEADER_LENGTH, payloads.length());
        return msg;
    }

    /** A message whose payloads travel in an SK payload (RFC 5282: AAD = header through the SK payload header). */
    static byte[] encrypted(long spiI, long spiR, int exchange, int flags, int messageId, Writer payloads,
            IkeCrypto.Aead aead, byte[] iv) throws GeneralSecurityException {
        int plainLength = payloads.length() + 1; // no padding, pad length 0
        int skLength = 4 + IkeCrypto.Aead.IV_LENGTH + plainLength + IkeCrypto.Aead.ICV_LENGTH;
        byte[] msg = new byte[HEADER_LENGTH + skLength];
        header(msg, spiI, spiR, PT_SK, exchange, flags, messageId);
        msg[HEADER_LENGTH] = (byte) payloads.first();
        put16(msg, HEADER_LENGTH + 2, skLength);
        System.arraycopy(iv, 0, msg, HEADER_LENGTH + 4, IkeCrypto.Aead.IV_LENGTH);
        int plainOffset = HEADER_LENGTH + 4 + IkeCrypto.Aead.IV_LENGTH;
        System.arraycopy(payloads.buffer(), 0, msg, plainOffset, payloads.length());
        aead.seal(msg, HEADER_LENGTH + 4, iv, plainOffset, plainLength);
        return msg;
    }

    /** Decrypts the SK payload of a message and parses the payloads inside. */
    static List<Payload> decrypt(byte[] msg, Payload sk, IkeCrypto.Aead aead)
            throws MalformedException, GeneralSecurityException {
        byte[] plain = aead.open(msg, 0, sk.offset(), sk.offset() + sk.length());
        if (plain.length < 1) {
            throw new MalformedException("empty SK plaintext");
        }
        int padLength = plain[plain.length - 1] & 0xff;
        if (padLength + 1 > plain.length) {
            throw new MalformedException("bad SK padding");
        }
        return parsePayloads(sk.next(), plain, 0, plain.length - 1 - padLength);
    }

    private static void header(byte[] msg, long spiI, long spiR, int next, int exchange, int flags, int messageId) {
        IkeCrypto.putLong(msg, SPI_I_OFFSET, spiI);
        IkeCrypto.putLong(msg, SPI_R_OFFSET, spiR);
        msg[NEXT_PAYLOAD_OFFSET] = (byte) next;
        msg[VERSION_OFFSET] = VERSION_2;
        msg[EXCHANGE_OFFSET] = (byte) exchange;
        msg[FLAGS_OFFSET] = (byte) flags;
        put32(msg, MESSAGE_ID_OFFSET, messageId);
        put32(msg, LENGTH_OFFSET, msg.length);
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    static int i32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    static long i64(byte[] b, int off) {
        return ((long) i32(b, off) << 32) | (i32(b, off + 4) & 0xffffffffL);
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
