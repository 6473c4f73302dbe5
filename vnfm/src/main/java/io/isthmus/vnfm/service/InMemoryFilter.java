package io.isthmus.vnfm.service;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.isthmus.sol.query.AttributeFilter;

/**
 * A SOL013 attribute filter applied to values in memory, for a list that no table holds (VNF indicators, read from
 * slowpaths). {@code SolLists.query} has checked it against the list's {@code ListedResource} already: every attribute
 * is known, every operator allowed.
 * <p>
 * Attributes compare as text, but those in {@code anyTyped}, whose values may be numbers, strings or booleans: there a
 * filter value that reads as a number selects among the numbers (compared as numbers), any other filter value among
 * the strings and booleans (compared as text). A value of the other kind is equal to none of the filter's values and
 * neither greater nor less; {@code cont} and {@code ncont} look at the text of any value.
 *
 * @param filter the checked filter
 * @param anyTyped the attributes whose values are not all strings
 */
record InMemoryFilter(AttributeFilter filter, Set<String> anyTyped) {

    /** Whether every term holds; {@code attributes} gives an element's value of an attribute. */
    boolean matches(Function<String, Object> attributes) {
        return filter.terms().stream().allMatch(t -> holds(t, attributes.apply(t.attribute())));
    }

    /** Whether the terms on {@code attribute} hold for {@code value}, the others left aside. */
    boolean matchesOn(String attribute, Object value) {
        return filter.terms().stream().filter(t -> t.attribute().equals(attribute)).allMatch(t -> holds(t, value));
    }

    private boolean holds(AttributeFilter.Term term, Object actual) {
        List<String> values = term.values();
        String text = String.valueOf(actual);
        boolean typed = anyTyped.contains(term.attribute());
        return switch (term.operator()) {
            case EQ, IN -> values.stream().anyMatch(v -> compare(actual, v, typed).filter(c -> c == 0).isPresent());
            case NEQ, NIN -> values.stream().noneMatch(v -> compare(actual, v, typed).filter(c -> c == 0).isPresent());
            case GT -> compare(actual, values.get(0), typed).filter(c -> c > 0).isPresent();
            case GTE -> compare(actual, values.get(0), typed).filter(c -> c >= 0).isPresent();
            case LT -> compare(actual, values.get(0), typed).filter(c -> c < 0).isPresent();
            case LTE -> compare(actual, values.get(0), typed).filter(c -> c <= 0).isPresent();
            case CONT -> values.stream().anyMatch(text::contains);
            case NCONT -> values.stream().noneMatch(text::contains);
        };
    }

    /** The sign of {@code actual} less {@code value}; empty when they are of different kinds. */
    private static Optional<Integer> compare(Object actual, String value, boolean typed) {
        if (!typed) {
            return Optional.of(String.valueOf(actual).compareTo(value));
        }
        Optional<BigDecimal> number = number(value);
        if (actual instanceof Number n) {
            Optional<BigDecimal> own = number(n.toString());
            return own.isPresent() && number.isPresent()
                    ? Optional.of(own.get().compareTo(number.get()))
                    : Optional.empty();
        }
        return number.isPresent() ? Optional.empty() : Optional.of(String.valueOf(actual).compareTo(value));
    }

    private static Optional<BigDecimal> number(String text) {
        try {
            return Optional.of(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
