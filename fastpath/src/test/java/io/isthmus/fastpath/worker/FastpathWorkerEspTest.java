package io.isthmus.fastpath.worker;

import static io.isthmus.fastpath.worker.FastpathWorkerTest.drain;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FastpathStats;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.PuntReason;
import io.isthmus.control.Rule;
import io.isthmus.control.SaCounters;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.InstallSaFlyweight;
import io.isthmus.control.message.PuntFlyweight;
import io.isthmus.control.message.StatsRequestFlyweight;
import io.isthmus.control.message.StatsResponseFlyweight;
import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.io.RingPacketIo;
import io.isthmus.fastpath.testing.ReferenceEsp;
import io.isthmus.fastpath.testing.ReferencePackets;

/**
 * A worker's ESP in UDP (RFC 3948) as a VPN gateway uses it: one ESP_DECRYPT rule on the peer's outer flow to port
 * 4500 decrypts, punts IKE behind the non-ESP marker as NON_ESP, drops NAT keepalives, and the SAs' counters go to the
 * slowpath in STATS_RESPONSE; a worker that does not announce ESP_EXTENDED answers as before.
 */
class FastpathWorkerEspTest {

    private static final long SECOND = 1_000_000_000L;
    private static final InetSocketAddress SLOWPATH = new InetSocketAddress("127.0.0.1", 40301);
    private static final int SPI = 0xC0DE_0001;
    private static final int PUBLIC = Ipv4Addresses.parse("192.0.2.1");
    private static final int PEER = Ipv4Addresses.parse("198.51.100.7");

