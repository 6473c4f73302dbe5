package io.isthmus.vnfm.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

import io.isthmus.sol.model.Link;
import io.isthmus.sol.query.AttributeFilter;
import io.isthmus.sol.query.SolLists;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.sol.security.Caller;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.service.VnfIndicatorService;
import io.isthmus.vnfm.service.VnfIndicatorValue;

/**
 * SOL003 clauses 8.4.2–8.4.4: the VNF indicators of the caller's VNF instances, read from their slowpaths at each
 * request. Subscriptions to indicator changes (clauses 8.4.5–8.4.7) are not served.
 */
@Path(VnfIndicatorsResource.ROOT + "/indicators")
@RolesAllowed({Caller.SERVICE, Caller.OPERATOR, Caller.TENANT})
@Produces(MediaType.APPLICATION_JSON)
public class VnfIndicatorsResource {

    static final String ROOT = "/vnfind/v1";

    private final VnfIndicatorService service;
    private final VnfmConfig config;
    private final SolLists lists;

    public VnfIndicatorsResource(VnfIndicatorService service, VnfmConfig config, SolLists lists) {
        this.service = service;
        this.config = config;
        this.lists = lists;
    }

    /** Every instance's indicators; an instance whose slowpath does not answer is left out. SOL013 filter, paged. */
    @GET
    public Response list(@Context UriInfo uri) {
        SolQuery query = lists.query(uri, VnfIndicatorService.LISTED);
        return lists.respond(uri, query, service.list(query, filter(uri)), i -> view(uri, i));
    }

    /** One instance's indicators (none when it is not instantiated); 503 when its slowpath does not answer. */
    @GET
    @Path("/{vnfInstanceId}")
    public Response listOf(@PathParam("vnfInstanceId") String vnfInstanceId, @Context UriInfo uri) {
        SolQuery query = lists.query(uri, VnfIndicatorService.LISTED);
        return lists.respond(uri, query, service.list(vnfInstanceId, query, filter(uri)), i -> view(uri, i));
    }

    @GET
    @Path("/{vnfInstanceId}/{indicatorId}")
    public VnfIndicator get(@PathParam("vnfInstanceId") String vnfInstanceId,
            @PathParam("indicatorId") String indicatorId, @Context UriInfo uri) {
        return view(uri, service.get(vnfInstanceId, indicatorId));
    }

    /** The filter {@link SolLists#query} has checked already. */
    private static AttributeFilter filter(UriInfo uri) {
        return AttributeFilter.parse(uri.getQueryParameters().getFirst(SolLists.FILTER));
    }

    private VnfIndicator view(UriInfo uri, VnfIndicatorValue i) {
        String self = UriBuilder.fromUri(uri.getBaseUri()).path(ROOT).path("indicators").path(i.vnfInstanceId())
                .path(i.id()).build().toString();
        String instance = new VnfLcmRepresentations(uri.getBaseUri(), config.nfvoUrl())
                .instanceUri(i.vnfInstanceId()).toString();
        return new VnfIndicator(i.id(), i.id(), i.value(), i.vnfInstanceId(),
                new VnfIndicator.Links(Link.to(self), Link.to(instance)));
    }
}
