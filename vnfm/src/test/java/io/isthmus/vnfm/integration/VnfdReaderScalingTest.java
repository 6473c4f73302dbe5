package io.isthmus.vnfm.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.isthmus.sol.problem.UnprocessableContentException;
import io.isthmus.vnf.catalog.PackagedCsars;
import io.isthmus.vnfm.lifecycle.ScalePlans;

/** What the vnfm reads of the NAT's VNFD for scaling, and the targets it plans from it. */
class VnfdReaderScalingTest {

    private final VnfDescriptor nat = new VnfdReader().read(PackagedCsars.load("vnf-nat"));

    @Test
    void theNatScalesItsFastpathsOneAStepFromOneToFour() {
        assertThat(nat.aspects()).extracting(VnfDescriptor.Aspect::id).containsExactly("fastpath");
        assertThat(nat.defaultLevels()).containsEntry("fastpath", 1);
        assertThat(nat.countsAt(Map.of("fastpath", 0))).containsEntry("fastpath", 1).containsEntry("slowpath", 1);
        assertThat(nat.countsAt(Map.of("fastpath", 1))).containsEntry("fastpath", 2);
        assertThat(nat.countsAt(Map.of("fastpath", 3))).containsEntry("fastpath", 4).containsEntry("slowpath", 1);
        assertThat(nat.levelOf("large")).contains(Map.of("fastpath", 3));
    }

    @Test
    void targetsStayWithinTheVnfdsLevels() {
        assertThat(ScalePlans.target(nat, "SCALE", Map.of("type", "SCALE_OUT", "aspectId", "fastpath"),
                Map.of("fastpath", 1)).levels()).containsEntry("fastpath", 2);
        assertThat(ScalePlans.target(nat, "SCALE_TO_LEVEL", Map.of("instantiationLevelId", "small"),
                Map.of("fastpath", 3)).levels()).containsEntry("fastpath", 0);
        assertThatThrownBy(() -> ScalePlans.target(nat, "SCALE",
                Map.of("type", "SCALE_IN", "aspectId", "fastpath", "numberOfSteps", 2), Map.of("fastpath", 1)))
                .isInstanceOf(UnprocessableContentException.class).hasMessageContaining("outside 0..3");
    }
}
