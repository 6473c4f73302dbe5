package io.isthmus.vnf.process;

import java.util.List;

/**
 * The VNF process contract (docs/contracts.md "VNF processes"), once: how a slowpath and a fastpath are started, which
 * ports they have, and what the slowpath's config endpoint answers. The VIM's drivers build command lines with it, the
 * processes parse their options with it, the VNFM calls the config endpoint with it.
 *
 * <pre>
 * java -cp isthmus-vnf-runtime.jar io.isthmus.slowpath.SlowpathMain --vnf-type &lt;type&gt; --instance-id &lt;id&gt;
 *      --control-port &lt;udp&gt; --config-port &lt;tcp&gt; [--bind 127.0.0.1]        env ISTHMUS_CONFIG_SECRET
 * java -cp isthmus-vnf-runtime.jar io.isthmus.fastpath.FastpathMain --id &lt;n&gt; --data-port &lt;udp&gt;
 *      --slowpath &lt;host:control port&gt; [--bind 127.0.0.1]
 * java -cp isthmus-vnf-runtime.jar io.isthmus.slowpath.SlowpathMain --list-vnf-types   (one type a line)
 * </pre>
 *
 * Ready: the slowpath's {@code GET /health} answers {@code {"status":"UP","fastpaths":n}} with every fastpath counted.
 * {@code PUT /config}, {@code GET /config} and {@code GET /stats} need {@code Authorization: Bearer <secret>} when the
 * slowpath was given a secret; {@code /health} never does (probes).
 */
public final class VnfProcess {

    public static final String SLOWPATH_MAIN = "io.isthmus.slowpath.SlowpathMain";
    public static final String FASTPATH_MAIN = "io.isthmus.fastpath.FastpathMain";

    /** Slowpath: the VNF type whose policy to run. */
    public static final String VNF_TYPE = "--vnf-type";
    /** Slowpath: the VNF instance it serves (logs). */
    public static final String INSTANCE_ID = "--instance-id";
    /** Slowpath: the UDP port fastpaths talk to. */
    public static final String CONTROL_PORT = "--control-port";
    /** Slowpath: the TCP port of the config endpoint. */
    public static final String CONFIG_PORT = "--config-port";
    /** Both: the address to bind to. */
    public static final String BIND = "--bind";
    /** Slowpath, alone: print the VNF types the runtime runs, one a line, and exit. */
    public static final String LIST_VNF_TYPES = "--list-vnf-types";
    /** Fastpath: its numeric id, unique within the VNF. */
    public static final String ID = "--id";
    /** Fastpath: the UDP port packets (VXLAN) arrive on. */
    public static final String DATA_PORT = "--data-port";
    /** Fastpath: its slowpath's control endpoint, host:port. */
    public static final String SLOWPATH = "--slowpath";

    /** The slowpath's ports and the fastpath's, by the names the VIM API and Kubernetes use. */
    public static final String CONTROL = "control";
    public static final String CONFIG = "config";
    public static final String DATA = "data";

    /** Paths of the slowpath's config endpoint. */
    public static final String HEALTH_PATH = "/health";
    public static final String CONFIG_PATH = "/config";
    public static final String STATS_PATH = "/stats";

    /**
     * The environment variable that carries the slowpath's config secret: the bearer token its config endpoint asks
     * for. An environment variable, not a flag, so that it is not on the command line for every user to read.
     */
    public static final String CONFIG_SECRET_ENV = "ISTHMUS_CONFIG_SECRET";

    private VnfProcess() {
    }

    /** The slowpath's arguments after its main class. */
    public static List<String> slowpathArgs(String vnfType, String instanceId, int controlPort, int configPort,
            String bind) {
        return List.of(VNF_TYPE, vnfType, INSTANCE_ID, instanceId, CONTROL_PORT, Integer.toString(controlPort),
                CONFIG_PORT, Integer.toString(configPort), BIND, bind);
    }

    /** A fastpath's arguments after its main class (without {@code --id} where a shell adds it). */
    public static List<String> fastpathArgs(int dataPort, String slowpath, String bind) {
        return List.of(DATA_PORT, Integer.toString(dataPort), SLOWPATH, slowpath, BIND, bind);
    }
}
