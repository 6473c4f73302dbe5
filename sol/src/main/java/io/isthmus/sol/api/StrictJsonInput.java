package io.isthmus.sol.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * What every JSON string a service reads must be: no NUL or other control character (tab, line feed and carriage
 * return aside: PostgreSQL refuses NUL in text and jsonb, and nobody needs the others), and no longer than its
 * attribute's {@link MaxLength} (else {@link #DEFAULT_MAX_LENGTH}). Free-form attributes (maps, {@code Object}) are
 * checked all the way down, keys included. A refusal is a {@link MismatchedInputException} whose path names the
 * attribute, which {@code ProblemMappers} turns into a 400 that says where and why.
 */
@Singleton
public class StrictJsonInput implements ObjectMapperCustomizer {

    /** For strings no {@link MaxLength} bounds: values in free-form maps, peers' messages. */
    public static final int DEFAULT_MAX_LENGTH = 65_536;
    /** For keys of free-form maps. */
    public static final int MAX_KEY_LENGTH = 256;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(module());
    }

    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("isthmus-strict-json-input");
        module.addDeserializer(String.class, new Strings(DEFAULT_MAX_LENGTH));
        module.addDeserializer(Object.class, new FreeForm());
        module.addKeyDeserializer(String.class, new Keys());
        return module;
    }

    /** Why {@code value} may not be taken, or null when it may. */
    static String refusal(String value, int maxLength) {
        if (value.length() > maxLength) {
            return "longer than " + maxLength + " characters";
        }
        int at = ControlCharacters.find(value, true);
        return at < 0 ? null : "control character " + ControlCharacters.name(value.charAt(at)) + " at position " + at;
    }

    /** A refused input; its message says what is wrong, the path where. */
    public static final class RefusedInput extends MismatchedInputException {

        RefusedInput(JsonParser parser, String message) {
            super(parser, message, (Class<?>) null);
        }
    }

    static final class Strings extends StdScalarDeserializer<String> implements ContextualDeserializer {

        private final int maxLength;

        Strings(int maxLength) {
            super(String.class);
            this.maxLength = maxLength;
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            String refusal = value == null ? null : refusal(value, maxLength);
            if (refusal != null) {
                throw new RefusedInput(p, refusal);
            }
            return value;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            MaxLength max = property == null ? null : property.getAnnotation(MaxLength.class);
            return max == null || max.value() == maxLength ? this : new Strings(max.value());
        }
    }

    static final class Keys extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            String refusal = refusal(key, MAX_KEY_LENGTH);
            if (refusal != null) {
                throw new RefusedInput(ctxt.getParser(), "key " + refusal);
            }
            return key;
        }
    }

    /** Free-form JSON (maps of {@code Object}): read as a tree, checked, and handed over as maps, lists and scalars. */
    static final class FreeForm extends JsonDeserializer<Object> {

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode tree = p.readValueAsTree();
            return plain(tree, p);
        }

        private static Object plain(JsonNode node, JsonParser p) throws JsonMappingException {
            if (node == null || node.isNull() || node.isMissingNode()) {
                return null;
            }
            if (node.isTextual()) {
                String refusal = refusal(node.textValue(), DEFAULT_MAX_LENGTH);
                if (refusal != null) {
                    throw new RefusedInput(p, refusal);
                }
                return node.textValue();
            }
            if (node.isObject()) {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    String refusal = refusal(e.getKey(), MAX_KEY_LENGTH);
                    if (refusal != null) {
                        throw new RefusedInput(p, "key " + refusal);
                    }
                    try {
                        map.put(e.getKey(), plain(e.getValue(), p));
                    } catch (JsonMappingException inner) {
                        inner.prependPath(map, e.getKey());
                        throw inner;
                    }
                }
                return map;
            }
            if (node.isArray()) {
                List<Object> list = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    try {
                        list.add(plain(node.get(i), p));
                    } catch (JsonMappingException inner) {
                        inner.prependPath(list, i);
                        throw inner;
                    }
                }
                return list;
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            if (node.isNumber()) {
                return node.numberValue();
            }
            return node.asText();
        }
    }
}
