package io.isthmus.vnfm.lifecycle;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.jboss.logging.Logger;

import io.isthmus.sol.concurrent.PassLoop;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.persistence.LcmOpOccRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Drives the operations: each operation that has a step due is advanced, one step per transaction, until it waits or
 * closes. Its passes run on a {@link PassLoop}: when a transaction that gave it work commits ({@link WorkAvailable}) and
 * once per {@code isthmus.vnfm.worker.interval} (retries after a back-off). A pass hands each due operation that is not
 * being advanced already to one of {@code isthmus.vnfm.worker.parallelism} threads, which advances it until it waits
 * or closes. All its state is in the database, so a restarted vnfm resumes where the last one stopped.
 */
@ApplicationScoped
public class OperationWorker {

    private static final Logger LOG = Logger.getLogger(OperationWorker.class);

    private final LcmOpOccRepository ops;
    private final OperationStepper stepper;
    private final VnfmConfig config;
    private final Clock clock;
    private final PassLoop loop;
    private final PassLoop leases;
    private final ExecutorService steppers;
    /** The operations a stepper thread advances now. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public OperationWorker(LcmOpOccRepository ops, OperationStepper stepper, VnfmConfig config, Clock clock) {
        this.ops = ops;
        this.stepper = stepper;
        this.config = config;
        this.clock = clock;
        this.loop = new PassLoop("vnfm-operation-worker", config.worker().interval(), this::pass);
        this.leases = new PassLoop("vnfm-lease-renewal", config.worker().lease().dividedBy(3), this::renew);
        AtomicInteger threads = new AtomicInteger();
        this.steppers = Executors.newFixedThreadPool(config.worker().parallelism(), r -> {
            Thread t = new Thread(r, "vnfm-operation-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void start(@Observes StartupEvent started) {
        loop.start();
        leases.start();
    }

    /** Stops before the datasource closes, so no pass runs into a closing database. */
    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        loop.stop();
        steppers.shutdown();
        steppers.awaitTermination(30, TimeUnit.SECONDS);
        leases.stop();
    }

    /** Keeps the leases of the steps this vnfm runs, however long a step takes (a vim start, a drain). */
    private void renew() {
        try {
            QuarkusTransaction.requiringNew().run(
                    () -> ops.renewLeases(stepper.owner(), clock.instant().plus(config.worker().lease())));
        } catch (RuntimeException e) {
            LOG.warnf("Could not renew the leases of the steps in flight: %s", e.getMessage());
        }
    }

    /** Work was committed: run a pass now. */
    void workAvailable(@Observes(during = TransactionPhase.AFTER_SUCCESS) WorkAvailable work) {
        loop.wake();
    }

    private void pass() {
        List<String> due;
        try {
            due = QuarkusTransaction.requiringNew()
                    .call(() -> ops.dueIds(clock.instant(), config.worker().batchSize()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not read the due operations");
            return;
        }
        // each operation on a thread of its own: operations of different VNFs (an NS instantiating its VNFs) run side
        // by side, a new one starts while others wait on the vim, and none is advanced twice at once
        for (String id : due) {
            if (!inFlight.add(id)) {
                continue;
            }
            try {
                steppers.execute(() -> {
                    boolean more = false;
                    try {
                        more = advance(id);
                    } finally {
                        inFlight.remove(id);
                    }
                    if (more) {
                        loop.wake(); // it stopped at maxStepsPerTick with steps left
                    }
                });
            } catch (RejectedExecutionException stopping) {
                inFlight.remove(id);
            }
        }
    }

    /** Advances the operation up to maxStepsPerTick steps; whether it stopped there with steps left. */
    private boolean advance(String id) {
        if (!loop.running()) {
            return false;
        }
        try {
            int steps = 0;
            while (steps < config.worker().maxStepsPerTick()
                    && stepper.advance(id) == OperationStepper.Progress.STEPPED) {
                steps++;
            }
            return steps == config.worker().maxStepsPerTick();
        } catch (RuntimeException e) {
            if (loop.running()) {
                // the database failed us; the operation is still journaled as it was and runs again next tick
                LOG.errorf(e, "op %s could not be advanced", id);
            }
            return false;
        }
    }
}
