package io.isthmus.slowpath.policy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.Ipv4Addresses;

/**
 * Reads the fields of a JSON config object, gathering a problem that names the field for each one that is missing
 * or out of bounds, so a refused config is answered with all of them at once. A missing optional field gets its
 * default; a field present with the wrong type or value is refused, never defaulted. For the policies' config models;
 * {@link #refuseIfAny} ends a parse.
 */
public final class ConfigFields {

    /** What a bad field reads as; the problem is recorded. */
    public static final int BAD = -1;

    private final List<String> problems = new ArrayList<>();

    public List<String> problems() {
        return problems;
    }

    public void problem(String problem) {
        problems.add(problem);
    }

    /** A required integer field of {@code json} in {@code min..max}. */
    public int integer(JsonNode json, String field, int min, int max) {
        return integerAt(json.get(field), field, min, max);
    }

    /** A required integer in {@code min..max} at {@code node} (null if absent), named {@code name}. */
    public int integerAt(JsonNode node, String name, int min, int max) {
        if (node == null || !node.isIntegralNumber()) {
            problems.add(name + " is required: an integer in " + min + ".." + max);
            return BAD;
        }
        return bounded(node, name, min, max, "");
    }

    /** An optional integer in {@code min..max}; {@code otherwise} when absent; {@code why} ends the problem. */
    public int integer(JsonNode json, String field, int min, int max, int otherwise, String why) {
        JsonNode node = json.get(field);
        if (node == null) {
            return otherwise;
        }
        if (!node.isIntegralNumber()) {
            problems.add(field + " must be an integer in " + min + ".." + max + why);
            return BAD;
        }
        return bounded(node, field, min, max, why);
    }

    private int bounded(JsonNode node, String field, int min, int max, String why) {
        if (!node.canConvertToInt() || node.asInt() < min || node.asInt() > max) {
            problems.add(field + " must be in " + min + ".." + max + why + ", got " + node.asText());
            return BAD;
        }
        return node.asInt();
    }

    /** A unicast IPv4 address (not 0/8, 127/8, multicast, class E or broadcast) at {@code node}, named {@code field}. */
    public int unicastAddress(JsonNode node, String field) {
        if (node == null || !node.isTextual()) {
            problems.add(field + " is required: an IPv4 address");
            return 0;
        }
        int address;
        try {
            address = Ipv4Addresses.parse(node.asText());
        } catch (IllegalArgumentException e) {
            problems.add(field + " is not an IPv4 address: " + node.asText());
            return 0;
        }
        if (!isUnicast(address)) {
            problems.add(field + " is not a unicast address: " + node.asText());
            return 0;
        }
        return address;
    }

    /** A required {@code host:port}; a next hop is an {@link #egress}. */
    public InetSocketAddress endpoint(JsonNode json, String field) {
        return endpoint(json, field, field);
    }

    /**
     * A required next-hop field ({@link Egress}): {@code "host:port"} (the problems {@link #endpoint} names), or an
     * ingress as a VNF publishes it, {@code {"hash": "rendezvous-v1", "endpoints": [{"vnfcId": "fastpath-0",
     * "address": "host:port"}, …]}} with 0..16 endpoints, each vnfcId non-empty and given once. Null if refused.
     */
    public Egress egress(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || !(node.isTextual() || node.isObject())) {
            problems.add(field + " is required: host:port, or an ingress {\"hash\": \"" + Egress.HASH
                    + "\", \"endpoints\": [...]}");
            return null;
        }
        if (node.isTextual()) {
            InetSocketAddress endpoint = endpoint(json, field);
            return endpoint == null ? null : Egress.of(endpoint, node);
        }
        int before = problems.size();
        JsonNode hash = node.get("hash");
        if (hash == null || !hash.isTextual() || !Egress.HASH.equals(hash.asText())) {
            problems.add(field + ".hash must be \"" + Egress.HASH + "\""
                    + (hash == null ? "" : ", got " + hash));
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!name.equals("hash") && !name.equals("endpoints")) {
                problems.add(field + "." + name + " is not a field of an ingress (hash, endpoints)");
            }
        });
        JsonNode array = node.get("endpoints");
        if (array == null || !array.isArray() || array.size() > Egress.MAX_ENDPOINTS) {
            problems.add(field + ".endpoints is required: an array of 0.." + Egress.MAX_ENDPOINTS
                    + " {\"vnfcId\", \"address\"} (none: not wired yet)");
            return null;
        }
        List<Egress.Endpoint> endpoints = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String name = field + ".endpoints[" + i + "]";
            JsonNode endpoint = array.get(i);
            if (!endpoint.isObject()) {
                problems.add(name + " must be an object {\"vnfcId\", \"address\"}");
                continue;
            }
            JsonNode id = endpoint.get("vnfcId");
            String vnfcId = null;
            if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                problems.add(name + ".vnfcId is required: a non-empty string");
            } else if (!ids.add(id.asText())) {
                problems.add(name + ".vnfcId repeats " + id.asText());
            } else {
                vnfcId = id.asText();
            }
            InetSocketAddress address = endpoint(endpoint, name + ".address", "address");
            if (vnfcId != null && address != null) {
                endpoints.add(new Egress.Endpoint(vnfcId, address));
            }
        }
        return problems.size() > before ? null : Egress.ingress(endpoints, node);
    }

    /** The {@code host:port} at {@code json}'s {@code key}, its problems named {@code name}. */
    private InetSocketAddress endpoint(JsonNode json, String name, String key) {
        JsonNode node = json.get(key);
        if (node == null || !node.isTextual()) {
            problems.add(name + " is required: host:port");
            return null;
        }
        try {
            return Ipv4Addresses.parseSocketAddress(node.asText());
        } catch (IllegalArgumentException e) {
            problems.add(name + ": " + e.getMessage());
            return null;
        }
    }

    /** Not 0.0.0.0/8, 127/8, multicast, class E or the limited broadcast. */
    public static boolean isUnicast(int address) {
        int first = address >>> 24;
        return first != 0 && first != 127 && first < 224;
    }

    /** Throws the problems gathered so far, if any. */
    public void refuseIfAny() throws InvalidConfigException {
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }
}
