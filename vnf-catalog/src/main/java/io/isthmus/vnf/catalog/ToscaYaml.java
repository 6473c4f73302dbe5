package io.isthmus.vnf.catalog;

import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.INVALID_VNFD;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Loads TOSCA YAML into plain maps, lists and scalars, safely: no Java types from tags, bounded aliases (no billion
 * laughs), bounded nesting, duplicate keys refused. Plain scalars that look like floats or dates stay strings, so
 * {@code software_version: 1.10} reads "1.10", not 1.1.
 */
final class ToscaYaml {

    private static final int MAX_ALIASES = 50;
    private static final int MAX_NESTING = 64;
    private static final int MAX_CODE_POINTS = 8 * 1024 * 1024;

    private ToscaYaml() {
    }

    /** The document as a map; INVALID_VNFD naming the file if it is not YAML or not a mapping. */
    static Map<String, Object> load(String path, byte[] content) {
        Object document;
        try {
            document = yaml().load(text(path, content));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            String where = mark == null
                    ? ""
                    : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
            throw new InvalidPackageException(INVALID_VNFD, path,
                    path + " is not valid YAML: " + firstLine(e.getProblem()) + where, e);
        } catch (YAMLException e) {
            throw new InvalidPackageException(INVALID_VNFD, path,
                    path + " is not valid YAML: " + firstLine(e.getMessage()), e);
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new InvalidPackageException(INVALID_VNFD, path, path + " is not a YAML mapping");
        }
        return stringKeys(path, map);
    }

    static String text(String path, byte[] content) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new InvalidPackageException(INVALID_VNFD, path, path + " is not UTF-8 text", e);
        }
    }

    /** A mapping under key, or null when absent; INVALID_VNFD when present but not a mapping. */
    static Map<String, Object> map(String path, Map<String, Object> parent, String key, String where) {
        Object value = parent.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidPackageException(INVALID_VNFD, path, path + ": " + where + key + " is not a mapping");
        }
        return stringKeys(path, map);
    }

    /** A list under key, or null when absent; INVALID_VNFD when present but not a list. */
    static List<?> list(String path, Map<String, Object> parent, String key, String where) {
        Object value = parent.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw new InvalidPackageException(INVALID_VNFD, path, path + ": " + where + key + " is not a list");
        }
        return list;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> stringKeys(String path, Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new InvalidPackageException(INVALID_VNFD, path, path + " has a non-string key: " + key);
            }
        }
        return (Map<String, Object>) map;
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(MAX_CODE_POINTS);
        DumperOptions dumper = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, new StringyResolver());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) : line;
    }

    /** SnakeYAML's resolver without the float and timestamp rules: TOSCA versions and dates are strings. */
    private static final class StringyResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO", 10);
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
            addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
            addImplicitResolver(Tag.NULL, EMPTY, null, 10);
            addImplicitResolver(Tag.YAML, YAML, "!&*", 10);
        }
    }
}
