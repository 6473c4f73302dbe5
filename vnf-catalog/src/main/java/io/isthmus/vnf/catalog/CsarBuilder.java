package io.isthmus.vnf.catalog;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds a VNF package, a SOL004 CSAR in the TOSCA-Metadata layout, from its sources: the files laid out as in the
 * archive, where the manifest named by TOSCA.meta ({@code ETSI-Entry-Manifest}) holds only its {@code metadata:}
 * block. The builder
 * <ul>
 * <li>appends to the manifest the Source, Algorithm (SHA-256) and Hash of every other file but TOSCA.meta;</li>
 * <li>adds the ETSI SOL001 type files ({@code etsi_nfv_sol001_common_types.yaml},
 * {@code etsi_nfv_sol001_vnfd_types.yaml}) the VNFD imports and the sources leave out, next to the VNFD, with
 * {@value #ETSI_LICENSE}, so a VNF type's sources hold only its own files;</li>
 * <li>zips TOSCA.meta first and the rest by path, every entry at one fixed time: two builds give the same bytes.</li>
 * </ul>
 * Every {@code vnf-*} module's package is built by this class from its {@code src/main/csar} (the parent pom's
 * {@code vnf-package} profile): {@code java -cp vnf-catalog.jar io.isthmus.vnf.catalog.CsarBuilder <sources> <out>...}.
 * What it builds is checked by nothing here: {@link CsarReader} is the judge.
 */
public final class CsarBuilder {

    static final String ETSI_LICENSE = "Licenses/ETSI-SOL001-TYPES.txt";
    private static final List<String> ETSI_TYPES = List.of("etsi_nfv_sol001_common_types.yaml",
            "etsi_nfv_sol001_vnfd_types.yaml");
    private static final String ETSI_RESOURCES = "etsi/";
    /** The time of every entry, so that two builds give the same bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2025, 6, 1, 0, 0);

    private final Map<String, byte[]> sources = new TreeMap<>();

    private CsarBuilder(Map<String, byte[]> sources) {
        sources.forEach(this::file);
    }

    /** A builder over sources given as archive path → content. */
    public static CsarBuilder of(Map<String, byte[]> sources) {
        return new CsarBuilder(sources);
    }

    /** A builder over every regular file under {@code directory}, by its path relative to it. */
    public static CsarBuilder fromDirectory(Path directory) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String path = directory.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                files.put(path, Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the package sources in " + directory, e);
        }
        return new CsarBuilder(files);
    }

    /** Adds or replaces a source file; the manifest will list it with its digest. */
    public CsarBuilder file(String path, byte[] content) {
        sources.put(Objects.requireNonNull(path, "path"), content.clone());
        return this;
    }

    /** Adds or replaces a source file, UTF-8 text. */
    public CsarBuilder file(String path, String content) {
        return file(path, content.getBytes(UTF_8));
    }

    /** Leaves a source file out. */
    public CsarBuilder without(String path) {
        sources.remove(path);
        return this;
    }

    /** The files of the archive, the manifest complete, by path. */
    public Map<String, byte[]> files() {
        byte[] meta = sources.get(ToscaMeta.PATH);
        if (meta == null) {
            throw new IllegalStateException("the package sources have no " + ToscaMeta.PATH);
        }
        ToscaMeta toscaMeta = ToscaMeta.parse(meta);
        String manifestPath = toscaMeta.manifest();
        if (manifestPath == null || !sources.containsKey(manifestPath)) {
            throw new IllegalStateException("the package sources have no manifest metadata at " + manifestPath
                    + ", the ETSI-Entry-Manifest of " + ToscaMeta.PATH);
        }
        Map<String, byte[]> files = new TreeMap<>(sources);
        addEtsiTypes(toscaMeta.entryDefinitions(), files);
        StringBuilder manifest = new StringBuilder(new String(files.get(manifestPath), UTF_8).stripTrailing())
                .append('\n');
        files.forEach((path, content) -> {
            if (!path.equals(manifestPath) && !path.equals(ToscaMeta.PATH)) {
                manifest.append("\nSource: ").append(path)
                        .append("\nAlgorithm: SHA-256\nHash: ").append(Checksum.sha256(content).hash())
                        .append('\n');
            }
        });
        files.put(manifestPath, manifest.toString().getBytes(UTF_8));
        return files;
    }

    /** The CSAR. */
    public byte[] build() {
        return zip(files());
    }

    /** Zips files as {@link #build()} does: TOSCA.meta first, the rest by path, every entry at one fixed time. */
    public static byte[] zip(Map<String, byte[]> files) {
        Map<String, byte[]> ordered = new TreeMap<>((a, b) -> a.equals(b)
                ? 0
                : a.equals(ToscaMeta.PATH) ? -1 : b.equals(ToscaMeta.PATH) ? 1 : a.compareTo(b));
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

    /** Writes the CSAR built from the sources directory (first argument) to every other argument. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java -cp <jar> " + CsarBuilder.class.getName() + " <sources> <out.csar>...");
            System.exit(2);
        }
        byte[] csar = fromDirectory(Path.of(args[0])).build();
        for (int i = 1; i < args.length; i++) {
            Path out = Path.of(args[i]).toAbsolutePath();
            Files.createDirectories(out.getParent());
            Files.write(out, csar);
        }
    }

    private static void addEtsiTypes(String vnfdPath, Map<String, byte[]> files) {
        byte[] vnfd = files.get(vnfdPath);
        List<?> imports = vnfd == null ? null : ToscaYaml.list(vnfdPath, ToscaYaml.load(vnfdPath, vnfd), "imports", "");
        if (imports == null) {
            return;
        }
        for (Object entry : imports) {
            String imported = VnfdParser.importedFile(entry);
            String path = imported == null ? null : VnfdParser.resolve(vnfdPath, imported);
            if (path != null && ETSI_TYPES.contains(imported) && !files.containsKey(path)) {
                files.put(path, resource(imported));
                files.putIfAbsent(ETSI_LICENSE, resource("ETSI-SOL001-TYPES.txt"));
            }
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = CsarBuilder.class.getResourceAsStream(ETSI_RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + ETSI_RESOURCES + name + " is missing from vnf-catalog");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
