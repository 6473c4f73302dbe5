package io.isthmus.vim.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.isthmus.sol.security.Caller;
import io.isthmus.vimapi.model.CapacityCheckRequest;
import io.isthmus.vimapi.model.CapacityCheckResult;
import io.isthmus.vim.service.CapacityService;
import io.isthmus.vimapi.model.CapacityView;

/** VIM API: capacity pools and capacity checks (docs/contracts.md). */
@Path("/vim/v1")
@RolesAllowed({Caller.SERVICE, Caller.OPERATOR})
@Produces(MediaType.APPLICATION_JSON)
public class CapacityResource {

    private final CapacityService capacity;

    public CapacityResource(CapacityService capacity) {
        this.capacity = capacity;
    }

    /** 200 whether admitted or not: a refusal is an answer, not an error. */
    @POST
    @Path("/capacity-checks")
    @Consumes(MediaType.APPLICATION_JSON)
    public CapacityCheckResult check(CapacityCheckRequest request) {
        return capacity.check(request);
    }

    @GET
    @Path("/capacity")
    public CapacityView capacity() {
        return capacity.capacity();
    }
}
