package io.isthmus.vnf.vpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Rule;
import io.isthmus.control.SaCounters;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.fastpath.testing.ReferencePackets;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.FlowRuleInstall;
import io.isthmus.slowpath.policy.Install;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.SecurityAssociationInstall;
import io.isthmus.slowpath.policy.SecurityAssociationRemoval;
import io.isthmus.slowpath.policy.Transmit;
import io.isthmus.vnf.vpn.ike.ChildSa;
import io.isthmus.vnf.vpn.ike.Endpoint;
import io.isthmus.vnf.vpn.ike.IkeEngine;
import io.isthmus.vnf.vpn.ike.TrafficSelector;

/**
 * The gateway's glue between the IKE engine, the SAs and the fastpaths' rules: the engine's CHILD SAs are played in
 * through its {@link IkeEngine.Output} (the real engine negotiates them in the interoperability test), packets through
 * misses built by the independent reference encoder.
 */
class VpnPolicyTest {

    private static final String PUBLIC = "203.0.113.10";
    private static final String PEER = "203.0.113.20";
    private static final int OUTSIDE_VNI = 200;
    private static final int VPC_VNI = 100;
    private static final String CONFIG = """
            {"publicAddress":"203.0.113.10","outsideVni":200,"outsideNextHop":"198.51.100.2:4789",
             "vpcVni":100,"vpcNextHop":"198.51.100.6:4789",
             "connections":[{"name":"office","peerAddress":"203.0.113.20","psk":"correct horse battery staple",
               "localPrefixes":["10.1.0.0/16"],"remotePrefixes":["172.20.0.0/24"],"initiate":%s,
               "childRekeyBytes":%d}]}""";

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-03T20:00:00Z"), ZoneOffset.UTC);
    private VpnPolicy policy;
    private IkeEngine.Output engine;
    private long childIds = 1;

    @BeforeEach
    void configure() throws Exception {
        policy = new VpnPolicy(clock, new SecureRandom());
        policy.reconfigure(json.readTree(CONFIG.formatted(false, 0)));
        engine = policy.engineOutput();
    }

    @Test
    void aVpcPacketToTheOfficeWithNoSaUpIsDroppedAndCounted() {
        Decision decision = policy.onMiss(fromVpc("10.1.0.5", "172.20.0.7"));

        assertThat(decision.reinject()).isFalse();
        assertThat(decision.rules()).isEmpty();
        assertThat(connection().get("noSaDrops")).isEqualTo(1L);
        assertThat(connection().get("tunnel")).isEqualTo("DOWN");
    }

    @Test
    void anInitiatingConnectionSendsIkeSaInitFromThePublicAddressToThePeerOnTheOutside() throws Exception {
        policy.reconfigure(json.readTree(CONFIG.formatted(true, 0)));

        // the engine starts at once; the configuration's answer leaves the packet to the timer, due now
        assertThat(policy.nextTimerMillis()).isLessThanOrEqualTo(clock.millis());
        List<Transmit> sent = transmits(policy.onTimer(clock.millis()).installs());

        assertThat(sent).isNotEmpty();
        Transmit init = sent.getFirst();
        assertThat(init.nextHopPort()).isEqualTo(4789);
        ReferencePackets.Decoded packet = ReferencePackets.decode(init.packet());
        assertThat(packet.vni()).isEqualTo(OUTSIDE_VNI);
        assertThat(packet.src()).isEqualTo(PUBLIC);
        assertThat(packet.srcPort()).isEqualTo(500);
        assertThat(packet.dst()).isEqualTo(PEER);
        assertThat(packet.dstPort()).isEqualTo(500);
        assertThat(packet.ipChecksumValid()).isTrue();
        assertThat(packet.l4ChecksumValid()).isTrue();
        // IKE header: exchange type IKE_SA_INIT (34), the initiator flag
        assertThat(packet.payload()[18] & 0xFF).isEqualTo(34);
        assertThat(packet.payload()[19] & 0x08).isEqualTo(0x08);
    }

