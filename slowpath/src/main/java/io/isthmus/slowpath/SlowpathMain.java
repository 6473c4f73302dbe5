package io.isthmus.slowpath;

import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;

/**
 * The slowpath process (docs/contracts.md): {@code java -cp <jar> io.isthmus.slowpath.SlowpathMain --vnf-type nat
 * --instance-id <id> --control-port <udp port> --config-port <tcp port> [--bind 127.0.0.1]}. Runs until SIGTERM.
 */
public final class SlowpathMain {

    private static final System.Logger LOG = System.getLogger(SlowpathMain.class.getName());

    private SlowpathMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SlowpathOptions options;
        try {
            options = SlowpathOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(SlowpathOptions.USAGE);
            System.exit(2);
            return;
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
