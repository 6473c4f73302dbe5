package io.isthmus.vnfm.lifecycle;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.outbox.Outbox;
import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.sol.model.Link;
import io.isthmus.sol.model.VnfIdentifierNotification;
import io.isthmus.sol.model.VnfLcmOperationOccurrenceNotification;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.persistence.LccnSubscriptionEntity;
import io.isthmus.vnfm.persistence.LccnSubscriptionRepository;
import io.isthmus.vnfm.persistence.LcmOpOccEntity;

/**
 * Writes a VnfLcmOperationOccurrenceNotification to the outbox for every subscription that hears of an operation's
 * state change, in the caller's transaction: the change and its notifications commit together or not at all.
 */
@ApplicationScoped
public class LcmNotifications {

    private final LccnSubscriptionRepository subscriptions;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final VnfmConfig config;
    private final Clock clock;

    public LcmNotifications(LccnSubscriptionRepository subscriptions, Outbox outbox,
            ObjectMapper json, VnfmConfig config, Clock clock) {
        this.subscriptions = subscriptions;
        this.outbox = outbox;
        this.json = json;
        this.config = config;
        this.clock = clock;
    }

    /** SOL003 clause 5.5.2.17: START while the operation runs, RESULT once it stopped (for now or for good). */
    static String notificationStatus(LcmOperationState state) {
        return switch (state) {
            case STARTING, PROCESSING, ROLLING_BACK -> "START";
            case COMPLETED, FAILED_TEMP, FAILED, ROLLED_BACK -> "RESULT";
        };
    }

    static boolean matches(LccnSubscriptionRequest.Filter filter, LcmOpOccEntity op) {
        if (filter == null) {
            return true;
        }
        return anyOrContains(filter.notificationTypes(), VnfLcmOperationOccurrenceNotification.TYPE)
                && anyOrContains(filter.operationTypes(), op.operation().name())
                && anyOrContains(filter.operationStates(), op.state().name());
    }

    /**
     * Whether a subscription hears of instances created or deleted: it names the type, or its filter says nothing at
     * all. A filter on operation types or states is one on VnfLcmOperationOccurrenceNotification (SOL003: those
     * attributes are present only for that type), so without {@code notificationTypes} it hears only those.
     */
    static boolean hearsIdentifiers(LccnSubscriptionRequest.Filter filter, String type) {
        if (filter == null) {
            return true;
        }
        if (filter.notificationTypes() != null && !filter.notificationTypes().isEmpty()) {
            return filter.notificationTypes().contains(type);
        }
        return (filter.operationTypes() == null || filter.operationTypes().isEmpty())
                && (filter.operationStates() == null || filter.operationStates().isEmpty());
    }

    private static boolean anyOrContains(List<String> accepted, String value) {
        return accepted == null || accepted.isEmpty() || accepted.contains(value);
    }

    /** Queues the notifications of the operation's current state; returns how many. */
    public int stateChanged(LcmOpOccEntity op) {
        return queue(op.tenant(), filter -> matches(filter, op),
                (id, subscription, now) -> new VnfLcmOperationOccurrenceNotification(id,
                        VnfLcmOperationOccurrenceNotification.TYPE, subscription.id(), now,
                        notificationStatus(op.state()), op.state().name(), op.vnfInstanceId(), op.operation().name(),
                        op.automaticInvocation(), op.id(), failed(op.state()) ? op.error() : null,
                        new VnfLcmOperationOccurrenceNotification.Links(
                                link("/vnflcm/v2/vnf_instances/" + op.vnfInstanceId()),
                                link("/vnflcm/v2/subscriptions/" + subscription.id()),
                                link("/vnflcm/v2/vnf_lcm_op_occs/" + op.id()))));
    }

    /** SOL003 clause 5.5.2.18: a VNF instance was created; returns how many notifications were queued. */
    public int identifierCreated(String vnfInstanceId, String tenant) {
        return identifier(VnfIdentifierNotification.CREATION, vnfInstanceId, tenant);
    }

    /** SOL003 clause 5.5.2.19: a VNF instance was deleted; returns how many notifications were queued. */
    public int identifierDeleted(String vnfInstanceId, String tenant) {
        return identifier(VnfIdentifierNotification.DELETION, vnfInstanceId, tenant);
    }

    private int identifier(String type, String vnfInstanceId, String tenant) {
        return queue(tenant, filter -> hearsIdentifiers(filter, type),
                (id, subscription, now) -> new VnfIdentifierNotification(id, type, subscription.id(), now,
                        vnfInstanceId, new VnfIdentifierNotification.Links(
                                link("/vnflcm/v2/vnf_instances/" + vnfInstanceId),
                                link("/vnflcm/v2/subscriptions/" + subscription.id()))));
    }

    /** One notification, with its id, for one subscription. */
    private interface Notification {
        Object of(String id, LccnSubscriptionEntity subscription, Instant now);
    }

    /** Queues a notification for every subscription of the instance's tenant whose filter hears it; how many. */
    private int queue(String tenant, Predicate<LccnSubscriptionRequest.Filter> hears, Notification notification) {
        Instant now = clock.instant();
        int written = 0;
        for (LccnSubscriptionEntity subscription : subscriptions.listHearing(tenant)) {
            if (hears.test(subscription.filter())) {
                String id = UUID.randomUUID().toString();
                outbox.enqueue(id, subscription.id(), subscription.callbackUri(),
                        write(notification.of(id, subscription, now)));
                written++;
            }
        }
        return written;
    }

    private static boolean failed(LcmOperationState state) {
        return state == LcmOperationState.FAILED_TEMP || state == LcmOperationState.FAILED;
    }

    private Link link(String path) {
        String base = config.publicUrl();
        return Link.to((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private String write(Object notification) {
        try {
            return json.writeValueAsString(notification);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("notification not serialisable", e);
        }
    }
}
