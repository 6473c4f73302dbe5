package io.isthmus.vim.api;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.isthmus.sol.security.Caller;
import io.isthmus.vim.service.AllocationChanges;
import io.isthmus.vim.service.AllocationService;
import io.isthmus.vimapi.model.AllocationRequest;
import io.isthmus.vimapi.model.AllocationView;
import io.isthmus.vimapi.model.ComponentResize;
import io.isthmus.vimapi.model.OperateRequest;
import io.isthmus.vimapi.model.ReplicaRestart;

/** VIM API: allocations of compute to VNF instances (docs/contracts.md). */
@Path("/vim/v1/allocations")
@RolesAllowed({Caller.SERVICE, Caller.OPERATOR})
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AllocationResource {

    private final AllocationService allocations;
    private final AllocationChanges changes;

    public AllocationResource(AllocationService allocations, AllocationChanges changes) {
        this.allocations = allocations;
        this.changes = changes;
    }

    /** 201 with the ACTIVE allocation; 200 with the existing one when the id is taken by the same request. */
    @POST
    public Response create(AllocationRequest request) {
        AllocationService.Outcome outcome = allocations.create(request);
        if (!outcome.created()) {
            return Response.ok(outcome.allocation()).build();
        }
        return Response.created(URI.create("/vim/v1/allocations/" + outcome.allocation().id()))
                .entity(outcome.allocation()).build();
    }

    @GET
    @Path("/{id}")
    public AllocationView get(@PathParam("id") String id) {
        return allocations.get(id);
    }

    @DELETE
    @Path("/{id}")
    public void delete(@PathParam("id") String id) {
        allocations.delete(id);
    }

    /** 200 once the component runs {@code count} replicas, the new ones ready. */
    @PUT
    @Path("/{id}/components/{name}")
    public AllocationView resize(@PathParam("id") String id, @PathParam("name") String name,
            ComponentResize request) {
        return changes.resize(id, name, request);
    }

    /** 200 once the replica runs again and is ready. */
    @POST
    @Path("/{id}/components/{name}/{index}/restart")
    public AllocationView restart(@PathParam("id") String id, @PathParam("name") String name,
            @PathParam("index") int index, ReplicaRestart request) {
        return changes.restart(id, name, index, request);
    }

    /** 200 once the replicas are stopped, or started again and ready. */
    @POST
    @Path("/{id}/operate")
    public AllocationView operate(@PathParam("id") String id, OperateRequest request) {
        return changes.operate(id, request);
    }
}
