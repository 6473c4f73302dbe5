package io.isthmus.sol.client;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

import io.isthmus.sol.api.SolApiVersions;

/** Adds SOL013's {@code Version} header to a REST client's request to a SOL API, by the request's path. */
public class SolVersionHeader implements ClientRequestFilter {

    @Override
    public void filter(ClientRequestContext request) {
        if (!request.getHeaders().containsKey(SolApiVersions.HEADER)) {
            SolApiVersions.versionOf(request.getUri().getPath())
                    .ifPresent(v -> request.getHeaders().putSingle(SolApiVersions.HEADER, v));
        }
    }
}
