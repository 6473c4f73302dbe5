package io.isthmus.vnf.vpn.ike;

import java.util.List;

/** What the engine shows of one IKE SA (no keys): for /stats and the VNF instance. */
public record IkeSaView(String connection, String state, boolean initiator, String initiatorSpi,
        String responderSpi, Endpoint local, Endpoint remote, boolean udpEncapsulated, String proposal,
        long establishedAtMillis, List<Child> children) {

    /** One CHILD_SA of the IKE SA. */
    public record Child(long childId, String inboundSpi, String outboundSpi, String proposal,
            List<TrafficSelector> localSelectors, List<TrafficSelector> remoteSelectors, long establishedAtMillis) {
    }
}