    @Test
    void aChildSaUpInstallsBothSasAndThePeersEspRuleAndVpcFlowsAreEncryptedWithIt() {
        ChildSa child = child(0x1111_0001, 0x2222_0001);

        engine.childSaUp(child);
        Reconfiguration up = policy.onTimer(clock.millis());

        SecurityAssociation out = sa(up, SecurityAssociation.Direction.OUTBOUND);
        SecurityAssociation in = sa(up, SecurityAssociation.Direction.INBOUND);
        assertThat(out.spi()).isEqualTo(0x2222_0001);
        assertThat(out.tunnelSource()).isEqualTo(ReferencePackets.parse(PUBLIC));
        assertThat(out.tunnelDestination()).isEqualTo(ReferencePackets.parse(PEER));
        assertThat(out.encapsulationSourcePort()).isEqualTo(4500);
        assertThat(out.encapsulationDestinationPort()).isEqualTo(4501);
        assertThat(in.spi()).isEqualTo(0x1111_0001);
        assertThat(in.replayWindow()).isEqualTo(1024);
        assertThat(in.index()).isNotEqualTo(out.index());
        // the inbound SA lets in only the negotiated traffic: from the office's selectors to ours (RFC 4301 §5.2)
        assertThat(in.sourceRanges()).containsExactly(new SecurityAssociation.AddressRange(
                ReferencePackets.parse("172.20.0.0"), ReferencePackets.parse("172.20.0.255")));
        assertThat(in.destinationRanges()).containsExactly(new SecurityAssociation.AddressRange(
                ReferencePackets.parse("10.1.0.0"), ReferencePackets.parse("10.1.255.255")));
        assertThat(out.hasSelectors()).isFalse();
        Rule esp = rules(up.installs()).getFirst();
        assertThat(esp.key()).isEqualTo(new FlowKey(OUTSIDE_VNI, FlowKey.UDP, ReferencePackets.parse(PEER),
                ReferencePackets.parse(PUBLIC), 4501, 4500));
        assertThat(esp.actions()).containsExactly(new Action.EspDecrypt(in.index()), new Action.SetVni(VPC_VNI),
                new Action.SetNextHop(ReferencePackets.parse("198.51.100.6"), 4789), new Action.Count());

        Decision flow = policy.onMiss(fromVpc("10.1.0.5", "172.20.0.7"));
        assertThat(flow.reinject()).isTrue();
        assertThat(flow.rules()).singleElement().satisfies(rule -> assertThat(rule.actions()).containsExactly(
                new Action.EspEncrypt(out.index()), new Action.SetVni(OUTSIDE_VNI),
                new Action.SetNextHop(ReferencePackets.parse("198.51.100.2"), 4789), new Action.Count()));
        assertThat(connection().get("tunnel")).isEqualTo("UP");
    }

    @Test
    void vpcTrafficOfNoConnectionIsNotEncrypted() {
        engine.childSaUp(child(0x1111_0001, 0x2222_0001));
        policy.onTimer(clock.millis());

        assertThat(policy.onMiss(fromVpc("10.9.0.5", "172.20.0.7")).isDrop()).isTrue();
        assertThat(policy.onMiss(fromVpc("10.1.0.5", "172.21.0.7")).isDrop()).isTrue();
        assertThat(drops().get("notVpnTraffic")).isEqualTo(2L);
    }

    @Test
    void aRekeyPutsTheNewOutboundSaInTheOldSlotAndTheNewInboundOneBesideTheOldUntilItIsDeleted() {
        ChildSa old = child(0x1111_0001, 0x2222_0001);
        engine.childSaUp(old);
        Reconfiguration up = policy.onTimer(clock.millis());
        int outSlot = sa(up, SecurityAssociation.Direction.OUTBOUND).index();
        int oldInSlot = sa(up, SecurityAssociation.Direction.INBOUND).index();
        Decision flow = policy.onMiss(fromVpc("10.1.0.5", "172.20.0.7"));

        ChildSa replacement = child(0x1111_0002, 0x2222_0002);
        engine.childSaRekeyed(old, replacement);
        Reconfiguration rekeyed = policy.onTimer(clock.millis());

        assertThat(sa(rekeyed, SecurityAssociation.Direction.OUTBOUND).index()).isEqualTo(outSlot);
        assertThat(sa(rekeyed, SecurityAssociation.Direction.OUTBOUND).spi()).isEqualTo(0x2222_0002);
        int newInSlot = sa(rekeyed, SecurityAssociation.Direction.INBOUND).index();
        assertThat(newInSlot).isNotIn(outSlot, oldInSlot);
        // the new inbound SA checks the selectors the rekey negotiated, as the old one did
        assertThat(sa(rekeyed, SecurityAssociation.Direction.INBOUND).sourceRanges())
                .isEqualTo(sa(up, SecurityAssociation.Direction.INBOUND).sourceRanges()).isNotEmpty();
        assertThat(sa(rekeyed, SecurityAssociation.Direction.INBOUND).destinationRanges())
                .isEqualTo(sa(up, SecurityAssociation.Direction.INBOUND).destinationRanges()).isNotEmpty();
        // the flow keeps its rule: it names the slot, which encrypts with the new SA now
        assertThat(rekeyed.removes()).doesNotContain(flow.rules().getFirst().key());
        assertThat(rekeyed.installs()).noneMatch(SecurityAssociationRemoval.class::isInstance);

        engine.childSaDown(old, "rekeyed");
        Reconfiguration deleted = policy.onTimer(clock.millis());
        assertThat(deleted.installs()).containsExactly(new SecurityAssociationRemoval(oldInSlot));
        assertThat(deleted.removes()).isEmpty();
    }

