package io.isthmus.fastpath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.isthmus.fastpath.control.FlowKey;
import io.isthmus.fastpath.control.PuntReason;
import io.isthmus.fastpath.testing.ReferencePackets;

class PacketParserTest {

    private final PacketParser parser = new PacketParser();

    @Test
    void keysAUdpPacketByVniProtocolAddressesAndPorts() {
        // Given a UDP packet on VNI 100
        byte[] packet = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).vni(100).build();

        // When parsed
        int result = parse(packet);

        // Then it is keyed with all six fields
        assertThat(result).isEqualTo(PacketParser.PARSED);
        assertThat(key()).isEqualTo(new FlowKey(100, FlowKey.UDP, ReferencePackets.parse("10.0.0.5"),
                ReferencePackets.parse("198.51.100.7"), 40001, 53));
        assertThat(parser.l4Offset()).isEqualTo(PacketParser.IPV4_OFFSET_IN_PACKET + 20);
    }

    @Test
    void keysATcpPacket() {
        byte[] packet = ReferencePackets.tcp("10.0.0.5", 50000, "198.51.100.7", 443).vni(7).build();

        assertThat(parse(packet)).isEqualTo(PacketParser.PARSED);
        assertThat(key()).isEqualTo(new FlowKey(7, FlowKey.TCP, ReferencePackets.parse("10.0.0.5"),
                ReferencePackets.parse("198.51.100.7"), 50000, 443));
    }

    @Test
    void keysIcmpEchoByIdentifierAsSourcePortOfRequestsAndDestinationPortOfReplies() {
        // Given an echo request and its reply
        byte[] request = ReferencePackets.icmpEcho(true, "10.0.0.5", "1.1.1.1", 0x0777, 1).build();
        byte[] reply = ReferencePackets.icmpEcho(false, "1.1.1.1", "10.0.0.5", 0x0777, 1).build();

        // When both are parsed
        assertThat(parse(request)).isEqualTo(PacketParser.PARSED);
        FlowKey requestKey = key();
        assertThat(parse(reply)).isEqualTo(PacketParser.PARSED);
        FlowKey replyKey = key();

        // Then the reply's key is the request's reversed
        assertThat(requestKey.srcPort()).isEqualTo(0x0777);
        assertThat(requestKey.dstPort()).isZero();
        assertThat(replyKey).isEqualTo(requestKey.reversed(requestKey.vni()));
    }

    @Test
    void puntsWhatTheTableCannotKey() {
        // Given packets with options, fragments, another EtherType, an ICMP error and an unkeyed protocol
        byte[] options = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).ipOptionWords(1).build();
        byte[] fragment = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).flagsAndFragmentOffset(0x2000).build();
        byte[] arp = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).etherType(0x0806).build();
        byte[] unreachable = ReferencePackets.icmpEcho(true, "10.0.0.1", "10.0.0.2", 1, 1).build();
        unreachable[PacketParser.IPV4_OFFSET_IN_PACKET + 20] = 3; // type: destination unreachable
        byte[] gre = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).protocol(47).build();

        // When parsed, Then each gets its punt reason
        assertThat(parse(options)).isEqualTo(PuntReason.IP_OPTIONS);
        assertThat(parse(fragment)).isEqualTo(PuntReason.FRAGMENT);
        assertThat(parse(arp)).isEqualTo(PuntReason.NOT_IPV4);
        assertThat(parse(unreachable)).isEqualTo(PuntReason.UNSUPPORTED_PROTOCOL);
        assertThat(parse(gre)).isEqualTo(PuntReason.UNSUPPORTED_PROTOCOL);
    }

    @Test
    void aPuntedPacketCarriesTheKeyAsFarAsItWasParsed() {
        // Given a fragment
        byte[] fragment = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).vni(9).flagsAndFragmentOffset(0x2000)
                .build();

        // When parsed
        parse(fragment);

        // Then VNI, protocol and addresses are known, ports are not
        assertThat(key()).isEqualTo(new FlowKey(9, FlowKey.UDP, ReferencePackets.parse("10.0.0.1"),
                ReferencePackets.parse("10.0.0.2"), 0, 0));
    }

    @Test
    void rejectsBrokenPacketsAsMalformed() {
        byte[] good = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).build();
        byte[] noIFlag = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).vxlanFlags(0).build();
        byte[] badChecksum = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).corruptIpChecksum().build();
        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        byte[] tooShort = Arrays.copyOf(good, 20);

        assertThat(parse(noIFlag)).isEqualTo(PacketParser.MALFORMED);
        assertThat(parse(badChecksum)).isEqualTo(PacketParser.MALFORMED);
        assertThat(parse(truncated)).isEqualTo(PacketParser.MALFORMED);
        assertThat(parse(tooShort)).isEqualTo(PacketParser.MALFORMED);
    }

    @Test
    void acceptsEthernetPaddingAfterTheIpv4Packet() {
        // Given a short frame padded to the Ethernet minimum
        byte[] padded = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).payload(new byte[0]).ethernetPadding(18)
                .build();

        // When parsed, Then the padding is not part of the L4 length
        assertThat(parse(padded)).isEqualTo(PacketParser.PARSED);
        assertThat(parser.l4Length()).isEqualTo(8);
    }

    @Test
    void parsesAPacketAtAnOffsetInALargerBuffer() {
        // Given a packet 100 bytes into a direct buffer
        byte[] packet = ReferencePackets.udp("10.0.0.1", 1111, "10.0.0.2", 2222).build();
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
        buffer.put(100, packet);

        // When parsed there
        int result = parser.parse(buffer, 100, packet.length);

        // Then it is keyed
        assertThat(result).isEqualTo(PacketParser.PARSED);
        assertThat(key().srcPort()).isEqualTo(1111);
    }

    private int parse(byte[] packet) {
        return parser.parse(ByteBuffer.wrap(packet), 0, packet.length);
    }

    private FlowKey key() {
        return FlowKey.unpack(parser.keyHigh(), parser.keyLow());
    }
}
