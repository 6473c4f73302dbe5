package io.isthmus.vnfm.integration;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.isthmus.sol.client.RemoteCallExceptionMapper;
import io.isthmus.sol.client.SolVersionHeader;
import io.isthmus.sol.model.Grant;
import io.isthmus.sol.model.GrantRequest;
import io.quarkus.oidc.client.filter.OidcClientFilter;

/**
 * The nfvo's SOL003 APIs the vnfm calls (contracts.md "nfvo ↔ vnfm"), as a REST client with the vnfm's own token
 * (client credentials, {@code quarkus.oidc-client}); base URL {@code quarkus.rest-client.nfvo.url}.
 */
@Path("/")
@RegisterRestClient(configKey = "nfvo")
@RegisterProvider(RemoteCallExceptionMapper.class)
@RegisterProvider(SolVersionHeader.class)
@OidcClientFilter
public interface NfvoApi {

    /** SOL003 VNF package management: the packages matching a SOL013 filter. */
    @GET
    @Path("vnfpkgm/v2/vnf_packages")
    @Produces(MediaType.APPLICATION_JSON)
    List<VnfPackageInfo> packages(@QueryParam("filter") String filter);

    /** The package's CSAR. */
    @GET
    @Path("vnfpkgm/v2/vnf_packages/{vnfPkgId}/package_content")
    @Produces({"application/zip", MediaType.APPLICATION_OCTET_STREAM})
    byte[] packageContent(@PathParam("vnfPkgId") String vnfPkgId);

    /** SOL003 granting: 201 with the grant, or a 403 ProblemDetails when refused. */
    @POST
    @Path("grant/v1/grants")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Grant grant(GrantRequest request);
}
