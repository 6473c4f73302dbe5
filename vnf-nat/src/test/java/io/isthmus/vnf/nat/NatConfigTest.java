package io.isthmus.vnf.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

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
        assertThat(config.insideNextHop().getPort()).isEqualTo(40002);
        assertThat(config.outsideNextHop().getPort()).isEqualTo(40001);
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
}
