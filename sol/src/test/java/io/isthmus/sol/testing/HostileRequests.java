package io.isthmus.sol.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Generators (jqwik arbitraries) of what a hostile or careless client sends: strings with control characters, quotes,
 * SOL013 filter syntax, path tricks and lengths past every limit; random JSON; valid bodies with one attribute
 * replaced, dropped or added; filter expressions half right. The services' fuzz tests send them to every endpoint
 * {@link Endpoints} finds.
 */
public final class HostileRequests {

    private HostileRequests() {
    }

    /** Strings no careful client sends. */
    public static Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1).ofMaxLength(4),
                Arbitraries.strings().withChars("(),;'\"\\/%@*?&=# ").ofMaxLength(12),
                Arbitraries.strings().alpha().ofMinLength(250).ofMaxLength(2000),
                Arbitraries.of("", " ", "null", "../../etc/passwd", "%00", "%2F", "' or 1=1 --", "\u0000",
                        "\ud83d\ude00", "\ud800", "ns_instances", "(eq,id,1)", "1e309", "-1",
                        "9223372036854775808", "true", "{}", "[]", "\u202e", "%"));
    }

    /** Any JSON value, {@code depth} levels deep at most. */
    public static Arbitrary<Object> json(int depth) {
        List<Arbitrary<?>> leaves = List.of(Arbitraries.just(null), Arbitraries.of(true, false),
                Arbitraries.longs(), Arbitraries.of(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE),
                Arbitraries.doubles(), Arbitraries.of(1e308, -0.0, 4.9e-324), strings());
        Arbitrary<Object> leaf = Arbitraries.oneOf(leaves.stream().map(a -> a.map(v -> (Object) v)).toList());
        if (depth <= 0) {
            return leaf;
        }
        Arbitrary<Object> list = json(depth - 1).list().ofMaxSize(4).map(l -> (Object) l);
        Arbitrary<Object> map = Arbitraries.maps(strings(), json(depth - 1)).ofMaxSize(4).map(m -> (Object) m);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, leaf), net.jqwik.api.Tuple.of(1, list),
                net.jqwik.api.Tuple.of(1, map));
    }

    /** {@code valid} with one attribute, at any depth, replaced by any JSON value, removed, or joined by another. */
    public static Arbitrary<Object> mutations(Map<String, Object> valid) {
        List<List<String>> paths = new ArrayList<>();
        collect(valid, new ArrayList<>(), paths);
        Arbitrary<Object> added = strings().flatMap(key -> json(1).map(value -> {
            Map<String, Object> copy = new LinkedHashMap<>(valid);
            copy.put(key, value);
            return (Object) copy;
        }));
        if (paths.isEmpty()) {
            return Arbitraries.oneOf(added, json(3));
        }
        Arbitrary<Object> replaced = Arbitraries.of(paths).flatMap(
                path -> json(2).map(value -> replace(valid, path, 0, value, false)));
        Arbitrary<Object> removed = Arbitraries.of(paths).map(path -> replace(valid, path, 0, null, true));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, replaced), net.jqwik.api.Tuple.of(2, removed),
                net.jqwik.api.Tuple.of(1, added), net.jqwik.api.Tuple.of(1, json(3)));
    }

    /** SOL013 filter expressions over {@code attributes}: valid ones, and each way of getting one wrong. */
    public static Arbitrary<String> filters(List<String> attributes) {
        Arbitrary<String> op = Arbitraries.oneOf(Arbitraries.of("eq", "neq", "gt", "gte", "lt", "lte", "cont",
                "ncont", "in", "nin"), Arbitraries.of("EQ", "like", "", "eq ", "==", "x"));
        Arbitrary<String> attribute = Arbitraries.oneOf(Arbitraries.of(attributes),
                Arbitraries.of(attributes).map(a -> a + "/x"), strings());
        Arbitrary<String> value = Arbitraries.oneOf(strings(), strings().map(s -> "'" + s.replace("'", "''") + "'"),
                Arbitraries.of("'", "''", "'a''b'", "a,b", "2026-12-03T00:00:00Z", "NOT_INSTANTIATED"));
        Arbitrary<String> term = Arbitraries.oneOf(
                net.jqwik.api.Combinators.combine(op, attribute, value.list().ofMinSize(0).ofMaxSize(3))
                        .as((o, a, v) -> "(" + o + "," + a + (v.isEmpty() ? "" : "," + String.join(",", v)) + ")"),
                strings());
        return term.list().ofMinSize(1).ofMaxSize(3).map(t -> String.join(";", t));
    }

    /**
     * What is wrong with an answer to a hostile request, if anything: a 5xx, or a 4xx that is no ProblemDetails.
     */
    public static java.util.Optional<String> wrongAnswer(Object endpoint, String what, int status, String contentType,
            String body) {
        if (status >= 500) {
            return java.util.Optional.of(endpoint + " with " + what + ": " + status + " " + body);
        }
        if (status >= 400 && !String.valueOf(contentType).startsWith("application/problem+json")) {
            return java.util.Optional.of(endpoint + " with " + what + ": " + status + " without ProblemDetails");
        }
        return java.util.Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static void collect(Map<String, Object> map, List<String> prefix, List<List<String>> paths) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            paths.add(path);
            if (e.getValue() instanceof Map<?, ?> inner) {
                collect((Map<String, Object>) inner, path, paths);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Object replace(Map<String, Object> map, List<String> path, int i, Object value, boolean remove) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        String key = path.get(i);
        if (i == path.size() - 1) {
            if (remove) {
                copy.remove(key);
            } else {
                copy.put(key, value);
            }
        } else {
            copy.put(key, replace((Map<String, Object>) map.get(key), path, i + 1, value, remove));
        }
        return copy;
    }
}
