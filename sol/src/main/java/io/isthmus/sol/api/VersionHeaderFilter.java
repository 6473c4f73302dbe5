package io.isthmus.sol.api;

import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.isthmus.sol.problem.ProblemDetails;
import io.isthmus.sol.problem.ProblemMappers;

/** SOL013 clause 4.2: requests to a SOL API carry {@code Version}; responses say the version served. */
public class VersionHeaderFilter {

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> requireVersion(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        Optional<String> served = SolApiVersions.versionOf(path);
        if (served.isEmpty() || SolApiVersions.versionOptional(path)) {
            return Optional.empty();
        }
        String asked = request.getHeaderString(SolApiVersions.HEADER);
        if (asked == null || asked.isBlank()) {
            return Optional.of(ProblemMappers.response(ProblemDetails.of(400, "Bad Request",
                    "The Version header is required (SOL013); this API serves version " + served.get())));
        }
        if (!majorOf(asked).equals(majorOf(served.get()))) {
            return Optional.of(ProblemMappers.response(ProblemDetails.of(406, "Not Acceptable",
                    "Version " + asked + " is not served here; this API serves version " + served.get())));
        }
        return Optional.empty();
    }

    @ServerResponseFilter
    public void stampVersion(ContainerRequestContext request, ContainerResponseContext response) {
        SolApiVersions.versionOf(request.getUriInfo().getPath())
                .ifPresent(v -> response.getHeaders().putSingle(SolApiVersions.HEADER, v));
    }

    private static String majorOf(String version) {
        int dot = version.indexOf('.');
        return (dot < 0 ? version : version.substring(0, dot)).trim();
    }
}
