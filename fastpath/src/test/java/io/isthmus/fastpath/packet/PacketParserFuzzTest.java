package io.isthmus.fastpath.packet;

import static io.isthmus.fastpath.testing.PacketArbitraries.IP;
import static io.isthmus.fastpath.testing.PacketArbitraries.IP_FLAGS_FRAGMENT;
import static io.isthmus.fastpath.testing.PacketArbitraries.IP_PROTOCOL;
import static io.isthmus.fastpath.testing.PacketArbitraries.IP_TOTAL_LENGTH;
import static io.isthmus.fastpath.testing.PacketArbitraries.IP_TTL;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import io.isthmus.control.FlowKey;
import io.isthmus.control.PuntReason;
import io.isthmus.fastpath.testing.PacketArbitraries;
import io.isthmus.fastpath.testing.PacketArbitraries.Built;
import io.isthmus.fastpath.testing.ReferencePackets;

/**
 * Properties of {@link PacketParser} under hostile input: random bytes, valid packets cut at every length, and valid
 * packets with a bit flipped in the VXLAN flags or the IPv4 version/IHL, total length, flags/fragment offset or
 * protocol. The parser never throws; each packet sits at an offset in a buffer that ends where the packet does, so a
 * read past its end would throw, and the same bytes amid other bytes must parse the same, so nothing outside the
 * packet is read either. The result is the parse the test built, or a drop ({@link PacketParser#TRUNCATED},
 * {@link PacketParser#MALFORMED}) or punt reason that the change explains.
 * <p>
 * Seeded and bounded so the run takes seconds and fails the same way twice.
 */
class PacketParserFuzzTest {

    private static final String SEED = "20261203";

    private final PacketParser parser = new PacketParser();

    @Property(tries = 5000, seed = SEED)
    void randomBytesAreDroppedOrPuntedWithoutReadingOutsideThePacket(@ForAll @Size(max = 2000) byte[] bytes,
            @ForAll @IntRange(max = 64) int offset, @ForAll long salt) {
        assertParsesAlikeAnywhere(bytes, bytes.length, offset, salt);
    }

    @Property(tries = 5000, seed = SEED)
    void randomBytesBehindValidVxlanAndEthernetHeadersAreDroppedOrPuntedWithoutReadingOutsideThePacket(
            @ForAll @Size(max = 400) byte[] body, @ForAll("etherTypes") int etherType,
            @ForAll @IntRange(max = 64) int offset, @ForAll long salt) {
        // Given random bytes where the IP header goes, behind a VXLAN header with its I flag and an EtherType the
        // parser reads on from, and, more often than chance would give, a version nibble that matches it
        byte[] bytes = new byte[IP + body.length];
        System.arraycopy(body, 0, bytes, IP, body.length);
        bytes[0] = 0x08;
        ReferencePackets.put16(bytes, IP - 2, etherType);
        if (body.length > 0 && (salt & 1) == 0) {
            bytes[IP] = (byte) ((etherType == EthernetFlyweight.ETHER_TYPE_IPV6 ? 0x60 : 0x40) | (body[0] & 0x0F));
            PacketArbitraries.fixIpv4Checksum(bytes);
        }

        assertParsesAlikeAnywhere(bytes, bytes.length, offset, salt);
    }

    @Property(tries = 2000, seed = SEED)
    void aValidPacketParsesToWhatWasBuilt(@ForAll("packets") Built packet, @ForAll @IntRange(max = 64) int offset,
            @ForAll long salt) {
        assertThat(assertParsesAlikeAnywhere(packet.bytes(), packet.bytes().length, offset, salt)).isEqualTo(packet
                .result());
        assertThat(key()).isEqualTo(packet.key());
    }

    @Property(tries = 1000, seed = SEED)
    void everyTruncationOfAValidPacketIsDroppedAsTruncated(@ForAll("packets") Built packet,
            @ForAll @IntRange(max = 64) int offset, @ForAll long salt) {
        for (int length = 0; length < packet.bytes().length; length++) {
            assertThat(assertParsesAlikeAnywhere(packet.bytes(), length, offset, salt)).as("%s cut to %d", packet,
                    length).isEqualTo(PacketParser.TRUNCATED);
        }
    }

    @Property(tries = 5000, seed = SEED)
    void aBitFlipInTheVxlanFlagsDropsThePacketOnlyIfItClearsTheIFlag(@ForAll("packets") Built packet,
            @ForAll @IntRange(max = 7) int bit) {
        byte[] bytes = packet.bytes().clone();
        bytes[0] ^= (byte) (1 << bit);

        int result = assertParsesAlikeAnywhere(bytes, bytes.length, 0, bit);

        if (1 << bit == VxlanFlyweight.FLAG_VNI_VALID) {
            assertThat(result).isEqualTo(PacketParser.MALFORMED);
        } else {
            assertThat(result).isEqualTo(packet.result());
            assertThat(key()).isEqualTo(packet.key());
        }
    }

