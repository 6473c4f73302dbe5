package io.isthmus.fastpath.testing;

import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import io.isthmus.control.FlowKey;
import io.isthmus.control.PuntReason;

/**
 * jqwik generators of VXLAN payloads for the fuzz tests, built by {@link ReferencePackets} (not by the code under
 * test), each with what the parser must make of it: VXLAN/IPv4 with UDP, TCP, ICMP echo, ICMP errors quoting UDP or
 * TCP, ESP, and VXLAN/IPv6/UDP.
 */
public final class PacketArbitraries {

    /** Where the IPv4 (or IPv6) header starts in a VXLAN payload. */
    public static final int IP = 22;
    public static final int IP_TOTAL_LENGTH = IP + 2;
    public static final int IP_FLAGS_FRAGMENT = IP + 6;
    public static final int IP_TTL = IP + 8;
    public static final int IP_PROTOCOL = IP + 9;
    public static final int IP_CHECKSUM = IP + 10;
    public static final int PROTOCOL_ESP = 50;

    private PacketArbitraries() {
    }

    /**
     * A packet as built, and what parsing it must give: {@code result} ({@code PacketParser.PARSED} 0, or a
     * {@link PuntReason}) and its flow {@code key}. {@code protocol}, {@code src} and {@code dst} are the outer IPv4
     * header's (0 for IPv6).
     */
    public record Built(String what, byte[] bytes, int result, FlowKey key, int vni, int protocol, int src, int dst) {

        public boolean isIpv4() {
            return result != PuntReason.IPV6;
        }

        /** The key of the outer header alone, as an IPv4 packet that is not keyed by ports is. */
        public FlowKey addressKey(int protocol) {
            return new FlowKey(vni, protocol, src, dst, 0, 0);
        }

        @Override
        public String toString() {
            return what + " (" + bytes.length + " bytes)";
        }
    }

    /** Valid packets of every kind the parser knows. */
    public static Arbitrary<Built> packets() {
        return Arbitraries.frequencyOf(Tuple.of(9, ipv4Packets()), Tuple.of(1, ipv6Packets()));
    }

    /** Valid IPv4 packets: UDP, TCP, ICMP echo, ICMP errors, ESP. */
    public static Arbitrary<Built> ipv4Packets() {
        return Arbitraries.oneOf(List.of(transport(ReferencePackets.UDP), transport(ReferencePackets.TCP), echo(),
                icmpError(), esp()));
    }

    private static Arbitrary<Integer> vnis() {
        return Arbitraries.integers().between(0, 0xFF_FFFF);
    }

    private static Arbitrary<Integer> ports() {
        return Arbitraries.integers().between(0, 0xFFFF);
    }

