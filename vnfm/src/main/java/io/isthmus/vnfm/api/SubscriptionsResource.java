package io.isthmus.vnfm.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.isthmus.sol.query.SolLists;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.vnfm.persistence.LccnSubscriptionRepository;
import io.isthmus.sol.model.LccnSubscription;
import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.sol.security.Caller;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.service.SubscriptionService;

/** SOL003 clause 5.4.18–5.4.19: subscriptions to VNF LCM notifications. */
@Path("/vnflcm/v2/subscriptions")
@RolesAllowed({Caller.SERVICE, Caller.OPERATOR, Caller.TENANT})
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SubscriptionsResource {

    private final SubscriptionService service;
    private final VnfmConfig config;
    private final SolLists lists;

    public SubscriptionsResource(SubscriptionService service, VnfmConfig config, SolLists lists) {
        this.lists = lists;
        this.service = service;
        this.config = config;
    }

    /** 201 with the new subscription; 303 See Other to the existing one when the callback URI is subscribed. */
    @POST
    public Response subscribe(LccnSubscriptionRequest request, @Context UriInfo uri) {
        VnfLcmRepresentations view = view(uri);
        SubscriptionService.Subscribed result = service.subscribe(request);
        if (!result.created()) {
            return Response.seeOther(view.subscriptionUri(result.subscription().id())).build();
        }
        LccnSubscription created = view.subscription(result.subscription());
        return Response.created(view.subscriptionUri(created.id())).entity(created).build();
    }

    /** SOL013 filter, attribute selectors and paging; the tenant scope of the caller always holds. */
    @GET
    public Response list(@Context UriInfo uri) {
        SolQuery query = lists.query(uri, LccnSubscriptionRepository.LISTED);
        return lists.respond(uri, query, service.list(query), view(uri)::subscription);
    }

    @GET
    @Path("/{subscriptionId}")
    public LccnSubscription get(@PathParam("subscriptionId") String id, @Context UriInfo uri) {
        return view(uri).subscription(service.get(id));
    }

    @DELETE
    @Path("/{subscriptionId}")
    public Response delete(@PathParam("subscriptionId") String id) {
        service.delete(id);
        return Response.noContent().build();
    }

    private VnfLcmRepresentations view(UriInfo uri) {
        return new VnfLcmRepresentations(uri.getBaseUri(), config.nfvoUrl());
    }
}
