package io.isthmus.fastpath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.isthmus.fastpath.testing.ReferencePackets;

class Ipv6FlyweightTest {

    private static final int IP = PacketParser.IPV4_OFFSET_IN_PACKET;

    @Test
    void readsEveryFieldOfAReferenceHeader() {
        // Given a reference IPv6/UDP packet
        byte[] packet = ReferencePackets.ipv6Udp(1, 0x2001_0db8_0001_0002L, 0x0003_0004_0005_0006L,
                0xfe80_0000_0000_0000L, 0x0000_0000_0000_0001L, 546, 547, 255, new byte[12]);

        // When wrapped
        Ipv6Flyweight ip = new Ipv6Flyweight().wrap(ByteBuffer.wrap(packet), IP);

        // Then the fields read as encoded
        assertThat(ip.version()).isEqualTo(6);
        assertThat(ip.trafficClass()).isZero();
        assertThat(ip.flowLabel()).isEqualTo(0x12345);
        assertThat(ip.payloadLength()).isEqualTo(20);
        assertThat(ip.nextHeader()).isEqualTo(Ipv6Flyweight.NEXT_HEADER_UDP);
        assertThat(ip.hopLimit()).isEqualTo(255);
        assertThat(ip.srcAddressHigh()).isEqualTo(0x2001_0db8_0001_0002L);
        assertThat(ip.srcAddressLow()).isEqualTo(0x0003_0004_0005_0006L);
        assertThat(ip.dstAddressHigh()).isEqualTo(0xfe80_0000_0000_0000L);
        assertThat(ip.dstAddressLow()).isEqualTo(1L);
    }

    @Test
    void writesWhatItReads() {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        Ipv6Flyweight ip = new Ipv6Flyweight().wrap(buffer, 4);

        ip.versionClassLabel(0xB8, 0xFFFFF).payloadLength(1280).nextHeader(58).hopLimit(1).srcAddress(-1L, 2L)
                .dstAddress(3L, -4L);

        assertThat(ip.version()).isEqualTo(6);
        assertThat(ip.trafficClass()).isEqualTo(0xB8);
        assertThat(ip.flowLabel()).isEqualTo(0xFFFFF);
        assertThat(ip.payloadLength()).isEqualTo(1280);
        assertThat(ip.nextHeader()).isEqualTo(Ipv6Flyweight.NEXT_HEADER_ICMPV6);
        assertThat(ip.hopLimit()).isEqualTo(1);
        assertThat(ip.srcAddressHigh()).isEqualTo(-1L);
        assertThat(ip.dstAddressLow()).isEqualTo(-4L);
    }
}
