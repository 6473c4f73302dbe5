package io.isthmus.slowpath.policy;

/**
 * One thing a {@link Decision} installs in every fastpath, each sent in its own control-protocol message: a flow rule
 * (INSTALL), an ESP security association (INSTALL_SA), a route (INSTALL_ROUTE) or many routes at once (ROUTE_BATCH).
 * A fastpath is sent only what its HELLO said it takes; the slowpath counts the rest ({@code unsupportedInstalls}).
 */
public sealed interface Install permits FlowRuleInstall, SecurityAssociationInstall, RouteInstall, RouteBatchInstall {
}
