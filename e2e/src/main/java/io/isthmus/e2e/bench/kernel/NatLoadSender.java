package io.isthmus.e2e.bench.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.isthmus.e2e.bench.harness.VxlanFrames;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.fastpath.io.LinuxSockets;
import io.isthmus.fastpath.io.MessageVector;

/**
 * The sender of benchmark 5, one thread, {@code sendmmsg} in batches of {@code --batch}, paced to {@code --rate}
 * datagrams per second (0: as fast as it can) for {@code --duration-s}. The same inner traffic two ways:
 * {@code --flows} UDP flows from inside endpoints {@code --inner-src} (its port, +1, +2, ...) to one remote endpoint
 * {@code --inner-dst}, {@code --payload} bytes each,
 * <ul>
 * <li>{@code --mode plain}: as plain UDP datagrams from one socket per flow, for the kernel to route and
 * masquerade;</li>
 * <li>{@code --mode vxlan}: inside VXLAN (VNI {@code --vni}) from one socket to a fastpath at {@code --target}, as a
 * tunnel endpoint would send them.</li>
 * </ul>
 * Prints {@code SENT <System.nanoTime()> <total>} every 20 ms, so a parent can take the rate over any window, and a
 * summary line when done.
 */
public final class NatLoadSender {

    static final String USAGE = """
            usage: NatLoadSender --mode plain|vxlan --bind <address> [--target <fastpath host:port> (vxlan)]
                                 [--inner-src 10.77.1.2:40000] [--inner-dst 192.168.77.2:5000] [--flows 64]
                                 [--payload 18] [--vni 100] [--batch 16] [--rate 0] [--duration-s 10]""";

    /** VXLAN, Ethernet, IPv4 and UDP headers in front of the payload. */

    private static volatile boolean running = true;
    private static volatile long sent;

    private NatLoadSender() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parse(argv);
        String mode = required(args, "mode");
        int bind = Ipv4Addresses.parse(required(args, "bind"));
        InetSocketAddress innerSrc = Ipv4Addresses.parseSocketAddress(args.getOrDefault("inner-src",
                "10.77.1.2:40000"));
        InetSocketAddress innerDst = Ipv4Addresses.parseSocketAddress(args.getOrDefault("inner-dst",
                "192.168.77.2:5000"));
        int flows = Integer.parseInt(args.getOrDefault("flows", "64"));
        int payload = Integer.parseInt(args.getOrDefault("payload", "18"));
        int vni = Integer.parseInt(args.getOrDefault("vni", "100"));
        int batch = Integer.parseInt(args.getOrDefault("batch", "16"));
        long rate = Long.parseLong(args.getOrDefault("rate", "0"));
        long durationNanos = Long.parseLong(args.getOrDefault("duration-s", "10")) * 1_000_000_000L;
        if (!LinuxSockets.isAvailable()) {
            throw new IllegalStateException("sendmmsg through FFM is unavailable: " + LinuxSockets.unavailableReason()
                    + " (run with --enable-native-access=ALL-UNNAMED on Linux)");
        }
        boolean vxlan = switch (mode) {
            case "plain" -> false;
            case "vxlan" -> true;
            default -> throw new IllegalArgumentException("--mode plain|vxlan\n" + USAGE);
        };
        int src = Ipv4Addresses.of(innerSrc.getAddress());
        int dst = Ipv4Addresses.of(innerDst.getAddress());
        InetSocketAddress target = vxlan ? Ipv4Addresses.parseSocketAddress(required(args, "target")) : null;

        // plain: a socket per flow (its own source port), each with a batch of its datagrams;
        // vxlan: one socket, the flows' frames round robin
        int sockets = vxlan ? 1 : flows;
        int[] fds = new int[sockets];
        MessageVector[] vectors = new MessageVector[sockets];
        int[] capacities = new int[sockets];
        for (int s = 0; s < sockets; s++) {
            int capacity = vxlan ? ((Math.max(flows, batch) + batch - 1) / batch) * batch : batch;
            MessageVector vector = new MessageVector(capacity, VxlanFrames.HEADERS + payload, true, false);
            for (int m = 0; m < capacity; m++) {
                int flow = vxlan ? m % flows : s;
                ByteBuffer slot = vector.slot(m);
                if (vxlan) {
                    int length = VxlanFrames.write(slot, vni, src, innerSrc.getPort() + flow, dst, innerDst.getPort(),
                            payload, flow);
                    vector.setData(m, vector.slotAddress(m), length);
                    vector.setAddress(m, Ipv4Addresses.of(target.getAddress()), target.getPort());
                } else {
                    for (int i = 0; i < payload; i++) {
                        slot.put(i, (byte) (flow + i));
                    }
                    vector.setData(m, vector.slotAddress(m), payload);
                    vector.setAddress(m, dst, innerDst.getPort());
                }
            }
            fds[s] = LinuxSockets.openUdp(false);
            LinuxSockets.setIntOption(fds[s], LinuxSockets.SOL_SOCKET, LinuxSockets.SO_SNDBUF, 4 << 20);
            LinuxSockets.bind(fds[s], bind, vxlan ? 0 : innerSrc.getPort() + s);
            vectors[s] = vector;
            capacities[s] = capacity;
        }
        MemorySegment errno = LinuxSockets.allocateErrno(Arena.global());
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> running = false));
        Thread.ofPlatform().daemon(true).name("report").start(() -> {
            while (running) {
                LockSupport.parkNanos(20_000_000L);
                System.out.println("SENT " + System.nanoTime() + " " + sent);
                System.out.flush();
            }
        });
        System.out.printf("SENDER %s: %d flows, %d-byte %s, batch %d, %s, for %d s%n", mode, flows,
                vxlan ? VxlanFrames.HEADERS + payload : payload,
                vxlan ? "VXLAN datagrams to " + args.get("target") : "UDP payloads to " + innerDst, batch,
                rate > 0 ? rate + " pps" : "flat out", durationNanos / 1_000_000_000L);
        System.out.flush();

        long start = System.nanoTime();
        long nanosPerBatch = rate > 0 ? 1_000_000_000L * batch / rate : 0;
        long nextBatch = start;
        long total = 0;
        long errors = 0;
        int socket = 0;
        int[] next = new int[sockets];
        while (running) {
            long now = System.nanoTime();
            if (now - start >= durationNanos) {
                break;
            }
            if (nanosPerBatch > 0) {
                if (now < nextBatch) {
                    Thread.onSpinWait();
                    continue;
                }
                // behind schedule by more than a few batches: do not burst to catch up
                nextBatch = Math.max(nextBatch + nanosPerBatch, now - 4 * nanosPerBatch);
            }
            int result = LinuxSockets.sendmmsg(fds[socket], vectors[socket].from(next[socket]), batch, 0, errno);
            if (result > 0) {
                total += result;
                sent = total;
                next[socket] = (next[socket] + batch) % capacities[socket];
            } else {
                errors++;
            }
            socket = socket + 1 == sockets ? 0 : socket + 1;
        }
        long elapsed = System.nanoTime() - start;
        System.out.printf("SENDER sent %d datagrams in %.2f s: %.0f pps (%d failed calls)%n", total, elapsed / 1e9,
                total * 1e9 / elapsed, errors);
        System.out.flush();
        for (int fd : fds) {
            LinuxSockets.close(fd);
        }
    }

    static Map<String, String> parse(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --name value at " + argv[i] + "\n" + USAGE);
            }
            args.put(argv[i].substring(2), argv[++i]);
        }
        return args;
    }

    static String required(Map<String, String> args, String name) {
        String value = args.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required\n" + USAGE);
        }
        return value;
    }
}
