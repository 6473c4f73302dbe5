package io.isthmus.vnfm.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.isthmus.sol.api.ApiVersionInformation;
import io.quarkus.security.Authenticated;

/** SOL013 clause 9.3: the versions of the VNF indicator API, readable without a Version header. */
@Path("/vnfind")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class VnfIndicatorApiVersionsResource {

    private static final ApiVersionInformation VERSIONS = ApiVersionInformation.of(VnfIndicatorsResource.ROOT,
            VnfIndicatorVersionFilter.VERSION);

    @GET
    @Path("/api_versions")
    public ApiVersionInformation major() {
        return VERSIONS;
    }

    @GET
    @Path("/v1/api_versions")
    public ApiVersionInformation v1() {
        return VERSIONS;
    }
}
