package io.isthmus.fastpath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.isthmus.fastpath.testing.ReferencePackets;

class Ipv4FlyweightTest {

    private static final int IP = PacketParser.IPV4_OFFSET_IN_PACKET;
    private final Ipv4Flyweight ip = new Ipv4Flyweight();

    @Test
    void readsTheFieldsOfAReferenceHeader() {
        // Given a reference packet with distinctive header fields
        byte[] packet = ReferencePackets.udp("192.168.1.7", 1000, "203.0.113.9", 53).ttl(17).tos(0xB8)
                .identification(0xBEEF).payload(new byte[10]).build();

        // When the flyweight wraps the IPv4 header
        ip.wrap(ByteBuffer.wrap(packet), IP);

        // Then every field reads as encoded
        assertThat(ip.version()).isEqualTo(4);
        assertThat(ip.ihl()).isEqualTo(5);
        assertThat(ip.headerLength()).isEqualTo(20);
        assertThat(ip.tos()).isEqualTo(0xB8);
        assertThat(ip.totalLength()).isEqualTo(20 + 8 + 10);
        assertThat(ip.identification()).isEqualTo(0xBEEF);
        assertThat(ip.dontFragment()).isTrue();
        assertThat(ip.isFragment()).isFalse();
        assertThat(ip.ttl()).isEqualTo(17);
        assertThat(ip.protocol()).isEqualTo(Ipv4Flyweight.PROTOCOL_UDP);
        assertThat(ip.srcAddress()).isEqualTo(ReferencePackets.parse("192.168.1.7"));
        assertThat(ip.dstAddress()).isEqualTo(ReferencePackets.parse("203.0.113.9"));
        assertThat(ip.hasOptions()).isFalse();
    }

    @Test
    void computesTheSameHeaderChecksumAsTheReference() {
        // Given a reference packet (its checksum computed by the reference loop)
        byte[] packet = ReferencePackets.tcp("10.1.2.3", 40000, "10.9.8.7", 443).ttl(255).build();
        int reference = ReferencePackets.u16(packet, IP + Ipv4Flyweight.CHECKSUM_OFFSET);

        // When the flyweight computes the checksum
        ip.wrap(ByteBuffer.wrap(packet), IP);

        // Then both agree and the header validates
        assertThat(ip.computeChecksum()).isEqualTo(reference);
        assertThat(ip.isChecksumValid()).isTrue();
    }

    @Test
    void updateChecksumRepairsAHeaderAfterAFullRewrite() {
        // Given a header whose addresses were overwritten without touching the checksum
        byte[] packet = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).build();
        ip.wrap(ByteBuffer.wrap(packet), IP).srcAddress(0x0A0B0C0D).dstAddress(0x01020304);
        assertThat(ip.isChecksumValid()).isFalse();

        // When the checksum is recomputed
        ip.updateChecksum();

        // Then the reference decoder agrees with it
        assertThat(ReferencePackets.decode(packet).ipChecksumValid()).isTrue();
    }

    @Test
    void recognisesOptions() {
        // Given a header with two words of options
        byte[] packet = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).ipOptionWords(2).build();

        // When wrapped
        ip.wrap(ByteBuffer.wrap(packet), IP);

        // Then options are seen and the checksum spans them
        assertThat(ip.hasOptions()).isTrue();
        assertThat(ip.headerLength()).isEqualTo(28);
        assertThat(ip.isChecksumValid()).isTrue();
    }

    @Test
    void recognisesFirstMiddleAndLastFragments() {
        // Given the first (MF), a middle (MF, offset) and the last (offset) fragment, and a whole packet with DF
        int[] fragments = {Ipv4Flyweight.FLAG_MORE_FRAGMENTS, Ipv4Flyweight.FLAG_MORE_FRAGMENTS | 185, 370};

        for (int flagsAndOffset : fragments) {
            byte[] packet = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).flagsAndFragmentOffset(flagsAndOffset)
                    .build();
            // When wrapped, Then each is a fragment
            assertThat(ip.wrap(ByteBuffer.wrap(packet), IP).isFragment()).as("0x%04x", flagsAndOffset).isTrue();
        }
        byte[] whole = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).flagsAndFragmentOffset(0x4000).build();
        assertThat(ip.wrap(ByteBuffer.wrap(whole), IP).isFragment()).isFalse();
        assertThat(ip.fragmentOffset()).isZero();
    }
}
