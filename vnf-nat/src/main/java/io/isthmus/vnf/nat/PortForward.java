package io.isthmus.vnf.nat;

import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;

/**
 * A static binding (destination NAT): whoever sends to {@code publicAddress:publicPort} reaches
 * {@code insideAddress:insidePort}, whatever the filtering, and that inside endpoint's own flows leave from the same
 * public port. Its public port is never handed out dynamically.
 *
 * @param protocol {@link FlowKey#TCP} or {@link FlowKey#UDP}
 * @param publicAddress one of the NAT's public addresses (big-endian IPv4)
 * @param publicPort the port remotes send to
 * @param insideAddress the inside host (big-endian IPv4)
 * @param insidePort its port
 */
public record PortForward(int protocol, int publicAddress, int publicPort, int insideAddress, int insidePort) {

    @Override
    public String toString() {
        return (protocol == FlowKey.TCP ? "tcp " : "udp ") + Ipv4Addresses.format(publicAddress) + ":" + publicPort
                + " -> " + Ipv4Addresses.format(insideAddress) + ":" + insidePort;
    }
}
