package io.isthmus.vnfm.api;

import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.isthmus.sol.api.SolApiVersions;
import io.isthmus.sol.problem.ProblemDetails;
import io.isthmus.sol.problem.ProblemMappers;

/**
 * SOL013 clause 4.2 for the VNF indicator API (SOL003 v3.3.1, version 1.3.0), which only the vnfm serves: what the
 * sol module's {@code VersionHeaderFilter} does for the APIs {@link SolApiVersions} lists. A request carries
 * {@code Version} (400 without, 406 for another major version; {@code api_versions} excepted); a response says 1.3.0.
 */
public class VnfIndicatorVersionFilter {

    static final String VERSION = "1.3.0";
    private static final String PREFIX = "/vnfind/";
    private static final String MAJOR = "1";

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> requireVersion(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(PREFIX) || path.endsWith("/api_versions")) {
            return Optional.empty();
        }
        String asked = request.getHeaderString(SolApiVersions.HEADER);
        if (asked == null || asked.isBlank()) {
            return Optional.of(ProblemMappers.response(ProblemDetails.of(400, "Bad Request",
                    "The Version header is required (SOL013); this API serves version " + VERSION)));
        }
        if (!asked.trim().split("\\.", 2)[0].equals(MAJOR)) {
            return Optional.of(ProblemMappers.response(ProblemDetails.of(406, "Not Acceptable",
                    "Version " + asked + " is not served here; this API serves version " + VERSION)));
        }
        return Optional.empty();
    }

    @ServerResponseFilter
    public void stampVersion(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getUriInfo().getPath().startsWith(PREFIX)) {
            response.getHeaders().putSingle(SolApiVersions.HEADER, VERSION);
        }
    }
}
