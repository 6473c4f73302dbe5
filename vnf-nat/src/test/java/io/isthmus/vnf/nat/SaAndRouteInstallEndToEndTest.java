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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.Route;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.flow.IdleTimeouts;
import io.isthmus.fastpath.flow.RouteTable;
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
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.RouteBatchInstall;
import io.isthmus.slowpath.policy.SecurityAssociationInstall;
import io.isthmus.slowpath.policy.VnfPolicy;

/**
 * A real slowpath and a real fastpath worker over loopback UDP: a policy whose decision carries an SA and a batch of
 * routes besides the NAT's rules gets them into the worker's SA and route tables, through INSTALL_SA and
 * ROUTE_BATCH, and the packet still leaves translated.
 */
class SaAndRouteInstallEndToEndTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final SecurityAssociation SA = SecurityAssociation.outbound(5, 0x5005, new byte[28],
            Ipv4Addresses.parse("198.51.100.1"), Ipv4Addresses.parse("198.51.100.2"));

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();

    @AfterEach
    void stop() {
        for (AutoCloseable c : closeables.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void anSaAndARouteBatchDecidedOnAMissEndUpInTheFastpathsTables() throws Exception {
        // Given a NAT whose decisions also install an SA and 150 routes (two ROUTE_BATCHes)
        for (int i = 0; i < 150; i++) {
            routes.add(new Route(0x0A000000 | (i << 8), 24, 1000 + i, Ipv4Addresses.parse("127.0.0.1"), 4789));
        }
        NatPolicy nat = new NatPolicy();
        VnfPolicy policy = new VnfPolicy() {
            @Override
            public String vnfType() {
                return nat.vnfType();
            }

            @Override
            public boolean configure(JsonNode config) throws InvalidConfigException {
                return nat.configure(config);
            }

            @Override
            public Decision onMiss(Miss miss) {
                return nat.onMiss(miss).with(new SecurityAssociationInstall(SA), new RouteBatchInstall(routes));
            }
        };
        Slowpath slowpath = Slowpath.start(SlowpathOptions.of("nat", "vnf-installs", LOOPBACK, 0, 0), policy,
                Clock.systemUTC());
        closeables.add(slowpath);
        DatagramSocket inside = socket();
        DatagramSocket outside = socket();
        slowpath.service().configure(new ObjectMapper().readTree("""
                {"publicAddress":"203.0.113.10","portRangeStart":20000,"portRangeEnd":29999,
                 "insideVni":100,"outsideVni":200,
                 "insideNextHop":"127.0.0.1:9","outsideNextHop":"127.0.0.1:%d"}"""
                .formatted(outside.getLocalPort())));

        // And a real fastpath worker registered with it
        WorkerCounters counters = new WorkerCounters();
        ForwardingEngine engine = new ForwardingEngine(1024, 64, IdleTimeouts.NEVER);
        DatagramPacketIo data = DatagramPacketIo.bind(new InetSocketAddress(LOOPBACK, 0));
        DatagramPacketIo control = DatagramPacketIo.connect(new InetSocketAddress(LOOPBACK, 0),
                slowpath.controlAddress());
        AgentRunner runner = AgentRunner.start(new FastpathWorker(new FastpathWorker.Settings(1,
                slowpath.controlAddress(), Duration.ofMillis(100).toNanos()), data, control, engine,
                new PuntLimiter(10_000, 256), counters, NanoClock.SYSTEM), BackoffIdleStrategy.defaults());
        closeables.add(data);
        closeables.add(control);
        closeables.add(engine);
        closeables.add(runner);
        await().atMost(BOUND).until(() -> slowpath.service().health().fastpaths() == 1);

        // When an inside packet misses
        byte[] packet = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).vni(100).payload(new byte[8])
                .build();
        inside.send(new DatagramPacket(packet, packet.length, data.localAddress()));

        // Then it leaves translated, and the worker counted the SA and the routes
        assertThat(ReferencePackets.decode(Datagrams.receive(outside)).src()).isEqualTo("203.0.113.10");
        await().atMost(BOUND).until(() -> counters.get(FastpathStats.ROUTES_INDEX) == routes.size()
                && counters.get(FastpathStats.SA_INSTALLS_INDEX) == 1);
        assertThat(slowpath.service().stats().unsupportedInstalls()).isZero();

        // And once the worker has stopped, its tables hold them
        runner.close();
        assertThat(engine.securityAssociations().isOutbound(5)).isTrue();
        assertThat(engine.securityAssociations().spi(5)).isEqualTo(0x5005);
        assertThat(engine.securityAssociations().tunnelDestination(5)).isEqualTo(SA.tunnelDestination());
        RouteTable table = engine.routes();
        assertThat(table.size()).isEqualTo(150);
        int node = table.lookup(Ipv4Addresses.parse("10.0.149.7"));
        assertThat(node).isNotEqualTo(RouteTable.MISSING);
        assertThat(table.vni(node)).isEqualTo(1149);
        assertThat(table.lookup(Ipv4Addresses.parse("10.0.150.7"))).isEqualTo(RouteTable.MISSING);
    }

    private DatagramSocket socket() throws Exception {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        socket.setSoTimeout((int) BOUND.toMillis());
        closeables.add(socket);
        return socket;
    }
}
