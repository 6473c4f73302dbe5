package io.isthmus.sol.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

/**
 * One list request: the filter compiled for the database, the attribute selection, and the page asked for.
 *
 * @param resource what is listed
 * @param where the filter as a JPQL condition
 * @param selection the complex attributes to leave out of each element
 * @param after where the previous page ended; empty for the first page
 * @param pageSize the most elements in one page
 */
public record SolQuery(ListedResource resource, JpqlWhere where, FieldSelection selection,
        Optional<PageMarker.Position> after, int pageSize) {

    /**
     * Runs the query: the page of {@code entity} rows in {@code tenantScope} (empty: every tenant's) that match the
     * filter, in (order time, id) order, and whether more follow. The scope, the filter and the page position are
     * ANDed: a filter never reaches beyond the scope.
     */
    public <E> SolPage<E> run(EntityManager em, Class<E> entity, Optional<String> tenantScope) {
        String order = "e." + resource.orderBy();
        StringBuilder jpql = new StringBuilder("select e, ").append(order).append(", e.id from ")
                .append(resource.entity()).append(" e where (").append(where.condition()).append(')');
        tenantScope.ifPresent(t -> jpql.append(" and e.tenant = :scopeTenant"));
        after.ifPresent(a -> jpql.append(" and (").append(order).append(" > :afterTime or (").append(order)
                .append(" = :afterTime and e.id > :afterId))"));
        jpql.append(" order by ").append(order).append(", e.id");
        TypedQuery<Object[]> query = em.createQuery(jpql.toString(), Object[].class);
        for (Map.Entry<String, Object> p : where.parameters().entrySet()) {
            query.setParameter(p.getKey(), p.getValue());
        }
        tenantScope.ifPresent(t -> query.setParameter("scopeTenant", t));
        after.ifPresent(a -> query.setParameter("afterTime", a.orderValue()).setParameter("afterId", a.id()));
        List<Object[]> rows = query.setMaxResults(pageSize + 1).getResultList();
        List<E> items = new ArrayList<>(Math.min(rows.size(), pageSize));
        for (int i = 0; i < rows.size() && i < pageSize; i++) {
            items.add(entity.cast(rows.get(i)[0]));
        }
        if (rows.size() <= pageSize) {
            return new SolPage<>(items, Optional.empty());
        }
        Object[] last = rows.get(pageSize - 1);
        return new SolPage<>(items, Optional.of(new PageMarker.Position((Instant) last[1], (String) last[2])));
    }
}
