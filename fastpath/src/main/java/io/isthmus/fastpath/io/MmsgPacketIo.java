package io.isthmus.fastpath.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * {@link PacketIo} over a non-blocking Linux UDP socket driven by {@code recvmmsg}/{@code sendmmsg} through the FFM API
 * ({@link LinuxSockets}): one system call receives up to a batch of datagrams and one sends up to a batch. Nothing on
 * the packet path allocates. Single-threaded, like the worker that owns it.
 * <p>
 * <b>With UDP offload</b> (the default, where the kernel has it) the socket also asks for {@code UDP_GRO}, so the
 * kernel may hand over several datagrams of one 4-tuple coalesced into one, and sends go out with {@code UDP_SEGMENT}
 * (GSO): consecutive packets to the same destination with the same length leave as one message, cut into datagrams
 * by the kernel. The per-packet cost of the kernel's UDP path (route, skb, loopback or driver) is then paid per
 * message, not per datagram; without it, batching only saves the system call entries. Each received packet is
 * copied (one small copy) into the send area, at the end of the GSO message it would join, and handed to the handler
 * there: if the handler sends it unchanged to that message's destination it is appended where it lies; otherwise it
 * starts a message of its own. A handler may grow a packet in place up to the end of its buffer, which leaves at least
 * {@link #STAGING_TAILROOM} bytes after it (unless the packet itself nearly fills a slot): nothing there is another
 * packet.
 * <p>
 * <b>Without offload</b> each datagram is handed to the handler in its receive slot, and a packet the handler sends
 * from that view is not copied: its {@code iovec} points into the receive slot, untouched until the sends are
 * flushed.
 * <p>
 * Sends made during a poll are queued and go out in one {@code sendmmsg} at the end of each received batch (or when
 * the send batch is full). A send of any other buffer (a re-injected packet, a test) goes out at once, alone.
 * Destinations are converted to {@code sockaddr_in} through a small identity cache, since the data plane sends to a
 * handful of preallocated next-hop addresses. Queued packets the kernel refuses (a full socket buffer) cannot be
 * reported through {@link #send}'s result; they are counted in {@link #sendDrops()} and told to the
 * {@link DropListener}, on the polling thread.
 */
public final class MmsgPacketIo implements PacketIo {

    /** Messages per system call unless told otherwise. */
    public static final int DEFAULT_BATCH = 32;
    /** Datagrams per call on a control socket ({@link #connect}). */
    static final int CONTROL_BATCH = 8;
    /** Room for the largest UDP payload, as {@link DatagramPacketIo}: nothing is truncated. */
    public static final int DEFAULT_MAX_DATAGRAM = DatagramPacketIo.MAX_DATAGRAM;
    /** The largest UDP payload over IPv4: a GSO message's data may not exceed it. */
    private static final int MAX_UDP_PAYLOAD = 65_507;
    /**
     * Room a staged packet keeps after it, so that a handler can grow it in place (ESP adds its header, IV, padding
     * and ICV; tunnel mode an outer header) without running into the end of the slot.
     */
    public static final int STAGING_TAILROOM = 512;
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    private static final int DESTINATION_CACHE_SIZE = 8;
    private static final VarHandle COUNTER = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int RECEIVED = 0;
    private static final int RECEIVED_DATAGRAMS = 1;
    private static final int SENT = 2;
    private static final int SENT_MESSAGES = 3;
    private static final int RECEIVE_ERRORS = 4;
    private static final int SEND_ERRORS = 5;
    private static final int SEND_DROPS = 6;
    private static final int TRUNCATED = 7;

    /** Hears of queued packets the kernel refused; called on the polling thread. */
    @FunctionalInterface
    public interface DropListener {
        void onDropped(int packets);
    }

    private final int fd;
    private final int batch;
    private final boolean offload;
    private final boolean gro;
    private final InetSocketAddress localAddress;
    private final MessageVector receive;
    private final MessageVector send;
    private final MessageVector single;
    private final int sendLimit;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno;
    private final long[] counters = new long[8];
    private final InetSocketAddress[] cachedDestinations = new InetSocketAddress[DESTINATION_CACHE_SIZE];
    private final int[] cachedAddresses = new int[DESTINATION_CACHE_SIZE];
    private final int[] cachedPorts = new int[DESTINATION_CACHE_SIZE];
    private int nextCacheEntry;
    private DropListener dropListener = packets -> {
    };

    // the queued messages: [0, pending)
    private int pending;
    private final InetSocketAddress[] destinations;
    private final int[] segments;
    private final int[] segmentSizes;
    private final int[] bytes;
    private final boolean[] open;
    /** Whether GSO messages may be built; off for good once the kernel refuses one (e.g. no checksum offload). */
    private boolean gso;
    /** Segments longer than this are not coalesced (the kernel refused a GSO message of such segments). */
    private int gsoMaxSegment = Integer.MAX_VALUE;

    // the packet in the handler's hands
    private boolean polling;
    private ByteBuffer stagedView;
    private int stagedOffset;
    private int stagedIndex;
    private boolean stagedAtTail;
    private ByteBuffer currentView;
    private long currentAddress;
    private boolean closed;

    private MmsgPacketIo(int fd, int batch, int maxDatagram, boolean offload, boolean gro, boolean gso,
            InetSocketAddress localAddress) {
        this.fd = fd;
        this.batch = batch;
        this.offload = offload;
        this.gro = gro;
        this.gso = gso;
        this.localAddress = localAddress;
        this.receive = new MessageVector(batch, maxDatagram, false, gro);
        this.send = new MessageVector(batch, maxDatagram, true, true);
        this.single = new MessageVector(1, maxDatagram, true, false);
        this.sendLimit = Math.min(maxDatagram, MAX_UDP_PAYLOAD);
        this.errno = LinuxSockets.allocateErrno(arena);
        this.destinations = new InetSocketAddress[batch];
        this.segments = new int[batch];
        this.segmentSizes = new int[batch];
        this.bytes = new int[batch];
        this.open = new boolean[batch];
    }

    /**
     * Binds a socket to {@code local} (port 0 picks one) with UDP offload where the kernel has it, and
     * {@code SO_REUSEPORT} if asked, so that several workers can bind the same port and the kernel spreads datagrams
     * over them by the hash of their 4-tuple.
     *
     * @throws UnsupportedOperationException if the FFM calls are not available or the kernel refuses them (fall back
     *         to {@link DatagramPacketIo})
     * @throws java.io.UncheckedIOException if the address cannot be bound
     */
    public static MmsgPacketIo bind(InetSocketAddress local, boolean reusePort, int batch) {
        return bind(local, reusePort, batch, true, DEFAULT_MAX_DATAGRAM);
    }

    /**
     * As {@link #bind(InetSocketAddress, boolean, int)}, with UDP GSO/GRO only if {@code offload} (and the kernel has
     * them), and datagrams longer than {@code maxDatagram} dropped.
     */
    public static MmsgPacketIo bind(InetSocketAddress local, boolean reusePort, int batch, boolean offload,
            int maxDatagram) {
        if (batch < 1 || batch > LinuxSockets.MAX_MESSAGES_PER_CALL) {
            throw new IllegalArgumentException("batch must be in 1.." + LinuxSockets.MAX_MESSAGES_PER_CALL);
        }
        if (!(local.getAddress() instanceof Inet4Address)) {
            throw new IllegalArgumentException("not an IPv4 address: " + local);
        }
        int fd = LinuxSockets.openUdp(true);
        MmsgPacketIo io = null;
        try {
            LinuxSockets.setIntOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            LinuxSockets.setIntOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            if (reusePort) {
                LinuxSockets.setIntOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_REUSEPORT, 1);
            }
            // a kernel without them (GSO 4.18, GRO 5.0) says so here: then plain batches
            boolean gso = offload && LinuxSockets.trySetIntOption(fd, LinuxSockets.SOL_UDP, LinuxSockets.UDP_SEGMENT,
                    0);
            boolean gro = offload && LinuxSockets.trySetIntOption(fd, LinuxSockets.SOL_UDP, LinuxSockets.UDP_GRO, 1);
            LinuxSockets.bind(fd, ipv4(local.getAddress()), local.getPort());
            int port = LinuxSockets.localPort(fd);
            io = new MmsgPacketIo(fd, batch, maxDatagram, gso || gro, gro, gso,
                    new InetSocketAddress(local.getAddress(), port));
            io.probe();
            return io;
        } catch (RuntimeException | Error e) {
            if (io != null) {
                io.close();
            } else {
                LinuxSockets.close(fd);
            }
            throw e;
        }
    }

    /**
     * A control socket: bound to {@code local} (port 0 picks one) and connected to {@code peer}, so it receives only
     * what the peer sends, and readable through {@link #readinessFd()} for the worker's wait.
     */
    public static MmsgPacketIo connect(InetSocketAddress local, InetSocketAddress peer) {
        MmsgPacketIo io = bind(local, false, CONTROL_BATCH, false, DEFAULT_MAX_DATAGRAM);
        try {
            LinuxSockets.connect(io.fd, ipv4(peer.getAddress()), peer.getPort());
            return io;
        } catch (RuntimeException | Error e) {
            io.close();
            throw e;
        }
    }

    /** A sandbox may allow {@code socket} and forbid {@code recvmmsg}: find out now, not in the worker. */
    private void probe() {
        int result = LinuxSockets.recvmmsg(fd, receive.segment(), 0, LinuxSockets.MSG_DONTWAIT, errno);
        if (result < 0 && result != -LinuxSockets.EAGAIN) {
            throw new UnsupportedOperationException("recvmmsg refused: errno " + -result);
        }
    }

    /** Who hears of queued packets the kernel refused (the worker counts them as drops). */
    public MmsgPacketIo onDrops(DropListener listener) {
        this.dropListener = listener;
        return this;
    }

    /** The socket itself: readable when {@link #poll} would find datagrams. */
    @Override
    public int readinessFd() {
        return closed ? -1 : fd;
    }

    // ---------------------------------------------------------------- receive

    /** Hands up to about {@code limit} packets to the handler (a coalesced datagram is handed whole); never blocks. */
    @Override
    public int poll(PacketHandler handler, int limit) {
        flush();
        int packets = 0;
        while (packets < limit) {
            int wanted = Math.min(batch, limit - packets);
            if (gro) {
                for (int i = 0; i < wanted; i++) {
                    receive.resetControl(i);
                }
            }
            int count = LinuxSockets.recvmmsg(fd, receive.segment(), wanted, LinuxSockets.MSG_DONTWAIT, errno);
            if (count <= 0) {
                if (count < 0 && count != -LinuxSockets.EAGAIN && count != -LinuxSockets.EINTR) {
                    increment(RECEIVE_ERRORS);
                }
                break;
            }
            packets += dispatch(handler, count);
            if (count < wanted) {
                break;
            }
        }
        return packets;
    }

    private int dispatch(PacketHandler handler, int count) {
        if (handler.prefetches()) {
            prefetch(handler, count);
        }
        int packets = 0;
        polling = true;
        try {
            for (int i = 0; i < count; i++) {
                if ((receive.flags(i) & LinuxSockets.MSG_TRUNC) != 0) {
                    increment(TRUNCATED);
                    continue;
                }
                int length = receive.length(i);
                if (!offload) {
                    currentView = receive.slot(i);
                    currentAddress = receive.slotAddress(i);
                    packets++;
                    handler.onPacket(currentView, 0, length);
                    continue;
                }
                int segmentSize = gro ? receive.groSegmentSize(i) : 0;
                if (segmentSize <= 0) {
                    segmentSize = length;
                }
                for (int offset = 0; offset < length; offset += segmentSize) {
                    packets++;
                    stageAndHandle(handler, receive.segment(), receive.slotOffset(i) + offset,
                            Math.min(segmentSize, length - offset));
                }
            }
        } finally {
            polling = false;
            currentView = null;
            stagedView = null;
            add(RECEIVED_DATAGRAMS, count);
            add(RECEIVED, packets);
            // without offload the queued sends point into the receive slots: they go before recvmmsg refills them
            flush();
        }
        return packets;
    }

    /** Shows the handler every packet of the batch, in the receive slots, before any is handed over. */
    private void prefetch(PacketHandler handler, int count) {
        for (int i = 0; i < count; i++) {
            if ((receive.flags(i) & LinuxSockets.MSG_TRUNC) != 0) {
                continue;
            }
            int length = receive.length(i);
            int segmentSize = offload && gro ? receive.groSegmentSize(i) : 0;
            if (segmentSize <= 0) {
                segmentSize = length;
            }
            ByteBuffer slot = receive.slot(i);
            for (int offset = 0; offset < length; offset += segmentSize) {
                handler.prefetch(slot, offset, Math.min(segmentSize, length - offset));
            }
        }
        handler.prefetched();
    }

    /**
     * Hands over packets received by other means (the frames of an AF_XDP ring, {@link XdpPacketIo}) as {@link #poll}
     * hands its own with UDP offload: each is copied into the send area, and what the handler sends from there goes
     * out at the end in GSO messages. Packets longer than a send slot allows are dropped (counted as truncated).
     * Returns the packets handed over.
     */
    public int handOver(PacketHandler handler, MemorySegment source, long[] offsets, int[] lengths, int count) {
        if (!offload) {
            throw new IllegalStateException("handing over packets needs UDP offload (--gso on)");
        }
        int packets = 0;
        polling = true;
        try {
            for (int i = 0; i < count; i++) {
                if (lengths[i] + STAGING_TAILROOM > send.slotSize()) {
                    increment(TRUNCATED);
                    continue;
                }
                packets++;
                stageAndHandle(handler, source, offsets[i], lengths[i]);
            }
        } finally {
            polling = false;
            stagedView = null;
            add(RECEIVED, packets);
            flush();
        }
        return packets;
    }

    /** Copies a received packet to where it would join the last queued message (or a fresh slot) and hands it over. */
    private void stageAndHandle(PacketHandler handler, MemorySegment source, long sourceOffset, int length) {
        int last = pending - 1;
        if (last >= 0 && open[last] && gso && length <= segmentSizes[last]
                && segments[last] < LinuxSockets.UDP_MAX_SEGMENTS
                && bytes[last] + length <= sendLimit && bytes[last] + length + STAGING_TAILROOM <= send.slotSize()) {
            stagedIndex = last;
            stagedOffset = bytes[last];
            stagedAtTail = true;
        } else {
            if (pending == batch) {
                flush();
            }
            stagedIndex = pending;
            stagedOffset = 0;
            stagedAtTail = false;
        }
        MemorySegment.copy(source, sourceOffset, send.segment(), send.slotOffset(stagedIndex) + stagedOffset, length);
        stagedView = send.slot(stagedIndex);
        handler.onPacket(stagedView, stagedOffset, length);
        stagedView = null;
    }

    // ---------------------------------------------------------------- send

    @Override
    public boolean send(ByteBuffer buffer, int offset, int length, InetSocketAddress destination) {
        try {
            int entry = destinationEntry(destination);
            if (entry < 0 || length > sendLimit || length < 0) {
                increment(SEND_ERRORS);
                return false;
            }
            if (polling && buffer == stagedView && offset == stagedOffset) {
                stagedView = null;
                sendStaged(length, destination, entry);
                return true;
            }
            if (polling && buffer == currentView) {
                if (pending == batch) {
                    flush();
                }
                int index = pending++;
                send.setData(index, currentAddress + offset, length);
                queued(index, length, destination, entry, false);
                return true;
            }
            return sendAlone(buffer, offset, length, entry);
        } finally {
            // buffers are used with absolute accessors: hand it back with the whole capacity addressable
            buffer.clear();
        }
    }

    private void sendStaged(int length, InetSocketAddress destination, int entry) {
        if (stagedAtTail) {
            int last = stagedIndex;
            if (destinations[last] == destination && length <= segmentSizes[last] && length + stagedOffset <= sendLimit
                    && segments[last] < LinuxSockets.UDP_MAX_SEGMENTS && segmentSizes[last] <= gsoMaxSegment) {
                // joins the GSO message where it lies
                segments[last]++;
                bytes[last] += length;
                open[last] = length == segmentSizes[last];
                send.setDataLength(last, bytes[last]);
                if (segments[last] == 2) {
                    send.setSegmentSize(last, segmentSizes[last]);
                }
                return;
            }
            // another destination or a changed length: a message of its own, moved to a fresh slot
            if (pending == batch) {
                flush();
            }
            int index = pending++;
            MemorySegment.copy(send.segment(), send.slotOffset(last) + stagedOffset, send.segment(),
                    send.slotOffset(index), length);
            send.setData(index, send.slotAddress(index), length);
            queued(index, length, destination, entry, true);
            return;
        }
        int index = stagedIndex;
        pending = index + 1;
        send.setData(index, send.slotAddress(index), length);
        queued(index, length, destination, entry, true);
    }

    private void queued(int index, int length, InetSocketAddress destination, int entry, boolean coalescable) {
        send.setAddress(index, cachedAddresses[entry], cachedPorts[entry]);
        send.clearControl(index);
        destinations[index] = destination;
        segments[index] = 1;
        segmentSizes[index] = length;
        bytes[index] = length;
        open[index] = coalescable && gso && length <= gsoMaxSegment;
    }

    private boolean sendAlone(ByteBuffer buffer, int offset, int length, int entry) {
        single.slot(0).put(0, buffer, offset, length);
        single.setData(0, single.slotAddress(0), length);
        single.setAddress(0, cachedAddresses[entry], cachedPorts[entry]);
        int result;
        do {
            result = LinuxSockets.sendmmsg(fd, single.segment(), 1, LinuxSockets.MSG_DONTWAIT, errno);
        } while (result == -LinuxSockets.EINTR);
        if (result == 1) {
            add(SENT, 1);
            add(SENT_MESSAGES, 1);
            return true;
        }
        increment(SEND_DROPS);
        return false;
    }

    /** Sends what is queued; returns how many packets the kernel refused (also told to the {@link DropListener}). */
    public int flush() {
        int start = 0;
        int dropped = 0;
        while (start < pending) {
            int result = LinuxSockets.sendmmsg(fd, send.from(start), pending - start, LinuxSockets.MSG_DONTWAIT,
                    errno);
            if (result > 0) {
                for (int i = start; i < start + result; i++) {
                    add(SENT, segments[i]);
                }
                add(SENT_MESSAGES, result);
                start += result;
            } else if (result == -LinuxSockets.EINTR) {
                continue;
            } else if (result == -LinuxSockets.EAGAIN || result == -LinuxSockets.ENOBUFS || result == 0) {
                // the socket buffer is full: retrying now would spin; shed the rest like a full NIC ring
                for (int i = start; i < pending; i++) {
                    dropped += segments[i];
                }
                break;
            } else {
                // the first unsent message failed on its own: skip it, send the rest
                if (segments[start] > 1) {
                    refuseGso(-result, segmentSizes[start]);
                }
                increment(SEND_ERRORS);
                dropped += segments[start];
                start++;
            }
        }
        for (int i = 0; i < pending; i++) {
            destinations[i] = null;
        }
        pending = 0;
        if (dropped > 0) {
            add(SEND_DROPS, dropped);
            dropListener.onDropped(dropped);
        }
        return dropped;
    }

    /** The kernel refused a GSO message: without checksum offload never again; too long segments (MTU) not again. */
    private void refuseGso(int error, int segmentSize) {
        if (error == LinuxSockets.EINVAL && segmentSize > 1) {
            gsoMaxSegment = Math.min(gsoMaxSegment, segmentSize - 1);
        } else {
            gso = false;
        }
    }

    private int destinationEntry(InetSocketAddress destination) {
        for (int i = 0; i < DESTINATION_CACHE_SIZE; i++) {
            if (cachedDestinations[i] == destination) {
                return i;
            }
        }
        InetAddress address = destination.getAddress();
        if (!(address instanceof Inet4Address)) {
            return -1;
        }
        int entry = nextCacheEntry;
        nextCacheEntry = (nextCacheEntry + 1) % DESTINATION_CACHE_SIZE;
        cachedDestinations[entry] = destination;
        cachedAddresses[entry] = ipv4(address);
        cachedPorts[entry] = destination.getPort();
        return entry;
    }

    private static int ipv4(InetAddress address) {
        byte[] b = address.getAddress();
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    // ---------------------------------------------------------------- state

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The number of messages per {@code recvmmsg}/{@code sendmmsg}. */
    public int batch() {
        return batch;
    }

    /** Whether the socket receives coalesced datagrams ({@code UDP_GRO}). */
    public boolean receivesCoalesced() {
        return gro;
    }

    /** Whether sends are still coalesced into GSO messages ({@code UDP_SEGMENT}). */
    public boolean sendsCoalesced() {
        return gso;
    }

    /** Packets received (a coalesced datagram counts its segments), truncated ones excluded. */
    public long received() {
        return get(RECEIVED);
    }

    /** Datagrams as the kernel handed them over (a coalesced one counts once). */
    public long receivedDatagrams() {
        return get(RECEIVED_DATAGRAMS);
    }

    /** Packets the kernel accepted to send. */
    public long sent() {
        return get(SENT);
    }

    /** Messages the kernel accepted to send (a GSO message counts once). */
    public long sentMessages() {
        return get(SENT_MESSAGES);
    }

    /** Failed receive calls other than "nothing to read". */
    public long receiveErrors() {
        return get(RECEIVE_ERRORS);
    }

    /** Sends refused up front (bad destination, too long) or messages that failed alone in the kernel. */
    public long sendErrors() {
        return get(SEND_ERRORS);
    }

    /** Packets the kernel did not take (full socket buffer, failed message). */
    public long sendDrops() {
        return get(SEND_DROPS);
    }

    /** Datagrams longer than a slot, dropped. */
    public long truncated() {
        return get(TRUNCATED);
    }

    private void increment(int index) {
        add(index, 1);
    }

    private void add(int index, long delta) {
        COUNTER.setOpaque(counters, index, counters[index] + delta);
    }

    private long get(int index) {
        return (long) COUNTER.getOpaque(counters, index);
    }

    /** Closes the socket and frees the native memory; call after the owning worker stopped. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LinuxSockets.close(fd);
        receive.close();
        send.close();
        single.close();
        arena.close();
    }

    @Override
    public String toString() {
        return "MmsgPacketIo[" + localAddress + ", batch " + batch + (gro ? ", GRO" : "") + (gso ? ", GSO" : "")
                + "]";
    }
}
