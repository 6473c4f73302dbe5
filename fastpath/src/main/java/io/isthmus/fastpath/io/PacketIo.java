package io.isthmus.fastpath.io;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Datagram I/O for a worker: receive in batches, send without blocking. Implementations: {@link DatagramPacketIo}
 * over a non-blocking JDK {@code DatagramChannel}; {@link RingPacketIo} in memory for tests and benchmarks. A kernel
 * bypass or {@code recvmmsg} implementation (through the FFM API) can replace them without touching the worker.
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

    /** The address this I/O receives on. */
    InetSocketAddress localAddress();

    @Override
    void close();
}
