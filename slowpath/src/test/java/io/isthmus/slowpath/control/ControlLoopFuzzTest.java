package io.isthmus.slowpath.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.testing.ControlMessageArbitraries;
import io.isthmus.control.testing.ControlMessageArbitraries.Encoded;
import io.isthmus.slowpath.testing.RecordingPolicy;

/**
 * The slowpath's receive path under hostile input, in process: the control loop ({@link ControlLoop}) and, for what
 * it queues (PUNT, FLOW_EXPIRED), the policy thread's decoding ({@link PolicyDriver}). Every message a fastpath sends
 * (made by the protocol's encoders) whole, cut at every length, with a bit of its header or count/length fields
 * flipped, and random datagrams, from a registered fastpath. A whole message counts no error; every cut one is dropped
 * and counted in {@code badControlMessages} exactly once; and no exception is thrown and swallowed: every error
 * counted is a bad message.
 */
class ControlLoopFuzzTest {

    private static final String SEED = "20261203";
    private static final InetSocketAddress FASTPATH = new InetSocketAddress("127.0.0.1", 40200);

    private final SlowpathCounters counters = new SlowpathCounters();
    private final FastpathRegistry registry = new FastpathRegistry(Clock.fixed(Instant.parse("2026-12-03T08:00:00Z"),
            ZoneOffset.UTC), Duration.ofHours(1));
    private final ControlQueue queue = new ControlQueue(1 << 20);
    private final ControlSender sent = (buffer, offset, length, to) -> true;
    private final PolicyDriver policyDriver = new PolicyDriver(new RecordingPolicy(), registry, sent, counters);
    private final ControlChannel channel = ControlChannel.bind(new InetSocketAddress("127.0.0.1", 0));
    private final ControlLoop loop = new ControlLoop(channel, registry, queue, new PolicyWorker(queue, policyDriver,
            counters), new StatsCollector(registry, new FastpathMessenger(sent)), counters,
            policyDriver.routeDistributor());
    private final ByteBuffer hello = ByteBuffer.allocate(HelloFlyweight.LENGTH);

    @AfterProperty
    void close() {
        channel.close();
    }

    @Property(tries = 1000, seed = SEED)
    void aWholeMessageIsTakenAndCountsNoError(@ForAll("toSlowpath") Encoded message) {
        long[] before = registeredThenCounters();

        receive(List.of(message.bytes()));

        assertThat(counters.badControlMessages.get() - before[0]).as(message.name()).isZero();
        assertThat(counters.errors.get() - before[1]).as(message.name()).isZero();
    }

    @Property(tries = 200, seed = SEED)
    void everyCutOfAMessageIsDroppedAndCountedBad(@ForAll("toSlowpath") Encoded message) {
        long[] before = registeredThenCounters();

        byte[] bytes = message.bytes();
        for (int length = 0; length < bytes.length; length++) {
            receive(List.of(Arrays.copyOf(bytes, length)));
        }

        assertThat(counters.badControlMessages.get() - before[0]).as(message.name()).isEqualTo(bytes.length);
        assertThat(counters.errors.get() - before[1]).as(message.name()).isEqualTo(bytes.length);
    }

    @Property(tries = 1000, seed = SEED)
    void hostileDatagramsAreDroppedOrTakenAndNoExceptionIsSwallowed(@ForAll("hostile") List<byte[]> datagrams) {
        long[] before = registeredThenCounters();

        receive(datagrams);

        // Then every error is a bad message (an exception caught in the loop or the policy thread would be an error
        // alone), and those without this protocol's header are among them
        long bad = counters.badControlMessages.get() - before[0];
        long foreign = datagrams.stream().filter(d -> !ControlProtocol.isValidHeader(ByteBuffer.wrap(d), 0, d.length))
                .count();
        assertThat(counters.errors.get() - before[1]).isEqualTo(bad);
        assertThat(bad).isGreaterThanOrEqualTo(foreign);
    }

    /** Registers the fastpath (its FLOW_EXPIRED is read only then); returns bad messages and errors counted so far. */
    private long[] registeredThenCounters() {
        HelloFlyweight.encode(hello, 0, ControlMessageArbitraries.FASTPATH_ID, 1, 0x7F00_0001, 40100);
        receive(List.of(hello.array()));
        return new long[]{counters.badControlMessages.get(), counters.errors.get()};
    }

    /** Each datagram into the control loop, then what it queued through the policy thread's decoding. */
    private void receive(List<byte[]> datagrams) {
        for (byte[] datagram : datagrams) {
            loop.onDatagram(ByteBuffer.wrap(datagram), FASTPATH);
            while (!queue.isEmpty()) {
                policyDriver.drain(queue, PolicyDriver.BATCH);
            }
        }
    }

    @Provide
    Arbitrary<Encoded> toSlowpath() {
        return ControlMessageArbitraries.toSlowpath();
    }

    @Provide
    Arbitrary<List<byte[]>> hostile() {
        return ControlMessageArbitraries.hostileDatagrams(ControlMessageArbitraries.toSlowpath());
    }
}
