package io.isthmus.fastpath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.isthmus.fastpath.testing.ReferencePackets;

class UdpFlyweightTest {

    private static final int IP = PacketParser.IPV4_OFFSET_IN_PACKET;
    private static final int UDP = IP + Ipv4Flyweight.MIN_HEADER_LENGTH;
    private final UdpFlyweight udp = new UdpFlyweight();

    @Test
    void readsTheFieldsOfAReferenceDatagram() {
        // Given a reference datagram with a 5-byte payload
        byte[] packet = ReferencePackets.udp("10.0.0.1", 5353, "224.0.0.251", 65535).payload(new byte[5]).build();

        // When wrapped
        udp.wrap(ByteBuffer.wrap(packet), UDP);

        // Then ports, length and checksum read as encoded
        assertThat(udp.srcPort()).isEqualTo(5353);
        assertThat(udp.dstPort()).isEqualTo(65535);
        assertThat(udp.length()).isEqualTo(13);
        assertThat(udp.checksum()).isEqualTo(ReferencePackets.u16(packet, UDP + UdpFlyweight.CHECKSUM_OFFSET));
    }

    @Test
    void computesTheSameChecksumAsTheReferenceForOddAndEvenPayloads() {
        for (int payloadLength = 0; payloadLength < 40; payloadLength++) {
            // Given a reference datagram of this payload length
            byte[] payload = new byte[payloadLength];
            for (int i = 0; i < payloadLength; i++) {
                payload[i] = (byte) (i * 37 + 11);
            }
            byte[] packet = ReferencePackets.udp("172.16.0.10", 40000 + payloadLength, "8.8.4.4", 53)
                    .payload(payload).build();

            // When the flyweight computes the checksum
            int computed = udp.wrap(ByteBuffer.wrap(packet), UDP).computeChecksum(IP);

            // Then it matches the reference
            assertThat(computed).as("payload %d", payloadLength).isEqualTo(udp.checksum());
        }
    }

    @Test
    void writesPortsInPlace() {
        // Given a reference datagram
        byte[] packet = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).build();

        // When ports are written and the checksum recomputed
        udp.wrap(ByteBuffer.wrap(packet), UDP).srcPort(0xABCD).dstPort(0x1234);
        udp.checksum(udp.computeChecksum(IP));

        // Then the reference decoder reads them and accepts the checksum
        ReferencePackets.Decoded decoded = ReferencePackets.decode(packet);
        assertThat(decoded.srcPort()).isEqualTo(0xABCD);
        assertThat(decoded.dstPort()).isEqualTo(0x1234);
        assertThat(decoded.l4ChecksumValid()).isTrue();
    }
}
