package io.isthmus.fastpath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.isthmus.control.FlowKey;
import io.isthmus.control.PuntReason;
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
    void rejectsBrokenPacketsAsMalformedAndShortOnesAsTruncated() {
        byte[] good = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).build();
        byte[] noIFlag = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).vxlanFlags(0).build();
        byte[] badChecksum = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).corruptIpChecksum().build();
        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        byte[] tooShort = Arrays.copyOf(good, 20);

        assertThat(parse(noIFlag)).isEqualTo(PacketParser.MALFORMED);
        assertThat(parse(badChecksum)).isEqualTo(PacketParser.MALFORMED);
        assertThat(parse(truncated)).isEqualTo(PacketParser.TRUNCATED);
        assertThat(parse(tooShort)).isEqualTo(PacketParser.TRUNCATED);
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

    @Test
    void parsesAnIpv6HeaderAndPuntsItWithVniNextHeaderAndPorts() {
        // Given an IPv6/UDP packet from the independent encoder
        byte[] packet = ReferencePackets.ipv6Udp(100, 0x2001_0db8_0000_0000L, 1, 0x2001_0db8_0000_0000L, 2, 5353,
                53, 17, "v6".getBytes());

        // When parsed
        int result = parse(packet);

        // Then it is punted as IPv6, with its header readable and the key holding what fits
        assertThat(result).isEqualTo(PuntReason.IPV6);
        assertThat(parser.ipv6().version()).isEqualTo(6);
        assertThat(parser.ipv6().flowLabel()).isEqualTo(0x12345);
        assertThat(parser.ipv6().hopLimit()).isEqualTo(17);
        assertThat(parser.ipv6().nextHeader()).isEqualTo(Ipv6Flyweight.NEXT_HEADER_UDP);
        assertThat(parser.ipv6().payloadLength()).isEqualTo(8 + 2);
        assertThat(parser.ipv6().srcAddressHigh()).isEqualTo(0x2001_0db8_0000_0000L);
        assertThat(parser.ipv6().dstAddressLow()).isEqualTo(2);
        assertThat(key()).isEqualTo(new FlowKey(100, FlowKey.UDP, 0, 0, 5353, 53));
    }

    @Test
    void aTruncatedIpv6PacketIsTruncated() {
        byte[] packet = ReferencePackets.ipv6Udp(100, 0, 1, 0, 2, 1, 2, 64, new byte[0]);

        assertThat(parser.parse(ByteBuffer.wrap(packet), 0, packet.length - 1)).isEqualTo(PacketParser.TRUNCATED);
    }

    @Test
    void keysAnIcmpErrorByItsQuotedFlowTurnedAround() {
        // Given a UDP packet a NAT sent out, and the port unreachable a router answered it with (8 bytes quoted)
        byte[] sent = ReferencePackets.udp("203.0.113.10", 20000, "198.51.100.7", 53).vni(200).build();
        byte[] error = ReferencePackets.icmpError(3, 3, "192.0.2.1", "203.0.113.10", 0,
                ReferencePackets.quote(sent, 8)).vni(200).build();

        // When the error is parsed
        int result = parse(error);

        // Then it is keyed as a packet of that flow coming back, and the quote's own key is exposed
        assertThat(result).isEqualTo(PacketParser.PARSED);
        assertThat(parser.isIcmpError()).isTrue();
        FlowKey quotedKey = new FlowKey(200, FlowKey.UDP, ReferencePackets.parse("203.0.113.10"),
                ReferencePackets.parse("198.51.100.7"), 20000, 53);
        assertThat(FlowKey.unpack(parser.innerKeyHigh(), parser.innerKeyLow())).isEqualTo(quotedKey);
        assertThat(key()).isEqualTo(quotedKey.reversed(200));
        assertThat(parser.innerProtocol()).isEqualTo(FlowKey.UDP);
        assertThat(parser.innerL4Quoted()).isEqualTo(8);
        assertThat(parser.icmp().isError()).isTrue();
        assertThat(parser.innerIpv4().ttl()).isEqualTo(64);
    }

    @Test
    void keysATimeExceededAboutAnEchoRequestLikeTheEchoReply() {
        // Given a time exceeded quoting an echo request (identifier 20001) in full
        byte[] request = ReferencePackets.icmpEcho(true, "203.0.113.10", "1.1.1.1", 20001, 9).vni(200).build();
        byte[] error = ReferencePackets.icmpError(11, 0, "192.0.2.1", "203.0.113.10", 0,
                ReferencePackets.ipv4(request)).vni(200).build();

        // When parsed
        assertThat(parse(error)).isEqualTo(PacketParser.PARSED);

        // Then its key is the echo reply's
        byte[] reply = ReferencePackets.icmpEcho(false, "1.1.1.1", "203.0.113.10", 20001, 9).vni(200).build();
        FlowKey errorKey = key();
        parse(reply);
        assertThat(errorKey).isEqualTo(key());
    }

    @Test
    void anIcmpErrorWhoseIcmpOrQuotedIpChecksumFailsIsMalformed() {
        // Given an error about a UDP flow, and two copies each with one checksum broken (RFC 5508 REQ-3, 3a)
        byte[] sent = ReferencePackets.udp("203.0.113.10", 20000, "198.51.100.7", 53).build();
        byte[] error = ReferencePackets.icmpError(3, 3, "192.0.2.1", "203.0.113.10", 0,
                ReferencePackets.quote(sent, 8)).vni(200).build();
        int icmp = 22 + 20;
        byte[] badIcmpChecksum = error.clone();
        badIcmpChecksum[icmp + 2] ^= 0x01;
        byte[] badQuotedIpChecksum = error.clone();
        badQuotedIpChecksum[icmp + 8 + 10] ^= 0x01;
        // the ICMP checksum covers the quote: computed again, so only the quoted header's fails
        badQuotedIpChecksum[icmp + 2] = 0;
        badQuotedIpChecksum[icmp + 3] = 0;
        int checksum = ReferencePackets.internetChecksum(badQuotedIpChecksum, icmp,
                badQuotedIpChecksum.length - icmp);
        badQuotedIpChecksum[icmp + 2] = (byte) (checksum >>> 8);
        badQuotedIpChecksum[icmp + 3] = (byte) checksum;

        // Then the good one parses, the broken ones are malformed
        assertThat(parse(error)).isEqualTo(PacketParser.PARSED);
        assertThat(parse(badIcmpChecksum)).isEqualTo(PacketParser.MALFORMED);
        assertThat(parse(badQuotedIpChecksum)).isEqualTo(PacketParser.MALFORMED);
    }

    @Test
    void anIcmpErrorQuotingTooLittleOrSomethingUnkeyableIsPuntedAsUnsupported() {
        byte[] sent = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).build();
        byte[] shortQuote = ReferencePackets.icmpError(3, 1, "10.0.0.9", "10.0.0.1", 0,
                ReferencePackets.quote(sent, 4)).build();
        byte[] laterFragment = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).flagsAndFragmentOffset(0x0010)
                .build();
        byte[] fragmentQuote = ReferencePackets.icmpError(11, 1, "10.0.0.9", "10.0.0.1", 0,
                ReferencePackets.quote(laterFragment, 8)).build();

        assertThat(parse(shortQuote)).isEqualTo(PuntReason.UNSUPPORTED_PROTOCOL);
        assertThat(parse(fragmentQuote)).isEqualTo(PuntReason.UNSUPPORTED_PROTOCOL);
        assertThat(parser.isIcmpError()).isFalse();
    }

    @Test
    void keysEspBySpi() throws Exception {
        // Given an ESP packet with SPI 0x12345678
        byte[] inner = ReferencePackets.ipv4(ReferencePackets.udp("10.1.0.1", 1, "10.2.0.1", 2).build());
        byte[] outer = io.isthmus.fastpath.testing.ReferenceEsp.seal(inner, 0x12345678, 1, 1, new byte[20],
                ReferencePackets.parse("192.0.2.1"), ReferencePackets.parse("192.0.2.2"));
        byte[] packet = ReferencePackets.vxlan(300, outer);

        // When parsed
        assertThat(parse(packet)).isEqualTo(PacketParser.PARSED);

        // Then the SPI is in the port fields
        assertThat(key()).isEqualTo(new FlowKey(300, 50, ReferencePackets.parse("192.0.2.1"),
                ReferencePackets.parse("192.0.2.2"), 0x1234, 0x5678));
        assertThat(parser.esp().spi()).isEqualTo(0x12345678);
        assertThat(parser.esp().sequenceNumber()).isEqualTo(1);
    }
}
