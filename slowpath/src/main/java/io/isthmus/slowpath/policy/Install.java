package io.isthmus.slowpath.policy;

/**
 * One thing a {@link Decision} or a {@link Reconfiguration} installs in (or takes back from) every fastpath, each sent
 * in its own control-protocol message: a flow rule (INSTALL), an ESP security association (INSTALL_SA) or its removal
 * (REMOVE_SA), a route (INSTALL_ROUTE), many routes at once (ROUTE_BATCH), a route's withdrawal (INSTALL_ROUTE with
 * WITHDRAW), or a packet the policy made for one fastpath to send (TRANSMIT: the one that punted, or for a
 * reconfiguration the lowest registered one that can), or a route table's route, its removal or a VNI's binding to a route table (ROUTE_UPDATE, versioned: {@link TableRoute}). A
 * fastpath is sent only what its HELLO said it takes; the slowpath counts the rest ({@code unsupportedInstalls}).
 * SAs, routes and their removals reach a fastpath in the decisions' order, before the batch's flow rules.
 */
public sealed interface Install
        permits FlowRuleInstall, SecurityAssociationInstall, SecurityAssociationRemoval, RouteInstall,
        RouteBatchInstall, RouteWithdrawal, Transmit, TableRoute, TableRouteRemoval, VniBinding {
}
