package io.isthmus.vnf.catalog;

import static io.isthmus.vnf.catalog.TestCsar.IMAGE;
import static io.isthmus.vnf.catalog.TestCsar.IMAGE_PATH;
import static io.isthmus.vnf.catalog.TestCsar.MANIFEST_PATH;
import static io.isthmus.vnf.catalog.TestCsar.TOSCA_META_PATH;
import static io.isthmus.vnf.catalog.TestCsar.VNFD;
import static io.isthmus.vnf.catalog.TestCsar.VNFD_PATH;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsarReaderTest {

    @Test
    void readsTheVnfIdentityOfAValidPackage() {
        // Given
        byte[] csar = TestCsar.valid().build();

        // When
        VnfPackage pkg = CsarReader.read(csar);

        // Then
        assertThat(pkg.vnfdId()).isEqualTo("b1bb0ce7-ebca-4fa7-95ed-4840d70a1177");
        assertThat(pkg.provider()).isEqualTo("Acme");
        assertThat(pkg.productName()).isEqualTo("acme-fw");
        assertThat(pkg.softwareVersion()).as("a plain 1.10 stays a string").isEqualTo("1.10");
        assertThat(pkg.vnfdVersion()).isEqualTo("2.3");
        assertThat(pkg.vnfmInfo()).containsExactly("0:acme-vnfm", "etsivnfm:v2.3.1");
        assertThat(pkg.flavourId()).isEqualTo("simple");
        assertThat(pkg.flavourDescription()).isEqualTo("Small firewall");
        assertThat(pkg.toscaDefinitionsVersion()).isEqualTo("tosca_simple_yaml_1_3");
    }

    @Test
    void readsTheVdusWithResourcesBoundsAndInitialInstancesOfTheDefaultLevel() {
        // Given
        byte[] csar = TestCsar.valid().build();

        // When
        VnfPackage pkg = CsarReader.read(csar);

        // Then
        assertThat(pkg.vdus()).containsExactly(new Vdu("ctrl", "Controller", VduRole.SLOWPATH, 2, 1024, 1, 2, 1, 1),
                new Vdu("worker", "Worker", VduRole.FASTPATH, 4, 2048, 1, 8, 3, 3));
        assertThat(pkg.defaultInstantiationLevelId()).isEqualTo("medium");
        assertThat(pkg.vdu("worker")).map(Vdu::initialInstances).contains(3);
    }

    @Test
    void readsTheManifestMetadata() {
        // Given
        byte[] csar = TestCsar.valid().build();

        // When
        ManifestMetadata manifest = CsarReader.read(csar).manifest();

        // Then
        assertThat(manifest.vnfProviderId()).isEqualTo("Acme");
        assertThat(manifest.vnfProductName()).isEqualTo("acme-fw");
        assertThat(manifest.vnfReleaseDateTime()).isEqualTo("2024-11-05T10:00:00+01:00");
        assertThat(manifest.vnfPackageVersion()).isEqualTo("1.10.1");
        assertThat(manifest.compatibleSpecificationVersions()).containsExactly("2.6.1", "3.3.1");
        assertThat(manifest.entries()).containsKeys("vnf_provider_id", "compatible_specification_versions");
    }

    @Test
    void listsEveryFileWithItsSha256AndTheDigestTheManifestDeclares() {
        // Given
        byte[] csar = TestCsar.valid().build();

        // When
        VnfPackage pkg = CsarReader.read(csar);

        // Then
        assertThat(pkg.artifacts()).extracting(PackageArtifact::path)
                .containsExactly(VNFD_PATH, IMAGE_PATH, TOSCA_META_PATH, MANIFEST_PATH);
        PackageArtifact image = pkg.artifact(IMAGE_PATH).orElseThrow();
        assertThat(image.sizeBytes()).isEqualTo(IMAGE.length);
        assertThat(image.checksum()).isEqualTo(Checksum.sha256(IMAGE));
        assertThat(image.manifestChecksum()).isEqualTo(Checksum.sha256(IMAGE));
        assertThat(pkg.artifact(TOSCA_META_PATH).orElseThrow().manifestChecksum()).as("not listed").isNull();
        assertThat(pkg.artifact(MANIFEST_PATH).orElseThrow().manifestChecksum()).isNull();
    }

    @Test
    void keepsTheVnfdTextTheLayoutAndTheChecksumOfTheWholeArchive() {
        // Given
        byte[] csar = TestCsar.valid().build();

        // When
        VnfPackage pkg = CsarReader.read(csar);

        // Then
        assertThat(pkg.vnfdYaml()).isEqualTo(VNFD);
        assertThat(pkg.entryDefinitions()).isEqualTo(VNFD_PATH);
        assertThat(pkg.manifestPath()).isEqualTo(MANIFEST_PATH);
        assertThat(pkg.packageChecksum()).isEqualTo(new Checksum("SHA-256", Checksum.sha256(csar).hash()));
        assertThat(pkg.packageChecksum().hash()).hasSize(64);
    }

    @Test
    void verifiesSha512DigestsOfTheManifest() {
        // Given
        byte[] csar = TestCsar.valid().algorithm("SHA-512").build();

        // When
        VnfPackage pkg = CsarReader.read(csar);

        // Then
        assertThat(pkg.artifact(IMAGE_PATH).orElseThrow().manifestChecksum())
                .isEqualTo(Checksum.of("SHA-512", IMAGE));
        assertThat(pkg.artifact(IMAGE_PATH).orElseThrow().checksum().algorithm()).isEqualTo("SHA-256");
    }

    @Test
    void readsAPackageInTheRootYamlLayout() {
        // Given no TOSCA-Metadata, a single YAML at the root and its manifest next to it
        byte[] csar = TestCsar.valid()
                .without(TOSCA_META_PATH)
                .without(VNFD_PATH)
                .file("acme_fw.yaml", VNFD)
                .manifestAt("acme_fw.mf")
                .build();

        // When
        VnfPackage pkg = CsarReader.read(csar);

        // Then
        assertThat(pkg.entryDefinitions()).isEqualTo("acme_fw.yaml");
        assertThat(pkg.manifestPath()).isEqualTo("acme_fw.mf");
        assertThat(pkg.vnfdId()).isEqualTo("b1bb0ce7-ebca-4fa7-95ed-4840d70a1177");
    }

    @Test
    void takesPropertiesTheVnfTemplateLeavesOutFromTheDefaultsOfItsTypes() {
        // Given a VNF type that fixes identity with defaults, in a types file the VNFD imports
        String types = """
                tosca_definitions_version: tosca_simple_yaml_1_3
                node_types:
                  acme.nodes.FirewallBase:
                    derived_from: tosca.nodes.nfv.VNF
                    properties:
                      provider: { type: string, default: Acme }
                      vnfm_info: { type: list, default: [ "0:acme-vnfm" ] }
                  acme.nodes.Firewall:
                    derived_from: acme.nodes.FirewallBase
                    properties:
                      descriptor_id: { type: string, default: fw-from-type }
                """;
        String vnfd = VNFD.replace("""
                node_types:
                  acme.nodes.Firewall:
                    derived_from: tosca.nodes.nfv.VNF
                """, "")
                .replace("  - etsi_nfv_sol001_vnfd_types.yaml\n",
                        "  - etsi_nfv_sol001_vnfd_types.yaml\n  - types/acme.yaml\n")
                .replace("        descriptor_id: b1bb0ce7-ebca-4fa7-95ed-4840d70a1177\n", "")
                .replace("        provider: Acme\n", "")
                .replace("        vnfm_info: [ \"0:acme-vnfm\", \"etsivnfm:v2.3.1\" ]\n", "");
        byte[] csar = TestCsar.valid().vnfd(vnfd).file("Definitions/types/acme.yaml", types).build();

        // When
        VnfPackage pkg = CsarReader.read(csar);

        // Then
        assertThat(pkg.vnfdId()).isEqualTo("fw-from-type");
        assertThat(pkg.provider()).isEqualTo("Acme");
        assertThat(pkg.vnfmInfo()).containsExactly("0:acme-vnfm");
    }

    @Test
    void startsAVduAtItsMinimumWhenTheVnfdHasNoInstantiationLevels() {
        // Given
        String vnfd = VNFD.substring(0, VNFD.indexOf("  policies:"));
        byte[] csar = TestCsar.valid().vnfd(vnfd).build();

        // When
        VnfPackage pkg = CsarReader.read(csar);

        // Then
        assertThat(pkg.defaultInstantiationLevelId()).isNull();
        assertThat(pkg.vdus()).extracting(Vdu::initialInstances).containsExactly(1, 1);
    }

    @Test
    void skipsTheNonManoArtifactSetsAndTheCmsSignatureOfTheManifest() {
        // Given
        byte[] csar = TestCsar.valid().manifestTail("""

                non_mano_artifact_sets:
                  onap_ves_events:
                    Source: Files/images/fw.qcow2

                -----BEGIN CMS-----
                MIIGmQYJKoZIhvcNAQcCoIIGijCCBoYCAQExDTALBglghkgBZQMEAgEwCwYJKoZI
                -----END CMS-----
                """).build();

        // When
        VnfPackage pkg = CsarReader.read(csar);

        // Then
        assertThat(pkg.artifacts()).hasSize(4);
    }

    @Test
    void extractGivesOneFileOfAPackage() {
        // Given
        byte[] csar = TestCsar.valid().build();

        // When / Then
        assertThat(CsarReader.extract(csar, IMAGE_PATH)).hasValueSatisfying(b -> assertThat(b).isEqualTo(IMAGE));
        assertThat(CsarReader.extract(csar, "Files/none")).isEmpty();
        assertThat(new String(CsarReader.extract(csar, VNFD_PATH).orElseThrow(), UTF_8)).isEqualTo(VNFD);
    }
}
