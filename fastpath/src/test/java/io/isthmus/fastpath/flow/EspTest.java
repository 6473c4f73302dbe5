package io.isthmus.fastpath.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import javax.crypto.AEADBadTagException;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.control.SecurityAssociation.AddressRange;
import io.isthmus.fastpath.crypto.AesGcm;
import io.isthmus.fastpath.packet.PacketParser;
import io.isthmus.fastpath.testing.ReferenceEsp;
import io.isthmus.fastpath.testing.ReferencePackets;

/**
 * ESP_ENCRYPT and ESP_DECRYPT against {@link ReferenceEsp}, written from RFC 4303, RFC 4106 and RFC 3948 on its own;
 * run over each AES-GCM ({@link EspOpenSslTest}, {@link EspJdkTest}).
 */
abstract class EspTest {

    /** The AES-GCM under test (a new instance per table). */
    abstract AesGcm crypto();

    static final int SPI_OUT = 0x1000_0001;
    static final int SPI_IN = 0x2000_0002;
    static final int LOCAL = ReferencePackets.parse("192.0.2.1");
    static final int PEER = ReferencePackets.parse("198.51.100.1");
    static final byte[] KEY_OUT = keyMaterial(20, 1);
    static final byte[] KEY_IN = keyMaterial(36, 2);

    final SecurityAssociationTable sas = new SecurityAssociationTable(4, crypto());
    final ActionProgramTable programs = new ActionProgramTable(32);
    final ActionExecutor executor = new ActionExecutor(programs, sas);
    final PacketParser parser = new PacketParser();
    final ByteBuffer buffer = ByteBuffer.allocate(2048);

    final byte[] inner = ReferencePackets.udp("10.1.0.5", 40001, "10.2.0.9", 53).vni(100)
            .payload("a DNS query, say".getBytes()).build();

    EspTest() {
        sas.installOutbound(0, SPI_OUT, KEY_OUT, LOCAL, PEER);
        sas.installInbound(1, SPI_IN, KEY_IN);
    }

    @Test
    void encryptWrapsTheInnerPacketInTunnelModeEspThatTheReferenceOpens() throws Exception {
        // Given a program encrypting with SA 0 and sending to next hop 2
        int program = program(Action.ESP_ENCRYPT, 0, Action.SET_NEXT_HOP, 2);

        // When an inner packet runs through it twice
        int first = run(program, inner);
        byte[] firstOut = packet();
        run(program, inner);
        byte[] secondOut = packet();

        // Then the reference opens each to the inner IPv4 packet, with sequence numbers 1 and 2 as IVs
        assertThat(first).isEqualTo(2);
        ReferenceEsp.Opened opened = ReferenceEsp.open(ReferencePackets.ipv4(firstOut), KEY_OUT);
        assertThat(opened.inner()).isEqualTo(ReferencePackets.ipv4(inner));
        assertThat(opened.spi()).isEqualTo(SPI_OUT);
        assertThat(opened.sequence()).isEqualTo(1);
        assertThat(opened.iv()).isEqualTo(1);
        assertThat(opened.nextHeader()).isEqualTo(4);
        assertThat((ReferencePackets.ipv4(inner).length + 2 + opened.padLength()) % 4).isZero();
        assertThat(opened.outerSrc()).isEqualTo(LOCAL);
        assertThat(opened.outerDst()).isEqualTo(PEER);
        assertThat(opened.outerChecksumValid()).isTrue();
        assertThat(opened.outerTtl()).isEqualTo(64);
        assertThat(ReferenceEsp.open(ReferencePackets.ipv4(secondOut), KEY_OUT).sequence()).isEqualTo(2);
        assertThat(sas.sequence(0)).isEqualTo(2);

        // And the VXLAN and Ethernet headers in front are unchanged, the packet's new length is all of it
        assertThat(Arrays.copyOf(firstOut, 22)).isEqualTo(Arrays.copyOf(inner, 22));
        assertThat(parser.packetLength()).isEqualTo(22 + 20 + 16 + ReferencePackets.ipv4(inner).length + 2
                + opened.padLength() + 16);
    }

