package io.isthmus.vnfm.service;

import io.isthmus.sol.problem.SolException;

/** A peer the request needs (nfvo, vim) did not answer usefully → 503. */
public class PeerUnavailableException extends SolException {

    public PeerUnavailableException(String detail) {
        super(503, "Service Unavailable", detail);
    }
}
