package io.isthmus.sol.secret;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a configuration holds secrets: every place its JSON Schema marks {@code "writeOnly": true}, however deep
 * (object properties, {@code additionalProperties} and {@code patternProperties}, array {@code items} and
 * {@code prefixItems}, {@code allOf}/{@code anyOf}/{@code oneOf}/{@code if}/{@code then}/{@code else}, local
 * {@code $ref}s). A path is a list of segments, each a property name or {@link #ANY} (any array item or any property
 * name); a place reached by a wildcard counts when any subschema there says writeOnly, so the paths may cover more than
 * the schema's exact rule, never less.
 */
public final class WriteOnlyPaths {

    /** The segment that matches any array item or any property. */
    public static final String ANY = "*";
    /** A configuration with no secrets. */
    public static final WriteOnlyPaths NONE = new WriteOnlyPaths(List.of());

    private final List<List<String>> paths;

    private WriteOnlyPaths(List<List<String>> paths) {
        this.paths = List.copyOf(paths);
    }

    /** The write-only places of a JSON Schema; {@link #NONE} for a schema (or null) that marks none. */
    public static WriteOnlyPaths of(JsonNode schema) {
        if (schema == null || schema.isMissingNode() || schema.isNull()) {
            return NONE;
        }
        Set<List<String>> found = new LinkedHashSet<>();
        walk(schema, schema, new ArrayList<>(), found, new HashSet<>());
        return new WriteOnlyPaths(new ArrayList<>(found));
    }

    /** For tests and for schemas known in code: these paths, each given as segments. */
    public static WriteOnlyPaths of(List<List<String>> paths) {
        return new WriteOnlyPaths(paths);
    }

    public List<List<String>> paths() {
        return paths;
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }

    private static void walk(JsonNode root, JsonNode node, List<String> at, Set<List<String>> found,
            Set<String> refsOnPath) {
        if (!node.isObject()) {
            return;
        }
        if (node.path("writeOnly").asBoolean(false)) {
            found.add(List.copyOf(at));
            return; // the whole value is the secret
        }
        JsonNode ref = node.get("$ref");
        if (ref != null && ref.isTextual() && ref.asText().startsWith("#")) {
            String pointer = ref.asText().substring(1);
            String key = pointer + "@" + String.join("/", at);
            JsonNode target = root.at(pointer);
            if (!target.isMissingNode() && refsOnPath.add(key)) {
                walk(root, target, at, found, refsOnPath);
                refsOnPath.remove(key);
            }
        }
        node.path("properties").properties().forEach(p -> walk(root, p.getValue(), with(at, p.getKey()), found,
                refsOnPath));
        node.path("patternProperties").properties().forEach(p -> walk(root, p.getValue(), with(at, ANY), found,
                refsOnPath));
        walk(root, node.path("additionalProperties"), with(at, ANY), found, refsOnPath);
        walk(root, node.path("items"), with(at, ANY), found, refsOnPath);
        node.path("prefixItems").forEach(item -> walk(root, item, with(at, ANY), found, refsOnPath));
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            node.path(combinator).forEach(sub -> walk(root, sub, at, found, refsOnPath));
        }
        for (String conditional : List.of("if", "then", "else")) {
            walk(root, node.path(conditional), at, found, refsOnPath);
        }
    }

    private static List<String> with(List<String> at, String segment) {
        List<String> next = new ArrayList<>(at);
        next.add(segment);
        return next;
    }

    @Override
    public String toString() {
        return paths.stream().map(p -> "/" + String.join("/", p)).toList().toString();
    }
}
