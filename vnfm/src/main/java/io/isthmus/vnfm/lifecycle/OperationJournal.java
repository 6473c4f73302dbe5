package io.isthmus.vnfm.lifecycle;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.problem.ProblemDetails;
import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.persistence.LcmOpOccRepository;
import io.isthmus.vnfm.persistence.LcmOperationType;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;

/**
 * Opens operation occurrences and moves them between states: the one place that does, so that every change is checked
 * by the state machine, stamped, and told to the subscribers through the outbox in the same transaction. Callers
 * hold a transaction.
 */
@ApplicationScoped
public class OperationJournal {

    private static final Logger LOG = Logger.getLogger(OperationJournal.class);

    private final LcmOpOccRepository ops;
    private final LcmNotifications notifications;
    private final Clock clock;
    private final Event<WorkAvailable> work;
    private final IdempotencyKey requestKey;

    public OperationJournal(LcmOpOccRepository ops, LcmNotifications notifications, Clock clock,
            Event<WorkAvailable> work, IdempotencyKey requestKey) {
        this.requestKey = requestKey;
        this.work = work;
        this.ops = ops;
        this.notifications = notifications;
        this.clock = clock;
    }

    /** A new occurrence of {@code operation} on the instance, STARTING; the worker takes it from there. */
    public LcmOpOccEntity open(VnfInstanceEntity instance, LcmOperationType operation, Map<String, Object> params) {
        LcmOpOccEntity op = new LcmOpOccEntity(UUID.randomUUID().toString(), instance.id(), instance.tenant(),
                operation, params, clock.instant());
        if (io.quarkus.arc.Arc.container().requestContext().isActive()) {
            op.idempotencyKey(requestKey.value());
        }
        ops.persist(op);
        LOG.infof("op %s %s of VNF instance %s STARTING", op.id(), operation, instance.id());
        notifications.stateChanged(op);
        work.fire(new WorkAvailable());
        return op;
    }

    /** Moves the operation to {@code to}; {@code problem} is its error when {@code to} is FAILED_TEMP or FAILED. */
    public void transition(LcmOpOccEntity op, LcmOperationState to, String reason, ProblemDetails problem) {
        LcmOperationState from = op.transition(to, reason, problem, clock.instant());
        LOG.infof("op %s %s of VNF instance %s %s -> %s: %s", op.id(), op.operation(), op.vnfInstanceId(), from, to,
                reason);
        notifications.stateChanged(op);
        work.fire(new WorkAvailable());
    }
}
