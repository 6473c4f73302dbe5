package io.isthmus.slowpath.policy;

import io.isthmus.control.message.TransmitFlyweight;

/**
 * A packet the policy made, for a fastpath to send from its data socket to a next hop (TRANSMIT). In a
 * {@link Decision} it answers a punt and goes by the fastpath that punted: an ICMP error from the VNF's own address
 * ({@link IcmpErrors}), a TCP reset. In a {@link Reconfiguration} (a timer's, a health change's, a configuration's) it
 * is the policy's own, a protocol's message (a retransmission, a keepalive), and goes by the registered fastpath of the
 * lowest id that announced TRANSMIT. Either way it is sent once, only by a fastpath whose HELLO announced TRANSMIT;
 * when that fastpath did not, or there is none, it is counted in {@code unsupportedInstalls}.
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
