package io.isthmus.slowpath.control;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.RouteAckFlyweight;
import io.isthmus.control.message.RouteUpdateFlyweight;

/**
 * Brings every fastpath that takes route tables (HELLO flag ROUTE_TABLES) to the version of the slowpath's
 * {@link RouteTables}, and says which version all of them have applied (the live version).
 * <p>
 * Each such fastpath (a peer) has a cursor: the next delta to send it, or the next part of the snapshot it is sent.
 * The pump (policy thread, under the policy lock) sends a peer what it lacks, at most {@link #window} messages in flight
 * — the messages sent beyond what its last ROUTE_ACK says it applied (one version per delta, one part per snapshot
 * part) — so a full load is not bound by the round trip, and its control socket's receive buffer (4 MiB in the
 * fastpath) does not overflow: 256 messages of 1,472 bytes are some 600 KiB of kernel memory. A peer is sent deltas
 * from the {@link RouteLog} while the log still holds every one since where it stands and they are no bigger than a
 * snapshot; else a snapshot of the tables now (encoded once, shared, kept until the peer finished it) and then the
 * deltas after it.
 * <p>
 * Losses are recovered go-back-N: the cursor goes back to where the peer's last ack stands when the acks stop showing
 * progress for {@link #RESEND_NANOS} (doubling, up to {@link #MAX_RESEND_NANOS}, while none comes), or at once on the
 * third ack in a row that shows no progress while deltas are in flight (the peer ignored deltas that did not start at
 * its version: one before them was lost); after going back, repeated acks are not counted until the peer passes what
 * it had been sent (the old messages still on their way repeat its ack too). An ack beyond the cursor (messages sent
 * before going back arrived after all) moves the cursor forward. Acks are cumulative, so only the last one of each peer is kept: the control thread puts it in a map
 * ({@link #onAck}) and wakes the policy thread.
 * <p>
 * A peer new to the slowpath was told to empty its tables (REMOVE of all rules): it is at version 0, the empty tables,
 * and is sent the deltas from 0 (or a snapshot). One that kept its rules (a policy that learns them) is sent a
 * snapshot, whose first part empties whatever tables it had. A reset sends every fastpath a REMOVE of all rules: its
 * route tables are empty again and it is sent them anew ({@link #emptied}). A peer's version counts for the live
 * version only as far as what it was sent: an ack from before its tables were emptied does not make it live.
 */
public final class RouteDistributor {

    /** Messages in flight per fastpath, by default. */
    public static final int DEFAULT_WINDOW = 256;
    /** Route-table deltas kept for fastpaths that fall behind, in bytes, by default. */
    public static final long DEFAULT_LOG_BYTES = 32L << 20;
    static final long RESEND_NANOS = TimeUnit.MILLISECONDS.toNanos(40);
    static final long MAX_RESEND_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int DUPLICATE_ACKS = 3;

    /** The last ROUTE_ACK of a fastpath, as the control thread took it. */
    record Ack(int address, int port, long version, long snapshotVersion, int nextPart, int routes, int groups,
            long rejected) {

        boolean samePlace(Ack other) {
            return other != null && version == other.version && snapshotVersion == other.snapshotVersion
                    && nextPart == other.nextPart;
        }
    }

    /** One fastpath's route tables as its last ack said ({@code version} -1: half way through a snapshot). */
    public record PeerStats(long version, int routes, int groups, long rejected) {
    }

    /** The route tables and their distribution, for {@code GET /stats}. */
    public record Stats(long version, long liveVersion, int routes, int groups, int bindings, long logBytes,
            long snapshotsSent, long resends, Map<Integer, PeerStats> fastpaths) {
    }

    private static final class Peer {
        final int id;
        final InetSocketAddress control;
        final int address;
        final int port;
        /** The last ack taken; one the peer sent before its tables were emptied is {@link #stale}. */
        Ack lastAck;
        Ack stale;
        /** The snapshot it is sent, or was sent and has not acked through yet. */
        RouteSnapshot snapshot;
        int nextPart;
        /** The version the next delta starts from (once the snapshot's parts are all sent). */
        long next;
        /** Where it stood when its tables were last emptied or the cursor last went back without an ack. */
        long base;
        /** The highest version it was sent (a delta's end, a whole snapshot's version) since its tables were emptied. */
        long sentMax;
        long confirmed;
        long lastProgress;
        long timeout = RESEND_NANOS;
        int duplicates;
        /**
         * After going back: repeated acks are not counted until one passes the highest version it had been sent then
         * (the messages sent before going back, and again after it, are ignored by the peer and repeat its ack).
         */
        long recoverAt = -1;
        /**
         * Whether its version is one of this slowpath's: since its tables were emptied, or it applied a whole snapshot
         * of ours (one that kept its rules may hold another slowpath's version of the same number).
         */
        boolean trusted;
        volatile PeerStats stats = new PeerStats(0, 0, 0, 0);

