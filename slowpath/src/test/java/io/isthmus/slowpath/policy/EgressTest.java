package io.isthmus.slowpath.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.ingress.RendezvousIngress;

class EgressTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INGRESS_OF_3 = """
            {"hash": "rendezvous-v1", "endpoints": [
              {"vnfcId": "127.0.0.1:40001", "address": "127.0.0.1:40001"},
              {"vnfcId": "127.0.0.1:40002", "address": "127.0.0.1:40002"},
              {"vnfcId": "127.0.0.1:40003", "address": "127.0.0.1:40003"}]}""";

    private static JsonNode config(String nextHop) throws Exception {
        return JSON.readTree("{\"nextHop\": " + nextHop + "}");
    }

    private static Egress read(String nextHop) throws Exception {
        ConfigFields fields = new ConfigFields();
        Egress egress = fields.egress(config(nextHop), "nextHop");
        assertThat(fields.problems()).isEmpty();
        return egress;
    }

    private static List<String> problems(String nextHop) throws Exception {
        ConfigFields fields = new ConfigFields();
        assertThat(fields.egress(config(nextHop), "nextHop")).isNull();
        return fields.problems();
    }

    private static FlowKey flow(String src, String dst, int protocol, int srcPort, int dstPort) {
        return new FlowKey(100, protocol, Ipv4Addresses.parse(src), Ipv4Addresses.parse(dst), srcPort, dstPort);
    }

    private static Action hop(int port) {
        return new Action.SetNextHop(Ipv4Addresses.parse("127.0.0.1"), port);
    }

    @Test
    void aHostAndPortSendsEveryFlowToIt() throws Exception {
        Egress egress = read("\"127.0.0.1:40002\"");

        assertThat(egress.action(flow("10.0.0.1", "203.0.113.10", 6, 40000, 443))).isEqualTo(hop(40002));
        assertThat(egress.action(flow("10.0.0.2", "198.51.100.7", 17, 5353, 53))).isEqualTo(hop(40002));
        assertThat(egress.isWired()).isTrue();
        assertThat(egress.addresses()).containsExactly(new InetSocketAddress("127.0.0.1", 40002));
        assertThat(egress.toJson()).isEqualTo(JSON.readTree("\"127.0.0.1:40002\""));
        assertThat(egress).isEqualTo(Egress.of(new InetSocketAddress("127.0.0.1", 40002)));
    }

    @Test
    void anIngressSendsEachFlowToItsRendezvousPickAsContractsMdListsThem() throws Exception {
        Egress three = read(INGRESS_OF_3);
        Egress four = read(INGRESS_OF_3.replace("]}", ", {\"vnfcId\": \"127.0.0.1:40004\","
                + " \"address\": \"127.0.0.1:40004\"}]}"));

        // docs/contracts.md "Ingress": the test vectors' picks of :40001…:40003 and of :40001…:40004
        assertThat(three.action(flow("10.0.0.1", "203.0.113.10", 6, 40000, 443))).isEqualTo(hop(40003));
        assertThat(four.action(flow("10.0.0.1", "203.0.113.10", 6, 40000, 443))).isEqualTo(hop(40003));
        assertThat(three.action(flow("10.0.0.7", "203.0.113.10", 6, 40007, 443))).isEqualTo(hop(40003));
        assertThat(four.action(flow("10.0.0.7", "203.0.113.10", 6, 40007, 443))).isEqualTo(hop(40004));
        assertThat(three.action(flow("10.0.0.8", "203.0.113.10", 6, 40008, 443))).isEqualTo(hop(40001));
        assertThat(four.action(flow("10.0.0.8", "203.0.113.10", 6, 40008, 443))).isEqualTo(hop(40004));
        assertThat(three.action(flow("10.0.0.6", "203.0.113.10", 6, 40006, 443))).isEqualTo(hop(40001));
        assertThat(three.action(flow("10.0.0.2", "198.51.100.7", 17, 5353, 53))).isEqualTo(hop(40002));
        assertThat(three.action(flow("192.168.1.20", "8.8.8.8", 1, 4660, 0))).isEqualTo(hop(40003));
        assertThat(three.action(flow("0.0.0.0", "0.0.0.0", 0, 0, 0))).isEqualTo(hop(40002));
        assertThat(four.action(flow("255.255.255.255", "255.255.255.255", 255, 65535, 65535)))
                .isEqualTo(hop(40001));
        assertThat(three.isWired()).isTrue();
        assertThat(three.addresses()).hasSize(3);
    }

    @Test
    void theHashIsOverTheVnfcIdsNotTheAddresses() throws Exception {
        Egress egress = read("""
                {"hash": "rendezvous-v1", "endpoints": [
                  {"vnfcId": "fastpath-0", "address": "127.0.0.1:40001"},
                  {"vnfcId": "fastpath-1", "address": "127.0.0.1:40002"},
                  {"vnfcId": "fastpath-2", "address": "127.0.0.1:40003"}]}""");
        RendezvousIngress ingress = RendezvousIngress.of("fastpath-0", "fastpath-1", "fastpath-2");
        Map<String, Integer> portOf = Map.of("fastpath-0", 40001, "fastpath-1", 40002, "fastpath-2", 40003);
        Map<Action, Integer> spread = new HashMap<>();

        IntStream.range(0, 300).forEach(i -> {
            FlowKey key = new FlowKey(7, 6, Ipv4Addresses.parse("10.0.1.1") + i, Ipv4Addresses.parse("203.0.113.5"),
                    30000 + i, 443);
            Action action = egress.action(key);
            assertThat(action).isEqualTo(hop(portOf.get(ingress.pick(key))));
            spread.merge(action, 1, Integer::sum);
        });
        assertThat(spread).hasSize(3).allSatisfy((hop, flows) -> assertThat(flows).isGreaterThan(60));
    }

    @Test
    void anEmptyIngressIsNotWiredAndDrops() throws Exception {
        Egress egress = read("{\"hash\": \"rendezvous-v1\", \"endpoints\": []}");

        assertThat(egress.isWired()).isFalse();
        assertThat(egress.addresses()).isEmpty();
        assertThat(egress.action(flow("10.0.0.1", "203.0.113.10", 6, 40000, 443))).isEqualTo(new Action.Drop());
        assertThat(egress.transmit(new byte[]{1}, flow("10.0.0.1", "203.0.113.10", 6, 40000, 443))).isEmpty();
        assertThat(egress.toString()).contains("not wired");
    }

    @Test
    void aTransmitGoesToThePickOfItsPacketsKey() throws Exception {
        Egress egress = read(INGRESS_OF_3);
        FlowKey key = flow("10.0.0.7", "203.0.113.10", 6, 40007, 443);

        assertThat(egress.transmit(new byte[]{1}, key)).hasValueSatisfying(transmit -> {
            assertThat(transmit.nextHopAddress()).isEqualTo(Ipv4Addresses.parse("127.0.0.1"));
            assertThat(transmit.nextHopPort()).isEqualTo(40003);
        });
    }

    @Test
    void theJsonReadIsTheJsonGivenBack() throws Exception {
        Egress egress = read(INGRESS_OF_3);

        assertThat(egress.toJson()).isEqualTo(JSON.readTree(INGRESS_OF_3));
        assertThat(Egress.ingress(egress.endpoints()).toJson()).isEqualTo(JSON.readTree(INGRESS_OF_3));
    }

    @Test
    void ingressesAreEqualByTheirEndpointsInAnyOrder() throws Exception {
        Egress egress = read(INGRESS_OF_3);
        List<Egress.Endpoint> endpoints = egress.endpoints();
        Egress reordered = Egress.ingress(List.of(endpoints.get(2), endpoints.get(0), endpoints.get(1)));
        Egress lessOne = Egress.ingress(List.of(endpoints.get(0), endpoints.get(1)));
        Egress moved = Egress.ingress(List.of(endpoints.get(0), endpoints.get(1),
                new Egress.Endpoint("127.0.0.1:40003", new InetSocketAddress("127.0.0.1", 40009))));

        assertThat(reordered).isEqualTo(egress).hasSameHashCodeAs(egress);
        assertThat(lessOne).isNotEqualTo(egress);
        assertThat(moved).isNotEqualTo(egress);
        assertThat(Egress.ingress(List.of())).isNotEqualTo(Egress.of(new InetSocketAddress("127.0.0.1", 40001)));
        assertThat(egress.toString()).contains("127.0.0.1:40001=127.0.0.1:40001");
    }

    @Test
    void aBadHostAndPortIsRefusedAsEndpointRefusesIt() throws Exception {
        assertThat(problems("\"127.0.0.1\"")).containsExactly("nextHop: expected host:port, got 127.0.0.1");
        assertThat(problems("\"127.0.0.1:0\"")).singleElement().asString().startsWith("nextHop: ");
        assertThat(problems("42")).singleElement().asString()
                .startsWith("nextHop is required: host:port, or an ingress");
        ConfigFields fields = new ConfigFields();
        assertThat(fields.egress(JSON.readTree("{}"), "nextHop")).isNull();
        assertThat(fields.problems()).singleElement().asString().startsWith("nextHop is required");
    }

    @Test
    void everyProblemOfAnIngressIsNamedAtOnce() throws Exception {
        assertThat(problems("""
                {"hash": "consistent", "colour": "blue", "endpoints": [
                  {"vnfcId": "fastpath-0", "address": "127.0.0.1:40001"},
                  {"vnfcId": "fastpath-0", "address": "127.0.0.1:40002"},
                  {"vnfcId": "", "address": "127.0.0.1"},
                  {"address": "127.0.0.1:40004"},
                  {"vnfcId": "fastpath-5"},
                  "127.0.0.1:40006"]}""")).containsExactly(
                "nextHop.hash must be \"rendezvous-v1\", got \"consistent\"",
                "nextHop.colour is not a field of an ingress (hash, endpoints)",
                "nextHop.endpoints[1].vnfcId repeats fastpath-0",
                "nextHop.endpoints[2].vnfcId is required: a non-empty string",
                "nextHop.endpoints[2].address: expected host:port, got 127.0.0.1",
                "nextHop.endpoints[3].vnfcId is required: a non-empty string",
                "nextHop.endpoints[4].address is required: host:port",
                "nextHop.endpoints[5] must be an object {\"vnfcId\", \"address\"}");
        assertThat(problems("{\"endpoints\": []}")).containsExactly("nextHop.hash must be \"rendezvous-v1\"");
        assertThat(problems("{\"hash\": \"rendezvous-v1\"}")).singleElement().asString()
                .startsWith("nextHop.endpoints is required: an array of 0..16");
        String seventeen = IntStream.range(0, 17)
                .mapToObj(i -> "{\"vnfcId\": \"f" + i + "\", \"address\": \"127.0.0.1:" + (40001 + i) + "\"}")
                .reduce((a, b) -> a + "," + b).orElseThrow();
        assertThat(problems("{\"hash\": \"rendezvous-v1\", \"endpoints\": [" + seventeen + "]}"))
                .singleElement().asString().startsWith("nextHop.endpoints is required: an array of 0..16");
    }

    @Test
    void anIngressBuiltInCodeRefusesWhatTheJsonWould() {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 40001);
        assertThatThrownBy(() -> new Egress.Endpoint("", address)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Egress.ingress(List.of(new Egress.Endpoint("a", address),
                new Egress.Endpoint("a", address)))).isInstanceOf(IllegalArgumentException.class);
    }
}
