package io.isthmus.slowpath.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** The slowpath's control UDP socket: one blocking receiver (the control loop), senders on any thread. */
public final class ControlChannel implements ControlSender, AutoCloseable {

    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;

    private ControlChannel(DatagramChannel channel) throws IOException {
        this.channel = channel;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
    }

    public static ControlChannel bind(InetSocketAddress address) {
        try {
            DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
            try {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
                channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
                channel.bind(address);
                return new ControlChannel(channel);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind control UDP " + address, e);
        }
    }

    /** Blocks for the next datagram; returns its sender (the datagram is {@code [0, buffer.position())}). */
    InetSocketAddress receive(ByteBuffer buffer) throws IOException {
        buffer.clear();
        return (InetSocketAddress) channel.receive(buffer);
    }

    /** Sends; thread-safe as long as each thread passes its own buffer (its bounds are set for the call). */
    @Override
    public boolean send(ByteBuffer buffer, int offset, int length, InetSocketAddress to) {
        try {
            buffer.limit(offset + length).position(offset);
            return channel.send(buffer, to) == length;
        } catch (IOException e) {
            return false;
        } finally {
            buffer.clear();
        }
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing
        }
    }
}
