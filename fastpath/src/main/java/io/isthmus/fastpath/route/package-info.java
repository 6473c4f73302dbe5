/**
 * Routed traffic (ROUTE_UPDATE): {@link io.isthmus.fastpath.route.RouteTables}, a worker's route tables — which table
 * routes each bound VNI, the next-hop groups (ECMP) and the version the slowpath's updates brought them to — and one
 * longest-prefix-match {@link io.isthmus.fastpath.route.Fib} per tenant route table, built for lookups in packet
 * batches and in-place incremental updates.
 */
package io.isthmus.fastpath.route;
