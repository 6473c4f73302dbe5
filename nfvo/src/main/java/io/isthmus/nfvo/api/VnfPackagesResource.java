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
import io.isthmus.nfvo.persistence.VnfPackageRepository;
import io.isthmus.sol.query.SolLists;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.nfvo.service.VnfPackageService;
import io.isthmus.sol.model.CreateVnfPkgInfoRequest;
import io.isthmus.sol.model.VnfPkgInfo;

/** SOL005 clause 9 / SOL003 clause 10: VNF package management. Operators on-board; everyone may read. */
@Path("/vnfpkgm/v2/vnf_packages")
@Produces(MediaType.APPLICATION_JSON)
public class VnfPackagesResource {

    private final VnfPackageService packages;
    private final Views views;
    private final SolLists lists;

    public VnfPackagesResource(VnfPackageService packages, Views views, SolLists lists) {
        this.lists = lists;
        this.packages = packages;
        this.views = views;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    public Response create(CreateVnfPkgInfoRequest request) {
        VnfPkgInfo info = views.pkg(packages.create(request == null ? null : request.userDefinedData()));
        return Response.created(URI.create(info.links().self().href())).entity(info).build();
    }

    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE, Roles.TENANT})
    public Response list(@Context UriInfo uri) {
        SolQuery query = lists.query(uri, VnfPackageRepository.LISTED);
        return lists.respond(uri, query, packages.list(query), views::pkg);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE, Roles.TENANT})
    public VnfPkgInfo get(@PathParam("id") String id) {
        return views.pkg(packages.get(id));
    }

    @PUT
    @Path("{id}/package_content")
    @Consumes({"application/zip", MediaType.APPLICATION_OCTET_STREAM})
    @RolesAllowed(Roles.OPERATOR)
    public Response upload(@PathParam("id") String id, byte[] csar) {
        packages.upload(id, csar);
        return Response.accepted().build();
    }

    @GET
    @Path("{id}/package_content")
    @Produces("application/zip")
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    public byte[] content(@PathParam("id") String id) {
        return packages.content(id);
    }

    @GET
    @Path("{id}/vnfd")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE, Roles.TENANT})
    public String vnfd(@PathParam("id") String id) {
        return packages.vnfd(id);
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.OPERATOR)
    public Response delete(@PathParam("id") String id) {
        packages.delete(id);
        return Response.noContent().build();
    }
}
