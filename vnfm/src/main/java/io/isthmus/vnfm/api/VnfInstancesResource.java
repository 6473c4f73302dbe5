package io.isthmus.vnfm.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
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
import io.isthmus.sol.model.ChangeCurrentVnfPkgRequest;
import io.isthmus.sol.model.CreateVnfRequest;
import io.isthmus.sol.model.CreateVnfSnapshotRequest;
import io.isthmus.sol.model.RevertToVnfSnapshotRequest;
import io.isthmus.sol.model.InstantiateVnfRequest;
import io.isthmus.sol.model.TerminateVnfRequest;
import io.isthmus.sol.model.ChangeExtVnfConnectivityRequest;
import io.isthmus.sol.model.ChangeVnfFlavourRequest;
import io.isthmus.sol.model.HealVnfRequest;
import io.isthmus.sol.model.OperateVnfRequest;
import io.isthmus.sol.model.ScaleVnfRequest;
import io.isthmus.sol.model.ScaleVnfToLevelRequest;
import io.isthmus.sol.model.VnfInfoModificationRequest;
import io.isthmus.sol.model.VnfInstance;
import io.isthmus.sol.security.Caller;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.service.VnfInstanceService;
import io.isthmus.vnfm.service.VnfSnapshotService;

/** SOL003 clause 5.4.2–5.4.8: VNF instances and the tasks that start their LCM operations. */
@Path("/vnflcm/v2/vnf_instances")
@RolesAllowed({Caller.SERVICE, Caller.OPERATOR, Caller.TENANT})
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class VnfInstancesResource {

    private final VnfInstanceService service;
    private final VnfSnapshotService snapshots;
    private final VnfmConfig config;
    private final SolLists lists;

    public VnfInstancesResource(VnfInstanceService service, VnfSnapshotService snapshots, VnfmConfig config,
            SolLists lists) {
        this.snapshots = snapshots;
        this.lists = lists;
        this.service = service;
        this.config = config;
    }

    @POST
    public Response create(CreateVnfRequest request, @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Context UriInfo uri) {
        VnfLcmRepresentations view = view(uri);
        VnfInstance created = view.instance(service.create(request, idempotencyKey));
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

    /** SOL003 clause 5.4.3.3.4: 202, the modification runs as a MODIFY_INFO operation. */
    @PATCH
    @Path("/{vnfInstanceId}")
    @Consumes({"application/merge-patch+json", MediaType.APPLICATION_JSON})
    public Response modify(@PathParam("vnfInstanceId") String id, VnfInfoModificationRequest request,
            @Context UriInfo uri) {
        return accepted(service.modify(id, request), uri);
    }

    @POST
    @Path("/{vnfInstanceId}/scale")
    public Response scale(@PathParam("vnfInstanceId") String id, ScaleVnfRequest request, @Context UriInfo uri) {
        return accepted(service.scale(id, request), uri);
    }

    @POST
    @Path("/{vnfInstanceId}/scale_to_level")
    public Response scaleToLevel(@PathParam("vnfInstanceId") String id, ScaleVnfToLevelRequest request,
            @Context UriInfo uri) {
        return accepted(service.scaleToLevel(id, request), uri);
    }

    @POST
    @Path("/{vnfInstanceId}/change_flavour")
    public Response changeFlavour(@PathParam("vnfInstanceId") String id, ChangeVnfFlavourRequest request,
            @Context UriInfo uri) {
        return accepted(service.changeFlavour(id, request), uri);
    }

    @POST
    @Path("/{vnfInstanceId}/heal")
    public Response heal(@PathParam("vnfInstanceId") String id, HealVnfRequest request, @Context UriInfo uri) {
        return accepted(service.heal(id, request), uri);
    }

    @POST
    @Path("/{vnfInstanceId}/operate")
    public Response operate(@PathParam("vnfInstanceId") String id, OperateVnfRequest request, @Context UriInfo uri) {
        return accepted(service.operate(id, request), uri);
    }

    @POST
    @Path("/{vnfInstanceId}/change_ext_conn")
    public Response changeExtConn(@PathParam("vnfInstanceId") String id, ChangeExtVnfConnectivityRequest request,
            @Context UriInfo uri) {
        return accepted(service.changeExtConn(id, request), uri);
    }

    /** SOL003 clause 5.4.11a: a rolling replacement by the processes of another package of the same VNF. */
    @POST
    @Path("/{vnfInstanceId}/change_vnfpkg")
    public Response changeVnfPkg(@PathParam("vnfInstanceId") String id, ChangeCurrentVnfPkgRequest request,
            @Context UriInfo uri) {
        return accepted(service.changeVnfPkg(id, request), uri);
    }

    /** SOL003 clause 5.4.21: fills an empty VNF snapshot with the VNF's configuration and state. */
    @POST
    @Path("/{vnfInstanceId}/create_snapshot")
    public Response createSnapshot(@PathParam("vnfInstanceId") String id, CreateVnfSnapshotRequest request,
            @Context UriInfo uri) {
        return accepted(snapshots.createSnapshot(id, request), uri);
    }

    /** SOL003 clause 5.4.22: gives the VNF one of its snapshots back. */
    @POST
    @Path("/{vnfInstanceId}/revert_to_snapshot")
    public Response revertToSnapshot(@PathParam("vnfInstanceId") String id, RevertToVnfSnapshotRequest request,
            @Context UriInfo uri) {
        return accepted(snapshots.revert(id, request), uri);
    }

    /** SOL003: 202 with the op occ in Location, no body. */
    private Response accepted(LcmOpOccEntity op, UriInfo uri) {
        return Response.accepted().location(view(uri).opOccUri(op.id())).build();
    }

    private VnfLcmRepresentations view(UriInfo uri) {
        return new VnfLcmRepresentations(uri.getBaseUri(), config.nfvoUrl());
    }
}
