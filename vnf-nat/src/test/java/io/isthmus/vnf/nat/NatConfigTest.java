package io.isthmus.vnf.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.slowpath.policy.InvalidConfigException;

class NatConfigTest {

    static final String CONTRACT_EXAMPLE = """
            {"publicAddress":"203.0.113.10","portRangeStart":20000,"portRangeEnd":29999,
             "insideVni":100,"outsideVni":200,
             "insideNextHop":"127.0.0.1:40002","outsideNextHop":"127.0.0.1:40001"}""";

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsTheContractsExample() throws Exception {
        NatConfig config = NatConfig.from(json.readTree(CONTRACT_EXAMPLE));

        assertThat(config.publicAddress()).isEqualTo(Ipv4Addresses.parse("203.0.113.10"));
        assertThat(config.portRangeStart()).isEqualTo(20000);
        assertThat(config.portRangeEnd()).isEqualTo(29999);
        assertThat(config.portCount()).isEqualTo(10000);
        assertThat(config.insideVni()).isEqualTo(100);
        assertThat(config.outsideVni()).isEqualTo(200);
        assertThat(config.insideNextHop().addresses().getFirst().getPort()).isEqualTo(40002);
        assertThat(config.outsideNextHop().addresses().getFirst().getPort()).isEqualTo(40001);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        String bad = """
                {"publicAddress":"203.0.113.300","portRangeStart":0,"portRangeEnd":"x",
                 "insideVni":16777216,"insideNextHop":"nowhere","outsideNextHop":"127.0.0.1:70000"}""";

        assertThatThrownBy(() -> NatConfig.from(json.readTree(bad))).isInstanceOfSatisfying(
                InvalidConfigException.class, e -> assertThat(e.problems()).hasSize(7)
                        .anySatisfy(p -> assertThat(p).startsWith("publicAddress"))
                        .anySatisfy(p -> assertThat(p).startsWith("portRangeStart"))
                        .anySatisfy(p -> assertThat(p).startsWith("portRangeEnd"))
                        .anySatisfy(p -> assertThat(p).startsWith("insideVni"))
                        .anySatisfy(p -> assertThat(p).startsWith("outsideVni is required"))
                        .anySatisfy(p -> assertThat(p).startsWith("insideNextHop"))
                        .anySatisfy(p -> assertThat(p).startsWith("outsideNextHop")));
    }

