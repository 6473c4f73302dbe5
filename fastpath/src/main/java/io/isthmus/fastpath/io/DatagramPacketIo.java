package io.isthmus.fastpath.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * {@link PacketIo} over a non-blocking IPv4 {@link DatagramChannel} and one direct receive buffer, so the packet is
 * read, rewritten and sent from the same memory. A connected instance ({@link #connect}) only receives from its peer
 * (the kernel filters) and sends to it whatever destination is passed; the fastpath's control channel is one.
 */
public final class DatagramPacketIo implements PacketIo {

    /** Room for the largest UDP payload, so nothing is truncated. */
    public static final int MAX_DATAGRAM = 65_536;
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    private final DatagramChannel channel;
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final InetSocketAddress localAddress;
    private final boolean connected;
    private long receiveErrors;
    private long sendErrors;

    private DatagramPacketIo(DatagramChannel channel, boolean connected) throws IOException {
        this.channel = channel;
        this.connected = connected;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
    }

    /** Binds to {@code local} (port 0 picks one). */
    public static DatagramPacketIo bind(InetSocketAddress local) {
        return bind(local, false);
    }

    /**
     * Binds to {@code local}, with {@code SO_REUSEPORT} if asked, so that several workers can bind the same port and
     * the kernel spreads datagrams over them by the hash of their 4-tuple.
     */
    public static DatagramPacketIo bind(InetSocketAddress local, boolean reusePort) {
        try {
            return new DatagramPacketIo(open(local, reusePort), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind UDP " + local, e);
        }
    }

    /** Binds to {@code local} and connects to {@code peer}. */
    public static DatagramPacketIo connect(InetSocketAddress local, InetSocketAddress peer) {
        try {
            DatagramChannel channel = open(local, false);
            channel.connect(peer);
            return new DatagramPacketIo(channel, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect UDP " + local + " to " + peer, e);
        }
    }

    private static DatagramChannel open(InetSocketAddress local, boolean reusePort) throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            if (reusePort) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            channel.bind(local);
            channel.configureBlocking(false);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public int poll(PacketHandler handler, int limit) {
        int received = 0;
        try {
            while (received < limit) {
                receiveBuffer.clear();
                if (connected) {
                    if (channel.read(receiveBuffer) <= 0) {
                        break;
                    }
                } else if (channel.receive(receiveBuffer) == null) {
                    break;
                }
                received++;
                handler.onPacket(receiveBuffer, 0, receiveBuffer.position());
            }
        } catch (IOException e) {
            // a connected socket reports ICMP port unreachable (peer down) here; the next poll goes on
            receiveErrors++;
        }
        return received;
    }

    @Override
    public boolean send(ByteBuffer buffer, int offset, int length, InetSocketAddress destination) {
        try {
            buffer.limit(offset + length).position(offset);
            int sent = connected ? channel.write(buffer) : channel.send(buffer, destination);
            return sent > 0;
        } catch (IOException e) {
            sendErrors++;
            return false;
        } finally {
            // buffers are used with absolute accessors: hand it back with the whole capacity addressable
            buffer.clear();
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** I/O exceptions on receive (e.g. the connected peer was unreachable). */
    public long receiveErrors() {
        return receiveErrors;
    }

    /** I/O exceptions on send. */
    public long sendErrors() {
        return sendErrors;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }
}
