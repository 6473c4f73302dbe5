package io.isthmus.vnf.vpn.ike;

import io.isthmus.vnf.vpn.ike.IkeCodec.Delete;
import io.isthmus.vnf.vpn.ike.IkeCodec.Ke;
import io.isthmus.vnf.vpn.ike.IkeCodec.MalformedException;
import io.isthmus.vnf.vpn.ike.IkeCodec.Notify;
import io.isthmus.vnf.vpn.ike.IkeCodec.Payload;
import io.isthmus.vnf.vpn.ike.IkeCodec.Writer;
import io.isthmus.vnf.vpn.ike.IkeCrypto.DhGroup;
import io.isthmus.vnf.vpn.ike.IkeCrypto.KeyExchange;
import io.isthmus.vnf.vpn.ike.IkeCrypto.Prf;
import io.isthmus.vnf.vpn.ike.IkeProposals.Proposal;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An IKEv2 engine (RFC 7296) with pre-shared keys and AES-GCM, as initiator and responder: IKE_SA_INIT, IKE_AUTH,
 * CREATE_CHILD_SA (rekeying CHILD and IKE SAs), INFORMATIONAL (deletes, liveness), NAT traversal (RFC 7296 §2.23, UDP
 * encapsulation RFC 3948). It does no I/O and reads no clock: the caller feeds datagrams ({@link #receive}), time
 * ({@link #onTimer}, every call's {@code nowMillis}) and commands, and the engine answers through {@link Output}. Not
 * thread-safe: the caller serialises calls, and an {@link Output} must not call back into the engine.
 */
public final class IkeEngine {

    static final long RETRANSMIT_BASE_MILLIS = 500;
    static final int MAX_TRIES = 5;
    static final long HALF_OPEN_MILLIS = 30_000;
    static final long OLD_SA_MILLIS = 10_000;
    static final long RESTART_AFTER_FAILURE_MILLIS = 5_000;
    static final long RESTART_AFTER_AUTH_FAILURE_MILLIS = 30_000;
    static final int NONCE_LENGTH = 32;
    static final int NAT_T_PORT = 4500;
    static final int IKE_PORT = 500;
    /** Half-open IKE SAs beyond which the responder asks for a COOKIE (RFC 7296 §2.6) before any DH work. */
    static final int DEFAULT_COOKIE_THRESHOLD = 1_000;

    /** Where the engine's effects go. */
    public interface Output {
        /** Sends one UDP datagram; on port 4500 the payload already starts with the non-ESP marker. */
        void send(Endpoint local, Endpoint remote, byte[] udpPayload);

        /** A new CHILD_SA: install both directions. */
        void childSaUp(ChildSa sa);

        /**
         * A CHILD_SA was rekeyed: install the replacement (outbound replacing the old outbound at once); keep the
         * old inbound SA until {@link #childSaRetired} names it (the peer may still send on it until then).
         */
        void childSaRekeyed(ChildSa old, ChildSa replacement);

        /** A CHILD_SA is gone (deleted, expired, its IKE SA down): remove both directions. */
        void childSaDown(ChildSa sa, String reason);

        /** States: CONNECTING, ESTABLISHED, DELETED, FAILED (reason says why: AUTHENTICATION_FAILED, timeout...). */
        void ikeSaState(String connection, String state, String reason);

        /**
         * The old SA of a rekey is deleted on both sides: remove its inbound SA (its outbound was replaced by
         * {@link #childSaRekeyed}). Added to the contract; a no-op by default.
         */
        default void childSaRetired(ChildSa old) {
        }
    }

    enum State {
        CONNECTING, AUTHENTICATING, HALF_OPEN, ESTABLISHED, REKEYED
    }

    enum Kind {
        IKE_SA_INIT, IKE_AUTH, REKEY_CHILD, REKEY_IKE, DELETE_CHILD, DELETE_IKE, DPD
    }

    private static final class Request {
        final int messageId;
        final byte[] packet;
        final Kind kind;
        final Object context;
        int tries = 1;
        long nextSendAt;

        Request(int messageId, byte[] packet, Kind kind, Object context, long nextSendAt) {
            this.messageId = messageId;
            this.packet = packet;
            this.kind = kind;
            this.context = context;
            this.nextSendAt = nextSendAt;
        }
    }

    private record AuthContext(int inboundSpi) {
    }

    private record RekeyChildContext(Child old, int inboundSpi, byte[] ni, KeyExchange ke, List<Proposal> offer) {
    }

    private record RekeyIkeContext(long newSpi, byte[] ni, KeyExchange ke, List<Proposal> offer) {
    }

    private record HalfOpenKey(int address, int port, long spiI) {
    }

    /** A configured connection with its parsed proposals. */
    private static final class Connection {
        final IkeConnection config;
        final List<Proposal> ike;
        final List<Proposal> esp;
        long restartAt = Long.MAX_VALUE;

        Connection(IkeConnection config) {
            this.config = config;
            this.ike = IkeProposals.parseAll(config.ikeProposals(), IkeProposals.PROTOCOL_IKE);
            this.esp = IkeProposals.parseAll(config.espProposals(), IkeProposals.PROTOCOL_ESP);
        }

        boolean sameAs(IkeConnection other) {
            return config.toString().equals(other.toString()) && Arrays.equals(config.psk(), other.psk())
                    && config.ikeRekeyMillis() == other.ikeRekeyMillis()
                    && config.childRekeyMillis() == other.childRekeyMillis()
                    && config.childRekeyBytes() == other.childRekeyBytes() && config.dpdMillis() == other.dpdMillis();
        }
    }

    private static final class Child {
        final long id;
        final int inboundSpi;
        final int outboundSpi;
        final Proposal proposal;
        final ChildSa view;
        final long establishedAt;
        long rekeyAt = Long.MAX_VALUE;
        long retireAt = Long.MAX_VALUE;
        long expireAt = Long.MAX_VALUE;
        String deleteReason;
        boolean rekeying;
        boolean rekeyed;
        boolean deletePending;
        boolean deleteSent;
        int pfsGroup = -1;

        Child(long id, int inboundSpi, int outboundSpi, Proposal proposal, ChildSa view, long establishedAt) {
            this.id = id;
            this.inboundSpi = inboundSpi;
            this.outboundSpi = outboundSpi;
            this.proposal = proposal;
            this.view = view;
            this.establishedAt = establishedAt;
        }
    }

    private static final class IkeSa {
        Connection connection;
        final boolean initiator;
        long spiI;
        long spiR;
        State state;
        Endpoint local;
        Endpoint remote;
        boolean natT;
        Proposal proposal;
        Prf prf;
        int encrKeyBytes;
        KeyExchange ke;
        byte[] ni;
        byte[] nr;
        byte[] initRequest;
        byte[] initResponse;
        byte[] cookie;
        List<Proposal> offer;
        byte[] skD;
        byte[] skPi;
        byte[] skPr;
        IkeCrypto.Aead in;
        IkeCrypto.Aead out;
        long ivCounter;
        int nextRequestId;
        Request outstanding;
        int expectedPeerId;
        byte[] lastResponse;
        int lastResponseId = -1;
        final List<Child> children = new ArrayList<>(2);
        long lastHeardAt;
        long establishedAt;
        long rekeyAt = Long.MAX_VALUE;
        long expiresAt = Long.MAX_VALUE;
        long hardExpireAt = Long.MAX_VALUE;
        boolean rekeyingIke;
        int rekeyGroup = -1;
        boolean deleteIkeRequested;
        String deleteReason;
        HalfOpenKey halfOpenKey;
        String peerKey;

        IkeSa(Connection connection, boolean initiator) {
            this.connection = connection;
            this.initiator = initiator;
        }

        long ourSpi() {
            return initiator ? spiI : spiR;
        }

        String name() {
            return connection.config.name();
        }
    }

    private final Output output;
    private final SecureRandom random;
    private final Map<String, Connection> connections = new LinkedHashMap<>();
    private final Map<Long, IkeSa> sas = new HashMap<>();
    private final Map<HalfOpenKey, IkeSa> halfOpen = new HashMap<>();
    /** Inbound ESP SPIs in use or reserved, so that a new one is unique without a walk over every CHILD_SA. */
    private final Set<Integer> inboundSpis = new HashSet<>();
    /** The established IKE SA of each (connection, peer address, peer identity), for INITIAL_CONTACT. */
    private final Map<String, IkeSa> byPeer = new HashMap<>();
    private long nextChildId = 1;
    private long dropped;
    private final byte[] cookieSecret;
    private int cookieThreshold = DEFAULT_COOKIE_THRESHOLD;

    public IkeEngine(Output output, SecureRandom random) {
        this.output = output;
        this.random = random;
        this.cookieSecret = new byte[32];
        random.nextBytes(cookieSecret);
    }

    /** Messages dropped: malformed, failing authentication, unknown SPI or unexpected message ID. */
    public long droppedMessages() {
        return dropped;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Commands

    /** Replaces the configured connections: new ones are added (initiators start), changed ones restart, gone go. */
    public void configure(List<IkeConnection> wanted, long nowMillis) {
        Map<String, IkeConnection> byName = new LinkedHashMap<>();
        for (IkeConnection c : wanted) {
            byName.put(c.name(), c);
        }
        for (String name : List.copyOf(connections.keySet())) {
            IkeConnection next = byName.get(name);
            Connection current = connections.get(name);
            if (next == null || !current.sameAs(next)) {
                closeAll(current, "connection reconfigured", nowMillis);
                connections.remove(name);
            }
        }
        for (IkeConnection c : byName.values()) {
            if (!connections.containsKey(c.name())) {
                connections.put(c.name(), new Connection(c));
                if (c.initiator()) {
                    initiate(c.name(), nowMillis);
                }
            }
        }
    }

    /** Starts an IKE SA of the connection (nothing happens when one is up or being set up). */
    public void initiate(String connection, long nowMillis) {
        Connection c = connections.get(connection);
        if (c == null) {
            throw new IllegalArgumentException("no connection named " + connection);
        }
        c.restartAt = Long.MAX_VALUE;
        for (IkeSa sa : sas.values()) {
            if (sa.connection == c && sa.state != State.REKEYED && sa.state != State.HALF_OPEN) {
                return;
            }
        }
        startInitiator(c, c.ike.getFirst().first(IkeProposals.TYPE_DH), null, nowMillis);
    }

    /** Deletes the connection's IKE SAs (with their CHILD_SAs) by an INFORMATIONAL exchange. */
    public void terminate(String connection, long nowMillis) {
        for (IkeSa sa : List.copyOf(sas.values())) {
            if (sa.name().equals(connection) && sa.state == State.ESTABLISHED) {
                sa.deleteIkeRequested = true;
                sa.deleteReason = "terminated";
                pump(sa, nowMillis);
            }
        }
    }

    /** Deletes one CHILD_SA by an INFORMATIONAL exchange. */
    public void closeChild(long childId, long nowMillis) {
        for (IkeSa sa : sas.values()) {
            for (Child c : sa.children) {
                if (c.id == childId && !c.rekeyed) {
                    c.deletePending = true;
                    pump(sa, nowMillis);
                    return;
                }
            }
        }
    }

    /**
     * Rekeys the CHILD_SA now (CREATE_CHILD_SA with REKEY_SA), unless a rekey of it is under way or done: its
     * replacement comes through {@link Output#childSaRekeyed}. For a data plane that must not go on with the SA's keys
     * (a fastpath process that never counted its sequence numbers joined).
     */
    public void rekeyChild(long childId, long nowMillis) {
        for (IkeSa sa : sas.values()) {
            for (Child c : sa.children) {
                if (c.id == childId && !c.rekeying && !c.rekeyed) {
                    c.rekeyAt = nowMillis;
                    pump(sa, nowMillis);
                    return;
                }
            }
        }
    }

    /** The CHILD_SA carried {@code bytes} so far: rekeyed when it reaches the connection's soft byte limit. */
    public void childSaBytes(long childId, long bytes, long nowMillis) {
        for (IkeSa sa : sas.values()) {
            for (Child c : sa.children) {
                long limit = sa.connection.config.childRekeyBytes();
                if (c.id == childId && limit > 0 && bytes >= limit && !c.rekeying && !c.rekeyed) {
                    c.rekeyAt = nowMillis;
                    pump(sa, nowMillis);
                    return;
                }
            }
        }
    }

    public List<IkeSaView> ikeSas() {
        List<IkeSaView> result = new ArrayList<>(sas.size());
        HexFormat hex = HexFormat.of();
        for (IkeSa sa : sas.values()) {
            List<IkeSaView.Child> children = new ArrayList<>(sa.children.size());
            for (Child c : sa.children) {
                children.add(new IkeSaView.Child(c.id, hex.toHexDigits(c.inboundSpi), hex.toHexDigits(c.outboundSpi),
                        c.proposal.name(), c.view.localSelectors(), c.view.remoteSelectors(), c.establishedAt));
            }
            result.add(new IkeSaView(sa.name(), sa.state.name(), sa.initiator, hex.toHexDigits(sa.spiI),
                    hex.toHexDigits(sa.spiR), sa.local, sa.remote, sa.natT,
                    sa.proposal == null ? "" : sa.proposal.name(), sa.establishedAt, List.copyOf(children)));
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Time

    public void onTimer(long nowMillis) {
        for (IkeSa sa : List.copyOf(sas.values())) {
            if (!sas.containsKey(sa.ourSpi())) {
                continue;
            }
            Request r = sa.outstanding;
            if (r != null && nowMillis >= r.nextSendAt) {
                if (r.tries >= MAX_TRIES) {
                    sa.outstanding = null;
                    boolean connecting = sa.state == State.CONNECTING || sa.state == State.AUTHENTICATING;
                    destroy(sa, sa.state == State.REKEYED ? null : "FAILED",
                            connecting ? "no answer from the peer" : "the peer stopped answering (" + r.kind + ")",
                            nowMillis, RESTART_AFTER_FAILURE_MILLIS);
                    continue;
                }
                r.tries++;
                r.nextSendAt = nowMillis + (RETRANSMIT_BASE_MILLIS << (r.tries - 1));
                transmit(sa.local, sa.remote, r.packet);
            }
            if (nowMillis >= sa.expiresAt && (sa.state == State.HALF_OPEN || sa.state == State.REKEYED)) {
                destroy(sa, null, "expired", nowMillis, -1);
                continue;
            }
            for (Child c : sa.children) {
                if (nowMillis >= c.retireAt && !c.deleteSent) {
                    c.retireAt = Long.MAX_VALUE;
                    c.deletePending = true;
                }
                if (nowMillis >= c.expireAt && !c.deleteSent && !c.rekeyed) {
                    // hard lifetime: the rekey did not happen in time (RFC 7296 §2.8)
                    c.expireAt = Long.MAX_VALUE;
                    c.deletePending = true;
                    c.deleteReason = "expired (not rekeyed in time)";
                }
            }
            if (nowMillis >= sa.hardExpireAt && sa.state == State.ESTABLISHED) {
                // hard lifetime: gone at once, whatever exchange is under way; the peer is told once
                sendDeleteOnce(sa);
                destroy(sa, "DELETED", "expired (not rekeyed in time)", nowMillis, 0);
                continue;
            }
            pump(sa, nowMillis);
        }
        for (Connection c : List.copyOf(connections.values())) {
            if (nowMillis >= c.restartAt) {
                initiate(c.config.name(), nowMillis);
            }
        }
    }

    public long nextTimerMillis() {
        long next = Long.MAX_VALUE;
        for (IkeSa sa : sas.values()) {
            if (sa.outstanding != null) {
                next = Math.min(next, sa.outstanding.nextSendAt);
            }
            next = Math.min(next, sa.expiresAt);
            next = Math.min(next, sa.hardExpireAt);
            if (sa.state == State.ESTABLISHED && sa.outstanding == null) {
                next = Math.min(next, sa.rekeyAt);
                long dpd = sa.connection.config.dpdMillis();
                if (dpd > 0) {
                    next = Math.min(next, sa.lastHeardAt + dpd);
                }
                for (Child c : sa.children) {
                    if (!c.rekeying && !c.rekeyed) {
                        next = Math.min(next, c.rekeyAt);
                    }
                    next = Math.min(next, c.retireAt);
                    if (!c.rekeyed && !c.deleteSent) {
                        next = Math.min(next, c.expireAt);
                    }
                }
            }
        }
        for (Connection c : connections.values()) {
            next = Math.min(next, c.restartAt);
        }
        return next;
    }

    /** Starts the next request the SA wants, when none is outstanding. */
    private void pump(IkeSa sa, long now) {
        if (sa.outstanding != null || !sas.containsKey(sa.ourSpi())) {
            return;
        }
        if (sa.deleteIkeRequested && (sa.state == State.ESTABLISHED || sa.state == State.REKEYED)) {
            request(sa, IkeCodec.INFORMATIONAL, new Writer().deleteIke(), Kind.DELETE_IKE, null, now);
            return;
        }
        if (sa.state != State.ESTABLISHED) {
            return;
        }
        List<Child> deleting = new ArrayList<>(0);
        for (Child c : sa.children) {
            if (c.deletePending && !c.deleteSent) {
                deleting.add(c);
            }
        }
        if (!deleting.isEmpty()) {
            int[] spis = new int[deleting.size()];
            for (int i = 0; i < spis.length; i++) {
                spis[i] = deleting.get(i).inboundSpi;
                deleting.get(i).deleteSent = true;
            }
            request(sa, IkeCodec.INFORMATIONAL, new Writer().deleteEsp(spis), Kind.DELETE_CHILD, deleting, now);
            return;
        }
        if (now >= sa.rekeyAt) {
            startRekeyIke(sa, now);
            return;
        }
        for (Child c : sa.children) {
            if (!c.rekeying && !c.rekeyed && now >= c.rekeyAt) {
                startRekeyChild(sa, c, now);
                return;
            }
        }
        long dpd = sa.connection.config.dpdMillis();
        if (dpd > 0 && now - sa.lastHeardAt >= dpd) {
            request(sa, IkeCodec.INFORMATIONAL, new Writer(), Kind.DPD, null, now);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Receiving

    /** One UDP payload to {@code local} from {@code remote}; on port 4500 it starts with the non-ESP marker. */
    public void receive(Endpoint local, Endpoint remote, byte[] data, int offset, int length, long nowMillis) {
        try {
            if (!receiveMessage(local, remote, data, offset, length, nowMillis)) {
                dropped++;
            }
        } catch (MalformedException | GeneralSecurityException | RuntimeException e) {
            dropped++;
        }
    }

    private boolean receiveMessage(Endpoint local, Endpoint remote, byte[] data, int offset, int length, long now)
            throws MalformedException, GeneralSecurityException {
        if (local.port() == NAT_T_PORT) {
            if (length < 4 || data[offset] != 0 || data[offset + 1] != 0 || data[offset + 2] != 0
                    || data[offset + 3] != 0) {
                return false; // ESP or a keepalive, not ours
            }
            offset += 4;
            length -= 4;
        }
        if (length < IkeCodec.HEADER_LENGTH) {
            return false;
        }
        int declared = IkeCodec.i32(data, offset + IkeCodec.LENGTH_OFFSET);
        if ((data[offset + IkeCodec.VERSION_OFFSET] & 0xf0) != IkeCodec.VERSION_2 || declared < IkeCodec.HEADER_LENGTH
                || declared > length) {
            return false;
        }
        byte[] msg = Arrays.copyOfRange(data, offset, offset + declared);
        long spiI = IkeCodec.i64(msg, IkeCodec.SPI_I_OFFSET);
        long spiR = IkeCodec.i64(msg, IkeCodec.SPI_R_OFFSET);
        int next = msg[IkeCodec.NEXT_PAYLOAD_OFFSET] & 0xff;
        int exchange = msg[IkeCodec.EXCHANGE_OFFSET] & 0xff;
        int flags = msg[IkeCodec.FLAGS_OFFSET] & 0xff;
        int messageId = IkeCodec.i32(msg, IkeCodec.MESSAGE_ID_OFFSET);
        boolean response = (flags & IkeCodec.FLAG_RESPONSE) != 0;
        boolean fromInitiator = (flags & IkeCodec.FLAG_INITIATOR) != 0;

        if (exchange == IkeCodec.IKE_SA_INIT && !response) {
            if (!fromInitiator || spiR != 0 || messageId != 0) {
                return false;
            }
            return onInitRequest(local, remote, msg, spiI, next, now);
        }
        IkeSa sa = sas.get(fromInitiator ? spiR : spiI);
        if (sa == null || sa.initiator == fromInitiator) {
            return false;
        }
        if (fromInitiator ? sa.spiI != spiI : sa.state != State.CONNECTING && sa.spiR != spiR) {
            return false;
        }
        if (exchange == IkeCodec.IKE_SA_INIT) {
            if (sa.state != State.CONNECTING || messageId != 0 || sa.outstanding == null) {
                return false;
            }
            return onInitResponse(sa, local, remote, msg, spiR,
                    IkeCodec.parsePayloads(next, msg, IkeCodec.HEADER_LENGTH, msg.length), now);
        }
        if (sa.in == null) {
            return false;
        }
        if (!response) {
            if (messageId == sa.lastResponseId && messageId == sa.expectedPeerId - 1) {
                transmit(local, remote, sa.lastResponse); // our answer was lost: send it again
                return true;
            }
            if (messageId != sa.expectedPeerId) {
                return false;
            }
        } else if (sa.outstanding == null || messageId != sa.outstanding.messageId) {
            return false;
        }
        List<Payload> outer = IkeCodec.parsePayloads(next, msg, IkeCodec.HEADER_LENGTH, msg.length);
        Payload sk = outer.getLast();
        if (sk.type() != IkeCodec.PT_SK) {
            return false;
        }
        List<Payload> payloads = IkeCodec.decrypt(msg, sk, sa.in);
        sa.lastHeardAt = now;
        if (!local.equals(sa.local) || !remote.equals(sa.remote)) {
            // the peer floated to 4500 (NAT-T) or its NAT mapping changed
            sa.local = local;
            sa.remote = remote;
            sa.natT |= local.port() == NAT_T_PORT;
        }
        for (Payload p : payloads) {
            if (p.critical() && !p.known()) {
                if (!response) {
                    respond(sa, exchange, messageId, new Writer().notify(IkeCodec.N_UNSUPPORTED_CRITICAL_PAYLOAD,
                            new byte[]{(byte) p.type()}));
                }
                return false;
            }
        }
        switch (exchange) {
            case IkeCodec.IKE_AUTH -> {
                if (response) {
                    onAuthResponse(sa, payloads, now);
                } else {
                    onAuthRequest(sa, messageId, payloads, now);
                }
            }
            case IkeCodec.CREATE_CHILD_SA -> {
                if (response) {
                    onCreateChildResponse(sa, payloads, now);
                } else {
                    onCreateChildRequest(sa, messageId, payloads, now);
                }
            }
            case IkeCodec.INFORMATIONAL -> {
                if (response) {
                    onInformationalResponse(sa, now);
                } else {
                    onInformationalRequest(sa, messageId, payloads, now);
                }
            }
            default -> {
                if (!response) {
                    respond(sa, exchange, messageId, new Writer().notify(IkeCodec.N_INVALID_SYNTAX, new byte[0]));
                }
                return false;
            }
        }
        pump(sa, now);
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // IKE_SA_INIT

    private void startInitiator(Connection c, int group, byte[] cookie, long now) {
        IkeSa sa = new IkeSa(c, true);
        sa.spiI = newIkeSpi();
        sa.local = c.config.local().port() == 0 ? c.config.local().withPort(IKE_PORT) : c.config.local();
        sa.remote = c.config.peer().port() == 0 ? c.config.peer().withPort(IKE_PORT) : c.config.peer();
        sa.ke = DhGroup.of(group).generate(random);
        sa.ni = randomBytes(NONCE_LENGTH);
        sa.offer = c.ike;
        sa.cookie = cookie;
        sa.state = State.CONNECTING;
        sa.lastHeardAt = now;
        sendInitRequest(sa, now);
        sas.put(sa.spiI, sa);
        output.ikeSaState(c.config.name(), "CONNECTING", "");
    }

    private void sendInitRequest(IkeSa sa, long now) {
        Writer w = new Writer();
        if (sa.cookie != null) {
            w.notify(IkeCodec.N_COOKIE, sa.cookie);
        }
        w.sa(sa.offer).ke(sa.ke.group().id, sa.ke.publicValue()).nonce(sa.ni)
                .notify(IkeCodec.N_NAT_DETECTION_SOURCE_IP, IkeCrypto.natHash(sa.spiI, 0, sa.local))
                .notify(IkeCodec.N_NAT_DETECTION_DESTINATION_IP, IkeCrypto.natHash(sa.spiI, 0, sa.remote));
        byte[] msg = IkeCodec.plain(sa.spiI, 0, IkeCodec.IKE_SA_INIT, IkeCodec.FLAG_INITIATOR, 0, w);
        sa.initRequest = msg;
        sa.outstanding = new Request(0, msg, Kind.IKE_SA_INIT, null, now + RETRANSMIT_BASE_MILLIS);
        transmit(sa.local, sa.remote, msg);
    }

    private boolean onInitRequest(Endpoint local, Endpoint remote, byte[] msg, long spiI, int next, long now)
            throws MalformedException, GeneralSecurityException {
        HalfOpenKey key = new HalfOpenKey(remote.address(), remote.port(), spiI);
        IkeSa existing = halfOpen.get(key);
        if (existing != null) {
            if (existing.state == State.HALF_OPEN && Arrays.equals(existing.initRequest, msg)) {
                transmit(local, remote, existing.initResponse);
                return true;
            }
            return false;
        }
        List<Payload> payloads = IkeCodec.parsePayloads(next, msg, IkeCodec.HEADER_LENGTH, msg.length);
        for (Payload p : payloads) {
            if (p.critical() && !p.known()) {
                initReply(local, remote, spiI, IkeCodec.N_UNSUPPORTED_CRITICAL_PAYLOAD, new byte[]{(byte) p.type()});
                return false;
            }
        }
        Payload saPayload = IkeCodec.find(payloads, IkeCodec.PT_SA);
        Payload kePayload = IkeCodec.find(payloads, IkeCodec.PT_KE);
        Payload noncePayload = IkeCodec.find(payloads, IkeCodec.PT_NONCE);
        if (saPayload == null || kePayload == null || noncePayload == null) {
            return false;
        }
        List<Connection> candidates = candidates(local, remote);
        if (candidates.isEmpty()) {
            initReply(local, remote, spiI, IkeCodec.N_NO_PROPOSAL_CHOSEN, new byte[0]);
            return false;
        }
        if (halfOpen.size() >= cookieThreshold) {
            // under load (or attack): no state and no DH until the initiator proves it receives at its address
            byte[] expected = cookie(IkeCodec.nonce(noncePayload), remote, spiI);
            Payload first = payloads.getFirst();
            if (first.type() != IkeCodec.PT_NOTIFY || IkeCodec.notify(first).type() != IkeCodec.N_COOKIE
                    || !MessageDigest.isEqual(IkeCodec.notify(first).data(), expected)) {
                initReply(local, remote, spiI, IkeCodec.N_COOKIE, expected);
                return true;
            }
        }
        List<Proposal> ours = new ArrayList<>();
        for (Connection c : candidates) {
            ours.addAll(c.ike);
        }
        List<Proposal> offered = IkeCodec.sa(saPayload);
        Ke ke = IkeCodec.ke(kePayload);
        byte[] ni = IkeCodec.nonce(noncePayload);
        Proposal chosen = IkeProposals.select(offered, ours, ke.group(), false);
        if (chosen == null) {
            Proposal any = IkeProposals.select(offered, ours, -1, false);
            if (any == null) {
                initReply(local, remote, spiI, IkeCodec.N_NO_PROPOSAL_CHOSEN, new byte[0]);
            } else {
                int group = any.first(IkeProposals.TYPE_DH);
                initReply(local, remote, spiI, IkeCodec.N_INVALID_KE_PAYLOAD,
                        new byte[]{(byte) (group >>> 8), (byte) group});
            }
            return true;
        }
        Connection first = candidates.getFirst();
        for (Connection c : candidates) {
            if (IkeProposals.select(List.of(chosen), c.ike, -1, false) != null) {
                first = c;
                break;
            }
        }
        IkeSa sa = new IkeSa(first, false);
        sa.spiI = spiI;
        sa.spiR = newIkeSpi();
        sa.local = local;
        sa.remote = remote;
        sa.ni = ni;
        sa.nr = randomBytes(NONCE_LENGTH);
        setSuite(sa, chosen);
        sa.ke = DhGroup.of(ke.group()).generate(random);
        byte[] gir = sa.ke.secret(ke.data());
        installKeys(sa, IkeKeys.derive(sa.prf, IkeKeys.skeyseed(sa.prf, sa.ni, sa.nr, gir), sa.ni, sa.nr, sa.spiI,
                sa.spiR, sa.encrKeyBytes));
        sa.natT = natDetected(IkeCodec.notifies(payloads), spiI, 0, local, remote);
        Writer w = new Writer().sa(List.of(chosen)).ke(ke.group(), sa.ke.publicValue()).nonce(sa.nr)
                .notify(IkeCodec.N_NAT_DETECTION_SOURCE_IP, IkeCrypto.natHash(spiI, sa.spiR, local))
                .notify(IkeCodec.N_NAT_DETECTION_DESTINATION_IP, IkeCrypto.natHash(spiI, sa.spiR, remote));
        byte[] reply = IkeCodec.plain(spiI, sa.spiR, IkeCodec.IKE_SA_INIT, IkeCodec.FLAG_RESPONSE, 0, w);
        sa.initRequest = msg;
        sa.initResponse = reply;
        sa.expectedPeerId = 1;
        sa.state = State.HALF_OPEN;
        sa.expiresAt = now + HALF_OPEN_MILLIS;
        sa.lastHeardAt = now;
        sa.halfOpenKey = key;
        sas.put(sa.spiR, sa);
        halfOpen.put(key, sa);
        transmit(local, remote, reply);
        return true;
    }

    /** Cookie = 0 | SHA-256(Ni | IPi | SPIi | secret) (RFC 7296 §2.6; version 0 of the secret). */
    private byte[] cookie(byte[] ni, Endpoint remote, long spiI) throws GeneralSecurityException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] fixed = new byte[12];
        IkeCodec.put32(fixed, 0, remote.address());
        IkeCrypto.putLong(fixed, 4, spiI);
        sha.update(ni);
        sha.update(fixed);
        sha.update(cookieSecret);
        return IkeCrypto.concat(new byte[1], sha.digest());
    }

    /** For tests: how many half-open IKE SAs the responder holds before it asks for cookies. */
    void cookieThreshold(int threshold) {
        this.cookieThreshold = threshold;
    }

    private void initReply(Endpoint local, Endpoint remote, long spiI, int notify, byte[] data) {
        transmit(local, remote, IkeCodec.plain(spiI, 0, IkeCodec.IKE_SA_INIT, IkeCodec.FLAG_RESPONSE, 0,
                new Writer().notify(notify, data)));
    }

    private boolean onInitResponse(IkeSa sa, Endpoint local, Endpoint remote, byte[] msg, long spiR,
            List<Payload> payloads, long now) throws MalformedException, GeneralSecurityException {
        List<Notify> notifies = IkeCodec.notifies(payloads);
        Notify invalidKe = IkeCodec.findNotify(notifies, IkeCodec.N_INVALID_KE_PAYLOAD);
        if (invalidKe != null && invalidKe.data().length == 2) {
            int group = IkeCodec.u16(invalidKe.data(), 0);
            boolean offered = sa.offer.stream().anyMatch(p -> p.transforms().stream()
                    .anyMatch(t -> t.type() == IkeProposals.TYPE_DH && t.id() == group));
            if (offered && group != sa.ke.group().id && sa.cookie == null) {
                sas.remove(sa.spiI);
                startInitiator(sa.connection, group, null, now);
                return true;
            }
            fail(sa, "INVALID_KE_PAYLOAD (group " + group + ")", now);
            return true;
        }
        Notify cookie = IkeCodec.findNotify(notifies, IkeCodec.N_COOKIE);
        if (cookie != null) {
            if (sa.cookie != null && Arrays.equals(sa.cookie, cookie.data())) {
                return false;
            }
            sa.cookie = cookie.data();
            sendInitRequest(sa, now);
            return true;
        }
        for (Notify n : notifies) {
            if (n.error()) {
                fail(sa, notifyName(n.type()), now);
                return true;
            }
        }
        Payload saPayload = IkeCodec.find(payloads, IkeCodec.PT_SA);
        Payload kePayload = IkeCodec.find(payloads, IkeCodec.PT_KE);
        Payload noncePayload = IkeCodec.find(payloads, IkeCodec.PT_NONCE);
        if (saPayload == null || kePayload == null || noncePayload == null || spiR == 0) {
            return false;
        }
        List<Proposal> chosenList = IkeCodec.sa(saPayload);
        Ke ke = IkeCodec.ke(kePayload);
        if (chosenList.size() != 1 || IkeProposals.select(chosenList, sa.offer, ke.group(), false) == null
                || ke.group() != sa.ke.group().id) {
            fail(sa, "the peer chose a proposal we did not offer", now);
            return true;
        }
        Proposal chosen = IkeProposals.select(chosenList, sa.offer, ke.group(), false);
        sa.spiR = spiR;
        sa.nr = IkeCodec.nonce(noncePayload);
        sa.initResponse = msg;
        setSuite(sa, chosen);
        byte[] gir = sa.ke.secret(ke.data());
        installKeys(sa, IkeKeys.derive(sa.prf, IkeKeys.skeyseed(sa.prf, sa.ni, sa.nr, gir), sa.ni, sa.nr, sa.spiI,
                sa.spiR, sa.encrKeyBytes));
        sa.outstanding = null;
        sa.nextRequestId = 1;
        sa.lastHeardAt = now;
        if (natDetected(notifies, sa.spiI, sa.spiR, local, remote)) {
            sa.natT = true;
            sa.local = local.withPort(NAT_T_PORT);
            sa.remote = remote.withPort(NAT_T_PORT);
        }
        sendAuthRequest(sa, now);
        return true;
    }

    private static boolean natDetected(List<Notify> notifies, long spiI, long spiR, Endpoint local, Endpoint remote) {
        boolean sourceSeen = false;
        boolean sourceMatch = false;
        boolean destinationSeen = false;
        boolean destinationMatch = false;
        for (Notify n : notifies) {
            if (n.type() == IkeCodec.N_NAT_DETECTION_SOURCE_IP) {
                sourceSeen = true;
                sourceMatch |= Arrays.equals(n.data(), IkeCrypto.natHash(spiI, spiR, remote));
            } else if (n.type() == IkeCodec.N_NAT_DETECTION_DESTINATION_IP) {
                destinationSeen = true;
                destinationMatch |= Arrays.equals(n.data(), IkeCrypto.natHash(spiI, spiR, local));
            }
        }
        return sourceSeen && !sourceMatch || destinationSeen && !destinationMatch;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // IKE_AUTH

    private void sendAuthRequest(IkeSa sa, long now) throws GeneralSecurityException {
        IkeConnection c = sa.connection.config;
        byte[] idi = IkeCodec.idBody(localId(c, sa.local));
        int inboundSpi = newEspSpi();
        byte[] auth = IkeKeys.pskAuth(sa.prf, c.psk(), sa.initRequest, sa.nr, sa.skPi, idi);
        Writer w = new Writer().id(IkeCodec.PT_IDI, idi).notify(IkeCodec.N_INITIAL_CONTACT, new byte[0]);
        if (c.remoteId() != null) {
            w.id(IkeCodec.PT_IDR, IkeCodec.idBody(c.remoteId()));
        }
        w.auth(auth).sa(espOffer(sa.connection, inboundSpi, false)).ts(IkeCodec.PT_TSI, c.localSelectors())
                .ts(IkeCodec.PT_TSR, c.remoteSelectors());
        sa.state = State.AUTHENTICATING;
        request(sa, IkeCodec.IKE_AUTH, w, Kind.IKE_AUTH, new AuthContext(inboundSpi), now);
    }

    private void onAuthResponse(IkeSa sa, List<Payload> payloads, long now)
            throws MalformedException, GeneralSecurityException {
        Request r = sa.outstanding;
        if (r.kind != Kind.IKE_AUTH) {
            return;
        }
        sa.outstanding = null;
        List<Notify> notifies = IkeCodec.notifies(payloads);
        Payload idr = IkeCodec.find(payloads, IkeCodec.PT_IDR);
        Payload auth = IkeCodec.find(payloads, IkeCodec.PT_AUTH);
        if (idr == null || auth == null) {
            Notify error = notifies.stream().filter(Notify::error).findFirst().orElse(null);
            fail(sa, error == null ? "INVALID_SYNTAX" : notifyName(error.type()), now);
            return;
        }
        IkeConnection c = sa.connection.config;
        byte[] expected = IkeKeys.pskAuth(sa.prf, c.psk(), sa.initResponse, sa.ni, sa.skPr, idr.body());
        if (!MessageDigest.isEqual(expected, authData(auth))) {
            fail(sa, "AUTHENTICATION_FAILED: the peer's AUTH does not verify with our PSK", now);
            return;
        }
        String peerId = IkeCodec.idText(idr);
        if (c.remoteId() != null && !c.remoteId().equals(peerId)) {
            fail(sa, "AUTHENTICATION_FAILED: the peer is '" + peerId + "', not '" + c.remoteId() + "'", now);
            return;
        }
        Child child = null;
        String childError = null;
        for (Notify n : notifies) {
            if (n.error()) {
                childError = notifyName(n.type());
            }
        }
        Payload saPayload = IkeCodec.find(payloads, IkeCodec.PT_SA);
        Payload tsi = IkeCodec.find(payloads, IkeCodec.PT_TSI);
        Payload tsr = IkeCodec.find(payloads, IkeCodec.PT_TSR);
        if (childError == null && saPayload != null && tsi != null && tsr != null) {
            List<Proposal> chosenList = IkeCodec.sa(saPayload);
            Proposal chosen = chosenList.size() == 1
                    ? IkeProposals.select(chosenList, sa.connection.esp, -1, true)
                    : null;
            List<TrafficSelector> localTs = IkeCodec.ts(tsi);
            List<TrafficSelector> remoteTs = IkeCodec.ts(tsr);
            if (chosen == null || chosen.spi().length != 4 || localTs.isEmpty() || remoteTs.isEmpty()) {
                childError = "the peer answered with a CHILD_SA we did not offer";
            } else {
                int inboundSpi = ((AuthContext) r.context).inboundSpi();
                byte[][] keys = IkeKeys.childKeys(sa.prf, sa.skD, null, sa.ni, sa.nr, chosen.keyBits() / 8 + 4);
                child = newChild(sa, chosen, inboundSpi, IkeCodec.i32(chosen.spi(), 0), true, keys, localTs,
                        remoteTs, now);
            }
        } else if (childError == null) {
            childError = "no CHILD_SA in the answer";
        }
        establish(sa, now, childError == null ? "" : "no CHILD_SA: " + childError);
        if (child != null) {
            output.childSaUp(child.view);
        }
    }

    private void onAuthRequest(IkeSa sa, int messageId, List<Payload> payloads, long now)
            throws MalformedException, GeneralSecurityException {
        if (sa.state != State.HALF_OPEN) {
            respond(sa, IkeCodec.IKE_AUTH, messageId, new Writer().notify(IkeCodec.N_INVALID_SYNTAX, new byte[0]));
            return;
        }
        Payload idi = IkeCodec.find(payloads, IkeCodec.PT_IDI);
        Payload auth = IkeCodec.find(payloads, IkeCodec.PT_AUTH);
        if (idi == null || auth == null) {
            respond(sa, IkeCodec.IKE_AUTH, messageId, new Writer().notify(IkeCodec.N_INVALID_SYNTAX, new byte[0]));
            destroy(sa, null, "", now, -1);
            return;
        }
        Payload idr = IkeCodec.find(payloads, IkeCodec.PT_IDR);
        String peerId = IkeCodec.idText(idi);
        String wantedId = idr == null ? null : IkeCodec.idText(idr);
        Connection chosenConnection = null;
        for (int pass = 0; pass < 2 && chosenConnection == null; pass++) {
            for (Connection c : candidates(sa.local, sa.remote)) {
                IkeConnection k = c.config;
                if ((k.remoteId() == null || k.remoteId().equals(peerId)) && (pass == 1 || wantedId == null
                        || wantedId.equals(localId(k, sa.local)))) {
                    chosenConnection = c;
                    break;
                }
            }
        }
        byte[] presented = authData(auth);
        if (chosenConnection == null || !MessageDigest.isEqual(presented, IkeKeys.pskAuth(sa.prf,
                chosenConnection.config.psk(), sa.initRequest, sa.nr, sa.skPi, idi.body()))) {
            respond(sa, IkeCodec.IKE_AUTH, messageId,
                    new Writer().notify(IkeCodec.N_AUTHENTICATION_FAILED, new byte[0]));
            if (chosenConnection != null) {
                sa.connection = chosenConnection;
            }
            destroy(sa, "FAILED", "AUTHENTICATION_FAILED: peer '" + peerId + "' at " + sa.remote
                    + (chosenConnection == null ? " matches no connection" : " did not prove the PSK"), now, -1);
            return;
        }
        sa.connection = chosenConnection;
        IkeConnection c = chosenConnection.config;
        List<Notify> notifies = IkeCodec.notifies(payloads);
        sa.peerKey = c.name() + '|' + Endpoint.dotted(sa.remote.address()) + '|' + peerId;
        IkeSa previous = byPeer.put(sa.peerKey, sa);
        if (previous != null && previous != sa && IkeCodec.findNotify(notifies, IkeCodec.N_INITIAL_CONTACT) != null) {
            destroy(previous, null, "replaced by a new IKE SA (INITIAL_CONTACT)", now, -1);
        }
        byte[] idrBody = IkeCodec.idBody(localId(c, sa.local));
        Writer w = new Writer().id(IkeCodec.PT_IDR, idrBody)
                .auth(IkeKeys.pskAuth(sa.prf, c.psk(), sa.initResponse, sa.ni, sa.skPr, idrBody));
        Child child = null;
        String childError = "";
        Payload saPayload = IkeCodec.find(payloads, IkeCodec.PT_SA);
        Payload tsiPayload = IkeCodec.find(payloads, IkeCodec.PT_TSI);
        Payload tsrPayload = IkeCodec.find(payloads, IkeCodec.PT_TSR);
        if (saPayload != null && tsiPayload != null && tsrPayload != null) {
            Proposal chosen = IkeProposals.select(IkeCodec.sa(saPayload), chosenConnection.esp, -1, true);
            List<TrafficSelector> tsi = narrow(IkeCodec.ts(tsiPayload), c.remoteSelectors());
            List<TrafficSelector> tsr = narrow(IkeCodec.ts(tsrPayload), c.localSelectors());
            if (chosen == null || chosen.spi().length != 4) {
                w.notify(IkeCodec.N_NO_PROPOSAL_CHOSEN, new byte[0]);
                childError = "no CHILD_SA: NO_PROPOSAL_CHOSEN";
            } else if (tsi.isEmpty() || tsr.isEmpty()) {
                w.notify(IkeCodec.N_TS_UNACCEPTABLE, new byte[0]);
                childError = "no CHILD_SA: TS_UNACCEPTABLE";
            } else {
                int inboundSpi = newEspSpi();
                byte[][] keys = IkeKeys.childKeys(sa.prf, sa.skD, null, sa.ni, sa.nr, chosen.keyBits() / 8 + 4);
                child = newChild(sa, chosen, inboundSpi, IkeCodec.i32(chosen.spi(), 0), false, keys, tsr, tsi, now);
                w.sa(List.of(chosen.with(chosen.number(), spiBytes(inboundSpi)))).ts(IkeCodec.PT_TSI, tsi)
                        .ts(IkeCodec.PT_TSR, tsr);
            }
        }
        respond(sa, IkeCodec.IKE_AUTH, messageId, w);
        establish(sa, now, childError);
        if (child != null) {
            output.childSaUp(child.view);
        }
    }

    private void establish(IkeSa sa, long now, String reason) {
        sa.state = State.ESTABLISHED;
        sa.establishedAt = now;
        sa.expiresAt = Long.MAX_VALUE;
        sa.rekeyAt = jittered(now, sa.connection.config.ikeRekeyMillis());
        long ikeRekey = sa.connection.config.ikeRekeyMillis();
        sa.hardExpireAt = ikeRekey > 0 ? now + ikeRekey + ikeRekey / 10 : Long.MAX_VALUE;
        sa.ke = null;
        sa.initRequest = null; // only AUTH needed them
        sa.initResponse = null;
        if (sa.halfOpenKey != null) {
            halfOpen.remove(sa.halfOpenKey);
            sa.halfOpenKey = null;
        }
        output.ikeSaState(sa.name(), "ESTABLISHED", reason);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // CREATE_CHILD_SA

    private void startRekeyChild(IkeSa sa, Child old, long now) {
        int inboundSpi = newEspSpi();
        byte[] ni = randomBytes(NONCE_LENGTH);
        List<Proposal> offer = espOffer(sa.connection, inboundSpi, true);
        int group = old.pfsGroup >= 0 ? old.pfsGroup : offer.getFirst().first(IkeProposals.TYPE_DH);
        KeyExchange ke = group > 0 ? DhGroup.of(group).generate(random) : null;
        Writer w = new Writer().notify(IkeProposals.PROTOCOL_ESP, spiBytes(old.inboundSpi), IkeCodec.N_REKEY_SA,
                new byte[0]).sa(offer).nonce(ni);
        if (ke != null) {
            w.ke(group, ke.publicValue());
        }
        w.ts(IkeCodec.PT_TSI, old.view.localSelectors()).ts(IkeCodec.PT_TSR, old.view.remoteSelectors());
        old.rekeying = true;
        request(sa, IkeCodec.CREATE_CHILD_SA, w, Kind.REKEY_CHILD,
                new RekeyChildContext(old, inboundSpi, ni, ke, offer), now);
    }

    private void startRekeyIke(IkeSa sa, long now) {
        long newSpi = newIkeSpi();
        byte[] ni = randomBytes(NONCE_LENGTH);
        byte[] spi = new byte[8];
        IkeCrypto.putLong(spi, 0, newSpi);
        List<Proposal> offer = new ArrayList<>();
        for (Proposal p : sa.connection.ike) {
            offer.add(p.with(offer.size() + 1, spi));
        }
        int group = sa.rekeyGroup > 0 ? sa.rekeyGroup : sa.proposal.first(IkeProposals.TYPE_DH);
        KeyExchange ke = DhGroup.of(group).generate(random);
        Writer w = new Writer().sa(offer).nonce(ni).ke(group, ke.publicValue());
        sa.rekeyingIke = true;
        request(sa, IkeCodec.CREATE_CHILD_SA, w, Kind.REKEY_IKE, new RekeyIkeContext(newSpi, ni, ke, offer), now);
    }

    private void onCreateChildRequest(IkeSa sa, int messageId, List<Payload> payloads, long now)
            throws MalformedException, GeneralSecurityException {
        if (sa.state != State.ESTABLISHED) {
            respond(sa, IkeCodec.CREATE_CHILD_SA, messageId,
                    new Writer().notify(IkeCodec.N_TEMPORARY_FAILURE, new byte[0]));
            return;
        }
        Payload saPayload = IkeCodec.find(payloads, IkeCodec.PT_SA);
        Payload noncePayload = IkeCodec.find(payloads, IkeCodec.PT_NONCE);
        Payload kePayload = IkeCodec.find(payloads, IkeCodec.PT_KE);
        if (saPayload == null || noncePayload == null) {
            respond(sa, IkeCodec.CREATE_CHILD_SA, messageId,
                    new Writer().notify(IkeCodec.N_INVALID_SYNTAX, new byte[0]));
            return;
        }
        List<Proposal> offered = IkeCodec.sa(saPayload);
        byte[] ni = IkeCodec.nonce(noncePayload);
        Ke ke = kePayload == null ? null : IkeCodec.ke(kePayload);
        if (!offered.isEmpty() && offered.getFirst().protocol() == IkeProposals.PROTOCOL_IKE) {
            onRekeyIkeRequest(sa, messageId, offered, ni, ke, now);
            return;
        }
        List<Notify> notifies = IkeCodec.notifies(payloads);
        Notify rekey = IkeCodec.findNotify(notifies, IkeCodec.N_REKEY_SA);
        Child old = null;
        if (rekey != null) {
            int spi = rekey.spi().length == 4 ? IkeCodec.i32(rekey.spi(), 0) : 0;
            for (Child c : sa.children) {
                if (c.outboundSpi == spi) {
                    old = c;
                }
            }
            if (old == null) {
                respond(sa, IkeCodec.CREATE_CHILD_SA, messageId, new Writer().notify(IkeProposals.PROTOCOL_ESP,
                        rekey.spi(), IkeCodec.N_CHILD_SA_NOT_FOUND, new byte[0]));
                return;
            }
            if (old.rekeying || old.rekeyed) {
                // a simultaneous rekey, or the SA is already replaced and about to be deleted: ours goes on, the
                // peer retries later and by then finds the old SA gone (RFC 7296 §2.25)
                respond(sa, IkeCodec.CREATE_CHILD_SA, messageId,
                        new Writer().notify(IkeCodec.N_TEMPORARY_FAILURE, new byte[0]));
                return;
            }
        }
        IkeConnection c = sa.connection.config;
        Proposal chosen = IkeProposals.select(offered, sa.connection.esp, ke == null ? 0 : ke.group(), false);
        Proposal any = chosen != null ? chosen : IkeProposals.select(offered, sa.connection.esp, -1, false);
        if (chosen == null && any != null && any.first(IkeProposals.TYPE_DH) == 0) {
            chosen = any; // the peer also offered no PFS, which is all we do: its KE goes unused
        }
        if (chosen == null) {
            Writer w = new Writer();
            if (any == null) {
                w.notify(IkeCodec.N_NO_PROPOSAL_CHOSEN, new byte[0]);
            } else {
                int group = any.first(IkeProposals.TYPE_DH);
                w.notify(IkeCodec.N_INVALID_KE_PAYLOAD, new byte[]{(byte) (group >>> 8), (byte) group});
            }
            respond(sa, IkeCodec.CREATE_CHILD_SA, messageId, w);
            return;
        }
        Payload tsiPayload = IkeCodec.find(payloads, IkeCodec.PT_TSI);
        Payload tsrPayload = IkeCodec.find(payloads, IkeCodec.PT_TSR);
        List<TrafficSelector> tsi = tsiPayload == null
                ? List.of()
                : narrow(IkeCodec.ts(tsiPayload),
                        c.remoteSelectors());
        List<TrafficSelector> tsr = tsrPayload == null
                ? List.of()
                : narrow(IkeCodec.ts(tsrPayload),
                        c.localSelectors());
        if (chosen.spi().length != 4 || tsi.isEmpty() || tsr.isEmpty()) {
            respond(sa, IkeCodec.CREATE_CHILD_SA, messageId,
                    new Writer().notify(IkeCodec.N_TS_UNACCEPTABLE, new byte[0]));
            return;
        }
        byte[] nr = randomBytes(NONCE_LENGTH);
        int group = chosen.first(IkeProposals.TYPE_DH);
        KeyExchange ours = null;
        byte[] gir = null;
        if (group != 0) {
            ours = DhGroup.of(group).generate(random);
            gir = ours.secret(ke.data());
        }
        int inboundSpi = newEspSpi();
        byte[][] keys = IkeKeys.childKeys(sa.prf, sa.skD, gir, ni, nr, chosen.keyBits() / 8 + 4);
        Child child = newChild(sa, chosen, inboundSpi, IkeCodec.i32(chosen.spi(), 0), false, keys, tsr, tsi, now);
        Writer w = new Writer().sa(List.of(chosen.with(chosen.number(), spiBytes(inboundSpi)))).nonce(nr);
        if (ours != null) {
            w.ke(group, ours.publicValue());
        }
        w.ts(IkeCodec.PT_TSI, tsi).ts(IkeCodec.PT_TSR, tsr);
        respond(sa, IkeCodec.CREATE_CHILD_SA, messageId, w);
        if (old != null) {
            old.rekeyed = true;
            old.retireAt = now + OLD_SA_MILLIS; // the peer deletes it; if it does not, we do
            output.childSaRekeyed(old.view, child.view);
        } else {
            output.childSaUp(child.view);
        }
    }

    private void onRekeyIkeRequest(IkeSa sa, int messageId, List<Proposal> offered, byte[] ni, Ke ke, long now)
            throws GeneralSecurityException {
        if (sa.rekeyingIke) {
            respond(sa, IkeCodec.CREATE_CHILD_SA, messageId,
                    new Writer().notify(IkeCodec.N_TEMPORARY_FAILURE, new byte[0]));
            return;
        }
        Proposal chosen = ke == null ? null : IkeProposals.select(offered, sa.connection.ike, ke.group(), false);
        if (chosen == null || chosen.spi().length != 8) {
            Proposal any = IkeProposals.select(offered, sa.connection.ike, -1, false);
            Writer w = new Writer();
            if (any == null || any.spi().length != 8) {
                w.notify(IkeCodec.N_NO_PROPOSAL_CHOSEN, new byte[0]);
            } else {
                int group = any.first(IkeProposals.TYPE_DH);
                w.notify(IkeCodec.N_INVALID_KE_PAYLOAD, new byte[]{(byte) (group >>> 8), (byte) group});
            }
            respond(sa, IkeCodec.CREATE_CHILD_SA, messageId, w);
            return;
        }
        long newSpi = newIkeSpi();
        byte[] nr = randomBytes(NONCE_LENGTH);
        KeyExchange ours = DhGroup.of(ke.group()).generate(random);
        byte[] gir = ours.secret(ke.data());
        byte[] spi = new byte[8];
        IkeCrypto.putLong(spi, 0, newSpi);
        respond(sa, IkeCodec.CREATE_CHILD_SA, messageId,
                new Writer().sa(List.of(chosen.with(chosen.number(), spi))).nonce(nr).ke(ke.group(),
                        ours.publicValue()));
        IkeSa fresh = new IkeSa(sa.connection, false);
        fresh.spiI = IkeCodec.i64(chosen.spi(), 0);
        fresh.spiR = newSpi;
        rekeyInto(sa, fresh, chosen, gir, ni, nr, now);
        sa.expiresAt = now + OLD_SA_MILLIS; // the peer deletes the old SA; if it does not, it expires
    }

    private void onCreateChildResponse(IkeSa sa, List<Payload> payloads, long now)
            throws MalformedException, GeneralSecurityException {
        Request r = sa.outstanding;
        sa.outstanding = null;
        if (r.kind == Kind.REKEY_IKE) {
            onRekeyIkeResponse(sa, (RekeyIkeContext) r.context, payloads, now);
            return;
        }
        if (r.kind != Kind.REKEY_CHILD) {
            return;
        }
        RekeyChildContext ctx = (RekeyChildContext) r.context;
        Child old = ctx.old();
        old.rekeying = false;
        List<Notify> notifies = IkeCodec.notifies(payloads);
        for (Notify n : notifies) {
            if (!n.error()) {
                continue;
            }
            switch (n.type()) {
                case IkeCodec.N_TEMPORARY_FAILURE -> old.rekeyAt = now + 2_000 + random.nextInt(3_000);
                case IkeCodec.N_INVALID_KE_PAYLOAD -> {
                    old.pfsGroup = n.data().length == 2 ? IkeCodec.u16(n.data(), 0) : -1;
                    old.rekeyAt = old.pfsGroup > 0 && DhGroup.of(old.pfsGroup) != null ? now : Long.MAX_VALUE;
                }
                case IkeCodec.N_CHILD_SA_NOT_FOUND -> {
                    sa.children.remove(old);
                    inboundSpis.remove(old.inboundSpi);
                    output.childSaDown(old.view, "the peer no longer has it (CHILD_SA_NOT_FOUND)");
                }
                default -> old.rekeyAt = Long.MAX_VALUE; // the peer will not rekey it: it lives until deleted
            }
            return;
        }
        Payload saPayload = IkeCodec.find(payloads, IkeCodec.PT_SA);
        Payload noncePayload = IkeCodec.find(payloads, IkeCodec.PT_NONCE);
        Payload tsi = IkeCodec.find(payloads, IkeCodec.PT_TSI);
        Payload tsr = IkeCodec.find(payloads, IkeCodec.PT_TSR);
        if (saPayload == null || noncePayload == null || tsi == null || tsr == null) {
            old.rekeyAt = now + 5_000;
            return;
        }
        List<Proposal> chosenList = IkeCodec.sa(saPayload);
        Proposal chosen = chosenList.size() == 1 ? IkeProposals.select(chosenList, ctx.offer(), -1, false) : null;
        if (chosen == null || chosen.spi().length != 4) {
            old.rekeyAt = Long.MAX_VALUE;
            return;
        }
        int group = chosen.first(IkeProposals.TYPE_DH);
        byte[] gir = null;
        if (group != 0) {
            Payload kePayload = IkeCodec.find(payloads, IkeCodec.PT_KE);
            if (kePayload == null || ctx.ke() == null || ctx.ke().group().id != group) {
                old.rekeyAt = now + 5_000;
                return;
            }
            gir = ctx.ke().secret(IkeCodec.ke(kePayload).data());
        }
        byte[] nr = IkeCodec.nonce(noncePayload);
        byte[][] keys = IkeKeys.childKeys(sa.prf, sa.skD, gir, ctx.ni(), nr, chosen.keyBits() / 8 + 4);
        Child child = newChild(sa, chosen, ctx.inboundSpi(), IkeCodec.i32(chosen.spi(), 0), true, keys,
                IkeCodec.ts(tsi), IkeCodec.ts(tsr), now);
        old.rekeyed = true;
        old.deletePending = true;
        output.childSaRekeyed(old.view, child.view);
    }

    private void onRekeyIkeResponse(IkeSa sa, RekeyIkeContext ctx, List<Payload> payloads, long now)
            throws MalformedException, GeneralSecurityException {
        sa.rekeyingIke = false;
        for (Notify n : IkeCodec.notifies(payloads)) {
            if (!n.error()) {
                continue;
            }
            switch (n.type()) {
                case IkeCodec.N_TEMPORARY_FAILURE -> sa.rekeyAt = now + 2_000 + random.nextInt(3_000);
                case IkeCodec.N_INVALID_KE_PAYLOAD -> {
                    sa.rekeyGroup = n.data().length == 2 ? IkeCodec.u16(n.data(), 0) : -1;
                    sa.rekeyAt = sa.rekeyGroup > 0 && DhGroup.of(sa.rekeyGroup) != null ? now : Long.MAX_VALUE;
                }
                default -> sa.rekeyAt = Long.MAX_VALUE;
            }
            return;
        }
        Payload saPayload = IkeCodec.find(payloads, IkeCodec.PT_SA);
        Payload noncePayload = IkeCodec.find(payloads, IkeCodec.PT_NONCE);
        Payload kePayload = IkeCodec.find(payloads, IkeCodec.PT_KE);
        if (saPayload == null || noncePayload == null || kePayload == null) {
            sa.rekeyAt = now + 5_000;
            return;
        }
        List<Proposal> chosenList = IkeCodec.sa(saPayload);
        Ke ke = IkeCodec.ke(kePayload);
        Proposal chosen = chosenList.size() == 1
                ? IkeProposals.select(chosenList, ctx.offer(), ke.group(), false)
                : null;
        if (chosen == null || chosen.spi().length != 8 || ke.group() != ctx.ke().group().id) {
            sa.rekeyAt = Long.MAX_VALUE;
            return;
        }
        byte[] gir = ctx.ke().secret(ke.data());
        IkeSa fresh = new IkeSa(sa.connection, true);
        fresh.spiI = ctx.newSpi();
        fresh.spiR = IkeCodec.i64(chosen.spi(), 0);
        rekeyInto(sa, fresh, chosen, gir, ctx.ni(), IkeCodec.nonce(noncePayload), now);
        sa.deleteIkeRequested = true;
    }

    /** Moves an IKE SA's CHILD_SAs to its replacement, keyed from the old SK_d (RFC 7296 §2.18). */
    private void rekeyInto(IkeSa old, IkeSa fresh, Proposal chosen, byte[] gir, byte[] ni, byte[] nr, long now) {
        setSuite(fresh, chosen);
        fresh.ni = ni;
        fresh.nr = nr;
        byte[] skeyseed = IkeKeys.rekeyedSkeyseed(old.prf, old.skD, gir, ni, nr);
        installKeys(fresh, IkeKeys.derive(fresh.prf, skeyseed, ni, nr, fresh.spiI, fresh.spiR, fresh.encrKeyBytes));
        fresh.local = old.local;
        fresh.remote = old.remote;
        fresh.natT = old.natT;
        fresh.lastHeardAt = now;
        fresh.children.addAll(old.children);
        if (old.peerKey != null && byPeer.get(old.peerKey) == old) {
            fresh.peerKey = old.peerKey;
            byPeer.put(old.peerKey, fresh);
        }
        old.children.clear();
        old.state = State.REKEYED;
        old.rekeyAt = Long.MAX_VALUE;
        old.hardExpireAt = Long.MAX_VALUE;
        sas.put(fresh.ourSpi(), fresh);
        establish(fresh, now, "IKE SA rekeyed");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // INFORMATIONAL

    private void onInformationalRequest(IkeSa sa, int messageId, List<Payload> payloads, long now)
            throws MalformedException {
        boolean deleteIke = false;
        List<Integer> ours = new ArrayList<>(2);
        for (Payload p : payloads) {
            if (p.type() != IkeCodec.PT_DELETE) {
                continue;
            }
            Delete d = IkeCodec.delete(p);
            if (d.protocol() == IkeProposals.PROTOCOL_IKE) {
                deleteIke = true;
            } else if (d.protocol() == IkeProposals.PROTOCOL_ESP) {
                for (int spi : d.spis()) {
                    for (Child c : List.copyOf(sa.children)) {
                        if (c.outboundSpi == spi) {
                            ours.add(c.inboundSpi);
                            sa.children.remove(c);
                            inboundSpis.remove(c.inboundSpi);
                            if (c.rekeyed) {
                                output.childSaRetired(c.view);
                            } else {
                                output.childSaDown(c.view, "deleted by the peer");
                            }
                        }
                    }
                }
            }
        }
        Writer w = new Writer();
        if (!deleteIke && !ours.isEmpty()) {
            w.deleteEsp(ours.stream().mapToInt(Integer::intValue).toArray());
        }
        respond(sa, IkeCodec.INFORMATIONAL, messageId, w);
        Notify authFailed = IkeCodec.findNotify(IkeCodec.notifies(payloads), IkeCodec.N_AUTHENTICATION_FAILED);
        if (deleteIke) {
            destroy(sa, sa.state == State.REKEYED ? null : "DELETED", "deleted by the peer", now, -1);
        } else if (authFailed != null) {
            destroy(sa, "FAILED", "AUTHENTICATION_FAILED: the peer rejected our AUTH", now,
                    RESTART_AFTER_AUTH_FAILURE_MILLIS);
        }
    }

    @SuppressWarnings("unchecked")
    private void onInformationalResponse(IkeSa sa, long now) {
        Request r = sa.outstanding;
        sa.outstanding = null;
        switch (r.kind) {
            case DELETE_IKE -> destroy(sa, sa.state == State.REKEYED ? null : "DELETED",
                    sa.deleteReason == null ? "deleted" : sa.deleteReason, now, -1);
            case DELETE_CHILD -> {
                for (Child c : (List<Child>) r.context) {
                    if (sa.children.remove(c)) {
                        inboundSpis.remove(c.inboundSpi);
                        if (c.rekeyed) {
                            output.childSaRetired(c.view);
                        } else {
                            output.childSaDown(c.view, c.deleteReason != null ? c.deleteReason : "deleted");
                        }
                    }
                }
            }
            default -> {
                // liveness answered: lastHeardAt was updated
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers

    private void fail(IkeSa sa, String reason, long now) {
        destroy(sa, "FAILED", reason, now, reason.startsWith("AUTHENTICATION_FAILED")
                ? RESTART_AFTER_AUTH_FAILURE_MILLIS
                : RESTART_AFTER_FAILURE_MILLIS);
    }

    /** Forgets an IKE SA and its CHILD_SAs; reports {@code state} unless null; restarts an initiator's connection. */
    private void destroy(IkeSa sa, String state, String reason, long now, long restartAfter) {
        if (sas.get(sa.ourSpi()) == sa) {
            sas.remove(sa.ourSpi());
        }
        if (sa.halfOpenKey != null) {
            halfOpen.remove(sa.halfOpenKey);
        }
        if (sa.peerKey != null && byPeer.get(sa.peerKey) == sa) {
            byPeer.remove(sa.peerKey);
        }
        for (Child c : sa.children) {
            inboundSpis.remove(c.inboundSpi);
            if (c.rekeyed) {
                output.childSaRetired(c.view);
            } else {
                output.childSaDown(c.view, reason);
            }
        }
        sa.children.clear();
        sa.outstanding = null;
        if (state != null) {
            output.ikeSaState(sa.name(), state, reason);
        }
        Connection c = sa.connection;
        if (restartAfter >= 0 && state != null && c.config.initiator() && connections.get(c.config.name()) == c) {
            c.restartAt = Math.min(c.restartAt, now + restartAfter);
        }
    }

    private void closeAll(Connection c, String reason, long now) {
        for (IkeSa sa : List.copyOf(sas.values())) {
            if (sa.connection == c) {
                sendDeleteOnce(sa);
                destroy(sa, "DELETED", reason, now, -1);
            }
        }
    }

    /** One best-effort DELETE of the IKE SA, not retransmitted: we forget the SA right after. */
    private void sendDeleteOnce(IkeSa sa) {
        if (sa.in == null || sa.state != State.ESTABLISHED) {
            return;
        }
        try {
            int id = sa.nextRequestId++;
            transmit(sa.local, sa.remote, IkeCodec.encrypted(sa.spiI, sa.spiR, IkeCodec.INFORMATIONAL,
                    sa.initiator ? IkeCodec.FLAG_INITIATOR : 0, id, new Writer().deleteIke(), sa.out, nextIv(sa)));
        } catch (GeneralSecurityException e) {
            // nothing more to do: the peer's liveness check will notice
        }
    }

    private void request(IkeSa sa, int exchange, Writer w, Kind kind, Object context, long now) {
        int id = sa.nextRequestId++;
        byte[] msg;
        try {
            msg = IkeCodec.encrypted(sa.spiI, sa.spiR, exchange, sa.initiator ? IkeCodec.FLAG_INITIATOR : 0, id, w,
                    sa.out, nextIv(sa));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        sa.outstanding = new Request(id, msg, kind, context, now + RETRANSMIT_BASE_MILLIS);
        transmit(sa.local, sa.remote, msg);
    }

    private void respond(IkeSa sa, int exchange, int messageId, Writer w) {
        byte[] msg;
        try {
            msg = IkeCodec.encrypted(sa.spiI, sa.spiR, exchange,
                    IkeCodec.FLAG_RESPONSE | (sa.initiator ? IkeCodec.FLAG_INITIATOR : 0), messageId, w, sa.out,
                    nextIv(sa));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        sa.lastResponse = msg;
        sa.lastResponseId = messageId;
        sa.expectedPeerId = messageId + 1;
        transmit(sa.local, sa.remote, msg);
    }

    private void transmit(Endpoint local, Endpoint remote, byte[] msg) {
        if (local.port() == NAT_T_PORT) {
            byte[] marked = new byte[msg.length + 4];
            System.arraycopy(msg, 0, marked, 4, msg.length);
            output.send(local, remote, marked);
        } else {
            output.send(local, remote, msg);
        }
    }

    private Child newChild(IkeSa sa, Proposal proposal, int inboundSpi, int outboundSpi, boolean weInitiated,
            byte[][] keys, List<TrafficSelector> localTs, List<TrafficSelector> remoteTs, long now) {
        long id = nextChildId++;
        byte[] inbound = weInitiated ? keys[1] : keys[0];
        byte[] outbound = weInitiated ? keys[0] : keys[1];
        ChildSa view = new ChildSa(sa.name(), id, inboundSpi, outboundSpi, inbound, outbound,
                proposal.first(IkeProposals.TYPE_ESN) == 1, sa.local, sa.remote, sa.natT, List.copyOf(localTs),
                List.copyOf(remoteTs));
        Child child = new Child(id, inboundSpi, outboundSpi, proposal, view, now);
        child.rekeyAt = jittered(now, sa.connection.config.childRekeyMillis());
        long childRekey = sa.connection.config.childRekeyMillis();
        child.expireAt = childRekey > 0 ? now + childRekey + childRekey / 10 : Long.MAX_VALUE;
        sa.children.add(child);
        return child;
    }

    private List<Proposal> espOffer(Connection c, int inboundSpi, boolean withDh) {
        List<Proposal> offer = new ArrayList<>(c.esp.size());
        byte[] spi = spiBytes(inboundSpi);
        for (Proposal p : c.esp) {
            offer.add((withDh ? p : p.withoutDh()).with(offer.size() + 1, spi));
        }
        return offer;
    }

    private static List<TrafficSelector> narrow(List<TrafficSelector> offered, List<TrafficSelector> ours) {
        List<TrafficSelector> result = new ArrayList<>(ours.size());
        for (TrafficSelector o : offered) {
            for (TrafficSelector m : ours) {
                TrafficSelector x = o.intersect(m);
                if (x != null && !result.contains(x)) {
                    result.add(x);
                }
            }
        }
        return result;
    }

    private List<Connection> candidates(Endpoint local, Endpoint remote) {
        List<Connection> result = new ArrayList<>(2);
        for (Connection c : connections.values()) {
            int peer = c.config.peer().address();
            int mine = c.config.local().address();
            if ((peer == 0 || peer == remote.address()) && (mine == 0 || mine == local.address())) {
                result.add(c);
            }
        }
        return result;
    }

    private static String localId(IkeConnection c, Endpoint local) {
        return c.localId() != null ? c.localId() : Endpoint.dotted(local.address());
    }

    private static byte[] authData(Payload auth) throws MalformedException {
        if (auth.length() < 5 || (auth.buf()[auth.offset()] & 0xff) != IkeCodec.AUTH_SHARED_KEY_MIC) {
            throw new MalformedException("AUTH is not a shared key MIC");
        }
        return Arrays.copyOfRange(auth.buf(), auth.offset() + 4, auth.offset() + auth.length());
    }

    private void setSuite(IkeSa sa, Proposal chosen) {
        sa.proposal = chosen;
        sa.prf = Prf.of(chosen.first(IkeProposals.TYPE_PRF));
        sa.encrKeyBytes = chosen.keyBits() / 8;
    }

    private static void installKeys(IkeSa sa, IkeKeys keys) {
        sa.skD = keys.skD();
        sa.skPi = keys.skPi();
        sa.skPr = keys.skPr();
        sa.out = new IkeCrypto.Aead(sa.initiator ? keys.skEi() : keys.skEr());
        sa.in = new IkeCrypto.Aead(sa.initiator ? keys.skEr() : keys.skEi());
    }

    private static byte[] nextIv(IkeSa sa) {
        byte[] iv = new byte[8];
        IkeCrypto.putLong(iv, 0, sa.ivCounter++);
        return iv;
    }

    private long jittered(long now, long period) {
        if (period <= 0) {
            return Long.MAX_VALUE;
        }
        long jitter = period / 10;
        return now + period - (jitter > 0 ? (long) (random.nextDouble() * jitter) : 0);
    }

    private long newIkeSpi() {
        long spi;
        do {
            spi = random.nextLong();
        } while (spi == 0 || sas.containsKey(spi));
        return spi;
    }

    private int newEspSpi() {
        int spi;
        do {
            spi = random.nextInt();
        } while (Integer.compareUnsigned(spi, 256) < 0 || !inboundSpis.add(spi));
        return spi;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] spiBytes(int spi) {
        return new byte[]{(byte) (spi >>> 24), (byte) (spi >>> 16), (byte) (spi >>> 8), (byte) spi};
    }

    static String notifyName(int type) {
        return switch (type) {
            case IkeCodec.N_UNSUPPORTED_CRITICAL_PAYLOAD -> "UNSUPPORTED_CRITICAL_PAYLOAD";
            case IkeCodec.N_INVALID_IKE_SPI -> "INVALID_IKE_SPI";
            case IkeCodec.N_INVALID_SYNTAX -> "INVALID_SYNTAX";
            case IkeCodec.N_INVALID_MESSAGE_ID -> "INVALID_MESSAGE_ID";
            case IkeCodec.N_INVALID_SPI -> "INVALID_SPI";
            case IkeCodec.N_NO_PROPOSAL_CHOSEN -> "NO_PROPOSAL_CHOSEN";
            case IkeCodec.N_INVALID_KE_PAYLOAD -> "INVALID_KE_PAYLOAD";
            case IkeCodec.N_AUTHENTICATION_FAILED -> "AUTHENTICATION_FAILED";
            case IkeCodec.N_SINGLE_PAIR_REQUIRED -> "SINGLE_PAIR_REQUIRED";
            case IkeCodec.N_NO_ADDITIONAL_SAS -> "NO_ADDITIONAL_SAS";
            case IkeCodec.N_TS_UNACCEPTABLE -> "TS_UNACCEPTABLE";
            case IkeCodec.N_TEMPORARY_FAILURE -> "TEMPORARY_FAILURE";
            case IkeCodec.N_CHILD_SA_NOT_FOUND -> "CHILD_SA_NOT_FOUND";
            default -> "notify " + type;
        };
    }
}
