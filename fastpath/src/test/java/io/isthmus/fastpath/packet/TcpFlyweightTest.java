package io.isthmus.fastpath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.isthmus.fastpath.testing.ReferencePackets;

class TcpFlyweightTest {

    private static final int IP = PacketParser.IPV4_OFFSET_IN_PACKET;
    private static final int TCP = IP + Ipv4Flyweight.MIN_HEADER_LENGTH;
    private final TcpFlyweight tcp = new TcpFlyweight();

    @Test
    void readsTheFieldsOfAReferenceSegment() {
        // Given a reference SYN
        byte[] packet = ReferencePackets.tcp("10.0.0.1", 51000, "93.184.216.34", 80).tcpFlags(TcpFlyweight.FLAG_SYN)
                .payload(new byte[0]).build();

        // When wrapped
        tcp.wrap(ByteBuffer.wrap(packet), TCP);

        // Then the fields read as encoded
        assertThat(tcp.srcPort()).isEqualTo(51000);
        assertThat(tcp.dstPort()).isEqualTo(80);
        assertThat(tcp.sequenceNumber()).isEqualTo(0x0102_0304);
        assertThat(tcp.acknowledgmentNumber()).isEqualTo(0x0506_0708);
        assertThat(tcp.headerLength()).isEqualTo(20);
        assertThat(tcp.flags()).isEqualTo(TcpFlyweight.FLAG_SYN);
        assertThat(tcp.window()).isEqualTo(0xFFFF);
        assertThat(tcp.urgentPointer()).isZero();
    }

    @Test
    void computesTheSameChecksumAsTheReference() {
        for (int payloadLength = 0; payloadLength < 33; payloadLength++) {
            // Given a reference segment of this payload length
            byte[] payload = new byte[payloadLength];
            java.util.Arrays.fill(payload, (byte) 0xE7);
            byte[] packet = ReferencePackets.tcp("10.0.0.1", 1234, "10.0.0.2", 5678).payload(payload).build();

            // When the flyweight computes the checksum
            int computed = tcp.wrap(ByteBuffer.wrap(packet), TCP).computeChecksum(IP, 20 + payloadLength);

            // Then it matches the reference
            assertThat(computed).as("payload %d", payloadLength).isEqualTo(tcp.checksum());
        }
    }
}
