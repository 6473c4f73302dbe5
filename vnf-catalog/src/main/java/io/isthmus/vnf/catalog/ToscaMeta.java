package io.isthmus.vnf.catalog;

import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.INVALID_TOSCA_META;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TOSCA-Metadata/TOSCA.meta (TOSCA CSAR, ETSI GS NFV-SOL 004 clause 4.2): {@code Key: value} lines. Only block 0 (up
 * to the first blank line) matters to SOL004; later blocks (TOSCA 1.0 per-file blocks) are ignored.
 */
record ToscaMeta(Map<String, String> keys) {

    static final String PATH = "TOSCA-Metadata/TOSCA.meta";
    static final String ENTRY_DEFINITIONS = "Entry-Definitions";
    static final String ETSI_ENTRY_MANIFEST = "ETSI-Entry-Manifest";
    /** The key of SOL004 before v2.6.1. */
    static final String ENTRY_MANIFEST = "Entry-Manifest";
    static final String ETSI_ENTRY_CERTIFICATE = "ETSI-Entry-Certificate";
    private static final List<String> REQUIRED = List.of("TOSCA-Meta-File-Version", "CSAR-Version", "Created-By",
            ENTRY_DEFINITIONS);
    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)\\s*:\\s*(.*?)\\s*");

    static ToscaMeta parse(byte[] content) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidPackageException(INVALID_TOSCA_META, PATH, PATH + " is not UTF-8 text", e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : text.split("\\R", -1)) {
            lineNumber++;
            if (line.isBlank()) {
                if (!keys.isEmpty()) {
                    break;
                }
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new InvalidPackageException(INVALID_TOSCA_META, PATH,
                        PATH + " line " + lineNumber + " is not 'Key: value'");
            }
            if (keys.putIfAbsent(m.group(1), m.group(2)) != null) {
                throw new InvalidPackageException(INVALID_TOSCA_META, PATH,
                        PATH + " repeats the key " + m.group(1) + " (line " + lineNumber + ")");
            }
        }
        for (String key : REQUIRED) {
            if (keys.getOrDefault(key, "").isEmpty()) {
                throw new InvalidPackageException(INVALID_TOSCA_META, PATH, PATH + " has no " + key);
            }
        }
        return new ToscaMeta(Map.copyOf(keys));
    }

    String entryDefinitions() {
        return keys.get(ENTRY_DEFINITIONS);
    }

    /** ETSI-Entry-Manifest, or Entry-Manifest of older packages; null when neither is there. */
    String manifest() {
        String etsi = keys.get(ETSI_ENTRY_MANIFEST);
        return etsi != null && !etsi.isEmpty() ? etsi : emptyToNull(keys.get(ENTRY_MANIFEST));
    }

    String certificate() {
        return emptyToNull(keys.get(ETSI_ENTRY_CERTIFICATE));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
