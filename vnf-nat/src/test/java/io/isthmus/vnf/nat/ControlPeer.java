package io.isthmus.vnf.nat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

import io.isthmus.control.FlowKey;
import io.isthmus.control.PuntReason;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.FlowExpiredFlyweight;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.PuntFlyweight;

/** A fastpath's control side played by a test socket, for what a real worker is slow to show (idle expiry). */
final class ControlPeer implements AutoCloseable {

    private final int id;
    private final InetSocketAddress slowpath;
    private final DatagramSocket socket;
    private final ByteBuffer out = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);
    private int sequence;

    ControlPeer(int id, InetSocketAddress slowpath) throws IOException {
        this.id = id;
        this.slowpath = slowpath;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.socket.setSoTimeout(5_000);
    }

    /** Says HELLO and waits for the slowpath to empty its (non-existent) table. */
    ControlPeer register() throws IOException {
        send(HelloFlyweight.encode(out, 0, id, ++sequence, 0x7F000001, 40_000 + id));
        receive(ControlProtocol.REMOVE);
        return this;
    }

    void punt(FlowKey key) throws IOException {
        byte[] packet = new byte[64];
        send(PuntFlyweight.encode(out, 0, id, ++sequence, PuntReason.MISS, key.high(), key.low(),
                ByteBuffer.wrap(packet), 0, packet.length));
    }

    void flowExpired(FlowKey... keys) throws IOException {
        send(FlowExpiredFlyweight.encode(out, 0, id, ++sequence, FlowExpiredFlyweight.EXPIRED_IDLE, List.of(keys)));
    }

    /** The next message of {@code type}, skipping others (bounded by the socket timeout). */
    ByteBuffer receive(int type) throws IOException {
        for (int i = 0; i < 100; i++) {
            DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
            socket.receive(packet);
            ByteBuffer message = ByteBuffer.wrap(packet.getData(), 0, packet.getLength()).slice();
            if (ControlProtocol.type(message, 0) == type) {
                return message;
            }
        }
        throw new AssertionError("no message of type " + type);
    }

    private void send(int length) throws IOException {
        socket.send(new DatagramPacket(out.array(), length, slowpath));
    }

    @Override
    public void close() {
        socket.close();
    }
}
