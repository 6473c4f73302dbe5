package io.isthmus.nfvo.integration;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

import io.isthmus.sol.client.RemoteCallExceptionMapper;
import io.isthmus.sol.client.SolVersionHeader;
import io.isthmus.sol.model.CreateVnfRequest;
import io.isthmus.sol.model.InstantiateVnfRequest;
import io.isthmus.sol.model.LccnSubscription;
import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.sol.model.TerminateVnfRequest;
import io.isthmus.sol.model.VnfInstance;
import io.isthmus.sol.model.VnfLcmOpOcc;
import io.quarkus.oidc.client.filter.OidcClientFilter;

/**
 * The VNFM's SOL003 VNF LCM API (Or-Vnfm) as a REST client with the NFVO's own token (client credentials,
 * {@code quarkus.oidc-client}); base URL {@code quarkus.rest-client.vnfm.url}.
 */
@Path("/vnflcm/v2")
@RegisterRestClient(configKey = "vnfm")
@RegisterProvider(RemoteCallExceptionMapper.class)
@RegisterProvider(SolVersionHeader.class)
@OidcClientFilter
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface VnfmApi {

    @POST
    @Path("/vnf_instances")
    VnfInstance create(CreateVnfRequest request);

    /** 202 with the operation occurrence in {@code Location}. */
    @POST
    @Path("/vnf_instances/{id}/instantiate")
    RestResponse<Void> instantiate(@PathParam("id") String vnfInstanceId, InstantiateVnfRequest request);

    /** 202 with the operation occurrence in {@code Location}. */
    @POST
    @Path("/vnf_instances/{id}/terminate")
    RestResponse<Void> terminate(@PathParam("id") String vnfInstanceId, TerminateVnfRequest request);

    @DELETE
    @Path("/vnf_instances/{id}")
    void delete(@PathParam("id") String vnfInstanceId);

    @GET
    @Path("/vnf_instances/{id}")
    VnfInstance get(@PathParam("id") String vnfInstanceId);

    @GET
    @Path("/vnf_lcm_op_occs/{id}")
    VnfLcmOpOcc op(@PathParam("id") String opId);

    /** SOL003 clause 5.4.16: gives up an operation that is FAILED_TEMP. */
    @POST
    @Path("/vnf_lcm_op_occs/{id}/fail")
    VnfLcmOpOcc fail(@PathParam("id") String opId);

    /** 201 with the new subscription, or 303 when this callback and filter are subscribed already. */
    @POST
    @Path("/subscriptions")
    RestResponse<LccnSubscription> subscribe(LccnSubscriptionRequest request);
}
