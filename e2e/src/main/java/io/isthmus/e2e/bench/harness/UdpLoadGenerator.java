package io.isthmus.e2e.bench.harness;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.locks.LockSupport;

import io.isthmus.control.Ipv4Addresses;
import io.isthmus.fastpath.io.LinuxSockets;
import io.isthmus.fastpath.io.MessageVector;

/**
 * A load generator process: VXLAN datagrams of {@code --flows} inner UDP flows, pre-built once, sent to
 * {@code --target} from {@code --sources} sockets (each its own source port, so a fastpath's {@code SO_REUSEPORT}
 * workers share them) in batches of {@code --batch} with {@code sendmmsg} ({@code --io mmsg}) or one
 * {@code DatagramChannel.send} per datagram ({@code --io channel}); as fast as it can, or paced to {@code --rate}
 * datagrams per second; for {@code --duration-s} seconds or {@code --count} datagrams, or until killed. Flow
 * {@code f} always leaves from socket {@code f % sources}, as a tunnel endpoint would send it. With {@code --gso G}
 * (mmsg only) each message carries {@code G} datagrams of consecutive flows as one UDP GSO send ({@code UDP_SEGMENT}),
 * cut into datagrams by the kernel: the generator then costs little CPU, and the receiver sees the same datagrams
 * (a socket without {@code UDP_GRO} gets them one by one, one with it coalesced).
 * <p>
 * Prints {@code SENT <System.nanoTime()> <total>} every {@code --report-ms} and a summary at the end; a line
 * {@code RATE <pps>} on stdin changes the rate (0 = flat out), for a parent searching the highest rate without loss.
 */
public final class UdpLoadGenerator {

    static final String USAGE = """
            usage: UdpLoadGenerator --target 127.0.0.1:<port> [--flows 1024] [--sources 8] [--batch 64]
                                    [--io mmsg|channel] [--gso 1] [--payload 64] [--vni 100] [--dst 198.51.100.7:53]
                                    [--rate 0 (pps, 0 = flat out)] [--duration-s 0] [--count 0] [--report-ms 200]""";

    private static volatile boolean running = true;
    /** Datagrams per second, 0 = flat out; {@code RATE <pps>} on stdin changes it. */
    private static volatile long rate;

