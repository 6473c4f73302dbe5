package io.isthmus.fastpath.io;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;

/**
 * Opens a data port's {@link PacketIo} of the kind asked for. {@link PacketIoKind#MMSG} falls back to
 * {@link PacketIoKind#CHANNEL}, with one warning, when the FFM calls are unavailable or refused (not Linux, native
 * access denied, a sandbox forbidding {@code recvmmsg}); a port that cannot be bound is an error either way.
 */
public final class PacketIos {

    private static final System.Logger LOG = System.getLogger(PacketIos.class.getName());

    /** How the mmsg I/O is opened; a seam for tests to make it fail. */
    @FunctionalInterface
    interface MmsgOpener {
        PacketIo open(InetSocketAddress local, boolean reusePort, int batch, boolean udpOffload);
    }

    private PacketIos() {
    }

    /**
     * Binds a data port.
     *
     * @param kind the I/O asked for
     * @param local the address to bind (port 0 picks one)
     * @param reusePort whether to set {@code SO_REUSEPORT}, so that several workers share the port
     * @param batch datagrams per system call (mmsg only)
     * @param udpOffload whether to use UDP GSO/GRO where the kernel has them (mmsg only)
     */
    public static PacketIo bind(PacketIoKind kind, InetSocketAddress local, boolean reusePort, int batch,
            boolean udpOffload) {
        return bind(kind, local, reusePort, batch, udpOffload, (address, reuse, size, offload) -> MmsgPacketIo
                .bind(address, reuse, size, offload, MmsgPacketIo.DEFAULT_MAX_DATAGRAM));
    }

    static PacketIo bind(PacketIoKind kind, InetSocketAddress local, boolean reusePort, int batch, boolean udpOffload,
            MmsgOpener mmsg) {
        if (kind == PacketIoKind.MMSG) {
            try {
                return mmsg.open(local, reusePort, batch, udpOffload);
            } catch (UnsupportedOperationException e) {
                LOG.log(Level.WARNING, "--io mmsg unavailable ({0}); using --io channel", e.getMessage());
            }
        }
        return DatagramPacketIo.bind(local, reusePort);
    }

    /** The kind of an I/O {@link #bind} opened. */
    public static PacketIoKind kindOf(PacketIo io) {
        if (io instanceof MmsgPacketIo || io instanceof XdpPacketIo) {
            return PacketIoKind.MMSG;
        }
        if (io instanceof DatagramPacketIo) {
            return PacketIoKind.CHANNEL;
        }
        throw new IllegalArgumentException("not a socket I/O: " + io);
    }
}
