package io.isthmus.vnf.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class VnfPackageJsonTest {

    @Test
    void vnfPackageSurvivesAJsonRoundTripWithPlainJackson() throws Exception {
        // Given
        VnfPackage pkg = CsarReader.read(TestCsar.valid().build());
        ObjectMapper mapper = new ObjectMapper();

        // When
        String json = mapper.writeValueAsString(pkg);
        VnfPackage back = mapper.readValue(json, VnfPackage.class);

        // Then
        assertThat(back).isEqualTo(pkg);
        assertThat(json).contains("\"vnfdId\":\"b1bb0ce7-ebca-4fa7-95ed-4840d70a1177\"");
    }
}
