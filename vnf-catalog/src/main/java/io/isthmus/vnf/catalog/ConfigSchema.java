package io.isthmus.vnf.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The JSON Schema of a VNF type's configuration, as its package carries it (the VNF node's
 * {@code metadata: isthmus.config_schema}): the VNFM checks a VNF's desired configuration against it before it asks
 * for a grant or starts anything, and a VNF module's tests check that its policy and its schema agree. Formats
 * ({@code ipv4}, …) are asserted. A schema may only refer within itself ({@link CsarReader} refuses packages whose
 * schema refers elsewhere), so checking a configuration never reaches the network.
 */
public final class ConfigSchema {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).pathType(PathType.JSON_POINTER).build();
    /** What a package without a schema accepts: a configuration object, any. */
    private static final ConfigSchema ANY_OBJECT = new ConfigSchema(
            FACTORY.getSchema(JSON.createObjectNode().put("type", "object"), CONFIG));

    private final JsonSchema schema;

    private ConfigSchema(JsonSchema schema) {
        this.schema = schema;
    }

    /** The schema of a package {@link CsarReader} has read; any JSON object when it names none. */
    public static ConfigSchema of(VnfPackage pkg, byte[] csar) {
        if (pkg.configSchemaPath() == null) {
            return ANY_OBJECT;
        }
        byte[] text = CsarReader.extract(csar, pkg.configSchemaPath()).orElseThrow(() -> new IllegalArgumentException(
                "the package has no " + pkg.configSchemaPath()));
        try {
            return new ConfigSchema(FACTORY.getSchema(JSON.readTree(text), CONFIG));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every way {@code config} breaks the schema, each with the JSON pointer of its place; empty when it conforms. */
    public List<String> violations(JsonNode config) {
        return schema.validate(config == null ? JSON.nullNode() : config).stream()
                .sorted(Comparator.comparing(ValidationMessage::getMessage))
                .map(ValidationMessage::getMessage)
                .toList();
    }

    /** Convenience for maps, as request bodies come. */
    public List<String> violations(Map<String, ?> config) {
        return violations((JsonNode) JSON.valueToTree(config));
    }

    /** The first {@code $ref} or {@code $dynamicRef} in the tree that is not a fragment ({@code #...}), or null. */
    static String firstNonLocalReference(JsonNode node) {
        if (node.isObject()) {
            for (var field : node.properties()) {
                if ((field.getKey().equals("$ref") || field.getKey().equals("$dynamicRef"))
                        && !(field.getValue().isTextual() && field.getValue().asText().startsWith("#"))) {
                    return field.getValue().toString();
                }
                String inside = firstNonLocalReference(field.getValue());
                if (inside != null) {
                    return inside;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                String inside = firstNonLocalReference(item);
                if (inside != null) {
                    return inside;
                }
            }
        }
        return null;
    }
}
