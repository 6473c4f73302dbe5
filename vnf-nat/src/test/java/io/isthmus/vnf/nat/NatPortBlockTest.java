package io.isthmus.vnf.nat;

import static io.isthmus.vnf.nat.NatTests.HOST;
import static io.isthmus.vnf.nat.NatTests.OTHER_HOST;
import static io.isthmus.vnf.nat.NatTests.PUBLIC;
import static io.isthmus.vnf.nat.NatTests.PUBLIC_2;
import static io.isthmus.vnf.nat.NatTests.REMOTE;
import static io.isthmus.vnf.nat.NatTests.inbound;
import static io.isthmus.vnf.nat.NatTests.miss;
import static io.isthmus.vnf.nat.NatTests.outbound;
import static io.isthmus.vnf.nat.NatTests.translated;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.slowpath.policy.Decision;

/**
 * Several public addresses with paired pooling (RFC 4787 REQ-2), ports handed out in per-host blocks, one log line
 * per block allocated or released (RFC 7422 style), so that who had a public port at a given time can be told.
 */
class NatPortBlockTest {

    private static final Instant TEN_O_TWO = Instant.parse("2026-01-31T10:02:00Z");
    private static final String TWO_ADDRESSES = """
            {"publicAddresses":["203.0.113.10","203.0.113.11"],"portRangeStart":20000,"portRangeEnd":20007,
             "portBlockSize":4,"insideVni":100,"outsideVni":200,
             "insideNextHop":"127.0.0.1:40002","outsideNextHop":"127.0.0.1:40001"}""";