    private final RingPacketIo data = new RingPacketIo(64, 65_536, new InetSocketAddress("127.0.0.1", 40101));
    private final RingPacketIo control = new RingPacketIo(64, 65_536, new InetSocketAddress("127.0.0.1", 40201));
    private final WorkerCounters counters = new WorkerCounters();
    private final ForwardingEngine engine = new ForwardingEngine(64, 8);
    private final ByteBuffer message = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);
    private final byte[] key = new byte[20];
    private final byte[] inner = ReferencePackets.udp("10.9.0.5", 5000, "10.1.0.9", 53).vni(300)
            .payload("to the VPC".getBytes()).build();
    private final FlowKey outerFlow = new FlowKey(300, FlowKey.UDP, PEER, PUBLIC, 4500, 4500);

    FastpathWorkerEspTest() {
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i + 1);
        }
    }

    private FastpathWorker worker(int helloFlags) {
        return new FastpathWorker(new FastpathWorker.Settings(1, SLOWPATH, SECOND, helloFlags), data, control, engine,
                new PuntLimiter(1000, 10), counters, () -> 5 * SECOND);
    }

    @Test
    void oneRuleOnThePeersPort4500FlowDecryptsEspPuntsIkeAndDropsKeepalives() throws Exception {
        // Given an inbound SA with UDP encapsulation and a rule decrypting the peer's outer flow into VNI 100
        FastpathWorker worker = worker(FastpathWorker.HELLO_FLAGS);
        offer(worker, InstallSaFlyweight.encode(message, 0, 1, 1,
                SecurityAssociation.inbound(5, SPI, key).withUdpEncapsulation(4500, 4500).withEsn(true), true));
        offer(worker, InstallFlyweight.encode(message, 0, 1, 2, List.of(Rule.of(outerFlow, new Action.EspDecrypt(5),
                new Action.SetVni(100), new Action.SetNextHop(Ipv4Addresses.parse("10.0.0.2"), 4789)))));
        drain(control);

        // When ESP in UDP, IKE behind the non-ESP marker and a NAT keepalive arrive on that flow
        data.offer(ReferencePackets.vxlan(300, ReferenceEsp.seal(ReferencePackets.ipv4(inner),
                ReferenceEsp.Seal.of(SPI, 1).withEsn().inUdp(4500, 4500), key, PEER, PUBLIC)));
        byte[] ike = ReferencePackets.udp("198.51.100.7", 4500, "192.0.2.1", 4500).vni(300)
                .payload(new byte[]{0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0x21, 0x20, 0x22, 0x08}).build();
        data.offer(ike);
        data.offer(ReferencePackets.udp("198.51.100.7", 4500, "192.0.2.1", 4500).vni(300)
                .payload(new byte[]{(byte) 0xFF}).build());
        worker.doWork();

        // Then the ESP leaves decrypted into VNI 100
        List<FastpathWorkerTest.Sent> sent = drain(data);
        assertThat(sent).hasSize(1);
        assertThat(ReferencePackets.ipv4(sent.get(0).bytes())).isEqualTo(ReferencePackets.ipv4(inner));
        assertThat(ReferencePackets.decode(sent.get(0).bytes()).vni()).isEqualTo(100);

        // And the IKE packet is punted as NON_ESP, keyed by its outer flow, as it came
        List<FastpathWorkerTest.Sent> punts = drain(control);
        assertThat(punts).hasSize(1);
        ByteBuffer punt = ByteBuffer.wrap(punts.get(0).bytes());
        assertThat(PuntFlyweight.reason(punt, 0)).isEqualTo(PuntReason.NON_ESP);
        assertThat(PuntFlyweight.key(punt, 0)).isEqualTo(outerFlow);
        byte[] carried = new byte[PuntFlyweight.packetLength(punt, 0)];
        punt.get(PuntFlyweight.PACKET_OFFSET, carried);
        assertThat(carried).isEqualTo(ike);

        // And the keepalive is dropped and counted, not an ESP error
        assertThat(counters.get(FastpathStats.NAT_KEEPALIVES_INDEX)).isEqualTo(1);
        assertThat(counters.get(FastpathStats.ESP_ERRORS_INDEX)).isZero();

        // And STATS_RESPONSE carries the SA's counters
        offer(worker, StatsRequestFlyweight.encode(message, 0, 1, 9));
        ByteBuffer response = ByteBuffer.wrap(drain(control).get(0).bytes());
        FastpathStats stats = StatsResponseFlyweight.decode(response, 0, response.capacity());
        assertThat(stats.securityAssociations()).containsExactly(
                new SaCounters(5, SPI, 1, ReferencePackets.ipv4(inner).length, 0, 0, 0));
        assertThat(stats.natKeepalives()).isEqualTo(1);
    }

    @Test
    void anInstallSaWithSelectorsLetsInOnlyTheirAddressesAndCountsTheRestAsEspErrors() throws Exception {
        // Given an inbound SA, installed by the extended INSTALL_SA, letting in 10.9.0.0/16 to 10.1.0.0/24
        FastpathWorker worker = worker(FastpathWorker.HELLO_FLAGS);
        offer(worker, InstallSaFlyweight.encode(message, 0, 1, 1,
                SecurityAssociation.inbound(3, SPI, key).withUdpEncapsulation(4500, 4500).withSelectors(
                        List.of(SecurityAssociation.AddressRange.prefix(Ipv4Addresses.parse("10.9.0.0"), 16)),
                        List.of(SecurityAssociation.AddressRange.prefix(Ipv4Addresses.parse("10.1.0.0"), 24))),
                true));
        offer(worker, InstallFlyweight.encode(message, 0, 1, 2, List.of(Rule.of(outerFlow, new Action.EspDecrypt(3),
                new Action.SetNextHop(Ipv4Addresses.parse("10.0.0.2"), 4789)))));
        drain(control);

        // When the peer sends, with the right keys, one packet within them and one from an address outside them
        byte[] spoofed = ReferencePackets.udp("10.1.0.66", 5000, "10.1.0.9", 53).vni(300)
                .payload("from inside the VPC?".getBytes()).build();
        data.offer(ReferencePackets.vxlan(300, ReferenceEsp.seal(ReferencePackets.ipv4(inner),
                ReferenceEsp.Seal.of(SPI, 1).inUdp(4500, 4500), key, PEER, PUBLIC)));
        data.offer(ReferencePackets.vxlan(300, ReferenceEsp.seal(ReferencePackets.ipv4(spoofed),
                ReferenceEsp.Seal.of(SPI, 2).inUdp(4500, 4500), key, PEER, PUBLIC)));
        worker.doWork();

        // Then only the first leaves; the other is an ESP error and one of the SA's other drops
        List<FastpathWorkerTest.Sent> sent = drain(data);
        assertThat(sent).hasSize(1);
        assertThat(ReferencePackets.ipv4(sent.get(0).bytes())).isEqualTo(ReferencePackets.ipv4(inner));
        assertThat(counters.get(FastpathStats.ESP_ERRORS_INDEX)).isEqualTo(1);
        drain(control);
        offer(worker, StatsRequestFlyweight.encode(message, 0, 1, 9));
        ByteBuffer response = ByteBuffer.wrap(drain(control).get(0).bytes());
        assertThat(StatsResponseFlyweight.decode(response, 0, response.capacity()).securityAssociations())
                .containsExactly(new SaCounters(3, SPI, 1, ReferencePackets.ipv4(inner).length, 0, 0, 1));
    }

    @Test
    void aReplayedAndAForgedPacketAreDroppedAndCountedOnTheirSa() throws Exception {
        FastpathWorker worker = worker(FastpathWorker.HELLO_FLAGS);
        offer(worker, InstallSaFlyweight.encode(message, 0, 1, 1,
                SecurityAssociation.inbound(2, SPI, key).withUdpEncapsulation(4500, 4500), true));
        offer(worker, InstallFlyweight.encode(message, 0, 1, 2, List.of(Rule.of(outerFlow, new Action.EspDecrypt(2),
                new Action.SetNextHop(Ipv4Addresses.parse("10.0.0.2"), 4789)))));
        byte[] esp = ReferencePackets.vxlan(300, ReferenceEsp.seal(ReferencePackets.ipv4(inner),
                ReferenceEsp.Seal.of(SPI, 7).inUdp(4500, 4500), key, PEER, PUBLIC));
        byte[] forged = ReferencePackets.vxlan(300, ReferenceEsp.seal(ReferencePackets.ipv4(inner),
                ReferenceEsp.Seal.of(SPI, 8).inUdp(4500, 4500), key, PEER, PUBLIC));
        forged[forged.length - 3] ^= 0x40;

        data.offer(esp);
        data.offer(esp);
        data.offer(forged);
        worker.doWork();

        assertThat(drain(data)).hasSize(1);
        assertThat(counters.get(FastpathStats.ESP_ERRORS_INDEX)).isEqualTo(2);
        drain(control);
        offer(worker, StatsRequestFlyweight.encode(message, 0, 1, 9));
        ByteBuffer response = ByteBuffer.wrap(drain(control).get(0).bytes());
        assertThat(StatsResponseFlyweight.decode(response, 0, response.capacity()).securityAssociations())
                .containsExactly(new SaCounters(2, SPI, 1, ReferencePackets.ipv4(inner).length, 1, 1, 0));
    }

    @Test
    void aWorkerWithoutEspExtendedTakesTheFirstInstallSaAndAnswersStatsWithoutSas() throws Exception {
        // Given a worker announcing what the version before ESP_EXTENDED did, and an SA of the first version
        FastpathWorker worker = worker(FastpathWorker.HELLO_FLAGS & ~HelloFlyweight.ESP_EXTENDED);
        int local = Ipv4Addresses.parse("192.0.2.1");
        offer(worker, InstallSaFlyweight.encode(message, 0, 1, 1, SecurityAssociation.outbound(1, SPI, key, local,
                PEER)));
        FlowKey flow = new FlowKey(100, FlowKey.UDP, Ipv4Addresses.parse("10.1.0.5"), Ipv4Addresses.parse("10.9.0.9"),
                40001, 53);
        offer(worker, InstallFlyweight.encode(message, 0, 1, 2, List.of(Rule.of(flow, new Action.EspEncrypt(1),
                new Action.SetNextHop(PEER, 4789)))));

        // When a packet of the flow is encrypted and the slowpath asks for stats
        data.offer(ReferencePackets.udp("10.1.0.5", 40001, "10.9.0.9", 53).vni(100).build());
        worker.doWork();
        drain(control);
        offer(worker, StatsRequestFlyweight.encode(message, 0, 1, 9));

        // Then the packet is plain ESP the reference opens, and the response has counters and groups but no SAs
        ReferenceEsp.Opened opened = ReferenceEsp.open(ReferencePackets.ipv4(drain(data).get(0).bytes()), key);
        assertThat(opened.outerProtocol()).isEqualTo(50);
        ByteBuffer response = ByteBuffer.wrap(drain(control).get(0).bytes());
        assertThat(StatsResponseFlyweight.securityAssociations(response, 0, response.capacity())).isEmpty();
        assertThat(StatsResponseFlyweight.decode(response, 0, response.capacity()).securityAssociations()).isEmpty();
    }

    private void offer(FastpathWorker worker, int length) {
        control.offer(message, 0, length);
        worker.doWork();
    }
}
