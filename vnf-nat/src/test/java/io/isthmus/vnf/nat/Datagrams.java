package io.isthmus.vnf.nat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/** Receiving in the NAT's tests: the next datagram, and draining what a burst left behind. */
final class Datagrams {

    private Datagrams() {
    }

    /** The next datagram's bytes, bounded by the socket's timeout. */
    static byte[] receive(DatagramSocket socket) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        socket.receive(packet);
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }

    /** The next datagram's bytes, or null if none came within the socket's timeout. */
    static byte[] receiveOrNull(DatagramSocket socket) throws Exception {
        try {
            return receive(socket);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /** Reads until the socket has been quiet for {@code quietMillis}, then restores its timeout. */
    static void drain(DatagramSocket socket, int quietMillis, int restoreMillis) throws Exception {
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
}
