package io.isthmus.nfvo.persistence;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class GrantRepository implements PanacheRepositoryBase<GrantEntity, String> {
}
