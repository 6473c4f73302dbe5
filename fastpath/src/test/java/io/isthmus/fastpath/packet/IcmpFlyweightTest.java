package io.isthmus.fastpath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.isthmus.fastpath.testing.ReferencePackets;

class IcmpFlyweightTest {

    private static final int ICMP = PacketParser.IPV4_OFFSET_IN_PACKET + Ipv4Flyweight.MIN_HEADER_LENGTH;
    private final IcmpFlyweight icmp = new IcmpFlyweight();

    @Test
    void readsAnEchoRequest() {
        // Given a reference echo request
        byte[] packet = ReferencePackets.icmpEcho(true, "10.0.0.1", "1.1.1.1", 0x4242, 7).build();

        // When wrapped
        icmp.wrap(ByteBuffer.wrap(packet), ICMP);

        // Then type, identifier and sequence read as encoded and the checksum matches
        assertThat(icmp.type()).isEqualTo(IcmpFlyweight.TYPE_ECHO_REQUEST);
        assertThat(icmp.code()).isZero();
        assertThat(icmp.isEcho()).isTrue();
        assertThat(icmp.identifier()).isEqualTo(0x4242);
        assertThat(icmp.sequenceNumber()).isEqualTo(7);
        int length = packet.length - ICMP;
        assertThat(icmp.computeChecksum(length)).isEqualTo(icmp.checksum());
    }

    @Test
    void aRewrittenIdentifierWithARecomputedChecksumDecodes() {
        // Given a reference echo reply
        byte[] packet = ReferencePackets.icmpEcho(false, "1.1.1.1", "10.0.0.1", 1, 1).build();

        // When the identifier is rewritten and the checksum recomputed
        icmp.wrap(ByteBuffer.wrap(packet), ICMP).identifier(0xFFFE);
        icmp.checksum(icmp.computeChecksum(packet.length - ICMP));

        // Then the reference decoder agrees
        ReferencePackets.Decoded decoded = ReferencePackets.decode(packet);
        assertThat(decoded.icmpIdentifier()).isEqualTo(0xFFFE);
        assertThat(decoded.l4ChecksumValid()).isTrue();
    }
}
