package io.isthmus.sol.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.isthmus.sol.api.ControlCharacters;
import io.isthmus.sol.problem.InvalidRequestException;

/**
 * A parsed SOL013 clause 5.2 attribute filter: {@code (op,attr/path,value1,value2,...)} terms joined by {@code ;}, all
 * of which must hold. A value or attribute name holding {@code , ' ( ) ;} is written in single quotes, a quote inside
 * it doubled ({@code 'it''s'}). Anything else malformed is refused with a 400 that says what and where.
 */
public record AttributeFilter(List<Term> terms) {

    public static final AttributeFilter NONE = new AttributeFilter(List.of());

    /** One term; its values are the literal strings, quotes removed. */
    public record Term(FilterOperator operator, String attribute, List<String> values) {
    }

    public AttributeFilter {
        terms = List.copyOf(terms);
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    /** Parses the {@code filter} query parameter; null or empty is no filter. */
    public static AttributeFilter parse(String filter) {
        if (filter == null || filter.isEmpty()) {
            return NONE;
        }
        return new Parser(filter).filter();
    }

    /** A scanner over the expression; {@code pos} is the index of the next character. */
    private static final class Parser {
        private static final String SPECIAL = ",'();";

        private final String in;
        private int pos;

        Parser(String in) {
            this.in = in;
        }

        AttributeFilter filter() {
            int control = ControlCharacters.find(in, false);
            if (control >= 0) {
                throw malformed("a control character (code " + (int) in.charAt(control) + ") is not allowed", control);
            }
            List<Term> terms = new ArrayList<>();
            while (true) {
                terms.add(term());
                if (pos == in.length()) {
                    return new AttributeFilter(terms);
                }
                if (in.charAt(pos) != ';') {
                    throw malformed("expected ';' between terms, found '" + in.charAt(pos) + "'", pos);
                }
                pos++;
                if (pos == in.length()) {
                    throw malformed("a ';' must be followed by another term", pos);
                }
            }
        }

        private Term term() {
            int start = pos;
            if (in.charAt(pos) != '(') {
                throw malformed("a term starts with '(', found '" + in.charAt(pos) + "'", pos);
            }
            pos++;
            List<String> parts = new ArrayList<>();
            while (true) {
                parts.add(part());
                if (pos == in.length()) {
                    throw malformed("the term is not closed with ')'", start);
                }
                char c = in.charAt(pos++);
                if (c == ')') {
                    break;
                }
                // part() stops only at ',' or ')' or the end
            }
            String op = parts.get(0);
            FilterOperator operator = FilterOperator.ofToken(op)
                    .orElseThrow(() -> malformed("unknown operator '" + op + "'; operators: "
                            + Arrays.stream(FilterOperator.values()).map(FilterOperator::token).toList(), start + 1));
            if (parts.size() < 3) {
                throw malformed("a term is (operator,attribute,value[,value...]); this one has "
                        + (parts.size() == 1 ? "no attribute" : "no value"), start);
            }
            String attribute = parts.get(1);
            if (attribute.isEmpty() || Arrays.stream(attribute.split("/", -1)).anyMatch(String::isEmpty)) {
                throw malformed("the attribute name '" + attribute + "' is empty or has an empty path segment",
                        start);
            }
            List<String> values = parts.subList(2, parts.size());
            if (!operator.takesSeveralValues() && values.size() > 1) {
                throw malformed("operator " + op + " takes exactly one value, got " + values.size(), start);
            }
            return new Term(operator, attribute, values);
        }

        /** A name or value up to the next ',' or ')' (not consumed). */
        private String part() {
            int start = pos;
            if (pos < in.length() && in.charAt(pos) == '\'') {
                return quoted();
            }
            while (pos < in.length() && in.charAt(pos) != ',' && in.charAt(pos) != ')') {
                char c = in.charAt(pos);
                if (SPECIAL.indexOf(c) >= 0) {
                    throw malformed("'" + c + "' inside a value or attribute name needs the whole of it in single"
                            + " quotes", pos);
                }
                pos++;
            }
            if (pos == start) {
                throw malformed("empty operator, attribute or value (write an empty value as '')", pos);
            }
            return in.substring(start, pos);
        }

        private String quoted() {
            int start = pos;
            pos++;
            StringBuilder value = new StringBuilder();
            while (true) {
                if (pos == in.length()) {
                    throw malformed("the quoted value is not closed with '", start);
                }
                char c = in.charAt(pos++);
                if (c != '\'') {
                    value.append(c);
                } else if (pos < in.length() && in.charAt(pos) == '\'') {
                    value.append('\'');
                    pos++;
                } else {
                    break;
                }
            }
            if (pos < in.length() && in.charAt(pos) != ',' && in.charAt(pos) != ')') {
                throw malformed("a quoted value must be followed by ',' or ')', found '" + in.charAt(pos) + "'", pos);
            }
            return value.toString();
        }

        private InvalidRequestException malformed(String what, int at) {
            return new InvalidRequestException("Malformed filter at position " + (at + 1) + ": " + what);
        }
    }
}
