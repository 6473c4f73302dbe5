package io.isthmus.vnf.catalog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one builder of every VNF type's CSAR: from sources laid out as the archive, to a package the reader takes. */
class CsarBuilderTest {

    private static final Pattern SOURCE_BLOCK = Pattern
            .compile("Source: (\\S+)\\nAlgorithm: SHA-256\\nHash: ([0-9a-f]{64})\\n");

    private static Map<String, byte[]> sources() {
        Map<String, byte[]> sources = new LinkedHashMap<>();
        sources.put(TestCsar.TOSCA_META_PATH,
                (TestCsar.TOSCA_META + "ETSI-Entry-Licenses: Licenses\n").getBytes(UTF_8));
        sources.put(TestCsar.VNFD_PATH, TestCsar.VNFD.getBytes(UTF_8));
        sources.put(TestCsar.MANIFEST_PATH, TestCsar.MANIFEST_METADATA.getBytes(UTF_8));
        sources.put(TestCsar.IMAGE_PATH, TestCsar.IMAGE);
        return sources;
    }

    @Test
    void buildsAPackageTheReaderAcceptsWithEveryFileHashedInTheManifest() {
        // When
        byte[] csar = CsarBuilder.of(sources()).build();
        VnfPackage pkg = CsarReader.read(csar);

        // Then
        assertThat(pkg.vnfType()).isEqualTo("firewall");
        assertThat(pkg.artifacts()).filteredOn(a -> !a.path().equals(TestCsar.MANIFEST_PATH)
                && !a.path().equals(TestCsar.TOSCA_META_PATH))
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.manifestChecksum()).isEqualTo(a.checksum()));
    }

    @Test
    void addsTheEtsiTypesTheVnfdImportsAndTheirLicence() {
        // When
        Map<String, byte[]> files = CsarBuilder.of(sources()).files();

        // Then
        assertThat(files).containsKeys("Definitions/etsi_nfv_sol001_common_types.yaml",
                "Definitions/etsi_nfv_sol001_vnfd_types.yaml", "Licenses/ETSI-SOL001-TYPES.txt");
        assertThat(declaredHashes(new String(files.get(TestCsar.MANIFEST_PATH), UTF_8)))
                .containsKeys("Definitions/etsi_nfv_sol001_vnfd_types.yaml", "Licenses/ETSI-SOL001-TYPES.txt")
                .doesNotContainKeys(TestCsar.TOSCA_META_PATH, TestCsar.MANIFEST_PATH);
    }

    @Test
    void keepsTheEtsiTypesTheSourcesBringThemselves() {
        // Given
        Map<String, byte[]> sources = sources();
        sources.put("Definitions/etsi_nfv_sol001_common_types.yaml", "own copy".getBytes(UTF_8));

        // When
        Map<String, byte[]> files = CsarBuilder.of(sources).files();

        // Then
        assertThat(new String(files.get("Definitions/etsi_nfv_sol001_common_types.yaml"), UTF_8))
                .isEqualTo("own copy");
    }

    @Test
    void givesTheSameBytesEveryTime() {
        assertThat(CsarBuilder.of(sources()).build()).isEqualTo(CsarBuilder.of(sources()).build());
    }

    @Test
    void manifestStartsWithTheMetadataOfItsSource() {
        // When
        String manifest = new String(CsarBuilder.of(sources()).files().get(TestCsar.MANIFEST_PATH), UTF_8);

        // Then
        assertThat(manifest).startsWith(TestCsar.MANIFEST_METADATA.stripTrailing() + "\n\nSource: ");
    }

    @Test
    void mainBuildsFromADirectoryToEveryPathGiven(@TempDir Path dir) throws IOException {
        // Given
        Path src = dir.resolve("src");
        for (Map.Entry<String, byte[]> source : sources().entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, source.getValue());
        }
        Path first = dir.resolve("out/a.csar");
        Path second = dir.resolve("classes/isthmus-csar/a.csar");

        // When
        CsarBuilder.main(new String[]{src.toString(), first.toString(), second.toString()});

        // Then
        assertThat(Files.readAllBytes(first)).isEqualTo(CsarBuilder.of(sources()).build())
                .isEqualTo(Files.readAllBytes(second));
    }

    private static Map<String, String> declaredHashes(String manifest) {
        Map<String, String> hashes = new LinkedHashMap<>();
        Matcher m = SOURCE_BLOCK.matcher(manifest);
        while (m.find()) {
            hashes.put(m.group(1), m.group(2));
        }
        return hashes;
    }
}