    @Property(tries = 5000, seed = SEED)
    void aBitFlipInTheVersionOrIhlIsMalformedOrPuntedForOptions(@ForAll("ipv4Packets") Built packet,
            @ForAll @IntRange(max = 7) int bit) {
        // Given a bit of the version/IHL byte flipped, and the header checksum made right for the new header
        byte[] bytes = packet.bytes().clone();
        bytes[IP] ^= (byte) (1 << bit);
        PacketArbitraries.fixIpv4Checksum(bytes);
        int ihl = bytes[IP] & 0x0F;
        int totalLength = ReferencePackets.u16(bytes, IP_TOTAL_LENGTH);

        int result = assertParsesAlikeAnywhere(bytes, bytes.length, 0, bit);

        // Then another version, an IHL under 5 or a header beyond the total length is malformed, a longer one has
        // options
        if (bit >= 4 || ihl < 5 || ihl * 4 > totalLength) {
            assertThat(result).isEqualTo(PacketParser.MALFORMED);
        } else {
            assertThat(result).isEqualTo(PuntReason.IP_OPTIONS);
            assertThat(key()).isEqualTo(packet.addressKey(packet.protocol()));
        }
    }

    @Property(tries = 5000, seed = SEED)
    void aBitFlipInTheTotalLengthIsTruncatedMalformedOrTheSameFlow(@ForAll("ipv4Packets") Built packet,
            @ForAll @IntRange(max = 15) int bit) {
        byte[] bytes = packet.bytes().clone();
        int totalLength = ReferencePackets.u16(bytes, IP_TOTAL_LENGTH) ^ (1 << bit);
        ReferencePackets.put16(bytes, IP_TOTAL_LENGTH, totalLength);
        PacketArbitraries.fixIpv4Checksum(bytes);

        int result = assertParsesAlikeAnywhere(bytes, bytes.length, 0, bit);

        // Then longer than the bytes is truncated, shorter than the header malformed, and a shorter packet is the
        // same flow, an L4 header it has no room for, or an ICMP error whose quote it cut too short to key
        if (totalLength > bytes.length - IP) {
            assertThat(result).isEqualTo(PacketParser.TRUNCATED);
        } else if (totalLength < Ipv4Flyweight.MIN_HEADER_LENGTH) {
            assertThat(result).isEqualTo(PacketParser.MALFORMED);
        } else {
            assertThat(result).isIn(PacketParser.PARSED, PacketParser.MALFORMED, PuntReason.UNSUPPORTED_PROTOCOL);
            if (result == PacketParser.PARSED) {
                assertThat(key()).isEqualTo(packet.key());
            }
        }
    }

    @Property(tries = 5000, seed = SEED)
    void aBitFlipInTheFlagsOrFragmentOffsetPuntsAFragmentAndIgnoresTheOtherFlags(@ForAll("ipv4Packets") Built packet,
            @ForAll @IntRange(max = 15) int bit) {
        byte[] bytes = packet.bytes().clone();
        int flagsAndOffset = ReferencePackets.u16(bytes, IP_FLAGS_FRAGMENT) ^ (1 << bit);
        ReferencePackets.put16(bytes, IP_FLAGS_FRAGMENT, flagsAndOffset);
        PacketArbitraries.fixIpv4Checksum(bytes);

        int result = assertParsesAlikeAnywhere(bytes, bytes.length, 0, bit);

        if ((flagsAndOffset & (Ipv4Flyweight.FLAG_MORE_FRAGMENTS | Ipv4Flyweight.FRAGMENT_OFFSET_MASK)) != 0) {
            assertThat(result).isEqualTo(PuntReason.FRAGMENT);
            assertThat(key()).isEqualTo(packet.addressKey(packet.protocol()));
        } else {
            assertThat(result).isEqualTo(packet.result());
            assertThat(key()).isEqualTo(packet.key());
        }
    }

