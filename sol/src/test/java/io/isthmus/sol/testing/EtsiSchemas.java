package io.isthmus.sol.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Format;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Validates real response and notification bodies against the JSON Schemas of ETSI's NFV API conformance tests
 * (NFV-TST 010, v2.6.1), vendored under {@code /etsi-api-tests/<api>/schemas/} on the test classpath (sol's
 * test-jar); see the {@code README.md} there for their origin and known defects.
 * <p>
 * {@code api} names the folder of one API, e.g. {@code "SOL003/VNFLifecycleManagement-API"} or
 * {@code "SOL005/NSLifecycleManagement-API"}; {@code schemaFile} a file in its {@code schemas} folder.
 * <p>
 * The schemas' non-standard formats are declared and checked: {@code IP} (IPv4 or IPv6), {@code MAC},
 * {@code URI} (absolute) and {@code url} (any absolute http(s) URL, loopback and single-label hosts included).
 * Standard formats ({@code date-time}, ...) are asserted too.
 * <p>
 * {@code schemaBugs} are JSON pointers into the validated body (e.g. {@code "/operationParams"},
 * {@code "/vnffgInfo/0"}) where the schema contradicts the published standard: the errors reported at exactly
 * those places are ignored, errors anywhere else (parents and children included) still count.
 */
public final class EtsiSchemas {

    /** The classpath folder holding {@code SOL00x/<API>/schemas/}. */
    public static final String ROOT = "/etsi-api-tests/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();
    private static final Pattern MAC = Pattern.compile("^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$");
    private static final Pattern IPV4 = Pattern
            .compile("^((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)$");

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
            b -> b.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV7())
                    .format(format("IP", v -> IPV4.matcher(v).matches() || v.contains(":")))
                    .format(format("MAC", v -> MAC.matcher(v).matches()))
                    .format(format("URI", EtsiSchemas::absoluteUri))
                    .format(format("url", v -> absoluteUri(v) && (v.startsWith("http://") || v.startsWith("https://"))))
                    .build()));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
            .pathType(PathType.JSON_POINTER).build();

    private EtsiSchemas() {
    }

    /**
     * The validation errors of {@code json} against {@code <api>/schemas/<schemaFile>}, each prefixed with the JSON
     * pointer of its place, but for those at the places named in {@code schemaBugs}; empty when it conforms.
     */
    public static Set<String> errors(String api, String schemaFile, String json, String... schemaBugs) {
        JsonSchema schema = CACHE.computeIfAbsent(resource(api, schemaFile), EtsiSchemas::load);
        Set<String> ignored = Set.of(schemaBugs);
        return schema.validate(parse(json)).stream()
                .filter(m -> !ignored.contains(m.getInstanceLocation().toString()))
                .map(ValidationMessage::getMessage)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Asserts that {@code json} conforms to {@code <api>/schemas/<schemaFile>} but at the {@code schemaBugs}. */
    public static void assertValid(String json, String api, String schemaFile, String... schemaBugs) {
        Set<String> errors = errors(api, schemaFile, json, schemaBugs);
        assertThat(errors).withFailMessage("%s%ndoes not conform to %s:%n%s", json, resource(api, schemaFile),
                String.join(System.lineSeparator(), errors)).isEmpty();
    }

    /**
     * Asserts that {@code jsonArray} is a JSON array each element of which conforms to the schema of one element,
     * {@code <api>/schemas/<schemaFile>}, but at the {@code schemaBugs} (pointers into one element).
     */
    public static void assertEachValid(String jsonArray, String api, String schemaFile, String... schemaBugs) {
        JsonNode array = parse(jsonArray);
        assertThat(array.isArray()).withFailMessage("not a JSON array: %s", jsonArray).isTrue();
        int index = 0;
        for (JsonNode element : array) {
            String json = element.toString();
            Set<String> errors = errors(api, schemaFile, json, schemaBugs);
            assertThat(errors).withFailMessage("element %d %s%ndoes not conform to %s:%n%s", index, json,
                    resource(api, schemaFile), String.join(System.lineSeparator(), errors)).isEmpty();
            index++;
        }
    }

    private static String resource(String api, String schemaFile) {
        return ROOT + api + "/schemas/" + schemaFile;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static JsonSchema load(String resource) {
        try (InputStream in = EtsiSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no ETSI schema " + resource + " on the classpath");
            }
            JsonNode schema = JSON.readTree(text(in.readAllBytes()));
            return FACTORY.getSchema(SchemaLocation.of("classpath:" + resource), schema, CONFIG);
        } catch (IOException e) {
            throw new UncheckedIOException("ETSI schema " + resource, e);
        }
    }

    /** Most files are UTF-8; a few have Windows-1252 punctuation in their descriptions. */
    private static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static boolean absoluteUri(String value) {
        try {
            return URI.create(value).isAbsolute();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Format format(String name, Predicate<String> test) {
        return new Format() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean matches(ExecutionContext context, String value) {
                return test.test(value);
            }
        };
    }
}