    private static Arbitrary<byte[]> payloads() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    }

    private static Arbitrary<Built> transport(int protocol) {
        return Combinators.combine(vnis(), Arbitraries.integers(), Arbitraries.integers(), ports(), ports(),
                payloads(), Arbitraries.integers().between(2, 255)).as(
                        (vni, src, dst, srcPort, dstPort, payload,
                                ttl) -> {
                            byte[] bytes = builder(protocol, vni, src, dst).ports(srcPort, dstPort).payload(payload)
                                    .ttl(ttl)
                                    .build();
                            return new Built(protocol == ReferencePackets.UDP ? "UDP" : "TCP", bytes, 0,
                                    new FlowKey(vni,
                                            protocol, src, dst, srcPort, dstPort),
                                    vni, protocol, src, dst);
                        });
    }

    private static ReferencePackets.Builder builder(int protocol, int vni, int src, int dst) {
        return ReferencePackets.udp("0.0.0.0", 0, "0.0.0.0", 0).protocol(protocol).vni(vni).srcAddress(src)
                .dstAddress(dst);
    }

    private static Arbitrary<Built> echo() {
        return Combinators.combine(vnis(), Arbitraries.integers(), Arbitraries.integers(), Arbitraries.of(true,
                false), ports(), ports()).as((vni, src, dst, request, identifier, sequence) -> {
                    byte[] bytes = ReferencePackets.icmpEcho(request, "0.0.0.0", "0.0.0.0", identifier, sequence)
                            .vni(vni).srcAddress(src).dstAddress(dst).build();
                    FlowKey key = new FlowKey(vni, ReferencePackets.ICMP, src, dst, request ? identifier : 0,
                            request ? 0 : identifier);
                    return new Built(request ? "ICMP echo request" : "ICMP echo reply", bytes, 0, key, vni,
                            ReferencePackets.ICMP, src, dst);
                });
    }

    /** An ICMP error from a router about a UDP or TCP packet it quotes (8 or more of its L4 bytes). */
    private static Arbitrary<Built> icmpError() {
        Arbitrary<Built> quoted = Arbitraries.oneOf(List.of(transport(ReferencePackets.UDP), transport(
                ReferencePackets.TCP)));
        return Combinators.combine(quoted, Arbitraries.of(3, 11, 12), Arbitraries.integers().between(0, 15),
                Arbitraries.integers(), Arbitraries.integers().between(8, 64)).as(
                        (inner, type, code, router,
                                l4Bytes) -> {
                            byte[] quote = ReferencePackets.quote(inner.bytes(), l4Bytes);
                            byte[] bytes = ReferencePackets.icmpError(type, code, "0.0.0.0", "0.0.0.0", 0, quote)
                                    .vni(inner
                                            .vni())
                                    .srcAddress(router).dstAddress(inner.src()).build();
                            FlowKey quotedKey = inner.key();
                            FlowKey key = new FlowKey(inner.vni(), quotedKey.protocol(), quotedKey.dstAddress(),
                                    quotedKey
                                            .srcAddress(),
                                    quotedKey.dstPort(), quotedKey.srcPort());
                            return new Built("ICMP error " + type + " about " + inner.what(), bytes, 0, key,
                                    inner.vni(),
                                    ReferencePackets.ICMP, router, inner.src());
                        });
    }

    private static Arbitrary<Built> esp() {
        return Combinators.combine(vnis(), Arbitraries.integers(), Arbitraries.integers(), Arbitraries.bytes()
                .array(byte[].class).ofMinSize(8).ofMaxSize(200)).as((vni, src, dst, payload) -> {
                    byte[] bytes = builder(PROTOCOL_ESP, vni, src, dst).payload(payload).build();
                    int spi = ReferencePackets.u32(payload, 0);
                    return new Built("ESP", bytes, 0, new FlowKey(vni, PROTOCOL_ESP, src, dst, spi >>> 16, spi
                            & 0xFFFF), vni, PROTOCOL_ESP, src, dst);
                });
    }

    private static Arbitrary<Built> ipv6Packets() {
        return Combinators.combine(vnis(), Arbitraries.longs(), Arbitraries.longs(), ports(), ports(), payloads())
                .as((vni, src, dst, srcPort, dstPort, payload) -> {
                    byte[] bytes = ReferencePackets.ipv6Udp(vni, src, ~src, dst, ~dst, srcPort, dstPort, 64, payload);
                    return new Built("IPv6 UDP", bytes, PuntReason.IPV6, new FlowKey(vni, ReferencePackets.UDP, 0, 0,
                            srcPort, dstPort), vni, 0, 0, 0);
                });
    }

    /** Ways to break a valid IPv4 packet that the parser must call malformed. */
    public enum Breakage {
        /** The VXLAN I flag cleared. */
        NO_VNI_FLAG,
        /** An IPv4 version other than 4. */
        VERSION,
        /** An IHL below 5 words. */
        SHORT_IHL,
        /** A total length below the header's. */
        SHORT_TOTAL_LENGTH,
        /** A wrong header checksum. */
        CHECKSUM;

        /** A copy of {@code packet} (IPv4) broken this way; {@code salt} picks among the wrong values. */
        public byte[] apply(byte[] packet, int salt) {
            byte[] bytes = packet.clone();
            int value = salt & 0xFFFF;
            switch (this) {
                case NO_VNI_FLAG -> bytes[0] &= (byte) ~0x08;
                case VERSION -> bytes[IP] = (byte) ((((value % 15) + 5) % 16) << 4 | (bytes[IP] & 0x0F));
                case SHORT_IHL -> bytes[IP] = (byte) (0x40 | (value % 5));
                case SHORT_TOTAL_LENGTH -> ReferencePackets.put16(bytes, IP_TOTAL_LENGTH, value % 20);
                case CHECKSUM -> {
                    bytes[IP_CHECKSUM] ^= (byte) (1 + (value % 255));
                    return bytes;
                }
            }
            fixIpv4Checksum(bytes);
            return bytes;
        }
    }

    /**
     * Recomputes the IPv4 header checksum of a VXLAN payload for the header length its IHL says, if the header is
     * within the bytes, so a test's change to a field is what the parser sees rather than a bad checksum.
     */
    public static void fixIpv4Checksum(byte[] bytes) {
        int headerLength = (bytes[IP] & 0x0F) * 4;
        if (IP + headerLength > bytes.length || headerLength < IP_CHECKSUM + 2 - IP) {
            return;
        }
        ReferencePackets.put16(bytes, IP_CHECKSUM, 0);
        ReferencePackets.put16(bytes, IP_CHECKSUM, ReferencePackets.internetChecksum(bytes, IP, headerLength));
    }

    /** The first {@code length} bytes of {@code packet}. */
    public static byte[] truncated(byte[] packet, int length) {
        return Arrays.copyOf(packet, length);
    }
}