        Peer(int id, InetSocketAddress control) {
            this.id = id;
            this.control = control;
            this.address = Ipv4Addresses.of(control.getAddress());
            this.port = control.getPort();
        }
    }

    private final RouteTables tables;
    private final ControlSender sender;
    private final int window;
    private final ConcurrentHashMap<Integer, Ack> acks = new ConcurrentHashMap<>();
    private final AtomicLong ackArrivals = new AtomicLong();
    private final ByteBuffer out = ByteBuffer.allocateDirect(ControlProtocol.MAX_BATCH_BYTES);
    /** Threads waiting for a live version ({@link #awaitLive}): unparked when it changes, no lock taken. */
    private final Queue<Thread> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicLong snapshotsSent = new AtomicLong();
    private final AtomicLong resends = new AtomicLong();
    private volatile Peer[] peers = {};
    private volatile long liveVersion;
    private long seenArrivals;
    private long pumpedVersion;
    private long nextDeadline = Long.MAX_VALUE;
    /** A peer joined or was emptied since the last pump: it has everything to be sent. */
    private boolean peersChanged;
    private int sequence;

    RouteDistributor(RouteTables tables, ControlSender sender, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("a window of at least one message: " + window);
        }
        this.tables = tables;
        this.sender = sender;
        this.window = window;
    }

    // ---------------------------------------------------------------- control thread

    /**
     * Takes a ROUTE_ACK (control thread): kept as its fastpath's last; the caller wakes the policy thread. Returns false
     * if it is malformed.
     */
    public boolean onAck(ByteBuffer buffer, int offset, int length, int senderAddress, int senderPort) {
        if (!RouteAckFlyweight.isValid(length)) {
            return false;
        }
        acks.put(ControlProtocol.fastpathId(buffer, offset), new Ack(senderAddress, senderPort,
                RouteAckFlyweight.version(buffer, offset), RouteAckFlyweight.snapshotVersion(buffer, offset),
                RouteAckFlyweight.nextPart(buffer, offset), RouteAckFlyweight.routes(buffer, offset),
                RouteAckFlyweight.groups(buffer, offset), RouteAckFlyweight.rejected(buffer, offset)));
        ackArrivals.incrementAndGet();
        return true;
    }

    // ---------------------------------------------------------------- the peers (policy thread)

    /**
     * A fastpath that takes route tables is new to the slowpath (or registered again): {@code emptied} if it was told
     * to remove all rules, so its tables are empty, else it gets a snapshot first.
     */
    void join(int id, InetSocketAddress control, boolean emptied, long now) {
        Peer peer = new Peer(id, control);
        peer.stale = acks.get(id);
        peer.lastProgress = now;
        if (emptied) {
            restartEmpty(peer);
        } else {
            startSnapshot(peer);
        }
        Peer[] current = peers;
        Peer[] next = new Peer[current.length + 1];
        int n = 0;
        for (Peer known : current) {
            if (known.id != id) {
                next[n++] = known;
            }
        }
        next[n++] = peer;
        peers = Arrays.copyOf(next, n);
        peersChanged = true;
        updateLive();
    }

    /** Forgets the fastpaths that are not among {@code ids} (they left, or no longer take route tables). */
    void retain(int[] ids, int count) {
        Peer[] current = peers;
        Peer[] next = new Peer[current.length];
        int n = 0;
        for (Peer peer : current) {
            boolean kept = false;
            for (int i = 0; i < count && !kept; i++) {
                kept = ids[i] == peer.id;
            }
            if (kept) {
                next[n++] = peer;
            } else {
                acks.remove(peer.id);
            }
        }
        if (n != current.length) {
            peers = Arrays.copyOf(next, n);
            updateLive();
        }
    }

    /** A fastpath was told to remove all rules (a reset): its route tables are empty, it is sent them anew. */
    void emptied(int id, long now) {
        for (Peer peer : peers) {
            if (peer.id == id) {
                peer.stale = acks.get(id);
                peer.lastAck = null;
                peer.lastProgress = now;
                restartEmpty(peer);
                peersChanged = true;
            }
        }
        updateLive();
    }

    private void restartEmpty(Peer peer) {
        peer.trusted = true;
        peer.snapshot = null;
        peer.base = 0;
        peer.sentMax = 0;
        peer.confirmed = 0;
        peer.next = 0;
        peer.recoverAt = -1;
        peer.duplicates = 0;
        if (!tables.deltasServe(0)) {
            startSnapshot(peer);
        }
    }

    /** Whether the pump has something to do: an ack came, a change was made, or a resend is due. */
    boolean hasWork(long now) {
        return peersChanged || ackArrivals.get() != seenArrivals || tables.version() != pumpedVersion
                || nextDeadline != Long.MAX_VALUE && now - nextDeadline >= 0;
    }

    /** Nanoseconds until the next resend is due ({@link Long#MAX_VALUE}: none in flight). */
    long nanosUntilResend(long now) {
        long deadline = nextDeadline;
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadline - now);
    }

    /** Sends each peer what it lacks, within its window; returns the messages sent (policy thread). */
    int pump(long now) {
        seenArrivals = ackArrivals.get();
        pumpedVersion = tables.version();
        peersChanged = false;
        int sent = 0;
        long deadline = Long.MAX_VALUE;
        for (Peer peer : peers) {
            Ack ack = acks.get(peer.id);
            if (ack != null && ack != peer.lastAck && ack != peer.stale && ack.address() == peer.address
                    && ack.port() == peer.port) {
                onAck(peer, ack, now);
            }
            sent += pump(peer, now);
            if (inFlight(peer) > 0) {
                deadline = Math.min(deadline, peer.lastProgress + peer.timeout);
            }
        }
        nextDeadline = deadline;
        updateLive();
        return sent;
    }

    private void onAck(Peer peer, Ack ack, long now) {
        Ack previous = peer.lastAck;
        peer.lastAck = ack;
        peer.stats = new PeerStats(ack.version(), ack.routes(), ack.groups(), ack.rejected());
        peer.confirmed = ack.version() >= 0 && ack.version() <= peer.sentMax ? ack.version() : 0;
        if (peer.snapshot != null && peer.nextPart == peer.snapshot.partCount()
                && ack.version() >= peer.snapshot.version() && ack.version() <= peer.next) {
            // it applied the whole snapshot
            peer.snapshot = null;
            peer.trusted = true;
        }
        if (peer.snapshot == null && ack.version() > peer.next && ack.version() <= peer.sentMax) {
            // messages it was sent before the cursor went back got there after all
            peer.next = ack.version();
        } else if (peer.snapshot != null && ack.version() == RouteAckFlyweight.IN_SNAPSHOT
                && ack.snapshotVersion() == peer.snapshot.version() && ack.nextPart() > peer.nextPart) {
            peer.nextPart = Math.min(ack.nextPart(), peer.snapshot.partCount());
        }
        if (!ack.samePlace(previous)) {
            peer.lastProgress = now;
            peer.timeout = RESEND_NANOS;
            peer.duplicates = 0;
        } else if (peer.snapshot == null && ack.version() > peer.recoverAt && inFlight(peer) > 0
                && ++peer.duplicates >= DUPLICATE_ACKS) {
            goBack(peer, now);
        }
    }

    private int pump(Peer peer, long now) {
        long inFlight = inFlight(peer);
        if (inFlight > 0 && now - peer.lastProgress >= peer.timeout) {
            goBack(peer, now);
            peer.timeout = Math.min(peer.timeout * 2, MAX_RESEND_NANOS);
            inFlight = inFlight(peer);
        }
        if (inFlight == 0) {
            peer.lastProgress = now;
        }
        int sent = 0;
        while (inFlight + sent < window && sendNext(peer)) {
            sent++;
        }
        return sent;
    }

    /** Sends the next message the peer lacks, if any. */
    private boolean sendNext(Peer peer) {
        RouteSnapshot snapshot = peer.snapshot;
        if (snapshot != null && peer.nextPart < snapshot.partCount()) {
            send(peer, snapshot.parts()[peer.nextPart++]);
            if (peer.nextPart == snapshot.partCount()) {
                peer.next = snapshot.version();
                peer.sentMax = Math.max(peer.sentMax, snapshot.version());
            }
            return true;
        }
        if (peer.next >= tables.version()) {
            return false;
        }
        if (!tables.log().holds(peer.next)) {
            // the log dropped what it was about to be sent
            startSnapshot(peer);
            return sendNext(peer);
        }
        send(peer, tables.log().deltaFrom(peer.next));
        peer.next++;
        peer.sentMax = Math.max(peer.sentMax, peer.next);
        return true;
    }

    /**
     * Messages sent beyond what the peer's last ack says it applied; as many as the window when the ack does not fit
     * what it was sent (the resend timer sorts it out).
     */
    private long inFlight(Peer peer) {
        Ack ack = peer.lastAck;
        RouteSnapshot snapshot = peer.snapshot;
        if (snapshot != null) {
            int applied = ack != null && ack.version() == RouteAckFlyweight.IN_SNAPSHOT
                    && ack.snapshotVersion() == snapshot.version() ? ack.nextPart() : 0;
            long deltas = peer.nextPart == snapshot.partCount() ? peer.next - snapshot.version() : 0;
            return Math.max(0, peer.nextPart - applied) + deltas;
        }
        long at = ack == null ? peer.base : ack.version();
        if (at < 0 || at > peer.next) {
            return window;
        }
        return peer.next - at;
    }

    /** Sends the peer again from where its last ack stands (go-back-N). */
    private void goBack(Peer peer, long now) {
        resends.incrementAndGet();
        peer.recoverAt = peer.sentMax;
        peer.duplicates = 0;
        peer.lastProgress = now;
        Ack ack = peer.lastAck;
        RouteSnapshot snapshot = peer.snapshot;
        if (ack == null) {
            if (snapshot != null) {
                peer.nextPart = 0;
            } else {
                peer.next = peer.base;
            }
            return;
        }
        if (ack.version() == RouteAckFlyweight.IN_SNAPSHOT) {
            if (snapshot != null && ack.snapshotVersion() == snapshot.version()) {
                peer.nextPart = Math.min(ack.nextPart(), snapshot.partCount());
            } else {
                startSnapshot(peer);
            }
            return;
        }
        if (peer.trusted && ack.version() <= tables.version() && tables.deltasServe(ack.version())) {
            peer.snapshot = null;
            peer.next = ack.version();
            peer.base = ack.version();
        } else {
            startSnapshot(peer);
        }
    }

    private void startSnapshot(Peer peer) {
        RouteSnapshot snapshot = tables.snapshot();
        peer.snapshot = snapshot;
        peer.nextPart = 0;
        peer.next = snapshot.version();
        snapshotsSent.incrementAndGet();
    }

    private void send(Peer peer, byte[] message) {
        out.clear();
        out.put(0, message);
        out.putInt(ControlProtocol.FASTPATH_ID_OFFSET, peer.id);
        out.putInt(ControlProtocol.SEQUENCE_OFFSET, ++sequence);
        sender.send(out, 0, message.length, peer.control);
    }

    // ---------------------------------------------------------------- live version (any thread)

    /** Recomputes the live version (policy thread) and wakes those waiting for it. */
    void updateLive() {
        long live = tables.version();
        for (Peer peer : peers) {
            live = Math.min(live, peer.confirmed);
        }
        long before = liveVersion;
        liveVersion = live;
        if (live != before && !waiters.isEmpty()) {
            for (Thread waiter : waiters) {
                LockSupport.unpark(waiter);
            }
        }
    }

    /**
     * The version every fastpath that takes route tables has applied, the lowest of them (the slowpath's version if
     * there is none).
     */
    public long liveVersion() {
        return liveVersion;
    }

    /** Waits until every fastpath that takes route tables has applied {@code version}, at most {@code timeoutNanos}. */
    public boolean awaitLive(long version, long timeoutNanos) throws InterruptedException {
        if (liveVersion >= version) {
            return true;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        Thread self = Thread.currentThread();
        waiters.add(self);
        try {
            // re-checked after joining the waiters: a change before that is not missed
            while (liveVersion < version) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return true;
        } finally {
            waiters.remove(self);
        }
    }

    /** The tables' and each peer's state now (any thread). */
    public Stats stats() {
        Map<Integer, PeerStats> byFastpath = new LinkedHashMap<>();
        Peer[] known = peers.clone();
        Arrays.sort(known, (a, b) -> Integer.compare(a.id, b.id));
        for (Peer peer : known) {
            byFastpath.put(peer.id, peer.stats);
        }
        return new Stats(tables.publishedVersion(), liveVersion, tables.routeCount(), tables.groupCount(),
                tables.bindingCount(), tables.logBytes(), snapshotsSent.get(), resends.get(), byFastpath);
    }
}
