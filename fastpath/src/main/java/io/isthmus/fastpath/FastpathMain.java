package io.isthmus.fastpath;

import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;

/**
 * The fastpath process (docs/contracts.md): {@code java -cp <jar> io.isthmus.fastpath.FastpathMain --id <n>
 * --data-port <udp port> --slowpath 127.0.0.1:<control port> [--bind 127.0.0.1] [--workers 1] [--io mmsg|channel]
 * [--batch 32]}. Runs until SIGTERM.
 */
public final class FastpathMain {

    private static final System.Logger LOG = System.getLogger(FastpathMain.class.getName());

    private FastpathMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        FastpathOptions options;
        try {
            options = FastpathOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(FastpathOptions.USAGE);
            System.exit(2);
            return;
        }
        Fastpath fastpath;
        try {
            fastpath = Fastpath.start(options);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "fastpath " + options.id() + " failed to start", e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            fastpath.close();
            stopped.countDown();
        }));
        LOG.log(Level.INFO, "fastpath {0,number,#} forwarding on {1} with {2,number,#} worker(s), {3}, slowpath {4}",
                options.id(), fastpath.dataAddress(), fastpath.workerCount(), fastpath.ioDescription(),
                options.slowpath());
        stopped.await();
    }
}
