package io.isthmus.sol.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.isthmus.sol.problem.InvalidRequestException;

/**
 * SOL013 clause 5.2 attribute-based filtering, the subset this platform serves: {@code (eq,attr,value)} terms joined
 * by {@code ;}. Anything else is refused with 400 rather than silently ignored.
 */
public record SolFilter(List<Term> terms) {

    public record Term(String op, String attribute, String value) {
    }

    public static SolFilter parse(String filter) {
        List<Term> terms = new ArrayList<>();
        if (filter == null || filter.isBlank()) {
            return new SolFilter(terms);
        }
        for (String part : filter.split(";")) {
            String p = part.trim();
            if (!p.startsWith("(") || !p.endsWith(")")) {
                throw new InvalidRequestException("Malformed filter term: " + p);
            }
            String[] f = p.substring(1, p.length() - 1).split(",", 3);
            if (f.length != 3 || !f[0].equals("eq")) {
                throw new InvalidRequestException("Unsupported filter term (only eq is served): " + p);
            }
            terms.add(new Term(f[0], f[1], f[2]));
        }
        return new SolFilter(terms);
    }

    public Optional<String> eq(String attribute) {
        return terms.stream().filter(t -> t.attribute().equals(attribute)).map(Term::value).findFirst();
    }

    /** Refuses terms on attributes the resource cannot be filtered by. */
    public SolFilter allowOnly(List<String> attributes) {
        for (Term t : terms) {
            if (!attributes.contains(t.attribute())) {
                throw new InvalidRequestException("Cannot filter by " + t.attribute() + "; allowed: " + attributes);
            }
        }
        return this;
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }
}
