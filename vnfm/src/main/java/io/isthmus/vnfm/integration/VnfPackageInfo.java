package io.isthmus.vnfm.integration;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The attributes of a SOL003 VnfPkgInfo the vnfm reads. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VnfPackageInfo(String id, String vnfdId, String vnfProvider, String vnfProductName,
        String vnfSoftwareVersion, String vnfdVersion, String onboardingState, String operationalState) {

    public boolean onboarded() {
        return "ONBOARDED".equals(onboardingState);
    }
}
