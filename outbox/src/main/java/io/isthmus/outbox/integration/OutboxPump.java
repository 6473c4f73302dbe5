package io.isthmus.outbox.integration;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.apache.camel.ProducerTemplate;
import org.jboss.logging.Logger;

import io.isthmus.outbox.OutboxConfig;
import io.isthmus.outbox.OutboxWritten;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;

/**
 * Starts passes of the delivery route: when a transaction that queued notifications commits, and every
 * {@code poll-interval} for what an earlier pass could not send. Passes run on one thread; a wake-up while one runs
 * queues one more pass and further wake-ups are dropped (a queued pass will see their rows anyway).
 */
@ApplicationScoped
public class OutboxPump {

    private static final Logger LOG = Logger.getLogger(OutboxPump.class);

    private final ProducerTemplate camel;
    private final OutboxLedger ledger;
    private final OutboxConfig config;
    private final Scheduler scheduler;
    private final ThreadPoolExecutor passes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1), r -> Thread.ofPlatform().name("isthmus-outbox-pump").daemon().unstarted(r),
            new ThreadPoolExecutor.DiscardPolicy());

    public OutboxPump(ProducerTemplate camel, OutboxLedger ledger, OutboxConfig config, Scheduler scheduler) {
        this.camel = camel;
        this.ledger = ledger;
        this.config = config;
        this.scheduler = scheduler;
    }

    void start(@Observes StartupEvent started) {
        scheduler.newJob("isthmus-outbox-poll")
                .setInterval(config.pollInterval().toString())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> wake())
                .schedule();
        scheduler.newJob("isthmus-outbox-purge")
                .setInterval("1h")
                .setDelayed("1m")
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> purge())
                .schedule();
    }

    void stop(@Observes ShutdownEvent stopping) {
        passes.shutdownNow();
    }

    /** New notifications leave as soon as the transaction that wrote them commits, not at the next poll. */
    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten written) {
        wake();
    }

    /** Asks for a pass; returns at once. */
    public void wake() {
        passes.execute(this::pass);
    }

    private void pass() {
        try {
            camel.sendBody(OutboxRoute.PASS, null);
        } catch (RuntimeException e) {
            // the rows stay PENDING and the next pass hands them over again
            LOG.warnf("outbox pass failed: %s", e.getMessage());
        }
    }

    private void purge() {
        long purged = ledger.purgeDelivered(config.deliveredRetention());
        if (purged > 0) {
            LOG.infof("purged %d delivered notifications from the outbox", purged);
        }
    }
}
