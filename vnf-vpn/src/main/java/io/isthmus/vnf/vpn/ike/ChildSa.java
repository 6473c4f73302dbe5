package io.isthmus.vnf.vpn.ike;

import java.util.List;

/**
 * A CHILD_SA pair negotiated by the engine: ESP in tunnel mode with AES-GCM-16 (RFC 4106). Key material is the AES key
 * followed by the 4-byte salt. {@code udpEncapsulated}: ESP travels in UDP between {@code local} and {@code remote}
 * (port 4500, RFC 3948); otherwise plain ESP between their addresses. Never printed with its keys.
 */
public record ChildSa(String connection, long childId, int inboundSpi, int outboundSpi, byte[] inboundKeyMaterial,
        byte[] outboundKeyMaterial, boolean esn, Endpoint local, Endpoint remote, boolean udpEncapsulated,
        List<TrafficSelector> localSelectors, List<TrafficSelector> remoteSelectors) {

    @Override
    public String toString() {
        return "ChildSa[" + connection + " #" + childId + " in=" + String.format("%08x", inboundSpi) + " out="
                + String.format("%08x", outboundSpi) + " key=" + (inboundKeyMaterial.length - 4) * 8 + "bit esn=" + esn
                + " " + local + "<->" + remote + (udpEncapsulated ? " udp" : "") + " " + localSelectors + "==="
                + remoteSelectors + "]";
    }
}
