/**
 * Reserved for the slowpath policy of the cloud enterprise network (CEN) VNF type: a
 * {@code io.isthmus.slowpath.policy.VnfPolicy} of VNF type {@code "cen"}, registered in {@code META-INF/services},
 * that looks up the route of each flow between VPCs (a longest-prefix-match FIB stage may join the fastpath); with its
 * config model, its VNFD and CSAR, and its runtime jar. Empty for now; {@code io.isthmus.vnf.nat} is the model to
 * follow.
 */
package io.isthmus.vnf.cen;
