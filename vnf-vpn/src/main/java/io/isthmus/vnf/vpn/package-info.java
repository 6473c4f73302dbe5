/**
 * The VPN gateway VNF type ({@code "vpn"}): {@link io.isthmus.vnf.vpn.VpnPolicy}, the slowpath policy that runs the
 * IKEv2 engine ({@link io.isthmus.vnf.vpn.ike}) against each connection's peer, installs the negotiated ESP security
 * associations in the fastpath and the rules of the flows that use them; {@link io.isthmus.vnf.vpn.VpnConfig}, its
 * configuration (validated as the package's JSON Schema says, pre-shared keys write-only); the packets it sends
 * ({@link io.isthmus.vnf.vpn.UdpPackets}); its VNFD and CSAR in {@code src/main/csar}. docs/vpn.md is the user's
 * guide.
 */
package io.isthmus.vnf.vpn;
