package io.isthmus.vim.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.isthmus.sol.security.Caller;
import io.isthmus.vimapi.model.QuotaLimits;
import io.isthmus.vim.service.QuotaService;
import io.isthmus.vimapi.model.QuotaView;

/** VIM API: tenants' quotas; only an operator changes them (docs/contracts.md). */
@Path("/vim/v1/quotas/{tenantId}")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaResource {

    private final QuotaService quotas;

    public QuotaResource(QuotaService quotas) {
        this.quotas = quotas;
    }

    @GET
    @RolesAllowed({Caller.SERVICE, Caller.OPERATOR})
    public QuotaView get(@PathParam("tenantId") String tenantId) {
        return quotas.get(tenantId);
    }

    @PUT
    @RolesAllowed(Caller.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    public QuotaView set(@PathParam("tenantId") String tenantId, QuotaLimits limits) {
        return quotas.set(tenantId, limits);
    }
}
