package io.isthmus.nfvo.integration;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.isthmus.sol.client.RemoteCallExceptionMapper;
import io.isthmus.sol.client.SolVersionHeader;
import io.quarkus.oidc.client.filter.OidcClientFilter;

/**
 * The VNFM's SOL003 VNF indicator API (clause 8, {@code Version: 1.3.0} set by {@link SolVersionHeader}) with the
 * NFVO's own token, as {@link VnfmApi}; base URL {@code quarkus.rest-client.vnfm-indicators.url}, the VNFM's, with a
 * read timeout of its own so that a VNFM slow to answer holds up the counters, not the NS operations.
 */
@Path("/vnfind/v1")
@RegisterRestClient(configKey = "vnfm-indicators")
@RegisterProvider(RemoteCallExceptionMapper.class)
@RegisterProvider(SolVersionHeader.class)
@OidcClientFilter
@Produces(MediaType.APPLICATION_JSON)
public interface VnfIndicatorApi {

    /** SOL003 clause 8.4.3: one instance's VnfIndicators that match the SOL013 {@code filter}. */
    @GET
    @Path("/indicators/{vnfInstanceId}")
    List<Map<String, Object>> indicators(@PathParam("vnfInstanceId") String vnfInstanceId,
            @QueryParam("filter") String filter);
}
