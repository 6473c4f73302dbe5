package io.isthmus.slowpath.policy;

import io.isthmus.control.message.TransmitFlyweight;

/**
 * A packet the policy made, for the fastpath that punted the packet it answers to send from its data socket to a next
 * hop (TRANSMIT): an ICMP error from the VNF's own address ({@link IcmpErrors}). Only a fastpath whose HELLO announced
 * TRANSMIT is sent it; for the others it is counted in {@code unsupportedInstalls}.
 *
 * @param packet the whole packet from its VXLAN header on, at most {@link TransmitFlyweight#MAX_PACKET_LENGTH} bytes
 * @param nextHopAddress the VXLAN tunnel endpoint to send it to (big-endian IPv4)
 * @param nextHopPort its UDP port
 */
public record Transmit(byte[] packet, int nextHopAddress, int nextHopPort) implements Install {

    public Transmit {
        if (packet == null || packet.length == 0 || packet.length > TransmitFlyweight.MAX_PACKET_LENGTH) {
            throw new IllegalArgumentException("a transmitted packet has 1.." + TransmitFlyweight.MAX_PACKET_LENGTH
                    + " bytes");
        }
        if (nextHopPort <= 0 || nextHopPort > 0xFFFF) {
            throw new IllegalArgumentException("next hop port out of range: " + nextHopPort);
        }
    }
}
