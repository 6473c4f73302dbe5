package io.isthmus.vnfm.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.isthmus.sol.api.ApiVersionInformation;
import io.quarkus.security.Authenticated;

/** SOL013 clause 9.3: the versions of the VNF LCM API, readable without a Version header. */
@Path("/vnflcm")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ApiVersionsResource {

    private static final ApiVersionInformation VERSIONS = ApiVersionInformation.of("/vnflcm/v2", "2.0.0");

    @GET
    @Path("/api_versions")
    public ApiVersionInformation major() {
        return VERSIONS;
    }

    @GET
    @Path("/v2/api_versions")
    public ApiVersionInformation v2() {
        return VERSIONS;
    }
}
