package io.isthmus.slowpath.control;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * The bounded queue between the control socket's reader and the policy: one producer (the control thread), one
 * consumer (the policy thread), variable-length records in one fixed direct buffer, after Agrona's
 * {@code OneToOneRingBuffer}. It never grows and never blocks: a message that does not fit is refused and the
 * caller drops and counts it.
 * <p>
 * PUNTs may fill the ring only up to {@code capacity - reserve}; the reserve is for FLOW_EXPIRED, so a flood of new
 * flows cannot make the slowpath lose track of the flows that ended. Each record:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Message Length                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Sender Address (IPv4)                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Sender Port          |             Kind              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           Reserved                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Message (the datagram) ...                  |
 * </pre>
 *
 * Records start at multiples of {@link #ALIGNMENT}; one that would straddle the end of the buffer is preceded by a
 * padding record that fills it.
 */
public final class ControlQueue {

    /** Receives the records of a {@link #drain}. */
    public interface Handler {
        /** One message, valid until {@link #onBatchEnd()} returns. */
        void onMessage(ByteBuffer buffer, int offset, int length, int senderAddress, int senderPort);

        /** After the batch's last message, before its memory is handed back to the producer. */
        void onBatchEnd();
    }

    static final int LENGTH_OFFSET = 0;
    static final int SENDER_ADDRESS_OFFSET = 4;
    static final int SENDER_PORT_OFFSET = 8;
    static final int KIND_OFFSET = 10;
    static final int HEADER_LENGTH = 16;
    static final int ALIGNMENT = HEADER_LENGTH;
    private static final short MESSAGE = 0;
    private static final short PADDING = 1;

    public static final int MIN_CAPACITY = 16 * 1024;
    public static final int MAX_CAPACITY = 1 << 30;

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(ControlQueue.class, "head", long.class);
            TAIL = lookup.findVarHandle(ControlQueue.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ByteBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int reserve;

    // consumer-owned, read by the producer
    @SuppressWarnings("unused")
    private volatile long head;
    // producer-owned, read by the consumer
    @SuppressWarnings("unused")
    private volatile long tail;
    // the producer's last look at head, so it reads the consumer's line only when the ring seems full
    private long headCache;

    /**
     * A ring of {@code capacityBytes} (rounded up to a power of two), of which the last {@code capacity / 16} are
     * kept for priority records.
     */
    public ControlQueue(int capacityBytes) {
        if (capacityBytes < MIN_CAPACITY || capacityBytes > MAX_CAPACITY) {
            throw new IllegalArgumentException(
                    "queue capacity must be in " + MIN_CAPACITY + ".." + MAX_CAPACITY + " bytes: " + capacityBytes);
        }
        this.capacity = Integer.highestOneBit(capacityBytes - 1) << 1;
        this.mask = capacity - 1;
        this.reserve = capacity / 16;
        this.buffer = ByteBuffer.allocateDirect(capacity);
    }

    /**
     * Copies {@code length} bytes of {@code source} from {@code offset} into the ring (producer thread). A
     * {@code priority} message may use the reserve.
     *
     * @return false if it does not fit: the caller drops it
     */
    public boolean offer(ByteBuffer source, int offset, int length, int senderAddress, int senderPort,
            boolean priority) {
        int recordLength = align(HEADER_LENGTH + length);
        long limit = priority ? capacity : capacity - reserve;
        long tailPosition = (long) TAIL.getOpaque(this);
        int index = (int) tailPosition & mask;
        int toEnd = capacity - index;
        int padding = recordLength > toEnd ? toEnd : 0;
        long needed = tailPosition + padding + recordLength;
        if (needed - headCache > limit) {
            headCache = (long) HEAD.getVolatile(this);
            if (needed - headCache > limit) {
                return false;
            }
        }
        if (padding > 0) {
            buffer.putInt(index + LENGTH_OFFSET, padding - HEADER_LENGTH);
            buffer.putShort(index + KIND_OFFSET, PADDING);
            index = 0;
        }
        buffer.putInt(index + LENGTH_OFFSET, length);
        buffer.putInt(index + SENDER_ADDRESS_OFFSET, senderAddress);
        buffer.putShort(index + SENDER_PORT_OFFSET, (short) senderPort);
        buffer.putShort(index + KIND_OFFSET, MESSAGE);
        buffer.put(index + HEADER_LENGTH, source, offset, length);
        // a volatile store: the consumer's "am I parked?" flag is read after it (see PolicyWorker.signal)
        TAIL.setVolatile(this, needed);
        return true;
    }

    /**
     * Hands up to {@code limit} messages to {@code handler}, then {@link Handler#onBatchEnd()}, then frees their space
     * (consumer thread). Returns how many messages it handed on.
     */
    public int drain(Handler handler, int limit) {
        long headPosition = (long) HEAD.getOpaque(this);
        long tailPosition = (long) TAIL.getVolatile(this);
        long position = headPosition;
        int messages = 0;
        try {
            while (position < tailPosition && messages < limit) {
                int index = (int) position & mask;
                int length = buffer.getInt(index + LENGTH_OFFSET);
                position += align(HEADER_LENGTH + length);
                if (buffer.getShort(index + KIND_OFFSET) == PADDING) {
                    continue;
                }
                messages++;
                handler.onMessage(buffer, index + HEADER_LENGTH, length, buffer.getInt(index + SENDER_ADDRESS_OFFSET),
                        buffer.getShort(index + SENDER_PORT_OFFSET) & 0xFFFF);
            }
            if (messages > 0) {
                handler.onBatchEnd();
            }
        } finally {
            if (position != headPosition) {
                HEAD.setRelease(this, position);
            }
        }
        return messages;
    }

    public boolean isEmpty() {
        return (long) TAIL.getVolatile(this) == (long) HEAD.getVolatile(this);
    }

    /** Bytes in use now (records, headers and padding). */
    public long usedBytes() {
        long headPosition = (long) HEAD.getVolatile(this);
        return Math.max(0, (long) TAIL.getVolatile(this) - headPosition);
    }

    public int capacity() {
        return capacity;
    }

    /** Bytes only priority messages may use. */
    public int reserve() {
        return reserve;
    }

    private static int align(int length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
