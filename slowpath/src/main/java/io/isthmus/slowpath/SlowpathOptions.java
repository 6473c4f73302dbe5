package io.isthmus.slowpath;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import io.isthmus.slowpath.control.FastpathRegistry;

/**
 * A slowpath process's options (docs/contracts.md): {@code --vnf-type nat --instance-id <id>
 * --control-port <udp port> --config-port <tcp port> [--bind 127.0.0.1]}, plus tuning with defaults.
 *
 * @param vnfType the VNF type whose policy to load
 * @param instanceId the VNF instance this slowpath serves (for logs)
 * @param bind the address to bind both ports to
 * @param controlPort the UDP port fastpaths talk to (0 picks one, for tests)
 * @param configPort the TCP port of the HTTP config endpoint (0 picks one, for tests)
 * @param fastpathExpiry how long a silent fastpath stays registered
 * @param statsTimeout how long {@code GET /stats} waits for fastpaths to answer
 */
public record SlowpathOptions(String vnfType, String instanceId, InetAddress bind, int controlPort, int configPort,
        Duration fastpathExpiry, Duration statsTimeout) {

    public static final Duration DEFAULT_STATS_TIMEOUT = Duration.ofMillis(500);

    static final String USAGE = """
            usage: SlowpathMain --vnf-type <type> --instance-id <id> --control-port <udp port> --config-port <tcp port>
                                [--bind 127.0.0.1] [--fastpath-expiry-ms 5000] [--stats-timeout-ms 500]""";

    public static SlowpathOptions of(String vnfType, String instanceId, InetAddress bind, int controlPort,
            int configPort) {
        return new SlowpathOptions(vnfType, instanceId, bind, controlPort, configPort,
                FastpathRegistry.DEFAULT_EXPIRY, DEFAULT_STATS_TIMEOUT);
    }

    /**
     * Parses command-line arguments.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public static SlowpathOptions parse(String... args) {
        String vnfType = null;
        String instanceId = null;
        Integer controlPort = null;
        Integer configPort = null;
        String bind = "127.0.0.1";
        long expiryMillis = FastpathRegistry.DEFAULT_EXPIRY.toMillis();
        long statsMillis = DEFAULT_STATS_TIMEOUT.toMillis();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--vnf-type" -> vnfType = value;
                case "--instance-id" -> instanceId = value;
                case "--control-port" -> controlPort = port(name, value);
                case "--config-port" -> configPort = port(name, value);
                case "--bind" -> bind = value;
                case "--fastpath-expiry-ms" -> expiryMillis = number(name, value, 100, 3_600_000);
                case "--stats-timeout-ms" -> statsMillis = number(name, value, 1, 60_000);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (vnfType == null || instanceId == null || controlPort == null || configPort == null) {
            throw new IllegalArgumentException(
                    "--vnf-type, --instance-id, --control-port and --config-port are required");
        }
        InetAddress bindAddress;
        try {
            bindAddress = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown --bind address " + bind, e);
        }
        return new SlowpathOptions(vnfType, instanceId, bindAddress, controlPort, configPort,
                Duration.ofMillis(expiryMillis), Duration.ofMillis(statsMillis));
    }

    private static int port(String name, String value) {
        return number(name, value, 0, 65535);
    }

    private static int number(String name, String value, int min, int max) {
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
