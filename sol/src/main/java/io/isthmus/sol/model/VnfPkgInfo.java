package io.isthmus.sol.model;

import io.isthmus.sol.problem.ProblemDetails;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * SOL003/SOL005 clause 9.5.2.5 VnfPkgInfo; {@code onboardingFailureDetails} says why the last upload was refused while
 * {@code onboardingState} is ERROR.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VnfPkgInfo(String id, String vnfdId, String vnfProvider, String vnfProductName,
        String vnfSoftwareVersion, String vnfdVersion, Checksum checksum, String onboardingState,
        String operationalState, String usageState, ProblemDetails onboardingFailureDetails,
        Map<String, Object> userDefinedData,
        @JsonProperty("_links") Links links) {

    public record Checksum(String algorithm, String hash) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Links(Link self, Link vnfd, Link packageContent) {
    }
}
