package io.isthmus.fastpath.worker;

import static io.isthmus.fastpath.worker.FastpathWorkerTest.drain;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FastpathStats;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.Route;
import io.isthmus.control.Rule;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.FlowDumpFlyweight;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.InstallRouteFlyweight;
import io.isthmus.control.message.InstallSaFlyweight;
import io.isthmus.control.message.RemoveFlyweight;
import io.isthmus.control.message.RemoveSaFlyweight;
import io.isthmus.control.message.RouteBatchFlyweight;
import io.isthmus.control.message.TransmitFlyweight;
import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.flow.RouteTable;
import io.isthmus.fastpath.io.RingPacketIo;
import io.isthmus.fastpath.testing.ReferenceEsp;
import io.isthmus.fastpath.testing.ReferencePackets;

/** A worker applies the slowpath's SAs and routes (INSTALL_SA, REMOVE_SA, INSTALL_ROUTE, ROUTE_BATCH). */
class FastpathWorkerInstallsTest {

    private static final long SECOND = 1_000_000_000L;
    private static final InetSocketAddress SLOWPATH = new InetSocketAddress("127.0.0.1", 40300);

    private final RingPacketIo data = new RingPacketIo(64, 65_536, new InetSocketAddress("127.0.0.1", 40100));
    private final RingPacketIo control = new RingPacketIo(64, 65_536, new InetSocketAddress("127.0.0.1", 40200));
    private final WorkerCounters counters = new WorkerCounters();
    private final ForwardingEngine engine = new ForwardingEngine(64, 8);
    private final FastpathWorker worker = new FastpathWorker(new FastpathWorker.Settings(1, SLOWPATH, SECOND), data,
            control, engine, new PuntLimiter(1000, 2), counters, () -> 5 * SECOND);
    private final ByteBuffer message = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);
    private final byte[] key = new byte[20];

    @Test
    void announcesInItsHelloThatItTakesSasRoutesRouteBatchesTransmitsFlowDumpsAndCounterGroups() {
        worker.doWork();

        ByteBuffer hello = ByteBuffer.wrap(drain(control).get(0).bytes());
        assertThat(HelloFlyweight.flags(hello, 0)).isEqualTo(HelloFlyweight.REINJECT_BATCH
                | HelloFlyweight.INSTALL_SA | HelloFlyweight.INSTALL_ROUTE | HelloFlyweight.ROUTE_BATCH
                | HelloFlyweight.TRANSMIT | HelloFlyweight.TIMEOUTS | HelloFlyweight.FLOW_DUMP
                | HelloFlyweight.COUNT_GROUPS | HelloFlyweight.ESP_EXTENDED | HelloFlyweight.ROUTE_TABLES);
    }

    @Test
    void answersAFlowDumpRequestWithEveryRuleAsTheSlowpathInstalledItTheLastMessageFlagged() {
        // Given 60 rules (more than one datagram holds), each a NAT-like program with a next hop
        List<Rule> installed = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            installed.add(Rule.of(new FlowKey(100, FlowKey.TCP, 0x0A000005, 0xC6336407, 40000 + i, 80),
                    new Action.RewriteSource(0xCB00710A, 20000 + i), new Action.SetVni(200),
                    new Action.DecrementTtl(), new Action.SetNextHop(0x7F000001, 4789), new Action.Count()));
        }
        offer(InstallFlyweight.encode(message, 0, 1, 1, installed));
        drain(control);

        // When the slowpath asks for them
        offer(FlowDumpFlyweight.encodeRequest(message, 0, 1, 2));

        // Then FLOW_DUMPs of one datagram each carry them all, only the last one flagged LAST
        List<FastpathWorkerTest.Sent> dumps = drain(control);
        assertThat(dumps).hasSizeGreaterThan(1).allSatisfy(d -> assertThat(d.bytes().length)
                .isLessThanOrEqualTo(ControlProtocol.MAX_BATCH_BYTES));
        List<Rule> dumped = new ArrayList<>();
        for (int i = 0; i < dumps.size(); i++) {
            ByteBuffer dump = ByteBuffer.wrap(dumps.get(i).bytes());
            assertThat(ControlProtocol.type(dump, 0)).isEqualTo(ControlProtocol.FLOW_DUMP);
            assertThat(FlowDumpFlyweight.isLast(dump, 0, dump.limit())).isEqualTo(i == dumps.size() - 1);
            dumped.addAll(FlowDumpFlyweight.rules(dump, 0, dump.limit()));
        }
        assertThat(dumped).containsExactlyInAnyOrderElementsOf(installed);
    }

    @Test
    void anEmptyTableAnswersWithOneLastDumpOfNoRule() {
        offer(FlowDumpFlyweight.encodeRequest(message, 0, 1, 1));

        List<ByteBuffer> dumps = drain(control).stream().map(d -> ByteBuffer.wrap(d.bytes()))
                .filter(d -> ControlProtocol.type(d, 0) == ControlProtocol.FLOW_DUMP).toList();
        assertThat(dumps).hasSize(1);
        assertThat(FlowDumpFlyweight.isLast(dumps.get(0), 0, dumps.get(0).limit())).isTrue();
        assertThat(FlowDumpFlyweight.rules(dumps.get(0), 0, dumps.get(0).limit())).isEmpty();
    }

    @Test
    void sendsAPacketTheSlowpathMadeAsItIsToTheNextHopItNames() {
        byte[] packet = ReferencePackets.udp("203.0.113.10", 0, "10.0.0.5", 33434).vni(100).build();

        offer(TransmitFlyweight.encode(message, 0, 1, 1, Ipv4Addresses.parse("127.0.0.9"), 4789, packet));

        List<FastpathWorkerTest.Sent> sent = drain(data);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).destination()).isEqualTo(new InetSocketAddress("127.0.0.9", 4789));
        assertThat(sent.get(0).bytes()).isEqualTo(packet);
        assertThat(engine.flowCount()).isZero();
    }

    @Test
    void aTransmitWithoutAPortOrCutShortIsAnError() {
        byte[] packet = ReferencePackets.udp("203.0.113.10", 0, "10.0.0.5", 33434).vni(100).build();

        offer(TransmitFlyweight.encode(message, 0, 1, 1, Ipv4Addresses.parse("127.0.0.9"), 0, packet));
        int length = TransmitFlyweight.encode(message, 0, 1, 2, Ipv4Addresses.parse("127.0.0.9"), 4789, packet);
        offer(length - 1);

        assertThat(drain(data)).isEmpty();
        assertThat(counters.get(FastpathStats.BAD_CONTROL_MESSAGES_INDEX)).isEqualTo(2);
    }

    @Test
    void installsAnOutboundAndAnInboundSaAndRemovesOne() {
        // When the slowpath installs two SAs
        offer(InstallSaFlyweight.encode(message, 0, 1, 1,
                SecurityAssociation.outbound(2, 0x1001, key, Ipv4Addresses.parse("198.51.100.1"), 0x0A0A0A0A)));
        offer(InstallSaFlyweight.encode(message, 0, 1, 2, SecurityAssociation.inbound(3, 0x2002, key)));

        // Then the SA table holds them, and they are counted
        assertThat(engine.securityAssociations().isOutbound(2)).isTrue();
        assertThat(engine.securityAssociations().spi(2)).isEqualTo(0x1001);
        assertThat(engine.securityAssociations().tunnelSource(2)).isEqualTo(Ipv4Addresses.parse("198.51.100.1"));
        assertThat(engine.securityAssociations().tunnelDestination(2)).isEqualTo(0x0A0A0A0A);
        assertThat(engine.securityAssociations().isInbound(3)).isTrue();
        assertThat(counters.get(FastpathStats.SA_INSTALLS_INDEX)).isEqualTo(2);

        // And a REMOVE_SA empties its slot
        offer(RemoveSaFlyweight.encode(message, 0, 1, 3, 3));
        assertThat(engine.securityAssociations().isInbound(3)).isFalse();
        assertThat(counters.get(FastpathStats.ERRORS_INDEX)).isZero();
    }

    @Test
    void anSaInstalledOverTheProtocolEncryptsTheFlowOfARuleThatNamesIt() throws Exception {
        // Given an outbound SA installed with INSTALL_SA, and a rule encrypting a flow with it
        byte[] material = new byte[28];
        Arrays.fill(material, (byte) 0x5A);
        int local = Ipv4Addresses.parse("198.51.100.1");
        int peer = Ipv4Addresses.parse("198.51.100.2");
        offer(InstallSaFlyweight.encode(message, 0, 1, 1, SecurityAssociation.outbound(4, 0x4004, material, local,
                peer)));
        byte[] inner = ReferencePackets.udp("10.1.0.5", 40001, "10.2.0.9", 53).vni(100).build();
        FlowKey flow = new FlowKey(100, FlowKey.UDP, Ipv4Addresses.parse("10.1.0.5"), Ipv4Addresses.parse("10.2.0.9"),
                40001, 53);
        offer(InstallFlyweight.encode(message, 0, 1, 2, List.of(Rule.of(flow, new Action.EspEncrypt(4),
                new Action.SetNextHop(peer, 4789)))));

        // When a packet of the flow arrives
        data.offer(inner);
        worker.doWork();

        // Then it leaves as ESP that the reference opens with the key the slowpath sent
        List<FastpathWorkerTest.Sent> sent = drain(data);
        assertThat(sent).hasSize(1);
        ReferenceEsp.Opened opened = ReferenceEsp.open(ReferencePackets.ipv4(sent.get(0).bytes()), material);
        assertThat(opened.spi()).isEqualTo(0x4004);
        assertThat(opened.outerDst()).isEqualTo(peer);
        assertThat(opened.inner()).isEqualTo(ReferencePackets.ipv4(inner));
    }

    @Test
    void anSaBeyondItsTableIsRejectedAndAMalformedOneIsAnError() {
        offer(InstallSaFlyweight.encode(message, 0, 1, 1,
                SecurityAssociation.inbound(ForwardingEngine.DEFAULT_SECURITY_ASSOCIATIONS, 0x1001, key)));
        assertThat(counters.get(FastpathStats.INSTALL_REJECTS_INDEX)).isEqualTo(1);

        int length = InstallSaFlyweight.encode(message, 0, 1, 2, SecurityAssociation.inbound(1, 0x1001, key));
        offer(length - 1);
        assertThat(counters.get(FastpathStats.ERRORS_INDEX)).isEqualTo(1);
        assertThat(engine.securityAssociations().isInbound(1)).isFalse();
    }

    @Test
    void installsARouteABatchOfRoutesAndAWithdrawal() {
        // When a route and a batch of 91 are installed
        offer(InstallRouteFlyweight.encode(message, 0, 1, 1, Route.of("0.0.0.0/0", 1, 0x7F000001, 4789)));
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < RouteBatchFlyweight.MAX_ROUTES; i++) {
            routes.add(new Route(0x0A000000 | (i << 16), 16, 100 + i, 0x7F000002, 4789));
        }
        offer(RouteBatchFlyweight.encode(message, 0, 1, 2, routes, false));

        // Then lookups find them, and the routes gauge says how many there are
        RouteTable table = engine.routes();
        assertThat(table.vni(table.lookup(Ipv4Addresses.parse("10.7.1.1")))).isEqualTo(107);
        assertThat(table.vni(table.lookup(Ipv4Addresses.parse("192.0.2.1")))).isEqualTo(1);
        assertThat(counters.get(FastpathStats.ROUTES_INDEX)).isEqualTo(92);

        // And a withdrawal uncovers the default route
        offer(InstallRouteFlyweight.encodeWithdraw(message, 0, 1, 3, 0x0A070000, 16));
        assertThat(table.vni(table.lookup(Ipv4Addresses.parse("10.7.1.1")))).isEqualTo(1);
        assertThat(counters.get(FastpathStats.ROUTES_INDEX)).isEqualTo(91);
    }

    @Test
    void aRuleThatLooksUpRoutesSendsEachPacketWhereItsDestinationsLongestRouteSays() {
        // Given a /8 and a more specific /24 towards two next hops, and a routed rule for each of two flows
        int hopA = Ipv4Addresses.parse("127.0.0.1");
        int hopB = Ipv4Addresses.parse("127.0.0.2");
        offer(RouteBatchFlyweight.encode(message, 0, 1, 1, List.of(Route.of("10.0.0.0/8", 300, hopA, 4789),
                Route.of("10.2.0.0/24", 400, hopB, 4790)), false));
        byte[] wide = ReferencePackets.udp("10.1.0.5", 40001, "10.9.0.9", 53).vni(100).build();
        byte[] narrow = ReferencePackets.udp("10.1.0.5", 40001, "10.2.0.9", 53).vni(100).build();
        byte[] unrouted = ReferencePackets.udp("10.1.0.5", 40001, "192.168.0.9", 53).vni(100).build();
        offer(InstallFlyweight.encode(message, 0, 1, 2, List.of(routed(wide), routed(narrow), routed(unrouted))));

        // When a packet of each arrives
        data.offer(wide);
        data.offer(narrow);
        data.offer(unrouted);
        worker.doWork();

        // Then each routed one leaves on its route's VNI to its route's next hop, and the unrouted one is dropped
        List<FastpathWorkerTest.Sent> sent = drain(data);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).destination()).isEqualTo(new InetSocketAddress("127.0.0.1", 4789));
        assertThat(ReferencePackets.decode(sent.get(0).bytes()).vni()).isEqualTo(300);
        assertThat(sent.get(1).destination()).isEqualTo(new InetSocketAddress("127.0.0.2", 4790));
        assertThat(ReferencePackets.decode(sent.get(1).bytes()).vni()).isEqualTo(400);
        assertThat(ReferencePackets.decode(sent.get(1).bytes()).ttl()).isEqualTo(63);
        assertThat(counters.get(FastpathStats.DROPS_INDEX)).isEqualTo(1);
        assertThat(counters.get(FastpathStats.ERRORS_INDEX)).isZero();
    }

    /** A rule for the packet's flow that decrements the TTL and routes it. */
    private static Rule routed(byte[] packet) {
        ReferencePackets.Decoded decoded = ReferencePackets.decode(packet);
        FlowKey key = new FlowKey(decoded.vni(), FlowKey.UDP, decoded.srcAddress(), decoded.dstAddress(),
                decoded.srcPort(), decoded.dstPort());
        return Rule.of(key, new Action.DecrementTtl(), new Action.RouteLookup());
    }

    @Test
    void aMalformedRouteBatchInstallsNothingAndIsAnError() {
        int length = RouteBatchFlyweight.encode(message, 0, 1, 1, List.of(Route.of("10.0.0.0/8", 1, 2, 3)), false);

        offer(length - 3);

        assertThat(engine.routes().size()).isZero();
        assertThat(counters.get(FastpathStats.ERRORS_INDEX)).isEqualTo(1);
    }

    @Test
    void aRemoveOfAllRulesAlsoForgetsRoutesAndSas() {
        // Given a route and an SA
        offer(InstallRouteFlyweight.encode(message, 0, 1, 1, Route.of("10.0.0.0/8", 1, 2, 3)));
        offer(InstallSaFlyweight.encode(message, 0, 1, 2, SecurityAssociation.inbound(1, 0x1001, key)));

        // When a slowpath starts the fastpath afresh
        offer(RemoveFlyweight.encodeAll(message, 0, 1, 3));

        // Then both are gone: the slowpath sends again what it installed
        assertThat(engine.routes().size()).isZero();
        assertThat(engine.securityAssociations().isInbound(1)).isFalse();
        assertThat(counters.get(FastpathStats.ROUTES_INDEX)).isZero();
    }

    private void offer(int length) {
        control.offer(message, 0, length);
        worker.doWork();
    }
}
