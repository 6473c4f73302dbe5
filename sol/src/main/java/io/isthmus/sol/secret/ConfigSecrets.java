package io.isthmus.sol.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.isthmus.sol.problem.UnprocessableContentException;

/**
 * The secrets of VNF configurations (contracts.md "Secrets in VNF configurations"): a value at a place the VNF type's
 * JSON Schema marks {@code writeOnly} is stored sealed, as {@code {"$encrypted":"v1:<base64>"}} ({@link SecretCipher}),
 * opened only to be sent to the VNF, and left out of everything an API shows. Configurations are the maps and lists
 * Jackson makes of JSON; each method returns a copy and changes nothing it is given.
 */
public final class ConfigSecrets {

    /** The one key of a sealed value's object. */
    public static final String ENCRYPTED = "$encrypted";

    private final SecretCipher cipher;
    private final ObjectMapper json;

    public ConfigSecrets(SecretCipher cipher, ObjectMapper json) {
        this.cipher = cipher;
        this.json = json;
    }

    /** The configuration with each value at a write-only place sealed (values sealed already stay as they are). */
    public Map<String, Object> seal(Map<String, Object> config, WriteOnlyPaths secrets) {
        if (config == null) {
            return null;
        }
        Map<String, Object> copy = copy(config);
        for (List<String> path : secrets.paths()) {
            sealAt(copy, path, 0);
        }
        return copy;
    }

    /** The value of {@code params[key]} (a configuration in an operation's parameters) sealed, the rest as it was. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> sealUnder(Map<String, Object> params, String key, WriteOnlyPaths secrets) {
        if (params == null || !(params.get(key) instanceof Map<?, ?> config) || secrets.isEmpty()) {
            return params;
        }
        Map<String, Object> copy = new LinkedHashMap<>(params);
        copy.put(key, seal((Map<String, Object>) config, secrets));
        return copy;
    }

    /**
     * The configuration with every sealed value opened, for the VNF (its slowpath's {@code PUT /config}) or for a
     * check against the schema; never for an API response or a log.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> open(Map<String, Object> config) {
        return config == null ? null : (Map<String, Object>) openValue(config);
    }

    /**
     * A VNF's snapshot (its slowpath's {@code GET /snapshot}: {@code config} and the policy's state) as it is stored:
     * the secrets of its {@code config} sealed, then the whole text sealed, since the state is the VNF type's and may
     * hold keys of its own. The result is the JSON text of one sealed value.
     */
    public String sealSnapshot(String snapshot, WriteOnlyPaths secrets) {
        if (snapshot == null) {
            return null;
        }
        String text = snapshot;
        if (!secrets.isEmpty()) {
            try {
                JsonNode tree = json.readTree(snapshot);
                if (tree instanceof ObjectNode object && object.path("config").isObject()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> config = json.convertValue(object.get("config"), Map.class);
                    object.set("config", json.valueToTree(seal(config, secrets)));
                    text = json.writeValueAsString(object);
                }
            } catch (JsonProcessingException e) {
                // no JSON: sealed whole as it is (the slowpath refuses it back, as it would have)
            }
        }
        return "{\"" + ENCRYPTED + "\":\"" + cipher.encrypt(text.getBytes(StandardCharsets.UTF_8)) + "\"}";
    }

