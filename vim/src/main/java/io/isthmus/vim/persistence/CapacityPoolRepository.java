package io.isthmus.vim.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class CapacityPoolRepository implements PanacheRepositoryBase<CapacityPool, String> {

    public List<CapacityPool> listEnabled() {
        return list("enabled = true order by id");
    }

    public Optional<CapacityPool> findByDriver(String driver) {
        return find("driver", driver).firstResultOptional();
    }

    /** The pool, locked until the transaction ends: admissions to one pool queue here. */
    public Optional<CapacityPool> lockByDriver(String driver) {
        return find("driver", driver).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public CapacityPool lock(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }
}
