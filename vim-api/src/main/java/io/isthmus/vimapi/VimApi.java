package io.isthmus.vimapi;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.isthmus.vimapi.model.AllocationRequest;
import io.isthmus.vimapi.model.AllocationView;
import io.isthmus.vimapi.model.CapacityCheckRequest;
import io.isthmus.vimapi.model.CapacityCheckResult;
import io.isthmus.vimapi.model.CapacityView;
import io.isthmus.vimapi.model.ComponentResize;
import io.isthmus.vimapi.model.OperateRequest;
import io.isthmus.vimapi.model.QuotaView;
import io.isthmus.vimapi.model.ReplicaRestart;

/**
 * The VIM API (docs/contracts.md), base {@code /vim/v1}, as its clients call it. Each client configures it under the
 * key {@code vim} ({@code quarkus.rest-client.vim.url}, timeouts, and the providers that add its bearer token and turn
 * error statuses into exceptions).
 */
@Path("/vim/v1")
@RegisterRestClient(configKey = "vim")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface VimApi {

    /** 201 with the ACTIVE allocation, 200 with the existing one when the id is taken by the same request. */
    @POST
    @Path("/allocations")
    AllocationView allocate(AllocationRequest request);

    @GET
    @Path("/allocations/{id}")
    AllocationView allocation(@PathParam("id") String id);

    /** 204 once the processes are stopped and the capacity and quota released. */
    @DELETE
    @Path("/allocations/{id}")
    void release(@PathParam("id") String id);

    /**
     * 200 once the component runs {@code count} replicas and they are ready; the same count again changes nothing.
     * 409 when quota or capacity refuses the growth or the allocation is not ACTIVE.
     */
    @PUT
    @Path("/allocations/{id}/components/{name}")
    AllocationView resize(@PathParam("id") String id, @PathParam("name") String component, ComponentResize request);

    /** 200 once the replica runs again (RESTART: same ports; REPLACE: a new process) and is ready. */
    @POST
    @Path("/allocations/{id}/components/{name}/{index}/restart")
    AllocationView restart(@PathParam("id") String id, @PathParam("name") String component,
            @PathParam("index") int index, ReplicaRestart request);

    /** 200 once the replicas are stopped (capacity and quota stay held) or started again and ready. */
    @POST
    @Path("/allocations/{id}/operate")
    AllocationView operate(@PathParam("id") String id, OperateRequest request);

    /** 200 whether admitted or not: a refusal is an answer, not an error. */
    @POST
    @Path("/capacity-checks")
    CapacityCheckResult check(CapacityCheckRequest request);

    @GET
    @Path("/capacity")
    CapacityView capacity();

    @GET
    @Path("/quotas/{tenantId}")
    QuotaView quota(@PathParam("tenantId") String tenantId);
}
