package io.isthmus.sol.api;

import java.util.List;

/** SOL013 clause 9.3 ApiVersionInformation, served at {@code {apiRoot}/{apiName}/api_versions}. */
public record ApiVersionInformation(String uriPrefix, List<ApiVersion> apiVersions) {

    public record ApiVersion(String version, Boolean isDeprecated, String retirementDate) {
    }

    public static ApiVersionInformation of(String uriPrefix, String version) {
        return new ApiVersionInformation(uriPrefix, List.of(new ApiVersion(version, false, null)));
    }
}
