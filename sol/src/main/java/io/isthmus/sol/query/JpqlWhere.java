package io.isthmus.sol.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import io.isthmus.sol.problem.InvalidRequestException;

/**
 * An attribute filter compiled to a JPQL condition on the entity alias {@code e}, with named parameters
 * {@code f0, f1, ...}: values never become query text. An empty filter is the condition {@code true}.
 */
public record JpqlWhere(String condition, Map<String, Object> parameters) {

    /** The escape character of the LIKE patterns of cont/ncont (not a backslash: JPQL literals differ on those). */
    static final char LIKE_ESCAPE = '!';

    public JpqlWhere {
        parameters = Map.copyOf(parameters);
    }

    /** Compiles {@code filter} for {@code resource}; 400 for an unknown attribute, an operator or value it cannot take. */
    public static JpqlWhere of(AttributeFilter filter, ListedResource resource) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        StringJoiner and = new StringJoiner(" and ");
        for (AttributeFilter.Term term : filter.terms()) {
            and.add(condition(term, resolve(term.attribute(), resource), parameters));
        }
        return new JpqlWhere(and.length() == 0 ? "true" : and.toString(), parameters);
    }

    private static Attribute resolve(String path, ListedResource resource) {
        return resource.attribute(path).orElseThrow(() -> new InvalidRequestException(resource.represents(path)
                ? "Attribute " + path + " of " + resource.name() + " cannot be used in a filter; filterable: "
                        + resource.filterablePaths()
                : "Unknown attribute " + path + " of " + resource.name() + " in filter; filterable: "
                        + resource.filterablePaths()));
    }

    private static String condition(AttributeFilter.Term term, Attribute attribute, Map<String, Object> parameters) {
        FilterOperator op = term.operator();
        String path = term.attribute();
        if ((op == FilterOperator.CONT || op == FilterOperator.NCONT) && !attribute.kind().textual()
                || isOrdering(op) && !attribute.kind().ordered()) {
            throw new InvalidRequestException("Operator " + op.token() + " does not apply to attribute " + path
                    + " (" + attribute.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ")");
        }
        String x = attribute.jpql();
        if (attribute.kind() == Attribute.Kind.MAP_ENTRY) {
            String key = parameter(parameters, path.substring(path.indexOf('/') + 1));
            x = "function('jsonb_extract_path_text', " + attribute.jpql() + ", " + key + ")";
        }
        List<Object> values = new ArrayList<>();
        for (String v : term.values()) {
            values.add(attribute.parameter(path, v));
        }
        return switch (op) {
            case EQ, IN -> values.size() == 1
                    ? x + " = " + parameter(parameters, values.get(0))
                    : x + " in " + parameter(parameters, values);
            case NEQ, NIN -> "(" + x + " is null or " + (values.size() == 1
                    ? x + " <> " + parameter(parameters, values.get(0))
                    : x + " not in " + parameter(parameters, values)) + ")";
            case GT -> x + " > " + parameter(parameters, values.get(0));
            case GTE -> x + " >= " + parameter(parameters, values.get(0));
            case LT -> x + " < " + parameter(parameters, values.get(0));
            case LTE -> x + " <= " + parameter(parameters, values.get(0));
            case CONT -> likes(x, values, " like ", " or ", parameters);
            case NCONT -> "(" + x + " is null or " + likes(x, values, " not like ", " and ", parameters) + ")";
        };
    }

    private static boolean isOrdering(FilterOperator op) {
        return op == FilterOperator.GT || op == FilterOperator.GTE || op == FilterOperator.LT
                || op == FilterOperator.LTE;
    }

    private static String likes(String x, List<Object> values, String like, String join,
            Map<String, Object> parameters) {
        StringJoiner joined = new StringJoiner(join, "(", ")");
        for (Object v : values) {
            joined.add(x + like + parameter(parameters, "%" + escapeLike((String) v) + "%") + " escape '"
                    + LIKE_ESCAPE + "'");
        }
        return joined.toString();
    }

    /** The value as a LIKE pattern that matches it literally. */
    static String escapeLike(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            if (c == '%' || c == '_' || c == LIKE_ESCAPE) {
                out.append(LIKE_ESCAPE);
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String parameter(Map<String, Object> parameters, Object value) {
        String name = "f" + parameters.size();
        parameters.put(name, value);
        return ":" + name;
    }
}
