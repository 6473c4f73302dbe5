/**
 * Longest-prefix-match forwarding tables (FIBs) for routed traffic: one {@link io.isthmus.fastpath.route.Fib} per
 * tenant route table, built for lookups in packet batches and in-place incremental updates.
 */
package io.isthmus.fastpath.route;
