package io.isthmus.control.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FastpathStats;
import io.isthmus.control.FlowKey;
import io.isthmus.control.GroupCounters;
import io.isthmus.control.Rule;

/** Counter groups on the wire: COUNT with a group in an INSTALL, and the groups section of a STATS_RESPONSE. */
class CounterGroupsMessageTest {

    private static final int COUNTERS_END = StatsResponseFlyweight.COUNTERS_OFFSET
            + FastpathStats.COUNTER_COUNT * Long.BYTES;

    private final ByteBuffer buffer = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);
    private final FlowKey key = new FlowKey(7, FlowKey.TCP, 0x0A000001, 0xC0A80001, 40000, 80);
    private final long[] counters = new long[FastpathStats.COUNTER_COUNT];
    private final long[] groups = new long[Action.Count.MAX_GROUPS * 2];

    @Test
    void aCountWithAGroupRoundTripsThroughAnInstall() {
        // Given rules counting into no group, group 1 and the last group
        List<Rule> rules = List.of(Rule.of(key, new Action.Count(), new Action.Drop()),
                Rule.of(key, new Action.Count(1), new Action.Drop()),
                Rule.of(key, new Action.Count(Action.Count.MAX_GROUPS - 1), new Action.Drop()));

        // When encoded and decoded
        int length = InstallFlyweight.encode(buffer, 0, 1, 1, rules);

        // Then they come back equal, each group as it was
        assertThat(length).isEqualTo(InstallFlyweight.length(rules));
        assertThat(InstallFlyweight.decode(buffer, 0, length)).isEqualTo(rules);
        assertThat(InstallFlyweight.decode(buffer, 0, length).get(2).actions().get(0))
                .isEqualTo(new Action.Count(2047));
    }

    @Test
    void aCountWithoutAGroupEncodesAsBefore() {
        // Given a rule whose COUNT has no group
        Rule rule = Rule.of(key, new Action.Count());

        // When encoded
        int length = InstallFlyweight.encode(buffer, 0, 1, 1, List.of(rule));

        // Then it is opcode COUNT (6) without operands, the last byte of the message, and the no-argument Count
        assertThat(new Action.Count()).isEqualTo(new Action.Count(0));
        assertThat(length).isEqualTo(InstallFlyweight.RULES_OFFSET + FlowKeyFlyweight.KEY_LENGTH + 2);
        assertThat(buffer.get(length - 1)).isEqualTo((byte) 6);
        assertThat(new Action.Count(3).opcode()).isEqualTo(Action.COUNT_GROUP);
        assertThat(Action.of(Action.COUNT, 0, 0)).isEqualTo(new Action.Count());
        assertThat(Action.of(Action.COUNT_GROUP, 5, 0)).isEqualTo(new Action.Count(5));
    }

    @Test
    void aGroupOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new Action.Count(Action.Count.MAX_GROUPS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Action.Count(-1)).isInstanceOf(IllegalArgumentException.class);

        // And an INSTALL that names one on the wire is malformed
        int length = InstallFlyweight.encode(buffer, 0, 1, 1, List.of(Rule.of(key, new Action.Count(1))));
        buffer.putShort(length - Short.BYTES, (short) Action.Count.MAX_GROUPS);
        assertThatThrownBy(() -> InstallFlyweight.decode(buffer, 0, length))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed");
    }

    @Test
    void aStatsResponseCarriesTheGroupsThatCountedAfterTheCounters() {
        // Given counters and three groups of which one counted nothing
        counters[FastpathStats.HITS_INDEX] = 42;
        count(3, 10, 1_500);
        count(9, 0, 0);
        count(1, 1, 64);

        // When encoded with the groups and decoded
        int length = StatsResponseFlyweight.encode(buffer, 0, 2, 5, counters, counters.length, groups);

        // Then the counters read as before and the groups that counted come back, ascending
        assertThat(length).isEqualTo(COUNTERS_END + StatsResponseFlyweight.GROUPS_HEADER_LENGTH
                + 2 * StatsResponseFlyweight.GROUP_LENGTH);
        assertThat(StatsResponseFlyweight.decode(buffer, 0, length).hits()).isEqualTo(42);
        assertThat(StatsResponseFlyweight.groups(buffer, 0, length)).containsExactly(
                Map.entry(1, new GroupCounters(1, 64)), Map.entry(3, new GroupCounters(10, 1_500)));
    }

    @Test
    void aReaderThatDoesNotKnowTheGroupsReadsTheCountersAndAResponseWithoutThemHasNone() {
        // Given a response with groups
        counters[FastpathStats.PACKETS_INDEX] = 7;
        count(4, 7, 700);
        int length = StatsResponseFlyweight.encode(buffer, 0, 2, 5, counters, counters.length, groups);

        // When a reader that knows only the counters reads it (as every reader did before the groups)
        FastpathStats withGroups = StatsResponseFlyweight.decode(buffer, 0, length);

        // Then it reads what it reads of the same counters without the section
        int plain = StatsResponseFlyweight.encode(buffer, 0, 2, 5, counters, counters.length);
        assertThat(withGroups).isEqualTo(StatsResponseFlyweight.decode(buffer, 0, plain));
        assertThat(withGroups.packets()).isEqualTo(7);

        // And a response from a fastpath without groups has none
        assertThat(plain).isEqualTo(COUNTERS_END);
        assertThat(StatsResponseFlyweight.decodeGroups(buffer, 0, plain, (g, p, b) -> {
        })).isZero();
        assertThat(StatsResponseFlyweight.groups(buffer, 0, plain)).isEmpty();
    }

    @Test
    void everyGroupFitsInOneResponse() {
        // Given every group counted something
        for (int group = 1; group < Action.Count.MAX_GROUPS; group++) {
            count(group, group, 100L * group);
        }

        // When encoded
        int length = StatsResponseFlyweight.encode(buffer, 0, 2, 5, counters, counters.length, groups);

        // Then all 2,047 are there, within the largest message (about 41 KB)
        assertThat(StatsResponseFlyweight.maxGroups(FastpathStats.COUNTER_COUNT))
                .isGreaterThanOrEqualTo(Action.Count.MAX_GROUPS - 1);
        assertThat(length).isEqualTo(COUNTERS_END + 4 + 2_047 * 20).isEqualTo(41_152)
                .isLessThanOrEqualTo(ControlProtocol.MAX_MESSAGE_LENGTH);
        Map<Integer, GroupCounters> decoded = StatsResponseFlyweight.groups(buffer, 0, length);
        assertThat(decoded).hasSize(2_047);
        assertThat(decoded.get(2_047)).isEqualTo(new GroupCounters(2_047, 204_700));
    }

    @Test
    void groupsBeyondTheBufferAreLeftOut() {
        // Given five groups and a buffer with room for three
        for (int group = 1; group <= 5; group++) {
            count(group, 1, 1);
        }
        ByteBuffer small = ByteBuffer.allocate(COUNTERS_END + StatsResponseFlyweight.GROUPS_HEADER_LENGTH
                + 3 * StatsResponseFlyweight.GROUP_LENGTH + 5);

        // When encoded, Then the first three go and the message is whole
        int length = StatsResponseFlyweight.encode(small, 0, 2, 5, counters, counters.length, groups);
        assertThat(StatsResponseFlyweight.groups(small, 0, length)).containsOnlyKeys(1, 2, 3);
    }

    @Test
    void aGroupsSectionThatOverrunsOrNamesNoGroupIsMalformed() {
        count(2, 1, 1);
        int length = StatsResponseFlyweight.encode(buffer, 0, 2, 5, counters, counters.length, groups);

        // a section cut short
        assertThat(StatsResponseFlyweight.groups(buffer, 0, length - 1)).isNull();
        assertThat(StatsResponseFlyweight.groups(buffer, 0, COUNTERS_END + 2)).isNull();
        // group 0, and a group beyond the last
        for (int group : new int[]{0, Action.Count.MAX_GROUPS}) {
            buffer.putShort(COUNTERS_END + StatsResponseFlyweight.GROUPS_HEADER_LENGTH, (short) group);
            assertThat(StatsResponseFlyweight.groups(buffer, 0, length)).as("group %d", group).isNull();
        }
        // while the counters before it still decode
        assertThat(StatsResponseFlyweight.decode(buffer, 0, length)).isNotNull();
    }

    private void count(int group, long packets, long bytes) {
        groups[group * 2] = packets;
        groups[group * 2 + 1] = bytes;
    }
}
