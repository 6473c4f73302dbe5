package io.isthmus.fastpath.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class DatagramPacketIoTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void receivesInBatchesAndSendsWithoutBlocking() throws Exception {
        try (DatagramPacketIo io = DatagramPacketIo.bind(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            peer.setSoTimeout(5_000);
            // Given three datagrams sent to the I/O
            for (int i = 0; i < 3; i++) {
                byte[] payload = {(byte) i, 42};
                peer.send(new DatagramPacket(payload, payload.length, io.localAddress()));
            }

            // When polled until all arrived (bounded: loopback delivers at once)
            List<byte[]> received = new ArrayList<>();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (received.size() < 3 && System.nanoTime() < deadline) {
                io.poll((buffer, offset, length) -> {
                    byte[] bytes = new byte[length];
                    buffer.get(offset, bytes);
                    received.add(bytes);
                }, 2);
            }

            // Then all three came in order
            assertThat(received).extracting(b -> b[0]).containsExactly((byte) 0, (byte) 1, (byte) 2);

            // And a send reaches the peer
            ByteBuffer out = ByteBuffer.allocateDirect(16);
            out.put(0, new byte[]{9, 8, 7});
            assertThat(io.send(out, 1, 2, (InetSocketAddress) peer.getLocalSocketAddress())).isTrue();
            DatagramPacket reply = new DatagramPacket(new byte[16], 16);
            peer.receive(reply);
            assertThat(reply.getLength()).isEqualTo(2);
            assertThat(reply.getData()[0]).isEqualTo((byte) 8);
        }
    }

    @Test
    void aConnectedIoOnlyReceivesFromItsPeer() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramPacketIo io = DatagramPacketIo.connect(new InetSocketAddress(LOOPBACK, 0),
                        (InetSocketAddress) peer.getLocalSocketAddress())) {
            // Given a datagram from a stranger, then one from the peer
            stranger.send(new DatagramPacket(new byte[]{1}, 1, io.localAddress()));
            peer.send(new DatagramPacket(new byte[]{2}, 1, io.localAddress()));

            // When polled until something arrives
            List<Byte> received = new ArrayList<>();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (received.isEmpty() && System.nanoTime() < deadline) {
                io.poll((buffer, offset, length) -> received.add(buffer.get(offset)), 8);
            }
            io.poll((buffer, offset, length) -> received.add(buffer.get(offset)), 8);

            // Then only the peer's datagram was received
            assertThat(received).containsExactly((byte) 2);
        }
    }
}
