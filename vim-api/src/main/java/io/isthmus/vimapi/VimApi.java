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

import java.util.Map;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.isthmus.vimapi.model.AllocationRequest;
import io.isthmus.vimapi.model.AllocationView;
import io.isthmus.vimapi.model.CapacityCheckRequest;
import io.isthmus.vimapi.model.CapacityCheckResult;
import io.isthmus.vimapi.model.CapacityView;
import io.isthmus.vimapi.model.QuotaView;

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

    /** 200 with the allocation once the component runs {@code count} replicas (body {@code {count, remove?}}). */
    @PUT
    @Path("/allocations/{id}/components/{name}")
    AllocationView resize(@PathParam("id") String id, @PathParam("name") String name, Map<String, Object> body);

    /** 200 once the replica is restarted in place or replaced (body {@code {mode: RESTART|REPLACE}}). */
    @POST
    @Path("/allocations/{id}/components/{name}/{index}/restart")
    AllocationView restart(@PathParam("id") String id, @PathParam("name") String name,
            @PathParam("index") int index, Map<String, Object> body);

    /** 200 once the components are stopped or started (body {@code {state, graceful, timeoutSeconds, components?}}). */
    @POST
    @Path("/allocations/{id}/operate")
    AllocationView operate(@PathParam("id") String id, Map<String, Object> body);

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
