package io.isthmus.vnf.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.message.HelloFlyweight;
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
import io.isthmus.slowpath.Slowpath;
import io.isthmus.slowpath.SlowpathOptions;

/**
 * Idle expiry end to end: real fastpath workers with a short idle timeout drop idle rules and report them
 * (FLOW_EXPIRED); the slowpath keeps the NAT binding while the flow is busy on any fastpath and releases it once both
 * its directions are idle everywhere.
 */
class NatIdleExpiryEndToEndTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration IDLE = Duration.ofMillis(400);
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final NatPolicy policy = new NatPolicy();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private Slowpath slowpath;
    private DatagramSocket inside;
    private DatagramSocket outsideNextHop;

    @BeforeEach
    void start() throws Exception {
        slowpath = Slowpath.start(SlowpathOptions.of("nat", "vnf-idle", LOOPBACK, 0, 0), policy, Clock.systemUTC());
        closeables.add(slowpath);
        inside = socket();
        outsideNextHop = socket();
        slowpath.service().configure(new ObjectMapper().readTree("""
                {"publicAddress":"203.0.113.10","portRangeStart":20000,"portRangeEnd":29999,
                 "insideVni":100,"outsideVni":200,
                 "insideNextHop":"127.0.0.1:9","outsideNextHop":"127.0.0.1:%d"}"""
                .formatted(outsideNextHop.getLocalPort())));
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        for (AutoCloseable c : closeables.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void aBindingOutlivesIdleCopiesOfItsRulesAndIsReleasedWhenTheFlowIsIdleEverywhere() throws Exception {
        // Given two fastpaths whose rules expire after 400 ms without a packet
        InetSocketAddress one = worker(1);
        worker(2);
        await().atMost(BOUND).until(() -> slowpath.service().health().fastpaths() == 2);

        // And an outbound flow kept busy through fastpath 1 only, which never gets a reply
        byte[] packet = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).vni(100).payload(new byte[8])
                .build();
        inside.send(new DatagramPacket(packet, packet.length, one));
        int port = ReferencePackets.decode(receive()).srcPort();
        ScheduledFuture<?> busy = scheduler.scheduleAtFixedRate(() -> {
            try {
                inside.send(new DatagramPacket(packet, packet.length, one));
            } catch (Exception e) {
                // the next one will do
            }
        }, 50, 50, TimeUnit.MILLISECONDS);

        // Then while it is busy the copies of its rules expire elsewhere, but the binding stays
        await().atMost(BOUND).until(() -> slowpath.service().stats().expiryReports() >= 3);
        await().during(IDLE.multipliedBy(2)).atMost(BOUND).until(() -> policy.bindingCount() == 1);

        // When the flow falls silent
        busy.cancel(false);

        // Then once its forward rule expires in fastpath 1 too, the binding is released and its rules removed
        await().atMost(BOUND).until(() -> policy.bindingCount() == 0);
        assertThat(slowpath.service().stats().expiredFlows()).isEqualTo(2);
        assertThat(slowpath.service().stats().removes()).isEqualTo(2);

        // And the same inside endpoint starting again is bound afresh: its old port was given back
        drain();
        inside.send(new DatagramPacket(packet, packet.length, one));
        assertThat(ReferencePackets.decode(receive()).srcPort()).isBetween(20000, 29999).isNotEqualTo(port);
        assertThat(policy.bindingCount()).isEqualTo(1);
    }

    /** A fastpath worker assembled as {@code Fastpath.start} does, with a short idle timeout. */
    private InetSocketAddress worker(int id) {
        DatagramPacketIo data = DatagramPacketIo.bind(new InetSocketAddress(LOOPBACK, 0));
        DatagramPacketIo control = DatagramPacketIo.connect(new InetSocketAddress(LOOPBACK, 0),
                slowpath.controlAddress());
        ForwardingEngine engine = new ForwardingEngine(1024, 64, IdleTimeouts.all(IDLE));
        // it keeps its own short idle timeout: it does not announce TIMEOUTS, which would set the NAT's (RFC-long)
        FastpathWorker worker = new FastpathWorker(new FastpathWorker.Settings(id, slowpath.controlAddress(),
                Duration.ofMillis(100).toNanos(), FastpathWorker.HELLO_FLAGS & ~HelloFlyweight.TIMEOUTS), data,
                control, engine, new PuntLimiter(10_000, 256),
                new WorkerCounters(), NanoClock.SYSTEM);
        AgentRunner runner = AgentRunner.start(worker, BackoffIdleStrategy.defaults());
        closeables.add(data);
        closeables.add(control);
        closeables.add(engine);
        closeables.add(runner);
        return data.localAddress();
    }

    private byte[] receive() throws Exception {
        return Datagrams.receive(outsideNextHop);
    }

    /** Reads what the busy period left, until the socket is quiet. */
    private void drain() throws Exception {
        Datagrams.drain(outsideNextHop, 100, (int) BOUND.toMillis());
    }

    private DatagramSocket socket() throws Exception {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        socket.setSoTimeout((int) BOUND.toMillis());
        closeables.add(socket);
        return socket;
    }
}
