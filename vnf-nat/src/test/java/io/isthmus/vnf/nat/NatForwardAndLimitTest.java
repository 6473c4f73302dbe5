package io.isthmus.vnf.nat;

import static io.isthmus.vnf.nat.NatTests.HOST;
import static io.isthmus.vnf.nat.NatTests.OTHER_HOST;
import static io.isthmus.vnf.nat.NatTests.PUBLIC;
import static io.isthmus.vnf.nat.NatTests.PUBLIC_2;
import static io.isthmus.vnf.nat.NatTests.REMOTE;
import static io.isthmus.vnf.nat.NatTests.configured;
import static io.isthmus.vnf.nat.NatTests.inbound;
import static io.isthmus.vnf.nat.NatTests.miss;
import static io.isthmus.vnf.nat.NatTests.outbound;
import static io.isthmus.vnf.nat.NatTests.translated;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.fastpath.testing.ReferencePackets;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.Transmit;

/** Static port forwards (destination NAT), session limits, and what the NAT publishes for the fastpaths and /stats. */
class NatForwardAndLimitTest {

    private static final int SERVER = Ipv4Addresses.parse("10.0.0.80");
    private static final String FORWARD = """
            "filtering":"address-and-port-dependent","portForwards":[{"protocol":"tcp",
             "publicAddress":"203.0.113.11","publicPort":443,"insideAddress":"10.0.0.80","insidePort":8443}]""";

    @Test
    void anyoneReachesAPortForwardWhateverTheFiltering() {
        NatPolicy policy = NatTests.configuredWith(NatTests.twoAddresses(FORWARD));

        // When a remote nobody inside talked to opens a connection to the forwarded port
        Decision decision = policy.onMiss(miss(inbound(FlowKey.TCP, REMOTE, 51000, PUBLIC_2, 443)));

        // Then it reaches the inside server, and the server's answers leave from the forwarded port
        assertThat(decision.rules().get(1).actions().getFirst()).isEqualTo(new Action.RewriteDestination(SERVER,
                8443));
        assertThat(decision.rules().get(0).key()).isEqualTo(outbound(FlowKey.TCP, SERVER, 8443, REMOTE, 51000));
        assertThat(translated(decision)).isEqualTo(new Action.RewriteSource(PUBLIC_2, 443));
    }

    @Test
    void theServerBehindAForwardLeavesFromItsForwardedPortAndItsAddressAndKeepsTheForwardAfterItsSessions() {
        NatPolicy policy = NatTests.configuredWith(NatTests.twoAddresses(FORWARD));

        // When the server starts a flow from its forwarded endpoint, and another from another port
        Decision fromForward = policy.onMiss(miss(outbound(FlowKey.TCP, SERVER, 8443, REMOTE, 443)));
        Decision fromOther = policy.onMiss(miss(outbound(FlowKey.UDP, SERVER, 5353, REMOTE, 53)));

        // Then the first keeps the forwarded port (one mapping per endpoint), the second the same address (paired)
        assertThat(translated(fromForward)).isEqualTo(new Action.RewriteSource(PUBLIC_2, 443));
        assertThat(translated(fromOther).address()).isEqualTo(PUBLIC_2);

        // When that session is over, Then the forward stays: the next remote still gets in
        policy.onFlowExpired(outbound(FlowKey.TCP, SERVER, 8443, REMOTE, 443));
        policy.onFlowExpired(inbound(FlowKey.TCP, REMOTE, 443, PUBLIC_2, 443));
        assertThat(policy.onMiss(miss(inbound(FlowKey.TCP, REMOTE + 1, 40000, PUBLIC_2, 443))).isDrop()).isFalse();
        // And the forwarded port is on its address only
        assertThat(policy.onMiss(miss(inbound(FlowKey.TCP, REMOTE + 1, 40000, PUBLIC, 443))).isDrop()).isTrue();
    }

