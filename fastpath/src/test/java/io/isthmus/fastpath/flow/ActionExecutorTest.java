package io.isthmus.fastpath.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.fastpath.packet.PacketParser;
import io.isthmus.fastpath.packet.TcpFlyweight;
import io.isthmus.fastpath.testing.ReferencePackets;

class ActionExecutorTest {

    private final ActionProgramTable programs = new ActionProgramTable(8);
    private final ActionExecutor executor = new ActionExecutor(programs);
    private final PacketParser parser = new PacketParser();

    @Test
    void sourceRewriteOfUdpKeepsBothChecksumsEqualToFullRecomputation() {
        // Given a UDP packet and a program rewriting its source
        byte[] packet = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).build();
        int program = program(Action.REWRITE_SOURCE, ActionProgramTable.addressPort(0xCB00710A, 20000));

        // When the program runs
        run(program, packet);

        // Then the source changed, the rest did not, and both checksums are what a full recomputation gives
        ReferencePackets.Decoded out = ReferencePackets.decode(packet);
        assertThat(out.src()).isEqualTo("203.0.113.10");
        assertThat(out.srcPort()).isEqualTo(20000);
        assertThat(out.dst()).isEqualTo("198.51.100.7");
        assertThat(out.dstPort()).isEqualTo(53);
        assertThat(out.ipChecksumValid()).isTrue();
        assertThat(out.l4ChecksumValid()).isTrue();
    }

    @Test
    void randomRewritesOfUdpTcpAndIcmpAlwaysLeaveValidChecksums() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 5_000; round++) {
            // Given a random packet of a random protocol
            byte[] payload = new byte[random.nextInt(0, 64)];
            random.nextBytes(payload);
            int src = random.nextInt();
            int dst = random.nextInt();
            ReferencePackets.Builder builder = switch (random.nextInt(3)) {
                case 0 -> ReferencePackets.udp("0.0.0.0", random.nextInt(65536), "0.0.0.0", random.nextInt(65536));
                case 1 -> ReferencePackets.tcp("0.0.0.0", random.nextInt(65536), "0.0.0.0", random.nextInt(65536));
                default -> ReferencePackets.icmpEcho(random.nextBoolean(), "0.0.0.0", "0.0.0.0",
                        random.nextInt(65536), random.nextInt(65536));
            };
            byte[] packet = builder.srcAddress(src).dstAddress(dst).payload(payload).ttl(random.nextInt(2, 256))
                    .build();

            // When a random source or destination rewrite and a TTL decrement run
            int opcode = random.nextBoolean() ? Action.REWRITE_SOURCE : Action.REWRITE_DESTINATION;
            int program = program(opcode, ActionProgramTable.addressPort(random.nextInt(), random.nextInt(65536)));
            programs.append(program, Action.DECREMENT_TTL, 0);
            run(program, packet);
            programs.free(program);

            // Then the reference decoder finds both checksums correct
            ReferencePackets.Decoded out = ReferencePackets.decode(packet);
            assertThat(out.ipChecksumValid()).as("round %d ip", round).isTrue();
            assertThat(out.l4ChecksumValid()).as("round %d l4 proto %d", round, out.protocol()).isTrue();
        }
    }

    @Test
    void aUdpPacketWithoutChecksumKeepsNone() {
        // Given a UDP packet sent without a checksum
        byte[] packet = ReferencePackets.udp("10.0.0.5", 1, "10.0.0.6", 2).noUdpChecksum().build();
        int program = program(Action.REWRITE_DESTINATION, ActionProgramTable.addressPort(0x01020304, 9));

        // When its destination is rewritten
        run(program, packet);

        // Then the UDP checksum is still "none" and the IPv4 checksum is right
        ReferencePackets.Decoded out = ReferencePackets.decode(packet);
        assertThat(out.l4Checksum()).isZero();
        assertThat(out.ipChecksumValid()).isTrue();
    }

    @Test
    void icmpRewritesMoveTheEchoIdentifierOnlyInTheKeyedDirection() {
        // Given an echo request rewritten at the source and an echo reply rewritten at the destination
        byte[] request = ReferencePackets.icmpEcho(true, "10.0.0.5", "1.1.1.1", 0x0100, 1).build();
        byte[] reply = ReferencePackets.icmpEcho(false, "1.1.1.1", "203.0.113.10", 20001, 1).build();

        // When run
        run(program(Action.REWRITE_SOURCE, ActionProgramTable.addressPort(0xCB00710A, 20001)), request);
        run(program(Action.REWRITE_DESTINATION, ActionProgramTable.addressPort(0x0A000005, 0x0100)), reply);

        // Then the identifiers are translated and the checksums hold
        assertThat(ReferencePackets.decode(request).icmpIdentifier()).isEqualTo(20001);
        assertThat(ReferencePackets.decode(request).l4ChecksumValid()).isTrue();
        assertThat(ReferencePackets.decode(reply).icmpIdentifier()).isEqualTo(0x0100);
        assertThat(ReferencePackets.decode(reply).dst()).isEqualTo("10.0.0.5");
        assertThat(ReferencePackets.decode(reply).l4ChecksumValid()).isTrue();
    }

    @Test
    void setVniAndNextHopAreApplied() {
        // Given a program setting the VNI and a next hop
        byte[] packet = ReferencePackets.udp("10.0.0.5", 1, "10.0.0.6", 2).vni(100).build();
        int program = program(Action.SET_VNI, 200);
        programs.append(program, Action.SET_NEXT_HOP, 3);

        // When run
        int verdict = run(program, packet);

        // Then the packet leaves on VNI 200 towards next hop 3
        assertThat(verdict).isEqualTo(3);
        assertThat(ReferencePackets.decode(packet).vni()).isEqualTo(200);
    }

    @Test
    void decrementTtlDropsAnExpiringPacketUntouched() {
        // Given a packet with TTL 1
        byte[] packet = ReferencePackets.udp("10.0.0.5", 1, "10.0.0.6", 2).ttl(1).build();
        byte[] before = packet.clone();

        // When a program decrements the TTL
        int verdict = run(program(Action.DECREMENT_TTL, 0), packet);

        // Then it expires and the packet is unchanged
        assertThat(verdict).isEqualTo(ActionExecutor.TTL_EXPIRED);
        assertThat(packet).isEqualTo(before);
    }

    @Test
    void dropStopsTheProgramAndCountCountsPacketsAndBytes() {
        // Given a program that counts, then drops, then would set a next hop
        byte[] packet = ReferencePackets.udp("10.0.0.5", 1, "10.0.0.6", 2).build();
        int program = program(Action.COUNT, 0);
        programs.append(program, Action.DROP, 0);
        programs.append(program, Action.SET_NEXT_HOP, 0);

        // When run twice
        int verdict = run(program, packet);
        run(program, packet);

        // Then it drops and counted both packets
        assertThat(verdict).isEqualTo(ActionExecutor.DROPPED);
        assertThat(programs.packets(program)).isEqualTo(2);
        assertThat(programs.bytes(program)).isEqualTo(2L * packet.length);
    }

    @Test
    void aProgramWithoutNextHopSaysSo() {
        byte[] packet = ReferencePackets.udp("10.0.0.5", 1, "10.0.0.6", 2).build();

        assertThat(run(program(Action.COUNT, 0), packet)).isEqualTo(ActionExecutor.NO_NEXT_HOP);
    }

    @Test
    void anExpiringTtlStopsTheProgramBeforeItRewritesAnything() {
        // Given a packet with TTL 1 and a NAT program that rewrites before it decrements the TTL
        byte[] packet = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).ttl(1).build();
        byte[] before = packet.clone();
        int program = program(Action.REWRITE_SOURCE, ActionProgramTable.addressPort(0xCB00710A, 20000));
        programs.append(program, Action.SET_VNI, 200);
        programs.append(program, Action.DECREMENT_TTL, 0);

        // When run
        int verdict = run(program, packet);

        // Then the TTL expired and the packet is exactly as received, for the slowpath to quote
        assertThat(verdict).isEqualTo(ActionExecutor.TTL_EXPIRED);
        assertThat(packet).isEqualTo(before);
    }

    // ---------------------------------------------------------------- ICMP errors (RFC 5508)

    @Test
    void anIcmpErrorComingBackIsTranslatedQuoteAndAllLikeItsFlow() {
        for (int quoted : new int[]{8, 64}) {
            // Given an inside packet, the packet the NAT made of it, and a router's port unreachable quoting that
            byte[] inside = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).build();
            byte[] translated = ReferencePackets.udp("203.0.113.10", 20000, "198.51.100.7", 53).build();
            byte[] error = ReferencePackets.icmpError(3, 3, "192.0.2.1", "203.0.113.10", 0,
                    ReferencePackets.quote(translated, quoted)).vni(200).build();
            // and the reverse rule of the flow, which the error's key hits
            int program = program(Action.REWRITE_DESTINATION, ActionProgramTable.addressPort(0x0A000005, 40001));

            // When the reverse rule runs over the error
            run(program, error);

            // Then the error goes to the inside host, quotes the packet that host sent, byte for byte,
            // and every checksum (outer IPv4, ICMP over the quote, quoted IPv4, quoted UDP) is right
            ReferencePackets.Decoded out = ReferencePackets.decode(error);
            assertThat(out.src()).isEqualTo("192.0.2.1");
            assertThat(out.dst()).isEqualTo("10.0.0.5");
            assertThat(out.ipChecksumValid()).isTrue();
            assertThat(out.l4ChecksumValid()).as("ICMP checksum, %d bytes quoted", quoted).isTrue();
            ReferencePackets.Quoted quote = ReferencePackets.decodeQuote(error);
            assertThat(quote.bytes()).isEqualTo(ReferencePackets.quote(inside, quoted));
            assertThat(quote.ipChecksumValid()).isTrue();
        }
    }

    @Test
    void anIcmpErrorGoingOutIsTranslatedAtTheQuotedDestination() {
        // Given an inside host's port unreachable about a packet the NAT translated towards it (TCP, 40 bytes quoted)
        byte[] arrived = ReferencePackets.tcp("198.51.100.7", 443, "10.0.0.5", 40001).build();
        byte[] asSentOutside = ReferencePackets.tcp("198.51.100.7", 443, "203.0.113.10", 20000).build();
        byte[] error = ReferencePackets.icmpError(3, 3, "10.0.0.5", "198.51.100.7", 0,
                ReferencePackets.quote(arrived, 40)).vni(100).build();
        int program = program(Action.REWRITE_SOURCE, ActionProgramTable.addressPort(0xCB00710A, 20000));

        // When the forward rule of the flow runs over it
        run(program, error);

        // Then it leaves from the public address, quoting the packet as the outside sent it, TCP checksum included
        ReferencePackets.Decoded out = ReferencePackets.decode(error);
        assertThat(out.src()).isEqualTo("203.0.113.10");
        assertThat(out.ipChecksumValid()).isTrue();
        assertThat(out.l4ChecksumValid()).isTrue();
        assertThat(ReferencePackets.decodeQuote(error).bytes()).isEqualTo(ReferencePackets.quote(asSentOutside, 40));
    }

    @Test
    void aTimeExceededAboutAnEchoRequestGetsTheInsideIdentifierBack() {
        // Given an echo request translated to identifier 20001 and a router's time exceeded quoting it in full
        byte[] inside = ReferencePackets.icmpEcho(true, "10.0.0.5", "1.1.1.1", 7, 3).build();
        byte[] translated = ReferencePackets.icmpEcho(true, "203.0.113.10", "1.1.1.1", 20001, 3).build();
        byte[] error = ReferencePackets.icmpError(11, 0, "192.0.2.1", "203.0.113.10", 0,
                ReferencePackets.ipv4(translated)).build();

        // When the echo reply's reverse rule runs over it
        run(program(Action.REWRITE_DESTINATION, ActionProgramTable.addressPort(0x0A000005, 7)), error);

        // Then the quote is the inside host's request again, inner ICMP checksum and all
        ReferencePackets.Decoded out = ReferencePackets.decode(error);
        assertThat(out.l4ChecksumValid()).isTrue();
        assertThat(ReferencePackets.decodeQuote(error).bytes()).isEqualTo(ReferencePackets.ipv4(inside));
    }

    @Test
    void randomIcmpErrorTranslationsAgreeWithBuildingTheTranslatedQuoteFromScratch() {
        SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 2_000; round++) {
            // Given a random flow, its translation, and an error quoting a random length of the translated packet
            int protocol = new int[]{ReferencePackets.UDP, ReferencePackets.TCP}[random.nextInt(2)];
            int remote = random.nextInt();
            int remotePort = random.nextInt(65536);
            int insideAddress = random.nextInt();
            int insidePort = random.nextInt(65536);
            int publicAddress = random.nextInt();
            int publicPort = random.nextInt(65536);
            byte[] payload = new byte[random.nextInt(0, 40)];
            random.nextBytes(payload);
            ReferencePackets.Builder inside = builder(protocol).srcAddress(insideAddress).dstAddress(remote)
                    .ports(insidePort, remotePort).payload(payload);
            ReferencePackets.Builder translated = builder(protocol).srcAddress(publicAddress).dstAddress(remote)
                    .ports(publicPort, remotePort).payload(payload);
            if (random.nextBoolean()) {
                inside.noUdpChecksum();
                translated.noUdpChecksum();
            }
            int quoted = random.nextInt(8, 80);
            if (protocol == ReferencePackets.TCP && quoted == TcpFlyweight.CHECKSUM_OFFSET + 1) {
                // a quote that ends inside the TCP checksum carries half a word: nothing can update it
                quoted++;
            }
            byte[] error = ReferencePackets.icmpError(random.nextBoolean() ? 3 : 11, random.nextInt(4), "192.0.2.1",
                    "0.0.0.0", random.nextInt(), ReferencePackets.quote(translated.build(), quoted))
                    .dstAddress(publicAddress).build();

            // When translated back
            int program = program(Action.REWRITE_DESTINATION,
                    ActionProgramTable.addressPort(insideAddress, insidePort));
            run(program, error);
            programs.free(program);

            // Then it is what an error quoting the inside packet would be
            assertThat(ReferencePackets.decode(error).l4ChecksumValid()).as("round %d", round).isTrue();
            assertThat(ReferencePackets.decodeQuote(error).bytes()).as("round %d", round)
                    .isEqualTo(ReferencePackets.quote(inside.build(), quoted));
        }
    }

    private static ReferencePackets.Builder builder(int protocol) {
        return protocol == ReferencePackets.UDP
                ? ReferencePackets.udp("0.0.0.0", 0, "0.0.0.0", 0)
                : ReferencePackets.tcp("0.0.0.0", 0, "0.0.0.0", 0);
    }

    private int program(int opcode, long operand) {
        int program = programs.allocate();
        programs.append(program, opcode, operand);
        return program;
    }

    private int run(int program, byte[] packet) {
        ByteBuffer buffer = ByteBuffer.wrap(packet);
        assertThat(parser.parse(buffer, 0, packet.length)).isEqualTo(PacketParser.PARSED);
        return executor.execute(program, parser);
    }
}
