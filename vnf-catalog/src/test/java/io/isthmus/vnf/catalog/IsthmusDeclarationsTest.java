package io.isthmus.vnf.catalog;

import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.INVALID_VNFD;
import static io.isthmus.vnf.catalog.TestCsar.VNFD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;

/** The VNF type, the VDU roles and the configuration schema a VNFD declares for Isthmus (docs/contracts.md). */
class IsthmusDeclarationsTest {

    private static final String WITH_SCHEMA = VNFD.replace("isthmus.vnf_type: firewall",
            "isthmus.vnf_type: firewall\n        isthmus.config_schema: Definitions/config.schema.json");

    @Test
    void readsTheVnfTypeAndEachVduRoleFromTheVnfdMetadata() {
        // When
        VnfPackage pkg = CsarReader.read(TestCsar.valid().build());

        // Then
        assertThat(pkg.vnfType()).isEqualTo("firewall");
        assertThat(pkg.vdus()).extracting(Vdu::id, Vdu::role)
                .containsExactly(tuple("ctrl", VduRole.SLOWPATH),
                        tuple("worker", VduRole.FASTPATH));
        assertThat(pkg.configSchemaPath()).isNull();
    }

    @Test
    void refusesAVnfdThatDeclaresNoVnfType() {
        // Given
        byte[] csar = TestCsar.valid().vnfd(VNFD.replace("isthmus.vnf_type: firewall", "other: x")).build();

        // When
        InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class, () -> CsarReader.read(csar));

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_VNFD);
        assertThat(e.detail()).contains("isthmus.vnf_type", "declares no VNF type");
    }

    @Test
    void refusesAVnfTypeThatIsNoPlainName() {
        // Given
        byte[] csar = TestCsar.valid().vnfd(VNFD.replace("isthmus.vnf_type: firewall", "isthmus.vnf_type: Fire/Wall"))
                .build();

        // When
        InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class, () -> CsarReader.read(csar));

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_VNFD);
        assertThat(e.detail()).contains("lower-case letters and digits");
    }

    @Test
    void refusesAVduWithoutAKnownRole() {
        // Given
        byte[] csar = TestCsar.valid().vnfd(VNFD.replace("isthmus.vdu_role: fastpath", "isthmus.vdu_role: worker"))
                .build();

        // When
        InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class, () -> CsarReader.read(csar));

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_VNFD);
        assertThat(e.detail()).contains("Vdu.Compute worker declares no role", "[slowpath, fastpath]");
    }

    @Test
    void refusesAVnfWithTwoSlowpaths() {
        // Given
        byte[] csar = TestCsar.valid().vnfd(VNFD.replace("isthmus.vdu_role: fastpath", "isthmus.vdu_role: slowpath"))
                .build();

        // When
        InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class, () -> CsarReader.read(csar));

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_VNFD);
        assertThat(e.detail()).contains("one slowpath and at least one fastpath");
    }

    @Test
    void readsTheConfigurationSchemaThePackageCarries() {
        // Given
        byte[] csar = TestCsar.valid().vnfd(WITH_SCHEMA)
                .file("Definitions/config.schema.json", "{\"type\":\"object\"}").build();

        // When
        VnfPackage pkg = CsarReader.read(csar);

        // Then
        assertThat(pkg.configSchemaPath()).isEqualTo("Definitions/config.schema.json");
    }

    @Test
    void refusesAConfigurationSchemaThatIsNotInThePackage() {
        // Given
        byte[] csar = TestCsar.valid().vnfd(WITH_SCHEMA).build();

        // When
        InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class, () -> CsarReader.read(csar));

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_VNFD);
        assertThat(e.detail()).contains("Definitions/config.schema.json", "not in the archive");
    }

    @Test
    void refusesAConfigurationSchemaThatIsNotAJsonObject() {
        // Given
        byte[] csar = TestCsar.valid().vnfd(WITH_SCHEMA).file("Definitions/config.schema.json", "[1, 2").build();

        // When
        InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class, () -> CsarReader.read(csar));

        // Then
        assertThat(e.reason()).isEqualTo(INVALID_VNFD);
        assertThat(e.file()).contains("Definitions/config.schema.json");
    }
}