    @Test
    void aNewSessionBeyondTheHostsLimitIsDroppedAndCountedOthersGoOn() {
        // Given at most two sessions per host
        NatPolicy policy = configured("\"maxSessionsPerHost\":2");
        FlowKey first = outbound(FlowKey.UDP, HOST, 1, REMOTE, 53);
        policy.onMiss(miss(first));
        policy.onMiss(miss(outbound(FlowKey.TCP, HOST, 2, REMOTE, 443)));

        // When the host starts a third
        Decision third = policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 1, REMOTE + 1, 53)));

        // Then it is dropped and counted, while its sessions and other hosts go on
        assertThat(third.isDrop()).isTrue();
        assertThat(third.reason()).isEqualTo("session limit reached for 10.0.0.5");
        assertThat(policy.onMiss(miss(first)).isDrop()).isFalse();
        assertThat(policy.onMiss(miss(outbound(FlowKey.UDP, OTHER_HOST, 1, REMOTE, 53))).isDrop()).isFalse();
        assertThat(policy.indicators()).containsEntry("sessionLimitDrops", 1L).containsEntry("sessions", 3);
    }

    @Test
    void theTotalLimitHoldsForEveryoneAndForSessionsFromOutsideToo() {
        NatPolicy policy = configured("\"maxSessions\":2,\"filtering\":\"endpoint-independent\"");
        int port = translated(policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 1, REMOTE, 53)))).port();
        policy.onMiss(miss(outbound(FlowKey.UDP, OTHER_HOST, 1, REMOTE, 53)));

        assertThat(policy.onMiss(miss(outbound(FlowKey.UDP, OTHER_HOST + 1, 1, REMOTE, 53))).isDrop()).isTrue();
        assertThat(policy.onMiss(miss(inbound(FlowKey.UDP, REMOTE + 1, 53, PUBLIC, port))).isDrop()).isTrue();
        assertThat(policy.indicators()).containsEntry("sessionLimitDrops", 2L);
        assertThat(policy.bindingCount()).isEqualTo(2);
    }

    @Test
    void anInsideHostRefusedASessionIsToldAdministrativelyProhibitedFromItsPublicAddress() {
        // Given a host at its limit
        NatPolicy policy = configured("\"maxSessionsPerHost\":1");
        policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 1, REMOTE, 53)));

        // When its next new flow is punted, the packet in hand
        byte[] packet = ReferencePackets.udp("10.0.0.5", 2, "198.51.100.7", 53).vni(100).payload(new byte[8])
                .build();
        Decision decision = policy.onMiss(new Miss(1, outbound(FlowKey.UDP, HOST, 2, REMOTE, 53),
                ByteBuffer.wrap(packet)));

        // Then nothing is installed or re-injected, and an ICMP destination unreachable (code 13) goes to the host
        assertThat(decision.rules()).isEmpty();
        assertThat(decision.reinject()).isFalse();
        Transmit transmit = (Transmit) decision.installs().getFirst();
        assertThat(transmit.nextHopPort()).isEqualTo(40002);
        ReferencePackets.Decoded error = ReferencePackets.decode(transmit.packet());
        assertThat(error.vni()).isEqualTo(100);
        assertThat(error.src()).isEqualTo("203.0.113.10");
        assertThat(error.dst()).isEqualTo("10.0.0.5");
        ReferencePackets.Quoted quoted = ReferencePackets.decodeQuote(transmit.packet());
        assertThat(quoted.type()).isEqualTo(3);
        assertThat(quoted.code()).isEqualTo(13);
        assertThat(quoted.srcPort()).isEqualTo(2);
    }

    @Test
    void aTimeExceededComesFromTheAddressTheInsideHostIsPairedWith() {
        // Given two public addresses, the second host paired with the second
        NatPolicy policy = NatTests.configuredWith(NatTests.twoAddresses(""));
        policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 1, REMOTE, 53)));
        policy.onMiss(miss(outbound(FlowKey.UDP, OTHER_HOST, 1, REMOTE, 53)));

        // When a packet of each, and of a host without bindings, runs out of TTL at the NAT
        // Then the time exceeded comes from the host's own public address, or the first one
        assertThat(timeExceededSource(policy, "10.0.0.6")).isEqualTo("203.0.113.11");
        assertThat(timeExceededSource(policy, "10.0.0.5")).isEqualTo("203.0.113.10");
        assertThat(timeExceededSource(policy, "10.0.0.99")).isEqualTo("203.0.113.10");
    }

    private static String timeExceededSource(NatPolicy policy, String host) {
        byte[] packet = ReferencePackets.udp(host, 33434, "198.51.100.7", 33435).vni(100).ttl(1)
                .payload(new byte[8]).build();
        Decision decision = policy.onTtlExceeded(new Miss(1, outbound(FlowKey.UDP, Ipv4Addresses.parse(host), 33434,
                REMOTE, 33435), ByteBuffer.wrap(packet)));
        return ReferencePackets.decode(((Transmit) decision.installs().getFirst()).packet()).src();
    }

    @Test
    void theTimeoutsForTheFastpathsAreTheConfiguredOnesInSeconds() {
        assertThat(new NatPolicy().timeouts()).isEqualTo(NatTimeouts.DEFAULTS);
        assertThat(configured("\"udpTimeout\":600,\"icmpTimeout\":120").timeouts())
                .isEqualTo(new NatTimeouts(600, 7440, 240, 120));
    }
}
