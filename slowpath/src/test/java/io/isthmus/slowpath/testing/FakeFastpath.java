package io.isthmus.slowpath.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.isthmus.control.Action;
import io.isthmus.control.FastpathStats;
import io.isthmus.control.FlowKey;
import io.isthmus.control.GroupCounters;
import io.isthmus.control.PuntReason;
import io.isthmus.control.message.BatchFlyweight;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.FlowExpiredFlyweight;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.PuntFlyweight;
import io.isthmus.control.message.StatsResponseFlyweight;
import io.isthmus.control.message.WelcomeFlyweight;

/** A fastpath's control side played by a test socket: says HELLO, punts, and reads what the slowpath sends. */
public final class FakeFastpath implements AutoCloseable {

    private final int id;
    private final InetSocketAddress slowpath;
    private final DatagramSocket socket;
    private final ByteBuffer out = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);
    private int sequence;
    private int welcomeFlags = -1;
    private boolean ignoresStatsRequests;

    public FakeFastpath(int id, InetSocketAddress slowpath) throws IOException {
        this.id = id;
        this.slowpath = slowpath;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.socket.setSoTimeout(5_000);
    }

    /** A fake fastpath that has said HELLO with {@code helloFlags} and been told to start afresh (REMOVE of all). */
    public static FakeFastpath registered(InetSocketAddress slowpath, int id, int helloFlags) throws IOException {
        FakeFastpath fastpath = new FakeFastpath(id, slowpath);
        fastpath.hello(helloFlags);
        fastpath.receive(ControlProtocol.REMOVE);
        return fastpath;
    }

    /**
     * From now on {@link #receive()} (and what reads through it) passes over STATS_REQUESTs, as the slowpath sends them
     * every second while SAs are installed.
     */
    public FakeFastpath ignoringStatsRequests() {
        ignoresStatsRequests = true;
        return this;
    }

    public void hello() throws IOException {
        hello(0);
    }

    /** A HELLO with flags, e.g. {@link HelloFlyweight#REINJECT_BATCH}. */
    public void hello(int flags) throws IOException {
        send(HelloFlyweight.encode(out, 0, id, ++sequence, 0x7F000001, 40_000 + id, flags));
    }

    public void punt(int reason, FlowKey key, byte[] packet) throws IOException {
        send(PuntFlyweight.encode(out, 0, id, ++sequence, reason, key.high(), key.low(), ByteBuffer.wrap(packet),
                0, packet.length));
    }

    public void punt(FlowKey key, byte[] packet) throws IOException {
        punt(PuntReason.MISS, key, packet);
    }

    /** Reports rules expired (their idle timeout passed), as a fastpath does after dropping them. */
    public void flowExpired(FlowKey... keys) throws IOException {
        send(FlowExpiredFlyweight.encode(out, 0, id, ++sequence, FlowExpiredFlyweight.EXPIRED_IDLE, List.of(keys)));
    }

    public void statsResponse(int requestSequence, long... counters) throws IOException {
        send(StatsResponseFlyweight.encode(out, 0, id, requestSequence, counters, counters.length));
    }

    /** A STATS_RESPONSE with zero counters and the counter groups {@code groups}, as a fastpath that has them. */
    public void statsResponse(int requestSequence, Map<Integer, GroupCounters> groups) throws IOException {
        long[] counters = new long[FastpathStats.COUNTER_COUNT];
        long[] interleaved = new long[Action.Count.MAX_GROUPS * 2];
        groups.forEach((group, counted) -> {
            interleaved[group * 2] = counted.packets();
            interleaved[group * 2 + 1] = counted.bytes();
        });
        send(StatsResponseFlyweight.encode(out, 0, id, requestSequence, counters, counters.length, interleaved));
    }

    /**
     * The next message from the slowpath (bounded by the socket timeout), as a buffer of exactly its length; a WELCOME
     * is taken note of ({@link #welcomeFlags()}) and skipped, as it follows every REMOVE of all rules (and so is a
     * STATS_REQUEST, if {@link #ignoringStatsRequests()}).
     */
    public ByteBuffer receive() throws IOException {
        while (true) {
            ByteBuffer message = receiveAny();
            int type = ControlProtocol.type(message, 0);
            if (type == ControlProtocol.WELCOME) {
                welcomeFlags = WelcomeFlyweight.flags(message, 0);
            } else if (type != ControlProtocol.STATS_REQUEST || !ignoresStatsRequests) {
                return message;
            }
        }
    }

    /** Reads until a WELCOME; returns its flags. */
    public int receiveWelcome() throws IOException {
        return WelcomeFlyweight.flags(receive(ControlProtocol.WELCOME), 0);
    }

    private ByteBuffer receiveAny() throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        socket.receive(packet);
        return ByteBuffer.wrap(packet.getData(), 0, packet.getLength()).slice();
    }

    /** The flags of the last WELCOME received, or -1 before one. */
    public int welcomeFlags() {
        return welcomeFlags;
    }

    /** Punts several misses in one PUNT_BATCH, as a fastpath does after a WELCOME that allows it. */
    public void puntBatch(List<FlowKey> keys, List<byte[]> packets) throws IOException {
        ByteBuffer punt = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);
        int length = BatchFlyweight.encode(out, 0, ControlProtocol.PUNT_BATCH, id, ++sequence);
        for (int i = 0; i < keys.size(); i++) {
            int puntLength = PuntFlyweight.encode(punt, 0, id, ++sequence, PuntReason.MISS, keys.get(i).high(),
                    keys.get(i).low(), ByteBuffer.wrap(packets.get(i)), 0, packets.get(i).length);
            length = BatchFlyweight.append(out, 0, length, punt, 0, puntLength);
        }
        send(length);
    }

    /** The next message of {@code type}, skipping others. */
    public ByteBuffer receive(int type) throws IOException {
        for (int i = 0; i < 100; i++) {
            ByteBuffer message = receiveAny();
            if (ControlProtocol.type(message, 0) == ControlProtocol.WELCOME) {
                welcomeFlags = WelcomeFlyweight.flags(message, 0);
            }
            if (ControlProtocol.type(message, 0) == type) {
                return message;
            }
        }
        throw new AssertionError("no message of type " + type);
    }

    /** Whether a message arrives within {@code millis}. */
    public boolean receivesWithin(int millis) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            receive();
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    /** The types of the messages that arrive until none has for {@code millis}. */
    public List<Integer> typesReceivedWithin(int millis) throws IOException {
        List<Integer> types = new ArrayList<>();
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            for (int i = 0; i < 1_000; i++) {
                types.add(ControlProtocol.type(receive(), 0));
            }
        } catch (SocketTimeoutException e) {
            // quiet for long enough
        } finally {
            socket.setSoTimeout(timeout);
        }
        return types;
    }

    /** The next message of {@code type}, skipping others; empty if none comes within {@code millis}. */
    public Optional<ByteBuffer> receiveWithin(int type, int millis) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            for (int i = 0; i < 1_000; i++) {
                ByteBuffer message = receive();
                if (ControlProtocol.type(message, 0) == type) {
                    return Optional.of(message);
                }
            }
            return Optional.empty();
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void send(int length) throws IOException {
        socket.send(new DatagramPacket(out.array(), length, slowpath));
    }

    @Override
    public void close() {
        socket.close();
    }
}
