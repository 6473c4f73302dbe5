package io.isthmus.nfvo.api;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import io.isthmus.nfvo.persistence.NsInstanceRepository;
import io.isthmus.nfvo.persistence.NsLcmOpOccRepository;
import io.isthmus.nfvo.persistence.SubscriptionRepository;
import io.isthmus.sol.query.SolLists;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.nfvo.persistence.NsLcmOpOccEntity;
import io.isthmus.nfvo.service.NsLcmService;
import io.isthmus.nfvo.service.NsOperationControl;
import io.isthmus.nfvo.service.SubscriptionService;
import io.isthmus.sol.api.ApiVersionInformation;
import io.isthmus.sol.model.CancelMode;
import io.isthmus.sol.model.CreateNsRequest;
import io.isthmus.sol.model.HealNsRequest;
import io.isthmus.sol.model.ScaleNsRequest;
import io.isthmus.sol.model.UpdateNsRequest;
import io.isthmus.sol.model.InstantiateNsRequest;
import io.isthmus.sol.model.LccnSubscription;
import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.sol.model.NsInstance;
import io.isthmus.sol.model.NsLcmOpOcc;
import io.isthmus.sol.model.TerminateNsRequest;
import io.isthmus.sol.security.Caller;

/** SOL005 clause 6: NS lifecycle management, scoped to the caller's tenant. */
@Path("/nslcm/v2")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.TENANT, Roles.OPERATOR})
public class NsLcmResource {

    private final NsLcmService ns;
    private final NsOperationControl control;
    private final SubscriptionService subscriptions;
    private final Views views;
    private final Caller caller;
    private final SolLists lists;

    public NsLcmResource(NsLcmService ns, NsOperationControl control, SubscriptionService subscriptions, Views views,
            Caller caller, SolLists lists) {
        this.control = control;
        this.lists = lists;
        this.ns = ns;
        this.subscriptions = subscriptions;
        this.views = views;
        this.caller = caller;
    }

    @GET
    @Path("api_versions")
    public ApiVersionInformation apiVersions() {
        return ApiVersionsResource.NSLCM;
    }

    @POST
    @Path("ns_instances")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.TENANT)
    public Response create(CreateNsRequest request) {
        NsInstance instance = views.nsInstance(ns.create(caller.requireTenant(), request));
        return Response.created(URI.create(instance.links().self().href())).entity(instance).build();
    }

    @GET
    @Path("ns_instances")
    public Response list(@Context UriInfo uri) {
        SolQuery query = lists.query(uri, NsInstanceRepository.LISTED);
        return lists.respond(uri, query, ns.list(query, caller.tenantScope()), views::nsInstance);
    }

    @GET
    @Path("ns_instances/{id}")
    public NsInstance get(@PathParam("id") String id) {
        return views.nsInstance(ns.get(id, caller.tenantScope()));
    }

    @DELETE
    @Path("ns_instances/{id}")
    public Response delete(@PathParam("id") String id) {
        ns.delete(id, caller.tenantScope());
        return Response.noContent().build();
    }

    @POST
    @Path("ns_instances/{id}/instantiate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response instantiate(@PathParam("id") String id, InstantiateNsRequest request) {
        return accepted(ns.instantiate(id, caller.tenantScope(), request));
    }

    @POST
    @Path("ns_instances/{id}/terminate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response terminate(@PathParam("id") String id, TerminateNsRequest request) {
        return accepted(ns.terminate(id, caller.tenantScope(), request));
    }

    @POST
    @Path("ns_instances/{id}/scale")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response scale(@PathParam("id") String id, ScaleNsRequest request) {
        return accepted(ns.scale(id, caller.tenantScope(), request));
    }

    @POST
    @Path("ns_instances/{id}/heal")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response heal(@PathParam("id") String id, HealNsRequest request) {
        return accepted(ns.heal(id, caller.tenantScope(), request));
    }

    @POST
    @Path("ns_instances/{id}/update")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("id") String id, UpdateNsRequest request) {
        return accepted(ns.update(id, caller.tenantScope(), request));
    }

    @GET
    @Path("ns_lcm_op_occs")
    public Response ops(@Context UriInfo uri) {
        SolQuery query = lists.query(uri, NsLcmOpOccRepository.LISTED);
        return lists.respond(uri, query, ns.ops(query, caller.tenantScope()), views::op);
    }

    @GET
    @Path("ns_lcm_op_occs/{id}")
    public NsLcmOpOcc op(@PathParam("id") String id) {
        return views.op(ns.op(id, caller.tenantScope()));
    }

    /** SOL005 clause 6.4.15: 202; the operation is ROLLING_BACK until the VNFs it created are gone. */
    @POST
    @Path("ns_lcm_op_occs/{id}/rollback")
    public Response rollback(@PathParam("id") String id) {
        control.rollback(id, caller.tenantScope());
        return Response.accepted().build();
    }

    /** SOL005 clause 6.4.11: 202; the operation is PROCESSING again at the step it stopped at. */
    @POST
    @Path("ns_lcm_op_occs/{id}/retry")
    public Response retry(@PathParam("id") String id) {
        control.retry(id, caller.tenantScope());
        return Response.accepted().build();
    }

    /** SOL005 clause 6.4.12: 202; the operation goes on past the VNFs that failed and ends PARTIALLY_COMPLETED. */
    @POST
    @Path("ns_lcm_op_occs/{id}/continue")
    public Response continueOp(@PathParam("id") String id) {
        control.continueOp(id, caller.tenantScope());
        return Response.accepted().build();
    }

    @POST
    @Path("ns_lcm_op_occs/{id}/fail")
    public NsLcmOpOcc fail(@PathParam("id") String id) {
        return views.op(control.fail(id, caller.tenantScope()));
    }

    /** SOL005 clause 6.4.16: 202; the operation stops at its next step boundary, FAILED_TEMP. */
    @POST
    @Path("ns_lcm_op_occs/{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response cancel(@PathParam("id") String id, CancelMode request) {
        control.cancel(id, caller.tenantScope(), request);
        return Response.accepted().build();
    }

    @POST
    @Path("subscriptions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.TENANT)
    public Response subscribe(LccnSubscriptionRequest request) {
        SubscriptionService.Outcome outcome = subscriptions.subscribe(caller.requireTenant(), request);
        LccnSubscription s = views.subscription(outcome.subscription());
        URI self = URI.create(s.links().self().href());
        return outcome.existed() ? Response.seeOther(self).build() : Response.created(self).entity(s).build();
    }

    @GET
    @Path("subscriptions")
    public Response subscriptions(@Context UriInfo uri) {
        SolQuery query = lists.query(uri, SubscriptionRepository.LISTED);
        return lists.respond(uri, query, subscriptions.list(query, caller.tenantScope()),
                views::subscription);
    }

    @GET
    @Path("subscriptions/{id}")
    public LccnSubscription subscription(@PathParam("id") String id) {
        return views.subscription(subscriptions.get(id, caller.tenantScope()));
    }

    @DELETE
    @Path("subscriptions/{id}")
    public Response unsubscribe(@PathParam("id") String id) {
        subscriptions.delete(id, caller.tenantScope());
        return Response.noContent().build();
    }

    private Response accepted(NsLcmOpOccEntity op) {
        return Response.accepted().location(URI.create(views.url("/nslcm/v2/ns_lcm_op_occs/" + op.id))).build();
    }
}
