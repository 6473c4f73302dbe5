package io.isthmus.fastpath;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

import io.isthmus.vnf.process.VnfProcess;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.fastpath.flow.FlowTable;
import io.isthmus.fastpath.io.LinuxSockets;
import io.isthmus.fastpath.io.MmsgPacketIo;
import io.isthmus.fastpath.io.PacketIoKind;

/**
 * A fastpath process's options (docs/contracts.md): {@code --id <n> --data-port <udp port>
 * --slowpath <host:port> [--bind 127.0.0.1]}, plus tuning with defaults.
 *
 * @param id the fastpath id, unique within the VNF (below 2^24: worker {@code w > 0} registers as
 *        {@code id + w * 2^24}, see {@link Fastpath#workerId})
 * @param bind the address to bind the data and control sockets to
 * @param dataPort the UDP port packets arrive on (0 picks one, for tests)
 * @param slowpath the slowpath's control endpoint
 * @param maxFlows the flow table's fixed capacity
 * @param maxNextHops the next-hop table's fixed capacity
 * @param puntRatePerSecond the punt rate above which misses are dropped and counted
 * @param puntBurst the punts allowed back to back
 * @param helloInterval how often to (re-)register with the slowpath
 * @param workers worker threads sharing the data port through {@code SO_REUSEPORT}, each with its own socket, flow
 *        table and counters
 * @param io the data port's I/O; {@link PacketIoKind#MMSG} falls back to {@link PacketIoKind#CHANNEL} where the FFM
 *        calls are unavailable
 * @param batch datagrams per {@code recvmmsg}/{@code sendmmsg} call
 * @param gso with {@link PacketIoKind#MMSG}: UDP GSO on send and GRO on receive where the kernel has them, so the
 *        kernel's UDP path is paid per batch of same-size packets to one next hop rather than per packet
 * @param xdpDevice a network device to receive the data port's datagrams from through AF_XDP
 *        ({@code io.XdpPacketIo}, root only, one worker, mmsg with GSO), or null for the UDP socket alone
 */
