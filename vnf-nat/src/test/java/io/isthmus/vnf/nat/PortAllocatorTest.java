package io.isthmus.vnf.nat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PortAllocatorTest {

    @Test
    void handsOutEveryPortOfTheRangeOnceThenNone() {
        // Given a range of 100 ports
        PortAllocator ports = new PortAllocator(20000, 20099);

        // When 100 are allocated
        Set<Integer> given = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            given.add(ports.allocate());
        }

        // Then each port came once, all inside the range, and the range is exhausted
        assertThat(given).hasSize(100).allMatch(p -> p >= 20000 && p <= 20099);
        assertThat(ports.allocate()).isEqualTo(PortAllocator.NONE);
        assertThat(ports.available()).isZero();
    }

    @Test
    void aReleasedPortIsReusedOnlyAfterTheOthers() {
        // Given three ports, two allocated and the first released
        PortAllocator ports = new PortAllocator(1, 3);
        int first = ports.allocate();
        ports.allocate();
        ports.release(first);

        // When two more are allocated
        int third = ports.allocate();
        int again = ports.allocate();

        // Then the untouched port comes before the released one
        assertThat(third).isEqualTo(3);
        assertThat(again).isEqualTo(first);
    }

    @Test
    void releasingAFreeOrForeignPortChangesNothing() {
        PortAllocator ports = new PortAllocator(10, 11);
        ports.allocate();

        ports.release(11);
        ports.release(99);

        assertThat(ports.inUse()).isEqualTo(1);
        assertThat(ports.isInUse(10)).isTrue();
    }
}