    /**
     * The text of a stored snapshot with the secrets of its config still sealed (for the vnfm to read its config as a
     * desired configuration); a snapshot stored before snapshots were sealed comes back as it is.
     */
    public String snapshotText(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            JsonNode tree = json.readTree(stored);
            if (tree.isObject() && tree.size() == 1 && tree.path(ENCRYPTED).isTextual()) {
                return new String(cipher.decrypt(tree.path(ENCRYPTED).asText()), StandardCharsets.UTF_8);
            }
        } catch (JsonProcessingException e) {
            // not sealed, and no JSON: as it is
        }
        return stored;
    }

    /** A stored snapshot opened whole, for the slowpath's {@code PUT /snapshot} only. */
    public String openSnapshot(String stored) {
        String text = snapshotText(stored);
        if (text == null || !text.contains(ENCRYPTED)) {
            return text;
        }
        try {
            JsonNode tree = json.readTree(text);
            if (tree instanceof ObjectNode object && object.path("config").isObject()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> config = json.convertValue(object.get("config"), Map.class);
                object.set("config", json.valueToTree(open(config)));
                return json.writeValueAsString(object);
            }
        } catch (JsonProcessingException e) {
            // as it is
        }
        return text;
    }

    /** Whether a value holds a sealed value anywhere. */
    public static boolean holdsSealed(Object value) {
        if (isSealed(value)) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().anyMatch(ConfigSecrets::holdsSealed);
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(ConfigSecrets::holdsSealed);
        }
        return false;
    }

    /**
     * What an API shows of a stored value: every sealed value left out (its key gone from its object, its item from
     * its array), as SOL003 leaves write-only attributes out of what it returns.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> redact(Map<String, Object> value) {
        return value == null ? null : (Map<String, Object>) redactValue(value);
    }

    /** {@link #redact(Map)} of any JSON value (a list, a scalar). */
    public static Object redactValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (!isSealed(v)) {
                    out.put(String.valueOf(k), redactValue(v));
                }
            });
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.stream().filter(v -> !isSealed(v)).forEach(v -> out.add(redactValue(v)));
            return out;
        }
        return value;
    }

    /**
     * Refuses a client's configuration that holds an object with the key {@code $encrypted}: that form is the
     * platform's stored one, never input (422, naming {@code what}).
     */
    public static void refuseSealedInput(Object input, String what) {
        if (holdsEncryptedKey(input)) {
            throw new UnprocessableContentException(what + " holds an object with the key " + ENCRYPTED
                    + ", which is reserved for the platform's stored secrets");
        }
    }

    private static boolean holdsEncryptedKey(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.containsKey(ENCRYPTED) || map.values().stream().anyMatch(ConfigSecrets::holdsEncryptedKey);
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(ConfigSecrets::holdsEncryptedKey);
        }
        return false;
    }

    /** Whether a value is one sealed secret. */
    public static boolean isSealed(Object value) {
        return value instanceof Map<?, ?> map && map.size() == 1 && map.get(ENCRYPTED) instanceof String;
    }

    @SuppressWarnings("unchecked")
    private void sealAt(Object node, List<String> path, int depth) {
        if (depth == path.size() - 1) {
            String last = path.get(depth);
            if (node instanceof Map<?, ?> m) {
                Map<String, Object> map = (Map<String, Object>) m;
                for (String key : new ArrayList<>(map.keySet())) {
                    if (last.equals(WriteOnlyPaths.ANY) || last.equals(key)) {
                        map.put(key, sealValue(map.get(key)));
                    }
                }
            } else if (node instanceof List<?> l && last.equals(WriteOnlyPaths.ANY)) {
                List<Object> list = (List<Object>) l;
                list.replaceAll(this::sealValue);
            }
            return;
        }
        if (path.isEmpty()) {
            return; // the whole configuration write-only: nothing sensible to keep; the schema is a VNF type's bug
        }
        String segment = path.get(depth);
        if (node instanceof Map<?, ?> map) {
            if (segment.equals(WriteOnlyPaths.ANY)) {
                map.values().forEach(v -> sealAt(v, path, depth + 1));
            } else if (map.containsKey(segment)) {
                sealAt(map.get(segment), path, depth + 1);
            }
        } else if (node instanceof List<?> list && segment.equals(WriteOnlyPaths.ANY)) {
            list.forEach(v -> sealAt(v, path, depth + 1));
        }
    }

    private Object sealValue(Object value) {
        if (value == null || isSealed(value)) {
            return value;
        }
        try {
            Map<String, Object> sealed = new LinkedHashMap<>();
            sealed.put(ENCRYPTED, cipher.encrypt(json.writeValueAsBytes(value)));
            return sealed;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a secret that is no JSON value", e);
        }
    }

    private Object openValue(Object value) {
        if (isSealed(value)) {
            try {
                return json.readValue(cipher.decrypt((String) ((Map<?, ?>) value).get(ENCRYPTED)), Object.class);
            } catch (IOException e) {
                throw new SecretCipher.SecretUnreadableException("a sealed value whose plaintext is no JSON");
            }
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), openValue(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(openValue(v)));
            return out;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> config) {
        return (Map<String, Object>) deepCopy(config);
    }

    private static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), deepCopy(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(deepCopy(v)));
            return out;
        }
        return value;
    }
}