public record FastpathOptions(int id, InetAddress bind, int dataPort, InetSocketAddress slowpath, int maxFlows,
        int maxNextHops, int puntRatePerSecond, int puntBurst, Duration helloInterval, int workers, PacketIoKind io,
        int batch, boolean gso, String xdpDevice) {

    /** The largest id: worker ids are {@code id + worker * 2^24}. */
    public static final int MAX_ID = Fastpath.WORKER_ID_STRIDE - 1;
    public static final int MAX_WORKERS = Fastpath.MAX_WORKERS;
    public static final int DEFAULT_MAX_FLOWS = 1 << 20;
    public static final int DEFAULT_MAX_NEXT_HOPS = 1024;
    public static final int DEFAULT_PUNT_RATE = 10_000;
    public static final int DEFAULT_PUNT_BURST = 256;
    public static final Duration DEFAULT_HELLO_INTERVAL = HelloFlyweight.DEFAULT_INTERVAL;
    public static final int DEFAULT_WORKERS = 1;
    public static final int DEFAULT_BATCH = MmsgPacketIo.DEFAULT_BATCH;

    static final String USAGE = """
            usage: FastpathMain --id <n> --data-port <udp port> --slowpath <host:port> [--bind 127.0.0.1]
                                [--workers 1] [--io mmsg|channel] [--batch 32] [--gso on|off]
                                [--max-flows 1048576] [--max-next-hops 1024] [--punt-rate 10000] [--punt-burst 256]
                                [--hello-interval-ms 1000] [--xdp-dev <device>]
              --io defaults to mmsg (recvmmsg/sendmmsg through the FFM API) on Linux and falls back to channel
              (JDK DatagramChannel) where the native calls are unavailable; --gso (mmsg only) sends same-size
              packets to one next hop as one UDP GSO message and receives coalesced (GRO) datagrams; --xdp-dev
              receives the data port's datagrams arriving on that device through AF_XDP (root, 1 worker, mmsg)""";

    /** Options with the defaults for everything but the identity and addresses. */
    public static FastpathOptions of(int id, InetAddress bind, int dataPort, InetSocketAddress slowpath) {
        return new FastpathOptions(id, bind, dataPort, slowpath, DEFAULT_MAX_FLOWS, DEFAULT_MAX_NEXT_HOPS,
                DEFAULT_PUNT_RATE, DEFAULT_PUNT_BURST, DEFAULT_HELLO_INTERVAL, DEFAULT_WORKERS,
                PacketIoKind.preferred(), DEFAULT_BATCH, true, null);
    }

    /** Checks what the canonical constructor's callers (tests, {@link #parse}) may get wrong. */
    public FastpathOptions {
        if (id < 0 || id > MAX_ID) {
            throw new IllegalArgumentException("--id must be in 0.." + MAX_ID + ", got " + id);
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("--workers must be in 1.." + MAX_WORKERS + ", got " + workers);
        }
        Objects.requireNonNull(io, "io");
        if (batch < 1 || batch > LinuxSockets.MAX_MESSAGES_PER_CALL) {
            throw new IllegalArgumentException(
                    "--batch must be in 1.." + LinuxSockets.MAX_MESSAGES_PER_CALL + ", got " + batch);
        }
        if (xdpDevice != null && (workers != 1 || io != PacketIoKind.MMSG || !gso)) {
            throw new IllegalArgumentException("--xdp-dev needs --workers 1, --io mmsg and --gso on");
        }
    }

    public FastpathOptions withHelloInterval(Duration interval) {
        return new FastpathOptions(id, bind, dataPort, slowpath, maxFlows, maxNextHops, puntRatePerSecond, puntBurst,
                interval, workers, io, batch, gso, xdpDevice);
    }

    public FastpathOptions withPuntLimit(int ratePerSecond, int burst) {
        return new FastpathOptions(id, bind, dataPort, slowpath, maxFlows, maxNextHops, ratePerSecond, burst,
                helloInterval, workers, io, batch, gso, xdpDevice);
    }

    public FastpathOptions withMaxFlows(int flows) {
        return new FastpathOptions(id, bind, dataPort, slowpath, flows, maxNextHops, puntRatePerSecond, puntBurst,
                helloInterval, workers, io, batch, gso, xdpDevice);
    }

    /** {@code count} workers on the data port, and the I/O and batch they use. */
    public FastpathOptions withWorkers(int count, PacketIoKind kind, int batchSize) {
        return new FastpathOptions(id, bind, dataPort, slowpath, maxFlows, maxNextHops, puntRatePerSecond, puntBurst,
                helloInterval, count, kind, batchSize, gso, xdpDevice);
    }

    /** Receives through AF_XDP on {@code device} (null: not). */
    public FastpathOptions withXdpDevice(String device) {
        return new FastpathOptions(id, bind, dataPort, slowpath, maxFlows, maxNextHops, puntRatePerSecond, puntBurst,
                helloInterval, workers, io, batch, gso, device);
    }

    /** UDP GSO/GRO on or off (mmsg only). */
    public FastpathOptions withGso(boolean on) {
        return new FastpathOptions(id, bind, dataPort, slowpath, maxFlows, maxNextHops, puntRatePerSecond, puntBurst,
                helloInterval, workers, io, batch, on, xdpDevice);
    }

    /**
     * Parses command-line arguments.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public static FastpathOptions parse(String... args) {
        Integer id = null;
        Integer dataPort = null;
        InetSocketAddress slowpath = null;
        String bind = "127.0.0.1";
        int maxFlows = DEFAULT_MAX_FLOWS;
        int maxNextHops = DEFAULT_MAX_NEXT_HOPS;
        int puntRate = DEFAULT_PUNT_RATE;
        int puntBurst = DEFAULT_PUNT_BURST;
        long helloMillis = DEFAULT_HELLO_INTERVAL.toMillis();
        int workers = DEFAULT_WORKERS;
        PacketIoKind io = PacketIoKind.preferred();
        int batch = DEFAULT_BATCH;
        boolean gso = true;
        String xdpDevice = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + name);
            }
            String value = args[++i];
            switch (name) {
                case VnfProcess.ID -> id = intValue(name, value, 0, MAX_ID);
                case VnfProcess.DATA_PORT -> dataPort = intValue(name, value, 0, 65535);
                case VnfProcess.SLOWPATH -> slowpath = Ipv4Addresses.parseSocketAddress(value);
                case VnfProcess.BIND -> bind = value;
                case "--max-flows" -> maxFlows = intValue(name, value, 1, FlowTable.MAX_FLOWS);
                case "--max-next-hops" -> maxNextHops = intValue(name, value, 1, 1 << 16);
                case "--punt-rate" -> puntRate = intValue(name, value, 1, 1_000_000_000);
                case "--punt-burst" -> puntBurst = intValue(name, value, 1, 1 << 20);
                case "--hello-interval-ms" -> helloMillis = intValue(name, value, 10, 3_600_000);
                case "--workers" -> workers = intValue(name, value, 1, MAX_WORKERS);
                case "--io" -> io = PacketIoKind.parse(value);
                case "--batch" -> batch = intValue(name, value, 1, LinuxSockets.MAX_MESSAGES_PER_CALL);
                case "--gso" -> gso = onOff(name, value);
                case "--xdp-dev" -> xdpDevice = value;
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (id == null || dataPort == null || slowpath == null) {
            throw new IllegalArgumentException("--id, --data-port and --slowpath are required");
        }
        InetAddress bindAddress;
        try {
            bindAddress = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown --bind address " + bind, e);
        }
        return new FastpathOptions(id, bindAddress, dataPort, slowpath, maxFlows, maxNextHops, puntRate, puntBurst,
                Duration.ofMillis(helloMillis), workers, io, batch, gso, xdpDevice);
    }

    private static boolean onOff(String name, String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be on or off, got " + value);
        };
    }

    private static int intValue(String name, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value);
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", got " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got " + value, e);
        }
    }
}
