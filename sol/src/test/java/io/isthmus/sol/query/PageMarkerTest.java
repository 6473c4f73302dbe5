package io.isthmus.sol.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.isthmus.sol.problem.InvalidRequestException;

class PageMarkerTest {

    private final PageMarker markers = new PageMarker("test-key");
    private final PageMarker.Position position = new PageMarker.Position(Instant.parse("2026-12-03T07:00:00.123456Z"),
            "0b9e3c1e-4a52-4d1c-9a0e-3f1f5b2a7c11");

    @Test
    void aMarkerDecodesToThePositionItWasMadeOf() {
        String marker = markers.encode("VnfInstance", position);

        assertThat(marker).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(markers.decode("VnfInstance", marker)).isEqualTo(position);
    }

    @Test
    void anEditedMarkerIs400() {
        String marker = markers.encode("VnfInstance", position);
        String payload = marker.substring(0, marker.indexOf('.'));
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8).replace("07:00", "06:00")
                        .getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> markers.decode("VnfInstance", forged + marker.substring(marker.indexOf('.'))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("nextpage_opaque_marker is not a marker this API issued");
    }

    @Test
    void aMarkerOfAnotherListOrKeyIs400() {
        String marker = markers.encode("VnfInstance", position);

        assertThatThrownBy(() -> markers.decode("VnfLcmOpOcc", marker)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> new PageMarker("other-key").decode("VnfInstance", marker))
                .isInstanceOf(InvalidRequestException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "abc", "a.b.c", "!!!.???", "YQ.YQ", "eyJ9.", "Zm9v.Zm9v"})
    void garbageIs400(String marker) {
        assertThatThrownBy(() -> markers.decode("VnfInstance", marker)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("follow the Link header");
    }
}
