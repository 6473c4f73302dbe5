package io.isthmus.vnf.catalog;

import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.INVALID_MANIFEST;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SOL004 manifest (clause 4.3.2 of ETSI GS NFV-SOL 004): a {@code metadata:} block, then one block per file:
 *
 * <pre>
 * metadata:
 * vnf_provider_id: Isthmus
 * vnf_product_name: isthmus-nat
 * vnf_release_date_time: 2025-06-01T00:00:00+00:00
 * vnf_package_version: 1.0
 *
 * Source: Definitions/isthmus_nat_vnfd.yaml
 * Algorithm: SHA-256
 * Hash: 5f0c...
 * </pre>
 *
 * An optional {@code non_mano_artifact_sets:} section and a trailing CMS signature are skipped. Every Source must carry
 * an Algorithm and a Hash: the catalog supports security option 1 (per-file digests) only, and local files only.
 */
record Manifest(ManifestMetadata metadata, Map<String, Checksum> sources, Set<String> signatureFiles) {

    static final String VNF_PROVIDER_ID = "vnf_provider_id";
    static final String VNF_PRODUCT_NAME = "vnf_product_name";
    static final String VNF_RELEASE_DATE_TIME = "vnf_release_date_time";
    static final String VNF_PACKAGE_VERSION = "vnf_package_version";
    static final String COMPATIBLE_SPECIFICATION_VERSIONS = "compatible_specification_versions";

    /** JDK digest name by the spellings a manifest may use. */
    private static final Map<String, String> ALGORITHMS = Map.of("SHA-224", "SHA-224", "SHA224", "SHA-224", "SHA-256",
            "SHA-256", "SHA256", "SHA-256", "SHA-384", "SHA-384", "SHA384", "SHA-384", "SHA-512", "SHA-512", "SHA512",
            "SHA-512");
    private static final Pattern KEY_VALUE = Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*)\\s*:\\s*(.*?)\\s*");

    static Manifest parse(String path, byte[] content) {
        String text = decode(path, content);
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Checksum> sources = new LinkedHashMap<>();
        Set<String> signatureFiles = new LinkedHashSet<>();
        Section section = Section.NONE;
        String source = null;
        String algorithm = null;
        String hash = null;
        boolean sawMetadata = false;
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int lineNumber = i + 1;
            if (line.strip().equals("-----BEGIN CMS-----")) {
                section = Section.SIGNATURE;
                continue;
            }
            if (section == Section.SIGNATURE) {
                if (line.strip().equals("-----END CMS-----")) {
                    section = Section.NONE;
                }
                continue;
            }
            if (line.isBlank()) {
                if (section == Section.METADATA) {
                    section = Section.NONE;
                }
                continue;
            }
            boolean indented = Character.isWhitespace(line.charAt(0));
            if (section == Section.NON_MANO && indented) {
                continue; // the set members repeat Sources listed with their digests elsewhere
            }
            Matcher m = KEY_VALUE.matcher(line.strip());
            if (!m.matches()) {
                throw invalid(path, path + " line " + lineNumber + " is not 'key: value'");
            }
            String key = m.group(1);
            String value = m.group(2);
            if (key.equals("metadata") && value.isEmpty()) {
                if (sawMetadata) {
                    throw invalid(path, path + " has two metadata blocks (line " + lineNumber + ")");
                }
                sawMetadata = true;
                section = Section.METADATA;
                continue;
            }
            if (key.equals("non_mano_artifact_sets") && value.isEmpty()) {
                section = Section.NON_MANO;
                continue;
            }
            if (key.equals("Source")) {
                if (source != null) {
                    sources.put(source, checksum(path, source, algorithm, hash));
                }
                source = value;
                algorithm = null;
                hash = null;
                section = Section.SOURCE;
                if (source.contains("://")) {
                    throw invalid(path, path + " lists the external artifact " + source
                            + "; only files inside the package are supported");
                }
                if (sources.containsKey(source)) {
                    throw invalid(path, path + " lists " + source + " twice");
                }
                continue;
            }
            switch (section) {
                case METADATA -> {
                    if (metadata.putIfAbsent(key, value) != null) {
                        throw invalid(path, path + " repeats the metadata " + key + " (line " + lineNumber + ")");
                    }
                }
                case SOURCE -> {
                    switch (key) {
                        case "Algorithm" -> algorithm = value;
                        case "Hash" -> hash = value;
                        case "Signature", "Certificate" -> signatureFiles.add(value);
                        default -> throw invalid(path,
                                path + " line " + lineNumber + ": unexpected '" + key + "' in the block of " + source);
                    }
                }
                default -> throw invalid(path, path + " line " + lineNumber + ": unexpected '" + key + "'");
            }
        }
        if (source != null) {
            sources.put(source, checksum(path, source, algorithm, hash));
        }
        if (!sawMetadata) {
            throw invalid(path, path + " has no metadata block");
        }
        return new Manifest(metadata(path, metadata), Map.copyOf(sources), Set.copyOf(signatureFiles));
    }

    private static ManifestMetadata metadata(String path, Map<String, String> entries) {
        String releaseDateTime = required(path, entries, VNF_RELEASE_DATE_TIME);
        try {
            OffsetDateTime.parse(releaseDateTime);
        } catch (DateTimeParseException e) {
            throw invalid(path, path + " has a " + VNF_RELEASE_DATE_TIME + " that is not an RFC 3339 date-time: "
                    + releaseDateTime);
        }
        String versions = entries.getOrDefault(COMPATIBLE_SPECIFICATION_VERSIONS, "");
        List<String> compatible = versions.isBlank()
                ? List.of()
                : Arrays.stream(versions.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        return new ManifestMetadata(required(path, entries, VNF_PROVIDER_ID), required(path, entries, VNF_PRODUCT_NAME),
                releaseDateTime, required(path, entries, VNF_PACKAGE_VERSION), compatible, entries);
    }

    private static String required(String path, Map<String, String> entries, String key) {
        String value = entries.get(key);
        if (value == null || value.isEmpty()) {
            throw invalid(path, path + " has no metadata " + key);
        }
        return value;
    }

    private static Checksum checksum(String path, String source, String algorithm, String hash) {
        if (algorithm == null || hash == null) {
            throw invalid(path, path + " gives no Algorithm and Hash for " + source);
        }
        String jdkName = ALGORITHMS.get(algorithm.toUpperCase(Locale.ROOT));
        if (jdkName == null) {
            throw invalid(path, path + " uses the unsupported algorithm " + algorithm + " for " + source
                    + " (SHA-224, SHA-256, SHA-384 or SHA-512)");
        }
        int expectedLength = switch (jdkName) {
            case "SHA-224" -> 56;
            case "SHA-256" -> 64;
            case "SHA-384" -> 96;
            default -> 128;
        };
        if (hash.length() != expectedLength || !isHex(hash)) {
            throw invalid(path, path + " gives a Hash for " + source + " that is not a hexadecimal " + jdkName
                    + " digest");
        }
        return new Checksum(jdkName, hash);
    }

    private static boolean isHex(String s) {
        return s.chars().allMatch(HexFormat::isHexDigit);
    }

    private static String decode(String path, byte[] content) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new InvalidPackageException(INVALID_MANIFEST, path, path + " is not UTF-8 text", e);
        }
    }

    private static InvalidPackageException invalid(String path, String detail) {
        return new InvalidPackageException(INVALID_MANIFEST, path, detail);
    }

    private enum Section {
        NONE, METADATA, SOURCE, NON_MANO, SIGNATURE
    }
}
