package io.isthmus.slowpath.policy;

import io.isthmus.control.Route;

/** One route for the fastpath's longest-prefix-match table (INSTALL_ROUTE). */
public record RouteInstall(Route route) implements Install {

    public RouteInstall {
        if (route == null) {
            throw new IllegalArgumentException("a route install has a route");
        }
    }
}
