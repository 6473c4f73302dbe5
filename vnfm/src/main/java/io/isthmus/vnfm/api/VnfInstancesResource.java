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
import io.isthmus.vnfm.persistence.VnfInstanceRepository;
import io.isthmus.sol.model.CreateVnfRequest;
import io.isthmus.sol.model.InstantiateVnfRequest;
import io.isthmus.sol.model.TerminateVnfRequest;
import io.isthmus.sol.model.VnfInstance;
import io.isthmus.sol.security.Caller;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.service.VnfInstanceService;

/** SOL003 clause 5.4.2–5.4.8: VNF instances and the tasks that start their LCM operations. */
@Path("/vnflcm/v2/vnf_instances")
@RolesAllowed({Caller.SERVICE, Caller.OPERATOR, Caller.TENANT})
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class VnfInstancesResource {

    private final VnfInstanceService service;
    private final VnfmConfig config;
    private final SolLists lists;

    public VnfInstancesResource(VnfInstanceService service, VnfmConfig config, SolLists lists) {
        this.lists = lists;
        this.service = service;
        this.config = config;
    }

    @POST
    public Response create(CreateVnfRequest request, @Context UriInfo uri) {
        VnfLcmRepresentations view = view(uri);
        VnfInstance created = view.instance(service.create(request));
        return Response.created(view.instanceUri(created.id())).entity(created).build();
    }

    /** SOL013 filter, attribute selectors and paging; the tenant scope of the caller always holds. */
    @GET
    public Response list(@Context UriInfo uri) {
        SolQuery query = lists.query(uri, VnfInstanceRepository.LISTED);
        return lists.respond(uri, query, service.list(query), view(uri)::instance);
    }

    @GET
    @Path("/{vnfInstanceId}")
    public VnfInstance get(@PathParam("vnfInstanceId") String id, @Context UriInfo uri) {
        return view(uri).instance(service.get(id));
    }

    @DELETE
    @Path("/{vnfInstanceId}")
    public Response delete(@PathParam("vnfInstanceId") String id) {
        service.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{vnfInstanceId}/instantiate")
    public Response instantiate(@PathParam("vnfInstanceId") String id, InstantiateVnfRequest request,
            @Context UriInfo uri) {
        return accepted(service.instantiate(id, request), uri);
    }

    @POST
    @Path("/{vnfInstanceId}/terminate")
    public Response terminate(@PathParam("vnfInstanceId") String id, TerminateVnfRequest request,
            @Context UriInfo uri) {
        return accepted(service.terminate(id, request), uri);
    }

    /** SOL003: 202 with the op occ in Location, no body. */
    private Response accepted(LcmOpOccEntity op, UriInfo uri) {
        return Response.accepted().location(view(uri).opOccUri(op.id())).build();
    }

    private VnfLcmRepresentations view(UriInfo uri) {
        return new VnfLcmRepresentations(uri.getBaseUri(), config.nfvoUrl());
    }
}
