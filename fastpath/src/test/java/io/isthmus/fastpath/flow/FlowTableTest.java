package io.isthmus.fastpath.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.isthmus.fastpath.control.FlowKey;

class FlowTableTest {

    private static final FlowKey A = new FlowKey(100, FlowKey.UDP, 0x0A000001, 0x08080808, 40000, 53);
    private static final FlowKey B = new FlowKey(100, FlowKey.UDP, 0x0A000001, 0x08080808, 40001, 53);

    @Test
    void findsWhatWasInsertedAndNothingElse() {
        // Given a table with one flow
        FlowTable table = new FlowTable(16);
        assertThat(table.put(A.high(), A.low(), 7)).isEqualTo(FlowTable.MISSING);

        // When looking up that flow and one differing in a single port
        // Then only the inserted flow hits
        assertThat(table.get(A.high(), A.low())).isEqualTo(7);
        assertThat(table.get(B.high(), B.low())).isEqualTo(FlowTable.MISSING);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void replacingAKeyReturnsTheOldValueAndKeepsTheSize() {
        // Given a flow mapped to 1
        FlowTable table = new FlowTable(4);
        table.put(A.high(), A.low(), 1);

        // When mapped again to 2
        int previous = table.put(A.high(), A.low(), 2);

        // Then the old value comes back and the table still holds one flow
        assertThat(previous).isEqualTo(1);
        assertThat(table.get(A.high(), A.low())).isEqualTo(2);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void removeReturnsTheValueAndTheFlowMissesAfterwards() {
        // Given two flows
        FlowTable table = new FlowTable(4);
        table.put(A.high(), A.low(), 1);
        table.put(B.high(), B.low(), 2);

        // When one is removed
        int removed = table.remove(A.high(), A.low());

        // Then it misses, the other still hits, and removing again finds nothing
        assertThat(removed).isEqualTo(1);
        assertThat(table.get(A.high(), A.low())).isEqualTo(FlowTable.MISSING);
        assertThat(table.get(B.high(), B.low())).isEqualTo(2);
        assertThat(table.remove(A.high(), A.low())).isEqualTo(FlowTable.MISSING);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void aFullTableRefusesNewFlowsCountsThemAndStillReplaces() {
        // Given a table filled to its capacity
        FlowTable table = new FlowTable(100);
        for (int i = 0; i < 100; i++) {
            assertThat(table.put(key(i).high(), key(i).low(), i)).isEqualTo(FlowTable.MISSING);
        }

        // When two more flows are inserted
        int first = table.put(key(100).high(), key(100).low(), 100);
        int second = table.put(key(101).high(), key(101).low(), 101);

        // Then both are refused and counted, nothing was evicted, and existing flows can still be replaced
        assertThat(first).isEqualTo(FlowTable.REJECTED);
        assertThat(second).isEqualTo(FlowTable.REJECTED);
        assertThat(table.rejectedInserts()).isEqualTo(2);
        assertThat(table.size()).isEqualTo(100);
        assertThat(table.get(key(100).high(), key(100).low())).isEqualTo(FlowTable.MISSING);
        for (int i = 0; i < 100; i++) {
            assertThat(table.get(key(i).high(), key(i).low())).isEqualTo(i);
        }
        assertThat(table.put(key(5).high(), key(5).low(), 500)).isEqualTo(5);

        // And after a removal there is room again
        table.remove(key(0).high(), key(0).low());
        assertThat(table.put(key(100).high(), key(100).low(), 100)).isEqualTo(FlowTable.MISSING);
    }

    @Test
    void randomInsertsAndRemovesAgreeWithAReferenceMapWithNoFalseHits() {
        // Given a small table (long probe chains, wrap-around) and a HashMap as the model
        SplittableRandom random = new SplittableRandom(42);
        FlowTable table = new FlowTable(512);
        Map<FlowKey, Integer> model = new HashMap<>();
        List<FlowKey> universe = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            // keys close to each other, as real flows are: same VNI, neighbouring addresses and ports
            universe.add(new FlowKey(100 + random.nextInt(2), random.nextBoolean() ? FlowKey.UDP : FlowKey.TCP,
                    0x0A000000 + random.nextInt(64), 0x08080808, 1024 + random.nextInt(64), 53));
        }

        for (int op = 0; op < 200_000; op++) {
            // When random puts, removes and gets are applied to both
            FlowKey key = universe.get(random.nextInt(universe.size()));
            switch (random.nextInt(3)) {
                case 0 -> {
                    int value = random.nextInt(1_000_000);
                    int result = table.put(key.high(), key.low(), value);
                    if (result == FlowTable.REJECTED) {
                        assertThat(model).doesNotContainKey(key).hasSize(512);
                    } else {
                        assertThat(result).isEqualTo(model.getOrDefault(key, FlowTable.MISSING));
                        model.put(key, value);
                    }
                }
                case 1 -> {
                    assertThat(table.remove(key.high(), key.low()))
                            .isEqualTo(model.getOrDefault(key, FlowTable.MISSING));
                    model.remove(key);
                }
                default -> assertThat(table.get(key.high(), key.low()))
                        .isEqualTo(model.getOrDefault(key, FlowTable.MISSING));
            }
            // Then the table always agrees with the model
            if (op % 10_000 == 0) {
                for (FlowKey k : universe) {
                    assertThat(table.get(k.high(), k.low())).isEqualTo(model.getOrDefault(k, FlowTable.MISSING));
                }
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
    }

    @Test
    void clearEmptiesTheTable() {
        FlowTable table = new FlowTable(8);
        table.put(A.high(), A.low(), 1);

        table.clear();

        assertThat(table.size()).isZero();
        assertThat(table.get(A.high(), A.low())).isEqualTo(FlowTable.MISSING);
    }

    private static FlowKey key(int i) {
        return new FlowKey(1, FlowKey.TCP, 0x0A000000 + i, 0x0B000000, 1000 + (i % 7), 80);
    }
}
