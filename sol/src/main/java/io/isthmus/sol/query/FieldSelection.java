package io.isthmus.sol.query;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.isthmus.sol.problem.InvalidRequestException;

/**
 * SOL013 clause 5.3 attribute selectors of a list request, as the set of complex attributes to leave out of each
 * element. Table 5.3.2-2: none given means {@code exclude_default}; {@code all_fields}, {@code fields},
 * {@code exclude_fields} and {@code exclude_default} each alone; {@code exclude_default} with {@code fields} (the
 * default set minus the listed ones); every other combination is a 400. Only the complex attributes that
 * {@code exclude_default} leaves out may be named: mandatory and simple attributes are always in the response.
 */
public record FieldSelection(Set<String> excluded) {

    public static final String ALL_FIELDS = "all_fields";
    public static final String FIELDS = "fields";
    public static final String EXCLUDE_FIELDS = "exclude_fields";
    /** The spelling some clients send for {@link #EXCLUDE_FIELDS}. */
    public static final String EXCLUDE_FIELDS_HYPHEN = "exclude-fields";
    public static final String EXCLUDE_DEFAULT = "exclude_default";

    public static final List<String> PARAMETERS = List.of(ALL_FIELDS, FIELDS, EXCLUDE_FIELDS, EXCLUDE_FIELDS_HYPHEN,
            EXCLUDE_DEFAULT);

    public FieldSelection {
        excluded = Set.copyOf(excluded);
    }

    /**
     * The selection the query parameters ask for.
     *
     * @param query every query parameter of the request, each with its values
     */
    public static FieldSelection of(Map<String, List<String>> query, ListedResource resource) {
        List<String> given = PARAMETERS.stream().filter(query::containsKey).toList();
        if (!resource.hasSelectors()) {
            if (!given.isEmpty()) {
                throw new InvalidRequestException("The " + resource.name() + " list takes no attribute selectors ("
                        + String.join(", ", given) + ")");
            }
            return new FieldSelection(Set.of());
        }
        if (query.containsKey(EXCLUDE_FIELDS) && query.containsKey(EXCLUDE_FIELDS_HYPHEN)) {
            throw new InvalidRequestException("Give exclude_fields once (exclude-fields is the same parameter)");
        }
        Set<String> defaults = resource.excludedByDefault();
        boolean excludeDefault = query.containsKey(EXCLUDE_DEFAULT);
        if (given.isEmpty() || given.equals(List.of(EXCLUDE_DEFAULT))) {
            return new FieldSelection(defaults);
        }
        if (given.equals(List.of(ALL_FIELDS))) {
            return new FieldSelection(Set.of());
        }
        if (given.equals(List.of(FIELDS)) || given.equals(List.of(FIELDS, EXCLUDE_DEFAULT))) {
            // every excludable attribute is in the default set, so fields alone and with exclude_default agree
            Set<String> excluded = new LinkedHashSet<>(defaults);
            excluded.removeAll(names(query, FIELDS, resource));
            return new FieldSelection(excluded);
        }
        if (given.size() == 1 && !excludeDefault) {
            return new FieldSelection(names(query, given.get(0), resource));
        }
        throw new InvalidRequestException("Attribute selectors " + given + " cannot be combined; SOL013 allows"
                + " all_fields, fields, exclude_fields or exclude_default alone, or exclude_default with fields");
    }

    private static Set<String> names(Map<String, List<String>> query, String parameter, ListedResource resource) {
        List<String> values = query.get(parameter);
        if (values.size() != 1) {
            throw new InvalidRequestException(parameter + " is given " + values.size() + " times; give it once");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String name : values.get(0).split(",", -1)) {
            if (name.isEmpty()) {
                throw new InvalidRequestException(parameter + " has an empty attribute name");
            }
            if (!resource.excludedByDefault().contains(name)) {
                throw new InvalidRequestException(parameter + " names " + name + ", which "
                        + (resource.represents(name)
                                ? "is always in a " + resource.name() + " (mandatory or simple)"
                                : "is not an attribute of " + resource.name())
                        + "; selectable complex attributes: " + new TreeSet<>(resource.excludedByDefault()));
            }
            names.add(name);
        }
        return names;
    }

    /** Leaves the excluded attributes out of one element of the list (in place) and returns it. */
    public JsonNode apply(JsonNode element) {
        if (element instanceof ObjectNode object) {
            object.remove(new ArrayList<>(excluded));
        }
        return element;
    }
}
