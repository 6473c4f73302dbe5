package io.isthmus.fastpath.worker;

import static io.isthmus.fastpath.worker.FastpathWorkerTest.drain;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FastpathStats;
import io.isthmus.control.FlowKey;
import io.isthmus.control.GroupCounters;
import io.isthmus.control.Rule;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.FlowDumpFlyweight;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.StatsRequestFlyweight;
import io.isthmus.control.message.StatsResponseFlyweight;
import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.io.RingPacketIo;
import io.isthmus.fastpath.testing.ReferencePackets;

/** COUNT into counter groups: a worker sums each group over its rules and reports the sums in STATS_RESPONSE. */
class FastpathWorkerCounterGroupsTest {

    private static final long SECOND = 1_000_000_000L;
    private static final InetSocketAddress SLOWPATH = new InetSocketAddress("127.0.0.1", 40300);
    private static final int NEXT_HOP = ReferencePackets.parse("127.0.0.1");

    private final RingPacketIo data = new RingPacketIo(64, 65_536, new InetSocketAddress("127.0.0.1", 40100));
    private final RingPacketIo control = new RingPacketIo(64, 65_536, new InetSocketAddress("127.0.0.1", 40200));
    private final ForwardingEngine engine = new ForwardingEngine(64, 8);
    private final ByteBuffer message = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);

    private final byte[] first = udp("10.0.0.5", 40001, 10);
    private final byte[] second = udp("10.0.0.6", 40002, 300);
    private final byte[] third = udp("10.0.0.7", 40003, 50);
    private final byte[] ungrouped = udp("10.0.0.8", 40004, 70);

    @Test
    void reportsEachGroupSummedOverTheRulesThatCountIntoIt() {
        // Given rules of two flows counting into group 1, one into group 2 and one into no group
        FastpathWorker worker = worker(FastpathWorker.HELLO_FLAGS);
        install(worker, rule(first, new Action.Count(1)), rule(second, new Action.Count(1)),
                rule(third, new Action.Count(2)), rule(ungrouped, new Action.Count()));

        // When packets of each flow go through the worker
        forward(worker, first, 3);
        forward(worker, second, 2);
        forward(worker, third, 1);
        forward(worker, ungrouped, 4);

        // Then its STATS_RESPONSE carries group 1's and group 2's packets and bytes (as received), and no other group
        ByteBuffer response = stats(worker);
        Map<Integer, GroupCounters> groups = StatsResponseFlyweight.groups(response, 0, response.capacity());
        assertThat(groups).containsExactly(
                Map.entry(1, new GroupCounters(5, 3L * first.length + 2L * second.length)),
                Map.entry(2, new GroupCounters(1, third.length)));
        // And the counters before the groups are read as before
        FastpathStats stats = StatsResponseFlyweight.decode(response, 0, response.capacity());
        assertThat(stats.hits()).isEqualTo(10);
        // And each rule keeps its own count, grouped or not
        assertThat(engine.rulePackets(key(first).high(), key(first).low())).isEqualTo(3);
        assertThat(engine.rulePackets(key(ungrouped).high(), key(ungrouped).low())).isEqualTo(4);
    }

    @Test
    void keepsCountingAGroupAfterItsRulesAreReplacedAndGivesTheGroupBackInAFlowDump() {
        // Given a rule counting into group 7 that forwarded two packets
        FastpathWorker worker = worker(FastpathWorker.HELLO_FLAGS);
        install(worker, rule(first, new Action.Count(7)));
        forward(worker, first, 2);

        // When the slowpath replaces the rule (same group) and a third packet goes through
        install(worker, rule(first, new Action.Count(7)));
        forward(worker, first, 1);

        // Then the group counts all three packets
        ByteBuffer response = stats(worker);
        assertThat(StatsResponseFlyweight.groups(response, 0, response.capacity()))
                .containsExactly(Map.entry(7, new GroupCounters(3, 3L * first.length)));
        // And a FLOW_DUMP gives the rule back with its group
        offer(worker, FlowDumpFlyweight.encodeRequest(message, 0, 1, 3));
        ByteBuffer dump = ByteBuffer.wrap(drain(control).get(0).bytes());
        assertThat(FlowDumpFlyweight.rules(dump, 0, dump.capacity())).containsExactly(rule(first,
                new Action.Count(7)));
    }

    @Test
    void aWorkerThatDoesNotAnnounceCounterGroupsAnswersWithTheCountersAlone() {
        // Given a worker whose HELLO does not have COUNT_GROUPS, with a rule counting into group 1
        FastpathWorker worker = worker(FastpathWorker.HELLO_FLAGS & ~HelloFlyweight.COUNT_GROUPS);
        install(worker, rule(first, new Action.Count(1)));
        forward(worker, first, 1);

        // When asked for stats, Then its answer ends after the counters
        ByteBuffer response = stats(worker);
        assertThat(response.capacity()).isEqualTo(StatsResponseFlyweight.COUNTERS_OFFSET
                + FastpathStats.COUNTER_COUNT * Long.BYTES);
        assertThat(StatsResponseFlyweight.groups(response, 0, response.capacity())).isEmpty();
    }

    @Test
    void refusesAnInstallWhoseGroupIsOutOfRange() {
        // Given an INSTALL whose COUNT_GROUP names group MAX_GROUPS (written by hand: Count refuses it)
        FastpathWorker worker = worker(FastpathWorker.HELLO_FLAGS);
        int length = InstallFlyweight.encode(message, 0, 1, 1, List.of(Rule.of(key(first), new Action.Count(1))));
        message.putShort(length - Short.BYTES, (short) Action.Count.MAX_GROUPS);

        // When it arrives, Then it is dropped unapplied and counted
        offer(worker, length);
        assertThat(engine.flowCount()).isZero();
        assertThat(worker.counters().get(FastpathStats.BAD_CONTROL_MESSAGES_INDEX)).isEqualTo(1);
    }

    private FastpathWorker worker(int helloFlags) {
        FastpathWorker worker = new FastpathWorker(new FastpathWorker.Settings(1, SLOWPATH, SECOND, helloFlags),
                data, control, engine, new PuntLimiter(1000, 2), new WorkerCounters(), () -> 5 * SECOND);
        worker.doWork();
        drain(control);
        return worker;
    }

    private void install(FastpathWorker worker, Rule... rules) {
        offer(worker, InstallFlyweight.encode(message, 0, 1, 1, List.of(rules)));
    }

    private void offer(FastpathWorker worker, int length) {
        control.offer(message, 0, length);
        worker.doWork();
    }

    private void forward(FastpathWorker worker, byte[] packet, int times) {
        for (int i = 0; i < times; i++) {
            data.offer(packet);
            worker.doWork();
        }
        assertThat(drain(data)).hasSize(times);
    }

    private ByteBuffer stats(FastpathWorker worker) {
        offer(worker, StatsRequestFlyweight.encode(message, 0, 1, 9));
        List<FastpathWorkerTest.Sent> sent = drain(control);
        assertThat(sent).hasSize(1);
        return ByteBuffer.wrap(sent.get(0).bytes());
    }

    private static Rule rule(byte[] packet, Action.Count count) {
        return Rule.of(key(packet), count, new Action.SetNextHop(NEXT_HOP, 40001));
    }

    private static byte[] udp(String source, int port, int payload) {
        return ReferencePackets.udp(source, port, "198.51.100.7", 53).payload(new byte[payload]).vni(100).build();
    }

    private static FlowKey key(byte[] packet) {
        ReferencePackets.Decoded decoded = ReferencePackets.decode(packet);
        return new FlowKey(100, FlowKey.UDP, ReferencePackets.parse(decoded.src()),
                ReferencePackets.parse(decoded.dst()), decoded.srcPort(), decoded.dstPort());
    }
}
