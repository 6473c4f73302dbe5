package io.isthmus.nfvo.api;

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

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import io.isthmus.nfvo.persistence.NsdRepository;
import io.isthmus.sol.query.SolLists;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.nfvo.service.NsdService;
import io.isthmus.sol.model.CreateNsdInfoRequest;
import io.isthmus.sol.model.NsdInfo;
import io.isthmus.sol.security.Caller;

/** SOL005 clause 5: NSD management; each tenant has its own NSDs. */
@Path("/nsd/v2/ns_descriptors")
@Produces(MediaType.APPLICATION_JSON)
public class NsDescriptorsResource {

    private final NsdService nsds;
    private final Views views;
    private final Caller caller;
    private final SolLists lists;

    public NsDescriptorsResource(NsdService nsds, Views views, Caller caller, SolLists lists) {
        this.lists = lists;
        this.nsds = nsds;
        this.views = views;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.TENANT)
    public Response create(CreateNsdInfoRequest request) {
        NsdInfo info = views
                .nsd(nsds.create(caller.requireTenant(), request == null ? null : request.userDefinedData()));
        return Response.created(URI.create(info.links().self().href())).entity(info).build();
    }

    @GET
    @RolesAllowed({Roles.TENANT, Roles.OPERATOR})
    public Response list(@Context UriInfo uri) {
        SolQuery query = lists.query(uri, NsdRepository.LISTED);
        return lists.respond(uri, query, nsds.list(query, caller.tenantScope()), views::nsd);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.TENANT, Roles.OPERATOR})
    public NsdInfo get(@PathParam("id") String id) {
        return views.nsd(nsds.get(id, caller.tenantScope()));
    }

    @PUT
    @Path("{id}/nsd_content")
    @Consumes({MediaType.TEXT_PLAIN, "application/yaml", "application/x-yaml"})
    @RolesAllowed(Roles.TENANT)
    public Response upload(@PathParam("id") String id, String yaml) {
        nsds.upload(id, caller.tenantScope(), yaml);
        return Response.accepted().build();
    }

    @GET
    @Path("{id}/nsd_content")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed({Roles.TENANT, Roles.OPERATOR})
    public String content(@PathParam("id") String id) {
        String content = nsds.get(id, caller.tenantScope()).content;
        if (content == null) {
            throw new io.isthmus.sol.problem.ConflictException("NSD " + id + " has no content yet");
        }
        return content;
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.TENANT)
    public Response delete(@PathParam("id") String id) {
        nsds.delete(id, caller.tenantScope());
        return Response.noContent().build();
    }
}
