package io.isthmus.fastpath;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import io.isthmus.fastpath.control.Ipv4Addresses;
import io.isthmus.fastpath.flow.FlowTable;

/**
 * A fastpath process's options (docs/contracts.md): {@code --id <n> --data-port <udp port>
 * --slowpath <host:port> [--bind 127.0.0.1]}, plus tuning with defaults.
 *
 * @param id the fastpath id, unique within the VNF
 * @param bind the address to bind the data and control sockets to
 * @param dataPort the UDP port packets arrive on (0 picks one, for tests)
 * @param slowpath the slowpath's control endpoint
 * @param maxFlows the flow table's fixed capacity
 * @param maxNextHops the next-hop table's fixed capacity
 * @param puntRatePerSecond the punt rate above which misses are dropped and counted
 * @param puntBurst the punts allowed back to back
 * @param helloInterval how often to (re-)register with the slowpath
 */
public record FastpathOptions(int id, InetAddress bind, int dataPort, InetSocketAddress slowpath, int maxFlows,
        int maxNextHops, int puntRatePerSecond, int puntBurst, Duration helloInterval) {

    public static final int DEFAULT_MAX_FLOWS = 1 << 16;
    public static final int DEFAULT_MAX_NEXT_HOPS = 1024;
    public static final int DEFAULT_PUNT_RATE = 10_000;
    public static final int DEFAULT_PUNT_BURST = 256;
    public static final Duration DEFAULT_HELLO_INTERVAL = Duration.ofSeconds(1);

    static final String USAGE = """
            usage: FastpathMain --id <n> --data-port <udp port> --slowpath <host:port> [--bind 127.0.0.1]
                                [--max-flows 65536] [--max-next-hops 1024] [--punt-rate 10000] [--punt-burst 256]
                                [--hello-interval-ms 1000]""";

    /** Options with the defaults for everything but the identity and addresses. */
    public static FastpathOptions of(int id, InetAddress bind, int dataPort, InetSocketAddress slowpath) {
        return new FastpathOptions(id, bind, dataPort, slowpath, DEFAULT_MAX_FLOWS, DEFAULT_MAX_NEXT_HOPS,
                DEFAULT_PUNT_RATE, DEFAULT_PUNT_BURST, DEFAULT_HELLO_INTERVAL);
    }

    public FastpathOptions withHelloInterval(Duration interval) {
        return new FastpathOptions(id, bind, dataPort, slowpath, maxFlows, maxNextHops, puntRatePerSecond, puntBurst,
                interval);
    }

    public FastpathOptions withPuntLimit(int ratePerSecond, int burst) {
        return new FastpathOptions(id, bind, dataPort, slowpath, maxFlows, maxNextHops, ratePerSecond, burst,
                helloInterval);
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
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--id" -> id = intValue(name, value, 0, Integer.MAX_VALUE);
                case "--data-port" -> dataPort = intValue(name, value, 0, 65535);
                case "--slowpath" -> slowpath = Ipv4Addresses.parseSocketAddress(value);
                case "--bind" -> bind = value;
                case "--max-flows" -> maxFlows = intValue(name, value, 1, FlowTable.MAX_FLOWS);
                case "--max-next-hops" -> maxNextHops = intValue(name, value, 1, 1 << 16);
                case "--punt-rate" -> puntRate = intValue(name, value, 1, 1_000_000_000);
                case "--punt-burst" -> puntBurst = intValue(name, value, 1, 1 << 20);
                case "--hello-interval-ms" -> helloMillis = intValue(name, value, 10, 3_600_000);
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
                Duration.ofMillis(helloMillis));
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
