package io.isthmus.slowpath;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

import io.isthmus.vnf.process.VnfProcess;

import io.isthmus.slowpath.control.ControlQueue;
import io.isthmus.slowpath.control.FastpathRegistry;
import io.isthmus.slowpath.control.RouteDistributor;

/**
 * A slowpath process's options (docs/contracts.md): {@code --vnf-type <type> --instance-id <id>
 * --control-port <udp port> --config-port <tcp port> [--bind 127.0.0.1]}, plus tuning with defaults.
 *
 * @param vnfType the VNF type whose policy to load
 * @param instanceId the VNF instance this slowpath serves (for logs)
 * @param bind the address to bind both ports to
 * @param controlPort the UDP port fastpaths talk to (0 picks one, for tests)
 * @param configPort the TCP port of the HTTP config endpoint (0 picks one, for tests)
 * @param fastpathExpiry how long a silent fastpath stays registered
 * @param statsTimeout how long {@code GET /stats} waits for fastpaths to answer
 * @param puntQueueBytes the size of the bounded queue between the control socket and the policy; punts beyond it are
 *        dropped and counted
 * @param configSecret the bearer token {@code /config} asks of every caller
 *        ({@value VnfProcess#CONFIG_SECRET_ENV}); empty: no authentication (tests, a slowpath run by hand)
 * @param routeLiveTimeout how long {@code PUT /config} and {@code PUT /snapshot} wait for the route tables they
 *        changed to be live in every fastpath that takes route tables before answering (204 either way)
 * @param routeLogBytes the route-table deltas kept for fastpaths that fall behind; one further behind gets a snapshot
 * @param routeWindow route-table messages in flight to one fastpath (within its control socket's receive buffer)
 */
public record SlowpathOptions(String vnfType, String instanceId, InetAddress bind, int controlPort, int configPort,
        Duration fastpathExpiry, Duration statsTimeout, int puntQueueBytes, Optional<String> configSecret,
        Duration routeLiveTimeout, long routeLogBytes, int routeWindow) {

    public static final Duration DEFAULT_STATS_TIMEOUT = Duration.ofMillis(500);
    /** About 8,000 punts of small packets: 16 ms of work at 500,000 new flows per second. */
    public static final int DEFAULT_PUNT_QUEUE_BYTES = 1 << 20;
    public static final Duration DEFAULT_ROUTE_LIVE_TIMEOUT = Duration.ofSeconds(5);

    static final String USAGE = """
            usage: SlowpathMain --list-vnf-types
                   SlowpathMain --vnf-type <type> --instance-id <id> --control-port <udp port> --config-port <tcp port>
                                [--bind 127.0.0.1] [--fastpath-expiry-ms 5000] [--stats-timeout-ms 500]
                                [--punt-queue-kib 1024] [--route-live-timeout-ms 5000] [--route-log-mib 32]
                                [--route-window 256]""";

    public static SlowpathOptions of(String vnfType, String instanceId, InetAddress bind, int controlPort,
            int configPort) {
        return new SlowpathOptions(vnfType, instanceId, bind, controlPort, configPort,
                FastpathRegistry.DEFAULT_EXPIRY, DEFAULT_STATS_TIMEOUT, DEFAULT_PUNT_QUEUE_BYTES, Optional.empty(),
                DEFAULT_ROUTE_LIVE_TIMEOUT, RouteDistributor.DEFAULT_LOG_BYTES, RouteDistributor.DEFAULT_WINDOW);
    }

    /** The same options with a config secret. */
    public SlowpathOptions withConfigSecret(String secret) {
        return new SlowpathOptions(vnfType, instanceId, bind, controlPort, configPort, fastpathExpiry, statsTimeout,
                puntQueueBytes, Optional.of(secret), routeLiveTimeout, routeLogBytes, routeWindow);
    }

    /** The same options with another punt queue size. */
    public SlowpathOptions withPuntQueueBytes(int bytes) {
        return new SlowpathOptions(vnfType, instanceId, bind, controlPort, configPort, fastpathExpiry, statsTimeout,
                bytes, configSecret, routeLiveTimeout, routeLogBytes, routeWindow);
    }

    /** The same options with other route-table distribution settings. */
    public SlowpathOptions withRoutes(Duration liveTimeout, long logBytes, int window) {
        return new SlowpathOptions(vnfType, instanceId, bind, controlPort, configPort, fastpathExpiry, statsTimeout,
                puntQueueBytes, configSecret, liveTimeout, logBytes, window);
    }

    /**
     * Parses command-line arguments.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public static SlowpathOptions parse(String... args) {
        return parseWithSecret(System.getenv(VnfProcess.CONFIG_SECRET_ENV), args);
    }

    /** Parses command-line arguments, with the config secret the environment gave (null: none). */
    static SlowpathOptions parseWithSecret(String configSecret, String... args) {
        String vnfType = null;
        String instanceId = null;
        Integer controlPort = null;
        Integer configPort = null;
        String bind = "127.0.0.1";
        long expiryMillis = FastpathRegistry.DEFAULT_EXPIRY.toMillis();
        long statsMillis = DEFAULT_STATS_TIMEOUT.toMillis();
        int queueKib = DEFAULT_PUNT_QUEUE_BYTES / 1024;
        long routeLiveMillis = DEFAULT_ROUTE_LIVE_TIMEOUT.toMillis();
        int routeLogMib = (int) (RouteDistributor.DEFAULT_LOG_BYTES >> 20);
        int routeWindow = RouteDistributor.DEFAULT_WINDOW;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + name);
            }
            String value = args[++i];
            switch (name) {
                case VnfProcess.VNF_TYPE -> vnfType = value;
                case VnfProcess.INSTANCE_ID -> instanceId = value;
                case VnfProcess.CONTROL_PORT -> controlPort = port(name, value);
                case VnfProcess.CONFIG_PORT -> configPort = port(name, value);
                case VnfProcess.BIND -> bind = value;
                case "--fastpath-expiry-ms" -> expiryMillis = number(name, value, 100, 3_600_000);
                case "--stats-timeout-ms" -> statsMillis = number(name, value, 1, 60_000);
                case "--punt-queue-kib" -> queueKib = number(name, value, ControlQueue.MIN_CAPACITY / 1024,
                        ControlQueue.MAX_CAPACITY / 1024);
                case "--route-live-timeout-ms" -> routeLiveMillis = number(name, value, 0, 600_000);
                case "--route-log-mib" -> routeLogMib = number(name, value, 1, 4096);
                case "--route-window" -> routeWindow = number(name, value, 1, 2048);
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
                Duration.ofMillis(expiryMillis), Duration.ofMillis(statsMillis), queueKib * 1024,
                Optional.ofNullable(configSecret).filter(secret -> !secret.isBlank()),
                Duration.ofMillis(routeLiveMillis), (long) routeLogMib << 20, routeWindow);
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