    @Test
    void decryptUnwrapsWhatTheReferenceSealedAndTheProgramGoesOnOverTheInnerPacket() throws Exception {
        // Given a packet sealed by the reference, and a program that decrypts, decrements the TTL and forwards
        byte[] sealed = ReferencePackets.vxlan(300,
                ReferenceEsp.seal(ReferencePackets.ipv4(inner), SPI_IN, 7, 0xABCDEFL, KEY_IN, PEER, LOCAL));
        int program = program(Action.ESP_DECRYPT, 1, Action.DECREMENT_TTL, 0);
        programs.append(program, Action.SET_NEXT_HOP, 5);

        // When run
        int verdict = run(program, sealed);

        // Then the inner packet took the outer one's place, one hop older, its checksum right
        assertThat(verdict).isEqualTo(5);
        ReferencePackets.Decoded out = ReferencePackets.decode(packet());
        ReferencePackets.Decoded expected = ReferencePackets.decode(inner);
        assertThat(out.vni()).isEqualTo(300);
        assertThat(out.src()).isEqualTo(expected.src());
        assertThat(out.dstPort()).isEqualTo(53);
        assertThat(out.ttl()).isEqualTo(63);
        assertThat(out.ipChecksumValid()).isTrue();
        assertThat(out.l4ChecksumValid()).isTrue();
        assertThat(parser.packetLength()).isEqualTo(inner.length);
    }

    @Test
    void whatOneFastpathEncryptsAnotherDecrypts() {
        // Given two engines' SA tables sharing a key: outbound here, inbound there
        SecurityAssociationTable peerSas = new SecurityAssociationTable(2, crypto());
        peerSas.installInbound(0, SPI_OUT, KEY_OUT);
        ActionProgramTable peerPrograms = new ActionProgramTable(2);
        ActionExecutor peer = new ActionExecutor(peerPrograms, peerSas);
        int encrypt = program(Action.ESP_ENCRYPT, 0, Action.SET_NEXT_HOP, 0);
        int decrypt = peerPrograms.allocate();
        peerPrograms.append(decrypt, Action.ESP_DECRYPT, 0);
        peerPrograms.append(decrypt, Action.SET_NEXT_HOP, 0);

        for (int size : new int[]{0, 1, 2, 3, 100, 1400}) {
            byte[] original = ReferencePackets.tcp("10.1.0.5", 1, "10.2.0.9", 2).payload(new byte[size]).build();
            // When encrypted here and decrypted there
            run(encrypt, original);
            buffer.clear();
            assertThat(parser.parse(buffer, 0, parser.packetLength())).isEqualTo(PacketParser.PARSED);
            assertThat(peer.execute(decrypt, parser)).isZero();

            // Then the packet is the original again
            assertThat(packet()).as("payload of %d bytes", size).isEqualTo(original);
        }
    }

