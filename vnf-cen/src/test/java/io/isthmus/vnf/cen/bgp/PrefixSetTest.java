package io.isthmus.vnf.cen.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrefixSetTest {

    @Test
    void behavesLikeAHashSetUnderRandomAddsAndRemoves() {
        Random random = new Random(42);
        PrefixSet set = new PrefixSet();
        Set<Long> reference = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            long key = Prefix.of(random.nextInt(1 << 14) << 8, 24).key();
            if (random.nextInt(3) == 0) {
                assertThat(set.remove(key)).isEqualTo(reference.remove(key));
            } else {
                assertThat(set.add(key)).isEqualTo(reference.add(key));
            }
        }
        assertThat(set.size()).isEqualTo(reference.size());
        for (int i = 0; i < 1 << 14; i++) {
            long key = Prefix.of(i << 8, 24).key();
            assertThat(set.contains(key)).isEqualTo(reference.contains(key));
        }
    }

    @Test
    void prefixKeysRoundTrip() {
        Prefix prefix = Prefix.parse("240.255.1.0/24");

        assertThat(Prefix.ofKey(prefix.key())).isEqualTo(prefix);
        assertThat(prefix.toString()).isEqualTo("240.255.1.0/24");
    }
}