    @Test
    void moreSelectorsThanAFastpathTakesBecomeTheOneRangeCoveringThem() {
        List<TrafficSelector> many = new ArrayList<>();
        for (int i = 0; i <= SecurityAssociation.MAX_SELECTOR_RANGES; i++) {
            many.add(TrafficSelector.prefix(ReferencePackets.parse("10.0.0.0") + (i << 8), 24));
        }

        assertThat(VpnPolicy.addressRanges(many)).containsExactly(new SecurityAssociation.AddressRange(
                ReferencePackets.parse("10.0.0.0"), ReferencePackets.parse("10.0.64.255")));
        assertThat(VpnPolicy.addressRanges(many.subList(0, 2))).containsExactly(
                new SecurityAssociation.AddressRange(ReferencePackets.parse("10.0.0.0"),
                        ReferencePackets.parse("10.0.0.255")),
                new SecurityAssociation.AddressRange(ReferencePackets.parse("10.0.1.0"),
                        ReferencePackets.parse("10.0.1.255")));
    }

    @Test
    void theTunnelGoingDownTakesItsSasAndItsFlowsRulesAway() {
        ChildSa child = child(0x1111_0001, 0x2222_0001);
        engine.childSaUp(child);
        policy.onTimer(clock.millis());
        FlowKey flow = policy.onMiss(fromVpc("10.1.0.5", "172.20.0.7")).rules().getFirst().key();

        engine.childSaDown(child, "deleted by the peer");

        assertThat(policy.nextTimerMillis()).isLessThanOrEqualTo(clock.millis());
        Reconfiguration down = policy.onTimer(clock.millis());
        assertThat(down.installs()).hasSize(2).allMatch(SecurityAssociationRemoval.class::isInstance);
        assertThat(down.removes()).contains(flow);
        assertThat(policy.onMiss(fromVpc("10.1.0.5", "172.20.0.7")).reinject()).isFalse();
    }

    @Test
    void espWhoseRuleExpiredGetsItBackAndEspOfNoSaIsDropped() {
        engine.childSaUp(child(0x1111_0001, 0x2222_0001));
        int inSlot = sa(policy.onTimer(clock.millis()), SecurityAssociation.Direction.INBOUND).index();

        Decision known = policy.onMiss(espInUdp(0x1111_0001));
        Decision unknown = policy.onMiss(espInUdp(0x7777_0001));
        Decision keepalive = policy.onMiss(outside(new byte[]{(byte) 0xFF}, 4501, 4500));

        assertThat(known.reinject()).isTrue();
        assertThat(known.rules()).singleElement()
                .satisfies(rule -> assertThat(rule.actions().getFirst()).isEqualTo(new Action.EspDecrypt(inSlot)));
        assertThat(unknown.isDrop()).isTrue();
        assertThat(keepalive.isDrop()).isTrue();
        assertThat(drops()).containsEntry("unknownSpi", 1L).containsEntry("notIke", 1L);
    }

    @Test
    void theFastpathsCountersShowPerSaAndPerConnectionAndByteLimitsReachTheEngine() throws Exception {
        policy.reconfigure(json.readTree(CONFIG.formatted(false, 1 << 20)));
        engine.childSaUp(child(0x1111_0001, 0x2222_0001));
        Reconfiguration up = policy.onTimer(clock.millis());
        SecurityAssociation out = sa(up, SecurityAssociation.Direction.OUTBOUND);
        SecurityAssociation in = sa(up, SecurityAssociation.Direction.INBOUND);
        assertThat(out.byteLimit()).isGreaterThan(1 << 20);

        policy.onSecurityAssociationCounters(Map.of(
                out.index(), new SaCounters(out.index(), out.spi(), 10, 14_200, 0, 0, 0),
                in.index(), new SaCounters(in.index(), in.spi(), 7, 9_800, 2, 1, 0)));

        Map<String, Object> c = connection();
        assertThat(c).containsEntry("packetsOut", 10L).containsEntry("bytesOut", 14_200L)
                .containsEntry("packetsIn", 7L).containsEntry("bytesIn", 9_800L).containsEntry("replays", 2L)
                .containsEntry("authFailures", 1L);
        assertThat((List<?>) c.get("securityAssociations")).hasSize(2);
    }

