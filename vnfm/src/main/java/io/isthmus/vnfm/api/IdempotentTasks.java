package io.isthmus.vnfm.api;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.isthmus.sol.problem.ProblemDetails;
import io.isthmus.sol.security.Caller;
import io.isthmus.vnfm.lifecycle.IdempotencyKey;
import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.persistence.LcmOpOccRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * {@code Idempotency-Key} on the tasks that start an operation ({@code POST …/vnf_instances/{id}/<task>}, {@code PATCH
 * …/vnf_instances/{id}}): the same key on the same instance answers the operation it opened the first time (202, its
 * Location), so a client that repeats a request after a crash (the NFVO re-running a step) starts no second operation.
 * The key reused for another operation → 422. Without the header nothing changes.
 */
@ApplicationScoped
public class IdempotentTasks {

    private static final Pattern TASK = Pattern.compile("/vnflcm/v2/vnf_instances/([^/]+)(?:/([a-z_]+))?/?");

    private final LcmOpOccRepository ops;
    private final Caller caller;
    private final IdempotencyKey requestKey;

    public IdempotentTasks(LcmOpOccRepository ops, Caller caller, IdempotencyKey requestKey) {
        this.ops = ops;
        this.caller = caller;
        this.requestKey = requestKey;
    }

    @ServerRequestFilter
    public Optional<RestResponse<?>> repeated(ContainerRequestContext request) {
        String key = request.getHeaderString("Idempotency-Key");
        if (key == null) {
            return Optional.empty();
        }
        Matcher m = TASK.matcher(request.getUriInfo().getPath());
        String method = request.getMethod();
        if (!m.matches() || !(method.equals("POST") && m.group(2) != null || method.equals("PATCH")
                && m.group(2) == null)) {
            return Optional.empty();
        }
        if (key.isBlank() || key.length() > 255) {
            return Optional.of(problem(400, "Bad Request", "Idempotency-Key must be 1 to 255 characters"));
        }
        String operation = m.group(2) == null ? "MODIFY_INFO" : m.group(2).toUpperCase(Locale.ROOT);
        requestKey.set(key);
        Optional<LcmOpOccEntity> earlier = QuarkusTransaction.requiringNew()
                .call(() -> ops.findByIdempotencyKey(m.group(1), key, caller.tenantScope()));
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        if (!earlier.get().operation().name().equals(operation)) {
            return Optional.of(problem(422, "Unprocessable Content", "Idempotency-Key " + key + " opened operation "
                    + earlier.get().id() + " (" + earlier.get().operation() + "), not " + operation));
        }
        URI location = request.getUriInfo().getBaseUriBuilder().path("vnflcm/v2/vnf_lcm_op_occs")
                .path(earlier.get().id()).build();
        return Optional.of(RestResponse.ResponseBuilder.accepted().location(location).build());
    }

    private static RestResponse<?> problem(int status, String title, String detail) {
        return RestResponse.ResponseBuilder.create(status).entity(ProblemDetails.of(status, title, detail))
                .type("application/problem+json").build();
    }
}
