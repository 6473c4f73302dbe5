package io.isthmus.fastpath.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.isthmus.fastpath.control.Action;
import io.isthmus.fastpath.packet.PacketParser;
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
