package io.isthmus.vnf.catalog;

import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.HASH_MISMATCH;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.UNLISTED_ARTIFACT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.isthmus.vnf.nat.csar.NatCsar;

/** The NAT's real CSAR, as vnf-nat builds it, read against docs/contracts.md "VNF package of the NAT". */
class NatCsarReadTest {

    @Test
    void natPackageCarriesTheIdentityOfTheContract() {
        // Given
        byte[] csar = NatCsar.build();

        // When
        VnfPackage pkg = CsarReader.read(csar);

        // Then
        assertThat(pkg.vnfdId()).isEqualTo("isthmus-nat-1.0");
        assertThat(pkg.provider()).isEqualTo("Isthmus");
        assertThat(pkg.productName()).isEqualTo("isthmus-nat");
        assertThat(pkg.softwareVersion()).isEqualTo("1.0");
        assertThat(pkg.vnfdVersion()).isEqualTo("1.0");
        assertThat(pkg.vnfmInfo()).containsExactly("isthmus-vnfm");
        assertThat(pkg.flavourId()).isEqualTo("default");
        assertThat(pkg.toscaDefinitionsVersion()).isEqualTo("tosca_simple_yaml_1_3");
        assertThat(pkg.entryDefinitions()).isEqualTo("Definitions/isthmus_nat_vnfd.yaml");
    }

    @Test
    void natPackageHasOneSlowpathAndTwoFastpathsAtItsDefaultLevel() {
        // Given
        byte[] csar = NatCsar.build();

        // When
        VnfPackage pkg = CsarReader.read(csar);

        // Then
        assertThat(pkg.defaultInstantiationLevelId()).isEqualTo("default");
        assertThat(pkg.vdus()).extracting(Vdu::id, Vdu::vcpus, Vdu::memoryMb, Vdu::initialInstances)
                .containsExactly(tuple("slowpath", 1, 512, 1),
                        tuple("fastpath", 1, 256, 2));
        assertThat(pkg.vdu("slowpath").orElseThrow()).extracting(Vdu::minInstances, Vdu::maxInstances)
                .containsExactly(1, 1);
        assertThat(pkg.vdu("fastpath").orElseThrow().minInstances()).isLessThanOrEqualTo(2);
        assertThat(pkg.vdu("fastpath").orElseThrow().maxInstances()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void natPackageManifestIsVerifiedForEveryFile() {
        // Given
        byte[] csar = NatCsar.build();

        // When
        VnfPackage pkg = CsarReader.read(csar);

        // Then
        assertThat(pkg.manifest().vnfProviderId()).isEqualTo("Isthmus");
        assertThat(pkg.manifest().vnfProductName()).isEqualTo("isthmus-nat");
        assertThat(pkg.manifest().vnfPackageVersion()).isEqualTo("1.0");
        assertThat(pkg.manifestPath()).isEqualTo(NatCsar.MANIFEST);
        assertThat(pkg.artifacts()).extracting(PackageArtifact::path)
                .containsExactlyInAnyOrderElementsOf(Stream.concat(NatCsar.FILES.stream(), Stream.of(NatCsar.MANIFEST))
                        .toList());
        assertThat(pkg.artifacts()).filteredOn(a -> !a.path().equals(NatCsar.MANIFEST))
                .allSatisfy(a -> assertThat(a.manifestChecksum()).isEqualTo(a.checksum()));
    }

    @Test
    void natPackageWithAVnfdChangedAfterHashingIsRefused() {
        // Given
        byte[] csar = NatCsar.builder().tamper(NatCsar.VNFD, "tosca_definitions_version: x\n".getBytes(UTF_8)).build();

        // When
        InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class, () -> CsarReader.read(csar));

        // Then
        assertThat(e.reason()).isEqualTo(HASH_MISMATCH);
        assertThat(e.file()).contains(NatCsar.VNFD);
    }

    @Test
    void natPackageWithAnExtraFileAfterHashingIsRefused() {
        // Given
        byte[] csar = NatCsar.builder().tamper("Scripts/run.sh", "#!/bin/sh\n".getBytes(UTF_8)).build();

        // When
        InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class, () -> CsarReader.read(csar));

        // Then
        assertThat(e.reason()).isEqualTo(UNLISTED_ARTIFACT);
    }
}
