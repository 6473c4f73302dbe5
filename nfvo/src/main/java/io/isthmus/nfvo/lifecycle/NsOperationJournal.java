package io.isthmus.nfvo.lifecycle;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.isthmus.nfvo.persistence.NsInstanceEntity;
import io.isthmus.nfvo.persistence.NsLcmOpOccEntity;
import io.isthmus.nfvo.persistence.NsLcmOpOccRepository;
import io.isthmus.nfvo.persistence.NsOperationType;
import io.isthmus.nfvo.service.NotificationOutbox;
import io.isthmus.nfvo.persistence.NsLcmOperationState;
import io.isthmus.sol.problem.ProblemDetails;

/**
 * Opens NS operation occurrences and moves them between states: the one place that does, so that every change is
 * checked by the state machine, stamped with its time and reason, and told to the subscribers through the outbox in
 * the same transaction. Callers hold a transaction.
 */
@ApplicationScoped
public class NsOperationJournal {

    private static final Logger LOG = Logger.getLogger(NsOperationJournal.class);

    private final NsLcmOpOccRepository ops;
    private final NotificationOutbox notifications;
    private final Clock clock;
    private final Event<NsWorkAvailable> work;

    public NsOperationJournal(NsLcmOpOccRepository ops, NotificationOutbox notifications, Clock clock,
            Event<NsWorkAvailable> work) {
        this.ops = ops;
        this.notifications = notifications;
        this.clock = clock;
        this.work = work;
    }

    /** A new occurrence of {@code type} on the NS instance, PROCESSING; the worker takes it from there. */
    public NsLcmOpOccEntity open(NsInstanceEntity ns, NsOperationType type, String operationParams) {
        return open(ns, type, operationParams, null);
    }

    /** As above, its steps waiting until {@code notBefore} (scaleTime, updateTime, terminationTime) if given. */
    public NsLcmOpOccEntity open(NsInstanceEntity ns, NsOperationType type, String operationParams,
            Instant notBefore) {
        return open(new NsLcmOpOccEntity(UUID.randomUUID().toString(), ns, type, operationParams, notBefore,
                clock.instant()), ns, type);
    }

    /** A new occurrence of {@code type} the NFVO starts itself (SOL005 isAutomaticInvocation), PROCESSING. */
    public NsLcmOpOccEntity openAutomatic(NsInstanceEntity ns, NsOperationType type, String operationParams) {
        NsLcmOpOccEntity op = new NsLcmOpOccEntity(UUID.randomUUID().toString(), ns, type, operationParams,
                clock.instant());
        op.invokedAutomatically();
        return open(op, ns, type);
    }

    private NsLcmOpOccEntity open(NsLcmOpOccEntity op, NsInstanceEntity ns, NsOperationType type) {
        ops.persist(op);
        LOG.infof("NS operation %s %s of %s PROCESSING", op.id, type, ns.id);
        notifications.opChanged(op);
        work.fire(new NsWorkAvailable());
        return op;
    }

    /** Moves the operation to {@code to}; {@code problem} is its error when {@code to} is FAILED_TEMP or FAILED. */
    public void transition(NsLcmOpOccEntity op, NsLcmOperationState to, String reason, ProblemDetails problem) {
        NsLcmOperationState from = op.transition(to, reason, problem, clock.instant());
        LOG.infof("NS operation %s %s of %s %s -> %s: %s", op.id, op.operation, op.nsInstanceId, from, to, reason);
        notifications.opChanged(op);
        work.fire(new NsWorkAvailable());
    }
}