    @Property(tries = 5000, seed = SEED)
    void aBitFlipInTheProtocolIsPuntedUnsupportedOrParsedAsTheNewProtocol(@ForAll("ipv4Packets") Built packet,
            @ForAll @IntRange(max = 7) int bit) {
        byte[] bytes = packet.bytes().clone();
        bytes[IP_PROTOCOL] ^= (byte) (1 << bit);
        int protocol = bytes[IP_PROTOCOL] & 0xFF;
        PacketArbitraries.fixIpv4Checksum(bytes);

        int result = assertParsesAlikeAnywhere(bytes, bytes.length, 0, bit);

        if (protocol != FlowKey.UDP && protocol != FlowKey.TCP && protocol != FlowKey.ICMP
                && protocol != PacketArbitraries.PROTOCOL_ESP) {
            assertThat(result).isEqualTo(PuntReason.UNSUPPORTED_PROTOCOL);
            assertThat(key()).isEqualTo(packet.addressKey(protocol));
        } else {
            // the rest of the packet read as another protocol: keyed as that, or refused
            assertThat(result).isIn(PacketParser.PARSED, PacketParser.MALFORMED, PuntReason.UNSUPPORTED_PROTOCOL);
            if (result == PacketParser.PARSED && !parser.isIcmpError()) {
                FlowKey key = key();
                assertThat(key.protocol()).isEqualTo(protocol);
                assertThat(key.vni()).isEqualTo(packet.vni());
                assertThat(key.srcAddress()).isEqualTo(packet.src());
                assertThat(key.dstAddress()).isEqualTo(packet.dst());
            }
        }
    }

    @Property(tries = 2000, seed = SEED)
    void theHeaderChecksumCatchesEveryFlipOfOneBitOfAnotherField(@ForAll("ipv4Packets") Built packet,
            @ForAll @IntRange(min = IP_TOTAL_LENGTH, max = IP + 19) int at, @ForAll @IntRange(max = 7) int bit) {
        // Given one bit flipped in any header byte but version/IHL and the checksum left as it was
        byte[] bytes = packet.bytes().clone();
        bytes[at] ^= (byte) (1 << bit);

        // Then it is malformed, or truncated if the flip made the total length longer than the packet
        int result = assertParsesAlikeAnywhere(bytes, bytes.length, 0, bit);
        if (ReferencePackets.u16(bytes, IP_TOTAL_LENGTH) > bytes.length - IP) {
            assertThat(result).isEqualTo(PacketParser.TRUNCATED);
        } else {
            assertThat(result).as("flip of byte %d bit %d (TTL at %d)", at, bit, IP_TTL).isEqualTo(
                    PacketParser.MALFORMED);
        }
    }

    @Provide
    Arbitrary<Built> packets() {
        return PacketArbitraries.packets();
    }

    @Provide
    Arbitrary<Built> ipv4Packets() {
        return PacketArbitraries.ipv4Packets();
    }

    @Provide
    Arbitrary<Integer> etherTypes() {
        return net.jqwik.api.Arbitraries.of(EthernetFlyweight.ETHER_TYPE_IPV4, EthernetFlyweight.ETHER_TYPE_IPV6);
    }

    // ---------------------------------------------------------------- the oracle of bounds

    /**
     * Parses the first {@code length} bytes of {@code bytes} at {@code offset} of a buffer that ends where they do
     * (random bytes before them), then amid other random bytes; asserts both give the same result and key, and that
     * the result is one {@link PacketParser#parse} may return. Returns it, the parser left as the second parse left
     * it.
     */
    private int assertParsesAlikeAnywhere(byte[] bytes, int length, int offset, long salt) {
        Random random = new Random(salt);
        ByteBuffer tight = ByteBuffer.allocate(offset + length);
        ByteBuffer roomy = ByteBuffer.allocate(offset + length + 64);
        byte[] noise = new byte[roomy.capacity()];
        random.nextBytes(noise);
        tight.put(0, noise, 0, offset).put(offset, bytes, 0, length);
        random.nextBytes(noise);
        roomy.put(0, noise).put(offset, bytes, 0, length);

        int result = parser.parse(tight, offset, length);
        long keyHigh = parser.keyHigh();
        long keyLow = parser.keyLow();
        int again = parser.parse(roomy, offset, length);

        assertThat(again).as("the same bytes amid others").isEqualTo(result);
        assertThat(parser.keyHigh()).as("key (high) amid others").isEqualTo(keyHigh);
        assertThat(parser.keyLow()).as("key (low) amid others").isEqualTo(keyLow);
        assertThat(result).isBetween(PacketParser.TRUNCATED, PuntReason.ICMP_ERROR).isNotEqualTo(PuntReason.MISS)
                .isNotEqualTo(PuntReason.TTL_EXCEEDED).isNotEqualTo(PuntReason.ICMP_ERROR);
        return result;
    }

    private FlowKey key() {
        return FlowKey.unpack(parser.keyHigh(), parser.keyLow());
    }
}
