package io.isthmus.vnf.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Rule;
import io.isthmus.control.ingress.RendezvousIngress;
import io.isthmus.fastpath.testing.ReferencePackets;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.FlowRuleInstall;
import io.isthmus.slowpath.policy.Install;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.Transmit;
import io.isthmus.vnf.vpn.ike.ChildSa;
import io.isthmus.vnf.vpn.ike.Endpoint;
import io.isthmus.vnf.vpn.ike.IkeEngine;
import io.isthmus.vnf.vpn.ike.TrafficSelector;

/**
 * A VPN gateway chained to another VNF on its VPC side (say a firewall in front of the VPC): the VPC next hop is that
 * VNF's published ingress. One rule decrypts all of a tunnel's packets, so each tunnel goes to one of the ingress's
 * fastpaths, the rendezvous pick of its outer flow, and keeps it across rekeys.
 */
class VpnEgressTest {

    private static final String PUBLIC = "203.0.113.10";
    private static final int OUTSIDE_VNI = 200;
    private static final int VPC_VNI = 100;
    private static final int OFFICES = 12;
    private static final Map<String, Integer> PORTS = Map.of("fastpath-0", 41001, "fastpath-1", 41002, "fastpath-2",
            41003);
    private static final RendezvousIngress THREE = RendezvousIngress.of("fastpath-0", "fastpath-1", "fastpath-2");

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-03T20:00:00Z"), ZoneOffset.UTC);
    private long childIds = 1;

    private static String ingress(String... vnfcIds) {
        return "{\"hash\":\"rendezvous-v1\",\"endpoints\":[" + Arrays.stream(vnfcIds)
                .map(id -> "{\"vnfcId\":\"" + id + "\",\"address\":\"127.0.0.1:" + PORTS.get(id) + "\"}")
                .collect(Collectors.joining(",")) + "]}";
    }

    /** {@link #OFFICES} connections, office i at 203.0.113.(20+i) with 172.20.i.0/24 behind it. */
    private static String config(String outsideNextHop, String vpcNextHop) {
        String connections = IntStream.range(0, OFFICES).mapToObj(i -> """
                {"name":"office%d","peerAddress":"203.0.113.%d","psk":"correct horse battery staple",
                 "localPrefixes":["10.1.0.0/16"],"remotePrefixes":["172.20.%d.0/24"]}""".formatted(i, 20 + i, i))
                .collect(Collectors.joining(","));
        return """
                {"publicAddress":"203.0.113.10","outsideVni":200,"outsideNextHop":%s,"vpcVni":100,"vpcNextHop":%s,
                 "connections":[%s]}""".formatted(outsideNextHop, vpcNextHop, connections);
    }

    private VpnPolicy configured(String config) throws Exception {
        VpnPolicy policy = new VpnPolicy(clock, new SecureRandom());
        policy.reconfigure(json.readTree(config));
        return policy;
    }

    private ChildSa child(int office, int inboundSpi, int outboundSpi) {
        byte[] key = new byte[20];
        new SecureRandom().nextBytes(key);
        return new ChildSa("office" + office, childIds++, inboundSpi, outboundSpi, key, key.clone(), false,
                new Endpoint(ReferencePackets.parse(PUBLIC), 4500), new Endpoint(peer(office), 4500), true,
                List.of(new TrafficSelector(ReferencePackets.parse("10.1.0.0"), ReferencePackets.parse("10.1.255.255"),
                        0, 0, 65535)),
                List.of(new TrafficSelector(ReferencePackets.parse("172.20." + office + ".0"),
                        ReferencePackets.parse("172.20." + office + ".255"), 0, 0, 65535)));
    }

    private static int peer(int office) {
        return ReferencePackets.parse("203.0.113." + (20 + office));
    }

    /** The peer's ESP-in-UDP flow of an office: the decrypt rule's key. */
    private static FlowKey inbound(int office) {
        return new FlowKey(OUTSIDE_VNI, FlowKey.UDP, peer(office), ReferencePackets.parse(PUBLIC), 4500, 4500);
    }

    private static List<Rule> rules(List<Install> installs) {
        return installs.stream().filter(FlowRuleInstall.class::isInstance).map(i -> ((FlowRuleInstall) i).rule())
                .toList();
    }

    private static int nextHopPort(Rule rule) {
        return rule.actions().stream().filter(Action.SetNextHop.class::isInstance).map(Action.SetNextHop.class::cast)
                .findFirst().orElseThrow().port();
    }

