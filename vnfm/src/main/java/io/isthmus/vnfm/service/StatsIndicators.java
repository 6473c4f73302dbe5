package io.isthmus.vnfm.service;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The VNF indicators in a slowpath's {@code GET /stats}: the data plane's, which every VNF has whatever its type
 * ({@code dataplane.packets}, {@code dataplane.bytes}, {@code dataplane.drops}: the sums of those counters over the
 * {@code fastpaths} the slowpath knows now, 0 without any), then its {@code indicators} object, and its
 * {@code counters} object under the id {@code counters}, flattened to one indicator per leaf whose id is the dotted
 * path to it (docs/contracts.md "VNF indicators").
 * <ul>
 * <li>An object's member adds the segment of its name.</li>
 * <li>An array's element adds the segment of its index; but when every element is an object with a number or string
 * {@code name} (else {@code address}, else {@code id}) and no two have the same, that value is the element's segment,
 * and that member is no indicator of its own.</li>
 * <li>A segment keeps letters, digits and {@code - _ : ~}; any other character ({@code .} and {@code /} among them)
 * becomes {@code _}, so that an id splits at its dots and is one URI path segment. Of two leaves with the same id the
 * first, in the order of the document, is kept.</li>
 * <li>A leaf is a number, a string or a boolean; nulls, empty objects and empty arrays give none.</li>
 * </ul>
 * {@code {"flows": 3, "links": [{"name": "uplink.1", "state": "up"}]}} gives {@code flows} = 3 and
 * {@code links.uplink_1.state} = "up".
 */
final class StatsIndicators {

    /** The members that name an array's element, in order of preference. */
    static final List<String> ELEMENT_NAMES = List.of("name", "address", "id");
    static final String COUNTERS = "counters";
    /** The counters of each {@code fastpaths} entry summed into {@code dataplane.<counter>}. */
    static final List<String> DATAPLANE_COUNTERS = List.of("packets", "bytes", "drops");
    static final String DATAPLANE = "dataplane";

    private StatsIndicators() {
    }

    /** The indicators of {@code stats}, by id, in the order of the document. */
    static Map<String, Object> of(JsonNode stats) {
        Map<String, Object> indicators = new LinkedHashMap<>();
        for (String counter : DATAPLANE_COUNTERS) {
            long sum = 0;
            for (JsonNode fastpath : stats.path("fastpaths")) {
                sum += fastpath.path(counter).asLong();
            }
            indicators.put(DATAPLANE + "." + counter, sum);
        }
        flatten(stats.path("indicators"), "", indicators);
        flatten(stats.path(COUNTERS), COUNTERS, indicators);
        return indicators;
    }

    private static void flatten(JsonNode node, String path, Map<String, Object> out) {
        if (node.isObject()) {
            node.properties().forEach(m -> flatten(m.getValue(), join(path, m.getKey()), out));
        } else if (node.isArray()) {
            Optional<String> named = elementName(node);
            for (int i = 0; i < node.size(); i++) {
                JsonNode element = node.get(i);
                if (named.isEmpty()) {
                    flatten(element, join(path, Integer.toString(i)), out);
                    continue;
                }
                String elementPath = join(path, element.get(named.get()).asText());
                element.properties().stream().filter(m -> !m.getKey().equals(named.get()))
                        .forEach(m -> flatten(m.getValue(), join(elementPath, m.getKey()), out));
            }
        } else if (!path.isEmpty() && (node.isNumber() || node.isTextual() || node.isBoolean())) {
            out.putIfAbsent(path, node.isNumber()
                    ? node.numberValue()
                    : node.isTextual() ? node.textValue() : (Object) node.booleanValue());
        }
    }

    /** The member every element of {@code array} has as a distinct number or string, if one does. */
    private static Optional<String> elementName(JsonNode array) {
        for (String name : ELEMENT_NAMES) {
            Set<String> seen = new HashSet<>();
            boolean names = !array.isEmpty();
            for (JsonNode element : array) {
                JsonNode value = element.path(name);
                names &= element.isObject() && (value.isTextual() || value.isNumber())
                        && seen.add(segment(value.asText()));
            }
            if (names) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? segment(name) : path + "." + segment(name);
    }

    /** The name as an id segment: letters, digits and {@code - _ : ~} kept, anything else {@code _}. */
    static String segment(String name) {
        StringBuilder segment = new StringBuilder(name.length());
        name.codePoints().forEach(c -> segment.appendCodePoint(Character.isLetterOrDigit(c) || "-_:~".indexOf(c) >= 0
                ? c
                : '_'));
        return segment.isEmpty() ? "_" : segment.toString();
    }
}
