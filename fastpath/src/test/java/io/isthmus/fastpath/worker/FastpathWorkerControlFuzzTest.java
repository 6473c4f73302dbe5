package io.isthmus.fastpath.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.testing.ControlMessageArbitraries;
import io.isthmus.control.testing.ControlMessageArbitraries.Encoded;
import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.io.RingPacketIo;

/**
 * The worker's control receive path under hostile input, in process: every message a slowpath sends (made by the
 * protocol's encoders) whole, cut at every length, with a bit of its header or count/length fields flipped, and random
 * datagrams. No exception escapes {@link FastpathWorker#doWork()}; every cut message is dropped and counted as a bad
 * control message, exactly; a whole one is applied and not counted.
 */
class FastpathWorkerControlFuzzTest {

    private static final String SEED = "20261203";
    private static final int RING = 64;

    private final RingPacketIo data = new RingPacketIo(RING, 4096, new InetSocketAddress("127.0.0.1", 40100));
    private final RingPacketIo control = new RingPacketIo(RING, 65_536, new InetSocketAddress("127.0.0.1", 40200));
    private final WorkerCounters counters = new WorkerCounters();
    private final ForwardingEngine engine = new ForwardingEngine(256, 8);
    private final FastpathWorker worker = new FastpathWorker(new FastpathWorker.Settings(
            ControlMessageArbitraries.FASTPATH_ID, new InetSocketAddress("127.0.0.1", 40300), Long.MAX_VALUE / 4),
            data, control, engine, new PuntLimiter(1_000_000_000, 1_000_000), counters, () -> 1_000_000_000L);

    @AfterProperty
    void close() {
        engine.close();
    }

    @Property(tries = 1000, seed = SEED)
    void aWholeMessageIsAppliedAndNotCountedBad(@ForAll("toFastpath") Encoded message) {
        long[] before = snapshot();

        receive(List.of(message.bytes()));

        assertThat(delta(before, FastpathStats.BAD_CONTROL_MESSAGES_INDEX)).as(message.name()).isZero();
        assertThat(delta(before, FastpathStats.ERRORS_INDEX)).as(message.name()).isZero();
    }

    @Property(tries = 200, seed = SEED)
    void everyCutOfAMessageIsDroppedAndCountedBad(@ForAll("toFastpath") Encoded message) {
        long[] before = snapshot();

        byte[] bytes = message.bytes();
        for (int length = 0; length < bytes.length; length += RING) {
            byte[][] cuts = new byte[Math.min(RING, bytes.length - length)][];
            for (int i = 0; i < cuts.length; i++) {
                cuts[i] = Arrays.copyOf(bytes, length + i);
            }
            receive(List.of(cuts));
        }

        assertThat(delta(before, FastpathStats.BAD_CONTROL_MESSAGES_INDEX)).as(message.name()).isEqualTo(
                bytes.length);
        assertThat(delta(before, FastpathStats.ERRORS_INDEX)).as(message.name()).isEqualTo(bytes.length);
    }

    @Property(tries = 1000, seed = SEED)
    void hostileDatagramsAreDroppedOrAppliedAndNothingEscapes(@ForAll("hostile") List<byte[]> datagrams) {
        long[] before = snapshot();

        receive(datagrams);

        // Then at most each is counted bad, and those without this protocol's header for this fastpath surely are
        long foreign = datagrams.stream().filter(d -> !ControlProtocol.isValidHeader(ByteBuffer.wrap(d), 0, d.length)
                || ControlProtocol.fastpathId(ByteBuffer.wrap(d), 0) != ControlMessageArbitraries.FASTPATH_ID)
                .count();
        assertThat(delta(before, FastpathStats.BAD_CONTROL_MESSAGES_INDEX)).isBetween(foreign, (long) datagrams
                .size());
    }

    /** Offers the datagrams to the control port and works until the worker has taken them all. */
    private void receive(List<byte[]> datagrams) {
        for (int from = 0; from < datagrams.size(); from += RING) {
            for (byte[] datagram : datagrams.subList(from, Math.min(datagrams.size(), from + RING))) {
                assertThat(control.offer(datagram)).isTrue();
            }
            for (int i = 0; i < RING / FastpathWorker.CONTROL_BATCH + 1; i++) {
                worker.doWork();
                FastpathWorkerTest.drain(control);
                FastpathWorkerTest.drain(data);
            }
        }
    }

    private long[] snapshot() {
        long[] values = new long[FastpathStats.COUNTER_COUNT];
        for (int i = 0; i < values.length; i++) {
            values[i] = counters.get(i);
        }
        return values;
    }

    private long delta(long[] before, int index) {
        return counters.get(index) - before[index];
    }

    @Provide
    Arbitrary<Encoded> toFastpath() {
        return ControlMessageArbitraries.toFastpath();
    }

    @Provide
    Arbitrary<List<byte[]>> hostile() {
        return ControlMessageArbitraries.hostileDatagrams(ControlMessageArbitraries.toFastpath());
    }
}
