package io.isthmus.vnf.nat.csar;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds the VNF package of the NAT: a SOL004 CSAR (ETSI GS NFV-SOL 004) in the TOSCA-Metadata layout.
 *
 * <pre>
 * TOSCA-Metadata/TOSCA.meta                          Entry-Definitions, ETSI-Entry-Manifest, ETSI-Entry-Licenses
 * Definitions/isthmus_nat_vnfd.yaml                  the SOL001 VNFD (docs/contracts.md, "VNF package of the NAT")
 * Definitions/etsi_nfv_sol001_common_types.yaml      ETSI types the VNFD imports
 * Definitions/etsi_nfv_sol001_vnfd_types.yaml
 * Licenses/ETSI-SOL001-TYPES.txt                     where the ETSI types come from
 * isthmus-nat.mf                                     metadata, then Source/Algorithm/Hash (SHA-256) of every other file
 * </pre>
 *
 * The static texts are resources under {@code csar/isthmus-nat/}, laid out as in the archive; only the manifest's
 * digests are computed here. The output is byte-for-byte reproducible: entries in a fixed order with a fixed time.
 * <p>
 * {@code java -cp vnf-nat-runtime.jar io.isthmus.vnf.nat.csar.NatCsar out.csar} writes it. Plain JDK, so the runtime
 * jar needs nothing else.
 */
public final class NatCsar {

    public static final String TOSCA_META = "TOSCA-Metadata/TOSCA.meta";
    public static final String VNFD = "Definitions/isthmus_nat_vnfd.yaml";
    public static final String MANIFEST = "isthmus-nat.mf";
    /** Every file but the manifest, in archive order. */
    public static final List<String> FILES = List.of(TOSCA_META, VNFD, "Definitions/etsi_nfv_sol001_common_types.yaml",
            "Definitions/etsi_nfv_sol001_vnfd_types.yaml", "Licenses/ETSI-SOL001-TYPES.txt");

    private static final String RESOURCES = "/csar/isthmus-nat/";
    private static final String MANIFEST_METADATA = MANIFEST + ".metadata";
    /** The time of every entry, so that two builds give the same bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2025, 6, 1, 0, 0);

    private NatCsar() {
    }

    /** The NAT's CSAR. */
    public static byte[] build() {
        return builder().build();
    }

    /** A builder that starts from the NAT's CSAR and lets tests change it, before or after the manifest is made. */
    public static Builder builder() {
        return new Builder();
    }

    /** Writes the CSAR to the path given as the only argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java -cp <jar> " + NatCsar.class.getName() + " <out.csar>");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.write(out, build());
    }

    /**
     * Changes to the NAT's CSAR. Changes made with {@link #file} and {@link #without} happen before the manifest is
     * computed, so the manifest vouches for them; {@link #manifestHash}, {@link #tamper} and {@link #dropAfterManifest}
     * make packages whose manifest lies.
     */
    public static final class Builder {

        private final Map<String, byte[]> files = new LinkedHashMap<>();
        private final Map<String, String> hashOverrides = new HashMap<>();
        private final Map<String, byte[]> afterManifest = new LinkedHashMap<>();
        private byte[] manifestMetadata = resource(MANIFEST_METADATA);

        private Builder() {
            for (String path : FILES) {
                files.put(path, resource(path));
            }
        }

        /** Adds or replaces a file; the manifest lists it with its true digest. */
        public Builder file(String path, byte[] content) {
            files.put(Objects.requireNonNull(path), content.clone());
            return this;
        }

        /** Adds or replaces a file, UTF-8 text. */
        public Builder file(String path, String content) {
            return file(path, content.getBytes(UTF_8));
        }

        /** Leaves a file out of the archive and out of the manifest. */
        public Builder without(String path) {
            files.remove(path);
            return this;
        }

        /** Replaces the {@code metadata:} block of the manifest (the text before the first Source). */
        public Builder manifestMetadata(String text) {
            manifestMetadata = text.getBytes(UTF_8);
            return this;
        }

        /** Makes the manifest declare this SHA-256 (hex) for the file instead of its digest. */
        public Builder manifestHash(String path, String hash) {
            hashOverrides.put(Objects.requireNonNull(path), Objects.requireNonNull(hash));
            return this;
        }

        /**
         * Adds or replaces a file once the manifest is made: a changed file no longer matches its digest, a new one is
         * not listed. Also the way to replace the manifest itself ({@link NatCsar#MANIFEST}).
         */
        public Builder tamper(String path, byte[] content) {
            afterManifest.put(Objects.requireNonNull(path), content.clone());
            return this;
        }

        /** Removes a file once the manifest is made, so the manifest lists a file that is not there. */
        public Builder dropAfterManifest(String path) {
            afterManifest.put(Objects.requireNonNull(path), null);
            return this;
        }

        public byte[] build() {
            Map<String, byte[]> archive = new LinkedHashMap<>(files);
            archive.put(MANIFEST, manifest());
            afterManifest.forEach((path, content) -> {
                if (content == null) {
                    archive.remove(path);
                } else {
                    archive.put(path, content);
                }
            });
            return zip(archive);
        }

        private byte[] manifest() {
            StringBuilder manifest = new StringBuilder(new String(manifestMetadata, UTF_8).stripTrailing())
                    .append('\n');
            files.forEach((path, content) -> manifest.append('\n')
                    .append("Source: ")
                    .append(path)
                    .append('\n')
                    .append("Algorithm: SHA-256\n")
                    .append("Hash: ")
                    .append(hashOverrides.getOrDefault(path, sha256(content)))
                    .append('\n'));
            return manifest.toString().getBytes(UTF_8);
        }
    }

    /** TOSCA.meta first, the rest by path, all at {@link #ENTRY_TIME}. */
    private static byte[] zip(Map<String, byte[]> files) {
        Map<String, byte[]> ordered = new TreeMap<>((a, b) -> a.equals(b)
                ? 0
                : a.equals(TOSCA_META) ? -1 : b.equals(TOSCA_META) ? 1 : a.compareTo(b));
        ordered.putAll(files);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, UTF_8)) {
            zip.setLevel(9);
            for (Map.Entry<String, byte[]> file : ordered.entrySet()) {
                ZipEntry entry = new ZipEntry(file.getKey());
                entry.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(entry);
                zip.write(file.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static byte[] resource(String path) {
        try (InputStream in = NatCsar.class.getResourceAsStream(RESOURCES + path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCES + path + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
