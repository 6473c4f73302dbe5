package io.isthmus.sol.query;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import io.isthmus.sol.problem.InvalidRequestException;

/**
 * A filterable attribute of a SOL representation: its path there ({@code instantiatedVnfInfo/vnfState}), the JPQL
 * expression on the entity alias {@code e} that holds it, and its type, which decides the operators it takes and how
 * a value is read.
 *
 * @param path the SOL attribute path; for a map ({@link Kind#MAP_ENTRY}) the map's path, entries being
 *        {@code path/key}
 * @param jpql the JPQL expression, e.g. {@code e.vnfState}
 * @param kind the type
 * @param allowed for {@link Kind#ENUM}, the values it may have
 * @param bind reads a filter value into the query parameter (an enum constant, an Instant...); throws
 *        IllegalArgumentException for a value the type does not allow
 */
public record Attribute(String path, String jpql, Kind kind, List<String> allowed, Function<String, Object> bind) {

    public enum Kind {
        STRING, ENUM, NUMBER, BOOLEAN, DATE_TIME,
        /** The string entries of a JSON object column, {@code metadata/<key>}. */
        MAP_ENTRY;

        /** Whether gt/gte/lt/lte make sense. */
        boolean ordered() {
            return this == STRING || this == NUMBER || this == DATE_TIME || this == MAP_ENTRY;
        }

        /** Whether cont/ncont make sense. */
        boolean textual() {
            return this == STRING || this == MAP_ENTRY;
        }
    }

    public Attribute {
        allowed = List.copyOf(allowed);
    }

    public static Attribute string(String path, String jpql) {
        return new Attribute(path, jpql, Kind.STRING, List.of(), v -> v);
    }

    /** A string column with a closed set of values (e.g. {@code onboardingState}). */
    public static Attribute choice(String path, String jpql, String... values) {
        List<String> allowed = List.of(values);
        return new Attribute(path, jpql, Kind.ENUM, allowed, v -> {
            if (!allowed.contains(v)) {
                throw new IllegalArgumentException();
            }
            return v;
        });
    }

    /** A column mapped to a Java enum whose constants are the SOL values. */
    public static <E extends Enum<E>> Attribute enumeration(String path, String jpql, Class<E> type) {
        List<String> allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        return new Attribute(path, jpql, Kind.ENUM, allowed, v -> Enum.valueOf(type, v));
    }

    public static Attribute bool(String path, String jpql) {
        return new Attribute(path, jpql, Kind.BOOLEAN, List.of("true", "false"), v -> switch (v) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException();
        });
    }

    public static Attribute integer(String path, String jpql) {
        return new Attribute(path, jpql, Kind.NUMBER, List.of(), Long::valueOf);
    }

    /** An RFC 3339 date-time ({@code 2026-01-31T10:00:00Z}, or with an offset). */
    public static Attribute dateTime(String path, String jpql) {
        return new Attribute(path, jpql, Kind.DATE_TIME, List.of(), v -> {
            try {
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(e);
            }
        });
    }

    /**
     * The entries of a JSON object column ({@code metadata/<key>}), compared as text: PostgreSQL's
     * {@code jsonb_extract_path_text}.
     */
    public static Attribute mapEntries(String path, String jsonbColumn) {
        return new Attribute(path, jsonbColumn, Kind.MAP_ENTRY, List.of(), v -> v);
    }

    /** The query parameter for {@code value}; 400 naming the attribute when the type does not allow it. */
    Object parameter(String attribute, String value) {
        try {
            return bind.apply(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Filter value '" + value + "' of attribute " + attribute
                    + " is not " + expected());
        }
    }

    private String expected() {
        return switch (kind) {
            case ENUM, BOOLEAN -> "one of " + allowed;
            case NUMBER -> "an integer";
            case DATE_TIME -> "an RFC 3339 date-time such as 2026-01-31T10:00:00Z";
            case STRING, MAP_ENTRY -> "a string";
        };
    }
}