    @Test
    void aTamperedPacketFailsAuthenticationAndTheWindowIsNotMoved() throws Exception {
        byte[] good = ReferencePackets.vxlan(300,
                ReferenceEsp.seal(ReferencePackets.ipv4(inner), SPI_IN, 1, 1, KEY_IN, PEER, LOCAL));
        int program = program(Action.ESP_DECRYPT, 1, Action.SET_NEXT_HOP, 0);
        for (int at : new int[]{22 + 24, 22 + 30, 22 + 40, good.length - 1}) {
            // Given one bit flipped in the sequence number (AAD), the IV, the ciphertext or the ICV
            byte[] bad = good.clone();
            bad[at] ^= 0x01;

            // When decrypted
            int verdict = run(program, bad);

            // Then it is refused as unauthenticated
            assertThat(verdict).as("flip at %d", at).isEqualTo(ActionExecutor.ESP_FAILED);
            assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.AUTHENTICATION_FAILED);
        }
        // And the genuine packet still goes through: the forgeries moved no window
        assertThat(run(program, good)).isZero();
    }

    @Test
    void aReplayedOrTooOldPacketIsRefusedByTheDefaultWindowOf1024() throws Exception {
        int program = program(Action.ESP_DECRYPT, 1, Action.SET_NEXT_HOP, 0);
        // Given sequence numbers 2000 and 1990 accepted
        assertThat(run(program, sealed(2000))).isZero();
        assertThat(run(program, sealed(1990))).isZero();

        // When 2000 and 1990 come again, 976 (1,024 behind 2000) arrives, and 977 (1,023 behind)
        // Then the repeats and the one outside the window are refused, the one just inside is taken
        assertThat(run(program, sealed(2000))).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.REPLAYED);
        assertThat(run(program, sealed(1990))).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(run(program, sealed(976))).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(run(program, sealed(977))).isZero();
        assertThat(run(program, sealed(0))).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(sas.replays(1)).isEqualTo(4);
        assertThat(sas.packets(1)).isEqualTo(3);
    }

    @Test
    void theWrongSpiOrAnUnknownSaIsRefused() throws Exception {
        byte[] otherSpi = ReferencePackets.vxlan(300,
                ReferenceEsp.seal(ReferencePackets.ipv4(inner), SPI_IN + 1, 1, 1, KEY_IN, PEER, LOCAL));

        assertThat(run(program(Action.ESP_DECRYPT, 1, Action.SET_NEXT_HOP, 0), otherSpi))
                .isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.WRONG_SPI);
        assertThat(run(program(Action.ESP_ENCRYPT, 3, Action.SET_NEXT_HOP, 0), inner))
                .isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.NO_SUCH_SA);
        // an inbound SA cannot encrypt
        assertThat(run(program(Action.ESP_ENCRYPT, 1, Action.SET_NEXT_HOP, 0), inner))
                .isEqualTo(ActionExecutor.ESP_FAILED);
    }

    @Test
    void aBufferWithoutRoomForTheEspOverheadIsRefusedUntouched() {
        // Given the packet in a buffer exactly its size
        ByteBuffer tight = ByteBuffer.wrap(inner.clone());
        assertThat(parser.parse(tight, 0, inner.length)).isEqualTo(PacketParser.PARSED);

        // When encrypted
        int verdict = executor.execute(program(Action.ESP_ENCRYPT, 0, Action.SET_NEXT_HOP, 0), parser);

        // Then it is refused and not changed
        assertThat(verdict).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.NO_ROOM);
        assertThat(tight.array()).isEqualTo(inner);
    }

    @Test
    void keyingMaterialMustBeAnAesKeyAndASalt() {
        assertThatThrownBy(() -> sas.installInbound(2, SPI_IN, new byte[16]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sas.installInbound(2, 255, new byte[20])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theReferenceRejectsWhatFailsAuthenticationToo() throws Exception {
        // a check on the checker: a flipped ICV does not open
        byte[] sealed = ReferenceEsp.seal(ReferencePackets.ipv4(inner), SPI_IN, 1, 1, KEY_IN, PEER, LOCAL);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> ReferenceEsp.open(sealed, KEY_IN)).isInstanceOf(AEADBadTagException.class);
    }

    /** The bytes an encrypt and a decrypt may allocate per packet. */
    abstract long allowedAllocationPerPacket();

    @Test
    void espAllocatesAtMostWhatItsCipherNeedsPerPacket() {
        // Given an encrypting and a decrypting program, warmed up
        // (the inbound SA checks selectors: a few ranges, the inner packet within the last)
        SecurityAssociationTable peerSas = new SecurityAssociationTable(1, crypto());
        peerSas.install(SecurityAssociation.inbound(0, SPI_OUT, KEY_OUT).withSelectors(
                List.of(AddressRange.prefix(ReferencePackets.parse("172.16.0.0"), 12),
                        AddressRange.prefix(ReferencePackets.parse("10.1.0.0"), 16)),
                List.of(AddressRange.prefix(ReferencePackets.parse("10.2.0.0"), 16))));
        ActionProgramTable peerPrograms = new ActionProgramTable(1);
        ActionExecutor peer = new ActionExecutor(peerPrograms, peerSas);
        int decrypt = peerPrograms.allocate();
        peerPrograms.append(decrypt, Action.ESP_DECRYPT, 0);
        peerPrograms.append(decrypt, Action.SET_NEXT_HOP, 0);
        int encrypt = program(Action.ESP_ENCRYPT, 0, Action.SET_NEXT_HOP, 0);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        roundTrips(encrypt, peer, decrypt, 20_000);

        // When 10 000 packets are encrypted and decrypted
        long before = threads.getCurrentThreadAllocatedBytes();
        roundTrips(encrypt, peer, decrypt, 10_000);
        long perPacket = (threads.getCurrentThreadAllocatedBytes() - before) / 10_000;

        // Then OpenSSL's path allocates nothing; javax.crypto's allocates per Cipher.init a GCMParameterSpec (56 B),
        // the GCM engine (64 B), the AAD buffer (576 B) and doFinal's GHASH/GCTR state (~400 B) on JDK 25, about
        // 1 KB per operation (bounded loosely to catch a regression on our side)
        System.out.println("ESP encrypt + decrypt allocate " + perPacket + " bytes per packet (" + crypto().name()
                + ")");
        assertThat(perPacket).isLessThanOrEqualTo(allowedAllocationPerPacket());
    }

    // ---------------------------------------------------------------- ESN, window, exhaustion (RFC 4303, 4106)

    @Test
    void withEsnTheHighHalfGoesIntoTheAadAndTheIvIsTheWholeCounterAcrossTheEpoch() throws Exception {
        // Given an outbound SA with ESN whose next sequence numbers are 2^32 - 1 and 2^32
        sas.install(SecurityAssociation.outbound(2, SPI_OUT + 2, KEY_OUT, LOCAL, PEER).withEsn(true));
        sas.skipTo(2, 0xFFFF_FFFEL);
        int program = program(Action.ESP_ENCRYPT, 2, Action.SET_NEXT_HOP, 0);

        // When two packets are encrypted
        run(program, inner);
        byte[] last = ReferencePackets.ipv4(packet());
        run(program, inner);
        byte[] first = ReferencePackets.ipv4(packet());

        // Then the reference opens them with the high halves 0 and 1 in the AAD, the IV the 64-bit counter
        ReferenceEsp.Opened before = ReferenceEsp.open(last, KEY_OUT, true, 0);
        ReferenceEsp.Opened after = ReferenceEsp.open(first, KEY_OUT, true, 1);
        assertThat(before.sequence()).isEqualTo(0xFFFF_FFFFL);
        assertThat(before.iv()).isEqualTo(0xFFFF_FFFFL);
        assertThat(after.sequence()).isEqualTo(0x1_0000_0000L);
        assertThat(after.iv()).isEqualTo(0x1_0000_0000L);
        assertThat(after.inner()).isEqualTo(ReferencePackets.ipv4(inner));
        assertThat(ReferencePackets.u32(first, 24)).as("only the low half is sent").isZero();
        // and the 32-bit AAD of an SA without ESN does not authenticate it
        assertThatThrownBy(() -> ReferenceEsp.open(first, KEY_OUT)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void withEsnTheReceiverInfersTheHighHalfFromItsWindow() throws Exception {
        // Given an inbound SA with ESN that accepted 2^32 - 16
        int spi = 0x3000_0003;
        sas.install(SecurityAssociation.inbound(3, spi, KEY_IN).withEsn(true));
        int program = program(Action.ESP_DECRYPT, 3, Action.SET_NEXT_HOP, 0);
        assertThat(run(program, esnSealed(spi, 0xFFFF_FFF0L))).isZero();

        // When 2^32 + 5 arrives (low half 5), then 2^32 - 8 late (still in the window), then 2^32 + 5 again
        // Then the first two are taken, the window's top is 2^32 + 5, and the repeat is a replay
        assertThat(run(program, esnSealed(spi, 0x1_0000_0005L))).isZero();
        assertThat(ReferencePackets.ipv4(packet())).isEqualTo(ReferencePackets.ipv4(inner));
        assertThat(sas.sequence(3)).isEqualTo(0x1_0000_0005L);
        assertThat(run(program, esnSealed(spi, 0xFFFF_FFF8L))).isZero();
        assertThat(run(program, esnSealed(spi, 0x1_0000_0005L))).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.REPLAYED);
        // and a packet sealed with the wrong high half (the receiver infers 1) fails authentication
        assertThat(run(program, esnSealed(spi, 0x2_0000_0010L))).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.AUTHENTICATION_FAILED);
        assertThat(sas.authFailures(3)).isEqualTo(1);
    }

    @Test
    void sequenceNumbersNeverCycleWithoutOrWithEsn() {
        // Given an SA without ESN at 2^32 - 2 and one with ESN at 2^64 - 2
        sas.skipTo(0, 0xFFFF_FFFEL);
        sas.install(SecurityAssociation.outbound(2, SPI_OUT + 2, KEY_OUT, LOCAL, PEER).withEsn(true));
        sas.skipTo(2, -2L);
        int plain = program(Action.ESP_ENCRYPT, 0, Action.SET_NEXT_HOP, 0);
        int extended = program(Action.ESP_ENCRYPT, 2, Action.SET_NEXT_HOP, 0);

        // When each sends two packets: the last number, then none left
        assertThat(run(plain, inner)).isZero();
        assertThat(run(plain, inner)).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.SEQUENCE_EXHAUSTED);
        assertThat(run(extended, inner)).isZero();
        assertThat(run(extended, inner)).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.SEQUENCE_EXHAUSTED);

        // Then the counters stay at the last number and the drops are counted
        assertThat(sas.sequence(0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(sas.sequence(2)).isEqualTo(-1L);
        assertThat(sas.otherDrops(0)).isEqualTo(1);
        assertThat(sas.otherDrops(2)).isEqualTo(1);
    }

    @Test
    void aWindowOf4096TakesWhatIs4095BehindAndRefusesWhatIs4096() throws Exception {
        sas.install(SecurityAssociation.inbound(1, SPI_IN, KEY_IN).withReplayWindow(4096));
        int program = program(Action.ESP_DECRYPT, 1, Action.SET_NEXT_HOP, 0);

        assertThat(run(program, sealed(5000))).isZero();
        assertThat(run(program, sealed(905))).isZero();
        assertThat(run(program, sealed(904))).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.REPLAYED);
        // a jump of more than the window forgets all of it but the new top
        assertThat(run(program, sealed(100_000))).isZero();
        assertThat(run(program, sealed(99_999))).isZero();
        assertThat(run(program, sealed(100_000))).isEqualTo(ActionExecutor.ESP_FAILED);
    }

    @Test
    void aForgedPacketFarAheadDoesNotMoveTheWindow() throws Exception {
        int program = program(Action.ESP_DECRYPT, 1, Action.SET_NEXT_HOP, 0);
        assertThat(run(program, sealed(10))).isZero();
        byte[] forged = sealed(1_000_000);
        forged[forged.length - 1] ^= 1;

        assertThat(run(program, forged)).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.AUTHENTICATION_FAILED);

        // 11 would be far outside the window had the forgery moved it
        assertThat(run(program, sealed(11))).isZero();
        assertThat(sas.authFailures(1)).isEqualTo(1);
        assertThat(sas.sequence(1)).isEqualTo(11);
    }

    @Test
    void paddingThatIsNot123OrANextHeaderThatIsNotIpv4IsRefused() throws Exception {
        int program = program(Action.ESP_DECRYPT, 1, Action.SET_NEXT_HOP, 0);
        byte[] badPadding = ReferencePackets.vxlan(300, ReferenceEsp.seal(ReferencePackets.ipv4(inner),
                ReferenceEsp.Seal.of(SPI_IN, 1).withBadPadding(), KEY_IN, PEER, LOCAL));
        byte[] ipv6Next = ReferencePackets.vxlan(300, ReferenceEsp.seal(ReferencePackets.ipv4(inner),
                new ReferenceEsp.Seal(SPI_IN, 2, 2, false, 0, 0, false, 41), KEY_IN, PEER, LOCAL));

        assertThat(run(program, badPadding)).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.BAD_TRAILER);
        assertThat(run(program, ipv6Next)).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.BAD_TRAILER);
        assertThat(sas.otherDrops(1)).isEqualTo(2);
    }

    @Test
    void theTrailerPadsEachInnerLengthTo4BytesWith123() throws Exception {
        int program = program(Action.ESP_ENCRYPT, 0, Action.SET_NEXT_HOP, 0);
        for (int size = 0; size < 4; size++) {
            byte[] packet = ReferencePackets.udp("10.1.0.5", 1, "10.2.0.9", 2).payload(new byte[size]).build();
            run(program, packet);
            ReferenceEsp.Opened opened = ReferenceEsp.open(ReferencePackets.ipv4(packet()), KEY_OUT);
            assertThat(opened.paddingValid()).isTrue();
            assertThat((opened.inner().length + opened.padLength() + 2) % 4).isZero();
            assertThat(opened.padLength()).isLessThan(4);
            assertThat(opened.nextHeader()).isEqualTo(4);
        }
    }

    // ---------------------------------------------------------------- ESP in UDP (RFC 3948), rekeying, limits

    @Test
    void anSaWithUdpEncapsulationSendsEspInUdpWithAZeroChecksum() throws Exception {
        sas.install(SecurityAssociation.outbound(2, SPI_OUT + 2, KEY_OUT, LOCAL, PEER).withUdpEncapsulation(4500,
                4501));
        int program = program(Action.ESP_ENCRYPT, 2, Action.SET_NEXT_HOP, 0);

        run(program, inner);

        byte[] outer = ReferencePackets.ipv4(packet());
        ReferenceEsp.Opened opened = ReferenceEsp.open(outer, KEY_OUT);
        assertThat(opened.outerProtocol()).isEqualTo(17);
        assertThat(opened.udpSrcPort()).isEqualTo(4500);
        assertThat(opened.udpDstPort()).isEqualTo(4501);
        assertThat(opened.udpChecksum()).isZero();
        assertThat(ReferencePackets.u16(outer, 24)).as("UDP length").isEqualTo(outer.length - 20);
        assertThat(opened.outerChecksumValid()).isTrue();
        assertThat(opened.inner()).isEqualTo(ReferencePackets.ipv4(inner));
        assertThat(parser.reparse(parser.packetLength())).isEqualTo(PacketParser.PARSED);
    }

    @Test
    void espInUdpIsDecryptedAfterTheUdpHeaderAndPlainEspIsNotTakenForIt() throws Exception {
        int spi = 0x3000_0003;
        sas.install(SecurityAssociation.inbound(3, spi, KEY_IN).withUdpEncapsulation(4500, 4500));
        int program = program(Action.ESP_DECRYPT, 3, Action.SET_NEXT_HOP, 7);
        byte[] inUdp = ReferencePackets.vxlan(300, ReferenceEsp.seal(ReferencePackets.ipv4(inner),
                ReferenceEsp.Seal.of(spi, 1).inUdp(4500, 4500), KEY_IN, PEER, LOCAL));
        byte[] plain = ReferencePackets.vxlan(300, ReferenceEsp.seal(ReferencePackets.ipv4(inner),
                ReferenceEsp.Seal.of(spi, 2), KEY_IN, PEER, LOCAL));

        assertThat(run(program, inUdp)).isEqualTo(7);
        assertThat(ReferencePackets.ipv4(packet())).isEqualTo(ReferencePackets.ipv4(inner));
        assertThat(run(program, plain)).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.WRONG_ENCAPSULATION);
        assertThat(sas.packets(3)).isEqualTo(1);
        assertThat(sas.otherDrops(3)).isEqualTo(1);
    }

    @Test
    void ikeBehindTheNonEspMarkerIsForTheSlowpathAndANatKeepaliveIsDropped() {
        sas.install(SecurityAssociation.inbound(3, 0x3000_0003, KEY_IN).withUdpEncapsulation(4500, 4500));
        int program = program(Action.ESP_DECRYPT, 3, Action.SET_NEXT_HOP, 7);
        byte[] ike = ReferencePackets.udp("198.51.100.1", 4500, "192.0.2.1", 4500).vni(300)
                .payload(new byte[]{0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88}).build();
        byte[] keepalive = ReferencePackets.udp("198.51.100.1", 4500, "192.0.2.1", 4500).vni(300)
                .payload(new byte[]{(byte) 0xFF}).build();

        assertThat(run(program, ike)).isEqualTo(ActionExecutor.NON_ESP);
        assertThat(packet()).as("punted as it came").isEqualTo(ike);
        assertThat(run(program, keepalive)).isEqualTo(ActionExecutor.NAT_KEEPALIVE);
    }

    @Test
    void duringARekeyOneRuleDecryptsTheOldAndTheNewSaByTheirSpi() throws Exception {
        // Given the old inbound SA in slot 1 and the new one in slot 2, and a rule installed for the old one
        int newSpi = 0x2000_0009;
        byte[] newKey = keyMaterial(36, 9);
        sas.install(SecurityAssociation.inbound(2, newSpi, newKey));
        int program = program(Action.ESP_DECRYPT, 1, Action.SET_NEXT_HOP, 0);

        // When packets of each arrive on it
        assertThat(run(program, sealed(1))).isZero();
        assertThat(run(program, ReferencePackets.vxlan(300, ReferenceEsp.seal(ReferencePackets.ipv4(inner), newSpi,
                1, 1, newKey, PEER, LOCAL)))).isZero();
        assertThat(run(program, ReferencePackets.vxlan(300, ReferenceEsp.seal(ReferencePackets.ipv4(inner), newSpi,
                2, 2, newKey, PEER, LOCAL)))).isZero();

        // Then each SA counted its own, with its own window
        assertThat(sas.packets(1)).isEqualTo(1);
        assertThat(sas.packets(2)).isEqualTo(2);
        assertThat(sas.bytes(2)).isEqualTo(2L * ReferencePackets.ipv4(inner).length);
        assertThat(sas.sequence(2)).isEqualTo(2);

        // And once the old one is removed its packets are refused
        sas.remove(1);
        assertThat(run(program, sealed(2))).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.NO_SUCH_SA);
    }

    @Test
    void anSaDropsWhatWouldTakeItBeyondItsByteLimit() {
        int innerLength = ReferencePackets.ipv4(inner).length;
        sas.install(SecurityAssociation.outbound(2, SPI_OUT + 2, KEY_OUT, LOCAL, PEER)
                .withByteLimit(2L * innerLength + 1));
        int program = program(Action.ESP_ENCRYPT, 2, Action.SET_NEXT_HOP, 0);

        assertThat(run(program, inner)).isZero();
        assertThat(run(program, inner)).isZero();
        assertThat(run(program, inner)).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.BYTE_LIMIT);

        assertThat(sas.packets(2)).isEqualTo(2);
        assertThat(sas.bytes(2)).isEqualTo(2L * innerLength);
        assertThat(sas.otherDrops(2)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- traffic selectors (RFC 4301 §5.2 step 4)

    @Test
    void aDecryptedPacketWithinTheSasSelectorsGoesThroughAndOneOutsideIsDroppedAndCounted() throws Exception {
        // Given an inbound SA that lets in 10.1.0.0/16 and 192.168.7.1-192.168.7.9 to 10.2.0.0/24
        sas.install(SecurityAssociation.inbound(1, SPI_IN, KEY_IN).withSelectors(
                List.of(AddressRange.prefix(ReferencePackets.parse("10.1.0.0"), 16),
                        new AddressRange(ReferencePackets.parse("192.168.7.1"), ReferencePackets.parse("192.168.7.9"))),
                List.of(AddressRange.prefix(ReferencePackets.parse("10.2.0.0"), 24))));
        int program = program(Action.ESP_DECRYPT, 1, Action.SET_NEXT_HOP, 0);

        // When the peer, with the right keys, sends packets from within and from outside the selectors
        int within = run(program, sealed(inner, 1));
        int fromSecondRange = run(program, sealed(ReferencePackets.udp("192.168.7.9", 1, "10.2.0.255", 2).build(), 2));
        int forgedSource = run(program, sealed(ReferencePackets.udp("10.9.0.5", 40001, "10.2.0.9", 53).build(), 3));
        EspProcessor.Error forgedSourceError = executor.lastEspError();
        int forgedDestination = run(program, sealed(ReferencePackets.udp("10.1.0.5", 1, "10.2.1.0", 2).build(), 4));
        EspProcessor.Error forgedDestinationError = executor.lastEspError();
        int justAbove = run(program, sealed(ReferencePackets.udp("192.168.7.10", 1, "10.2.0.1", 2).build(), 5));

        // Then those within go on, the others are dropped as selector mismatches, counted as the SA's other drops
        assertThat(within).isZero();
        assertThat(fromSecondRange).isZero();
        assertThat(forgedSource).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(forgedSourceError).isEqualTo(EspProcessor.Error.SELECTOR_MISMATCH);
        assertThat(forgedDestination).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(forgedDestinationError).isEqualTo(EspProcessor.Error.SELECTOR_MISMATCH);
        assertThat(justAbove).isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(sas.otherDrops(1)).isEqualTo(3);
        assertThat(sas.packets(1)).isEqualTo(2);
        assertThat(sas.authFailures(1)).isZero();

        // And a dropped packet was authentic: its sequence number is used (a replay of it is a replay)
        assertThat(run(program, sealed(ReferencePackets.udp("10.9.0.5", 40001, "10.2.0.9", 53).build(), 3)))
                .isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.REPLAYED);
    }

    @Test
    void anSaWithoutSelectorsOrWithOnlySourceRangesLetsInTheRest() throws Exception {
        // Given the SA without selectors (as installed by the constructor), any inner packet goes through
        int program = program(Action.ESP_DECRYPT, 1, Action.SET_NEXT_HOP, 0);
        assertThat(run(program, sealed(ReferencePackets.udp("203.0.113.7", 1, "8.8.8.8", 2).build(), 1))).isZero();
        assertThat(run(program, sealed(ReferencePackets.udp("0.0.0.0", 1, "255.255.255.255", 2).build(), 2)))
                .isZero();

        // When it is replaced by one with a source range only: one address, the highest (compared unsigned)
        sas.install(SecurityAssociation.inbound(1, SPI_IN, KEY_IN)
                .withSelectors(List.of(new AddressRange(ReferencePackets.parse("255.255.255.255"),
                        ReferencePackets.parse("255.255.255.255"))), List.of()));

        // Then any destination is let in from that source, nothing from another
        assertThat(run(program, sealed(ReferencePackets.udp("255.255.255.255", 1, "8.8.8.8", 2).build(), 1)))
                .isZero();
        assertThat(run(program, sealed(ReferencePackets.udp("127.255.255.255", 1, "8.8.8.8", 2).build(), 2)))
                .isEqualTo(ActionExecutor.ESP_FAILED);
        assertThat(executor.lastEspError()).isEqualTo(EspProcessor.Error.SELECTOR_MISMATCH);
        assertThat(sas.otherDrops(1)).isEqualTo(1);

        // And once removed and installed again without selectors, the slot lets everything in again
        sas.remove(1);
        sas.installInbound(1, SPI_IN, KEY_IN);
        assertThat(run(program, sealed(ReferencePackets.udp("127.255.255.255", 1, "8.8.8.8", 2).build(), 1)))
                .isZero();
    }

    @Test
    void theSameSaInstalledAgainGoesOnAndAnotherInTheSlotStartsAfresh() {
        int program = program(Action.ESP_ENCRYPT, 0, Action.SET_NEXT_HOP, 0);
        run(program, inner);
        run(program, inner);

        sas.installOutbound(0, SPI_OUT, KEY_OUT, LOCAL, PEER);
        assertThat(sas.sequence(0)).as("the slowpath sending its SAs again").isEqualTo(2);
        assertThat(sas.packets(0)).isEqualTo(2);

        sas.installOutbound(0, SPI_OUT + 1, KEY_OUT, LOCAL, PEER);
        assertThat(sas.sequence(0)).as("an outbound rekey into the same slot").isZero();
        assertThat(sas.packets(0)).isZero();
        assertThat(run(program, inner)).isZero();
        assertThat(sas.spi(0)).isEqualTo(SPI_OUT + 1);
    }

    @Test
    void twoWorkersTablesSharingTheCountersNeverSendOneSequenceNumberTwice() throws Exception {
        // Given a second worker's table sharing this one's outbound counters, the same SA installed in both
        OutboundSequences shared = new OutboundSequences(4);
        SecurityAssociationTable first = new SecurityAssociationTable(4, crypto(), shared);
        SecurityAssociationTable second = new SecurityAssociationTable(4, crypto(), shared);
        SecurityAssociation sa = SecurityAssociation.outbound(0, SPI_OUT, KEY_OUT, LOCAL, PEER);
        first.install(sa);
        ActionProgramTable firstPrograms = new ActionProgramTable(2);
        ActionExecutor firstWorker = new ActionExecutor(firstPrograms, first);
        int program = firstPrograms.allocate();
        firstPrograms.append(program, Action.ESP_ENCRYPT, 0);
        firstPrograms.append(program, Action.SET_NEXT_HOP, 0);
        run(firstWorker, program);
        run(firstWorker, program);

        // When the second worker's INSTALL_SA of the same SA arrives later and it encrypts
        second.install(sa);
        ActionProgramTable secondPrograms = new ActionProgramTable(2);
        ActionExecutor secondWorker = new ActionExecutor(secondPrograms, second);
        int other = secondPrograms.allocate();
        secondPrograms.append(other, Action.ESP_ENCRYPT, 0);
        secondPrograms.append(other, Action.SET_NEXT_HOP, 0);
        run(secondWorker, other);

        // Then it goes on from 3
        assertThat(ReferenceEsp.open(ReferencePackets.ipv4(packet()), KEY_OUT).sequence()).isEqualTo(3);

        // And when the first worker's rekey into the slot arrives before the second's, the first starts afresh
        // under the new key while the second goes on under the old one with the old counter: 4, not 1 again
        first.install(SecurityAssociation.outbound(0, SPI_OUT + 1, KEY_OUT, LOCAL, PEER));
        assertThat(first.sequence(0)).isZero();
        run(secondWorker, other);
        ReferenceEsp.Opened stale = ReferenceEsp.open(ReferencePackets.ipv4(packet()), KEY_OUT);
        assertThat(stale.spi()).isEqualTo(SPI_OUT);
        assertThat(stale.sequence()).isEqualTo(4);
    }

    private void run(ActionExecutor worker, int program) {
        buffer.clear();
        buffer.put(0, inner);
        assertThat(parser.parse(buffer, 0, inner.length)).isEqualTo(PacketParser.PARSED);
        assertThat(worker.execute(program, parser)).isZero();
    }

    private byte[] esnSealed(int spi, long sequence) throws Exception {
        return ReferencePackets.vxlan(300, ReferenceEsp.seal(ReferencePackets.ipv4(inner),
                ReferenceEsp.Seal.of(spi, sequence).withEsn(), KEY_IN, PEER, LOCAL));
    }

    private void roundTrips(int encrypt, ActionExecutor peer, int decrypt, int count) {
        for (int i = 0; i < count; i++) {
            buffer.clear();
            buffer.put(0, inner);
            parser.parse(buffer, 0, inner.length);
            executor.execute(encrypt, parser);
            parser.parse(buffer, 0, parser.packetLength());
            if (peer.execute(decrypt, parser) != 0) {
                throw new AssertionError("round trip " + i + " failed");
            }
        }
    }

    /** A VXLAN packet whose inner IPv4 packet {@code vxlanPacket}'s is sealed by the reference with SA 1's key. */
    static byte[] sealed(byte[] vxlanPacket, long sequence) throws Exception {
        return ReferencePackets.vxlan(300,
                ReferenceEsp.seal(ReferencePackets.ipv4(vxlanPacket), SPI_IN, sequence, sequence, KEY_IN, PEER, LOCAL));
    }

    byte[] sealed(long sequence) throws Exception {
        return ReferencePackets.vxlan(300,
                ReferenceEsp.seal(ReferencePackets.ipv4(inner), SPI_IN, sequence, sequence, KEY_IN, PEER, LOCAL));
    }

    int program(int opcode, long operand, int opcode2, long operand2) {
        int program = programs.allocate();
        programs.append(program, opcode, operand);
        programs.append(program, opcode2, operand2);
        return program;
    }

    /** Parses {@code packet} from a roomy buffer and runs the program; the result stays in {@link #buffer}. */
    int run(int program, byte[] packet) {
        buffer.clear();
        buffer.put(0, packet);
        assertThat(parser.parse(buffer, 0, packet.length)).isEqualTo(PacketParser.PARSED);
        return executor.execute(program, parser);
    }

    byte[] packet() {
        byte[] out = new byte[parser.packetLength()];
        buffer.get(0, out);
        return out;
    }

    static byte[] keyMaterial(int length, int seed) {
        byte[] key = new byte[length];
        for (int i = 0; i < length; i++) {
            key[i] = (byte) (seed * 31 + i * 7);
        }
        return key;
    }
}
