package io.isthmus.vnf.vpn.ike;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny test transport around one engine: UDP sockets on ports 500 and 4500 of one address feed {@link
 * IkeEngine#receive}, {@link IkeEngine.Output#send} writes to them, a thread fires the timers. Calls into the engine
 * are serialised by this object's lock, as the slowpath serialises its policy's.
 */
final class UdpIkeTransport implements IkeEngine.Output, AutoCloseable {

    record Event(String kind, String connection, String detail, ChildSa sa, ChildSa replacement) {
    }

    private final DatagramSocket ike;
    private final DatagramSocket natT;
    private final int address;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private IkeEngine engine;
    final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<DatagramPacket> held = new ArrayList<>();
    private boolean holding;
    private final AtomicInteger createChildRequests = new AtomicInteger();

    UdpIkeTransport(String address) throws SocketException {
        InetAddress inet;
        try {
            inet = InetAddress.getByName(address);
        } catch (IOException e) {
            throw new SocketException(e.getMessage());
        }
        this.address = Endpoint.parseAddress(address);
        this.ike = new DatagramSocket(new InetSocketAddress(inet, 500));
        this.natT = new DatagramSocket(new InetSocketAddress(inet, 4500));
        this.engine = new IkeEngine(this, new SecureRandom());
        start(ike, 500);
        start(natT, 4500);
        timer.scheduleWithFixedDelay(() -> {
            synchronized (this) {
                long now = System.currentTimeMillis();
                if (now >= engine.nextTimerMillis()) {
                    engine.onTimer(now);
                }
            }
        }, 20, 20, TimeUnit.MILLISECONDS);
    }

    /** A fresh engine (the previous one is forgotten, not closed). */
    synchronized IkeEngine reset() {
        engine = new IkeEngine(this, new SecureRandom());
        events.clear();
        return engine;
    }

    synchronized <T> T call(java.util.function.Function<IkeEngine, T> action) {
        return action.apply(engine);
    }

    synchronized void run(java.util.function.Consumer<IkeEngine> action) {
        action.accept(engine);
    }

    private void start(DatagramSocket socket, int port) throws SocketException {
        socket.setSoTimeout(200);
        threads.add(Thread.ofPlatform().daemon().name("ike-rx-" + port).start(() -> {
            byte[] buf = new byte[65_536];
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            while (running) {
                try {
                    packet.setLength(buf.length);
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    return;
                }
                Endpoint remote = new Endpoint(Endpoint.parseAddress(packet.getAddress().getHostAddress()),
                        packet.getPort());
                int off = port == 4500 ? 4 : 0;
                if (packet.getLength() >= off + 28 && buf[off + 18] == IkeCodec.CREATE_CHILD_SA
                        && (buf[off + 19] & IkeCodec.FLAG_RESPONSE) == 0) {
                    createChildRequests.incrementAndGet();
                }
                synchronized (this) {
                    engine.receive(new Endpoint(address, port), remote, buf, 0, packet.getLength(),
                            System.currentTimeMillis());
                }
            }
        }));
    }

    /** CREATE_CHILD_SA requests received so far. */
    int createChildRequests() {
        return createChildRequests.get();
    }

    /** From now on, keeps what the engine sends instead of sending it. */
    synchronized void hold() {
        holding = true;
    }

    /** Sends what was held, in order, and stops holding. */
    synchronized void release() throws IOException {
        holding = false;
        for (DatagramPacket p : held) {
            (p.getPort() == 4500 ? natT : ike).send(p);
        }
        held.clear();
    }

    @Override
    public void send(Endpoint local, Endpoint remote, byte[] udpPayload) {
        DatagramSocket socket = local.port() == 4500 ? natT : ike;
        try {
            DatagramPacket packet = new DatagramPacket(udpPayload, udpPayload.length,
                    new InetSocketAddress(InetAddress.getByName(Endpoint.dotted(remote.address())), remote.port()));
            if (holding) {
                held.add(packet);
                return;
            }
            socket.send(packet);
        } catch (IOException e) {
            events.add(new Event("send-error", "", e.toString(), null, null));
        }
    }

    @Override
    public void childSaUp(ChildSa sa) {
        events.add(new Event("up", sa.connection(), "", sa, null));
    }

    @Override
    public void childSaRekeyed(ChildSa old, ChildSa replacement) {
        events.add(new Event("rekeyed", old.connection(), "", old, replacement));
    }

    @Override
    public void childSaDown(ChildSa sa, String reason) {
        events.add(new Event("down", sa.connection(), reason, sa, null));
    }

    @Override
    public void ikeSaState(String connection, String state, String reason) {
        events.add(new Event(state, connection, reason, null, null));
    }

    @Override
    public void childSaRetired(ChildSa old) {
        events.add(new Event("retired", old.connection(), "", old, null));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        timer.shutdownNow();
        ike.close();
        natT.close();
        for (Thread t : threads) {
            t.interrupt();
            t.join(2_000);
        }
    }
}
