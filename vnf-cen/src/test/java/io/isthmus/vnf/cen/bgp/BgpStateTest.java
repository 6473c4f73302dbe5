package io.isthmus.vnf.cen.bgp;

import static io.isthmus.vnf.cen.bgp.BgpState.ACTIVE;
import static io.isthmus.vnf.cen.bgp.BgpState.CONNECT;
import static io.isthmus.vnf.cen.bgp.BgpState.ESTABLISHED;
import static io.isthmus.vnf.cen.bgp.BgpState.IDLE;
import static io.isthmus.vnf.cen.bgp.BgpState.OPEN_CONFIRM;
import static io.isthmus.vnf.cen.bgp.BgpState.OPEN_SENT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BgpStateTest {

    @ParameterizedTest(name = "{0} → {1}: {2}")
    @CsvSource({
            "IDLE, CONNECT, true", "IDLE, ACTIVE, true", "IDLE, ESTABLISHED, false", "IDLE, OPEN_SENT, false",
            "CONNECT, OPEN_SENT, true", "CONNECT, ACTIVE, true", "CONNECT, IDLE, true", "CONNECT, ESTABLISHED, false",
            "ACTIVE, OPEN_SENT, true", "ACTIVE, CONNECT, true", "ACTIVE, OPEN_CONFIRM, false",
            "OPEN_SENT, OPEN_CONFIRM, true", "OPEN_SENT, ESTABLISHED, false", "OPEN_SENT, IDLE, true",
            "OPEN_CONFIRM, ESTABLISHED, true", "OPEN_CONFIRM, IDLE, true", "OPEN_CONFIRM, OPEN_SENT, false",
            "ESTABLISHED, IDLE, true", "ESTABLISHED, OPEN_SENT, false", "ESTABLISHED, CONNECT, false"})
    void transitionTable(BgpState from, BgpState to, boolean allowed) {
        assertThat(from.canMoveTo(to)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"IDLE, Idle", "CONNECT, Connect", "ACTIVE, Active", "OPEN_SENT, OpenSent", "OPEN_CONFIRM, OpenConfirm",
            "ESTABLISHED, Established"})
    void statesCarryTheirRfcNames(BgpState state, String name) {
        assertThat(state.rfcName()).isEqualTo(name);
        assertThat(IDLE).isNotEqualTo(ACTIVE).isNotEqualTo(CONNECT).isNotEqualTo(OPEN_SENT).isNotEqualTo(OPEN_CONFIRM)
                .isNotEqualTo(ESTABLISHED);
    }
}
