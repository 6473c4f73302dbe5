package io.isthmus.fastpath.io;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Receives a data port's datagrams through an AF_XDP socket instead of the kernel's IP and UDP layers, and sends
 * through the {@link MmsgPacketIo} bound to the same port (GSO): kernel bypass on the receive side, where a UDP socket
 * costs the kernel most per packet.
 * <p>
 * {@link #attach} loads a small XDP program onto a network device (generic mode, so it runs on any device, veth
 * included, after receive packet steering): IPv4 packets without options carrying UDP to the data port are redirected
 * to this socket's ring; everything else (ARP, other ports, fragments, IP options) goes on to the kernel as before, and
 * reaches the UDP socket if it was for the data port. The program is attached through a BPF link, so it goes away when
 * this I/O is closed or the process dies. A frame's UDP payload (the VXLAN packet) is handed to the handler through
 * {@link MmsgPacketIo#handOver}, so what the worker forwards leaves in the same GSO messages as with plain mmsg; the
 * frame goes straight back to the fill ring. The outer UDP checksum is not verified (the kernel would have); the inner
 * packet's IPv4 header checksum still is, by the parser.
 * <p>
 * Needs Linux with AF_XDP, and CAP_NET_ADMIN and CAP_BPF (root); one receive queue (queue 0: veth and most virtual
 * devices have one), so one worker. {@link #attach} throws {@link UnsupportedOperationException} with the reason where
 * any of it is missing; the caller keeps its plain {@link MmsgPacketIo}.
 */
public final class XdpPacketIo implements PacketIo {

    private static final int FRAMES = 4096;
    private static final int FRAME_SIZE = 2048;
    /** Ethernet, IPv4 without options, UDP: where the datagram's payload starts in a frame. */
    private static final int PAYLOAD_OFFSET = 14 + 20 + 8;
    private static final int UDP_LENGTH_OFFSET = 14 + 20 + 4;
    private static final int AF_XDP = 44;
    private static final int SOCK_RAW = 3;
    private static final int SOL_XDP = 283;
    private static final int XDP_MMAP_OFFSETS = 1;
    private static final int XDP_RX_RING = 2;
    private static final int XDP_UMEM_REG = 4;
    private static final int XDP_UMEM_FILL_RING = 5;
    private static final int XDP_UMEM_COMPLETION_RING = 6;
    private static final short XDP_COPY = 1 << 1;
    private static final long XDP_PGOFF_RX_RING = 0;
    private static final long XDP_UMEM_PGOFF_FILL_RING = 0x1_0000_0000L;
    private static final int BPF_MAP_CREATE = 0;
    private static final int BPF_MAP_UPDATE_ELEM = 2;
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_LINK_CREATE = 28;
    private static final int BPF_MAP_TYPE_XSKMAP = 17;
    private static final int BPF_PROG_TYPE_XDP = 6;
    private static final int BPF_XDP = 37;
    private static final int XDP_FLAGS_SKB_MODE = 1 << 1;
    private static final int PROT_READ_WRITE = 0x3;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x22;
    private static final int MAP_SHARED_POPULATE = 0x8001;
    private static final VarHandle RING_INDEX = JAVA_INT.varHandle();

    private final MmsgPacketIo socket;
    private final String device;
    private final int[] fds;
    private final int xsk;
    private final MemorySegment umem;
    private final ByteBuffer umemView;
    private final MemorySegment rx;
    private final long rxProducer;
    private final long rxConsumer;
    private final long rxDescriptors;
    private final MemorySegment fill;
    private final long fillProducer;
    private final long fillDescriptors;
    private final long[] offsets = new long[MmsgPacketIo.DEFAULT_BATCH * 2];
    private final int[] lengths = new int[offsets.length];
    private final long[] frames = new long[offsets.length];
    private int consumed;
    private int filled;
    private long received;
    private boolean closed;

    private XdpPacketIo(MmsgPacketIo socket, String device, int[] fds, int xsk, MemorySegment umem, MemorySegment rx,
            long[] rxOffsets, MemorySegment fill, long[] fillOffsets) {
        this.socket = socket;
        this.device = device;
        this.fds = fds;
        this.xsk = xsk;
        this.umem = umem;
        this.umemView = umem.asByteBuffer().order(ByteOrder.BIG_ENDIAN);
        this.rx = rx;
        this.rxProducer = rxOffsets[0];
        this.rxConsumer = rxOffsets[1];
        this.rxDescriptors = rxOffsets[2];
        this.fill = fill;
        this.fillProducer = fillOffsets[0];
        this.fillDescriptors = fillOffsets[2];
        this.filled = FRAMES;
    }

    /**
     * Redirects the UDP datagrams for {@code socket}'s port arriving on {@code device} to an AF_XDP socket read by the
     * returned I/O, which sends through {@code socket} (and still reads it: what the program lets through). The
     * socket must have UDP offload on; it is closed with the returned I/O.
     *
     * @throws UnsupportedOperationException if AF_XDP cannot be set up here (with the reason); nothing is left attached
     */
    public static XdpPacketIo attach(MmsgPacketIo socket, String device) {
        if (Native.FAILURE != null) {
            throw new UnsupportedOperationException(Native.FAILURE);
        }
        Arena setup = Arena.ofConfined();
        int[] fds = {-1, -1, -1, -1};
        MemorySegment umem = null;
        try {
            MemorySegment errno = setup.allocate(Linker.Option.captureStateLayout());
            int ifindex = (int) Native.IF_NAMETOINDEX.invokeExact(setup.allocateFrom(device));
            if (ifindex == 0) {
                throw new UnsupportedOperationException("no network device " + device);
            }
            MemorySegment attr = setup.allocate(128, 8);
            attr.set(JAVA_INT, 0, BPF_MAP_TYPE_XSKMAP);
            attr.set(JAVA_INT, 4, 4);
            attr.set(JAVA_INT, 8, 4);
            attr.set(JAVA_INT, 12, 1);
            int map = bpf(BPF_MAP_CREATE, attr, errno, "create the XSKMAP");
            fds[0] = map;
            long[] program = program(map, socket.localAddress().getPort());
            MemorySegment instructions = setup.allocate(8L * program.length, 8);
            for (int i = 0; i < program.length; i++) {
                instructions.set(JAVA_LONG, 8L * i, program[i]);
            }
            MemorySegment log = setup.allocate(16_384);
            attr.fill((byte) 0);
            attr.set(JAVA_INT, 0, BPF_PROG_TYPE_XDP);
            attr.set(JAVA_INT, 4, program.length);
            attr.set(JAVA_LONG, 8, instructions.address());
            attr.set(JAVA_LONG, 16, setup.allocateFrom("GPL").address());
            attr.set(JAVA_INT, 24, 1);
            attr.set(JAVA_INT, 28, (int) log.byteSize());
            attr.set(JAVA_LONG, 32, log.address());
            attr.set(JAVA_INT, 68, BPF_XDP);
            int prog;
            try {
                prog = bpf(BPF_PROG_LOAD, attr, errno, "load the XDP program");
            } catch (UnsupportedOperationException e) {
                throw new UnsupportedOperationException(e.getMessage() + ": " + log.getString(0).strip(), e);
            }
            fds[1] = prog;
            int xsk = LinuxSockets.openSocket(AF_XDP, SOCK_RAW, 0, errno);
            check(xsk, "open an AF_XDP socket");
            fds[2] = xsk;
            long umemBytes = (long) FRAMES * FRAME_SIZE;
            umem = ((MemorySegment) Native.MMAP.invokeExact(errno, MemorySegment.NULL, umemBytes, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS, -1, 0L)).reinterpret(umemBytes);
            check(umem.address() == -1 ? -errno(errno) : 0, "map the UMEM");
            MemorySegment registration = setup.allocate(32, 8);
            registration.set(JAVA_LONG, 0, umem.address());
            registration.set(JAVA_LONG, 8, umemBytes);
            registration.set(JAVA_INT, 16, FRAME_SIZE);
            setOption(xsk, XDP_UMEM_REG, registration, errno, "register the UMEM");
            MemorySegment entries = setup.allocate(JAVA_INT);
            entries.set(JAVA_INT, 0, FRAMES);
            setOption(xsk, XDP_UMEM_FILL_RING, entries, errno, "size the fill ring");
            setOption(xsk, XDP_UMEM_COMPLETION_RING, entries, errno, "size the completion ring");
            setOption(xsk, XDP_RX_RING, entries, errno, "size the receive ring");
            MemorySegment ringOffsets = setup.allocate(128, 8);
            check(LinuxSockets.getOption(xsk, SOL_XDP, XDP_MMAP_OFFSETS, ringOffsets, errno), "read the ring offsets");
            long[] rxOffsets = {ringOffsets.get(JAVA_LONG, 0), ringOffsets.get(JAVA_LONG, 8),
                    ringOffsets.get(JAVA_LONG, 16)};
            long[] fillOffsets = {ringOffsets.get(JAVA_LONG, 64), ringOffsets.get(JAVA_LONG, 72),
                    ringOffsets.get(JAVA_LONG, 80)};
            MemorySegment rx = mapRing(xsk, rxOffsets[2] + 16L * FRAMES, XDP_PGOFF_RX_RING, errno, "receive");
            MemorySegment fill = mapRing(xsk, fillOffsets[2] + 8L * FRAMES, XDP_UMEM_PGOFF_FILL_RING, errno, "fill");
            for (int i = 0; i < FRAMES; i++) {
                fill.set(JAVA_LONG, fillOffsets[2] + 8L * i, (long) i * FRAME_SIZE);
            }
            RING_INDEX.setRelease(fill, fillOffsets[0], FRAMES);
            MemorySegment address = setup.allocate(16, 8);
            address.set(JAVA_SHORT, 0, (short) AF_XDP);
            address.set(JAVA_SHORT, 2, XDP_COPY);
            address.set(JAVA_INT, 4, ifindex);
            address.set(JAVA_INT, 8, 0);
            check(LinuxSockets.bindAddress(xsk, address, errno), "bind the AF_XDP socket to " + device + " queue 0");
            MemorySegment key = setup.allocate(JAVA_INT);
            MemorySegment value = setup.allocate(JAVA_INT);
            value.set(JAVA_INT, 0, xsk);
            attr.fill((byte) 0);
            attr.set(JAVA_INT, 0, map);
            attr.set(JAVA_LONG, 8, key.address());
            attr.set(JAVA_LONG, 16, value.address());
            bpf(BPF_MAP_UPDATE_ELEM, attr, errno, "put the socket in the XSKMAP");
            attr.fill((byte) 0);
            attr.set(JAVA_INT, 0, prog);
            attr.set(JAVA_INT, 4, ifindex);
            attr.set(JAVA_INT, 8, BPF_XDP);
            attr.set(JAVA_INT, 12, XDP_FLAGS_SKB_MODE);
            fds[3] = bpf(BPF_LINK_CREATE, attr, errno, "attach the XDP program to " + device);
            return new XdpPacketIo(socket, device, fds, xsk, umem, rx, rxOffsets, fill, fillOffsets);
        } catch (UnsupportedOperationException e) {
            closeAll(fds);
            unmap(umem);
            throw e;
        } catch (Throwable t) {
            closeAll(fds);
            unmap(umem);
            throw new UnsupportedOperationException("AF_XDP setup failed: " + t, t);
        } finally {
            setup.close();
        }
    }

    /**
     * The XDP program: IPv4 without options, UDP to {@code port}, redirected to the socket in {@code map} at the
     * packet's receive queue (or passed on if there is none); everything else passed on to the kernel.
     */
    static long[] program(int map, int port) {
        int portLoadedLittleEndian = ((port & 0xFF) << 8) | (port >>> 8);
        return new long[]{
                instruction(0xbf, 6, 1, 0, 0), // r6 = ctx
                instruction(0x61, 2, 6, 0, 0), // r2 = data
                instruction(0x61, 3, 6, 4, 0), // r3 = data_end
                instruction(0xbf, 4, 2, 0, 0), // r4 = data
                instruction(0x07, 4, 0, 0, PAYLOAD_OFFSET), // r4 += 42
                instruction(0x2d, 4, 3, 14, 0), // if r4 > data_end: pass
                instruction(0x69, 5, 2, 12, 0), // r5 = ethertype
                instruction(0x55, 5, 0, 12, 0x0008), // if not IPv4: pass
                instruction(0x71, 5, 2, 14, 0), // r5 = version and IHL
                instruction(0x55, 5, 0, 10, 0x45), // if options: pass
                instruction(0x71, 5, 2, 23, 0), // r5 = protocol
                instruction(0x55, 5, 0, 8, 17), // if not UDP: pass
                instruction(0x69, 5, 2, 36, 0), // r5 = destination port
                instruction(0x55, 5, 0, 6, portLoadedLittleEndian), // if not ours: pass
                instruction(0x61, 2, 6, 16, 0), // r2 = rx_queue_index
                instruction(0x18, 1, 1, 0, map), instruction(0, 0, 0, 0, 0), // r1 = map
                instruction(0xb7, 3, 0, 0, 2), // r3 = XDP_PASS if no socket there
                instruction(0x85, 0, 0, 0, 51), // bpf_redirect_map
                instruction(0x95, 0, 0, 0, 0), // exit
                instruction(0xb7, 0, 0, 0, 2), // pass: r0 = XDP_PASS
                instruction(0x95, 0, 0, 0, 0), // exit
        };
    }

    private static long instruction(int opcode, int dst, int src, int offset, int immediate) {
        return (opcode & 0xFFL) | ((long) (((src & 0xF) << 4) | (dst & 0xF)) << 8) | ((long) (offset & 0xFFFF) << 16)
                | ((long) immediate << 32);
    }

    @Override
    public int poll(PacketHandler handler, int limit) {
        int producer = (int) RING_INDEX.getAcquire(rx, rxProducer);
        int count = Math.min(Math.min(producer - consumed, limit), offsets.length);
        int packets = 0;
        for (int i = 0; i < count; i++) {
            long descriptor = rxDescriptors + 16L * ((consumed + i) & (FRAMES - 1));
            long frame = rx.get(JAVA_LONG, descriptor);
            int length = rx.get(JAVA_INT, descriptor + 8);
            frames[i] = frame;
            int udpLength = umemView.getShort((int) frame + UDP_LENGTH_OFFSET) & 0xFFFF;
            int payload = udpLength - 8;
            if (length < PAYLOAD_OFFSET || payload < 0 || PAYLOAD_OFFSET + payload > length) {
                continue; // malformed UDP length: dropped like the kernel would
            }
            offsets[packets] = frame + PAYLOAD_OFFSET;
            lengths[packets] = payload;
            packets++;
        }
        if (count > 0) {
            if (handler.prefetches()) {
                for (int i = 0; i < packets; i++) {
                    handler.prefetch(umemView, (int) offsets[i], lengths[i]);
                }
                handler.prefetched();
            }
            socket.handOver(handler, umem, offsets, lengths, packets);
            consumed += count;
            RING_INDEX.setRelease(rx, rxConsumer, consumed);
            for (int i = 0; i < count; i++) {
                fill.set(JAVA_LONG, fillDescriptors + 8L * ((filled + i) & (FRAMES - 1)), frames[i]);
            }
            filled += count;
            RING_INDEX.setRelease(fill, fillProducer, filled);
            received += packets;
        }
        // what the program let through to the kernel (and anything sent to the socket directly)
        return packets + (limit > packets ? socket.poll(handler, limit - packets) : 0);
    }

    @Override
    public boolean send(ByteBuffer buffer, int offset, int length, InetSocketAddress destination) {
        return socket.send(buffer, offset, length, destination);
    }

    /** The AF_XDP socket: readable when its receive ring has frames. */
    @Override
    public int readinessFd() {
        return closed ? -1 : xsk;
    }

    @Override
    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    /** The UDP socket this I/O sends through. */
    public MmsgPacketIo socket() {
        return socket;
    }

    public String device() {
        return device;
    }

    /** Datagrams received through the AF_XDP ring. */
    public long receivedThroughXdp() {
        return received;
    }

    /** Detaches the program, closes the AF_XDP socket and the UDP socket. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAll(new int[]{fds[3], fds[2], fds[1], fds[0]});
        unmap(umem);
        socket.close();
    }

    private static MemorySegment mapRing(int xsk, long bytes, long pageOffset, MemorySegment errno, String name)
            throws Throwable {
        MemorySegment ring = (MemorySegment) Native.MMAP.invokeExact(errno, MemorySegment.NULL, bytes,
                PROT_READ_WRITE, MAP_SHARED_POPULATE, xsk, pageOffset);
        check(ring.address() == -1 ? -errno(errno) : 0, "map the " + name + " ring");
        return ring.reinterpret(bytes);
    }

    private static void setOption(int fd, int name, MemorySegment value, MemorySegment errno, String what)
            throws Throwable {
        check(LinuxSockets.setOption(fd, SOL_XDP, name, value, errno), what);
    }

    private static int bpf(int command, MemorySegment attr, MemorySegment errno, String what) throws Throwable {
        long result = (long) Native.SYSCALL.invokeExact(errno, Native.SYS_BPF, command, attr, (int) attr.byteSize());
        check(result < 0 ? -errno(errno) : 0, what);
        return (int) result;
    }

    /** Throws if {@code result} is a negated errno. */
    private static void check(int result, String what) {
        if (result < 0) {
            throw new UnsupportedOperationException("cannot " + what + ": errno " + -result
                    + (result == -1 ? " (not permitted: needs root)" : ""));
        }
    }

    private static int errno(MemorySegment errno) {
        return errno.get(JAVA_INT, Native.ERRNO_OFFSET);
    }

    private static void closeAll(int[] fds) {
        for (int fd : fds) {
            if (fd >= 0) {
                LinuxSockets.close(fd);
            }
        }
    }

    private static void unmap(MemorySegment segment) {
        if (segment == null) {
            return;
        }
        try {
            int ignored = (int) Native.MUNMAP.invokeExact(segment, segment.byteSize());
        } catch (Throwable e) {
            // the process keeps the mapping; nothing else to do
        }
    }

    /** The calls AF_XDP needs beyond {@link LinuxSockets}: the bpf system call, mmap of the UMEM and rings. */
    private static final class Native {
        static final long SYS_BPF = 321;
        static final MethodHandle SYSCALL;
        static final MethodHandle MMAP;
        static final MethodHandle MUNMAP;
        static final MethodHandle IF_NAMETOINDEX;
        static final long ERRNO_OFFSET;
        static final String FAILURE;

        static {
            MethodHandle[] handles = new MethodHandle[4];
            long errnoOffset = 0;
            String failure = LinuxSockets.isAvailable() ? null : LinuxSockets.unavailableReason();
            if (failure == null && !System.getProperty("os.arch", "").matches("amd64|x86_64")) {
                failure = "the bpf system call number is the x86_64 one";
            }
            if (failure == null) {
                try {
                    Linker linker = Linker.nativeLinker();
                    SymbolLookup libc = linker.defaultLookup();
                    Linker.Option errno = Linker.Option.captureCallState("errno");
                    errnoOffset = Linker.Option.captureStateLayout().byteOffset(PathElement.groupElement("errno"));
                    handles[0] = linker.downcallHandle(libc.find("syscall").orElseThrow(), FunctionDescriptor.of(
                            JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), errno,
                            Linker.Option.firstVariadicArg(1));
                    handles[1] = linker.downcallHandle(libc.find("mmap").orElseThrow(), FunctionDescriptor.of(ADDRESS,
                            ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), errno);
                    handles[2] = linker.downcallHandle(libc.find("munmap").orElseThrow(), FunctionDescriptor.of(
                            JAVA_INT, ADDRESS, JAVA_LONG));
                    handles[3] = linker.downcallHandle(libc.find("if_nametoindex").orElseThrow(),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS));
                } catch (Throwable t) {
                    failure = "FFM binding failed: " + t;
                }
            }
            SYSCALL = handles[0];
            MMAP = handles[1];
            MUNMAP = handles[2];
            IF_NAMETOINDEX = handles[3];
            ERRNO_OFFSET = errnoOffset;
            FAILURE = failure;
        }

        private Native() {
        }
    }
}
