package io.isthmus.sol.security;

import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.isthmus.sol.problem.ForbiddenOperationException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling, read from the verified bearer token: the tenant (claim {@code tenant}) and the realm roles. Services
 * scope every read by {@link #tenantScope()}, never only in resources.
 */
@RequestScoped
public class Caller {

    public static final String TENANT = "tenant";
    public static final String OPERATOR = "operator";
    public static final String SERVICE = "service";
    public static final String TENANT_CLAIM = "tenant";

    private final SecurityIdentity identity;
    private final JsonWebToken token;

    @Inject
    public Caller(SecurityIdentity identity, JsonWebToken token) {
        this.identity = identity;
        this.token = token;
    }

    public String subject() {
        return identity.getPrincipal() == null ? "anonymous" : identity.getPrincipal().getName();
    }

    public Optional<String> tenant() {
        Object claim = token == null ? null : token.getClaim(TENANT_CLAIM);
        return claim == null ? Optional.empty() : Optional.of(claim.toString().replace("\"", ""));
    }

    public boolean isOperator() {
        return identity.hasRole(OPERATOR);
    }

    public boolean isService() {
        return identity.hasRole(SERVICE);
    }

    /**
     * The tenant whose resources this caller may see, or empty when it may see every tenant's (operators and the
     * platform's own services).
     */
    public Optional<String> tenantScope() {
        if (isOperator() || isService()) {
            return Optional.empty();
        }
        return Optional.of(requireTenant());
    }

    /** The caller's tenant; a tenant-role caller without a tenant claim is refused. */
    public String requireTenant() {
        return tenant().orElseThrow(() -> new ForbiddenOperationException("The token carries no tenant claim"));
    }
}
