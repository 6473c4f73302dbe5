package io.isthmus.vnf.nat.csar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NatCsarTest {

    private static final Pattern SOURCE_BLOCK = Pattern
            .compile("Source: (\\S+)\\nAlgorithm: SHA-256\\nHash: ([0-9a-f]{64})\\n");

    @Test
    void buildGivesTheSameBytesEveryTime() {
        // When
        byte[] first = NatCsar.build();
        byte[] second = NatCsar.build();

        // Then
        assertThat(first).isEqualTo(second);
    }

    @Test
    void archiveHoldsToscaMetaFirstThenTheVnfdTheEtsiTypesAndTheManifest() throws IOException {
        // When
        Map<String, byte[]> files = unzip(NatCsar.build());

        // Then
        assertThat(files.keySet()).first().isEqualTo("TOSCA-Metadata/TOSCA.meta");
        assertThat(files).containsOnlyKeys("TOSCA-Metadata/TOSCA.meta", "Definitions/isthmus_nat_vnfd.yaml",
                "Definitions/etsi_nfv_sol001_common_types.yaml", "Definitions/etsi_nfv_sol001_vnfd_types.yaml",
                "Licenses/ETSI-SOL001-TYPES.txt", "isthmus-nat.mf");
        assertThat(text(files, "TOSCA-Metadata/TOSCA.meta")).contains(
                "Entry-Definitions: Definitions/isthmus_nat_vnfd.yaml", "ETSI-Entry-Manifest: isthmus-nat.mf");
    }

    @Test
    void manifestDeclaresTheSha256OfEveryOtherFile() throws IOException {
        // Given
        Map<String, byte[]> files = unzip(NatCsar.build());

        // When
        Map<String, String> declared = declaredHashes(text(files, "isthmus-nat.mf"));

        // Then
        assertThat(declared).hasSize(files.size() - 1);
        files.forEach((path, content) -> {
            if (!path.equals("isthmus-nat.mf")) {
                assertThat(declared).containsEntry(path, NatCsar.sha256(content));
            }
        });
    }

    @Test
    void manifestStartsWithTheSol004Metadata() throws IOException {
        // When
        String manifest = text(unzip(NatCsar.build()), "isthmus-nat.mf");

        // Then
        assertThat(manifest).startsWith("metadata:\n")
                .contains("vnf_provider_id: Isthmus\n", "vnf_product_name: isthmus-nat\n",
                        "vnf_release_date_time: ", "vnf_package_version: 1.0\n");
    }

    @Test
    void vnfdCarriesTheValuesOfTheContract() throws IOException {
        // When
        String vnfd = text(unzip(NatCsar.build()), "Definitions/isthmus_nat_vnfd.yaml");

        // Then
        assertThat(vnfd).contains("tosca_definitions_version: tosca_simple_yaml_1_3",
                "- etsi_nfv_sol001_common_types.yaml", "- etsi_nfv_sol001_vnfd_types.yaml",
                "derived_from: tosca.nodes.nfv.VNF", "descriptor_id: isthmus-nat-1.0", "provider: Isthmus",
                "product_name: isthmus-nat", "software_version: \"1.0\"", "vnfm_info: [ isthmus-vnfm ]",
                "flavour_id: default", "type: tosca.nodes.nfv.Vdu.Compute", "virtual_mem_size: 512 MB",
                "virtual_mem_size: 256 MB", "type: tosca.policies.nfv.InstantiationLevels");
    }

    @Test
    void tamperAfterManifestChangesAFileButNotItsDeclaredHash() throws IOException {
        // Given
        byte[] original = unzip(NatCsar.build()).get(NatCsar.VNFD);

        // When
        Map<String, byte[]> files = unzip(NatCsar.builder().tamper(NatCsar.VNFD, "tampered".getBytes(UTF_8)).build());

        // Then
        assertThat(text(files, NatCsar.VNFD)).isEqualTo("tampered");
        assertThat(declaredHashes(text(files, NatCsar.MANIFEST))).containsEntry(NatCsar.VNFD,
                NatCsar.sha256(original));
    }

    @Test
    void fileBeforeManifestIsListedWithItsDigest() throws IOException {
        // When
        Map<String, byte[]> files = unzip(NatCsar.builder().file("Files/extra.txt", "extra").build());

        // Then
        assertThat(declaredHashes(text(files, NatCsar.MANIFEST))).containsEntry("Files/extra.txt",
                NatCsar.sha256("extra".getBytes(UTF_8)));
    }

    @Test
    void manifestHashOverridesTheDeclaredDigest() throws IOException {
        // Given
        String wrong = "0".repeat(64);

        // When
        Map<String, byte[]> files = unzip(NatCsar.builder().manifestHash(NatCsar.VNFD, wrong).build());

        // Then
        assertThat(declaredHashes(text(files, NatCsar.MANIFEST))).containsEntry(NatCsar.VNFD, wrong);
    }

    @Test
    void mainWritesTheCsarToTheGivenPath(@TempDir Path dir) throws IOException {
        // Given
        Path out = dir.resolve("sub/isthmus-nat.csar");

        // When
        NatCsar.main(new String[]{out.toString()});

        // Then
        assertThat(Files.readAllBytes(out)).isEqualTo(NatCsar.build());
    }

    private static Map<String, String> declaredHashes(String manifest) {
        Map<String, String> hashes = new LinkedHashMap<>();
        Matcher m = SOURCE_BLOCK.matcher(manifest);
        while (m.find()) {
            hashes.put(m.group(1), m.group(2));
        }
        return hashes;
    }

    private static String text(Map<String, byte[]> files, String path) {
        assertThat(files).containsKey(path);
        return new String(files.get(path), UTF_8);
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), UTF_8)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                files.put(entry.getName(), in.readAllBytes());
            }
        }
        return files;
    }
}
