package io.isthmus.nfvo.api;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.isthmus.nfvo.service.GrantService;
import io.isthmus.sol.model.Grant;
import io.isthmus.sol.model.GrantRequest;

/** SOL003 clause 9: VNF lifecycle operation granting, for the VNFM. Synchronous: 201 or 403. */
@Path("/grant/v1/grants")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SERVICE)
public class GrantsResource {

    private final GrantService grants;

    public GrantsResource(GrantService grants) {
        this.grants = grants;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response grant(GrantRequest request) {
        Grant grant = grants.grant(request);
        return Response.created(URI.create(grant.links().self().href())).entity(grant).build();
    }

    @GET
    @Path("{id}")
    public Grant get(@PathParam("id") String id) {
        return grants.get(id);
    }
}