    @Test
    void aConfigurationIsRefusedFieldByFieldAndChangesNothing() throws Exception {
        ObjectNode bad = (ObjectNode) json.readTree(CONFIG.formatted(false, 0));
        bad.put("vpcVni", OUTSIDE_VNI);
        ((ObjectNode) bad.get("connections").get(0)).put("replayWindow", 64).put("psk", "short secret");
        ((ObjectNode) bad.get("connections").get(0)).putArray("localPrefixes").add("10.1.0.1/16");

        assertThatThrownBy(() -> policy.reconfigure(bad)).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("outsideVni and vpcVni"))
                        .anySatisfy(p -> assertThat(p).contains("connections[0].replayWindow"))
                        .anySatisfy(p -> assertThat(p).contains("connections[0].psk"))
                        .anySatisfy(p -> assertThat(p).contains("connections[0].localPrefixes[0] has host bits"))
                        .noneSatisfy(p -> assertThat(p).contains("short secret")));
        assertThat(connection().get("name")).isEqualTo("office");
    }

    @Test
    void twoGatewaysNegotiateThroughTheirTransmitsAndInstallMatchingSas() throws Exception {
        // Given two gateways, each the other's peer, joined only by what they transmit (as misses of the other)
        VpnPolicy office = new VpnPolicy(clock, new SecureRandom());
        office.reconfigure(json.readTree("""
                {"publicAddress":"203.0.113.20","outsideVni":200,"outsideNextHop":"198.51.100.2:4789",
                 "vpcVni":300,"vpcNextHop":"198.51.100.9:4789",
                 "connections":[{"name":"vpc","peerAddress":"203.0.113.10","psk":"correct horse battery staple",
                   "localPrefixes":["172.20.0.0/24"],"remotePrefixes":["10.1.0.0/16"]}]}"""));
        List<SecurityAssociation> ours = new ArrayList<>();
        List<SecurityAssociation> theirs = new ArrayList<>();

        // When this one initiates
        policy.reconfigure(json.readTree(CONFIG.formatted(true, 0)));
        List<Install> inFlight = policy.onTimer(clock.millis()).installs();
        for (int exchange = 0; exchange < 10 && !transmits(inFlight).isEmpty(); exchange++) {
            List<Install> answers = new ArrayList<>();
            for (Transmit packet : transmits(inFlight)) {
                answers.addAll(office.onMiss(asMiss(packet)).installs());
            }
            theirs.addAll(sas(answers));
            inFlight = new ArrayList<>();
            for (Transmit packet : transmits(answers)) {
                inFlight.addAll(policy.onMiss(asMiss(packet)).installs());
            }
            ours.addAll(sas(inFlight));
        }

        // Then both tunnels are up, each side's outbound SA is the other's inbound one, and ESP is plain (no NAT)
        assertThat(connection().get("tunnel")).isEqualTo("UP");
        assertThat(ours).hasSize(2);
        assertThat(theirs).hasSize(2);
        SecurityAssociation ourOut = direction(ours, SecurityAssociation.Direction.OUTBOUND);
        SecurityAssociation theirIn = direction(theirs, SecurityAssociation.Direction.INBOUND);
        assertThat(ourOut.spi()).isEqualTo(theirIn.spi());
        assertThat(ourOut.keyMaterial()).isEqualTo(theirIn.keyMaterial());
        assertThat(direction(theirs, SecurityAssociation.Direction.OUTBOUND).keyMaterial())
                .isEqualTo(direction(ours, SecurityAssociation.Direction.INBOUND).keyMaterial());
        assertThat(ourOut.encapsulationSourcePort()).isZero();
        assertThat(ourOut.tunnelDestination()).isEqualTo(ReferencePackets.parse(PEER));

        // And when a fastpath process joins (the slowpath gave it no outbound SA: it would count the SA's sequence
        // numbers, its GCM nonces, from 1 again), the CHILD_SA is rekeyed: a new outbound SA, new SPI and keys, in
        // the same slot, which every fastpath then gets
        assertThat(policy.onFastpathJoined(7).installs()).isEmpty();
        assertThat(policy.nextTimerMillis()).isLessThanOrEqualTo(clock.millis());
        inFlight = policy.onTimer(clock.millis()).installs();
        List<SecurityAssociation> rekeyed = new ArrayList<>();
        for (int exchange = 0; exchange < 10 && !transmits(inFlight).isEmpty(); exchange++) {
            List<Install> answers = new ArrayList<>();
            for (Transmit packet : transmits(inFlight)) {
                answers.addAll(office.onMiss(asMiss(packet)).installs());
            }
            inFlight = new ArrayList<>();
            for (Transmit packet : transmits(answers)) {
                inFlight.addAll(policy.onMiss(asMiss(packet)).installs());
            }
            rekeyed.addAll(sas(inFlight));
            inFlight.addAll(policy.onTimer(clock.millis()).installs());
            rekeyed.addAll(sas(inFlight));
        }
        SecurityAssociation newOut = direction(rekeyed, SecurityAssociation.Direction.OUTBOUND);
        assertThat(newOut.index()).isEqualTo(ourOut.index());
        assertThat(newOut.spi()).isNotEqualTo(ourOut.spi());
        assertThat(newOut.keyMaterial()).isNotEqualTo(ourOut.keyMaterial());
    }

    private static Miss asMiss(Transmit transmit) {
        ReferencePackets.Decoded d = ReferencePackets.decode(transmit.packet());
        return miss(transmit.packet(), new FlowKey(d.vni(), d.protocol(), d.srcAddress(), d.dstAddress(), d.srcPort(),
                d.dstPort()));
    }

    private static List<SecurityAssociation> sas(List<Install> installs) {
        return installs.stream().filter(SecurityAssociationInstall.class::isInstance)
                .map(i -> ((SecurityAssociationInstall) i).securityAssociation()).toList();
    }

    private static SecurityAssociation direction(List<SecurityAssociation> sas,
            SecurityAssociation.Direction direction) {
        return sas.stream().filter(sa -> sa.direction() == direction).findFirst().orElseThrow();
    }

    private ChildSa child(int inboundSpi, int outboundSpi) {
        byte[] key = new byte[20];
        new SecureRandom().nextBytes(key);
        return new ChildSa("office", childIds++, inboundSpi, outboundSpi, key, key.clone(), false,
                new Endpoint(ReferencePackets.parse(PUBLIC), 4500), new Endpoint(ReferencePackets.parse(PEER), 4501),
                true, List.of(new TrafficSelector(ReferencePackets.parse("10.1.0.0"),
                        ReferencePackets.parse("10.1.255.255"), 0, 0, 65535)),
                List.of(new TrafficSelector(ReferencePackets.parse("172.20.0.0"),
                        ReferencePackets.parse("172.20.0.255"), 0, 0, 65535)));
    }

    private static Miss fromVpc(String src, String dst) {
        byte[] packet = ReferencePackets.udp(src, 40000, dst, 53).vni(VPC_VNI).build();
        return miss(packet, new FlowKey(VPC_VNI, FlowKey.UDP, ReferencePackets.parse(src), ReferencePackets.parse(dst),
                40000, 53));
    }

    private static Miss espInUdp(int spi) {
        byte[] esp = new byte[64];
        ByteBuffer.wrap(esp).putInt(spi).putInt(1);
        return outside(esp, 4501, 4500);
    }

    private static Miss outside(byte[] payload, int srcPort, int dstPort) {
        byte[] packet = ReferencePackets.udp(PEER, srcPort, PUBLIC, dstPort).vni(OUTSIDE_VNI).payload(payload).build();
        return miss(packet, new FlowKey(OUTSIDE_VNI, FlowKey.UDP, ReferencePackets.parse(PEER),
                ReferencePackets.parse(PUBLIC), srcPort, dstPort));
    }

    private static Miss miss(byte[] packet, FlowKey key) {
        return new Miss(1, key, ByteBuffer.wrap(packet).asReadOnlyBuffer());
    }

    private static SecurityAssociation sa(Reconfiguration reconfiguration, SecurityAssociation.Direction direction) {
        return reconfiguration.installs().stream().filter(SecurityAssociationInstall.class::isInstance)
                .map(i -> ((SecurityAssociationInstall) i).securityAssociation())
                .filter(sa -> sa.direction() == direction).findFirst().orElseThrow();
    }

    private static List<Rule> rules(List<Install> installs) {
        return installs.stream().filter(FlowRuleInstall.class::isInstance).map(i -> ((FlowRuleInstall) i).rule())
                .toList();
    }

    private static List<Transmit> transmits(List<Install> installs) {
        return installs.stream().filter(Transmit.class::isInstance).map(Transmit.class::cast).toList();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> connection() {
        return ((List<Map<String, Object>>) policy.indicators().get("connections")).getFirst();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> drops() {
        return (Map<String, Object>) policy.indicators().get("drops");
    }
}
