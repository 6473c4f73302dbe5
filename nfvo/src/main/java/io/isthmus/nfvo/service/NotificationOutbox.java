package io.isthmus.nfvo.service;

import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.outbox.Outbox;
import io.isthmus.nfvo.config.NfvoConfig;
import io.isthmus.nfvo.persistence.NsLcmOpOccEntity;
import io.isthmus.nfvo.persistence.SubscriptionEntity;
import io.isthmus.nfvo.persistence.SubscriptionRepository;
import io.isthmus.nfvo.persistence.NsLcmOperationState;
import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.sol.model.Link;
import io.isthmus.sol.model.NsLcmOperationOccurrenceNotification;
import io.isthmus.sol.problem.ProblemDetails;

/**
 * Writes NS LCM notifications into the shared outbox, in the caller's transaction, one per matching subscription of
 * the operation's tenant: START while the operation runs, RESULT when it ends or stops (SOL005 clause 6.5.2.5). The
 * outbox module delivers them.
 */
@ApplicationScoped
public class NotificationOutbox {

    private final SubscriptionRepository subscriptions;
    private final Outbox outbox;
    private final Json json;
    private final NfvoConfig config;
    private final Clock clock;

    public NotificationOutbox(SubscriptionRepository subscriptions, Outbox outbox, Json json, NfvoConfig config,
            Clock clock) {
        this.subscriptions = subscriptions;
        this.outbox = outbox;
        this.json = json;
        this.config = config;
        this.clock = clock;
    }

    public void opChanged(NsLcmOpOccEntity op) {
        String status = switch (op.state) {
            case PROCESSING, ROLLING_BACK -> "START";
            default -> "RESULT";
        };
        for (SubscriptionEntity sub : subscriptions.ofTenant(op.tenant)) {
            if (!matches(sub, op)) {
                continue;
            }
            String base = config.publicUrl() + "/nslcm/v2";
            ProblemDetails error = op.state == NsLcmOperationState.FAILED_TEMP || op.state == NsLcmOperationState.FAILED
                    ? ProblemDetails.of(op.errorStatus == null ? 500 : op.errorStatus, "Operation failed",
                            op.errorDetail)
                    : null;
            var n = new NsLcmOperationOccurrenceNotification(UUID.randomUUID().toString(),
                    NsLcmOperationOccurrenceNotification.TYPE, sub.id, clock.instant(), op.nsInstanceId, op.id,
                    op.operation, status, op.state.name(), op.isAutomaticInvocation(), error,
                    new NsLcmOperationOccurrenceNotification.Links(
                            Link.to(base + "/ns_instances/" + op.nsInstanceId),
                            Link.to(base + "/subscriptions/" + sub.id),
                            Link.to(base + "/ns_lcm_op_occs/" + op.id)));
            outbox.enqueue(n.id(), sub.id, sub.callbackUri, json.write(n));
        }
    }

    private boolean matches(SubscriptionEntity sub, NsLcmOpOccEntity op) {
        LccnSubscriptionRequest.Filter f = json.read(sub.filter, LccnSubscriptionRequest.Filter.class);
        if (f == null) {
            return true;
        }
        return (f.notificationTypes() == null || f.notificationTypes().isEmpty()
                || f.notificationTypes().contains(NsLcmOperationOccurrenceNotification.TYPE))
                && (f.operationTypes() == null || f.operationTypes().isEmpty()
                        || f.operationTypes().contains(op.operation))
                && (f.operationStates() == null || f.operationStates().isEmpty()
                        || f.operationStates().contains(op.state.name()));
    }
}
