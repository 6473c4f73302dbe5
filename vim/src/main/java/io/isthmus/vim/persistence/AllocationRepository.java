package io.isthmus.vim.persistence;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class AllocationRepository implements PanacheRepositoryBase<Allocation, String> {

    public Optional<Allocation> find(String id) {
        return findByIdOptional(id);
    }

    public Optional<Allocation> lock(String id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public List<String> idsByDriverIn(String driver, Collection<AllocationState> states) {
        return getEntityManager()
                .createQuery("select a.id from Allocation a where a.driver = :driver and a.state in :states"
                        + " order by a.createdAt", String.class)
                .setParameter("driver", driver)
                .setParameter("states", states)
                .getResultList();
    }

    /** The tenant of an allocation, read without loading it: lock its quota before locking it. */
    public Optional<String> tenantOf(String id) {
        return getEntityManager()
                .createQuery("select a.tenantId from Allocation a where a.id = :id", String.class)
                .setParameter("id", id)
                .getResultStream().findFirst();
    }
}
