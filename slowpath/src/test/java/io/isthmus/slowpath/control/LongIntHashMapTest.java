package io.isthmus.slowpath.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The primitive map the route tables are kept in, against a {@link HashMap}. */
class LongIntHashMapTest {

    @Test
    void putsGetsAndRemovesAsAHashMapDoesThroughGrowthAndBackwardShifts() {
        // Given a small map and keys from a narrow range, so that probes collide and removals shift entries back
        LongIntHashMap map = new LongIntHashMap(4);
        Map<Long, Integer> reference = new HashMap<>();
        Random random = new Random(42);

        // When 200,000 random puts and removes are made
        for (int i = 0; i < 200_000; i++) {
            long key = random.nextInt(5_000) * 64L;
            if (random.nextInt(3) == 0) {
                Integer expected = reference.remove(key);
                assertThat(map.remove(key)).isEqualTo(expected == null ? LongIntHashMap.MISSING : expected);
            } else {
                Integer expected = reference.put(key, i);
                assertThat(map.put(key, i)).isEqualTo(expected == null ? LongIntHashMap.MISSING : expected);
            }
        }

        // Then it holds what the reference holds, found by key and by iteration
        assertThat(map.size()).isEqualTo(reference.size());
        reference.forEach((key, value) -> assertThat(map.get(key)).isEqualTo(value));
        Map<Long, Integer> iterated = new HashMap<>();
        for (int slot = 0; slot < map.capacity(); slot++) {
            if (map.isUsed(slot)) {
                iterated.put(map.keyAt(slot), map.valueAt(slot));
            }
        }
        assertThat(iterated).isEqualTo(reference);
        assertThat(map.get(-5L & Long.MAX_VALUE)).isEqualTo(LongIntHashMap.MISSING);
    }
}
