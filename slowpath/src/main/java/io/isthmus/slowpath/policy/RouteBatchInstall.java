package io.isthmus.slowpath.policy;

import java.util.List;

import io.isthmus.control.Route;

/**
 * Many routes at once (ROUTE_BATCH), sent in as few datagrams as fit in 1,472 bytes each, in order; a fastpath that
 * takes INSTALL_ROUTE but not ROUTE_BATCH gets them one INSTALL_ROUTE each.
 */
public record RouteBatchInstall(List<Route> routes) implements Install {

    public RouteBatchInstall {
        routes = List.copyOf(routes);
    }
}
