package io.isthmus.vnf.catalog;

import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.INVALID_VNFD;
import static io.isthmus.vnf.catalog.TestCsar.VNFD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Scaling aspects, deltas and instantiation levels of a VNFD (SOL001 policies; docs/contracts.md "VNF packages"). */
class VnfdScalingTest {

    /**
     * The firewall with aspect "workers": 1 worker at scale level 0, +1 for the first step, +2 for each of the next
     * two, so 1, 2, 4, 6 workers at levels 0 to 3; levels small (workers 0) and medium (workers 2, the default).
     */
    static final String SCALING_VNFD = VNFD.substring(0, VNFD.indexOf("  policies:")) + """
              policies:
                - scaling_aspects:
                    type: tosca.policies.nfv.ScalingAspects
                    properties:
                      aspects:
                        workers:
                          name: workers
                          description: data plane workers
                          max_scale_level: 3
                          step_deltas: [ delta_1, delta_2, delta_2 ]
                - worker_scaling_aspect_deltas:
                    type: tosca.policies.nfv.VduScalingAspectDeltas
                    properties:
                      aspect: workers
                      deltas:
                        delta_1:
                          number_of_instances: 1
                        delta_2:
                          number_of_instances: 2
                    targets: [ worker ]
                - ctrl_initial_delta:
                    type: tosca.policies.nfv.VduInitialDelta
                    properties:
                      initial_delta:
                        number_of_instances: 1
                    targets: [ ctrl ]
                - worker_initial_delta:
                    type: tosca.policies.nfv.VduInitialDelta
                    properties:
                      initial_delta:
                        number_of_instances: 1
                    targets: [ worker ]
                - instantiation_levels:
                    type: tosca.policies.nfv.InstantiationLevels
                    properties:
                      levels:
                        small:
                          description: one worker
                          scale_info:
                            workers:
                              scale_level: 0
                        medium:
                          description: four workers
                          scale_info:
                            workers:
                              scale_level: 2
                      default_level: medium
                - worker_instantiation_levels:
                    type: tosca.policies.nfv.VduInstantiationLevels
                    properties:
                      levels:
                        small:
                          number_of_instances: 1
                        medium:
                          number_of_instances: 4
                    targets: [ worker ]
            """;

    private static VnfPackage read(String vnfd) {
        return CsarReader.read(TestCsar.valid().vnfd(vnfd).build());
    }

    @Test
    void readsEachAspectWithTheInstancesEachStepAddsToEachVdu() {
        // When
        VnfPackage pkg = read(SCALING_VNFD);

        // Then
        assertThat(pkg.scalingAspects()).containsExactly(new ScalingAspect("workers", "workers", "data plane workers",
                3, Map.of("worker", List.of(1, 2, 2))));
        assertThat(pkg.scalingAspect("workers")).map(ScalingAspect::vduIds).hasValue(Set.of("worker"));
        assertThat(pkg.scalingAspect("ctrl")).isEmpty();
    }

    @Test
    void readsTheInstantiationLevelsWithTheScaleLevelOfEveryAspectAndTheInstancesOfEveryVdu() {
        // When
        VnfPackage pkg = read(SCALING_VNFD);

        // Then
        assertThat(pkg.instantiationLevels()).containsExactly(
                new InstantiationLevel("small", "one worker", Map.of("workers", 0), Map.of("ctrl", 1, "worker", 1)),
                new InstantiationLevel("medium", "four workers", Map.of("workers", 2),
                        Map.of("ctrl", 1, "worker", 4)));
        assertThat(pkg.defaultInstantiationLevel()).map(InstantiationLevel::id).hasValue("medium");
        assertThat(pkg.initialScaleLevels(null)).containsExactly(Map.entry("workers", 2));
        assertThat(pkg.initialScaleLevels("small")).containsExactly(Map.entry("workers", 0));
        assertThatThrownBy(() -> pkg.initialScaleLevels("huge")).isInstanceOf(InvalidScaleLevelException.class)
                .hasMessageContaining("no instantiation level huge; its levels are [small, medium]");
        assertThat(pkg.maxScaleLevels()).containsExactly(Map.entry("workers", 3));
        assertThat(pkg.vdus()).extracting(Vdu::id, Vdu::initialInstances, Vdu::initialDelta)
                .containsExactly(tuple("ctrl", 1, 1), tuple("worker", 4, 1));
    }

