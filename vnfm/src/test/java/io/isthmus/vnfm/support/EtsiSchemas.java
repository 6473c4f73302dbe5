package io.isthmus.vnfm.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The ETSI conformance schemas of SOL003 VNF LCM (v2.6.1, see /work/shared/etsi/NOTES.md), with the non-standard
 * formats they use declared: {@code IP}, {@code MAC}, {@code URI}, and {@code url} (any absolute http(s) URL,
 * loopback included).
 */
public final class EtsiSchemas {

    private static final Path DIR = Path.of("../../shared/etsi/etsi-api-tests-openmsa-copy/SOL003/"
            + "VNFLifecycleManagement-API/schemas");
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
            .build();

    private EtsiSchemas() {
    }

    /** The validation errors of {@code json} against the named schema file; empty when it conforms. */
    public static Set<String> errors(String schemaFile, String json) {
        JsonSchema schema = CACHE.computeIfAbsent(schemaFile, EtsiSchemas::load);
        return schema.validate(json, InputFormat.JSON).stream().map(ValidationMessage::getMessage)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    public static void assertConforms(String schemaFile, String json) {
        assertThat(errors(schemaFile, json)).as("%s against %s", json, schemaFile).isEmpty();
    }

    /** Every element of a JSON array conforms to the schema of one element. */
    public static void assertEachConforms(String schemaFile, String jsonArray) {
        try {
            JsonNode array = JSON.readTree(jsonArray);
            assertThat(array.isArray()).as("a JSON array: %s", jsonArray).isTrue();
            for (JsonNode element : array) {
                assertConforms(schemaFile, element.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema load(String schemaFile) {
        try {
            byte[] bytes = Files.readAllBytes(DIR.resolve(schemaFile));
            return FACTORY.getSchema(text(bytes), InputFormat.JSON, CONFIG);
        } catch (IOException e) {
            throw new UncheckedIOException("schema " + DIR.resolve(schemaFile).toAbsolutePath(), e);
        }
    }

    /** Most files are UTF-8; a few have Windows-1252 punctuation in their descriptions. */
    private static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes))
                    .toString();
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
