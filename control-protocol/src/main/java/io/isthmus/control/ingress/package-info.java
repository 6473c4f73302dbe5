/**
 * Ingress: how a sender (a tenant's vSwitch, the lab, the tests) spreads the inner flows it tunnels to a VNF over the
 * VNF's fastpath endpoints, by a consistent hash that every implementation computes alike (docs/contracts.md,
 * "Ingress"). Plain JDK, no framework.
 */
package io.isthmus.control.ingress;
