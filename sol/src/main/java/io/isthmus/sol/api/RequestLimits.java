package io.isthmus.sol.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.isthmus.sol.problem.ProblemDetails;
import io.isthmus.sol.problem.ProblemMappers;

/**
 * What every service refuses before reading a request: a URI with a control character in it (400: NUL cannot even be
 * stored), and a body whose {@code Content-Length} is over {@code isthmus.limits.max-json-body} (JSON) or
 * {@code isthmus.limits.max-body} (anything else): 413 ProblemDetails. {@code quarkus.http.limits.max-body-size} is set
 * above both, as the backstop for chunked bodies without a length, which Vert.x ends with a bare 413.
 */
@ApplicationScoped
public class RequestLimits {

    private final long maxJsonBody;
    private final long maxBody;

    public RequestLimits(
            @ConfigProperty(name = "isthmus.limits.max-json-body", defaultValue = "1048576") long maxJsonBody,
            @ConfigProperty(name = "isthmus.limits.max-body", defaultValue = "2097152") long maxBody) {
        this.maxJsonBody = maxJsonBody;
        this.maxBody = maxBody;
    }

    @ServerRequestFilter(preMatching = true, priority = 100)
    public Optional<Response> refuse(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        int at = ControlCharacters.find(path, false);
        if (at >= 0) {
            return problem(400, "Bad Request", "The request path has a control character ("
                    + ControlCharacters.name(path.charAt(at)) + "); identifiers never do");
        }
        for (Map.Entry<String, List<String>> param : request.getUriInfo().getQueryParameters().entrySet()) {
            for (String value : param.getValue()) {
                String text = param.getKey() + value;
                int c = ControlCharacters.find(text, false);
                if (c >= 0) {
                    return problem(400, "Bad Request", "The query parameter " + printable(param.getKey())
                            + " has a control character (" + ControlCharacters.name(text.charAt(c)) + ")");
                }
            }
        }
        MediaType type = request.getMediaType();
        boolean json = type != null && type.getSubtype().endsWith("json");
        long max = json ? maxJsonBody : maxBody;
        if (request.getLength() > max) {
            return problem(413, "Content Too Large", "The " + (json ? "JSON " : "") + "body has "
                    + request.getLength() + " bytes; this API takes at most " + max);
        }
        return Optional.empty();
    }

    private static String printable(String s) {
        return s.replaceAll("[\\p{Cntrl}]", "?");
    }

    private static Optional<Response> problem(int status, String title, String detail) {
        return Optional.of(ProblemMappers.response(ProblemDetails.of(status, title, detail)));
    }
}
