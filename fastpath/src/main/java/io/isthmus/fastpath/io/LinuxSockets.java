package io.isthmus.fastpath.io;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The few Linux socket calls the batched I/O needs, bound through the FFM API ({@code java.lang.foreign}) to the C
 * library: {@code socket}, {@code bind}, {@code connect}, {@code setsockopt}, {@code getsockname}, {@code recvmmsg}, {@code sendmmsg}
 * and {@code close}. The structs are laid out for 64-bit Linux (x86_64, aarch64: the generic socket ABI):
 *
 * <pre>
 *   struct sockaddr_in (16)        struct iovec (16)          struct msghdr (56)              struct mmsghdr (64)
 *   0  sin_family  u16 native      0  iov_base  void*         0  msg_name       void*         0  msg_hdr  msghdr
 *   2  sin_port    u16 big-endian  8  iov_len   size_t        8  msg_namelen    u32 (+4 pad)  56 msg_len  u32
 *   4  sin_addr    u32 big-endian                             16 msg_iov        iovec*        60 (pad)
 *   8  sin_zero    8 bytes                                    24 msg_iovlen     size_t
 *                                                             32 msg_control    void*
 *   struct cmsghdr (16 + data)                                40 msg_controllen size_t
 *   0  cmsg_len    size_t                                     48 msg_flags      i32 (+4 pad)
 *   8  cmsg_level  i32
 *   12 cmsg_type   i32
 * </pre>
 *
 * The calls return the C result, or on failure {@code -errno}, captured by the linker so that nothing the JVM does in
 * between can clobber it. Capturing costs an allocation per call when the JIT fails to scalarize the slice the JDK
 * takes of the capture segment, so {@link #recvmmsg} and {@link #sendmmsg} call without capture and, only when that
 * fails, make the same call again with capture: a non-blocking receive that found nothing finds nothing again (or
 * finds what just arrived), and a send that failed sent nothing. Nothing here allocates on the packet path. If the
 * platform is not 64-bit Linux or native access is denied, {@link #isAvailable()} is false,
 * {@link #unavailableReason()} says why, and every call throws {@link UnsupportedOperationException}.
 */
public final class LinuxSockets {

    public static final int AF_INET = 2;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_RCVTIMEO = 20;
    public static final int SOL_UDP = 17;
    /** Per message (cmsg) or per socket: the segment size of a UDP GSO send (Linux 4.18). */
    public static final int UDP_SEGMENT = 103;
    /** Per socket: deliver coalesced datagrams of one 4-tuple at once, their segment size in a cmsg (Linux 5.0). */
    public static final int UDP_GRO = 104;
    /** Segments the kernel takes in one GSO send on every kernel that has it (UDP_MAX_SEGMENTS, 128 since 6.x). */
    public static final int UDP_MAX_SEGMENTS = 64;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_WAITFORONE = 0x10000;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;
    public static final int EINVAL = 22;
    public static final int ENOBUFS = 105;
    /** The kernel's limit on messages per {@code recvmmsg}/{@code sendmmsg} call (UIO_MAXIOV). */
    public static final int MAX_MESSAGES_PER_CALL = 1024;
    private static final short POLLIN = 0x1;
    private static final long POLLFD_BYTES = 8;
    private static final long TIMESPEC_BYTES = 16;

    private static final ValueLayout.OfShort JAVA_SHORT_BE = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt JAVA_INT_BE = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);

    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin_family"),
            JAVA_SHORT.withName("sin_port"),
            JAVA_INT.withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_BYTE).withName("sin_zero"));
    public static final StructLayout IOVEC = MemoryLayout.structLayout(
            ADDRESS.withName("iov_base"),
            JAVA_LONG.withName("iov_len"));
    public static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4));
    public static final StructLayout MMSGHDR = MemoryLayout.structLayout(
            MSGHDR.withName("msg_hdr"),
            JAVA_INT.withName("msg_len"),
            MemoryLayout.paddingLayout(4));
    /** {@code struct cmsghdr}, followed by its data at {@link #CMSG_DATA_OFFSET}. */
    public static final StructLayout CMSGHDR = MemoryLayout.structLayout(
            JAVA_LONG.withName("cmsg_len"),
            JAVA_INT.withName("cmsg_level"),
            JAVA_INT.withName("cmsg_type"));
    private static final StructLayout TIMEVAL = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_usec"));

    public static final long SIN_FAMILY_OFFSET = offset(SOCKADDR_IN, "sin_family");
    public static final long SIN_PORT_OFFSET = offset(SOCKADDR_IN, "sin_port");
    public static final long SIN_ADDR_OFFSET = offset(SOCKADDR_IN, "sin_addr");
    public static final long IOV_BASE_OFFSET = offset(IOVEC, "iov_base");
    public static final long IOV_LEN_OFFSET = offset(IOVEC, "iov_len");
    public static final long MSG_NAME_OFFSET = offset(MSGHDR, "msg_name");
    public static final long MSG_NAMELEN_OFFSET = offset(MSGHDR, "msg_namelen");
    public static final long MSG_IOV_OFFSET = offset(MSGHDR, "msg_iov");
    public static final long MSG_IOVLEN_OFFSET = offset(MSGHDR, "msg_iovlen");
    public static final long MSG_CONTROL_OFFSET = offset(MSGHDR, "msg_control");
    public static final long MSG_CONTROLLEN_OFFSET = offset(MSGHDR, "msg_controllen");
    public static final long MSG_FLAGS_OFFSET = offset(MSGHDR, "msg_flags");
    public static final long CMSG_LEN_OFFSET = offset(CMSGHDR, "cmsg_len");
    public static final long CMSG_LEVEL_OFFSET = offset(CMSGHDR, "cmsg_level");
    public static final long CMSG_TYPE_OFFSET = offset(CMSGHDR, "cmsg_type");
    public static final long CMSG_DATA_OFFSET = CMSGHDR.byteSize();
    public static final long MSG_LEN_OFFSET = offset(MMSGHDR, "msg_len");

    private LinuxSockets() {
    }

    /** Whether the calls are bound: 64-bit Linux, and the JVM allowed native access. */
    public static boolean isAvailable() {
        return Native.FAILURE == null;
    }

    /** Why the calls are not bound, or null if they are. */
    public static String unavailableReason() {
        return Native.FAILURE;
    }

    /** A segment the linker writes {@code errno} to; one per thread that calls {@link #recvmmsg}/{@link #sendmmsg}. */
    public static MemorySegment allocateErrno(Arena arena) {
        return arena.allocate(Linker.Option.captureStateLayout());
    }

    /**
     * Opens an IPv4 UDP socket (close-on-exec); returns the file descriptor.
     *
     * @throws UnsupportedOperationException if the calls are not bound or the kernel refuses UDP sockets
     */
    public static int openUdp(boolean nonBlocking) {
        check();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = allocateErrno(arena);
            int fd = (int) Native.SOCKET.invokeExact(errno, AF_INET,
                    SOCK_DGRAM | SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0), 0);
            if (fd < 0) {
                throw new UnsupportedOperationException("socket(AF_INET, SOCK_DGRAM) failed: errno " + errno(errno));
            }
            return fd;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code socket(domain, type | SOCK_CLOEXEC, protocol)}, or -errno: for sockets of other families (AF_XDP) whose
     * caller reports its own failures.
     */
    public static int openSocket(int domain, int type, int protocol, MemorySegment errno) {
        check();
        try {
            int fd = (int) Native.SOCKET.invokeExact(errno, domain, type | SOCK_CLOEXEC, protocol);
            return fd < 0 ? -errno(errno) : fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code setsockopt(fd, level, name, value, value.byteSize())}: 0 or -errno. */
    public static int setOption(int fd, int level, int name, MemorySegment value, MemorySegment errno) {
        check();
        try {
            int result = (int) Native.SETSOCKOPT.invokeExact(errno, fd, level, name, value, (int) value.byteSize());
            return result < 0 ? -errno(errno) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code getsockopt(fd, level, name, value, &length)} with length the value's size: 0 or -errno. */
    public static int getOption(int fd, int level, int name, MemorySegment value, MemorySegment errno) {
        check();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, (int) value.byteSize());
            int result = (int) Native.GETSOCKOPT_ANY.invokeExact(errno, fd, level, name, value, length);
            return result < 0 ? -errno(errno) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code bind(fd, address, address.byteSize())} for any address family: 0 or -errno. */
    public static int bindAddress(int fd, MemorySegment address, MemorySegment errno) {
        check();
        try {
            int result = (int) Native.BIND.invokeExact(errno, fd, address, (int) address.byteSize());
            return result < 0 ? -errno(errno) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code setsockopt(fd, level, name, &value, 4)}. */
    public static void setIntOption(int fd, int level, int name, int value) {
        check();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = allocateErrno(arena);
            MemorySegment v = arena.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            int result = (int) Native.SETSOCKOPT.invokeExact(errno, fd, level, name, v, (int) JAVA_INT.byteSize());
            if (result < 0) {
                throw new UncheckedIOException(new IOException(
                        "setsockopt(" + level + ", " + name + ") failed: errno " + errno(errno)));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code setsockopt(fd, level, name, &value, 4)}; false (and no exception) if the kernel refuses it. */
    public static boolean trySetIntOption(int fd, int level, int name, int value) {
        try {
            setIntOption(fd, level, name, value);
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** A blocking socket's receive timeout ({@code SO_RCVTIMEO}): a receive with nothing to read fails with EAGAIN. */
    public static void setReceiveTimeout(int fd, long millis) {
        check();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = allocateErrno(arena);
            MemorySegment tv = arena.allocate(TIMEVAL);
            tv.set(JAVA_LONG, 0, millis / 1000);
            tv.set(JAVA_LONG, 8, (millis % 1000) * 1000);
            int result = (int) Native.SETSOCKOPT.invokeExact(errno, fd, SOL_SOCKET, SO_RCVTIMEO, tv,
                    (int) TIMEVAL.byteSize());
            if (result < 0) {
                throw new UncheckedIOException(new IOException("setsockopt(SO_RCVTIMEO) failed: errno "
                        + errno(errno)));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Binds to an IPv4 address (big-endian int, as the data plane holds them) and port (0 picks one). */
    public static void bind(int fd, int address, int port) {
        addressCall(Native.BIND, fd, address, port, "bind to port " + port);
    }

    /**
     * Connects a UDP socket to an IPv4 address and port: it then receives only what that peer sends (the fastpath's
     * control socket takes messages from its slowpath alone).
     */
    public static void connect(int fd, int address, int port) {
        addressCall(Native.CONNECT, fd, address, port, "connect to port " + port);
    }

    private static void addressCall(MethodHandle call, int fd, int address, int port, String what) {
        check();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = allocateErrno(arena);
            MemorySegment sockaddr = arena.allocate(SOCKADDR_IN);
            writeSockaddr(sockaddr, 0, address, port);
            int result = (int) call.invokeExact(errno, fd, sockaddr, (int) SOCKADDR_IN.byteSize());
            if (result < 0) {
                throw new UncheckedIOException(new IOException(what + " failed: errno " + errno(errno)
                        + (errno(errno) == 98 ? " (address in use)" : "")));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The port a socket is bound to ({@code getsockname}). */
    public static int localPort(int fd) {
        check();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = allocateErrno(arena);
            MemorySegment sockaddr = arena.allocate(SOCKADDR_IN);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, (int) SOCKADDR_IN.byteSize());
            int result = (int) Native.GETSOCKNAME.invokeExact(errno, fd, sockaddr, length);
            if (result < 0) {
                throw new UncheckedIOException(new IOException("getsockname failed: errno " + errno(errno)));
            }
            return sockaddrPort(sockaddr, 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code recvmmsg(fd, vector, count, flags, NULL)}: the number of messages received, or {@code -errno}
     * ({@code -EAGAIN} when a non-blocking socket has nothing).
     */
    public static int recvmmsg(int fd, MemorySegment vector, int count, int flags, MemorySegment errno) {
        try {
            int result = (int) Native.RECVMMSG.invokeExact(fd, vector, count, flags, MemorySegment.NULL);
            if (result >= 0) {
                return result;
            }
            // see the class comment: the same call again, this time with errno captured
            result = (int) Native.RECVMMSG_ERRNO.invokeExact(errno, fd, vector, count, flags, MemorySegment.NULL);
            return result >= 0 ? result : -errno(errno);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code sendmmsg(fd, vector, count, flags)}: the number of messages sent, or {@code -errno}. */
    public static int sendmmsg(int fd, MemorySegment vector, int count, int flags, MemorySegment errno) {
        try {
            int result = (int) Native.SENDMMSG.invokeExact(fd, vector, count, flags);
            if (result >= 0) {
                return result;
            }
            // nothing was sent (the first message failed): the same call again, this time with errno captured
            result = (int) Native.SENDMMSG_ERRNO.invokeExact(errno, fd, vector, count, flags);
            return result >= 0 ? result : -errno(errno);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Room for {@link #waitReadable}'s two {@code struct pollfd}s. */
    public static MemorySegment allocatePollFd(Arena arena) {
        return arena.allocate(2 * POLLFD_BYTES, 8);
    }

    /** Room for {@link #waitReadable}'s {@code struct timespec}. */
    public static MemorySegment allocateTimespec(Arena arena) {
        return arena.allocate(TIMESPEC_BYTES, 8);
    }

    /**
     * Blocks until {@code fd} is readable or {@code timeoutNanos} passed ({@code ppoll}); true if readable. A signal
     * or an error returns false early, as a timeout does: the caller polls its socket either way. {@code pollFd} and
     * {@code timespec} come from {@link #allocatePollFd} and {@link #allocateTimespec}; nothing is allocated per call.
     */
    public static boolean waitReadable(int fd, long timeoutNanos, MemorySegment pollFd, MemorySegment timespec) {
        return waitReadable(fd, -1, timeoutNanos, pollFd, timespec);
    }

    /**
     * Blocks until {@code fd} or {@code otherFd} (-1: none) is readable or {@code timeoutNanos} passed; true if one
     * is. The worker waits on its data socket and its control socket at once, so a rule or a re-injected packet from
     * the slowpath is taken as it comes, not after the wait.
     */
    public static boolean waitReadable(int fd, int otherFd, long timeoutNanos, MemorySegment pollFds,
            MemorySegment timespec) {
        pollFds.set(JAVA_INT, 0, fd);
        pollFds.set(JAVA_SHORT, 4, POLLIN);
        pollFds.set(JAVA_SHORT, 6, (short) 0);
        // ppoll skips an entry whose fd is negative
        pollFds.set(JAVA_INT, POLLFD_BYTES, otherFd);
        pollFds.set(JAVA_SHORT, POLLFD_BYTES + 4, POLLIN);
        pollFds.set(JAVA_SHORT, POLLFD_BYTES + 6, (short) 0);
        timespec.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
        timespec.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
        try {
            int ready = (int) Native.PPOLL.invokeExact(pollFds, 2L, timespec, MemorySegment.NULL);
            return ready > 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Closes a file descriptor; errors are ignored (the descriptor is gone either way on Linux). */
    public static void close(int fd) {
        check();
        try (Arena arena = Arena.ofConfined()) {
            int result = (int) Native.CLOSE.invokeExact(allocateErrno(arena), fd);
            assert result == 0 || result == -1;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Writes a {@code sockaddr_in} at {@code offset}. */
    public static void writeSockaddr(MemorySegment segment, long offset, int address, int port) {
        segment.set(JAVA_SHORT, offset + SIN_FAMILY_OFFSET, (short) AF_INET);
        segment.set(JAVA_SHORT_BE, offset + SIN_PORT_OFFSET, (short) port);
        segment.set(JAVA_INT_BE, offset + SIN_ADDR_OFFSET, address);
        segment.set(JAVA_LONG, offset + SIN_ADDR_OFFSET + 4, 0L);
    }

    public static int sockaddrAddress(MemorySegment segment, long offset) {
        return segment.get(JAVA_INT_BE, offset + SIN_ADDR_OFFSET);
    }

    public static int sockaddrPort(MemorySegment segment, long offset) {
        return segment.get(JAVA_SHORT_BE, offset + SIN_PORT_OFFSET) & 0xFFFF;
    }

    private static int errno(MemorySegment errno) {
        return errno.get(JAVA_INT, Native.ERRNO_OFFSET);
    }

    private static void check() {
        if (Native.FAILURE != null) {
            throw new UnsupportedOperationException(Native.FAILURE);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    private static long offset(MemoryLayout layout, String name) {
        return layout.byteOffset(PathElement.groupElement(name));
    }

    /** The bound calls, linked on first use; a failure leaves them null and says why. */
    private static final class Native {
        static final MethodHandle SOCKET;
        static final MethodHandle BIND;
        static final MethodHandle CONNECT;
        static final MethodHandle SETSOCKOPT;
        static final MethodHandle GETSOCKNAME;
        static final MethodHandle GETSOCKOPT_ANY;
        static final MethodHandle RECVMMSG;
        static final MethodHandle RECVMMSG_ERRNO;
        static final MethodHandle SENDMMSG;
        static final MethodHandle SENDMMSG_ERRNO;
        static final MethodHandle CLOSE;
        static final MethodHandle PPOLL;
        static final long ERRNO_OFFSET;
        static final String FAILURE;

        static {
            MethodHandle socket = null;
            MethodHandle bind = null;
            MethodHandle connect = null;
            MethodHandle setsockopt = null;
            MethodHandle getsockname = null;
            MethodHandle getsockopt = null;
            MethodHandle recvmmsg = null;
            MethodHandle recvmmsgErrno = null;
            MethodHandle sendmmsg = null;
            MethodHandle sendmmsgErrno = null;
            MethodHandle close = null;
            MethodHandle ppoll = null;
            long errnoOffset = 0;
            String failure = null;
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            if (!os.startsWith("linux")) {
                failure = "not Linux (" + os + ")";
            } else if (!(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
                failure = "struct layouts are for x86_64 and aarch64, not " + arch;
            } else if (ADDRESS.byteSize() != 8) {
                failure = "not a 64-bit JVM";
            } else {
                try {
                    Linker linker = Linker.nativeLinker();
                    SymbolLookup libc = linker.defaultLookup();
                    Linker.Option errno = Linker.Option.captureCallState("errno");
                    errnoOffset = Linker.Option.captureStateLayout().byteOffset(PathElement.groupElement("errno"));
                    socket = link(linker, libc, "socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT,
                            JAVA_INT), errno);
                    bind = link(linker, libc, "bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT),
                            errno);
                    connect = link(linker, libc, "connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS,
                            JAVA_INT), errno);
                    setsockopt = link(linker, libc, "setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
                            JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
                    getsockname = link(linker, libc, "getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
                            ADDRESS, ADDRESS), errno);
                    getsockopt = link(linker, libc, "getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
                            JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), errno);
                    FunctionDescriptor recv = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                            ADDRESS);
                    FunctionDescriptor send = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
                    recvmmsg = link(linker, libc, "recvmmsg", recv);
                    recvmmsgErrno = link(linker, libc, "recvmmsg", recv, errno);
                    sendmmsg = link(linker, libc, "sendmmsg", send);
                    sendmmsgErrno = link(linker, libc, "sendmmsg", send, errno);
                    close = link(linker, libc, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
                    ppoll = link(linker, libc, "ppoll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS,
                            ADDRESS));
                } catch (Throwable t) {
                    // IllegalCallerException when native access is denied, UnsatisfiedLinkError without a symbol
                    failure = "FFM binding failed: " + t;
                }
            }
            FAILURE = failure;
            ERRNO_OFFSET = errnoOffset;
            SOCKET = socket;
            BIND = bind;
            CONNECT = connect;
            SETSOCKOPT = setsockopt;
            GETSOCKNAME = getsockname;
            GETSOCKOPT_ANY = getsockopt;
            RECVMMSG = recvmmsg;
            RECVMMSG_ERRNO = recvmmsgErrno;
            SENDMMSG = sendmmsg;
            SENDMMSG_ERRNO = sendmmsgErrno;
            CLOSE = close;
            PPOLL = ppoll;
        }

        private static MethodHandle link(Linker linker, SymbolLookup libc, String name, FunctionDescriptor function,
                Linker.Option... options) {
            MemorySegment symbol = libc.find(name)
                    .orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in the C library"));
            return linker.downcallHandle(symbol, function, options);
        }
    }
}
