package io.isthmus.slowpath.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.GroupCounters;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.slowpath.control.FastpathRegistry.Registration;

class FastpathRegistryTest {

    private static final InetSocketAddress CONTROL_A = new InetSocketAddress("127.0.0.1", 50001);
    private static final InetSocketAddress CONTROL_B = new InetSocketAddress("127.0.0.1", 50002);
    private static final InetSocketAddress CONTROL_C = new InetSocketAddress("127.0.0.1", 50003);
    private static final InetSocketAddress DATA = new InetSocketAddress("127.0.0.1", 40001);
    private static final FastpathStats STATS = FastpathStats.of(new long[FastpathStats.COUNTER_COUNT]);

    private Instant now = Instant.parse("2025-01-01T00:00:00Z");
    private final FastpathRegistry registry = new FastpathRegistry(new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }, Duration.ofSeconds(5));

    @Test
    void aFirstHelloRegistersARepeatedHelloRefreshes() {
        assertThat(registry.onHello(1, CONTROL_A, DATA)).isEqualTo(Registration.NEW);
        now = now.plusSeconds(1);
        assertThat(registry.onHello(1, CONTROL_A, DATA)).isEqualTo(Registration.REFRESHED);

        assertThat(registry.live()).extracting(RegisteredFastpath::id).containsExactly(1);
        assertThat(registry.live().get(0).lastSeen()).isEqualTo(now);
    }

    @Test
    void aHelloWithOtherFlagsRefreshesButCountsAsAChange() {
        registry.onHello(1, CONTROL_A, DATA);
        long changes = registry.changes();
        assertThat(registry.get(1)).get().extracting(RegisteredFastpath::takesReinjectBatches).isEqualTo(false);

        assertThat(registry.onHello(1, CONTROL_A, DATA, HelloFlyweight.REINJECT_BATCH))
                .isEqualTo(Registration.REFRESHED);

        assertThat(registry.changes()).isEqualTo(changes + 1);
        assertThat(registry.get(1)).get().extracting(RegisteredFastpath::takesReinjectBatches).isEqualTo(true);
        registry.onHello(1, CONTROL_A, DATA, HelloFlyweight.REINJECT_BATCH);
        assertThat(registry.changes()).isEqualTo(changes + 1);
    }

    @Test
    void aKnownIdFromAnotherAddressHasMoved() {
        registry.onHello(1, CONTROL_A, DATA);

        assertThat(registry.onHello(1, CONTROL_B, DATA)).isEqualTo(Registration.MOVED);
        assertThat(registry.get(1)).get().extracting(RegisteredFastpath::controlAddress).isEqualTo(CONTROL_B);
    }

    @Test
    void aSilentFastpathExpiresAndRegistersAnewWhenItComesBack() {
        // Given two fastpaths, one of which stops saying HELLO
        registry.onHello(1, CONTROL_A, DATA);
        registry.onHello(2, CONTROL_B, DATA);
        now = now.plusSeconds(4);
        registry.onHello(2, CONTROL_B, DATA);

        // When more than the expiry time passed since its last HELLO
        now = now.plusSeconds(2);

        // Then it is no longer live, and a HELLO registers it as new
        assertThat(registry.live()).extracting(RegisteredFastpath::id).containsExactly(2);
        assertThat(registry.get(1)).isEmpty();
        assertThat(registry.onHello(1, CONTROL_A, DATA)).isEqualTo(Registration.NEW);
    }

    @Test
    void statsAreKeptOnlyFromTheRegisteredAddress() {
        registry.onHello(1, CONTROL_A, DATA);
        FastpathStats stats = new FastpathStats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

        registry.recordStats(1, CONTROL_B, stats);
        assertThat(registry.get(1).orElseThrow().lastStats()).isNull();

        registry.recordStats(1, CONTROL_A, stats);
        assertThat(registry.get(1).orElseThrow().lastStats()).isEqualTo(stats);
    }

    @Test
    void sumsEachGroupOverTheFastpathsLastResponses() {
        // Given two fastpaths that each answered twice
        registry.onHello(1, CONTROL_A, DATA);
        registry.onHello(2, CONTROL_B, DATA);
        registry.recordStats(1, CONTROL_A, STATS, Map.of(1, counted(1, 100)));
        registry.recordStats(1, CONTROL_A, STATS, Map.of(1, counted(4, 400), 2, counted(1, 60)));
        registry.recordStats(2, CONTROL_B, STATS, Map.of(1, counted(2, 200)));

        // Then each group is the sum of their last answers
        assertThat(registry.counterGroupTotals()).containsOnly(Map.entry(1, counted(6, 600)),
                Map.entry(2, counted(1, 60)));
    }

    @Test
    void aGroupThatRestartsFromZeroKeepsWhatItHadCounted() {
        // Given a fastpath that counted 10 packets in group 1
        registry.onHello(1, CONTROL_A, DATA);
        registry.recordStats(1, CONTROL_A, STATS, Map.of(1, counted(10, 1000), 2, counted(1, 10)));

        // When it started again (same address): its next answer has 3 in group 1 and nothing in group 2
        registry.recordStats(1, CONTROL_A, STATS, Map.of(1, counted(3, 300)));

        // Then the sums go on from what was counted before
        assertThat(registry.counterGroupTotals()).containsOnly(Map.entry(1, counted(13, 1300)),
                Map.entry(2, counted(1, 10)));
    }

    @Test
    void aFastpathThatLeavesKeepsItsCountsInTheSums() {
        // Given three fastpaths that counted in group 5
        registry.onHello(1, CONTROL_A, DATA);
        registry.onHello(2, CONTROL_B, DATA);
        registry.onHello(3, CONTROL_C, DATA);
        registry.recordStats(1, CONTROL_A, STATS, Map.of(5, counted(1, 1)));
        registry.recordStats(2, CONTROL_B, STATS, Map.of(5, counted(10, 10)));
        registry.recordStats(3, CONTROL_C, STATS, Map.of(5, counted(100, 100)));

        // When one is retired, one restarts at another address and the last falls silent until it expires
        registry.retire(1);
        registry.onHello(2, CONTROL_A, DATA);
        now = now.plusSeconds(6);
        registry.onHello(2, CONTROL_A, DATA);
        assertThat(registry.live()).extracting(RegisteredFastpath::id).containsExactly(2);

        // Then the group still counts all they counted
        assertThat(registry.counterGroupTotals()).containsOnly(Map.entry(5, counted(111, 111)));
        // And the restarted one's new counts add to it
        registry.recordStats(2, CONTROL_A, STATS, Map.of(5, counted(2, 2)));
        assertThat(registry.counterGroupTotals()).containsOnly(Map.entry(5, counted(113, 113)));
    }

    private static GroupCounters counted(long packets, long bytes) {
        return new GroupCounters(packets, bytes);
    }
}
