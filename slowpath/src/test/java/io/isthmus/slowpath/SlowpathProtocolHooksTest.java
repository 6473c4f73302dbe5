package io.isthmus.slowpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.Action;
import io.isthmus.control.FastpathStats;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.Rule;
import io.isthmus.control.SaCounters;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.InstallSaFlyweight;
import io.isthmus.control.message.TransmitFlyweight;
import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.flow.IdleTimeouts;
import io.isthmus.fastpath.io.DatagramPacketIo;
import io.isthmus.fastpath.testing.Datagrams;
import io.isthmus.fastpath.testing.ReferencePackets;
import io.isthmus.fastpath.worker.AgentRunner;
import io.isthmus.fastpath.worker.BackoffIdleStrategy;
import io.isthmus.fastpath.worker.FastpathWorker;
import io.isthmus.fastpath.worker.NanoClock;
import io.isthmus.fastpath.worker.PuntLimiter;
import io.isthmus.fastpath.worker.WorkerCounters;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.FlowRuleInstall;
import io.isthmus.slowpath.policy.Install;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.SecurityAssociationInstall;
import io.isthmus.slowpath.policy.SecurityAssociationRemoval;
import io.isthmus.slowpath.policy.Transmit;
import io.isthmus.slowpath.policy.VnfPolicy;
import io.isthmus.slowpath.testing.FakeFastpath;

/**
 * What a policy that runs a protocol gets from the slowpath, with a real fastpath worker where the wire matters: its
 * timer ({@link VnfPolicy#nextTimerMillis}, {@link VnfPolicy#onTimer}) and what it answers: packets of its own sent
 * once by one fastpath, SAs installed and removed outside any miss and sent again to a fastpath that registers later,
 * their counters back from the fastpath; a timer that throws is counted and the slowpath goes on; IKE behind the
 * non-ESP marker on a rule that decrypts ESP in UDP reaches the policy and its reply the peer.
 */
class SlowpathProtocolHooksTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final FlowKey FLOW = new FlowKey(100, FlowKey.UDP, 0x0A000005, 0x08080808, 40001, 53);
    private static final byte[] PUNTED = {8, 0, 0, 0, 0, 0, 100, 0, 1, 2, 3};
    /** An SA of the extended INSTALL_SA (ESN, ESP in UDP). */
    private static final SecurityAssociation SA_1 = SecurityAssociation.inbound(1, 0x1001, new byte[20]).withEsn(true)
            .withUdpEncapsulation(4500, 4500);
    private static final SecurityAssociation SA_2 = SecurityAssociation.outbound(2, 0x2002, new byte[20],
            Ipv4Addresses.parse("198.51.100.1"), Ipv4Addresses.parse("198.51.100.2"));
    private static final int TAKES_ALL = HelloFlyweight.INSTALL_SA | HelloFlyweight.ESP_EXTENDED
            | HelloFlyweight.TRANSMIT;

    private final TimerPolicy policy = new TimerPolicy();
    private final Slowpath slowpath = Slowpath.start(SlowpathOptions.of("timer", "vnf-protocol-hooks", LOOPBACK, 0, 0),
            policy, Clock.systemUTC());
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private InetSocketAddress dataAddress;

    @AfterEach
    void stop() {
        for (AutoCloseable c : closeables.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
        slowpath.close();
        assertThat(policy.overlaps).as("calls into the policy that overlapped").hasValue(0);
    }

    @Test
    void aTimersPacketLeavesARealFastpathForItsNextHopAndItsSasReachAFastpathThatRegistersLater() throws Exception {
        // Given a real fastpath worker registered with the slowpath, and a next hop
        DatagramSocket nextHop = Datagrams.socket(BOUND);
        closeables.add(nextHop);
        WorkerCounters counters = startFastpath(1);
        await().atMost(BOUND).until(() -> slowpath.service().health().fastpaths() == 1);

        // And a policy whose first timer sends a packet of its own and installs two SAs, and whose second removes one
        byte[] packet = ReferencePackets.udp("203.0.113.10", 500, "198.51.100.2", 500).vni(200)
                .payload("IKE_SA_INIT".getBytes()).build();
        policy.timers.add(now -> Reconfiguration.update(List.of(
                new Transmit(packet, Ipv4Addresses.parse("127.0.0.1"), nextHop.getLocalPort()),
                new SecurityAssociationInstall(SA_1), new SecurityAssociationInstall(SA_2)), List.of(), "timer 1"));
        policy.timers.add(now -> Reconfiguration.update(List.<Install>of(new SecurityAssociationRemoval(2)),
                List.of(), "timer 2"));

        // When it is configured, which sets its timer due now (no punt comes)
        configure();

        // Then the fastpath puts the packet on the wire to the next hop, once
        assertThat(Datagrams.receive(nextHop)).isEqualTo(packet);
        await().atMost(BOUND).until(() -> policy.timerCalls.get() == 2);
        assertThat(slowpath.service().stats().transmits()).isEqualTo(1);
        assertThat(slowpath.service().stats().unsupportedInstalls()).isZero();
        await().atMost(BOUND).until(() -> counters.get(FastpathStats.SA_INSTALLS_INDEX) == 2);

        // And the counters of the SA still installed come back from the fastpath to the policy and to /stats
        await().atMost(BOUND).until(() -> !policy.saCounters.isEmpty());
        assertThat(policy.saCounters.getLast()).containsOnlyKeys(1);
        assertThat(policy.saCounters.getLast().get(1).spi()).isEqualTo(SA_1.spi());
        assertThat(slowpath.service().stats().securityAssociations()).containsOnlyKeys(1)
                .hasEntrySatisfying(1, sa -> assertThat(sa.spi()).isEqualTo(0x1001));

        // And a fastpath that registers later gets the (inbound) SA still installed, not the one removed, nor the packet
        try (FakeFastpath later = FakeFastpath.registered(slowpath.controlAddress(), 2, TAKES_ALL)) {
            ByteBuffer install = later.receive(ControlProtocol.INSTALL_SA);
            assertThat(InstallSaFlyweight.decode(install, 0)).isEqualTo(SA_1);
            assertThat(later.typesReceivedWithin(300)).doesNotContain(ControlProtocol.INSTALL_SA,
                    ControlProtocol.REMOVE_SA, ControlProtocol.TRANSMIT);
        }
        nextHop.setSoTimeout(300);
        assertThat(Datagrams.receiveOrNull(nextHop)).isNull();
    }

    @Test
    void ikeOnAnEspInUdpRuleReachesThePolicyAndItsAnswerLeavesTheFastpathForThePeer() throws Exception {
        // Given a real fastpath, a peer, and a policy that answers the first packet from the peer's port 4500 with an
        // inbound SA in UDP and a rule that decrypts that flow, and IKE behind the non-ESP marker with a reply
        DatagramSocket peer = Datagrams.socket(BOUND);
        closeables.add(peer);
        startFastpath(1);
        await().atMost(BOUND).until(() -> slowpath.service().health().fastpaths() == 1);
        configure();
        byte[] ikeRequest = withMarker("IKE request");
        byte[] reply = ReferencePackets.udp("203.0.113.10", 4500, "198.51.100.2", 4500).vni(200)
                .payload(withMarker("IKE reply")).build();
        SecurityAssociation inbound = SecurityAssociation.inbound(3, 0x3003, new byte[20]).withUdpEncapsulation(4500,
                4500);
        List<Miss> ike = new CopyOnWriteArrayList<>();
        policy.decide = miss -> {
            if (miss.isNonEsp()) {
                ike.add(miss);
                return new Decision(List.of(new Transmit(reply, 0x7F000001, peer.getLocalPort())), false, "IKE");
            }
            return new Decision(List.of(new SecurityAssociationInstall(inbound), new FlowRuleInstall(Rule.of(
                    miss.key(), new Action.EspDecrypt(3), new Action.SetNextHop(0x7F000001, 9)))), false, "ESP");
        };
        byte[] packet = ReferencePackets.udp("198.51.100.2", 4500, "203.0.113.10", 4500).vni(200).payload(ikeRequest)
                .build();

        // When the peer sends IKE on port 4500: a miss first, then (once the fastpath has the rule, so again until
        // then) on the rule that decrypts ESP
        await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).until(() -> {
            Datagrams.send(peer, packet, dataAddress);
            return !ike.isEmpty();
        });

        // Then it reaches the policy as IKE, keyed by its outer flow, and the reply reaches the peer
        assertThat(Datagrams.receive(peer)).isEqualTo(reply);
        assertThat(ike.getFirst().key().dstPort()).isEqualTo(4500);
        assertThat(slowpath.service().stats().unsupportedPunts()).isZero();
    }

    private static byte[] withMarker(String message) {
        byte[] text = message.getBytes();
        byte[] payload = new byte[4 + text.length];
        System.arraycopy(text, 0, payload, 4, text.length);
        return payload;
    }

    @Test
    void aTimersPacketGoesByTheLowestFastpathThatTakesTransmitAndAMissesPacketByTheOneThatPunted() throws Exception {
        // Given three fastpaths, the first of which cannot transmit
        try (FakeFastpath first = FakeFastpath.registered(slowpath.controlAddress(), 1, HelloFlyweight.INSTALL_SA);
                FakeFastpath second = FakeFastpath.registered(slowpath.controlAddress(), 2, TAKES_ALL);
                FakeFastpath third = FakeFastpath.registered(slowpath.controlAddress(), 3, TAKES_ALL)) {
            await().atMost(BOUND).until(() -> slowpath.service().health().fastpaths() == 3);
            byte[] timerPacket = {1, 2, 3, 4};
            policy.timers.add(now -> Reconfiguration.transmit(List.of(new Transmit(timerPacket, 0x7F000001, 9)),
                    "keepalive"));

            // When the policy's timer sends a packet
            configure();

            // Then only the second sends it
            ByteBuffer transmit = second.receive(ControlProtocol.TRANSMIT);
            assertThat(TransmitFlyweight.nextHopPort(transmit, 0)).isEqualTo(9);
            assertThat(first.typesReceivedWithin(300)).doesNotContain(ControlProtocol.TRANSMIT);
            assertThat(third.typesReceivedWithin(300)).doesNotContain(ControlProtocol.TRANSMIT);

            // And when the third punts a miss answered with a packet, the third sends that one
            policy.decide = miss -> new Decision(List.of(new Transmit(new byte[]{5, 6}, 0x7F000001, 7)), false,
                    "answer");
            third.punt(FLOW, PUNTED);
            assertThat(TransmitFlyweight.nextHopPort(third.receive(ControlProtocol.TRANSMIT), 0)).isEqualTo(7);
            assertThat(second.typesReceivedWithin(300)).doesNotContain(ControlProtocol.TRANSMIT);
            assertThat(slowpath.service().stats().transmits()).isEqualTo(2);
        }
    }

    @Test
    void aTimerIsCalledWhenDueWithoutAnyPuntAndItsDeadlineIsAskedAgainAfterAMiss() throws Exception {
        // Given a policy configured with a timer due in 200 ms
        long configuredAt = System.currentTimeMillis();
        policy.nextTimer = configuredAt + 200;
        policy.afterTimer = Long.MAX_VALUE;
        policy.timers.add(now -> Reconfiguration.unchanged("first"));
        policy.timers.add(now -> Reconfiguration.unchanged("second"));
        configure();

        // Then its timer is called, not before its deadline, with nothing punted
        await().atMost(BOUND).until(() -> policy.timerCalls.get() == 1);
        assertThat(policy.calledAt).first().satisfies(at -> assertThat(at).isGreaterThanOrEqualTo(configuredAt + 200));

        // And when a miss sets a new deadline, that one is kept and called too
        try (FakeFastpath fastpath = FakeFastpath.registered(slowpath.controlAddress(), 1, TAKES_ALL)) {
            policy.decide = miss -> {
                policy.nextTimer = System.currentTimeMillis() + 50;
                return Decision.drop("sets a timer");
            };
            fastpath.punt(FLOW, PUNTED);
            await().atMost(BOUND).until(() -> policy.timerCalls.get() == 2);
        }
        assertThat(slowpath.service().stats().errors()).isZero();
    }

    @Test
    void aTimerThatThrowsIsCountedAndCalledAgainLaterWhileMissesAreStillDecided() throws Exception {
        // Given a policy whose first timer throws and whose second sends a packet no fastpath can send
        policy.timers.add(now -> {
            throw new IllegalStateException("boom");
        });
        policy.timers.add(now -> Reconfiguration.transmit(List.of(new Transmit(new byte[]{1}, 0x7F000001, 9)),
                "nobody can send it"));
        try (FakeFastpath old = FakeFastpath.registered(slowpath.controlAddress(), 1, HelloFlyweight.INSTALL_SA)) {
            await().atMost(BOUND).until(() -> slowpath.service().health().fastpaths() == 1);

            // When it is configured and its timer comes
            configure();

            // Then the failure is counted, the timer comes again, and its packet is counted as not sendable
            await().atMost(BOUND).until(() -> policy.timerCalls.get() == 2);
            assertThat(slowpath.service().stats().errors()).isEqualTo(1);
            await().atMost(BOUND).until(() -> slowpath.service().stats().unsupportedInstalls() == 1);
            assertThat(old.typesReceivedWithin(300)).doesNotContain(ControlProtocol.TRANSMIT);

            // And misses are still decided
            policy.decide = miss -> Decision.forward(new SecurityAssociationInstall(SA_2));
            old.punt(FLOW, PUNTED);
            assertThat(InstallSaFlyweight.decode(old.receive(ControlProtocol.INSTALL_SA), 0)).isEqualTo(SA_2);
        }
    }

    private void configure() throws Exception {
        slowpath.service().configure(new ObjectMapper().readTree("{}"));
    }

    private WorkerCounters startFastpath(int id) throws Exception {
        WorkerCounters counters = new WorkerCounters();
        ForwardingEngine engine = new ForwardingEngine(1024, 64, IdleTimeouts.NEVER);
        DatagramPacketIo data = DatagramPacketIo.bind(new InetSocketAddress(LOOPBACK, 0));
        DatagramPacketIo control = DatagramPacketIo.connect(new InetSocketAddress(LOOPBACK, 0),
                slowpath.controlAddress());
        AgentRunner runner = AgentRunner.start(new FastpathWorker(new FastpathWorker.Settings(id,
                slowpath.controlAddress(), Duration.ofMillis(100).toNanos()), data, control, engine,
                new PuntLimiter(10_000, 256), counters, NanoClock.SYSTEM), BackoffIdleStrategy.defaults());
        dataAddress = data.localAddress();
        closeables.add(data);
        closeables.add(control);
        closeables.add(engine);
        closeables.add(runner);
        return counters;
    }

    /**
     * A policy whose timer is due at {@link #nextTimer} (at once from its configuration on, unless set) while it has
     * {@link #timers} left, and answers each call with the next of them; it notes calls that overlap.
     */
    static final class TimerPolicy implements VnfPolicy {

        final Queue<LongFunction<Reconfiguration>> timers = new ConcurrentLinkedQueue<>();
        final AtomicInteger timerCalls = new AtomicInteger();
        final List<Long> calledAt = new CopyOnWriteArrayList<>();
        final AtomicInteger overlaps = new AtomicInteger();
        final List<Map<Integer, SaCounters>> saCounters = new CopyOnWriteArrayList<>();
        private final AtomicBoolean inside = new AtomicBoolean();
        volatile long nextTimer = Long.MAX_VALUE;
        /** The deadline after each timer call that did not throw (at once by default). */
        volatile long afterTimer = 0;
        volatile Function<Miss, Decision> decide = miss -> Decision.drop("no decision");
        private boolean configured;

        @Override
        public String vnfType() {
            return "timer";
        }

        @Override
        public boolean configure(JsonNode config) {
            enter();
            try {
                configured = true;
                if (nextTimer == Long.MAX_VALUE) {
                    nextTimer = 0;
                }
                return false;
            } finally {
                leave();
            }
        }

        @Override
        public Decision onMiss(Miss miss) {
            enter();
            try {
                return decide.apply(miss);
            } finally {
                leave();
            }
        }

        @Override
        public long nextTimerMillis() {
            return configured && !timers.isEmpty() ? nextTimer : Long.MAX_VALUE;
        }

        @Override
        public Reconfiguration onTimer(long nowMillis) {
            enter();
            try {
                calledAt.add(nowMillis);
                timerCalls.incrementAndGet();
                Reconfiguration answer = timers.remove().apply(nowMillis);
                nextTimer = afterTimer;
                return answer;
            } finally {
                leave();
            }
        }

        @Override
        public void onSecurityAssociationCounters(Map<Integer, SaCounters> bySlot) {
            enter();
            try {
                saCounters.add(bySlot);
            } finally {
                leave();
            }
        }

        private void enter() {
            if (!inside.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
            }
        }

        private void leave() {
            inside.set(false);
        }
    }
}
