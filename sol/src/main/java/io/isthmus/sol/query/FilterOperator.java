package io.isthmus.sol.query;

import java.util.Arrays;
import java.util.Optional;

/** SOL013 table 5.2.2-1: the operators of an attribute filter. */
public enum FilterOperator {
    /** Equal to the value; with several values, equal to one of them. */
    EQ(true),
    /** Not equal to the value; with several values, equal to none of them. */
    NEQ(true), GT(false), GTE(false), LT(false), LTE(false),
    /** Contains the value; with several values, contains one of them. */
    CONT(true),
    /** Contains none of the values. */
    NCONT(true),
    /** Equal to one of the values. */
    IN(true),
    /** Equal to none of the values. */
    NIN(true);

    private final boolean severalValues;

    FilterOperator(boolean severalValues) {
        this.severalValues = severalValues;
    }

    /** Whether the operator takes more than one value (gt, gte, lt and lte take exactly one). */
    public boolean takesSeveralValues() {
        return severalValues;
    }

    /** The name in a filter expression, lower case as SOL013 writes it. */
    public String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<FilterOperator> ofToken(String token) {
        return Arrays.stream(values()).filter(o -> o.token().equals(token)).findFirst();
    }
}