    @Test
    void vduInstancesAreTheInitialDeltaPlusTheStepDeltasUpToEachAspectsLevel() {
        // Given
        VnfPackage pkg = read(SCALING_VNFD);

        // Then
        assertThat(pkg.vduInstances(Map.of("workers", 0))).containsExactly(Map.entry("ctrl", 1),
                Map.entry("worker", 1));
        assertThat(pkg.vduInstances(Map.of("workers", 1))).containsEntry("worker", 2);
        assertThat(pkg.vduInstances(Map.of("workers", 2))).containsEntry("worker", 4);
        assertThat(pkg.vduInstances(Map.of("workers", 3))).containsEntry("worker", 6).containsEntry("ctrl", 1);
        assertThat(pkg.vduInstances(Map.of())).as("an aspect left out is at level 0").containsEntry("worker", 1);
    }

    @Test
    void vduInstancesRefusesAnUnknownAspectOrALevelOutsideZeroToMax() {
        // Given
        VnfPackage pkg = read(SCALING_VNFD);

        // Then
        assertThatThrownBy(() -> pkg.vduInstances(Map.of("workers", 4))).isInstanceOf(InvalidScaleLevelException.class)
                .hasMessageContaining("scale level 4 of aspect workers is outside its range 0..3");
        assertThatThrownBy(() -> pkg.vduInstances(Map.of("workers", -1)))
                .isInstanceOf(InvalidScaleLevelException.class);
        assertThatThrownBy(() -> pkg.vduInstances(Map.of("ctrl", 1))).isInstanceOf(InvalidScaleLevelException.class)
                .hasMessageContaining("no scaling aspect ctrl");
        ScalingAspect workers = pkg.scalingAspect("workers").orElseThrow();
        assertThat(workers.isValidLevel(0)).isTrue();
        assertThat(workers.isValidLevel(3)).isTrue();
        assertThat(workers.isValidLevel(4)).isFalse();
    }

    @Test
    void aSingleStepDeltaAppliesToEveryStep() {
        // Given
        String vnfd = SCALING_VNFD.replace("step_deltas: [ delta_1, delta_2, delta_2 ]", "step_deltas: [ delta_1 ]")
                .replace("            delta_2:\n              number_of_instances: 2\n", "")
                .replace("number_of_instances: 4", "number_of_instances: 3");

        // When
        VnfPackage pkg = read(vnfd);

        // Then
        assertThat(pkg.scalingAspect("workers").orElseThrow().vduStepDeltas()).containsEntry("worker",
                List.of(1, 1, 1));
        assertThat(pkg.vduInstances(Map.of("workers", 3))).containsEntry("worker", 4);
        assertThat(pkg.vdu("worker")).map(Vdu::initialInstances).hasValue(3);
    }

    @Test
    void withoutInstantiationLevelsAVnfStartsWithEveryAspectAtLevelZero() {
        // Given
        String vnfd = SCALING_VNFD.substring(0, SCALING_VNFD.indexOf("    - instantiation_levels:"));

        // When
        VnfPackage pkg = read(vnfd);

        // Then
        assertThat(pkg.instantiationLevels()).isEmpty();
        assertThat(pkg.defaultInstantiationLevel()).isEmpty();
        assertThat(pkg.initialScaleLevels(null)).containsExactly(Map.entry("workers", 0));
        assertThat(pkg.vdus()).extracting(Vdu::initialInstances).containsExactly(1, 1);
    }

    @Test
    void aVnfdWithoutScalingPoliciesHasNoAspectsAndItsVdusKeepTheirCounts() {
        // When
        VnfPackage pkg = read(VNFD);

        // Then
        assertThat(pkg.scalingAspects()).isEmpty();
        assertThat(pkg.instantiationLevels()).extracting(InstantiationLevel::id, InstantiationLevel::aspectScaleLevels,
                InstantiationLevel::vduInstances)
                .containsExactly(tuple("small", Map.of(), Map.of("ctrl", 1, "worker", 1)),
                        tuple("medium", Map.of(), Map.of("ctrl", 1, "worker", 3)));
        assertThat(pkg.initialScaleLevels(null)).isEmpty();
        assertThat(pkg.maxScaleLevels()).isEmpty();
        assertThat(pkg.vduInstances(Map.of())).containsExactly(Map.entry("ctrl", 1), Map.entry("worker", 3));
        assertThatThrownBy(() -> pkg.vduInstances(Map.of("workers", 1))).isInstanceOf(InvalidScaleLevelException.class)
                .hasMessageContaining("cannot scale");
    }

    @Test
    void aPackageWithScalingSurvivesAJsonRoundTrip() throws Exception {
        // Given
        VnfPackage pkg = read(SCALING_VNFD);
        ObjectMapper mapper = new ObjectMapper();

        // When
        VnfPackage back = mapper.readValue(mapper.writeValueAsString(pkg), VnfPackage.class);

        // Then
        assertThat(back).isEqualTo(pkg);
        assertThat(back.vduInstances(Map.of("workers", 3))).containsEntry("worker", 6);
    }

