package io.isthmus.vnf.slb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.isthmus.control.FlowKey;

/** The two-long map against the JDK's HashMap, over random puts and removes that make it grow and wrap. */
class LongPairMapTest {

    @Test
    void behavesAsAHashMapThroughPutsRemovesAndGrowth() {
        Random random = new Random(7);
        LongPairMap<SlbPolicy.Connection> map = new LongPairMap<>();
        Map<FlowKey, SlbPolicy.Connection> reference = new HashMap<>();
        List<FlowKey> keys = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            // few distinct addresses and ports, so keys collide in their slots and removals shift entries back
            keys.add(new FlowKey(300, FlowKey.TCP, 0x0A00_0000 | random.nextInt(64), 0xAC10_090A, 1024 + random.nextInt(
                    512), 80));
        }
        for (int step = 0; step < 200_000; step++) {
            FlowKey key = keys.get(random.nextInt(keys.size()));
            if (random.nextInt(3) == 0) {
                SlbPolicy.Connection expected = reference.get(key);
                assertThat(map.remove(key, expected)).isEqualTo(expected != null);
                reference.remove(key);
            } else {
                SlbPolicy.Connection c = new SlbPolicy.Connection(key, key, "web", "web/10.20.0.11:80");
                map.put(key, c);
                reference.put(key, c);
            }
            if (step % 10_000 == 0) {
                assertThat(map.size()).isEqualTo(reference.size());
                for (FlowKey k : keys) {
                    assertThat(map.get(k)).isSameAs(reference.get(k));
                }
            }
        }
        assertThat(map.values()).containsExactlyInAnyOrderElementsOf(reference.values());
        FlowKey any = reference.keySet().iterator().next();
        assertThat(map.remove(any, new SlbPolicy.Connection(any, any, "web", "other"))).isFalse();
        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.get(any)).isNull();
    }
}
