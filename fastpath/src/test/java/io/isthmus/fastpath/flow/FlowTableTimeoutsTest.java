package io.isthmus.fastpath.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.isthmus.control.FlowKey;

/** Transitory TCP flows (RFC 5382 REQ-5) and timeouts changed while flows are in the table. */
class FlowTableTimeoutsTest {

    private static final long SECOND = 1_000_000_000L;
    /** Established TCP 2 h 4 min, transitory 4 min, UDP 5 min, ICMP 60 s, other 5 min. */
    private static final IdleTimeouts RFC = IdleTimeouts.DEFAULTS;

    private static final FlowKey TCP_A = new FlowKey(1, FlowKey.TCP, 0x0A000001, 0x08080808, 40000, 443);
    private static final FlowKey TCP_B = new FlowKey(1, FlowKey.TCP, 0x0A000002, 0x08080808, 40000, 443);
    private static final FlowKey UDP = new FlowKey(1, FlowKey.UDP, 0x0A000001, 0x08080808, 40000, 53);

    private final List<FlowKey> expired = new ArrayList<>();
    private final FlowTable.ExpiryHandler collect = (h, l, v) -> expired.add(FlowKey.unpack(h, l));

    @Test
    void aTransitoryTcpFlowExpiresAfterTheTransitoryTimeoutAndAnEstablishedOneAfterTwoHours() {
        try (FlowTable table = new FlowTable(16, 0.75f, RFC)) {
            // Given two TCP flows at t = 0, one of which turns transitory when hit at t = 60 s
            table.advanceTo(0);
            table.put(TCP_A.high(), TCP_A.low(), 1);
            table.put(TCP_B.high(), TCP_B.low(), 2);
            table.advanceTo(60 * SECOND);
            table.hit(TCP_A.high(), TCP_A.low());
            assertThat(table.setTransitory(TCP_A.high(), TCP_A.low(), true)).isTrue();
            assertThat(table.isTransitory(TCP_A.high(), TCP_A.low())).isTrue();
            assertThat(table.isTransitory(TCP_B.high(), TCP_B.low())).isFalse();

            // When the wheel runs just before and a tick after 4 min from that hit
            table.expire((60 + 240) * SECOND - table.tickNanos(), 1_000, collect);
            assertThat(expired).isEmpty();
            table.expire((60 + 240) * SECOND + table.tickNanos(), 1_000, collect);

            // Then the transitory flow expired with its value, the established one is there until 2 h 4 min
            assertThat(expired).containsExactly(TCP_A);
            assertThat(table.get(TCP_B.high(), TCP_B.low())).isEqualTo(2);
            table.expire(7_440 * SECOND - table.tickNanos(), 1_000, collect);
            assertThat(expired).containsExactly(TCP_A);
            table.expire(7_440 * SECOND + table.tickNanos(), 1_000, collect);
            assertThat(expired).containsExactly(TCP_A, TCP_B);
            table.verify();
        }
    }

    @Test
    void onlyTcpFlowsHaveAState() {
        try (FlowTable table = new FlowTable(16, 0.75f, RFC)) {
            table.put(UDP.high(), UDP.low(), 1);

            assertThat(table.setTransitory(UDP.high(), UDP.low(), true)).isFalse();
            assertThat(table.setTransitory(TCP_A.high(), TCP_A.low(), true)).isFalse();
            assertThat(table.isTransitory(UDP.high(), UDP.low())).isFalse();
            assertThat(table.isTransitory(TCP_A.high(), TCP_A.low())).isFalse();
            table.verify();
        }
    }

    @Test
    void aTransitoryFlowMadeEstablishedAgainKeepsItsValueAndTheLongTimeout() {
        try (FlowTable table = new FlowTable(16, 0.75f, RFC)) {
            // Given a transitory TCP flow whose rule is then replaced: it stays transitory
            table.advanceTo(0);
            table.put(TCP_A.high(), TCP_A.low(), 1);
            table.setTransitory(TCP_A.high(), TCP_A.low(), true);
            assertThat(table.put(TCP_A.high(), TCP_A.low(), 5)).isEqualTo(1);
            assertThat(table.isTransitory(TCP_A.high(), TCP_A.low())).isTrue();
            assertThat(table.get(TCP_A.high(), TCP_A.low())).isEqualTo(5);

            // When it is made established again (a SYN reopened the connection)
            table.setTransitory(TCP_A.high(), TCP_A.low(), false);

            // Then it outlives the transitory timeout, and hits still find its value
            table.expire(600 * SECOND, 1_000, collect);
            assertThat(expired).isEmpty();
            assertThat(table.hit(TCP_A.high(), TCP_A.low())).isEqualTo(5);
            assertThat(table.lastHitValue()).isEqualTo(5);
            table.verify();
        }
    }

