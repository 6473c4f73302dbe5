package io.isthmus.vnfm.api;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

import io.isthmus.sol.model.Link;
import io.isthmus.sol.query.SolLists;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.sol.security.Caller;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;
import io.isthmus.vnfm.persistence.VnfSnapshotEntity;
import io.isthmus.vnfm.persistence.VnfSnapshotRepository;
import io.isthmus.vnfm.service.CreateVnfSnapshotInfoRequest;
import io.isthmus.vnfm.service.VnfSnapshotService;

/** SOL003 clauses 5.4.23–5.4.24: the "individual VNF snapshot" resources. */
@Path("/vnflcm/v2/vnf_snapshots")
@RolesAllowed({Caller.SERVICE, Caller.OPERATOR, Caller.TENANT})
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class VnfSnapshotsResource {

    private final VnfSnapshotService service;
    private final VnfmConfig config;
    private final SolLists lists;

    public VnfSnapshotsResource(VnfSnapshotService service, VnfmConfig config, SolLists lists) {
        this.service = service;
        this.config = config;
        this.lists = lists;
    }

    /** 201 with an empty snapshot resource, for create_snapshot to fill. */
    @POST
    public Response create(CreateVnfSnapshotInfoRequest request, @Context UriInfo uri) {
        VnfSnapshotInfo created = view(uri, service.create(request));
        return Response.created(URI.create(created.links().self().href())).entity(created).build();
    }

    /** SOL013 filter, attribute selectors and paging; the tenant scope of the caller always holds. */
    @GET
    public Response list(@Context UriInfo uri) {
        SolQuery query = lists.query(uri, VnfSnapshotRepository.LISTED);
        return lists.respond(uri, query, service.list(query), s -> view(uri, s));
    }

    @GET
    @Path("/{vnfSnapshotInfoId}")
    public VnfSnapshotInfo get(@PathParam("vnfSnapshotInfoId") String id, @Context UriInfo uri) {
        return view(uri, service.get(id));
    }

    @DELETE
    @Path("/{vnfSnapshotInfoId}")
    public Response delete(@PathParam("vnfSnapshotInfoId") String id) {
        service.delete(id);
        return Response.noContent().build();
    }

    private VnfSnapshotInfo view(UriInfo uri, VnfSnapshotEntity e) {
        VnfLcmRepresentations lcm = new VnfLcmRepresentations(uri.getBaseUri(), config.nfvoUrl());
        String self = lcm.snapshotUri(e.id()).toString();
        VnfSnapshotEntity.Taken taken = e.taken();
        if (taken == null) {
            return new VnfSnapshotInfo(e.id(), null, null, null, e.userDefinedData(),
                    new VnfSnapshotInfo.Links(Link.to(self), null));
        }
        List<VnfSnapshotInfo.VnfcSnapshotInfo> vnfcs = taken.slowpathVnfcId() == null
                ? List.of()
                : List.of(new VnfSnapshotInfo.VnfcSnapshotInfo(taken.snapshotId() + "-" + taken.slowpathVnfcId(),
                        taken.slowpathVnfcId(), taken.startedAt(), taken.finishedAt(), taken.slowpathVnfcId(), null));
        VnfSnapshotInfo.VnfSnapshot snapshot = new VnfSnapshotInfo.VnfSnapshot(taken.snapshotId(),
                taken.vnfInstanceId(), taken.startedAt(), taken.finishedAt(), taken.vnfdId(),
                lcm.instance(VnfInstanceEntity.of(taken.instance())), vnfcs, null);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("vnfType", taken.vnfType());
        metadata.put("takenAt", taken.takenAt());
        metadata.put("size", taken.size());
        metadata.values().removeIf(java.util.Objects::isNull);
        return new VnfSnapshotInfo(e.id(), null, snapshot, new VnfSnapshotInfo.VnfStateSnapshotInfo(
                new VnfSnapshotInfo.Checksum("SHA-256", taken.sha256()), false, metadata), e.userDefinedData(),
                new VnfSnapshotInfo.Links(Link.to(self), Link.to(lcm.instanceUri(taken.vnfInstanceId()).toString())));
    }
}
