package io.isthmus.fastpath.testing;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * UDP on loopback for the VNF types' tests: a socket bounded by a timeout, sending, the next datagram (raw or decoded by
 * {@link ReferencePackets}), and draining what a burst left behind.
 */
public final class Datagrams {

    private Datagrams() {
    }

    /** The next datagram's bytes, bounded by the socket's timeout. */
    public static byte[] receive(DatagramSocket socket) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        socket.receive(packet);
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }

    /** The next datagram's bytes, or null if none came within the socket's timeout. */
    public static byte[] receiveOrNull(DatagramSocket socket) throws Exception {
        try {
            return receive(socket);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /** Reads until the socket has been quiet for {@code quietMillis}, then restores its timeout. */
    public static void drain(DatagramSocket socket, int quietMillis, int restoreMillis) throws Exception {
        socket.setSoTimeout(quietMillis);
        try {
            while (true) {
                receive(socket);
            }
        } catch (SocketTimeoutException e) {
            // quiet
        } finally {
            socket.setSoTimeout(restoreMillis);
        }
    }

    /** A socket on a free loopback port whose receives wait at most {@code timeout}. */
    public static DatagramSocket socket(java.time.Duration timeout) throws Exception {
        DatagramSocket socket = new DatagramSocket(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout((int) timeout.toMillis());
        return socket;
    }

    /** Sends {@code packet} from {@code from} to {@code to}. */
    public static void send(DatagramSocket from, byte[] packet, java.net.InetSocketAddress to) throws Exception {
        from.send(new DatagramPacket(packet, packet.length, to));
    }

    /** The next datagram, decoded by the reference encoder, bounded by the socket's timeout. */
    public static ReferencePackets.Decoded decoded(DatagramSocket socket) throws Exception {
        return ReferencePackets.decode(receive(socket));
    }
}
