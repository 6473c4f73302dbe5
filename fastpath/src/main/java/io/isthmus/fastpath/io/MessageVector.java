package io.isthmus.fastpath.io;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A preallocated array of {@code struct mmsghdr} for {@code recvmmsg}/{@code sendmmsg}, each message with one
 * {@code iovec}, an optional {@code sockaddr_in}, an optional control buffer (for the UDP GSO/GRO {@code cmsg}) and an
 * optional data slot of its own, all in one native segment:
 *
 * <pre>
 *   [mmsghdr × capacity][iovec × capacity][sockaddr_in × capacity][control × capacity][pad to 64][slot × capacity]
 * </pre>
 *
 * Slots are {@code slotSize} bytes rounded up to a cache line plus one more line, so that slot starts do not all fall
 * into the same cache sets (a 64 KiB stride would). Each slot has a {@link ByteBuffer} view made once. Pointers are
 * written as 64-bit integers ({@link LinuxSockets} checks the JVM is 64-bit). Single-threaded; the memory lives until
 * {@link #close()}.
 */
public final class MessageVector implements AutoCloseable {

    private static final long MMSGHDR_SIZE = LinuxSockets.MMSGHDR.byteSize();
    private static final long IOVEC_SIZE = LinuxSockets.IOVEC.byteSize();
    private static final long SOCKADDR_SIZE = LinuxSockets.SOCKADDR_IN.byteSize();
    private static final int CACHE_LINE = 64;
    /** Room for one {@code cmsghdr} with an int of data, aligned: {@code CMSG_SPACE(sizeof(int))}. */
    public static final int CONTROL_SPACE = 24;
    private static final int SEGMENT_CMSG_LEN = (int) LinuxSockets.CMSG_DATA_OFFSET + 2;
    private static final int GRO_CMSG_LEN = (int) LinuxSockets.CMSG_DATA_OFFSET + 4;

    private final Arena arena = Arena.ofShared();
    private final int capacity;
    private final int slotSize;
    private final long slotStride;
    private final MemorySegment segment;
    private final long iovecsOffset;
    private final long namesOffset;
    private final long controlsOffset;
    private final boolean withControl;
    private final long slotsOffset;
    private final MemorySegment[] fromIndex;
    private final ByteBuffer[] slotViews;
    private final long baseAddress;

    /** A vector without control buffers. */
    public MessageVector(int capacity, int slotSize, boolean withNames) {
        this(capacity, slotSize, withNames, false);
    }

    /**
     * @param capacity the number of messages
     * @param slotSize bytes of data slot per message, 0 for none (the caller points messages at its own memory)
     * @param withNames whether each message carries a {@code sockaddr_in}: a destination to send to, or the source of
     *        a received datagram; without, {@code msg_name} is NULL
     * @param withControl whether each message has a control buffer of {@link #CONTROL_SPACE} bytes (its
     *        {@code msg_controllen} starts at 0: see {@link #resetControl} and {@link #setSegmentSize})
     */
    public MessageVector(int capacity, int slotSize, boolean withNames, boolean withControl) {
        if (capacity < 1 || slotSize < 0) {
            throw new IllegalArgumentException("capacity " + capacity + ", slot size " + slotSize);
        }
        this.capacity = capacity;
        this.slotSize = slotSize;
        this.slotStride = slotSize == 0 ? 0 : align(slotSize, CACHE_LINE) + CACHE_LINE;
        this.iovecsOffset = capacity * MMSGHDR_SIZE;
        this.namesOffset = iovecsOffset + capacity * IOVEC_SIZE;
        this.controlsOffset = namesOffset + capacity * SOCKADDR_SIZE;
        this.withControl = withControl;
        this.slotsOffset = align(controlsOffset + (withControl ? capacity * (long) CONTROL_SPACE : 0), CACHE_LINE);
        this.segment = arena.allocate(slotsOffset + capacity * slotStride, 4096);
        this.baseAddress = segment.address();
        this.fromIndex = new MemorySegment[capacity];
        this.slotViews = new ByteBuffer[capacity];
        for (int i = 0; i < capacity; i++) {
            long header = i * MMSGHDR_SIZE;
            long iovec = iovecsOffset + i * IOVEC_SIZE;
            if (withNames) {
                segment.set(JAVA_LONG, header + LinuxSockets.MSG_NAME_OFFSET, baseAddress + namesOffset
                        + i * SOCKADDR_SIZE);
                segment.set(JAVA_INT, header + LinuxSockets.MSG_NAMELEN_OFFSET, (int) SOCKADDR_SIZE);
            }
            segment.set(JAVA_LONG, header + LinuxSockets.MSG_IOV_OFFSET, baseAddress + iovec);
            segment.set(JAVA_LONG, header + LinuxSockets.MSG_IOVLEN_OFFSET, 1L);
            if (withControl) {
                segment.set(JAVA_LONG, header + LinuxSockets.MSG_CONTROL_OFFSET, baseAddress + controlsOffset
                        + (long) i * CONTROL_SPACE);
            }
            if (slotSize > 0) {
                long slot = slotsOffset + i * slotStride;
                segment.set(JAVA_LONG, iovec + LinuxSockets.IOV_BASE_OFFSET, baseAddress + slot);
                segment.set(JAVA_LONG, iovec + LinuxSockets.IOV_LEN_OFFSET, slotSize);
                slotViews[i] = segment.asSlice(slot, slotSize).asByteBuffer();
            }
            fromIndex[i] = segment.asSlice(header);
        }
    }

    /** The vector from message {@code index} on, to pass to {@code recvmmsg}/{@code sendmmsg}. */
    public MemorySegment from(int index) {
        return fromIndex[index];
    }

    /** The vector from message 0. */
    public MemorySegment segment() {
        return segment;
    }

    public int capacity() {
        return capacity;
    }

    public int slotSize() {
        return slotSize;
    }

    /** The view of message {@code index}'s slot (position 0, limit the slot size); made once. */
    public ByteBuffer slot(int index) {
        return slotViews[index];
    }

    /** The native address of message {@code index}'s slot. */
    public long slotAddress(int index) {
        return baseAddress + slotsOffset + index * slotStride;
    }

    /** Where message {@code index}'s slot starts in {@link #segment()}. */
    public long slotOffset(int index) {
        return slotsOffset + index * slotStride;
    }

    /** Sets message {@code index}'s iovec length, keeping its base. */
    public void setDataLength(int index, int length) {
        segment.set(JAVA_LONG, iovecsOffset + index * IOVEC_SIZE + LinuxSockets.IOV_LEN_OFFSET, length);
    }

    /** Offers message {@code index}'s whole control buffer to the next receive (the kernel shrinks it to its use). */
    public void resetControl(int index) {
        segment.set(JAVA_LONG, index * MMSGHDR_SIZE + LinuxSockets.MSG_CONTROLLEN_OFFSET, withControl
                ? CONTROL_SPACE
                : 0);
    }

    /** Sends message {@code index} without control messages. */
    public void clearControl(int index) {
        segment.set(JAVA_LONG, index * MMSGHDR_SIZE + LinuxSockets.MSG_CONTROLLEN_OFFSET, 0L);
    }

    /**
     * Makes message {@code index} a UDP GSO send: a {@code cmsg} {@code SOL_UDP/UDP_SEGMENT} with the segment size, so
     * the kernel cuts its data into datagrams of {@code segmentSize} bytes (the last may be shorter).
     */
    public void setSegmentSize(int index, int segmentSize) {
        long control = controlsOffset + (long) index * CONTROL_SPACE;
        segment.set(JAVA_LONG, control + LinuxSockets.CMSG_LEN_OFFSET, SEGMENT_CMSG_LEN);
        segment.set(JAVA_INT, control + LinuxSockets.CMSG_LEVEL_OFFSET, LinuxSockets.SOL_UDP);
        segment.set(JAVA_INT, control + LinuxSockets.CMSG_TYPE_OFFSET, LinuxSockets.UDP_SEGMENT);
        segment.set(JAVA_SHORT, control + LinuxSockets.CMSG_DATA_OFFSET, (short) segmentSize);
        segment.set(JAVA_LONG, index * MMSGHDR_SIZE + LinuxSockets.MSG_CONTROLLEN_OFFSET, CONTROL_SPACE);
    }

    /**
     * The segment size the kernel reported for received message {@code index} ({@code cmsg} {@code SOL_UDP/UDP_GRO}:
     * several datagrams of one 4-tuple coalesced into one), or 0 for a plain datagram.
     */
    public int groSegmentSize(int index) {
        long used = segment.get(JAVA_LONG, index * MMSGHDR_SIZE + LinuxSockets.MSG_CONTROLLEN_OFFSET);
        if (!withControl || used < GRO_CMSG_LEN) {
            return 0;
        }
        long control = controlsOffset + (long) index * CONTROL_SPACE;
        if (segment.get(JAVA_INT, control + LinuxSockets.CMSG_LEVEL_OFFSET) != LinuxSockets.SOL_UDP
                || segment.get(JAVA_INT, control + LinuxSockets.CMSG_TYPE_OFFSET) != LinuxSockets.UDP_GRO) {
            return 0;
        }
        return segment.get(JAVA_INT, control + LinuxSockets.CMSG_DATA_OFFSET);
    }

    /** Points message {@code index}'s iovec at {@code length} bytes of native memory at {@code address}. */
    public void setData(int index, long address, int length) {
        long iovec = iovecsOffset + index * IOVEC_SIZE;
        segment.set(JAVA_LONG, iovec + LinuxSockets.IOV_BASE_OFFSET, address);
        segment.set(JAVA_LONG, iovec + LinuxSockets.IOV_LEN_OFFSET, length);
    }

    /** Points message {@code index}'s iovec back at its whole slot (for receiving). */
    public void resetData(int index) {
        setData(index, slotAddress(index), slotSize);
    }

    /** Sets message {@code index}'s {@code sockaddr_in} (vectors made with names only). */
    public void setAddress(int index, int address, int port) {
        LinuxSockets.writeSockaddr(segment, namesOffset + index * SOCKADDR_SIZE, address, port);
    }

    /** The IPv4 address of message {@code index}'s {@code sockaddr_in}: a received datagram's source. */
    public int address(int index) {
        return LinuxSockets.sockaddrAddress(segment, namesOffset + index * SOCKADDR_SIZE);
    }

    /** The port of message {@code index}'s {@code sockaddr_in}. */
    public int port(int index) {
        return LinuxSockets.sockaddrPort(segment, namesOffset + index * SOCKADDR_SIZE);
    }

    /** {@code msg_len}: bytes received into, or sent from, message {@code index} by the last call. */
    public int length(int index) {
        return segment.get(JAVA_INT, index * MMSGHDR_SIZE + LinuxSockets.MSG_LEN_OFFSET);
    }

    /** {@code msg_hdr.msg_flags} of a received message, e.g. {@link LinuxSockets#MSG_TRUNC}. */
    public int flags(int index) {
        return segment.get(JAVA_INT, index * MMSGHDR_SIZE + LinuxSockets.MSG_FLAGS_OFFSET);
    }

    /** Frees the native memory; the vector must not be used after. */
    @Override
    public void close() {
        arena.close();
    }

    private static long align(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
