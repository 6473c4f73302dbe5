package io.isthmus.slowpath.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.RemoveFlyweight;
import io.isthmus.control.message.RouteAckFlyweight;
import io.isthmus.control.message.RouteUpdateFlyweight;
import io.isthmus.slowpath.policy.TableRoute;

/**
 * A fastpath that takes route tables, played by a test socket on a thread of its own: says HELLO (ROUTE_TABLES, and
 * again every second), applies the ROUTE_UPDATEs it reads to a simple model of the contract (deltas only at their
 * {@code From} version, snapshot parts in order, a REMOVE of all rules empties it) and answers each read with a
 * ROUTE_ACK. It counts what would be a slowpath's mistake ({@link #violations()}: a route to an undefined group, a
 * group removed while routes use it, a malformed message). It can lose the ROUTE_UPDATEs a test picks, unread and
 * unacknowledged, as a network would.
 */
public final class RouteTablesFastpath implements AutoCloseable {

    /** A model route's key: table, prefix, length. */
    public record Key(int table, int prefix, int prefixLength) {
    }

    private final int id;
    private final InetSocketAddress slowpath;
    private final DatagramSocket socket;
    private final Thread thread;
    private final byte[] in = new byte[ControlProtocol.MAX_MESSAGE_LENGTH];
    private final ByteBuffer out = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);
    private final int helloFlags;
    private volatile boolean running = true;
    private volatile Predicate<ByteBuffer> loses = message -> false;

    // the model, guarded by this
    private final Map<Integer, Integer> bindings = new HashMap<>();
    private final Map<Integer, List<TableRoute.NextHop>> groups = new HashMap<>();
    private final Map<Key, Integer> routes = new HashMap<>();
    private final Map<Integer, Integer> groupUses = new HashMap<>();
    private long version;
    private long snapshotVersion;
    private int nextPart;
    private long violations;
    private long updates;
    private long snapshotParts;
    private final AtomicLong lost = new AtomicLong();
    private int sequence;
    private long lastHello;

    private RouteTablesFastpath(int id, InetSocketAddress slowpath, int helloFlags) throws IOException {
        this.id = id;
        this.slowpath = slowpath;
        this.helloFlags = helloFlags;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        // as the fastpath's control socket
        this.socket.setReceiveBufferSize(4 * 1024 * 1024);
        this.socket.setSoTimeout(100);
        this.thread = Thread.ofPlatform().name("fake-fastpath-" + id).daemon(true).unstarted(this::run);
    }

    /** A fake fastpath that said HELLO with ROUTE_TABLES and runs. */
    public static RouteTablesFastpath start(InetSocketAddress slowpath, int id) throws IOException {
        return start(slowpath, id, HelloFlyweight.ROUTE_TABLES);
    }

    public static RouteTablesFastpath start(InetSocketAddress slowpath, int id, int helloFlags) throws IOException {
        RouteTablesFastpath fastpath = new RouteTablesFastpath(id, slowpath, helloFlags);
        fastpath.hello();
        fastpath.thread.start();
        return fastpath;
    }

    /** From now on ROUTE_UPDATEs that {@code loses} picks are lost (not applied, not acknowledged). */
    public void losing(Predicate<ByteBuffer> loses) {
        this.loses = loses;
    }

    /** ROUTE_UPDATEs lost so far. */
    public long lost() {
        return lost.get();
    }

    public int id() {
        return id;
    }

    public synchronized long version() {
        return version;
    }

    public synchronized int routeCount() {
        return routes.size();
    }

    public synchronized int groupCount() {
        return groups.size();
    }

    public synchronized long violations() {
        return violations;
    }

    /** ROUTE_UPDATEs applied or ignored (not lost). */
    public synchronized long updates() {
        return updates;
    }

    /** Snapshot parts applied. */
    public synchronized long snapshotParts() {
        return snapshotParts;
    }

    public synchronized Map<Integer, Integer> bindings() {
        return Map.copyOf(bindings);
    }

    /** The next hops a route of the model leads to (empty: a blackhole), or null if there is no such route. */
    public synchronized List<TableRoute.NextHop> route(int table, int prefix, int prefixLength) {
        Integer group = routes.get(new Key(table, prefix, prefixLength));
        if (group == null) {
            return null;
        }
        return group == 0 ? List.of() : groups.get(group);
    }

    /** Every route of the model with its next hops (empty: a blackhole). */
    public synchronized Map<Key, List<TableRoute.NextHop>> routes() {
        Map<Key, List<TableRoute.NextHop>> resolved = new HashMap<>();
        routes.forEach((key, group) -> resolved.put(key, group == 0 ? List.of() : groups.get(group)));
        return resolved;
    }

    /** The group id a route points at, or null. */
    public synchronized Integer groupOf(int table, int prefix, int prefixLength) {
        return routes.get(new Key(table, prefix, prefixLength));
    }

    private void hello() throws IOException {
        lastHello = System.nanoTime();
        send(HelloFlyweight.encode(out, 0, id, ++sequence, 0x7F000001, 40_000 + id, helloFlags));
    }

    private void run() {
        DatagramPacket packet = new DatagramPacket(in, in.length);
        while (running) {
            try {
                if (System.nanoTime() - lastHello > 1_000_000_000L) {
                    hello();
                }
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                ByteBuffer message = ByteBuffer.wrap(in, 0, packet.getLength()).slice();
                onMessage(message, packet.getLength());
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void onMessage(ByteBuffer message, int length) throws IOException {
        if (!ControlProtocol.isValidHeader(message, 0, length)) {
            return;
        }
        int type = ControlProtocol.type(message, 0);
        if (type == ControlProtocol.REMOVE && RemoveFlyweight.isRemoveAll(message, 0, length)) {
            synchronized (this) {
                clear();
                version = 0;
                snapshotVersion = 0;
                nextPart = 0;
            }
            return;
        }
        if (type != ControlProtocol.ROUTE_UPDATE) {
            return;
        }
        if (loses.test(message)) {
            lost.incrementAndGet();
            return;
        }
        int ackLength;
        synchronized (this) {
            updates++;
            apply(message, length);
            ackLength = RouteAckFlyweight.encode(out, 0, id, ++sequence, version,
                    version == RouteAckFlyweight.IN_SNAPSHOT ? snapshotVersion : 0,
                    version == RouteAckFlyweight.IN_SNAPSHOT ? nextPart : 0, routes.size(), groups.size(), 0);
        }
        send(ackLength);
    }

    /** Guarded by this. */
    private void apply(ByteBuffer message, int length) {
        if (!RouteUpdateFlyweight.isValid(message, 0, length) || length > ControlProtocol.MAX_BATCH_BYTES) {
            violations++;
            return;
        }
        int flags = RouteUpdateFlyweight.flags(message, 0);
        long from = RouteUpdateFlyweight.fromVersion(message, 0);
        long to = RouteUpdateFlyweight.toVersion(message, 0);
        if ((flags & RouteUpdateFlyweight.SNAPSHOT) == 0) {
            if (from != version) {
                return;
            }
            visit(message);
            version = to;
            return;
        }
        if ((flags & RouteUpdateFlyweight.FIRST) != 0 && from == 0) {
            clear();
            version = RouteAckFlyweight.IN_SNAPSHOT;
            snapshotVersion = to;
            nextPart = 0;
        }
        if (version != RouteAckFlyweight.IN_SNAPSHOT || snapshotVersion != to || from != nextPart) {
            return;
        }
        visit(message);
        snapshotParts++;
        nextPart++;
        if ((flags & RouteUpdateFlyweight.LAST) != 0) {
            version = to;
            snapshotVersion = 0;
            nextPart = 0;
        }
    }

    private void clear() {
        bindings.clear();
        groups.clear();
        routes.clear();
        groupUses.clear();
    }

    private void visit(ByteBuffer message) {
        RouteUpdateFlyweight.visit(message, 0, new RouteUpdateFlyweight.EntryVisitor() {
            @Override
            public void onBind(int vni, int table, boolean unbind) {
                if (unbind) {
                    bindings.remove(vni);
                } else {
                    bindings.put(vni, table);
                }
            }

            @Override
            public void onGroup(int group, int count, ByteBuffer buffer, int nextHopsAt) {
                if (count == 0) {
                    if (groupUses.getOrDefault(group, 0) > 0 || groups.remove(group) == null) {
                        violations++;
                    }
                    return;
                }
                List<TableRoute.NextHop> hops = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    hops.add(new TableRoute.NextHop(RouteUpdateFlyweight.nextHopVni(buffer, nextHopsAt, i),
                            RouteUpdateFlyweight.nextHopAddress(buffer, nextHopsAt, i),
                            RouteUpdateFlyweight.nextHopPort(buffer, nextHopsAt, i)));
                }
                groups.put(group, List.copyOf(hops));
            }

            @Override
            public void onRoute(int table, int prefix, int prefixLength, int group, boolean withdraw) {
                Key key = new Key(table, prefix, prefixLength);
                Integer old = withdraw ? routes.remove(key) : routes.put(key, group);
                if (old != null) {
                    groupUses.merge(old, -1, Integer::sum);
                }
                if (withdraw) {
                    return;
                }
                if (group != 0 && !groups.containsKey(group)) {
                    violations++;
                }
                groupUses.merge(group, 1, Integer::sum);
            }
        });
    }

    private void send(int length) throws IOException {
        socket.send(new DatagramPacket(out.array(), 0, length, slowpath));
    }

    @Override
    public void close() {
        running = false;
        socket.close();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
