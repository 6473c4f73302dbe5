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

    @Test
    void readsAFragmentationNeededErrorAndFindsItsQuote() {
        // Given a reference destination unreachable, fragmentation needed, next-hop MTU 1400, quoting a TCP packet
        byte[] quoted = ReferencePackets.quote(ReferencePackets.tcp("10.0.0.1", 1234, "10.0.0.2", 80).build(), 8);
        byte[] packet = ReferencePackets.icmpError(3, 4, "192.0.2.1", "10.0.0.1", 1400, quoted).build();

        // When wrapped
        icmp.wrap(ByteBuffer.wrap(packet), ICMP);

        // Then it reads as an error with its MTU, and the quoted IPv4 header starts 8 bytes in
        assertThat(icmp.type()).isEqualTo(IcmpFlyweight.TYPE_DESTINATION_UNREACHABLE);
        assertThat(icmp.code()).isEqualTo(IcmpFlyweight.CODE_FRAGMENTATION_NEEDED);
        assertThat(icmp.isError()).isTrue();
        assertThat(icmp.isEcho()).isFalse();
        assertThat(icmp.nextHopMtu()).isEqualTo(1400);
        Ipv4Flyweight inner = new Ipv4Flyweight().wrap(ByteBuffer.wrap(packet), icmp.quotedPacketOffset());
        assertThat(inner.srcAddress()).isEqualTo(ReferencePackets.parse("10.0.0.1"));
        assertThat(inner.protocol()).isEqualTo(Ipv4Flyweight.PROTOCOL_TCP);
        assertThat(inner.isChecksumValid()).isTrue();
        assertThat(icmp.computeChecksum(packet.length - ICMP)).isEqualTo(icmp.checksum());
    }

    @Test
    void onlyUnreachableTimeExceededAndParameterProblemAreErrors() {
        assertThat(IcmpFlyweight.isError(IcmpFlyweight.TYPE_TIME_EXCEEDED)).isTrue();
        assertThat(IcmpFlyweight.isError(IcmpFlyweight.TYPE_PARAMETER_PROBLEM)).isTrue();
        assertThat(IcmpFlyweight.isError(IcmpFlyweight.TYPE_ECHO_REQUEST)).isFalse();
        assertThat(IcmpFlyweight.isError(5)).isFalse(); // redirect: not translated
    }
}
