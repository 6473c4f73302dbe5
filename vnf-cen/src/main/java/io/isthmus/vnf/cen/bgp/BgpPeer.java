package io.isthmus.vnf.cen.bgp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A BGP-4 speaker for one peer (RFC 4271), IPv4 unicast, over plain TCP from this process. One platform thread per
 * peer does the connecting, reading, timers and listener calls; {@link #advertise} and {@link #withdraw} may be called
 * from any thread, at any time: what we advertise is kept (our Adj-RIB-Out) and sent again on every new session and
 * on the peer's ROUTE-REFRESH.
 *
 * <p>
 * Lifecycle: {@link #start()} once, {@link #close()} once (it sends a Cease NOTIFICATION). Between them the peer keeps
 * reconnecting: after a failed attempt it waits the ConnectRetry time, doubled after each further failure (at most
 * {@link BgpPeerConfig#MAX_CONNECT_RETRY_SECONDS}); after an Established session drops it waits the ConnectRetry time
 * once, and the listener hears {@link BgpListener#onDown}.
 */
public final class BgpPeer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BgpPeer.class.getName());
    /** How often a read gives up waiting, to look at the timers. */
    private static final int TICK_MILLIS = 200;
    /** RFC 4271 §8.2.2: the hold timer while waiting for the peer's OPEN, "a large value" (4 minutes suggested). */
    private static final long OPEN_SENT_HOLD_NANOS = TimeUnit.MINUTES.toNanos(4);
    private static final int ROUTE_REFRESH_IPV4_UNICAST = 1 << 8 | 1;

    private final BgpPeerConfig config;
    private final BgpListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}, like {@link #out}: what we advertise. */
    private final LinkedHashSet<Prefix> ribOut = new LinkedHashSet<>();
    private OutputStream out;
    /** The I/O thread's only. */
    private final PrefixSet ribIn = new PrefixSet();
    private final AtomicLong updatesReceived = new AtomicLong();

    private volatile BgpState state = BgpState.IDLE;
    private volatile String stateReason = "not started";
    private volatile BgpMessages.Negotiated negotiated;
    private volatile Socket socket;
    private volatile ServerSocket listenSocket;
    private volatile boolean running;
    private volatile long lastSentNanos;
    private volatile int learnedRoutes;
    private long holdDeadlineNanos;
    /** False when both sides agreed on hold time 0. */
    private boolean holdTimerRunning;
    private InetAddress peerInet;
    private Thread thread;

    public BgpPeer(BgpPeerConfig config, BgpListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /**
     * Starts the session's thread; with a {@link BgpPeerConfig#listenPort()} the passive listener is bound first.
     *
     * @throws UncheckedIOException the peer address does not resolve or the listen port cannot be bound
     */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        try {
            peerInet = InetAddress.getByName(config.peerAddress());
            if (config.listenPort() > 0) {
                ServerSocket server = new ServerSocket();
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(
                        config.localAddress() == null ? null : InetAddress.getByName(config.localAddress()),
                        config.listenPort()));
                listenSocket = server;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("BGP peer " + config.peerAddress() + ": " + e.getMessage(), e);
        }
        running = true;
        thread = Thread.ofPlatform().name("bgp-" + config.peerAddress()).daemon().start(this::run);
    }

    /** The RFC 4271 name of the session's state: "Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established". */
    public String state() {
        return state.rfcName();
    }

    public BgpState bgpState() {
        return state;
    }

    /** Why the session last changed state, e.g. the NOTIFICATION that ended it. */
    public String stateReason() {
        return stateReason;
    }

    public BgpPeerConfig config() {
        return config;
    }

    /** UPDATE messages received since start, over all sessions. */
    public long updatesReceived() {
        return updatesReceived.get();
    }

    /** Prefixes the peer currently announces to us (0 unless Established). */
    public int learnedRouteCount() {
        return learnedRoutes;
    }

    /**
     * Announces the prefixes to the peer (now if Established, else when the session comes up) with ORIGIN IGP, our AS
     * prepended on eBGP, NEXT_HOP {@link BgpPeerConfig#nextHopSelf()}. Prefixes already advertised are not sent again.
     */
    public void advertise(List<Prefix> prefixes) {
        lock.lock();
        try {
            List<Prefix> fresh = new ArrayList<>(prefixes.size());
            for (Prefix prefix : prefixes) {
                if (ribOut.add(prefix)) {
                    fresh.add(prefix);
                }
            }
            if (!fresh.isEmpty() && state == BgpState.ESTABLISHED) {
                sendLocked(UpdateEncoder.announce(fresh, ourAttributes()));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Withdraws prefixes we advertised; others are ignored. */
    public void withdraw(List<Prefix> prefixes) {
        lock.lock();
        try {
            List<Prefix> gone = new ArrayList<>(prefixes.size());
            for (Prefix prefix : prefixes) {
                if (ribOut.remove(prefix)) {
                    gone.add(prefix);
                }
            }
            if (!gone.isEmpty() && state == BgpState.ESTABLISHED) {
                sendLocked(UpdateEncoder.withdraw(gone));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the session with a Cease (administrative shutdown) NOTIFICATION and stops reconnecting. Idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            t = thread;
        }
        BgpState s = state;
        if (s == BgpState.OPEN_SENT || s == BgpState.OPEN_CONFIRM || s == BgpState.ESTABLISHED) {
            sendNotification(new Notification(Notification.CEASE, Notification.ADMINISTRATIVE_SHUTDOWN));
        }
        closeQuietly(socket);
        closeQuietly(listenSocket);
        t.interrupt();
        if (t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        int failures = 0;
        while (running) {
            Socket connection = null;
            if (config.peerPort() > 0) {
                transition(BgpState.CONNECT, "connecting to " + config.peerAddress() + ":" + config.peerPort());
                connection = connect();
            }
            if (connection == null && listenSocket != null && running) {
                transition(BgpState.ACTIVE, "waiting for " + config.peerAddress() + " to connect");
                connection = accept(retryMillis(failures));
            }
            if (connection == null) {
                if (running) {
                    transition(BgpState.IDLE, stateReason);
                    if (config.peerPort() > 0 && listenSocket == null) {
                        pause(retryMillis(failures));
                    }
                    failures = Math.min(failures + 1, 16);
                }
                continue;
            }
            boolean established = session(connection);
            failures = established ? 0 : Math.min(failures + 1, 16);
            if (running) {
                pause(retryMillis(established ? 0 : failures));
            }
        }
        state = BgpState.IDLE;
        stateReason = "closed";
    }

    private Socket connect() {
        Socket s = new Socket();
        socket = s;
        try {
            if (config.localAddress() != null) {
                s.bind(new InetSocketAddress(InetAddress.getByName(config.localAddress()), 0));
            }
            s.connect(new InetSocketAddress(peerInet, config.peerPort()),
                    (int) TimeUnit.SECONDS.toMillis(config.connectRetrySeconds()));
            if (running) {
                return s;
            }
        } catch (IOException e) {
            stateReason = "connect to " + config.peerAddress() + ":" + config.peerPort() + " failed: " + e.getMessage();
        }
        closeQuietly(s);
        return null;
    }

    /** A connection from the peer's address within {@code millis}; others are closed at once. */
    private Socket accept(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        ServerSocket server = listenSocket;
        while (running) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                stateReason = "no connection from " + config.peerAddress();
                return null;
            }
            try {
                server.setSoTimeout((int) Math.max(1, Math.min(left, Integer.MAX_VALUE)));
                Socket s = server.accept();
                if (s.getInetAddress().equals(peerInet)) {
                    socket = s;
                    return s;
                }
                LOG.log(System.Logger.Level.INFO, "BGP {0}: connection from {1} refused, not the peer",
                        config.peerAddress(), s.getInetAddress().getHostAddress());
                closeQuietly(s);
            } catch (SocketTimeoutException e) {
                // loop to the deadline check
            } catch (IOException e) {
                stateReason = "listen: " + e.getMessage();
                return null;
            }
        }
        return null;
    }

    /** Runs one connection from OpenSent to its end; true if it was Established. */
    private boolean session(Socket s) {
        boolean established = false;
        String reason;
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(TICK_MILLIS);
            InputStream in = s.getInputStream();
            lock.lock();
            try {
                out = s.getOutputStream();
            } finally {
                lock.unlock();
            }
            transition(BgpState.OPEN_SENT, "connected to " + s.getRemoteSocketAddress());
            send(BgpMessages.encodeOpen(config.localAs(), config.holdTimeSeconds(), config.routerId()));
            holdDeadlineNanos = System.nanoTime() + OPEN_SENT_HOLD_NANOS;
            holdTimerRunning = true;
            byte[] buffer = new byte[64 * 1024];
            int start = 0;
            int end = 0;
            while (true) {
                while (end - start >= BgpMessages.HEADER_LENGTH) {
                    int length = BgpMessages.checkHeader(buffer, start);
                    if (end - start < length) {
                        break;
                    }
                    receive(buffer, start, length);
                    established |= state == BgpState.ESTABLISHED;
                    start += length;
                }
                checkTimers();
                if (start > 0) {
                    System.arraycopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                int n;
                try {
                    n = in.read(buffer, end, buffer.length - end);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (n < 0) {
                    reason = "connection closed by the peer";
                    break;
                }
                end += n;
            }
        } catch (BgpProtocolException e) {
            sendNotification(e.notification());
            reason = "NOTIFICATION sent: " + e.getMessage();
        } catch (PeerNotificationException e) {
            reason = e.getMessage();
        } catch (IOException e) {
            reason = running ? "connection lost: " + e.getMessage() : "closed";
        }
        lock.lock();
        try {
            out = null;
        } finally {
            lock.unlock();
        }
        closeQuietly(s);
        negotiated = null;
        ribIn.clear();
        learnedRoutes = 0;
        transition(BgpState.IDLE, reason);
        if (established) {
            LOG.log(System.Logger.Level.INFO, "BGP {0}: session down: {1}", config.peerAddress(), reason);
            try {
                listener.onDown(this, reason);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "BGP listener failed on down", e);
            }
        }
        return established;
    }

    private void receive(byte[] m, int offset, int length) throws BgpProtocolException, IOException {
        int type = BgpMessages.type(m, offset);
        if (type == BgpMessages.NOTIFICATION) {
            throw new PeerNotificationException(
                    "NOTIFICATION received: " + BgpMessages.decodeNotification(m, offset, length));
        }
        switch (state) {
            case OPEN_SENT -> {
                if (type != BgpMessages.OPEN) {
                    throw fsmError(Notification.UNEXPECTED_IN_OPEN_SENT, type);
                }
                BgpMessages.Open open = BgpMessages.decodeOpen(m, offset, length);
                negotiated = BgpMessages.negotiate(config, open);
                send(BgpMessages.encodeKeepalive());
                transition(BgpState.OPEN_CONFIRM, "OPEN received, hold time " + negotiated.holdTime() + " s");
            }
            case OPEN_CONFIRM -> {
                if (type != BgpMessages.KEEPALIVE) {
                    throw fsmError(Notification.UNEXPECTED_IN_OPEN_CONFIRM, type);
                }
                establish();
            }
            case ESTABLISHED -> {
                switch (type) {
                    case BgpMessages.KEEPALIVE -> {
                        // restarts the hold timer below
                    }
                    case BgpMessages.UPDATE -> update(m, offset, length);
                    case BgpMessages.ROUTE_REFRESH -> {
                        if (BgpMessages.routeRefreshFamily(m, offset) == ROUTE_REFRESH_IPV4_UNICAST) {
                            resendRibOut();
                        }
                    }
                    default -> throw fsmError(Notification.UNEXPECTED_IN_ESTABLISHED, type);
                }
            }
            default -> throw new IllegalStateException("reading in state " + state);
        }
        int hold = negotiated.holdTime();
        holdTimerRunning = hold > 0;
        holdDeadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(hold);
    }

    private void establish() throws IOException {
        lock.lock();
        try {
            transition(BgpState.ESTABLISHED, "KEEPALIVE received");
            if (!ribOut.isEmpty()) {
                sendLocked(UpdateEncoder.announce(List.copyOf(ribOut), ourAttributes()));
            }
        } finally {
            lock.unlock();
        }
        LOG.log(System.Logger.Level.INFO, "BGP {0}: Established (AS {1}, hold time {2} s)", config.peerAddress(),
                Integer.toUnsignedString(config.peerAs()), negotiated.holdTime());
        try {
            listener.onEstablished(this);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "BGP listener failed on established", e);
        }
    }

    private void resendRibOut() {
        lock.lock();
        try {
            sendLocked(UpdateEncoder.announce(List.copyOf(ribOut), ourAttributes()));
        } finally {
            lock.unlock();
        }
    }

    private void update(byte[] m, int offset, int length) throws BgpProtocolException {
        updatesReceived.incrementAndGet();
        UpdateDecoder.Result result = UpdateDecoder.decode(m, offset, length,
                new UpdateDecoder.Context(negotiated.fourOctetAs(), config.ebgp(), config.peerAs()));
        if (result.approach() == UpdateDecoder.Approach.SESSION_RESET) {
            throw new BgpProtocolException(result.notification(), "UPDATE " + result.problems());
        }
        if (!result.problems().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "BGP {0}: malformed UPDATE, {1}: {2}", config.peerAddress(),
                    result.approach(), result.problems());
        }
        List<Prefix> withdrawn = new ArrayList<>(result.withdrawn().size());
        for (Prefix prefix : result.withdrawn()) {
            if (ribIn.remove(prefix.key())) {
                withdrawn.add(prefix);
            }
        }
        List<LearnedRoute> announced = result.announced();
        if (!announced.isEmpty() && announced.getFirst().asPath().contains(config.localAs())) {
            // RFC 4271 §9.1.2: our own AS in the path is a loop; the route replaces nothing, its prefix is gone
            for (LearnedRoute route : announced) {
                if (ribIn.remove(route.prefix().key())) {
                    withdrawn.add(route.prefix());
                }
            }
            announced = List.of();
        }
        for (LearnedRoute route : announced) {
            ribIn.add(route.prefix().key());
        }
        learnedRoutes = ribIn.size();
        if (!announced.isEmpty() || !withdrawn.isEmpty()) {
            try {
                listener.onRoutes(this, announced, withdrawn);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "BGP listener failed on routes", e);
            }
        }
    }

    private void checkTimers() throws BgpProtocolException {
        long now = System.nanoTime();
        if (holdTimerRunning && now - holdDeadlineNanos > 0) {
            throw new BgpProtocolException(new Notification(Notification.HOLD_TIMER_EXPIRED, 0), "hold timer expired");
        }
        BgpMessages.Negotiated n = negotiated;
        if (n != null && n.keepaliveTime() > 0 && (state == BgpState.OPEN_CONFIRM || state == BgpState.ESTABLISHED)
                && now - lastSentNanos >= TimeUnit.SECONDS.toNanos(n.keepaliveTime())) {
            // a caller holding the lock is writing UPDATEs, which restart the keepalive timer anyway
            if (lock.tryLock()) {
                try {
                    sendLocked(List.of(BgpMessages.encodeKeepalive()));
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private byte[] ourAttributes() {
        return UpdateEncoder.attributes(config.localAs(), config.ebgp(), negotiated.fourOctetAs(),
                config.nextHopSelf());
    }

    private void send(byte[] message) throws IOException {
        lock.lock();
        try {
            if (out == null) {
                throw new IOException("not connected");
            }
            out.write(message);
            lastSentNanos = System.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    /** Writes with the lock held; a failed write closes the connection, which the I/O thread then notices. */
    private void sendLocked(List<byte[]> messages) {
        if (out == null) {
            return;
        }
        try {
            for (byte[] message : messages) {
                out.write(message);
            }
            lastSentNanos = System.nanoTime();
        } catch (IOException e) {
            closeQuietly(socket);
        }
    }

    /** Best effort: a writer stuck on a full socket buffer must not stop the session from ending. */
    private void sendNotification(Notification notification) {
        try {
            if (lock.tryLock(1, TimeUnit.SECONDS)) {
                try {
                    if (out != null) {
                        out.write(BgpMessages.encodeNotification(notification));
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException e) {
            // the connection is going anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private BgpProtocolException fsmError(int subcode, int type) {
        return new BgpProtocolException(new Notification(Notification.FSM_ERROR, subcode),
                "message type " + type + " in state " + state.rfcName());
    }

    /** The one place the state changes. */
    private void transition(BgpState next, String reason) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("BGP " + state.rfcName() + " → " + next.rfcName() + " (" + reason + ")");
        }
        LOG.log(System.Logger.Level.DEBUG, "BGP {0}: {1} → {2}: {3}", config.peerAddress(), state.rfcName(),
                next.rfcName(), reason);
        stateReason = reason;
        state = next;
    }

    private long retryMillis(int failures) {
        long seconds = Math.min((long) config.connectRetrySeconds() << Math.min(failures, 16),
                BgpPeerConfig.MAX_CONNECT_RETRY_SECONDS);
        return TimeUnit.SECONDS.toMillis(Math.max(seconds, config.connectRetrySeconds()));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // close() interrupts: the loop checks running
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing to do
            }
        }
    }

    /** The peer ended the session with a NOTIFICATION: we send none back. */
    private static final class PeerNotificationException extends IOException {
        PeerNotificationException(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {
        return "BgpPeer[" + config.peerAddress() + " AS " + Integer.toUnsignedString(config.peerAs()) + " "
                + state.rfcName() + "]";
    }
}
