package io.isthmus.vnf.cen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The prefix-keyed maps agree with a HashMap through growth, backward-shift deletions and clearing. */
class PrefixMapTest {

    @Test
    void objectAndMetricMapsAgreeWithAHashMapOverRandomPutsAndRemoves() {
        Random random = new Random(13);
        PrefixMap<String> map = new PrefixMap<>();
        PrefixMetrics metrics = new PrefixMetrics();
        Map<Long, Long> reference = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // few distinct keys, so that removals hit and probe chains wrap around
            long key = random.nextInt(5_000);
            if (random.nextInt(3) == 0) {
                Long expected = reference.remove(key);
                assertThat(map.remove(key)).isEqualTo(expected == null ? null : "v" + expected);
                assertThat(metrics.remove(key)).isEqualTo(expected == null ? PrefixMetrics.MISSING : expected);
            } else {
                long value = random.nextInt(1_000_000);
                Long expected = reference.put(key, value);
                assertThat(map.put(key, "v" + value)).isEqualTo(expected == null ? null : "v" + expected);
                assertThat(metrics.put(key, value)).isEqualTo(expected == null ? PrefixMetrics.MISSING : expected);
            }
        }
        assertThat(map.size()).isEqualTo(reference.size());
        assertThat(metrics.size()).isEqualTo(reference.size());
        reference.forEach((key, value) -> {
            assertThat(map.get(key)).isEqualTo("v" + value);
            assertThat(metrics.get(key)).isEqualTo(value);
        });
        Map<Long, String> walked = new HashMap<>();
        map.forEach(walked::put);
        assertThat(walked).hasSize(reference.size());
        assertThat(metrics.keys()).hasSize(reference.size());

        map.clear();
        metrics.clear();
        assertThat(map.isEmpty()).isTrue();
        assertThat(metrics.get(reference.keySet().iterator().next())).isEqualTo(PrefixMetrics.MISSING);
    }
}
