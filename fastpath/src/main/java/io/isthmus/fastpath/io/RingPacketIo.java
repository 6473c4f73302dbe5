package io.isthmus.fastpath.io;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link PacketIo} in memory: two single-producer single-consumer rings of preallocated slots, one for packets to
 * receive ({@link #offer}) and one for packets sent ({@link #drainSent}). For tests and benchmarks of the worker
 * without sockets; the worker's thread is the consumer of the first ring and the producer of the second.
 */
public final class RingPacketIo implements PacketIo {

    /** Receives a sent packet and its destination. */
    @FunctionalInterface
    public interface SentPacketHandler {
        void onSent(ByteBuffer buffer, int offset, int length, InetSocketAddress destination);
    }

    private final Ring inbound;
    private final Ring outbound;
    private final InetSocketAddress localAddress;
    private final SentPacketHandler receiveAdapter = this::deliver;
    private PacketHandler receiveHandler;

    public RingPacketIo(int capacity, int maxPacketLength, InetSocketAddress localAddress) {
        this.inbound = new Ring(capacity, maxPacketLength);
        this.outbound = new Ring(capacity, maxPacketLength);
        this.localAddress = localAddress;
    }

    /** Queues a packet to be received; false if the ring is full or the packet too long. */
    public boolean offer(byte[] packet) {
        return inbound.offer(ByteBuffer.wrap(packet), 0, packet.length, null);
    }

    /** Queues {@code length} bytes of {@code buffer} from {@code offset} to be received. */
    public boolean offer(ByteBuffer buffer, int offset, int length) {
        return inbound.offer(buffer, offset, length, null);
    }

    @Override
    public int poll(PacketHandler handler, int limit) {
        receiveHandler = handler;
        if (handler.prefetches()) {
            inbound.peek(handler, limit);
            handler.prefetched();
        }
        return inbound.drain(receiveAdapter, limit);
    }

    @Override
    public boolean send(ByteBuffer buffer, int offset, int length, InetSocketAddress destination) {
        return outbound.offer(buffer, offset, length, destination);
    }

    private void deliver(ByteBuffer buffer, int offset, int length, InetSocketAddress destination) {
        receiveHandler.onPacket(buffer, offset, length);
    }

    /** Hands up to {@code limit} sent packets to {@code handler}; returns how many. */
    public int drainSent(SentPacketHandler handler, int limit) {
        return outbound.drain(handler, limit);
    }

    /** Packets sent and not drained yet. */
    public int sentCount() {
        return outbound.size();
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void close() {
    }

    private static final class Ring {
        private final ByteBuffer[] slots;
        private final int[] lengths;
        private final InetSocketAddress[] destinations;
        private final int mask;
        private final AtomicLong head = new AtomicLong();
        private final AtomicLong tail = new AtomicLong();

        Ring(int capacity, int maxPacketLength) {
            int size = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
            slots = new ByteBuffer[size];
            lengths = new int[size];
            destinations = new InetSocketAddress[size];
            mask = size - 1;
            for (int i = 0; i < size; i++) {
                slots[i] = ByteBuffer.allocateDirect(maxPacketLength);
            }
        }

        boolean offer(ByteBuffer buffer, int offset, int length, InetSocketAddress destination) {
            long t = tail.get();
            if (t - head.get() == slots.length || length > slots[0].capacity()) {
                return false;
            }
            int index = (int) t & mask;
            slots[index].clear();
            slots[index].put(0, buffer, offset, length);
            lengths[index] = length;
            destinations[index] = destination;
            tail.lazySet(t + 1);
            return true;
        }

        int drain(SentPacketHandler handler, int limit) {
            long h = head.get();
            long available = Math.min(limit, tail.get() - h);
            for (int i = 0; i < available; i++) {
                int index = (int) (h + i) & mask;
                handler.onSent(slots[index], 0, lengths[index], destinations[index]);
                destinations[index] = null;
                head.lazySet(h + i + 1);
            }
            return (int) available;
        }

        /** Shows up to {@code limit} waiting packets to the handler's {@link PacketHandler#prefetch}. */
        void peek(PacketHandler handler, int limit) {
            long h = head.get();
            long available = Math.min(limit, tail.get() - h);
            for (int i = 0; i < available; i++) {
                int index = (int) (h + i) & mask;
                handler.prefetch(slots[index], 0, lengths[index]);
            }
        }

        int size() {
            return (int) (tail.get() - head.get());
        }
    }
}
