package io.isthmus.nfvo.integration;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

import io.isthmus.sol.client.RemoteCallExceptionMapper;
import io.isthmus.sol.client.SolVersionHeader;
import io.isthmus.sol.model.CancelMode;
import io.isthmus.sol.model.ChangeExtVnfConnectivityRequest;
import io.isthmus.sol.model.ChangeVnfFlavourRequest;
import io.isthmus.sol.model.CreateVnfRequest;
import io.isthmus.sol.model.HealVnfRequest;
import io.isthmus.sol.model.OperateVnfRequest;
import io.isthmus.sol.model.ScaleVnfRequest;
import io.isthmus.sol.model.ScaleVnfToLevelRequest;
import io.isthmus.sol.model.VnfInfoModificationRequest;
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

    /** 201; the same {@code Idempotency-Key} from the same caller gets the instance the first request created. */
    @POST
    @Path("/vnf_instances")
    VnfInstance create(@HeaderParam("Idempotency-Key") String idempotencyKey, CreateVnfRequest request);

    /** SOL003 clause 5.4.5: 202 with the operation occurrence in {@code Location}, as every task below. */
    @POST
    @Path("/vnf_instances/{id}/scale")
    RestResponse<Void> scale(@HeaderParam("Idempotency-Key") String idempotencyKey,
            @PathParam("id") String vnfInstanceId, ScaleVnfRequest request);

    @POST
    @Path("/vnf_instances/{id}/scale_to_level")
    RestResponse<Void> scaleToLevel(@HeaderParam("Idempotency-Key") String idempotencyKey,
            @PathParam("id") String vnfInstanceId, ScaleVnfToLevelRequest request);

    @POST
    @Path("/vnf_instances/{id}/heal")
    RestResponse<Void> heal(@HeaderParam("Idempotency-Key") String idempotencyKey,
            @PathParam("id") String vnfInstanceId, HealVnfRequest request);

    @POST
    @Path("/vnf_instances/{id}/operate")
    RestResponse<Void> operate(@HeaderParam("Idempotency-Key") String idempotencyKey,
            @PathParam("id") String vnfInstanceId, OperateVnfRequest request);

    @POST
    @Path("/vnf_instances/{id}/change_flavour")
    RestResponse<Void> changeFlavour(@HeaderParam("Idempotency-Key") String idempotencyKey,
            @PathParam("id") String vnfInstanceId, ChangeVnfFlavourRequest request);

    /** SOL003 clause 5.4.11: the external connection points' next hops. */
    @POST
    @Path("/vnf_instances/{id}/change_ext_conn")
    RestResponse<Void> changeExtConn(@HeaderParam("Idempotency-Key") String idempotencyKey,
            @PathParam("id") String vnfInstanceId, ChangeExtVnfConnectivityRequest request);

    /** SOL003 clause 5.4.3.3.4: JSON Merge Patch of the VnfInstance. */
    @PATCH
    @Path("/vnf_instances/{id}")
    @Consumes("application/merge-patch+json")
    RestResponse<Void> modify(@HeaderParam("Idempotency-Key") String idempotencyKey,
            @PathParam("id") String vnfInstanceId, VnfInfoModificationRequest request);

    /** SOL003 clause 5.4.14: runs again an operation that is FAILED_TEMP. */
    @POST
    @Path("/vnf_lcm_op_occs/{id}/retry")
    RestResponse<Void> retry(@PathParam("id") String opId);

    /** SOL003 clause 5.4.17: cancels an operation that is STARTING or PROCESSING. */
    @POST
    @Path("/vnf_lcm_op_occs/{id}/cancel")
    RestResponse<Void> cancel(@PathParam("id") String opId, CancelMode mode);

    /** 202 with the operation occurrence in {@code Location}. */
    @POST
    @Path("/vnf_instances/{id}/instantiate")
    RestResponse<Void> instantiate(@HeaderParam("Idempotency-Key") String idempotencyKey,
            @PathParam("id") String vnfInstanceId, InstantiateVnfRequest request);

    /** 202 with the operation occurrence in {@code Location}. */
    @POST
    @Path("/vnf_instances/{id}/terminate")
    RestResponse<Void> terminate(@HeaderParam("Idempotency-Key") String idempotencyKey,
            @PathParam("id") String vnfInstanceId, TerminateVnfRequest request);

    @DELETE
    @Path("/vnf_instances/{id}")
    void delete(@PathParam("id") String vnfInstanceId);

    @GET
    @Path("/vnf_instances/{id}")
    VnfInstance get(@PathParam("id") String vnfInstanceId);

    @GET
    @Path("/vnf_lcm_op_occs/{id}")
    VnfLcmOpOcc op(@PathParam("id") String opId);

    /** SOL003 clause 5.4.12: the operation occurrences matching a SOL013 filter. */
    @GET
    @Path("/vnf_lcm_op_occs")
    List<VnfLcmOpOcc> ops(@QueryParam("filter") String filter);

    /** SOL003 clause 5.4.16: gives up an operation that is FAILED_TEMP. */
    @POST
    @Path("/vnf_lcm_op_occs/{id}/fail")
    VnfLcmOpOcc fail(@PathParam("id") String opId);

    /** 201 with the new subscription, or 303 when this callback and filter are subscribed already. */
    @POST
    @Path("/subscriptions")
    RestResponse<LccnSubscription> subscribe(LccnSubscriptionRequest request);
}
