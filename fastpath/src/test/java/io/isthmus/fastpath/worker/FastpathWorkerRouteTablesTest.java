package io.isthmus.fastpath.worker;

import static io.isthmus.fastpath.worker.FastpathWorkerTest.drain;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.PuntReason;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.PuntFlyweight;
import io.isthmus.control.message.RemoveFlyweight;
import io.isthmus.control.message.RouteAckFlyweight;
import io.isthmus.control.message.RouteUpdateFlyweight;
import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.io.RingPacketIo;
import io.isthmus.fastpath.testing.ReferencePackets;

/**
 * A worker routes the packets of a VNI bound to a route table by longest prefix match (ROUTE_UPDATE), keeps the
 * version the slowpath's deltas and snapshots bring it to, and says where it stands (ROUTE_ACK).
 */
class FastpathWorkerRouteTablesTest {

    private static final long SECOND = 1_000_000_000L;
    private static final InetSocketAddress SLOWPATH = new InetSocketAddress("127.0.0.1", 40300);
    private static final int VPC_A = 100;
    private static final int VPC_B = 300;
    private static final int TABLE = 7;

    private final RingPacketIo data = new RingPacketIo(256, 65_536, new InetSocketAddress("127.0.0.1", 40100));
    private final RingPacketIo control = new RingPacketIo(64, 65_536, new InetSocketAddress("127.0.0.1", 40200));
    private final WorkerCounters counters = new WorkerCounters();
    private final ForwardingEngine engine = new ForwardingEngine(64, 8);
    private final FastpathWorker worker = new FastpathWorker(new FastpathWorker.Settings(1, SLOWPATH, SECOND), data,
            control, engine, new PuntLimiter(1000, 200), counters, () -> 5 * SECOND);
    private final ByteBuffer message = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);

    @Test
    void announcesRouteTablesInItsHello() {
        worker.doWork();

        ByteBuffer hello = ByteBuffer.wrap(drain(control).get(0).bytes());
        assertThat(HelloFlyweight.flags(hello, 0) & HelloFlyweight.ROUTE_TABLES).isNotZero();
    }

    @Test
    void routesAPacketOfABoundVniByTheLongestPrefixToTheRoutesVniAndNextHopWithItsTtlDecremented() {
        // Given VPC A's VNI bound to a table with a /16 to VPC B and a /24 inside it to another next hop
        delta(0, 1, at -> {
            at = RouteUpdateFlyweight.putBind(message, at, VPC_A, TABLE, false);
            at = group(at, 1, VPC_B, "127.0.0.21");
            at = group(at, 2, VPC_B, "127.0.0.22");
            at = RouteUpdateFlyweight.putRoute(message, at, TABLE, Ipv4Addresses.parse("10.1.0.0"), 16, 1, false);
            return new int[]{at, 4};
        });
        drain(control);
        delta(1, 2, at -> new int[]{
                RouteUpdateFlyweight.putRoute(message, at, TABLE, Ipv4Addresses.parse("10.1.2.0"), 24, 2, false), 1});

        // When packets from VPC A go to 10.1.9.9 and 10.1.2.3
        data.offer(ReferencePackets.udp("10.0.0.5", 5000, "10.1.9.9", 53).vni(VPC_A).ttl(64).build());
        data.offer(ReferencePackets.udp("10.0.0.5", 5000, "10.1.2.3", 53).vni(VPC_A).ttl(64).build());
        worker.doWork();

        // Then each leaves on VPC B's VNI to its route's next hop, TTL 63, checksums right, no rule installed
        List<FastpathWorkerTest.Sent> sent = drain(data);
        assertThat(sent).extracting(FastpathWorkerTest.Sent::destination).containsExactly(
                new InetSocketAddress("127.0.0.21", 4789), new InetSocketAddress("127.0.0.22", 4789));
        for (FastpathWorkerTest.Sent s : sent) {
            ReferencePackets.Decoded out = ReferencePackets.decode(s.bytes());
            assertThat(out.vni()).isEqualTo(VPC_B);
            assertThat(out.ttl()).isEqualTo(63);
            assertThat(out.ipChecksumValid()).isTrue();
        }
        assertThat(counters.get(FastpathStats.ROUTED_INDEX)).isEqualTo(2);
        assertThat(counters.get(FastpathStats.MISSES_INDEX)).isZero();
        assertThat(engine.flowCount()).isZero();
    }

    @Test
    void puntsAPacketNoRouteCoversAsNoRouteDropsABlackholedOneAndPuntsAnExpiringTtl() {
        delta(0, 1, at -> {
            at = RouteUpdateFlyweight.putBind(message, at, VPC_A, TABLE, false);
            at = group(at, 1, VPC_B, "127.0.0.21");
            at = RouteUpdateFlyweight.putRoute(message, at, TABLE, Ipv4Addresses.parse("10.1.0.0"), 16, 1, false);
            at = RouteUpdateFlyweight.putRoute(message, at, TABLE, Ipv4Addresses.parse("10.1.66.0"), 24,
                    RouteUpdateFlyweight.BLACKHOLE, false);
            return new int[]{at, 4};
        });
        drain(control);

        data.offer(ReferencePackets.udp("10.0.0.5", 5000, "192.168.1.1", 53).vni(VPC_A).build());
        data.offer(ReferencePackets.udp("10.0.0.5", 5000, "10.1.66.7", 53).vni(VPC_A).build());
        data.offer(ReferencePackets.udp("10.0.0.5", 5000, "10.1.9.9", 53).vni(VPC_A).ttl(1).build());
        // a VNI bound to no table is a miss as before
        data.offer(ReferencePackets.udp("10.0.0.5", 5000, "10.1.9.9", 53).vni(555).build());
        worker.doWork();

        assertThat(drain(data)).isEmpty();
        assertThat(punts()).containsExactly(PuntReason.NO_ROUTE, PuntReason.TTL_EXCEEDED, PuntReason.MISS);
        assertThat(counters.get(FastpathStats.NO_ROUTE_INDEX)).isEqualTo(1);
        assertThat(counters.get(FastpathStats.BLACKHOLED_INDEX)).isEqualTo(1);
        assertThat(counters.get(FastpathStats.TTL_EXCEEDED_INDEX)).isEqualTo(1);
    }

    @Test
    void spreadsFlowsOverAnEcmpGroupAndKeepsEachFlowOnOneNextHop() {
        delta(0, 1, at -> {
            at = RouteUpdateFlyweight.putBind(message, at, VPC_A, TABLE, false);
            at = RouteUpdateFlyweight.putGroup(message, at, 1, 2, new int[]{VPC_B, VPC_B},
                    new int[]{Ipv4Addresses.parse("127.0.0.21"), Ipv4Addresses.parse("127.0.0.22")},
                    new int[]{4789, 4789});
            at = RouteUpdateFlyweight.putRoute(message, at, TABLE, 0, 0, 1, false);
            return new int[]{at, 3};
        });
        Map<Integer, InetSocketAddress> firstHop = new HashMap<>();
        Map<InetSocketAddress, Integer> perHop = new HashMap<>();
        for (int round = 0; round < 2; round++) {
            for (int port = 1000; port < 1128; port++) {
                data.offer(ReferencePackets.udp("10.0.0.5", port, "10.1.9.9", 53).vni(VPC_A).build());
            }
            worker.doWork();
            worker.doWork();
            List<FastpathWorkerTest.Sent> sent = drain(data);
            assertThat(sent).hasSize(128);
            for (int i = 0; i < sent.size(); i++) {
                InetSocketAddress hop = sent.get(i).destination();
                int port = ReferencePackets.decode(sent.get(i).bytes()).srcPort();
                assertThat(firstHop.computeIfAbsent(port, p -> hop)).isEqualTo(hop);
                perHop.merge(hop, 1, Integer::sum);
            }
        }
        assertThat(perHop).hasSize(2).allSatisfy((hop, packets) -> assertThat(packets).isGreaterThan(64));
    }

    @Test
    void ignoresADeltaFromAnotherVersionAndAcksWhereItStands() {
        delta(0, 1, at -> new int[]{RouteUpdateFlyweight.putBind(message, at, VPC_A, TABLE, false), 1});
        assertThat(lastAck()).containsExactly(1, 0, 0);

        // a delta from 5 (the slowpath thinks it sent 1..5) changes nothing
        delta(5, 6, at -> {
            at = group(at, 1, VPC_B, "127.0.0.21");
            at = RouteUpdateFlyweight.putRoute(message, at, TABLE, 0, 0, 1, false);
            return new int[]{at, 2};
        });
        assertThat(lastAck()).containsExactly(1, 0, 0);
        assertThat(engine.routeTables().routes()).isZero();

        // the one from 1 applies
        delta(1, 2, at -> {
            at = group(at, 1, VPC_B, "127.0.0.21");
            at = RouteUpdateFlyweight.putRoute(message, at, TABLE, 0, 0, 1, false);
            return new int[]{at, 2};
        });
        assertThat(lastAck()).containsExactly(2, 0, 0);
        assertThat(engine.routeTables().routes()).isEqualTo(1);
    }

    @Test
    void loadsASnapshotPartByPartInOrderAndIsAtItsVersionAfterTheLastPart() {
        delta(0, 1, at -> {
            at = RouteUpdateFlyweight.putBind(message, at, 999, TABLE, false);
            return new int[]{at, 1};
        });

        // part 0 (FIRST) empties the tables; part 2 before part 1 is ignored
        snapshot(0, 40, RouteUpdateFlyweight.FIRST, at -> {
            at = RouteUpdateFlyweight.putBind(message, at, VPC_A, TABLE, false);
            at = group(at, 1, VPC_B, "127.0.0.21");
            return new int[]{at, 2};
        });
        assertThat(lastAck()).containsExactly(RouteAckFlyweight.IN_SNAPSHOT, 40, 1);
        snapshot(2, 40, RouteUpdateFlyweight.LAST, at -> new int[]{
                RouteUpdateFlyweight.putRoute(message, at, TABLE, Ipv4Addresses.parse("10.2.0.0"), 16, 1, false), 1});
        assertThat(lastAck()).containsExactly(RouteAckFlyweight.IN_SNAPSHOT, 40, 1);
        snapshot(1, 40, 0, at -> new int[]{
                RouteUpdateFlyweight.putRoute(message, at, TABLE, Ipv4Addresses.parse("10.1.0.0"), 16, 1, false), 1});
        snapshot(2, 40, RouteUpdateFlyweight.LAST, at -> new int[]{
                RouteUpdateFlyweight.putRoute(message, at, TABLE, Ipv4Addresses.parse("10.2.0.0"), 16, 1, false), 1});

        assertThat(lastAck()).containsExactly(40, 0, 0);
        assertThat(engine.routeTables().routes()).isEqualTo(2);
        assertThat(engine.routeTables().bindings()).isEqualTo(1);
        data.offer(ReferencePackets.udp("10.0.0.5", 5000, "10.2.0.1", 53).vni(VPC_A).build());
        data.offer(ReferencePackets.udp("10.0.0.5", 5000, "10.2.0.1", 53).vni(999).build());
        worker.doWork();
        assertThat(drain(data)).hasSize(1);
    }

    @Test
    void aRemoveOfAllRulesEmptiesTheTablesToVersionZero() {
        delta(0, 1, at -> {
            at = RouteUpdateFlyweight.putBind(message, at, VPC_A, TABLE, false);
            at = group(at, 1, VPC_B, "127.0.0.21");
            at = RouteUpdateFlyweight.putRoute(message, at, TABLE, 0, 0, 1, false);
            return new int[]{at, 3};
        });

        offer(RemoveFlyweight.encodeAll(message, 0, 1, 9));

        assertThat(engine.routeTables().version()).isZero();
        assertThat(engine.routeTables().routes()).isZero();
        data.offer(ReferencePackets.udp("10.0.0.5", 5000, "10.2.0.1", 53).vni(VPC_A).build());
        worker.doWork();
        assertThat(drain(data)).isEmpty();
        assertThat(punts()).containsExactly(PuntReason.MISS);
    }

    @Test
    void refusesAMalformedUpdateWholeAndCountsIt() {
        int at = RouteUpdateFlyweight.encodeHeader(message, 0, 1, 1, 0, 0, 1);
        at = RouteUpdateFlyweight.putBind(message, at, VPC_A, TABLE, false);
        // a route of table 0
        at = RouteUpdateFlyweight.putRoute(message, at, 0, 0, 0, 0, false);
        RouteUpdateFlyweight.entryCount(message, 0, 2);
        offer(at);

        assertThat(counters.get(FastpathStats.BAD_CONTROL_MESSAGES_INDEX)).isEqualTo(1);
        assertThat(engine.routeTables().bindings()).isZero();
        assertThat(lastAck()).containsExactly(0, 0, 0);
    }

    // ---------------------------------------------------------------- helpers

    private interface Entries {
        /** Writes entries from {@code at}; returns {end, count}. */
        int[] write(int at);
    }

    private void delta(long from, long to, Entries entries) {
        int at = RouteUpdateFlyweight.encodeHeader(message, 0, 1, 1, 0, from, to);
        int[] end = entries.write(at);
        RouteUpdateFlyweight.entryCount(message, 0, end[1]);
        offer(end[0]);
    }

    private void snapshot(int part, long version, int flags, Entries entries) {
        int at = RouteUpdateFlyweight.encodeHeader(message, 0, 1, 1, RouteUpdateFlyweight.SNAPSHOT | flags, part,
                version);
        int[] end = entries.write(at);
        RouteUpdateFlyweight.entryCount(message, 0, end[1]);
        offer(end[0]);
    }

    private int group(int at, int group, int vni, String address) {
        return RouteUpdateFlyweight.putGroup(message, at, group, 1, new int[]{vni},
                new int[]{Ipv4Addresses.parse(address)}, new int[]{4789});
    }

    private void offer(int length) {
        control.offer(message, 0, length);
        worker.doWork();
    }

    /** The last ROUTE_ACK's version, snapshot version and next part. */
    private long[] lastAck() {
        List<ByteBuffer> acks = drain(control).stream().map(s -> ByteBuffer.wrap(s.bytes()))
                .filter(b -> ControlProtocol.type(b, 0) == ControlProtocol.ROUTE_ACK).toList();
        assertThat(acks).isNotEmpty();
        ByteBuffer ack = acks.get(acks.size() - 1);
        return new long[]{RouteAckFlyweight.version(ack, 0), RouteAckFlyweight.snapshotVersion(ack, 0),
                RouteAckFlyweight.nextPart(ack, 0)};
    }

    private List<Integer> punts() {
        return drain(control).stream().map(s -> ByteBuffer.wrap(s.bytes()))
                .filter(b -> ControlProtocol.type(b, 0) == ControlProtocol.PUNT).map(b -> PuntFlyweight.reason(b, 0))
                .toList();
    }
}
