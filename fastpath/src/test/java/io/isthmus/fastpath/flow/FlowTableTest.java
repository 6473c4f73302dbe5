package io.isthmus.fastpath.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.isthmus.control.FlowKey;

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
            if (op % 5_000 == 0) {
                table.verify();
            }
        }
        table.verify();
        table.close();
    }

    @Test
    void clearEmptiesTheTable() {
        FlowTable table = new FlowTable(8);
        table.put(A.high(), A.low(), 1);

        table.clear();

        assertThat(table.size()).isZero();
        assertThat(table.get(A.high(), A.low())).isEqualTo(FlowTable.MISSING);
    }

    @Test
    void clearingABigTableEmptiesItAndItFillsAgain() {
        // Given a table of 4 MiB (mapped with huge pages where Linux allows: cleared by giving the pages back)
        try (FlowTable table = new FlowTable(100_000, 0.75f, IdleTimeouts.all(Duration.ofSeconds(5)))) {
            table.advanceTo(0);
            for (int i = 0; i < 100_000; i++) {
                table.put(key(i).high(), key(i).low(), i);
            }

            // When cleared
            table.clear();

            // Then nothing is left, the wheel holds nothing to expire, and it fills up again
            assertThat(table.size()).isZero();
            assertThat(table.get(key(7).high(), key(7).low())).isEqualTo(FlowTable.MISSING);
            assertThat(table.expire(Duration.ofSeconds(10).toNanos(), 1_000_000, (h, l, v) -> {
            })).isZero();
            for (int i = 0; i < 100_000; i++) {
                assertThat(table.put(key(i).high(), key(i).low(), i)).isEqualTo(FlowTable.MISSING);
            }
            table.verify();
        }
    }

    // ---------------------------------------------------------------- load factor limits

    @Test
    void capacityIsThePowerOfTwoThatKeepsTheLoadUnderTheFactorAndInsertsStopAtTheFlowsAskedFor() {
        for (float loadFactor : new float[]{0.5f, 0.75f, 0.9f}) {
            // Given a table for 1000 flows at this maximum load factor
            try (FlowTable table = new FlowTable(1000, loadFactor, IdleTimeouts.NEVER)) {
                // Then its capacity is the smallest power of two that holds 1000 flows under the factor
                int needed = (int) Math.ceil(1000 / loadFactor);
                assertThat(Integer.bitCount(table.capacity())).isEqualTo(1);
                assertThat(table.capacity()).isGreaterThanOrEqualTo(needed);
                assertThat(table.capacity() / 2).isLessThan(needed);
                assertThat(table.maxFlows()).isEqualTo(1000);

                // When filled and then offered one more
                for (int i = 0; i < 1000; i++) {
                    assertThat(table.put(key(i).high(), key(i).low(), i)).isEqualTo(FlowTable.MISSING);
                }
                int refused = table.put(key(1000).high(), key(1000).low(), 1000);

                // Then the extra one is refused and counted, and the load never passed the factor
                assertThat(refused).isEqualTo(FlowTable.REJECTED);
                assertThat(table.rejectedInserts()).isEqualTo(1);
                assertThat((double) table.size() / table.capacity()).isLessThanOrEqualTo(loadFactor);
                table.verify();
            }
        }
    }

    @Test
    void aTableFilledToExactlyItsLoadFactorFindsEveryFlowAndEndsEveryMiss() {
        // Given 768 flows at 0.75: 1024 slots filled to exactly the load factor
        try (FlowTable table = new FlowTable(768, 0.75f, IdleTimeouts.NEVER)) {
            assertThat(table.capacity()).isEqualTo(1024);
            for (int i = 0; i < 768; i++) {
                table.put(key(i).high(), key(i).low(), i);
            }

            // When every flow and 20 000 absent ones are looked up
            // Then every flow hits and every absent one misses (probing ends at an empty slot)
            for (int i = 0; i < 768; i++) {
                assertThat(table.hit(key(i).high(), key(i).low())).isEqualTo(i);
            }
            for (int i = 768; i < 20_768; i++) {
                assertThat(table.get(key(i).high(), key(i).low())).isEqualTo(FlowTable.MISSING);
            }
            assertThat(table.put(key(768).high(), key(768).low(), 1)).isEqualTo(FlowTable.REJECTED);
            table.verify();
        }
    }

    @Test
    void refusesAskingForMoreThanItCanAddress() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new FlowTable(0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> new FlowTable(FlowTable.MAX_FLOWS + 1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> new FlowTable(10, 1.0f, IdleTimeouts.NEVER))).isInstanceOf(IllegalArgumentException.class);
        assertThat(FlowTable.bytesFor(1 << 20, 0.75f)).isEqualTo(128L << 20);
        assertThat(FlowTable.bytesFor(16 << 20, 0.75f)).isEqualTo(2L << 30);
    }

    @Test
    void aFlowsPayloadTravelsWithItAndIsForgottenWhenTheTableChanges() {
        try (FlowTable table = new FlowTable(16)) {
            // Given keys sharing one home slot, the middle one with a payload
            List<FlowKey> keys = keysWithHome(table.capacity(), 3, 3, 1);
            long[] payload = {0, 11, 22, 33, 44, 0};
            table.put(keys.get(0).high(), keys.get(0).low(), 0);
            table.put(keys.get(1).high(), keys.get(1).low(), 1, payload, 1, 4);
            table.put(keys.get(2).high(), keys.get(2).low(), 2, payload, 1, 2);

            // When the middle one is hit, Then its payload comes back, the unused longs zero
            long[] into = new long[5];
            assertThat(table.hit(keys.get(1).high(), keys.get(1).low())).isEqualTo(1);
            assertThat(table.lastHitValue()).isEqualTo(1);
            assertThat(table.lastHitPayload(into, 1)).isTrue();
            assertThat(into).containsExactly(0, 11, 22, 33, 44);
            assertThat(table.hit(keys.get(2).high(), keys.get(2).low())).isEqualTo(2);
            table.lastHitPayload(into, 0);
            assertThat(into).startsWith(11, 22, 0, 0);

            // And after the first is removed (the others shift back), each keeps its own payload
            table.remove(keys.get(0).high(), keys.get(0).low());
            assertThat(table.lastHitValue()).isEqualTo(FlowTable.MISSING);
            assertThat(table.lastHitPayload(into, 0)).isFalse();
            table.hit(keys.get(1).high(), keys.get(1).low());
            table.lastHitPayload(into, 0);
            assertThat(into).startsWith(11, 22, 33, 44);

            // And a miss, or a replacement without payload, forgets it
            table.hit(B.high(), B.low());
            assertThat(table.lastHitPayload(into, 0)).isFalse();
            table.put(keys.get(1).high(), keys.get(1).low(), 5);
            assertThat(table.hit(keys.get(1).high(), keys.get(1).low())).isEqualTo(5);
            table.lastHitPayload(into, 0);
            assertThat(into).startsWith(0, 0, 0, 0);
            table.verify();
        }
    }

    // ---------------------------------------------------------------- probe chains after deletions

    @Test
    void removingFromTheMiddleOfAWrappingProbeChainKeepsEveryLaterEntryReachable() {
        // Given a 16-slot table, six keys whose home is slot 14 (their chain wraps: 14, 15, 0, 1, 2, 3)
        // and two whose home is slot 0 (pushed behind them to 4 and 5)
        try (FlowTable table = new FlowTable(12, 0.75f, IdleTimeouts.NEVER)) {
            assertThat(table.capacity()).isEqualTo(16);
            List<FlowKey> at14 = keysWithHome(16, 14, 6, 0);
            List<FlowKey> at0 = keysWithHome(16, 0, 2, 1_000_000);
            List<FlowKey> all = new ArrayList<>(at14);
            all.addAll(at0);
            for (int i = 0; i < all.size(); i++) {
                table.put(all.get(i).high(), all.get(i).low(), i);
            }
            table.verify();

            // When the second of the chain, then its head, then one of the home-0 keys are removed
            assertThat(table.remove(at14.get(1).high(), at14.get(1).low())).isEqualTo(1);
            table.verify();
            assertThat(table.remove(at14.get(0).high(), at14.get(0).low())).isEqualTo(0);
            table.verify();
            assertThat(table.remove(at0.get(0).high(), at0.get(0).low())).isEqualTo(6);
            table.verify();

            // Then every other key still hits with its value and the removed ones miss
            for (int i = 0; i < all.size(); i++) {
                FlowKey k = all.get(i);
                boolean removed = i == 0 || i == 1 || i == 6;
                assertThat(table.get(k.high(), k.low())).as("key %d", i).isEqualTo(removed ? FlowTable.MISSING : i);
            }
            assertThat(table.size()).isEqualTo(5);

            // And the freed slots are reused: the removed keys go back in
            table.put(at14.get(0).high(), at14.get(0).low(), 100);
            table.put(at0.get(0).high(), at0.get(0).low(), 106);
            assertThat(table.get(at0.get(0).high(), at0.get(0).low())).isEqualTo(106);
            table.verify();
        }
    }

    // ---------------------------------------------------------------- expiry

    @Test
    void aFlowWithoutPacketsExpiresAfterItsProtocolsTimeoutAndIsReportedOnce() {
        // Given UDP flows expiring after 30 s, ICMP after 10 s, TCP never; one flow of each at t = 0
        IdleTimeouts timeouts = new IdleTimeouts(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(30));
        try (FlowTable table = new FlowTable(16, 0.75f, timeouts)) {
            FlowKey udp = new FlowKey(1, FlowKey.UDP, 1, 2, 3, 4);
            FlowKey icmp = new FlowKey(1, FlowKey.ICMP, 1, 2, 7, 0);
            FlowKey tcp = new FlowKey(1, FlowKey.TCP, 1, 2, 3, 4);
            long t0 = 123_456_789_000L;
            table.advanceTo(t0);
            table.put(udp.high(), udp.low(), 1);
            table.put(icmp.high(), icmp.low(), 2);
            table.put(tcp.high(), tcp.low(), 3);
            Map<FlowKey, Integer> expired = new LinkedHashMap<>();
            FlowTable.ExpiryHandler collect = (h, l, v) -> assertThat(expired.put(FlowKey.unpack(h, l), v)).isNull();

            // When the wheel runs at 9 s, then at 11 s
            assertThat(table.expire(t0 + seconds(9), 1_000, collect)).isZero();
            int atEleven = table.expire(t0 + seconds(11), 10_000, collect);

            // Then only the ICMP flow expired, reported with its value, and it is gone
            assertThat(atEleven).isEqualTo(1);
            assertThat(expired).containsExactly(Map.entry(icmp, 2));
            assertThat(table.get(icmp.high(), icmp.low())).isEqualTo(FlowTable.MISSING);
            assertThat(table.size()).isEqualTo(2);

            // And after a day the UDP flow is gone too, the TCP flow never goes, and nothing is reported twice
            table.expire(t0 + seconds(86_400), 100_000, collect);
            table.expire(t0 + seconds(2 * 86_400), 100_000, collect);
            assertThat(expired).containsOnlyKeys(icmp, udp);
            assertThat(table.get(tcp.high(), tcp.low())).isEqualTo(3);
            assertThat(table.expiredFlows()).isEqualTo(2);
            table.verify();
        }
    }

    @Test
    void hitsKeepAFlowAliveAndItExpiresATimeoutAfterTheLastOne() {
        // Given a UDP flow with a 30 s timeout, hit every 20 s for a minute
        try (FlowTable table = new FlowTable(16, 0.75f, IdleTimeouts.all(Duration.ofSeconds(30)))) {
            FlowKey flow = new FlowKey(1, FlowKey.UDP, 1, 2, 3, 4);
            List<FlowKey> expired = new ArrayList<>();
            FlowTable.ExpiryHandler collect = (h, l, v) -> expired.add(FlowKey.unpack(h, l));
            table.advanceTo(0);
            table.put(flow.high(), flow.low(), 9);
            for (int t = 20; t <= 60; t += 20) {
                table.expire(seconds(t), 1_000, collect);
                assertThat(table.hit(flow.high(), flow.low())).as("hit at %d s", t).isEqualTo(9);
            }

            // When the wheel runs 29 s and 31 s after the last hit
            table.expire(seconds(89), 1_000, collect);
            assertThat(expired).isEmpty();
            table.expire(seconds(91), 1_000, collect);

            // Then it expired only then
            assertThat(expired).containsExactly(flow);
        }
    }

    @Test
    void theWheelVisitsNoMoreThanItsBudgetPerCallAndFinishesLater() {
        // Given 1000 flows inserted at the same instant (one wheel bucket)
        try (FlowTable table = new FlowTable(1000, 0.75f, IdleTimeouts.all(Duration.ofSeconds(10)))) {
            table.advanceTo(0);
            for (int i = 0; i < 1000; i++) {
                table.put(key(i).high(), key(i).low(), i);
            }
            Set<Integer> expired = new HashSet<>();

            // When they are due and the wheel may visit 100 per call
            int calls = 0;
            int perCall;
            do {
                perCall = table.expire(seconds(11), 100, (h, l, v) -> assertThat(expired.add(v)).isTrue());
                assertThat(perCall).isLessThanOrEqualTo(100);
                calls++;
            } while (table.size() > 0 && calls < 1000);

            // Then all expired, each once, over ten calls
            assertThat(expired).hasSize(1000);
            assertThat(calls).isEqualTo(10);
            table.verify();
        }
    }

    @Test
    void expiringFlowsInsideProbeChainsMovesTheirNeighboursWithoutLosingTheirTimers() {
        // Given a small table crowded with collisions: half the flows idle, half hit often
        IdleTimeouts timeouts = IdleTimeouts.all(Duration.ofSeconds(10));
        try (FlowTable table = new FlowTable(12, 0.75f, timeouts)) {
            List<FlowKey> chain = keysWithHome(16, 15, 8, 0);
            List<FlowKey> others = keysWithHome(16, 1, 4, 2_000_000);
            List<FlowKey> all = new ArrayList<>(chain);
            all.addAll(others);
            table.advanceTo(0);
            for (int i = 0; i < all.size(); i++) {
                table.put(all.get(i).high(), all.get(i).low(), i);
            }
            List<Integer> expired = new ArrayList<>();

            // When the even ones are hit every 5 s for a minute while the wheel runs
            for (int t = 1; t <= 60; t++) {
                if (t % 5 == 0) {
                    for (int i = 0; i < all.size(); i += 2) {
                        assertThat(table.hit(all.get(i).high(), all.get(i).low())).isEqualTo(i);
                    }
                }
                table.expire(seconds(t), 1_000, (h, l, v) -> expired.add(v));
                table.verify();
            }

            // Then exactly the odd ones expired (their removal shifted the others around), the rest still hit
            assertThat(expired).containsExactlyInAnyOrder(1, 3, 5, 7, 9, 11);
            for (int i = 0; i < all.size(); i += 2) {
                assertThat(table.get(all.get(i).high(), all.get(i).low())).isEqualTo(i);
            }

            // And once nobody hits them any more, they go too
            table.expire(seconds(75), 1_000, (h, l, v) -> expired.add(v));
            assertThat(expired).hasSize(12);
            assertThat(table.size()).isZero();
            table.verify();
        }
    }

    @Test
    void aClockThatJumpsManyRevolutionsExpiresEverythingDueInOnePass() {
        // Given flows with a 1 s timeout and a worker that stalls for an hour
        try (FlowTable table = new FlowTable(500, 0.75f, IdleTimeouts.all(Duration.ofSeconds(1)))) {
            table.advanceTo(seconds(5));
            for (int i = 0; i < 500; i++) {
                table.put(key(i).high(), key(i).low(), i);
            }

            // When the wheel runs an hour later with a generous budget
            int expired = table.expire(seconds(3_605), 1_000_000, (h, l, v) -> {
            });

            // Then every flow expired in that one call
            assertThat(expired).isEqualTo(500);
            assertThat(table.size()).isZero();
        }
    }

    @Test
    void randomOperationsAndExpiryAgreeWithAModelTickForTick() {
        // Given timeouts of whole ticks of 2^20 ns, a crowded small table of TCP, UDP and ESP flows, and a model of
        // last hits and TCP states
        long tick = 1L << 20;
        SplittableRandom random = new SplittableRandom(11);
        IdleTimeouts timeouts = IdleTimeouts.all(Duration.ofNanos(100 * tick));
        try (FlowTable table = new FlowTable(200, 0.75f, timeouts)) {
            assertThat(table.tickNanos()).isEqualTo(tick);
            Map<FlowKey, long[]> model = new HashMap<>(); // value, last hit tick, transitory
            List<FlowKey> universe = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int protocol = switch (i % 4) {
                    case 0, 1 -> FlowKey.TCP;
                    case 2 -> FlowKey.UDP;
                    default -> 50;
                };
                universe.add(new FlowKey(1, protocol, 0x0A000000 + i, 0x0B000000, 1000 + (i % 7), 80));
            }
            long now = 0;
            table.advanceTo(0);
            for (int op = 0; op < 60_000; op++) {
                // When puts, removes, hits, TCP state changes, new timeouts and clock steps are applied to both
                FlowKey k = universe.get(random.nextInt(universe.size()));
                long[] entry = model.get(k);
                switch (random.nextInt(9)) {
                    case 0 -> {
                        int value = random.nextInt(1_000_000);
                        int result = table.put(k.high(), k.low(), value);
                        if (result != FlowTable.REJECTED) {
                            // a new rule for a flow keeps its TCP state
                            model.put(k, new long[]{value, now, entry == null ? 0 : entry[2]});
                        } else {
                            assertThat(model).hasSize(200).doesNotContainKey(k);
                        }
                    }
                    case 1 -> {
                        model.remove(k);
                        assertThat(table.remove(k.high(), k.low())).isEqualTo(entry == null ? -1 : (int) entry[0]);
                    }
                    case 2, 3 -> {
                        assertThat(table.hit(k.high(), k.low())).isEqualTo(entry == null ? -1 : (int) entry[0]);
                        if (entry != null) {
                            entry[1] = now;
                        }
                    }
                    case 4 -> {
                        boolean transitory = random.nextBoolean();
                        boolean tcp = entry != null && k.protocol() == FlowKey.TCP;
                        assertThat(table.setTransitory(k.high(), k.low(), transitory)).isEqualTo(tcp);
                        if (tcp) {
                            entry[2] = transitory ? 1 : 0;
                        }
                    }
                    case 5 -> {
                        if (random.nextInt(50) == 0) {
                            timeouts = new IdleTimeouts(ticks(random.nextInt(0, 150)), ticks(random.nextInt(1, 150)),
                                    ticks(random.nextInt(0, 150)), ticks(random.nextInt(1, 150)),
                                    ticks(random.nextInt(0, 150)));
                            table.timeouts(timeouts);
                        }
                    }
                    default -> {
                        now += random.nextInt(0, 4);
                        Set<FlowKey> reported = new HashSet<>();
                        table.expire(now * tick, Integer.MAX_VALUE, (h, l, v) -> reported.add(FlowKey.unpack(h, l)));
                        long current = now;
                        IdleTimeouts applied = timeouts;
                        Set<FlowKey> due = new HashSet<>();
                        model.forEach((key, e) -> {
                            long nanos = e[2] == 1
                                    ? applied.tcpTransitory().toNanos()
                                    : applied.nanosFor(key.protocol());
                            if (nanos != 0 && current - e[1] >= nanos / tick) {
                                due.add(key);
                            }
                        });
                        // Then exactly the flows idle for their class's timeout expire, at the tick they are due
                        assertThat(reported).as("op %d at tick %d", op, now).isEqualTo(due);
                        due.forEach(model::remove);
                    }
                }
                assertThat(table.size()).isEqualTo(model.size());
                if (op % 2_000 == 0) {
                    table.verify();
                    model.forEach(
                            (key, e) -> assertThat(table.isTransitory(key.high(), key.low())).isEqualTo(e[2] == 1));
                }
            }
            table.verify();
        }
    }

    @Test
    void aBatchLookupFindsWhatOneAtATimeFindsAndKeepsItsFlowsAlive() {
        try (FlowTable table = new FlowTable(1_000, 0.75f, IdleTimeouts.all(Duration.ofSeconds(10)))) {
            // Given 500 flows inserted at t = 0, and 64 keys of which every other one is absent
            table.advanceTo(0);
            for (int i = 0; i < 500; i++) {
                table.put(key(i).high(), key(i).low(), i);
            }
            long[] highs = new long[70];
            long[] lows = new long[70];
            for (int i = 0; i < 64; i++) {
                FlowKey k = key(i % 2 == 0 ? i * 7 : 1_000 + i);
                highs[3 + i] = k.high();
                lows[3 + i] = k.low();
            }

            // When they are looked up as a batch from index 3 at t = 8 s
            int[] values = new int[70];
            java.util.Arrays.fill(values, 42);
            table.advanceTo(seconds(8));
            table.hitAll(highs, lows, values, 3, 64);

            // Then each value is what a lookup of that key alone gives, and nothing outside the range was written
            for (int i = 0; i < 64; i++) {
                assertThat(values[3 + i]).as("key %d", i).isEqualTo(i % 2 == 0 ? i * 7 : FlowTable.MISSING);
            }
            assertThat(values[2]).isEqualTo(42);
            assertThat(values[67]).isEqualTo(42);
            // And the flows found count as hit at 8 s: at 12 s only the others have expired
            List<Integer> expired = new ArrayList<>();
            table.expire(seconds(12), 10_000, (h, l, v) -> expired.add(v));
            assertThat(expired).hasSize(500 - 32).doesNotContain(0, 14, 28, 434);
        }
    }

    /** {@code n} ticks of 2^20 ns. */
    private static Duration ticks(long n) {
        return Duration.ofNanos(n << 20);
    }

    private static long seconds(long s) {
        return s * 1_000_000_000L;
    }

    /** {@code count} distinct keys whose home slot in a table of {@code capacity} slots is {@code home}. */
    private static List<FlowKey> keysWithHome(int capacity, int home, int count, int seed) {
        List<FlowKey> keys = new ArrayList<>();
        for (int i = seed; keys.size() < count; i++) {
            FlowKey k = new FlowKey(1, FlowKey.UDP, 0x0A000000 + i, 0x0B000001, 1000, 53);
            if ((FlowTable.hash(k.high(), k.low()) & (capacity - 1)) == home) {
                keys.add(k);
            }
        }
        return keys;
    }

    private static FlowKey key(int i) {
        return new FlowKey(1, FlowKey.TCP, 0x0A000000 + i, 0x0B000000, 1000 + (i % 7), 80);
    }
}
