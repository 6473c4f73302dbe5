package io.isthmus.vnfm.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** The outbox of LCM notifications. */
@ApplicationScoped
public class NotificationOutboxRepository implements PanacheRepositoryBase<NotificationOutboxEntity, String> {

    /** Pending notifications in the order they were written. */
    public List<NotificationOutboxEntity> pending(int limit) {
        return find("status", Sort.by("seq"), NotificationStatus.PENDING).page(0, limit).list();
    }

    /** Forgets delivered notifications finished before {@code before}. */
    public long purgeDelivered(Instant before) {
        return delete("status = ?1 and finishedAt < ?2", NotificationStatus.DELIVERED, before);
    }

    /** Drops what a subscription had not received yet: it is gone, so nothing more is sent to it. */
    public long dropPendingOf(String subscriptionId) {
        return delete("subscriptionId = ?1 and status = ?2", subscriptionId, NotificationStatus.PENDING);
    }
}
