/**
 * Reserved for the slowpath policy of the VPN gateway VNF type: a {@code io.isthmus.slowpath.policy.VnfPolicy} of VNF
 * type {@code "vpn"}, registered in {@code META-INF/services}, that finds the IPsec SA of each flow for the
 * fastpath's ESP encrypt/decrypt actions; with its config model, its VNFD and CSAR, and its runtime jar. Empty for
 * now; {@code io.isthmus.vnf.nat} is the model to follow.
 */
package io.isthmus.vnf.vpn;