    private UdpLoadGenerator() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, USAGE);
        InetSocketAddress target = Ipv4Addresses.parseSocketAddress(args.required("target"));
        int flows = args.integer("flows", 1024);
        int sources = Math.min(args.integer("sources", 8), flows);
        int batch = args.integer("batch", 64);
        int gso = Math.max(1, Math.min(args.integer("gso", 1), LinuxSockets.UDP_MAX_SEGMENTS));
        String io = args.string("io", "mmsg");
        int payload = args.integer("payload", 64);
        int vni = args.integer("vni", 100);
        InetSocketAddress dst = Ipv4Addresses.parseSocketAddress(args.string("dst", "198.51.100.7:53"));
        rate = args.number("rate", 0);
        long durationNanos = args.number("duration-s", 0) * 1_000_000_000L;
        long count = args.number("count", 0);
        long reportNanos = args.number("report-ms", 200) * 1_000_000L;

        byte[][] frames = new byte[flows][];
        for (int f = 0; f < flows; f++) {
            frames[f] = VxlanFrames.flow(vni, f, Ipv4Addresses.of(dst.getAddress()), dst.getPort(), payload);
        }
        Sender sender = io.equals("channel")
                ? new ChannelSender(frames, sources, target)
                : new MmsgSender(frames, sources, batch, gso, target);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> running = false));

        Thread.ofPlatform().daemon().name("rate").start(UdpLoadGenerator::readRates);

        long start = System.nanoTime();
        long nextReport = start + reportNanos;
        int perMessage = io.equals("channel") ? 1 : gso;
        long sent = 0;
        System.out.println("GENERATOR " + flows + " flows from " + sources + " source ports to " + target
                + ", " + (frames[0].length) + "-byte datagrams, --io " + io + ", batch " + batch + ", gso " + gso
                + (rate > 0 ? ", " + rate + " pps" : ", flat out"));
        System.out.flush();
        long pacedRate = -1;
        long nanosPerCall = 0;
        int messagesPerCall = batch;
        long nextCall = start;
        while (running) {
            long now = System.nanoTime();
            if (durationNanos > 0 && now - start >= durationNanos || count > 0 && sent >= count) {
                break;
            }
            long r = rate;
            if (r != pacedRate) {
                // paced: about a millisecond's worth per call, so the receiver sees a steady stream, not bursts
                pacedRate = r;
                messagesPerCall = r <= 0 ? batch : (int) Math.max(1, Math.min(batch, r / 1000 / perMessage));
                nanosPerCall = r <= 0 ? 0 : 1_000_000_000L * messagesPerCall * perMessage / r;
                nextCall = now;
            }
            if (nanosPerCall > 0) {
                if (now < nextCall) {
                    LockSupport.parkNanos(Math.min(nextCall - now, 100_000));
                    continue;
                }
                nextCall += nanosPerCall;
            }
            sent += sender.sendBatch(messagesPerCall);
            if (now >= nextReport) {
                System.out.println("SENT " + now + " " + sent);
                System.out.flush();
                nextReport = now + reportNanos;
            }
        }
        long elapsed = System.nanoTime() - start;
        System.out.println("SENT " + System.nanoTime() + " " + sent);
        System.out.printf("GENERATOR sent %d datagrams in %.2f s: %.0f pps%n", sent, elapsed / 1e9,
                sent * 1e9 / elapsed);
        System.out.flush();
        sender.close();
    }

    /** Reads {@code RATE <pps>} lines from stdin (0 = flat out). */
    private static void readRates() {
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in))) {
            for (String line; (line = in.readLine()) != null;) {
                if (line.startsWith("RATE ")) {
                    rate = Long.parseLong(line.substring(5).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no more rate changes
        }
    }

    private interface Sender {
        /** Sends up to {@code messages} messages (datagrams, or GSO messages of datagrams); returns datagrams sent. */
        int sendBatch(int batch) throws IOException;

        void close() throws IOException;
    }

    /**
     * Per source socket a vector of its flows' frames, {@code gso} per message, sent {@code batch} messages at a time,
     * round robin over sockets.
     */
    private static final class MmsgSender implements Sender {
        private final int[] fds;
        private final MessageVector[] vectors;
        private final int[] lengths;
        private final int[] next;
        private final MemorySegment errno;
        private final int gso;
        private int socket;

        MmsgSender(byte[][] frames, int sources, int batch, int gso, InetSocketAddress target) {
            this.gso = gso;
            if (!LinuxSockets.isAvailable()) {
                throw new IllegalStateException("--io mmsg needs the FFM socket calls: "
                        + LinuxSockets.unavailableReason());
            }
            fds = new int[sources];
            vectors = new MessageVector[sources];
            lengths = new int[sources];
            next = new int[sources];
            errno = LinuxSockets.allocateErrno(Arena.global());
            int address = Ipv4Addresses.of(target.getAddress());
            for (int s = 0; s < sources; s++) {
                fds[s] = LinuxSockets.openUdp(false);
                LinuxSockets.setIntOption(fds[s], LinuxSockets.SOL_SOCKET, LinuxSockets.SO_SNDBUF, 4 << 20);
                LinuxSockets.bind(fds[s], Ipv4Addresses.parse("127.0.0.1"), 0);
                int own = (frames.length - s + sources - 1) / sources;
                int messages = (own + gso - 1) / gso;
                // a whole number of batches, so every call sends a full batch: flows repeat round robin
                int capacity = ((Math.max(messages, batch) + batch - 1) / batch) * batch;
                int length = frames[0].length;
                MessageVector vector = new MessageVector(capacity, length * gso, true, gso > 1);
                for (int m = 0; m < capacity; m++) {
                    for (int g = 0; g < gso; g++) {
                        vector.slot(m).put(g * length, frames[s + ((m * gso + g) % own) * sources]);
                    }
                    vector.setData(m, vector.slotAddress(m), length * gso);
                    vector.setAddress(m, address, target.getPort());
                    if (gso > 1) {
                        vector.setSegmentSize(m, length);
                    }
                }
                vectors[s] = vector;
                lengths[s] = capacity;
            }
        }

        @Override
        public int sendBatch(int messages) {
            int s = socket;
            socket = (socket + 1) % fds.length;
            int from = next[s];
            int result = LinuxSockets.sendmmsg(fds[s], vectors[s].from(from), Math.min(messages, lengths[s] - from), 0,
                    errno);
            if (result <= 0) {
                if (result == -LinuxSockets.EIO || result == -LinuxSockets.EINVAL) {
                    throw new IllegalStateException("the kernel refused a GSO send (errno " + -result
                            + "): run with --gso 1");
                }
                return 0;
            }
            next[s] = (from + result) % lengths[s];
            return result * gso;
        }

        @Override
        public void close() {
            for (int fd : fds) {
                LinuxSockets.close(fd);
            }
        }
    }

    /** Per source socket a {@code DatagramChannel}; one system call per datagram. */
    private static final class ChannelSender implements Sender {
        private final DatagramChannel[] channels;
        private final ByteBuffer[] frames;
        private final InetSocketAddress target;
        private int next;

        ChannelSender(byte[][] frames, int sources, InetSocketAddress target) throws IOException {
            this.target = target;
            this.frames = new ByteBuffer[frames.length];
            for (int f = 0; f < frames.length; f++) {
                this.frames[f] = ByteBuffer.allocateDirect(frames[f].length).put(frames[f]).flip();
            }
            channels = new DatagramChannel[sources];
            for (int s = 0; s < sources; s++) {
                channels[s] = DatagramChannel.open(StandardProtocolFamily.INET);
                channels[s].setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
                channels[s].bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            }
        }

        @Override
        public int sendBatch(int messages) throws IOException {
            int sent = 0;
            for (int i = 0; i < messages; i++) {
                int f = next;
                next = (next + 1) % frames.length;
                frames[f].rewind();
                sent += channels[f % channels.length].send(frames[f], target) > 0 ? 1 : 0;
            }
            return sent;
        }

        @Override
        public void close() throws IOException {
            for (DatagramChannel channel : channels) {
                channel.close();
            }
        }
    }
}
