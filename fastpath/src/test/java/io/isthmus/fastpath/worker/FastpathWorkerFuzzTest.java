package io.isthmus.fastpath.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;

import io.isthmus.control.Action;
import io.isthmus.control.FastpathStats;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Rule;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.InstallSaFlyweight;
import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.io.RingPacketIo;
import io.isthmus.fastpath.packet.PacketParser;
import io.isthmus.fastpath.testing.PacketArbitraries;
import io.isthmus.fastpath.testing.PacketArbitraries.Built;
import io.isthmus.fastpath.testing.ReferencePackets;

/**
 * The worker's data path under hostile input, in process: batches that mix valid packets (some with a rule, which run
 * the forwarding engine's program), truncated ones, broken ones, valid ones with a header bit flipped, and random
 * bytes. No exception escapes {@link FastpathWorker#doWork()}; the truncated and broken packets are counted as such,
 * exactly; and every packet received is forwarded, punted or counted as a drop once.
 */
class FastpathWorkerFuzzTest {

    private static final String SEED = "20261203";
    private static final InetSocketAddress SLOWPATH = new InetSocketAddress("127.0.0.1", 40300);

    private final RingPacketIo data = new RingPacketIo(FastpathWorker.DATA_BATCH, 4096, new InetSocketAddress(
            "127.0.0.1", 40100));
    private final RingPacketIo control = new RingPacketIo(FastpathWorker.DATA_BATCH * 2, 65_536,
            new InetSocketAddress("127.0.0.1", 40200));
    private final WorkerCounters counters = new WorkerCounters();
    private final ForwardingEngine engine = new ForwardingEngine(256, 8);
    private final FastpathWorker worker = new FastpathWorker(new FastpathWorker.Settings(1, SLOWPATH,
            Long.MAX_VALUE / 4), data, control, engine, new PuntLimiter(1_000_000_000, 1_000_000), counters,
            () -> 1_000_000_000L);
    private final ByteBuffer message = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);

    @AfterProperty
    void close() {
        engine.close();
    }

    @Property(tries = 300, seed = SEED)
    void truncatedAndBrokenPacketsAreCountedExactlyAndTheRestForwardedOrPunted(
            @ForAll("knownCases") List<Case> cases) {
        // Given rules for some of the valid packets
        long[] before = given(cases);

        // When the batch arrives
        worker.doWork();

        // Then the truncated and the broken ones are counted as that, and as errors, and nothing else is
        long truncated = cases.stream().filter(c -> c.kind() == Kind.TRUNCATED).count();
        long malformed = cases.stream().filter(c -> c.kind() == Kind.MALFORMED).count();
        assertThat(delta(before, FastpathStats.TRUNCATED_PACKETS_INDEX)).isEqualTo(truncated);
        assertThat(delta(before, FastpathStats.MALFORMED_PACKETS_INDEX)).isEqualTo(malformed);
        assertThat(delta(before, FastpathStats.ERRORS_INDEX)).isEqualTo(truncated + malformed);
        // And each valid packet with a rule for its key hit it and was forwarded, and the others were punted
        Set<FlowKey> ruled = cases.stream().filter(Case::ruled).map(c -> c.packet().key()).collect(Collectors
                .toSet());
        long hits = cases.stream().filter(c -> c.kind() == Kind.VALID && c.packet().result() == PacketParser.PARSED
                && ruled.contains(c.packet().key())).count();
        assertThat(delta(before, FastpathStats.HITS_INDEX)).isEqualTo(hits);
        assertThat(FastpathWorkerTest.drain(data)).hasSize((int) hits);
        assertThat(delta(before, FastpathStats.PUNTS_INDEX) + delta(before, FastpathStats.PUNT_DROPS_INDEX))
                .isEqualTo(cases.size() - truncated - malformed - hits);
        assertEveryPacketCountedOnce(before, cases.size());
    }

    @Property(tries = 300, seed = SEED)
    void anyPacketIsForwardedPuntedOrDroppedOnceAndNothingEscapes(@ForAll("anyCases") List<Case> cases) {
        long[] before = given(cases);

        worker.doWork();

        // Then the known-bad ones are among the drops counted (flipped and random ones may add to them)
        assertThat(delta(before, FastpathStats.TRUNCATED_PACKETS_INDEX)).isGreaterThanOrEqualTo(cases.stream()
                .filter(c -> c.kind() == Kind.TRUNCATED).count());
        assertThat(delta(before, FastpathStats.MALFORMED_PACKETS_INDEX)).isGreaterThanOrEqualTo(cases.stream()
                .filter(c -> c.kind() == Kind.MALFORMED).count());
        assertEveryPacketCountedOnce(before, cases.size());
        FastpathWorkerTest.drain(data);
    }

    @Property(tries = 300, seed = SEED)
    void forgedEspPacketsFailTheirSaAndAreCountedAsEspErrorsAndDrops(@ForAll("forgedEsp") List<byte[]> packets) {
        // Given an inbound SA and a rule that decrypts with it the ESP packets of its SPI
        engine.clear();
        control.offer(message, 0, InstallSaFlyweight.encode(message, 0, 1, 1, SecurityAssociation.inbound(1, ESP_SPI,
                new byte[28])));
        control.offer(message, 0, InstallFlyweight.encode(message, 0, 1, 2, List.of(Rule.of(ESP_FLOW,
                new Action.EspDecrypt(1), new Action.SetNextHop(ReferencePackets.parse("127.0.0.1"), 40001)))));
        worker.doWork();
        FastpathWorkerTest.drain(control);
        assertThat(engine.flowCount()).isEqualTo(1);
        long[] before = new long[FastpathStats.COUNTER_COUNT];
        for (int i = 0; i < before.length; i++) {
            before[i] = counters.get(i);
        }

        // When forged packets of that flow arrive (random sequence, IV, ciphertext and ICV, of any length)
        for (byte[] packet : packets) {
            assertThat(data.offer(packet)).isTrue();
        }
        worker.doWork();

        // Then each hits the rule, fails its SA (too short, replayed or not authentic), and is dropped and counted
        assertThat(delta(before, FastpathStats.HITS_INDEX)).isEqualTo(packets.size());
        assertThat(delta(before, FastpathStats.ESP_ERRORS_INDEX)).isEqualTo(packets.size());
        assertThat(delta(before, FastpathStats.DROPS_INDEX)).isEqualTo(packets.size());
        assertThat(FastpathWorkerTest.drain(data)).isEmpty();
        assertEveryPacketCountedOnce(before, packets.size());
    }

    /** Installs the rules the cases ask for, offers their packets; returns the counters before. */
    private long[] given(List<Case> cases) {
        engine.clear();
        List<Rule> rules = new ArrayList<>();
        for (Case c : cases) {
            if (c.ruled()) {
                rules.add(Rule.of(c.packet().key(), new Action.RewriteSource(ReferencePackets.parse("203.0.113.10"),
                        20000), new Action.Count(),
                        new Action.SetNextHop(ReferencePackets.parse("127.0.0.1"),
                                40001)));
            }
        }
        if (!rules.isEmpty()) {
            control.offer(message, 0, InstallFlyweight.encode(message, 0, 1, 1, rules));
            worker.doWork();
        }
        FastpathWorkerTest.drain(control);
        FastpathWorkerTest.drain(data);
        assertThat(engine.flowCount()).as("rules installed").isEqualTo((int) rules.stream().map(
                Rule::key).distinct().count());
        for (Case c : cases) {
            assertThat(data.offer(c.bytes())).isTrue();
        }
        long[] before = new long[FastpathStats.COUNTER_COUNT];
        for (int i = 0; i < before.length; i++) {
            before[i] = counters.get(i);
        }
        return before;
    }

    /** Received = malformed + truncated + hits (each forwarded or dropped) + punted + punts shed. */
    private void assertEveryPacketCountedOnce(long[] before, int packets) {
        assertThat(delta(before, FastpathStats.PACKETS_INDEX)).isEqualTo(packets);
        assertThat(delta(before, FastpathStats.MALFORMED_PACKETS_INDEX) + delta(before,
                FastpathStats.TRUNCATED_PACKETS_INDEX) + delta(before, FastpathStats.HITS_INDEX)
                + delta(before,
                        FastpathStats.PUNTS_INDEX)
                + delta(before, FastpathStats.PUNT_DROPS_INDEX)).isEqualTo(packets);
        assertThat(delta(before, FastpathStats.BAD_CONTROL_MESSAGES_INDEX)).isZero();
    }

    private long delta(long[] before, int index) {
        return counters.get(index) - before[index];
    }

    // ---------------------------------------------------------------- the cases

    enum Kind {
        VALID, TRUNCATED, MALFORMED, FLIPPED, RANDOM
    }

    /** A packet to offer, why, and whether a rule for its key is installed first. */
    record Case(Kind kind, Built packet, byte[] bytes, boolean ruled) {
        @Override
        public String toString() {
            return kind + " " + packet + (ruled ? " ruled" : "") + " as " + bytes.length + " bytes";
        }
    }

    private static final int ESP_SPI = 0x0102_0304;
    private static final int ESP_VNI = 300;
    private static final FlowKey ESP_FLOW = new FlowKey(ESP_VNI, PacketArbitraries.PROTOCOL_ESP, ReferencePackets
            .parse("192.0.2.1"), ReferencePackets.parse("192.0.2.2"), ESP_SPI >>> 16, ESP_SPI & 0xFFFF);

    /** ESP packets of {@link #ESP_FLOW}: its SPI, then random bytes (sequence, IV, ciphertext, ICV) of any length. */
    @Provide
    Arbitrary<List<byte[]>> forgedEsp() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(8).ofMaxSize(300).map(payload -> {
            ReferencePackets.put32(payload, 0, ESP_SPI);
            return ReferencePackets.udp("192.0.2.1", 0, "192.0.2.2", 0).protocol(PacketArbitraries.PROTOCOL_ESP)
                    .vni(ESP_VNI).payload(payload).build();
        }).list().ofMaxSize(FastpathWorker.DATA_BATCH);
    }

    @Provide
    Arbitrary<List<Case>> knownCases() {
        return Arbitraries.frequencyOf(Tuple.of(4, valid()), Tuple.of(2, truncated()), Tuple.of(2, malformed()))
                .list().ofMaxSize(FastpathWorker.DATA_BATCH);
    }

    @Provide
    Arbitrary<List<Case>> anyCases() {
        return Arbitraries.frequencyOf(Tuple.of(3, valid()), Tuple.of(1, truncated()), Tuple.of(1, malformed()),
                Tuple.of(3, flipped()), Tuple.of(2, random())).list().ofMaxSize(FastpathWorker.DATA_BATCH);
    }

    private static Arbitrary<Case> valid() {
        return Combinators.combine(PacketArbitraries.packets(), Arbitraries.of(true, false)).as((packet,
                ruled) -> new Case(Kind.VALID, packet, packet.bytes(), ruled && packet
                        .result() == PacketParser.PARSED));
    }

    private static Arbitrary<Case> truncated() {
        return PacketArbitraries.packets().flatMap(packet -> Arbitraries.integers().between(0, packet.bytes().length
                - 1).map(
                        length -> new Case(Kind.TRUNCATED, packet, PacketArbitraries.truncated(packet.bytes(),
                                length), false)));
    }

    private static Arbitrary<Case> malformed() {
        return Combinators.combine(PacketArbitraries.ipv4Packets(), Arbitraries.of(PacketArbitraries.Breakage.class),
                Arbitraries.integers()).as(
                        (packet, breakage, salt) -> new Case(Kind.MALFORMED, packet, breakage
                                .apply(packet.bytes(), salt), false));
    }

    /** A valid packet, often with a rule, with one bit of its VXLAN or IPv4 header flipped (checksum made right). */
    private static Arbitrary<Case> flipped() {
        return Combinators.combine(PacketArbitraries.ipv4Packets(), Arbitraries.integers().between(0,
                PacketArbitraries.IP + 20 - 1), Arbitraries.integers().between(0, 7), Arbitraries.of(true, false))
                .as((packet, at, bit, ruled) -> {
                    byte[] bytes = packet.bytes().clone();
                    bytes[at] ^= (byte) (1 << bit);
                    PacketArbitraries.fixIpv4Checksum(bytes);
                    return new Case(Kind.FLIPPED, packet, bytes, ruled);
                });
    }

    private static Arbitrary<Case> random() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(2000).map(bytes -> new Case(Kind.RANDOM, null, bytes,
                false));
    }
}