    static Stream<Arguments> inconsistentDeclarations() {
        return Stream.of(
                Arguments.of("deltas for an aspect no ScalingAspects declares", "      aspect: workers",
                        "      aspect: wrokers", List.of("worker_scaling_aspect_deltas", "wrokers", "[workers]")),
                Arguments.of("deltas targeting no VDU", "    targets: [ worker ]\n    - ctrl_initial_delta",
                        "    targets: [ wroker ]\n    - ctrl_initial_delta",
                        List.of("worker_scaling_aspect_deltas", "wroker", "not a Vdu.Compute")),
                Arguments.of("a step delta the VDU deltas lack",
                        "            delta_2:\n              number_of_instances: 2\n", "",
                        List.of("lacks the delta delta_2", "aspect workers")),
                Arguments.of("a delta that is no step delta", "            delta_2:\n",
                        "            delta_3:\n", List.of("delta_3", "not one of the step_deltas")),
                Arguments.of("an instantiation level beyond max_scale_level", "          scale_level: 2",
                        "          scale_level: 4", List.of("medium", "scale level 4", "max_scale_level 3")),
                Arguments.of("a VDU level count that disagrees with the deltas", "number_of_instances: 4",
                        "number_of_instances: 3",
                        List.of("worker has 3 instances at instantiation level medium",
                                "its initial delta 1 and aspect workers at scale level 2 (+3) make 4")),
                Arguments.of("a slowpath that scales", "    targets: [ worker ]\n    - ctrl_initial_delta",
                        "    targets: [ ctrl, worker ]\n    - ctrl_initial_delta",
                        List.of("scales Vdu.Compute ctrl, the slowpath")),
                Arguments.of("a scaling VDU without an initial delta",
                        "worker_initial_delta:\n        type: tosca.policies.nfv.VduInitialDelta",
                        "worker_initial_delta:\n        type: tosca.policies.Root",
                        List.of("worker scales in aspect workers but has no initial delta")),
                Arguments.of("step deltas neither one nor one per step", "[ delta_1, delta_2, delta_2 ]",
                        "[ delta_1, delta_2 ]", List.of("2 step_deltas for max_scale_level 3")),
                Arguments.of("a maximum beyond the vdu_profile", "max_number_of_instances: 8",
                        "max_number_of_instances: 5",
                        List.of("worker would have 6 instances", "above its vdu_profile max_number_of_instances 5")),
                Arguments.of("an initial delta below the vdu_profile", "min_number_of_instances: 1\n"
                        + "          max_number_of_instances: 8",
                        "min_number_of_instances: 2\n"
                                + "          max_number_of_instances: 8",
                        List.of("worker has its initial delta 1", "below its vdu_profile min_number_of_instances 2")),
                Arguments.of("an aspect without max_scale_level", "\n              max_scale_level: 3", "",
                        List.of("aspect workers max_scale_level")),
                Arguments.of("an aspect without name", "\n              name: workers", "",
                        List.of("aspect workers has no name")),
                Arguments.of("scale_info naming an unknown aspect", "workers:\n                  scale_level: 2",
                        "wrokers:\n                  scale_level: 2", List.of("medium", "wrokers")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inconsistentDeclarations")
    void refusesInconsistentScalingDeclarationsNamingWhatIsWrong(String what, String from, String to,
            List<String> inDetail) {
        // Given
        String vnfd = SCALING_VNFD.replace(from, to);
        assertThat(vnfd).as("the test changes the VNFD").isNotEqualTo(SCALING_VNFD);

        // When
        InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class, () -> read(vnfd));

        // Then
        assertThat(e).as(what + " is refused").isNotNull();
        assertThat(e.reason()).isEqualTo(INVALID_VNFD);
        assertThat(e.httpStatus()).isEqualTo(422);
        assertThat(e.detail()).as(what).contains(inDetail);
    }

    @Test
    void refusesAnAspectThatScalesNoVdu() {
        // Given a second aspect with no VduScalingAspectDeltas
        String steps = "              step_deltas: [ delta_1, delta_2, delta_2 ]\n";
        String vnfd = SCALING_VNFD.replace(steps, steps + """
                            idle:
                              name: idle
                              max_scale_level: 1
                              step_deltas: [ delta_1 ]
                """);

        // When
        InvalidPackageException e = catchThrowableOfType(InvalidPackageException.class, () -> read(vnfd));

        // Then
        assertThat(e.detail()).contains("scaling aspect idle scales no Vdu.Compute");
    }
}