    private final List<String> logLines = new ArrayList<>();
    private final Logger natLogger = Logger.getLogger(NatPolicy.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getMessage().startsWith("nat-port-block")) {
                logLines.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void stopCapturing() {
        natLogger.removeHandler(capture);
    }

    @Test
    void eachInsideHostKeepsOnePublicAddressWhileItHasBindings() throws Exception {
        NatPolicy policy = policy(TWO_ADDRESSES);

        // When two hosts start flows, Then they are spread over the addresses
        Action.RewriteSource first = translated(policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 1, REMOTE, 53))));
        Action.RewriteSource other = translated(policy.onMiss(miss(outbound(FlowKey.UDP, OTHER_HOST, 1, REMOTE,
                53))));
        assertThat(first.address()).isEqualTo(PUBLIC);
        assertThat(other.address()).isEqualTo(PUBLIC_2);

        // And every further flow of a host, any protocol, any remote, leaves from its address (paired pooling)
        for (FlowKey flow : List.of(outbound(FlowKey.TCP, HOST, 51000, REMOTE + 1, 443),
                outbound(FlowKey.ICMP, HOST, 77, REMOTE, 0), outbound(FlowKey.UDP, HOST, 2, REMOTE + 2, 123))) {
            assertThat(translated(policy.onMiss(miss(flow))).address()).as(flow.toString()).isEqualTo(PUBLIC);
        }
    }

    @Test
    void aHostGetsABlockAtItsFirstBindingAnotherWhenItIsFullAndGivesEachBackWithItsLastBinding() throws Exception {
        // Given the log captured and a clock at 10:02
        NatPolicy policy = policy(TWO_ADDRESSES.replace("[\"203.0.113.10\",\"203.0.113.11\"]",
                "[\"203.0.113.10\"]"));

        // When a host binds five endpoints with blocks of four ports
        List<Integer> ports = new ArrayList<>();
        for (int port = 1; port <= 5; port++) {
            ports.add(translated(policy.onMiss(miss(outbound(FlowKey.UDP, HOST, port, REMOTE, 53)))).port());
        }

        // Then its first four ports are the first block, the fifth in the next, each block logged once
        assertThat(ports.subList(0, 4)).containsExactlyInAnyOrder(20000, 20001, 20002, 20003);
        assertThat(ports.get(4)).isBetween(20004, 20007);
        assertThat(logLines).containsExactly(
                "nat-port-block time=2026-01-31T10:02:00.000Z event=allocated inside=10.0.0.5"
                        + " public=203.0.113.10 ports=20000-20003",
                "nat-port-block time=2026-01-31T10:02:00.000Z event=allocated inside=10.0.0.5"
                        + " public=203.0.113.10 ports=20004-20007");
        assertThat(policy.indicators().get("publicAddresses")).isEqualTo(List.of(java.util.Map.of(
                "address", "203.0.113.10", "blocks", 2, "blocksTotal", 2, "portsInUse", 8, "portsTotal", 8,
                "bindings", 5)));

        // When the fifth endpoint's only session ends, Then its block goes back, and the release is logged
        policy.onFlowExpired(outbound(FlowKey.UDP, HOST, 5, REMOTE, 53));
        policy.onFlowExpired(inbound(FlowKey.UDP, REMOTE, 53, PUBLIC, ports.get(4)));
        assertThat(logLines).hasSize(3).last().isEqualTo("nat-port-block time=2026-01-31T10:02:00.000Z"
                + " event=released inside=10.0.0.5 public=203.0.113.10 ports=20004-20007");

        // And another host gets it, while a third finds none: dropped, counted as an allocation failure
        assertThat(translated(policy.onMiss(miss(outbound(FlowKey.UDP, OTHER_HOST, 1, REMOTE, 53)))).port())
                .isBetween(20004, 20007);
        Decision third = policy.onMiss(miss(outbound(FlowKey.UDP, OTHER_HOST + 1, 1, REMOTE, 53)));
        assertThat(third.reason()).isEqualTo("port range exhausted");
        assertThat(policy.indicators()).containsEntry("allocationFailures", 1L);
    }

    @Test
    void aNewConfigurationLogsTheReleaseOfTheBlocksItEndsAndNothingForThoseItKeeps() throws Exception {
        // Given a host paired with each public address, a block each
        NatPolicy policy = policy(TWO_ADDRESSES);
        policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 1, REMOTE, 53)));
        policy.onMiss(miss(outbound(FlowKey.UDP, OTHER_HOST, 1, REMOTE, 53)));

        // When a wider range keeps both, Then no block changes hands and nothing is logged
        policy.configure(new ObjectMapper().readTree(TWO_ADDRESSES.replace("20007", "20011")));
        assertThat(logLines).hasSize(2);

        // When the second address is taken away, Then its host's block is logged released, the other's not
        policy.configure(new ObjectMapper().readTree(TWO_ADDRESSES.replace("20007", "20011")
                .replace(",\"203.0.113.11\"", "")));
        assertThat(logLines).hasSize(3).endsWith(
                "nat-port-block time=2026-01-31T10:02:00.000Z event=released inside=10.0.0.6"
                        + " public=203.0.113.11 ports=20000-20003");
    }

    @Test
    void aBlockLearnedBackAfterARestartIsLoggedAsAllocatedAndLearnedAndReleasedWithItsLastBinding() throws Exception {
        // Given the rules of a flow bound by the slowpath before a restart (here another policy of the same config)
        String config = TWO_ADDRESSES.replace("[\"203.0.113.10\",\"203.0.113.11\"]", "[\"203.0.113.10\"]");
        FlowKey flow = outbound(FlowKey.UDP, HOST, 1, REMOTE, 53);
        Decision before = NatTests.configuredWith(config).onMiss(miss(flow));
        int port = translated(before).port();

        // When the restarted policy learns them, from two fastpaths
        NatPolicy policy = policy(config);
        for (int fastpath = 1; fastpath <= 2; fastpath++) {
            before.rules().forEach(policy::learn);
        }

        // Then the host's block is logged once, as allocated and learned: "who had this port" finds the host
        assertThat(logLines).containsExactly("nat-port-block time=2026-01-31T10:02:00.000Z event=allocated"
                + " inside=10.0.0.5 public=203.0.113.10 ports=20000-20003 learned=true");
        // And a new endpoint of the host takes a port of that block, without another line
        int second = translated(policy.onMiss(miss(outbound(FlowKey.UDP, HOST, 2, REMOTE, 53)))).port();
        assertThat(second).isBetween(20000, 20003).isNotEqualTo(port);
        assertThat(logLines).hasSize(1);

        // When both endpoints' flows are over, Then the block goes back with the last of them, logged once
        policy.onFlowExpired(flow);
        policy.onFlowExpired(inbound(FlowKey.UDP, REMOTE, 53, PUBLIC, port));
        assertThat(logLines).hasSize(1);
        policy.onFlowExpired(outbound(FlowKey.UDP, HOST, 2, REMOTE, 53));
        policy.onFlowExpired(inbound(FlowKey.UDP, REMOTE, 53, PUBLIC, second));
        assertThat(logLines).hasSize(2).last().isEqualTo("nat-port-block time=2026-01-31T10:02:00.000Z"
                + " event=released inside=10.0.0.5 public=203.0.113.10 ports=20000-20003");
    }

    @Test
    void theNextPortOfAHostIsNotTheLastPlusOne() throws Exception {
        // Given a host's block of 64 ports, the randomness seeded so the test is the same every run
        NatConfig config = NatConfig.from(new ObjectMapper().readTree(NatConfigTest.CONTRACT_EXAMPLE));
        NatBindings bindings = new NatBindings(config, event -> {
        }, new SplittableRandom(42));

        // When it binds 64 endpoints
        List<Integer> ports = new ArrayList<>();
        for (int port = 1; port <= 64; port++) {
            ports.add(bindings.bind(FlowKey.TCP, HOST, port).orElseThrow().publicPort());
        }

        // Then it has every port of its block once, not in order
        assertThat(ports).doesNotHaveDuplicates().allMatch(p -> p >= 20000 && p <= 20063)
                .isNotEqualTo(ports.stream().sorted().toList());
    }

    @Test
    void thePortsOfAPortForwardInTheRangeAreNeverHandedOut() throws Exception {
        // Given one block of four ports, one of them forwarded for TCP
        NatPolicy policy = policy(TWO_ADDRESSES.replace("[\"203.0.113.10\",\"203.0.113.11\"]", "[\"203.0.113.10\"]")
                .replace("20007", "20003").replace("}", ",\"portForwards\":[{\"protocol\":\"tcp\","
                        + "\"publicPort\":20002,\"insideAddress\":\"10.0.0.80\",\"insidePort\":80}]}"));

        // When a host binds TCP endpoints until none is left
        List<Integer> tcp = new ArrayList<>();
        Decision next;
        int port = 1;
        while (!(next = policy.onMiss(miss(outbound(FlowKey.TCP, HOST, port++, REMOTE, 80)))).isDrop()) {
            tcp.add(translated(next).port());
        }

        // Then it got the three others; UDP still has all four
        assertThat(tcp).containsExactlyInAnyOrder(20000, 20001, 20003);
        for (port = 1; port <= 4; port++) {
            assertThat(policy.onMiss(miss(outbound(FlowKey.UDP, HOST, port, REMOTE, 53))).isDrop()).isFalse();
        }
    }

    @Test
    void theLogLineSaysWhenWhoWhichAddressAndWhichPorts() {
        PortBlockEvent event = new PortBlockEvent(false, Ipv4Addresses.parse("10.1.2.3"),
                Ipv4Addresses.parse("203.0.113.10"), 40064, 40127, false);

        assertThat(event.logLine(Instant.parse("2026-01-31T10:02:03.4Z"))).isEqualTo("nat-port-block"
                + " time=2026-01-31T10:02:03.400Z event=released inside=10.1.2.3 public=203.0.113.10"
                + " ports=40064-40127");
    }

    private NatPolicy policy(String config) throws Exception {
        natLogger.addHandler(capture);
        NatPolicy policy = new NatPolicy(Clock.fixed(TEN_O_TWO, ZoneOffset.UTC));
        policy.configure(new ObjectMapper().readTree(config));
        return policy;
    }
}