    @Test
    void eachTunnelsDecryptedPacketsGoToThePickOfItsOuterFlowOnTheVpcSidesIngressAcrossRekeys() throws Exception {
        // Given 12 offices, the VPC side an ingress of 3 fastpaths
        VpnPolicy policy = configured(config("\"198.51.100.2:4789\"",
                ingress("fastpath-0", "fastpath-1", "fastpath-2")));
        IkeEngine.Output engine = policy.engineOutput();

        // When every office's CHILD SA comes up
        Map<Integer, Integer> portOf = new HashMap<>();
        for (int office = 0; office < OFFICES; office++) {
            engine.childSaUp(child(office, 0x1111_0000 + office, 0x2222_0000 + office));
            Rule decrypt = rules(policy.onTimer(clock.millis()).installs()).getFirst();

            // Then its decrypt rule sends into the VPC by the pick of the tunnel's outer flow
            assertThat(decrypt.key()).isEqualTo(inbound(office));
            assertThat(nextHopPort(decrypt)).isEqualTo(PORTS.get(THREE.pick(inbound(office))));
            portOf.put(office, nextHopPort(decrypt));
        }
        // And the tunnels are spread over the fastpaths
        assertThat(portOf.values().stream().distinct().count()).isGreaterThan(1);

        // When office 3's CHILD SA is rekeyed (new SPIs)
        engine.childSaUp(child(3, 0x1111_1003, 0x2222_1003));
        List<Rule> rekeyed = rules(policy.onTimer(clock.millis()).installs());

        // Then its decrypted packets stay on the same fastpath
        assertThat(rekeyed).filteredOn(rule -> rule.key().equals(inbound(3))).isNotEmpty()
                .allSatisfy(rule -> assertThat(nextHopPort(rule)).isEqualTo(portOf.get(3)));
    }

    @Test
    void aVpcSideNotWiredYetDropsWhatIsDecrypted() throws Exception {
        VpnPolicy policy = configured(config("\"198.51.100.2:4789\"", ingress()));

        policy.engineOutput().childSaUp(child(0, 0x1111_0001, 0x2222_0001));
        Rule decrypt = rules(policy.onTimer(clock.millis()).installs()).getFirst();

        assertThat(decrypt.actions()).contains(new Action.Drop()).noneMatch(Action.SetNextHop.class::isInstance);
    }

    @Test
    void onAnOutsideIngressEspGoesByThePickOfTheEspFlowAndIkeByItsOwn() throws Exception {
        // Given the outside is an ingress of 3 fastpaths and office 0's tunnel is up
        VpnPolicy policy = configured(config(ingress("fastpath-0", "fastpath-1", "fastpath-2"),
                "\"198.51.100.6:4789\""));
        policy.engineOutput().childSaUp(child(0, 0x1111_0001, 0x2222_0001));
        policy.onTimer(clock.millis());

        // When a VPC host sends to the office
        byte[] packet = ReferencePackets.udp("10.1.0.5", 40000, "172.20.0.7", 53).vni(VPC_VNI).build();
        Decision flow = policy.onMiss(new Miss(1, new FlowKey(VPC_VNI, FlowKey.UDP, ReferencePackets.parse("10.1.0.5"),
                ReferencePackets.parse("172.20.0.7"), 40000, 53), ByteBuffer.wrap(packet).asReadOnlyBuffer()));

        // Then its encrypted packets go to the pick of the ESP-in-UDP flow to the office as it leaves
        FlowKey esp = new FlowKey(OUTSIDE_VNI, FlowKey.UDP, ReferencePackets.parse(PUBLIC), peer(0), 4500, 4500);
        assertThat(flow.rules()).singleElement()
                .satisfies(rule -> assertThat(nextHopPort(rule)).isEqualTo(PORTS.get(THREE.pick(esp))));

        // And an office that initiates gets its IKE_SA_INIT by the pick of the IKE flow
        VpnPolicy initiating = configured(config(ingress("fastpath-0", "fastpath-1", "fastpath-2"),
                "\"198.51.100.6:4789\"").replace("\"remotePrefixes\":[\"172.20.0.0/24\"]",
                        "\"remotePrefixes\":[\"172.20.0.0/24\"],\"initiate\":true"));
        List<Transmit> sent = initiating.onTimer(clock.millis()).installs().stream()
                .filter(Transmit.class::isInstance).map(Transmit.class::cast).toList();
        FlowKey ike = new FlowKey(OUTSIDE_VNI, FlowKey.UDP, ReferencePackets.parse(PUBLIC), peer(0), 500, 500);
        assertThat(sent).isNotEmpty()
                .allSatisfy(t -> assertThat(t.nextHopPort()).isEqualTo(PORTS.get(THREE.pick(ike))));
    }

    @Test
    void anOutsideNotWiredYetSendsNoIke() throws Exception {
        VpnPolicy initiating = configured(config(ingress(), "\"198.51.100.6:4789\"")
                .replace("\"remotePrefixes\":[\"172.20.0.0/24\"]",
                        "\"remotePrefixes\":[\"172.20.0.0/24\"],\"initiate\":true"));

        assertThat(initiating.onTimer(clock.millis()).installs()).noneMatch(Transmit.class::isInstance);
    }
}