    @Test
    void refusesAnInvertedRangeAndEqualVnis() {
        String bad = CONTRACT_EXAMPLE.replace("\"portRangeStart\":20000", "\"portRangeStart\":30000")
                .replace("\"outsideVni\":200", "\"outsideVni\":100");

        assertThatThrownBy(() -> NatConfig.from(json.readTree(bad))).isInstanceOfSatisfying(
                InvalidConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "portRangeStart must not be above portRangeEnd", "insideVni and outsideVni must differ"));
    }

    @Test
    void whatTheExampleLeavesOutHasTheRfcDefaults() throws Exception {
        NatConfig config = NatConfig.from(json.readTree(CONTRACT_EXAMPLE));

        assertThat(config.publicAddresses()).containsExactly(Ipv4Addresses.parse("203.0.113.10"));
        assertThat(config.filtering()).isEqualTo(Filtering.ADDRESS_DEPENDENT);
        assertThat(config.portBlockSize()).isEqualTo(64);
        assertThat(config.portForwards()).isEmpty();
        assertThat(config.timeouts()).isEqualTo(new NatTimeouts(300, 7440, 240, 60));
        assertThat(config.maxSessions()).isEqualTo(NatConfig.MAX_SESSIONS);
        assertThat(config.maxSessionsPerHost()).isEqualTo(NatConfig.MAX_SESSIONS);
    }

    @Test
    void readsEveryField() throws Exception {
        NatConfig config = NatConfig.from(json.readTree(NatTests.config("""
                "filtering":"endpoint-independent","portBlockSize":100,"maxSessions":5000,"maxSessionsPerHost":50,
                "udpTimeout":120,"tcpEstablishedTimeout":86400,"tcpTransitoryTimeout":300,"icmpTimeout":90,
                "portForwards":[{"protocol":"tcp","publicPort":443,"insideAddress":"10.0.0.80","insidePort":8443},
                 {"protocol":"udp","publicAddress":"203.0.113.10","publicPort":5060,"insideAddress":"10.0.0.80",
                  "insidePort":5060}]""")));

        assertThat(config.filtering()).isEqualTo(Filtering.ENDPOINT_INDEPENDENT);
        assertThat(config.portBlockSize()).isEqualTo(100);
        assertThat(config.maxSessions()).isEqualTo(5000);
        assertThat(config.maxSessionsPerHost()).isEqualTo(50);
        assertThat(config.timeouts()).isEqualTo(new NatTimeouts(120, 86400, 300, 90));
        int inside = Ipv4Addresses.parse("10.0.0.80");
        assertThat(config.portForwards()).containsExactly(
                new PortForward(FlowKey.TCP, config.publicAddress(), 443, inside, 8443),
                new PortForward(FlowKey.UDP, config.publicAddress(), 5060, inside, 5060));
    }

    @Test
    void takesSeveralPublicAddressesOrTheOlderSingleOne() throws Exception {
        String several = CONTRACT_EXAMPLE.replace("\"publicAddress\":\"203.0.113.10\"",
                "\"publicAddresses\":[\"203.0.113.10\",\"198.51.100.20\"]");

        assertThat(NatConfig.from(json.readTree(several)).publicAddresses())
                .containsExactly(Ipv4Addresses.parse("203.0.113.10"), Ipv4Addresses.parse("198.51.100.20"));
        assertThat(problems(several.replace("198.51.100.20", "203.0.113.10")))
                .containsExactly("publicAddresses[1] repeats 203.0.113.10");
        assertThat(problems(NatTests.config("\"publicAddresses\":[\"203.0.113.11\"]")))
                .containsExactly("publicAddress and publicAddresses: give one of them, not both");
        assertThat(problems(several.replace("[\"203.0.113.10\",\"198.51.100.20\"]", "[]")))
                .singleElement().asString().startsWith("publicAddresses must be an array of 1..256");
        assertThat(problems(several.replace("198.51.100.20", "224.0.0.1")))
                .containsExactly("publicAddresses[1] is not a unicast address: 224.0.0.1");
    }

    @ParameterizedTest(name = "{0} = {1} is refused")
    @CsvSource(delimiter = ';', value = {
            "udpTimeout; 119; RFC 4787 REQ-5",
            "tcpEstablishedTimeout; 7439; RFC 5382 REQ-5",
            "tcpTransitoryTimeout; 239; RFC 5382 REQ-5",
            "icmpTimeout; 59; RFC 5508 REQ-2",
            "icmpTimeout; 604801; RFC 5508 REQ-2",
            "portBlockSize; 10001; at most the ports of the range",
            "portBlockSize; 0; at most the ports of the range",
            "maxSessions; 0; 1..16777216",
            "maxSessionsPerHost; 16777217; 1..16777216"})
    void refusesAValueOutOfItsBoundsNamingTheField(String field, String value, String why) {
        assertThat(problems(NatTests.config("\"" + field + "\":" + value))).singleElement().asString()
                .startsWith(field + " must be in ").contains(why).endsWith("got " + value);
    }

    @Test
    void refusesAnUnknownFiltering() {
        assertThat(problems(NatTests.config("\"filtering\":\"full-cone\""))).singleElement().asString()
                .startsWith("filtering must be endpoint-independent, address-dependent or address-and-port-dependent");
    }

    @Test
    void refusesForwardsThatCollideNamingEachOne() {
        String forwards = """
                "publicAddresses":["203.0.113.10","203.0.113.11"],"portForwards":[
                 {"protocol":"tcp","publicPort":443,"insideAddress":"10.0.0.80","insidePort":8443},
                 {"protocol":"tcp","publicAddress":"203.0.113.10","publicPort":443,"insideAddress":"10.0.0.81",
                  "insidePort":443},
                 {"protocol":"tcp","publicPort":8443,"insideAddress":"10.0.0.80","insidePort":8443},
                 {"protocol":"udp","publicAddress":"203.0.113.11","publicPort":53,"insideAddress":"10.0.0.80",
                  "insidePort":53},
                 {"protocol":"udp","publicPort":443,"insideAddress":"10.0.0.82","insidePort":443},
                 {"protocol":"sctp","publicAddress":"192.0.2.1","publicPort":0,"insideAddress":"10.0.0.300"}]""";

        assertThat(problems(CONTRACT_EXAMPLE.replace("\"publicAddress\":\"203.0.113.10\",", "")
                .replace("}", "," + forwards + "}"))).containsExactly(
                        "portForwards[1] forwards 203.0.113.10:443 again",
                        "portForwards[2] forwards to 10.0.0.80:8443 again (an inside endpoint has one public port)",
                        "portForwards[3].publicAddress: 10.0.0.80 is forwarded on 203.0.113.10 already (an inside"
                                + " host has one public address, RFC 4787 REQ-2)",
                        "portForwards[5].protocol must be tcp or udp",
                        "portForwards[5].publicAddress is not one of the public addresses: 192.0.2.1",
                        "portForwards[5].publicPort must be in 1..65535, got 0",
                        "portForwards[5].insideAddress is not an IPv4 address: 10.0.0.300",
                        "portForwards[5].insidePort is required: an integer in 1..65535");
    }

    private List<String> problems(String config) {
        try {
            NatConfig.from(json.readTree(config));
        } catch (InvalidConfigException e) {
            return e.problems();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + config);
    }
}
