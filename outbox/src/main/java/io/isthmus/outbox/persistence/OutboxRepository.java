package io.isthmus.outbox.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** The outbox's rows. */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxMessage, String> {

    /** Pending notifications in the order they were written. */
    public List<OutboxMessage> pending(int limit) {
        return find("status", Sort.by("seq"), OutboxStatus.PENDING).page(0, limit).list();
    }

    /** Forgets delivered notifications finished before {@code before}. */
    public long purgeDelivered(Instant before) {
        return delete("status = ?1 and finishedAt < ?2", OutboxStatus.DELIVERED, before);
    }

    /** Drops what a subscription had not received yet. */
    public long dropPendingOf(String subscriptionId) {
        return delete("subscriptionId = ?1 and status = ?2", subscriptionId, OutboxStatus.PENDING);
    }
}
