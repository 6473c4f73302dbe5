/**
 * Reserved for the slowpath policy of the server load balancer (SLB) VNF type: a
 * {@code io.isthmus.slowpath.policy.VnfPolicy} of VNF type {@code "slb"}, registered in {@code META-INF/services},
 * that picks a backend with Maglev hashing and installs both directions of each flow; with its config model, its VNFD
 * and CSAR, and its runtime jar. Empty for now; {@code io.isthmus.vnf.nat} is the model to follow.
 */
package io.isthmus.vnf.slb;
