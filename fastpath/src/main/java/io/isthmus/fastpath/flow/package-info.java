/**
 * The forwarding state and its primitives: the off-heap exact-match flow table with timer-wheel expiry, action programs and their executor, next hops, ESP with its security associations, and the longest-prefix-match route table.
 */
package io.isthmus.fastpath.flow;
