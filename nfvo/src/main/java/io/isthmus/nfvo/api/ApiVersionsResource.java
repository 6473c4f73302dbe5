package io.isthmus.nfvo.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.isthmus.sol.api.ApiVersionInformation;
import io.quarkus.security.Authenticated;

/**
 * SOL013 clause 9.3: the versions of each API the NFVO serves, at {@code {apiName}/api_versions} and
 * {@code {apiName}/{major}/api_versions}, readable without a Version header. ({@code /nslcm/v2/api_versions} is
 * {@link NsLcmResource}'s, whose path would hide it from this class.)
 */
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Path("/")
public class ApiVersionsResource {

    private static final ApiVersionInformation NSD = ApiVersionInformation.of("/nsd/v2");
    private static final ApiVersionInformation VNFPKGM = ApiVersionInformation.of("/vnfpkgm/v2");
    private static final ApiVersionInformation GRANT = ApiVersionInformation.of("/grant/v1");
    static final ApiVersionInformation NSLCM = ApiVersionInformation.of("/nslcm/v2");

    @GET
    @Path("nsd/api_versions")
    public ApiVersionInformation nsd() {
        return NSD;
    }

    @GET
    @Path("nsd/v2/api_versions")
    public ApiVersionInformation nsdV2() {
        return NSD;
    }

    @GET
    @Path("vnfpkgm/api_versions")
    public ApiVersionInformation vnfpkgm() {
        return VNFPKGM;
    }

    @GET
    @Path("vnfpkgm/v2/api_versions")
    public ApiVersionInformation vnfpkgmV2() {
        return VNFPKGM;
    }

    @GET
    @Path("grant/api_versions")
    public ApiVersionInformation grant() {
        return GRANT;
    }

    @GET
    @Path("grant/v1/api_versions")
    public ApiVersionInformation grantV1() {
        return GRANT;
    }

    @GET
    @Path("nslcm/api_versions")
    public ApiVersionInformation nslcm() {
        return NSLCM;
    }

}
