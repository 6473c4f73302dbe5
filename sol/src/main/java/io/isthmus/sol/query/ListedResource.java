package io.isthmus.sol.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a list endpoint lets a client ask of one kind of resource: the entity it reads, the attributes it filters on,
 * those of the representation it cannot filter on (so that a filter on them is told so rather than "unknown"), the
 * complex attributes the selectors may leave out, and the column that orders it for paging.
 * <p>
 * Paging orders by ({@code orderBy}, {@code id}); {@code orderBy} must be an {@link java.time.Instant} that never
 * changes once the row exists (a creation or start time), so that a page marker keeps its place while rows come and go.
 */
public final class ListedResource {

    private final String name;
    private final String entity;
    private final String orderBy;
    private final Map<String, Attribute> filterable;
    private final Set<String> notFilterable;
    private final Set<String> excludedByDefault;
    private final boolean selectors;

    private ListedResource(Builder b) {
        this.name = b.name;
        this.entity = b.entity;
        this.orderBy = b.orderBy;
        this.filterable = Map.copyOf(b.filterable);
        this.notFilterable = Set.copyOf(b.notFilterable);
        this.excludedByDefault = Set.copyOf(b.excludedByDefault);
        this.selectors = b.selectors;
    }

    /**
     * @param name the SOL data type (VnfInstance), in problem details and bound into page markers
     * @param entity the JPA entity name
     * @param orderBy the entity's immutable creation-time attribute
     */
    public static Builder of(String name, String entity, String orderBy) {
        return new Builder(name, entity, orderBy);
    }

    public String name() {
        return name;
    }

    public String entity() {
        return entity;
    }

    public String orderBy() {
        return orderBy;
    }

    /** Whether the API defines attribute selectors for this resource (subscriptions: no). */
    public boolean hasSelectors() {
        return selectors;
    }

    /** The complex attributes {@code exclude_default} leaves out, which are also the ones selectors may name. */
    public Set<String> excludedByDefault() {
        return excludedByDefault;
    }

    /** The attribute at {@code path}, or for a map entry ({@code metadata/key}) the map's attribute. */
    Optional<Attribute> attribute(String path) {
        Attribute exact = filterable.get(path);
        if (exact != null && exact.kind() != Attribute.Kind.MAP_ENTRY) {
            return Optional.of(exact);
        }
        int slash = path.indexOf('/');
        if (slash > 0) {
            Attribute map = filterable.get(path.substring(0, slash));
            if (map != null && map.kind() == Attribute.Kind.MAP_ENTRY && path.indexOf('/', slash + 1) < 0) {
                return Optional.of(map);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code path} is in the representation though not filterable: a listed attribute, or anything below a
     * listed complex one.
     */
    boolean represents(String path) {
        String first = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
        return notFilterable.contains(path) || notFilterable.contains(first) || excludedByDefault.contains(first)
                || filterable.containsKey(first);
    }

    /** The filterable paths, sorted, for problem details. */
    List<String> filterablePaths() {
        List<String> paths = new ArrayList<>();
        filterable.values().forEach(a -> paths.add(a.kind() == Attribute.Kind.MAP_ENTRY
                ? a.path() + "/<key>"
                : a.path()));
        paths.sort(null);
        return paths;
    }

    public static final class Builder {
        private final String name;
        private final String entity;
        private final String orderBy;
        private final Map<String, Attribute> filterable = new LinkedHashMap<>();
        private final Set<String> notFilterable = new LinkedHashSet<>();
        private final Set<String> excludedByDefault = new LinkedHashSet<>();
        private boolean selectors = true;

        private Builder(String name, String entity, String orderBy) {
            this.name = name;
            this.entity = entity;
            this.orderBy = orderBy;
        }

        public Builder filter(Attribute... attributes) {
            for (Attribute a : attributes) {
                filterable.put(a.path(), a);
            }
            return this;
        }

        /** Attributes of the representation that have no column to filter on (arrays, links, computed values). */
        public Builder notFilterable(String... paths) {
            notFilterable.addAll(List.of(paths));
            return this;
        }

        /** The complex attributes with lower cardinality 0 that exclude_default leaves out (SOL003/SOL005). */
        public Builder excludeByDefault(String... paths) {
            excludedByDefault.addAll(List.of(paths));
            return this;
        }

        /** The API defines no attribute selectors here: any is refused. */
        public Builder noSelectors() {
            selectors = false;
            return this;
        }

        public ListedResource build() {
            return new ListedResource(this);
        }
    }
}
