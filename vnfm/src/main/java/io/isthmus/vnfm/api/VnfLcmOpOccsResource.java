package io.isthmus.vnfm.api;

import jakarta.annotation.security.RolesAllowed;
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
import io.isthmus.vnfm.persistence.LcmOpOccRepository;
import io.isthmus.sol.model.VnfLcmOpOcc;
import io.isthmus.sol.security.Caller;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.service.LcmOpOccService;

/** SOL003 clause 5.4.12–5.4.16: VNF LCM operation occurrences, and retry / fail of one that is FAILED_TEMP. */
@Path("/vnflcm/v2/vnf_lcm_op_occs")
@RolesAllowed({Caller.SERVICE, Caller.OPERATOR, Caller.TENANT})
@Produces(MediaType.APPLICATION_JSON)
public class VnfLcmOpOccsResource {

    private final LcmOpOccService service;
    private final VnfmConfig config;
    private final SolLists lists;

    public VnfLcmOpOccsResource(LcmOpOccService service, VnfmConfig config, SolLists lists) {
        this.lists = lists;
        this.service = service;
        this.config = config;
    }

    /** SOL013 filter, attribute selectors and paging; the tenant scope of the caller always holds. */
    @GET
    public Response list(@Context UriInfo uri) {
        SolQuery query = lists.query(uri, LcmOpOccRepository.LISTED);
        return lists.respond(uri, query, service.list(query), view(uri)::opOcc);
    }

    @GET
    @Path("/{vnfLcmOpOccId}")
    public VnfLcmOpOcc get(@PathParam("vnfLcmOpOccId") String id, @Context UriInfo uri) {
        return view(uri).opOcc(service.get(id));
    }

    /** SOL003 clause 5.4.14: 202, the operation runs its failed step again. */
    @POST
    @Path("/{vnfLcmOpOccId}/retry")
    public Response retry(@PathParam("vnfLcmOpOccId") String id) {
        service.retry(id);
        return Response.accepted().build();
    }

    /** SOL003 clause 5.4.15: 202, the operation's rollback steps undo what it did. */
    @POST
    @Path("/{vnfLcmOpOccId}/rollback")
    public Response rollback(@PathParam("vnfLcmOpOccId") String id) {
        service.rollback(id);
        return Response.accepted().build();
    }

    /** SOL003 clause 5.4.17: 202; the operation stops at its next step boundary (FAILED_TEMP), or at once if STARTING. */
    @POST
    @Path("/{vnfLcmOpOccId}/cancel")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    public Response cancel(@PathParam("vnfLcmOpOccId") String id, io.isthmus.sol.model.CancelMode mode) {
        service.cancel(id, mode == null ? null : mode.cancelMode());
        return Response.accepted().build();
    }

    /** SOL003 clause 5.4.16: 200 with the operation, now FAILED. */
    @POST
    @Path("/{vnfLcmOpOccId}/fail")
    public VnfLcmOpOcc fail(@PathParam("vnfLcmOpOccId") String id, @Context UriInfo uri) {
        return view(uri).opOcc(service.fail(id));
    }

    private VnfLcmRepresentations view(UriInfo uri) {
        return new VnfLcmRepresentations(uri.getBaseUri(), config.nfvoUrl());
    }
}
