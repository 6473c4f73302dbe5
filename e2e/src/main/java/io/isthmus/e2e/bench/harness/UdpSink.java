package io.isthmus.e2e.bench.harness;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import io.isthmus.control.Ipv4Addresses;
import io.isthmus.fastpath.io.LinuxSockets;
import io.isthmus.fastpath.io.MessageVector;

/**
 * A sink process: counts the datagrams arriving on {@code --port} (0 picks one), with blocking {@code recvmmsg} in
 * batches ({@code --io mmsg}, waking on the first datagram; with {@code UDP_GRO} unless {@code --gro off}, counting
 * the segments of coalesced datagrams) or a blocking {@code DatagramChannel}. Prints
 * {@code LISTENING <port>} once bound, then {@code COUNT <System.nanoTime()> <total> <bytes>} every
 * {@code --report-ms}, so a parent process can take the rate over any window. Runs until killed.
 */
public final class UdpSink {

    static final String USAGE = "usage: UdpSink [--port 0] [--bind 127.0.0.1] [--io mmsg|channel] [--batch 64]"
            + " [--gro on|off] [--report-ms 100]";

    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    private UdpSink() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, USAGE);
        int port = args.integer("port", 0);
        String bind = args.string("bind", "127.0.0.1");
        String io = args.string("io", "mmsg");
        int batch = args.integer("batch", 64);
        long reportMillis = args.number("report-ms", 100);
        // [0] datagrams, [1] bytes: written by the receiving thread, read by the reporter
        long[] counts = new long[2];
        boolean gro = !args.string("gro", "on").equals("off");
        Runnable receiver = io.equals("channel")
                ? channelReceiver(bind, port, counts)
                : mmsgReceiver(bind, port, batch, gro, counts);
        Thread thread = Thread.ofPlatform().name("sink").daemon().start(receiver);
        while (thread.isAlive()) {
            Thread.sleep(reportMillis);
            System.out.println("COUNT " + System.nanoTime() + " " + (long) COUNTS.getOpaque(counts, 0) + " "
                    + (long) COUNTS.getOpaque(counts, 1));
            System.out.flush();
        }
    }

    private static Runnable mmsgReceiver(String bind, int port, int batch, boolean gro, long[] counts) {
        int fd = LinuxSockets.openUdp(false);
        LinuxSockets.setIntOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_RCVBUF, 4 << 20);
        boolean coalesced = gro && LinuxSockets.trySetIntOption(fd, LinuxSockets.SOL_UDP, LinuxSockets.UDP_GRO, 1);
        LinuxSockets.bind(fd, Ipv4Addresses.parse(bind), port);
        LinuxSockets.setReceiveTimeout(fd, 100);
        listening(LinuxSockets.localPort(fd) + (coalesced ? " GRO" : ""));
        MessageVector vector = new MessageVector(batch, 65_536, false, coalesced);
        MemorySegment errno = LinuxSockets.allocateErrno(Arena.global());
        return () -> {
            while (true) {
                if (coalesced) {
                    for (int i = 0; i < batch; i++) {
                        vector.resetControl(i);
                    }
                }
                int received = LinuxSockets.recvmmsg(fd, vector.segment(), batch, LinuxSockets.MSG_WAITFORONE,
                        errno);
                if (received > 0) {
                    long bytes = 0;
                    long datagrams = 0;
                    for (int i = 0; i < received; i++) {
                        int length = vector.length(i);
                        int segment = coalesced ? vector.groSegmentSize(i) : 0;
                        datagrams += segment > 0 ? (length + segment - 1) / segment : 1;
                        bytes += length;
                    }
                    COUNTS.setOpaque(counts, 0, counts[0] + datagrams);
                    COUNTS.setOpaque(counts, 1, counts[1] + bytes);
                }
            }
        };
    }

    private static Runnable channelReceiver(String bind, int port, long[] counts) throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(new InetSocketAddress(InetAddress.getByName(bind), port));
        listening(((InetSocketAddress) channel.getLocalAddress()).getPort());
        ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
        return () -> {
            try {
                while (true) {
                    buffer.clear();
                    channel.receive(buffer);
                    COUNTS.setOpaque(counts, 0, counts[0] + 1);
                    COUNTS.setOpaque(counts, 1, counts[1] + buffer.position());
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static void listening(Object port) {
        System.out.println("LISTENING " + port);
        System.out.flush();
    }
}
