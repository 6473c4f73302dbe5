package io.isthmus.slowpath.policy;

import io.isthmus.control.Route;

/**
 * Takes back the route for {@code prefix/prefixLength} (INSTALL_ROUTE with its WITHDRAW flag); the next shorter route
 * covering its addresses, if any, applies again. Sent to the fastpaths that take INSTALL_ROUTE.
 */
public record RouteWithdrawal(int prefix, int prefixLength) implements Install {

    public RouteWithdrawal {
        // a route of this prefix and length would be valid: the same checks
        new Route(prefix, prefixLength, 0, 0, 0);
    }
}