    @Test
    void newTimeoutsApplyToTheFlowsInTheTableShorterOrLonger() {
        try (FlowTable table = new FlowTable(16, 0.75f, RFC)) {
            // Given a UDP flow (5 min) and an ICMP one (60 s) at t = 0
            FlowKey icmp = new FlowKey(1, FlowKey.ICMP, 1, 2, 7, 0);
            table.advanceTo(0);
            table.put(UDP.high(), UDP.low(), 1);
            table.put(icmp.high(), icmp.low(), 2);

            // When at t = 10 s UDP goes down to 2 min and ICMP up to 10 min
            table.advanceTo(10 * SECOND);
            IdleTimeouts changed = new IdleTimeouts(RFC.tcpEstablished(), RFC.tcpTransitory(),
                    Duration.ofMinutes(2), Duration.ofMinutes(10), RFC.other());
            table.timeouts(changed);
            assertThat(table.timeouts()).isEqualTo(changed);

            // Then the UDP flow expires 2 min after its last hit, the ICMP one not after 60 s but after 10 min
            table.expire(119 * SECOND, 1_000, collect);
            assertThat(expired).isEmpty();
            table.expire(125 * SECOND, 1_000, collect);
            assertThat(expired).containsExactly(UDP);
            table.expire(590 * SECOND, 1_000, collect);
            assertThat(expired).containsExactly(UDP);
            table.expire(605 * SECOND, 1_000, collect);
            assertThat(expired).containsExactly(UDP, icmp);
            table.verify();
        }
    }

    @Test
    void aFlowAlreadyIdleLongerThanItsNewTimeoutExpiresAtTheNextPassEvenWithinTheSameTick() {
        try (FlowTable table = new FlowTable(16, 0.75f, RFC)) {
            table.advanceTo(0);
            table.put(UDP.high(), UDP.low(), 1);
            table.expire(200 * SECOND, 1_000, collect);

            table.timeouts(new IdleTimeouts(RFC.tcpEstablished(), RFC.tcpTransitory(), Duration.ofMinutes(2),
                    RFC.icmp(), RFC.other()));
            table.expire(200 * SECOND, 1_000, collect);

            assertThat(expired).containsExactly(UDP);
            table.verify();
        }
    }

    @Test
    void aTableMadeToKeepItsFlowsExpiresThemOnceGivenTimeoutsAndAClearKeepsThem() {
        try (FlowTable table = new FlowTable(100, 0.75f, IdleTimeouts.NEVER)) {
            // Given flows that never expire
            table.advanceTo(0);
            for (int i = 0; i < 50; i++) {
                table.put(key(i).high(), key(i).low(), i);
            }
            table.expire(3_600 * SECOND, 1_000, collect);
            assertThat(expired).isEmpty();

            // When timeouts of 10 s arrive at t = 1 h
            table.timeouts(IdleTimeouts.all(Duration.ofSeconds(10)));
            table.verify();

            // Then they are all overdue and expire at the next pass
            table.expire(3_601 * SECOND, 1_000, collect);
            assertThat(expired).hasSize(50);

            // And the table, emptied, keeps the timeouts for the flows to come
            table.put(key(1).high(), key(1).low(), 1);
            table.clear();
            assertThat(table.timeouts()).isEqualTo(IdleTimeouts.all(Duration.ofSeconds(10)));
            table.put(key(2).high(), key(2).low(), 2);
            table.expire(3_620 * SECOND, 1_000, collect);
            assertThat(expired).hasSize(51).endsWith(key(2));

            // And back to never: nothing is listed any more
            table.put(key(3).high(), key(3).low(), 3);
            table.timeouts(IdleTimeouts.NEVER);
            table.verify();
            assertThat(table.expire(7_200 * SECOND, 1_000, collect)).isZero();
        }
    }

    private static FlowKey key(int i) {
        return new FlowKey(1, FlowKey.UDP, 0x0A000000 + i, 0x0B000000, 1000 + (i % 7), 80);
    }
}
