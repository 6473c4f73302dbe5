package io.isthmus.control.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;

/** The ingress hash of docs/contracts.md "Ingress": its test vectors, its spread, and how few flows a change moves. */
class RendezvousIngressTest {

    private static final int FLOWS = 100_000;
    private static final List<String> FOUR = List.of("127.0.0.1:40001", "127.0.0.1:40002", "127.0.0.1:40003",
            "127.0.0.1:40004");

    /** The table of docs/contracts.md, computed there by an implementation written from the text alone. */
    @ParameterizedTest
    @CsvSource({
            "10.0.0.1,        203.0.113.10,    6,   40000, 443,   8f774e20564e6ddb, 127.0.0.1:40003, 127.0.0.1:40003",
            "10.0.0.7,        203.0.113.10,    6,   40007, 443,   5af1aec85e4affdb, 127.0.0.1:40003, 127.0.0.1:40004",
            "10.0.0.8,        203.0.113.10,    6,   40008, 443,   2ad9b60ed755208a, 127.0.0.1:40001, 127.0.0.1:40004",
            "10.0.0.6,        203.0.113.10,    6,   40006, 443,   1ba0658387b9cef5, 127.0.0.1:40001, 127.0.0.1:40001",
            "10.0.0.2,        198.51.100.7,    17,  5353,  53,    c05a81607688859e, 127.0.0.1:40002, 127.0.0.1:40002",
            "192.168.1.20,    8.8.8.8,         1,   4660,  0,     b409d78139424895, 127.0.0.1:40003, 127.0.0.1:40003",
            "0.0.0.0,         0.0.0.0,         0,   0,     0,     48218226ff3cd4bf, 127.0.0.1:40002, 127.0.0.1:40002",
            "255.255.255.255, 255.255.255.255, 255, 65535, 65535, dc52536dd5f7e4c7, 127.0.0.1:40001, 127.0.0.1:40001"})
    void matchesTheTestVectorsOfTheContract(String src, String dst, int protocol, int srcPort, int dstPort,
            String flowHash, String ofThree, String ofFour) {
        // Given
        int s = Ipv4Addresses.parse(src);
        int d = Ipv4Addresses.parse(dst);

        // Then
        assertThat(RendezvousIngress.flowHash(s, d, protocol, srcPort, dstPort))
                .isEqualTo(Long.parseUnsignedLong(flowHash, 16));
        assertThat(RendezvousIngress.of(FOUR.subList(0, 3)).pick(s, d, protocol, srcPort, dstPort)).isEqualTo(ofThree);
        assertThat(RendezvousIngress.of(FOUR).pick(s, d, protocol, srcPort, dstPort)).isEqualTo(ofFour);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1:40001, 0d570f519e9556c4", "127.0.0.1:40002, 1a2f2ee07402a204",
            "127.0.0.1:40003, 6db8fc550910f85e", "127.0.0.1:40004, 5cc6e3e66a5d0bf9", "fastpath-0, e7ec8c2fdb39456b"})
    void endpointHashesMatchTheContract(String id, String hash) {
        assertThat(RendezvousIngress.endpointHash(id)).isEqualTo(Long.parseUnsignedLong(hash, 16));
    }

    @Test
    void scoresMatchTheContract() {
        long flow = Long.parseUnsignedLong("8f774e20564e6ddb", 16);

        assertThat(RendezvousIngress.mix64(1)).isEqualTo(Long.parseUnsignedLong("5692161d100b05e5", 16));
        assertThat(FOUR.stream().map(id -> Long.toHexString(RendezvousIngress.score(flow,
                RendezvousIngress.endpointHash(id)))))
                .containsExactly("1a2d3143955d6541", "1b424a3429dee635", "a2b7c37c5c5bd196", "99d3f50f9d7da4c1");
    }

    @Test
    void picksTheSameEndpointForAFlowWhateverTheOrderTheEndpointsAreGivenIn() {
        // Given
        RendezvousIngress ingress = RendezvousIngress.of(FOUR);
        RendezvousIngress reversed = RendezvousIngress.of(FOUR.reversed());
        SplittableRandom random = new SplittableRandom(7);

        // Then
        assertThat(reversed).isEqualTo(ingress);
        for (int i = 0; i < 1000; i++) {
            int src = random.nextInt();
            int dst = random.nextInt();
            int srcPort = random.nextInt(65536);
            assertThat(ingress.pick(src, dst, 17, srcPort, 4789)).isEqualTo(reversed.pick(src, dst, 17, srcPort, 4789))
                    .isEqualTo(ingress.pick(src, dst, 17, srcPort, 4789));
        }
    }

    @Test
    void aFlowKeyPicksAsItsFiveFieldsWhateverItsVni() {
        // Given
        RendezvousIngress ingress = RendezvousIngress.of(FOUR);
        int src = Ipv4Addresses.parse("10.0.0.7");
        int dst = Ipv4Addresses.parse("203.0.113.10");

        // Then
        for (int vni = 1; vni < 50; vni++) {
            assertThat(ingress.pick(new FlowKey(vni, FlowKey.TCP, src, dst, 40007, 443))).isEqualTo("127.0.0.1:40004");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 8})
    void spreadsRandomFlowsEvenlyOverTheEndpoints(int n) {
        // Given
        RendezvousIngress ingress = RendezvousIngress.of(endpoints(n));

        // When
        Map<String, Integer> perEndpoint = new HashMap<>();
        for (long flow : flows(FLOWS, n)) {
            perEndpoint.merge(ingress.endpoints().get(ingress.pickIndex(flow)), 1, Integer::sum);
        }

        // Then each endpoint gets its share, within 3 % of it
        assertThat(perEndpoint).hasSize(n);
        perEndpoint.forEach((endpoint, count) -> assertThat(count).as(endpoint)
                .isCloseTo(FLOWS / n, within(FLOWS / n * 3 / 100)));
    }

    @Test
    void spreadsNeighbouringFlowsOfOneHostEvenly() {
        // Given the flows of one client to one server, differing only in their source port
        RendezvousIngress ingress = RendezvousIngress.of(FOUR);
        int src = Ipv4Addresses.parse("10.0.0.1");
        int dst = Ipv4Addresses.parse("203.0.113.10");

        // When
        int[] perEndpoint = new int[4];
        for (int port = 1024; port < 1024 + 60_000; port++) {
            perEndpoint[ingress.pickIndex(RendezvousIngress.flowHash(src, dst, 6, port, 443))]++;
        }

        // Then
        assertThat(IntStream.of(perEndpoint).boxed()).allSatisfy(c -> assertThat(c).isCloseTo(15_000, within(450)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7})
    void anAddedEndpointTakesAboutItsShareOfFlowsAndOnlyFlowsMoveToIt(int n) {
        // Given
        List<String> before = endpoints(n + 1).subList(0, n);
        String added = endpoints(n + 1).get(n);
        RendezvousIngress small = RendezvousIngress.of(before);
        RendezvousIngress large = RendezvousIngress.of(endpoints(n + 1));

        // When
        int moved = 0;
        for (long flow : flows(FLOWS, n)) {
            String was = small.endpoints().get(small.pickIndex(flow));
            String is = large.endpoints().get(large.pickIndex(flow));
            if (!was.equals(is)) {
                assertThat(is).as("a flow moves only to the new endpoint").isEqualTo(added);
                moved++;
            }
        }

        // Then
        assertThat((double) moved / FLOWS).isCloseTo(1.0 / (n + 1), within(0.01));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void aRemovedEndpointsFlowsAreTheOnlyOnesThatMove(int removed) {
        // Given
        List<String> after = new ArrayList<>(FOUR);
        String gone = after.remove(removed);
        RendezvousIngress four = RendezvousIngress.of(FOUR);
        RendezvousIngress three = RendezvousIngress.of(after);

        // When / Then
        int moved = 0;
        for (long flow : flows(FLOWS, 3)) {
            String was = four.endpoints().get(four.pickIndex(flow));
            String is = three.endpoints().get(three.pickIndex(flow));
            if (was.equals(gone)) {
                moved++;
            } else {
                assertThat(is).as("a flow of a remaining endpoint stays").isEqualTo(was);
            }
        }
        assertThat((double) moved / FLOWS).isCloseTo(0.25, within(0.01));
    }

    @Test
    void anEndpointAloneTakesEveryFlow() {
        RendezvousIngress one = RendezvousIngress.of("fastpath-0");

        assertThat(IntStream.range(0, 1000).mapToObj(i -> one.pick(i, ~i, 6, i, 80))).containsOnly("fastpath-0");
    }

    @Test
    void endpointsAreInUtf8OrderWhoseFirstWinsEqualScores() {
        // Given ids that sort differently in UTF-8 and UTF-16: U+FF5E comes before U+10000 in UTF-8 only
        RendezvousIngress ingress = RendezvousIngress.of("\uFF5E", "\uD800\uDC00", "b", "a");

        // Then
        assertThat(ingress.endpoints()).containsExactly("a", "b", "\uFF5E", "\uD800\uDC00");
    }

    @Test
    void refusesNoEndpointsAnEmptyIdAndARepeatedId() {
        assertThatThrownBy(() -> RendezvousIngress.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one endpoint");
        assertThatThrownBy(() -> RendezvousIngress.of("a", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RendezvousIngress.of("a", "b", "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a is given twice");
    }

    @Test
    void pickAllocatesNothing() {
        // Given
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        RendezvousIngress ingress = RendezvousIngress.of(FOUR);
        long sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += ingress.pick(i, i * 31, 6, i & 0xFFFF, 443).length();
        }

        // When
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < FLOWS; i++) {
            sink += ingress.pick(i, i * 31, 6, i & 0xFFFF, 443).length();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // Then: not a byte per pick (an allocation per pick would be at least 16 bytes each)
        assertThat(sink).isPositive();
        assertThat(allocated).isLessThan(FLOWS);
    }

    private static List<String> endpoints(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "127.0.0.1:" + (40000 + i)).toList();
    }

    /** The flow hashes of random IPv4 flows, the same for a given seed. */
    private static long[] flows(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] protocols = {FlowKey.TCP, FlowKey.UDP, FlowKey.ICMP};
        long[] flows = new long[count];
        for (int i = 0; i < count; i++) {
            flows[i] = RendezvousIngress.flowHash(random.nextInt(), random.nextInt(), protocols[random.nextInt(3)],
                    random.nextInt(65536), random.nextInt(65536));
        }
        return flows;
    }
}
