package io.isthmus.nfvo.api;

import io.isthmus.sol.security.Caller;

/** Role names for {@code @RolesAllowed}. */
final class Roles {
    static final String TENANT = Caller.TENANT;
    static final String OPERATOR = Caller.OPERATOR;
    static final String SERVICE = Caller.SERVICE;

    private Roles() {
    }
}
