package io.isthmus.sol.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.isthmus.sol.problem.ProblemDetails;

/** SOL005 clause 5.5.2.2 NsdInfo. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NsdInfo(String id, String nsdId, String nsdName, String nsdVersion, String nsdDesigner,
        String nsdInvariantId, List<String> vnfPkgIds, String nsdOnboardingState,
        ProblemDetails onboardingFailureDetails, String nsdOperationalState, String nsdUsageState,
        Map<String, Object> userDefinedData, @JsonProperty("_links") Links links) {

    public record Links(Link self, @JsonProperty("nsd_content") Link nsdContent) {
    }
}
