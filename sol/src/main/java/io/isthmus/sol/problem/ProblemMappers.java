package io.isthmus.sol.problem;

import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.isthmus.sol.client.RemoteCallException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Every error of every service leaves as a SOL013 ProblemDetails; this is the one place that says how. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** What the persistence layer throws when another transaction changed or locked the same rows first. */
    private static final Set<String> CONCURRENT_CHANGE = Set.of("OptimisticLockException", "StaleStateException",
            "StaleObjectStateException", "PessimisticLockException", "LockTimeoutException",
            "CannotAcquireLockException", "ConstraintViolationException");

    public static Response response(ProblemDetails problem) {
        return Response.status(problem.status()).type(ProblemDetails.MEDIA_TYPE).entity(problem).build();
    }

    @ServerExceptionMapper
    public Response domain(SolException e) {
        return response(e.problem());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return response(ProblemDetails.of(400, "Bad Request", JsonInputProblems.detail(e)));
    }

    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper(priority = 1)
    public Response unauthorized(UnauthorizedException e) {
        return Response.status(401).type(ProblemDetails.MEDIA_TYPE).header("WWW-Authenticate", "Bearer")
                .entity(ProblemDetails.of(401, "Unauthorized", "A valid bearer token is required")).build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthorized(new UnauthorizedException());
    }

    @ServerExceptionMapper(priority = 1)
    public Response forbidden(ForbiddenException e) {
        return response(ProblemDetails.of(403, "Forbidden", "The caller's roles do not allow this operation"));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        return response(ProblemDetails.of(status, Response.Status.fromStatusCode(status) == null
                ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), e.getMessage()));
    }

    /** A peer component (VNFM, VIM, Keycloak) was unreachable or failed: the caller may retry later. */
    @ServerExceptionMapper
    public Response peerFailed(RemoteCallException e) {
        return response(ProblemDetails.of(503, "Service Unavailable", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (CONCURRENT_CHANGE.contains(t.getClass().getSimpleName())) {
                // the loser of a race on one resource: a conflict the client can resolve by reading again
                LOG.infof("A concurrent request changed the resource first: %s", t.getMessage());
                return response(ProblemDetails.of(409, "Conflict",
                        "Another request changed this resource at the same moment; read it again and retry"));
            }
        }
        LOG.error("Unexpected error", e);
        return response(ProblemDetails.of(500, "Internal Server Error", "Unexpected error; see the service log"));
    }
}
