package io.isthmus.fastpath.io;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Datagram I/O for a worker: receive in batches, send without blocking. Implementations: {@link MmsgPacketIo},
 * Linux {@code recvmmsg}/{@code sendmmsg} through the FFM API, a batch of datagrams per system call (the default);
 * {@link DatagramPacketIo} over a non-blocking JDK {@code DatagramChannel}, one system call per datagram;
 * {@link RingPacketIo} in memory for tests and benchmarks. {@link PacketIos} opens a data port of a
 * {@link PacketIoKind}. A kernel-bypass implementation can replace them without touching the worker.
 * <p>
 * An implementation may hold packets sent during {@link #poll} back until the end of that poll, to send them in one
 * system call; a packet sent outside a poll goes out before {@link #send} returns.
 */
public interface PacketIo extends AutoCloseable {

    /**
     * Hands up to {@code limit} waiting packets to {@code handler}, in arrival order; returns how many. Never blocks.
     */
    int poll(PacketHandler handler, int limit);

    /**
     * Sends {@code length} bytes of {@code buffer} from {@code offset} to {@code destination} without blocking; false
     * if the packet could not be queued (the caller counts the drop). Buffers are addressed absolutely: the buffer may
     * be left cleared (position 0, limit at capacity), never with a narrower limit.
     */
    boolean send(ByteBuffer buffer, int offset, int length, InetSocketAddress destination);

    /**
     * A file descriptor that becomes readable when {@link #poll} would find packets, for an idle worker to block on
     * ({@code worker.BackoffIdleStrategy.onSocket}); -1 if there is none (then it parks).
     */
    default int readinessFd() {
        return -1;
    }

    /** The address this I/O receives on. */
    InetSocketAddress localAddress();

    @Override
    void close();
}
