package io.isthmus.slowpath.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.isthmus.control.FlowKey;

class FlowLedgerTest {

    private static final FlowKey FLOW = new FlowKey(100, FlowKey.UDP, 0x0A000005, 0x08080808, 40001, 53);
    private static final long ONE = 1L << 1;
    private static final long TWO = 1L << 2;
    private static final long ONE_TWO = ONE | TWO;

    private final FlowLedger ledger = new FlowLedger();

    @Test
    void aRuleExpiresOnlyWhenEveryFastpathHoldingItReportedIt() {
        // Given a rule installed in fastpaths 1 and 2
        ledger.installed(FLOW.high(), FLOW.low(), ONE_TWO);

        // When fastpath 1 reports it expired, it is still busy on 2 as far as we know
        assertThat(ledger.reported(FLOW.high(), FLOW.low(), ONE, ONE_TWO)).isFalse();
        // And a repeated report changes nothing
        assertThat(ledger.reported(FLOW.high(), FLOW.low(), ONE, ONE_TWO)).isFalse();

        // When fastpath 2 reports it too, it has expired everywhere and is forgotten
        assertThat(ledger.reported(FLOW.high(), FLOW.low(), TWO, ONE_TWO)).isTrue();
        assertThat(ledger.contains(FLOW.high(), FLOW.low())).isFalse();
        assertThat(ledger.reported(FLOW.high(), FLOW.low(), TWO, ONE_TWO)).isFalse();
    }

    @Test
    void aReinstallMakesEarlierReportsCountForNothing() {
        ledger.installed(FLOW.high(), FLOW.low(), ONE_TWO);
        ledger.reported(FLOW.high(), FLOW.low(), ONE, ONE_TWO);

        // When the flow missed again and was installed again everywhere
        ledger.installed(FLOW.high(), FLOW.low(), ONE_TWO);

        // Then fastpath 2's report alone does not expire it
        assertThat(ledger.reported(FLOW.high(), FLOW.low(), TWO, ONE_TWO)).isFalse();
        assertThat(ledger.reported(FLOW.high(), FLOW.low(), ONE, ONE_TWO)).isTrue();
    }

    @Test
    void aHolderThatIsNoLongerRegisteredIsNotWaitedFor() {
        ledger.installed(FLOW.high(), FLOW.low(), ONE_TWO);

        // When fastpath 2 was scaled in (no longer live) and 1 reports
        assertThat(ledger.reported(FLOW.high(), FLOW.low(), ONE, ONE)).isTrue();
    }

    @Test
    void aRestartedFastpathHoldsNothingButItsRestartExpiresNothing() {
        ledger.installed(FLOW.high(), FLOW.low(), ONE_TWO);
        ledger.reported(FLOW.high(), FLOW.low(), ONE, ONE_TWO);

        // When fastpath 2 restarts with an empty table
        ledger.forget(TWO);

        // Then the rule is still tracked (a flow busy on 2 comes back as a miss, with its state intact)
        assertThat(ledger.contains(FLOW.high(), FLOW.low())).isTrue();
        // And the next report settles it without waiting for 2
        assertThat(ledger.reported(FLOW.high(), FLOW.low(), ONE, ONE_TWO)).isTrue();
    }

    @Test
    void manyRulesAreFoundAndRemovedThroughGrowthAndDeletion() {
        int count = 50_000;
        for (int i = 0; i < count; i++) {
            FlowKey key = key(i);
            ledger.installed(key.high(), key.low(), ONE);
        }
        assertThat(ledger.size()).isEqualTo(count);

        for (int i = 0; i < count; i += 2) {
            FlowKey key = key(i);
            assertThat(ledger.reported(key.high(), key.low(), ONE, ONE)).isTrue();
        }

        assertThat(ledger.size()).isEqualTo(count / 2);
        for (int i = 0; i < count; i++) {
            FlowKey key = key(i);
            assertThat(ledger.contains(key.high(), key.low())).as("key %d", i).isEqualTo(i % 2 == 1);
        }
        ledger.clear();
        assertThat(ledger.size()).isZero();
    }

    private static FlowKey key(int i) {
        return new FlowKey(100, FlowKey.UDP, 0x0A000000 | (i >>> 10), 0x08080808, 1024 + (i & 1023), 53);
    }
}
