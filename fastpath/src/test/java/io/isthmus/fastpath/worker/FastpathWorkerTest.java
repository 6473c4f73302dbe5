package io.isthmus.fastpath.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FastpathStats;
import io.isthmus.control.FlowKey;
import io.isthmus.control.FlowTimeouts;
import io.isthmus.control.PuntReason;
import io.isthmus.control.Rule;
import io.isthmus.control.message.BatchFlyweight;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.FlowExpiredFlyweight;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.PuntFlyweight;
import io.isthmus.control.message.ReinjectFlyweight;
import io.isthmus.control.message.RemoveFlyweight;
import io.isthmus.control.message.StatsRequestFlyweight;
import io.isthmus.control.message.StatsResponseFlyweight;
import io.isthmus.control.message.TimeoutsFlyweight;
import io.isthmus.control.message.WelcomeFlyweight;
import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.flow.IdleTimeouts;
import io.isthmus.fastpath.io.RingPacketIo;
import io.isthmus.fastpath.packet.TcpFlyweight;
import io.isthmus.fastpath.testing.ReferencePackets;

class FastpathWorkerTest {

    private static final long SECOND = 1_000_000_000L;
    private static final InetSocketAddress SLOWPATH = new InetSocketAddress("127.0.0.1", 40300);
    private static final int PUBLIC = ReferencePackets.parse("203.0.113.10");

