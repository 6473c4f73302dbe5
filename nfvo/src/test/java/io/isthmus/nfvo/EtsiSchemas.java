package io.isthmus.nfvo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.format.PatternFormat;

/**
 * Validates real response bodies against the JSON Schemas of ETSI's API conformance tests
 * ({@code ../shared/etsi/etsi-api-tests-openmsa-copy}). Their non-standard formats ({@code IP}, {@code MAC},
 * {@code URI}, ...) are declared as accepting anything (NOTES.md).
 */
public final class EtsiSchemas {

    private static final Path ROOT = locate();
    private static final ObjectMapper JSON = new ObjectMapper();

    private EtsiSchemas() {
    }

    private static Path locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/etsi/etsi-api-tests-openmsa-copy");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            Path sibling = p.resolveSibling("shared/etsi/etsi-api-tests-openmsa-copy");
            if (Files.isDirectory(sibling)) {
                return sibling;
            }
        }
        throw new IllegalStateException("../shared/etsi not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * Asserts that {@code body} validates against {@code SOL00x/<api>/schemas/<schema>}, but for the places named in
     * {@code schemaBugs} (JSON pointers) where the schema contradicts the published standard.
     */
    public static void assertValid(String body, String api, String schema, String... schemaBugs) {
        try {
            Path file = ROOT.resolve(api).resolve("schemas").resolve(schema);
            JsonMetaSchema meta = JsonMetaSchema.builder(JsonMetaSchema.getV4())
                    .format(PatternFormat.of("IP", ".*", null)).format(PatternFormat.of("MAC", ".*", null))
                    .format(PatternFormat.of("URI", ".*", null)).format(PatternFormat.of("url", ".*", null))
                    .format(PatternFormat.of("uri", ".*", null))
                    .keyword(new NonValidationKeyword("id")).build();
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                    b -> b.metaSchema(meta).defaultMetaSchemaIri(meta.getIri()));
            JsonSchema s = factory.getSchema(com.networknt.schema.SchemaLocation.of(file.toUri().toString()),
                    SchemaValidatorsConfig.builder().build());
            JsonNode node = JSON.readTree(body);
            Set<ValidationMessage> errors = new java.util.HashSet<>(s.validate(node));
            errors.removeIf(m -> java.util.Arrays.stream(schemaBugs)
                    .anyMatch(bug -> m.getInstanceLocation().toString().equals(bug)));
            assertThat(errors).withFailMessage("%s against %s: %s", body, file, errors).isEmpty();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
