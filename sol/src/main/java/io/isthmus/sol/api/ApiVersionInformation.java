package io.isthmus.sol.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** SOL013 clause 9.3 ApiVersionInformation, served at {@code {apiRoot}/{apiName}/api_versions}. */
public record ApiVersionInformation(String uriPrefix, List<ApiVersion> apiVersions) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ApiVersion(String version, Boolean isDeprecated, String retirementDate) {
    }

    /** What {@code {apiRoot}/{apiName}[/{major}]/api_versions} answers for the API served under {@code uriPrefix}. */
    public static ApiVersionInformation of(String uriPrefix) {
        return of(uriPrefix, SolApiVersions.versionOf(uriPrefix)
                .orElseThrow(() -> new IllegalArgumentException("no SOL API is served under " + uriPrefix)));
    }

    public static ApiVersionInformation of(String uriPrefix, String version) {
        return new ApiVersionInformation(uriPrefix, List.of(new ApiVersion(version, false, null)));
    }
}