    private final RingPacketIo data = new RingPacketIo(64, 65_536, new InetSocketAddress("127.0.0.1", 40100));
    private final RingPacketIo control = new RingPacketIo(64, 65_536, new InetSocketAddress("127.0.0.1", 40200));
    private final WorkerCounters counters = new WorkerCounters();
    private long now = 5 * SECOND;
    private final ForwardingEngine engine = new ForwardingEngine(64, 8);
    private final FastpathWorker worker = new FastpathWorker(new FastpathWorker.Settings(1, SLOWPATH, SECOND), data,
            control, engine, new PuntLimiter(1000, 2), counters, () -> now);
    private final ByteBuffer message = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);

    private final byte[] packet = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).vni(100).build();
    private final FlowKey flow = new FlowKey(100, FlowKey.UDP, ReferencePackets.parse("10.0.0.5"),
            ReferencePackets.parse("198.51.100.7"), 40001, 53);

    @Test
    void saysHelloOnStartAndOncePerInterval() {
        // Given a new worker, When it works for the first time
        worker.doWork();

        // Then it says HELLO with its id and data endpoint
        List<Sent> sent = drain(control);
        assertThat(sent).hasSize(1);
        ByteBuffer hello = ByteBuffer.wrap(sent.get(0).bytes());
        assertThat(ControlProtocol.type(hello, 0)).isEqualTo(ControlProtocol.HELLO);
        assertThat(ControlProtocol.fastpathId(hello, 0)).isEqualTo(1);
        assertThat(HelloFlyweight.dataPort(hello, 0)).isEqualTo(40100);
        assertThat(sent.get(0).destination()).isEqualTo(SLOWPATH);

        // And not again within the interval, but again after it
        now += SECOND / 2;
        worker.doWork();
        assertThat(drain(control)).isEmpty();
        now += SECOND / 2;
        worker.doWork();
        assertThat(drain(control)).hasSize(1);
    }

    @Test
    void puntsAMissWithItsKeyAndThePacketAsReceived() {
        // Given an empty flow table
        started();

        // When a packet arrives
        data.offer(packet);
        worker.doWork();

        // Then it is punted as a MISS with its flow key and its bytes, and nothing is forwarded
        List<Sent> sent = drain(control);
        assertThat(sent).hasSize(1);
        ByteBuffer punt = ByteBuffer.wrap(sent.get(0).bytes());
        assertThat(ControlProtocol.type(punt, 0)).isEqualTo(ControlProtocol.PUNT);
        assertThat(PuntFlyweight.isValid(punt, 0, punt.capacity())).isTrue();
        assertThat(PuntFlyweight.reason(punt, 0)).isEqualTo(PuntReason.MISS);
        assertThat(PuntFlyweight.key(punt, 0)).isEqualTo(flow);
        byte[] carried = new byte[PuntFlyweight.packetLength(punt, 0)];
        punt.get(PuntFlyweight.PACKET_OFFSET, carried);
        assertThat(carried).isEqualTo(packet);
        assertThat(data.sentCount()).isZero();
        assertThat(counters.get(FastpathStats.MISSES_INDEX)).isEqualTo(1);
        assertThat(counters.get(FastpathStats.PUNTS_INDEX)).isEqualTo(1);
    }

    @Test
    void forwardsAHitRewrittenToTheNextHopAfterAnInstall() {
        // Given a rule installed for the flow
        started();
        install(1, Rule.of(flow, new Action.RewriteSource(PUBLIC, 20000), new Action.SetVni(200),
                new Action.SetNextHop(ReferencePackets.parse("127.0.0.1"), 40001)));

        // When a packet of the flow arrives
        data.offer(packet);
        worker.doWork();

        // Then it leaves translated towards the next hop, with correct checksums, and is not punted
        List<Sent> forwarded = drain(data);
        assertThat(forwarded).hasSize(1);
        assertThat(forwarded.get(0).destination()).isEqualTo(new InetSocketAddress("127.0.0.1", 40001));
        ReferencePackets.Decoded out = ReferencePackets.decode(forwarded.get(0).bytes());
        assertThat(out.vni()).isEqualTo(200);
        assertThat(out.src()).isEqualTo("203.0.113.10");
        assertThat(out.srcPort()).isEqualTo(20000);
        assertThat(out.ipChecksumValid()).isTrue();
        assertThat(out.l4ChecksumValid()).isTrue();
        assertThat(drain(control)).isEmpty();
        assertThat(counters.get(FastpathStats.HITS_INDEX)).isEqualTo(1);
        assertThat(counters.get(FastpathStats.FLOWS_INDEX)).isEqualTo(1);
    }

    @Test
    void gathersThePuntsOfAPollIntoAPuntBatchOnlyWhileTheSlowpathSaysItTakesThem() {
        // Given a worker the slowpath has not welcomed (its punt limit allows bursts of 2)
        started();
        byte[][] misses = new byte[2][];
        for (int i = 0; i < misses.length; i++) {
            misses[i] = ReferencePackets.udp("10.0.0." + (10 + i), 1000 + i, "198.51.100.7", 53).vni(100).build();
        }

        // When two misses arrive in one poll, Then they go as two PUNTs
        offerAll(misses);
        worker.doWork();
        assertThat(drain(control)).extracting(sent -> ControlProtocol.type(ByteBuffer.wrap(sent.bytes()), 0))
                .containsExactly(ControlProtocol.PUNT, ControlProtocol.PUNT);

        // And after a WELCOME that allows it, as one PUNT_BATCH carrying the two PUNTs in order
        control.offer(message, 0, WelcomeFlyweight.encode(message, 0, 1, 5, WelcomeFlyweight.PUNT_BATCH));
        worker.doWork();
        now += SECOND;
        offerAll(misses);
        worker.doWork();
        List<Sent> sent = drain(control).stream()
                .filter(m -> ControlProtocol.type(ByteBuffer.wrap(m.bytes()), 0) != ControlProtocol.HELLO).toList();
        assertThat(sent).hasSize(1);
        ByteBuffer batch = ByteBuffer.wrap(sent.get(0).bytes());
        assertThat(ControlProtocol.type(batch, 0)).isEqualTo(ControlProtocol.PUNT_BATCH);
        assertThat(batch.capacity()).isLessThanOrEqualTo(ControlProtocol.MAX_BATCH_BYTES);
        List<FlowKey> keys = new ArrayList<>();
        assertThat(BatchFlyweight.decode(batch, 0, batch.capacity(), (b, offset, length) -> {
            assertThat(PuntFlyweight.isValid(b, offset, length)).isTrue();
            keys.add(PuntFlyweight.key(b, offset));
        })).isEqualTo(2);
        assertThat(keys).extracting(FlowKey::srcPort).containsExactly(1000, 1001);
        assertThat(counters.get(FastpathStats.PUNTS_INDEX)).isEqualTo(4);

        // And after a REMOVE of all rules (a slowpath starting it afresh, which may not take them), PUNTs again
        control.offer(message, 0, RemoveFlyweight.encodeAll(message, 0, 1, 6));
        worker.doWork();
        now += SECOND;
        offerAll(misses);
        worker.doWork();
        assertThat(drain(control)).extracting(m -> ControlProtocol.type(ByteBuffer.wrap(m.bytes()), 0))
                .filteredOn(type -> type != ControlProtocol.HELLO)
                .containsExactly(ControlProtocol.PUNT, ControlProtocol.PUNT);
    }

    @Test
    void aPuntOfAReinjectedPacketLeavesInTheSameRoundAsItsReinject() {
        // Given a welcomed worker and a rule that decrements the TTL
        started();
        control.offer(message, 0, WelcomeFlyweight.encode(message, 0, 1, 5, WelcomeFlyweight.PUNT_BATCH));
        install(1, Rule.of(flow, new Action.DecrementTtl(),
                new Action.SetNextHop(ReferencePackets.parse("127.0.0.1"), 40001)));
        drain(control);

        // When the slowpath re-injects a packet of the flow whose TTL is 1
        byte[] expiring = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).vni(100).ttl(1).build();
        control.offer(message, 0, ReinjectFlyweight.encode(message, 0, 1, 6, ByteBuffer.wrap(expiring), 0,
                expiring.length));
        worker.doWork();

        // Then its TTL_EXCEEDED punt goes out in that same round, not with the next poll's punts
        List<Sent> sent = drain(control);
        assertThat(sent).hasSize(1);
        ByteBuffer batch = ByteBuffer.wrap(sent.get(0).bytes());
        assertThat(ControlProtocol.type(batch, 0)).isEqualTo(ControlProtocol.PUNT_BATCH);
        List<Integer> reasons = new ArrayList<>();
        BatchFlyweight.decode(batch, 0, batch.capacity(),
                (b, offset, length) -> reasons.add(PuntFlyweight.reason(b, offset)));
        assertThat(reasons).containsExactly(PuntReason.TTL_EXCEEDED);
        assertThat(drain(data)).isEmpty();
    }

    private void offerAll(byte[][] packets) {
        for (byte[] p : packets) {
            data.offer(p);
        }
    }

    @Test
    void shedsPuntsBeyondTheLimitAndCountsThemWithoutBlocking() {
        // Given a punt limit with a burst of 2
        started();

        // When five packets of unknown flows arrive at once
        for (int i = 0; i < 5; i++) {
            data.offer(packet);
        }
        worker.doWork();

        // Then two are punted, three dropped and counted
        assertThat(drain(control)).hasSize(2);
        assertThat(counters.get(FastpathStats.PUNTS_INDEX)).isEqualTo(2);
        assertThat(counters.get(FastpathStats.PUNT_DROPS_INDEX)).isEqualTo(3);
        assertThat(counters.get(FastpathStats.DROPS_INDEX)).isEqualTo(3);

        // And once time passes, punting resumes
        now += SECOND / 100;
        data.offer(packet);
        worker.doWork();
        assertThat(drain(control)).hasSize(1);
    }

    @Test
    void aReinjectedPacketFollowsTheRuleInstalledBeforeIt() {
        // Given a packet punted, then a rule and the re-injection arriving in that order
        started();
        install(1, Rule.of(flow, new Action.SetNextHop(ReferencePackets.parse("127.0.0.1"), 40001)));
        int length = ReinjectFlyweight.encode(message, 0, 1, 2, ByteBuffer.wrap(packet), 0, packet.length);
        control.offer(message, 0, length);

        // When the worker works
        worker.doWork();

        // Then the packet is forwarded
        assertThat(drain(data)).hasSize(1);
        assertThat(counters.get(FastpathStats.REINJECTS_INDEX)).isEqualTo(1);
        assertThat(counters.get(FastpathStats.PACKETS_INDEX)).isZero();
    }

    @Test
    void saysItTakesReinjectBatchesAndForwardsEveryPacketOfOne() {
        // Given a worker that said HELLO, and a rule for the flow
        worker.doWork();
        ByteBuffer hello = ByteBuffer.wrap(drain(control).get(0).bytes());
        assertThat(HelloFlyweight.flags(hello, 0) & HelloFlyweight.REINJECT_BATCH).isNotZero();
        install(1, Rule.of(flow, new Action.RewriteSource(PUBLIC, 20000),
                new Action.SetNextHop(ReferencePackets.parse("127.0.0.1"), 40001)));

        // When a REINJECT_BATCH brings back three packets, the second of a flow without a rule
        byte[] other = ReferencePackets.udp("10.0.0.6", 1, "198.51.100.7", 53).vni(100).build();
        int length = BatchFlyweight.encode(message, 0, ControlProtocol.REINJECT_BATCH, 1, 2);
        length = BatchFlyweight.append(message, 0, length, ByteBuffer.wrap(packet), 0, packet.length);
        length = BatchFlyweight.append(message, 0, length, ByteBuffer.wrap(other), 0, other.length);
        length = BatchFlyweight.append(message, 0, length, ByteBuffer.wrap(packet), 0, packet.length);
        control.offer(message, 0, length);
        worker.doWork();

        // Then the two of the flow leave translated, the other is dropped, and nothing is punted
        List<Sent> forwarded = drain(data);
        assertThat(forwarded).hasSize(2);
        assertThat(forwarded).allSatisfy(sent -> assertThat(ReferencePackets.decode(sent.bytes()).srcPort())
                .isEqualTo(20000));
        assertThat(drain(control)).isEmpty();
        assertThat(counters.get(FastpathStats.REINJECTS_INDEX)).isEqualTo(3);
        assertThat(counters.get(FastpathStats.DROPS_INDEX)).isEqualTo(1);

        // And a malformed batch is an error, none of its packets forwarded
        control.offer(message, 0, length - 1);
        worker.doWork();
        assertThat(drain(data)).isEmpty();
        assertThat(counters.get(FastpathStats.ERRORS_INDEX)).isEqualTo(1);
    }

    @Test
    void aReinjectedPacketThatStillMissesIsDroppedNotPuntedAgain() {
        // Given no rule
        started();
        int length = ReinjectFlyweight.encode(message, 0, 1, 2, ByteBuffer.wrap(packet), 0, packet.length);
        control.offer(message, 0, length);

        // When it is re-injected
        worker.doWork();

        // Then it is dropped, and nothing goes back to the slowpath
        assertThat(drain(data)).isEmpty();
        assertThat(drain(control)).isEmpty();
        assertThat(counters.get(FastpathStats.DROPS_INDEX)).isEqualTo(1);
    }

    @Test
    void answersAStatsRequestWithItsSequenceAndCounters() {
        // Given one punted packet
        started();
        data.offer(packet);
        worker.doWork();
        drain(control);

        // When asked for stats
        int length = StatsRequestFlyweight.encode(message, 0, 1, 77);
        control.offer(message, 0, length);
        worker.doWork();

        // Then it answers with the request's sequence and its counters
        List<Sent> sent = drain(control);
        assertThat(sent).hasSize(1);
        ByteBuffer response = ByteBuffer.wrap(sent.get(0).bytes());
        assertThat(ControlProtocol.type(response, 0)).isEqualTo(ControlProtocol.STATS_RESPONSE);
        assertThat(ControlProtocol.sequence(response, 0)).isEqualTo(77);
        FastpathStats stats = StatsResponseFlyweight.decode(response, 0, response.capacity());
        assertThat(stats.packets()).isEqualTo(1);
        assertThat(stats.bytes()).isEqualTo(packet.length);
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.punts()).isEqualTo(1);
    }

    @Test
    void ignoresAndCountsMessagesForAnotherFastpath() {
        // Given an INSTALL addressed to fastpath 2
        started();
        install(2, Rule.of(flow, new Action.SetNextHop(1, 1)));

        // Then nothing was installed and an error counted
        assertThat(counters.get(FastpathStats.FLOWS_INDEX)).isZero();
        assertThat(counters.get(FastpathStats.ERRORS_INDEX)).isEqualTo(1);
    }

    @Test
    void countsMalformedPacketsAsErrorsAndPuntsUnsupportedOnes() {
        // Given a packet without the VXLAN I flag and a fragment
        started();
        data.offer(ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).vxlanFlags(0).build());
        data.offer(ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).flagsAndFragmentOffset(0x2000).build());

        // When they arrive
        worker.doWork();

        // Then the first is an error, the second is punted as a fragment
        assertThat(counters.get(FastpathStats.ERRORS_INDEX)).isEqualTo(1);
        List<Sent> sent = drain(control);
        assertThat(sent).hasSize(1);
        assertThat(PuntFlyweight.reason(ByteBuffer.wrap(sent.get(0).bytes()), 0))
                .isEqualTo(PuntReason.FRAGMENT);
    }

    @Test
    void forwardingAHitAllocatesNothingPerPacket() {
        // Given an installed rule, a packet in a preallocated buffer and a sink that discards sent packets
        started();
        install(1, Rule.of(flow, new Action.RewriteSource(PUBLIC, 20000), new Action.SetVni(200),
                new Action.SetNextHop(ReferencePackets.parse("127.0.0.1"), 40001), new Action.Count()));
        ByteBuffer in = ByteBuffer.allocateDirect(packet.length).put(0, packet);
        RingPacketIo.SentPacketHandler discard = (buffer, offset, length, destination) -> {
        };
        forward(in, discard, 50_000); // let the JIT compile the path

        // When 100 000 packets are forwarded
        long allocated = allocatedBy(() -> forward(in, discard, 100_000));

        // Then (next to) nothing was allocated: well under one byte per packet
        assertThat(counters.get(FastpathStats.HITS_INDEX)).isEqualTo(150_000);
        assertThat(allocated).isLessThan(10_000);
    }

    @Test
    void expiresIdleFlowsAndReportsThemToTheSlowpathInBatches() {
        // Given a worker whose flows expire after 30 s idle, and 100 rules installed at t = 5 s
        ForwardingEngine engine = new ForwardingEngine(256, 8, IdleTimeouts.all(Duration.ofSeconds(30)));
        FastpathWorker expiring = new FastpathWorker(new FastpathWorker.Settings(1, SLOWPATH, 3600 * SECOND), data,
                control, engine, new PuntLimiter(1000, 2), counters, () -> now);
        expiring.doWork();
        drain(control);
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rules.add(Rule.of(new FlowKey(100, FlowKey.UDP, i, 2, 3, 4), new Action.SetNextHop(1, 1)));
        }
        int length = InstallFlyweight.encode(message, 0, 1, 1, rules);
        control.offer(message, 0, length);
        expiring.doWork();
        // and one flow kept busy
        length = InstallFlyweight.encode(message, 0, 1, 2,
                List.of(Rule.of(flow, new Action.SetNextHop(ReferencePackets.parse("127.0.0.1"), 40001))));
        control.offer(message, 0, length);
        expiring.doWork();
        assertThat(counters.get(FastpathStats.FLOWS_INDEX)).isEqualTo(101);

        // When 31 s pass, the busy flow sending on the way
        for (int s = 0; s < 31; s++) {
            now += SECOND;
            data.offer(packet);
            expiring.doWork();
        }
        expiring.doWork();

        // Then the 100 idle rules are gone and reported, 64 and 36 keys in two FLOW_EXPIRED messages
        List<FlowKey> reported = new ArrayList<>();
        for (Sent sent : drain(control)) {
            ByteBuffer message = ByteBuffer.wrap(sent.bytes());
            assertThat(ControlProtocol.type(message, 0)).isEqualTo(ControlProtocol.FLOW_EXPIRED);
            assertThat(FlowExpiredFlyweight.flags(message, 0)).isEqualTo(FlowExpiredFlyweight.EXPIRED_IDLE);
            List<FlowKey> keys = FlowExpiredFlyweight.decode(message, 0, message.capacity());
            assertThat(keys.size()).isIn(64, 36);
            reported.addAll(keys);
        }
        assertThat(reported).hasSize(100).doesNotHaveDuplicates().containsAll(rules.stream().map(Rule::key).toList());
        assertThat(counters.get(FastpathStats.EXPIRED_FLOWS_INDEX)).isEqualTo(100);
        assertThat(counters.get(FastpathStats.FLOWS_INDEX)).isEqualTo(1);
        assertThat(engine.lookup(parsed(packet))).isNotNegative();
        assertThat(drain(data)).hasSize(31);
        engine.close();
    }

    @Test
    void puntsAPacketWhoseTtlExpiresAsReceivedAndCountsIt() {
        // Given a NAT rule that decrements the TTL, and a packet of its flow with TTL 1
        started();
        install(1, Rule.of(flow, new Action.RewriteSource(PUBLIC, 20000), new Action.DecrementTtl(),
                new Action.SetNextHop(ReferencePackets.parse("127.0.0.1"), 40001)));
        byte[] expiring = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).vni(100).ttl(1).build();

        // When it arrives
        data.offer(expiring);
        worker.doWork();

        // Then it is punted untranslated for an ICMP time exceeded, not forwarded
        List<Sent> sent = drain(control);
        assertThat(sent).hasSize(1);
        ByteBuffer punt = ByteBuffer.wrap(sent.get(0).bytes());
        assertThat(PuntFlyweight.reason(punt, 0)).isEqualTo(PuntReason.TTL_EXCEEDED);
        assertThat(PuntFlyweight.key(punt, 0)).isEqualTo(flow);
        byte[] carried = new byte[PuntFlyweight.packetLength(punt, 0)];
        punt.get(PuntFlyweight.PACKET_OFFSET, carried);
        assertThat(carried).isEqualTo(expiring);
        assertThat(drain(data)).isEmpty();
        assertThat(counters.get(FastpathStats.TTL_EXCEEDED_INDEX)).isEqualTo(1);
        assertThat(counters.get(FastpathStats.HITS_INDEX)).isEqualTo(1);
    }

    @Test
    void puntsIpv6WithItsOwnReasonAndCounter() {
        started();
        data.offer(ReferencePackets.ipv6Udp(100, 0x2001_0db8L << 32, 1, 0x2001_0db8L << 32, 2, 1000, 53, 64,
                new byte[4]));

        worker.doWork();

        List<Sent> sent = drain(control);
        assertThat(sent).hasSize(1);
        assertThat(PuntFlyweight.reason(ByteBuffer.wrap(sent.get(0).bytes()), 0)).isEqualTo(PuntReason.IPV6);
        assertThat(counters.get(FastpathStats.IPV6_INDEX)).isEqualTo(1);
        assertThat(counters.get(FastpathStats.MISSES_INDEX)).isZero();
    }

    @Test
    void forwardsAnIcmpErrorOnItsFlowsRuleAndPuntsOneWithoutARuleAsIcmpError() {
        // Given the reverse rule of a NAT flow (public 203.0.113.10:20000 <- 198.51.100.7:53)
        started();
        FlowKey reverse = new FlowKey(200, FlowKey.UDP, ReferencePackets.parse("198.51.100.7"), PUBLIC, 53, 20000);
        install(1, Rule.of(reverse, new Action.RewriteDestination(ReferencePackets.parse("10.0.0.5"), 40001),
                new Action.SetVni(100), new Action.SetNextHop(ReferencePackets.parse("127.0.0.1"), 40002)));
        byte[] translated = ReferencePackets.udp("203.0.113.10", 20000, "198.51.100.7", 53).build();
        byte[] error = ReferencePackets.icmpError(3, 3, "192.0.2.1", "203.0.113.10", 0,
                ReferencePackets.quote(translated, 8)).vni(200).build();
        byte[] strayError = ReferencePackets.icmpError(3, 3, "192.0.2.1", "203.0.113.10", 0,
                ReferencePackets.quote(ReferencePackets.udp("203.0.113.10", 29999, "198.51.100.7", 53).build(), 8))
                .vni(200).build();

        // When an error about the flow and one about no known flow arrive
        data.offer(error);
        data.offer(strayError);
        worker.doWork();

        // Then the first goes to the inside host, translated; the second is punted as ICMP_ERROR
        List<Sent> forwarded = drain(data);
        assertThat(forwarded).hasSize(1);
        assertThat(ReferencePackets.decode(forwarded.get(0).bytes()).dst()).isEqualTo("10.0.0.5");
        assertThat(ReferencePackets.decodeQuote(forwarded.get(0).bytes()).srcPort()).isEqualTo(40001);
        List<Sent> punted = drain(control);
        assertThat(punted).hasSize(1);
        ByteBuffer punt = ByteBuffer.wrap(punted.get(0).bytes());
        assertThat(PuntFlyweight.reason(punt, 0)).isEqualTo(PuntReason.ICMP_ERROR);
        assertThat(PuntFlyweight.key(punt, 0).dstPort()).isEqualTo(29999);
    }

    @Test
    void icmpErrorsTranslatedOnAFlowsRuleDoNotKeepTheIdleFlowAlive() {
        // Given a worker whose flows expire after 30 s idle, and the reverse rule of a NAT flow
        ForwardingEngine engine = new ForwardingEngine(256, 8, IdleTimeouts.all(Duration.ofSeconds(30)));
        FastpathWorker expiring = new FastpathWorker(new FastpathWorker.Settings(1, SLOWPATH, 3600 * SECOND), data,
                control, engine, new PuntLimiter(1000, 2), counters, () -> now);
        expiring.doWork();
        FlowKey reverse = new FlowKey(200, FlowKey.UDP, ReferencePackets.parse("198.51.100.7"), PUBLIC, 53, 20000);
        int length = InstallFlyweight.encode(message, 0, 1, 1, List.of(Rule.of(reverse,
                new Action.RewriteDestination(ReferencePackets.parse("10.0.0.5"), 40001), new Action.SetVni(100),
                new Action.SetNextHop(ReferencePackets.parse("127.0.0.1"), 40002))));
        control.offer(message, 0, length);
        expiring.doWork();
        drain(control);
        byte[] error = ReferencePackets.icmpError(3, 3, "192.0.2.1", "203.0.113.10", 0, ReferencePackets
                .quote(ReferencePackets.udp("203.0.113.10", 20000, "198.51.100.7", 53).build(), 8)).vni(200).build();

        // When only ICMP errors about the flow arrive, one a second for 31 s
        for (int s = 0; s < 31; s++) {
            now += SECOND;
            data.offer(error);
            expiring.doWork();
        }
        expiring.doWork();

        // Then they were translated while the rule lived, and the rule expired all the same (RFC 5508 REQ-6)
        assertThat(drain(data)).isNotEmpty();
        List<FlowKey> reported = new ArrayList<>();
        for (Sent sent : drain(control)) {
            ByteBuffer expired = ByteBuffer.wrap(sent.bytes());
            if (ControlProtocol.type(expired, 0) == ControlProtocol.FLOW_EXPIRED) {
                reported.addAll(FlowExpiredFlyweight.decode(expired, 0, expired.capacity()));
            }
        }
        assertThat(reported).containsExactly(reverse);
        engine.close();
    }

    @Test
    void announcesTimeoutsAndAppliesTheDefaultsUntilTheyCome() {
        worker.doWork();

        ByteBuffer hello = ByteBuffer.wrap(drain(control).get(0).bytes());
        assertThat(HelloFlyweight.flags(hello, 0) & HelloFlyweight.TIMEOUTS).isEqualTo(HelloFlyweight.TIMEOUTS);
        assertThat(engine.timeouts()).isEqualTo(IdleTimeouts.DEFAULTS);
    }

    @Test
    void appliesTimeoutsAndKeepsThemThroughARemoveOfAllRules() {
        // Given a worker told 3 h for established TCP, 5 min for transitory, 10 min for UDP
        FlowTimeouts timeouts = new FlowTimeouts(10_800, 300, 600, 60, 300);
        offer(TimeoutsFlyweight.encode(message, 0, 1, 1, timeouts));
        assertThat(engine.timeouts()).isEqualTo(IdleTimeouts.of(timeouts));

        // When the slowpath removes all rules
        offer(RemoveFlyweight.encodeAll(message, 0, 1, 2));

        // Then the timeouts stay, and nothing was refused
        assertThat(engine.timeouts()).isEqualTo(IdleTimeouts.of(timeouts));
        assertThat(counters.get(FastpathStats.BAD_CONTROL_MESSAGES_INDEX)).isZero();
    }

    @Test
    void refusesTimeoutsUnderTheirRfcMinimumsWholeAndCountsThem() {
        // Given timeouts valid but for UDP, one second under RFC 4787's 2 minutes
        int length = TimeoutsFlyweight.encode(message, 0, 1, 1, new FlowTimeouts(7_440, 240, 300, 60, 300));
        message.putInt(TimeoutsFlyweight.UDP_OFFSET, 119);

        // When it arrives
        offer(length);

        // Then nothing is applied and it counts as a bad control message
        assertThat(engine.timeouts()).isEqualTo(IdleTimeouts.DEFAULTS);
        assertThat(counters.get(FastpathStats.BAD_CONTROL_MESSAGES_INDEX)).isEqualTo(1);
        assertThat(counters.get(FastpathStats.ERRORS_INDEX)).isEqualTo(1);
    }

    @Test
    void aConnectionClosedByAFinIsReportedExpiredAfterTheTransitoryTimeout() {
        // Given a NAT's two rules of a TCP connection
        FlowKey forward = new FlowKey(100, FlowKey.TCP, ReferencePackets.parse("10.0.0.5"),
                ReferencePackets.parse("198.51.100.7"), 40001, 443);
        FlowKey reverse = new FlowKey(200, FlowKey.TCP, ReferencePackets.parse("198.51.100.7"),
                ReferencePackets.parse("203.0.113.10"), 443, 20000);
        started();
        offer(InstallFlyweight.encode(message, 0, 1, 1, List.of(
                Rule.of(forward, new Action.RewriteSource(ReferencePackets.parse("203.0.113.10"), 20000),
                        new Action.SetVni(200), new Action.SetNextHop(0x7F000001, 40001)),
                Rule.of(reverse, new Action.RewriteDestination(ReferencePackets.parse("10.0.0.5"), 40001),
                        new Action.SetVni(100), new Action.SetNextHop(0x7F000001, 40002)))));
        drain(control);

        // When the inside host's FIN passes, and 4 min go by in steps of 10 s
        data.offer(ReferencePackets.tcp("10.0.0.5", 40001, "198.51.100.7", 443).vni(100)
                .tcpFlags(TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_ACK).build());
        worker.doWork();
        assertThat(drain(data)).hasSize(1);
        List<FlowKey> reported = new ArrayList<>();
        for (int s = 0; s < 25; s++) {
            now += 10 * SECOND;
            worker.doWork();
            for (Sent sent : drain(control)) {
                ByteBuffer expired = ByteBuffer.wrap(sent.bytes());
                if (ControlProtocol.type(expired, 0) == ControlProtocol.FLOW_EXPIRED) {
                    reported.addAll(FlowExpiredFlyweight.decode(expired, 0, expired.capacity()));
                }
            }
            if (s < 23) {
                assertThat(reported).as("after %d s", (s + 1) * 10).isEmpty();
            }
        }

        // Then both rules were reported expired 4 min after the FIN, not 2 h 4 min
        assertThat(reported).containsExactlyInAnyOrder(forward, reverse);
        assertThat(engine.flowCount()).isZero();
    }

    private void offer(int length) {
        control.offer(message, 0, length);
        worker.doWork();
    }

    private static io.isthmus.fastpath.packet.PacketParser parsed(byte[] packet) {
        io.isthmus.fastpath.packet.PacketParser parser = new io.isthmus.fastpath.packet.PacketParser();
        parser.parse(ByteBuffer.wrap(packet), 0, packet.length);
        return parser;
    }

    private void forward(ByteBuffer in, RingPacketIo.SentPacketHandler discard, int packets) {
        for (int i = 0; i < packets; i++) {
            data.offer(in, 0, packet.length);
            worker.doWork();
            data.drainSent(discard, 64);
        }
    }

    private void started() {
        worker.doWork();
        drain(control);
    }

    private void install(int fastpathId, Rule rule) {
        int length = InstallFlyweight.encode(message, 0, fastpathId, 1, List.of(rule));
        control.offer(message, 0, length);
        worker.doWork();
    }

    /** Bytes the current thread allocated while running {@code work}. */
    static long allocatedBy(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    record Sent(byte[] bytes, InetSocketAddress destination) {
    }

    static List<Sent> drain(RingPacketIo io) {
        List<Sent> sent = new ArrayList<>();
        io.drainSent((buffer, offset, length, destination) -> {
            byte[] bytes = new byte[length];
            buffer.get(offset, bytes);
            sent.add(new Sent(bytes, destination));
        }, Integer.MAX_VALUE);
        return sent;
    }
}
