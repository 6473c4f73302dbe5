package io.isthmus.nfvo.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEntity, String> {

    public List<OutboxEntity> due(Instant now, int max) {
        return find("state = 'PENDING' and nextAttemptAt <= ?1", Sort.by("createdAt"), now).page(0, max).list();
    }
}
