package io.isthmus.slowpath;

import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;

import io.isthmus.slowpath.policy.VnfPolicies;
import io.isthmus.vnf.process.VnfProcess;

/**
 * The slowpath process (docs/contracts.md): {@code java -cp <jar> io.isthmus.slowpath.SlowpathMain --vnf-type <type>
 * --instance-id <id> --control-port <udp port> --config-port <tcp port> [--bind 127.0.0.1]}. Runs until SIGTERM.
 * {@code --list-vnf-types} prints the VNF types on the class path, one a line, and exits: the VIM asks the runtime
 * jar which types it can run.
 */
public final class SlowpathMain {

    private static final System.Logger LOG = System.getLogger(SlowpathMain.class.getName());

    private SlowpathMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 1 && args[0].equals(VnfProcess.LIST_VNF_TYPES)) {
            VnfPolicies.types().forEach(System.out::println);
            return;
        }
        SlowpathOptions options;
        try {
            options = SlowpathOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(SlowpathOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.configSecret().isEmpty()) {
            LOG.log(Level.WARNING, "no " + VnfProcess.CONFIG_SECRET_ENV
                    + " in the environment: the config endpoint takes any caller");
        }
        Slowpath slowpath;
        try {
            slowpath = Slowpath.start(options);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "slowpath of " + options.instanceId() + " failed to start", e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            slowpath.close();
            stopped.countDown();
        }));
        LOG.log(Level.INFO, "slowpath {0} ({1}) control {2}, config http://{3}:{4,number,#}", options.instanceId(),
                options.vnfType(), slowpath.controlAddress(), slowpath.configAddress().getHostString(),
                slowpath.configAddress().getPort());
        stopped.await();
    }
}
