/**
 * The values the fastpath and the slowpath share: flow keys, rules and their actions, security associations, routes,
 * flow idle timeouts, punt reasons and a fastpath's counters. Plain JDK, no framework; the wire format is in
 * {@code message}.
 */
package io.isthmus.control;
