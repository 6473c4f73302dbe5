package io.isthmus.fastpath.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Ipv4Addresses;

class FibTest {

    private final Fib fib = new Fib(1 << 20);

    @Test
    void theLongestCoveringPrefixWins() {
        // Given nested routes and a default route
        insert("0.0.0.0/0", 1);
        insert("10.0.0.0/8", 8);
        insert("10.1.0.0/16", 16);
        insert("10.1.2.0/24", 24);
        insert("10.1.2.3/32", 32);
        insert("10.1.2.128/25", 25);

        // Then each address finds its most specific route
        assertThat(lookup("10.1.2.3")).isEqualTo(32);
        assertThat(lookup("10.1.2.4")).isEqualTo(24);
        assertThat(lookup("10.1.2.200")).isEqualTo(25);
        assertThat(lookup("10.1.3.1")).isEqualTo(16);
        assertThat(lookup("10.2.0.1")).isEqualTo(8);
        assertThat(lookup("192.168.1.1")).isEqualTo(1);
        assertThat(lookup("255.255.255.255")).isEqualTo(1);
        assertThat(fib.size()).isEqualTo(6);
    }

    @Test
    void anAddressNoRouteCoversIsMissing() {
        insert("10.0.0.0/8", 8);
        insert("11.1.2.3/32", 32);

        assertThat(lookup("11.0.0.1")).isEqualTo(Fib.MISSING);
        assertThat(lookup("11.1.2.4")).isEqualTo(Fib.MISSING);
        assertThat(new Fib(1).lookup(0)).isEqualTo(Fib.MISSING);
    }

    @Test
    void bitsBeyondThePrefixLengthAreIgnored() {
        assertThat(fib.insert(Ipv4Addresses.parse("10.1.2.3"), 16, 7)).isTrue();

        assertThat(lookup("10.1.200.1")).isEqualTo(7);
        assertThat(fib.value(Ipv4Addresses.parse("10.1.0.0"), 16)).isEqualTo(7);
        assertThat(fib.remove(Ipv4Addresses.parse("10.1.99.99"), 16)).isTrue();
        assertThat(fib.size()).isZero();
    }

    @Test
    void insertingAnInstalledPrefixReplacesItsValueOnly() {
        insert("10.0.0.0/8", 8);
        insert("10.1.0.0/16", 16);

        insert("10.0.0.0/8", 80);

        assertThat(lookup("10.2.0.1")).isEqualTo(80);
        assertThat(lookup("10.1.0.1")).isEqualTo(16);
        assertThat(fib.value(Ipv4Addresses.parse("10.0.0.0"), 8)).isEqualTo(80);
        assertThat(fib.size()).isEqualTo(2);
    }

    @Test
    void removingACoveredPrefixHandsItsAddressesToTheCoveringOne() {
        insert("0.0.0.0/0", 1);
        insert("10.0.0.0/8", 8);
        insert("10.1.2.0/24", 24);
        insert("10.1.2.3/32", 32);

        assertThat(remove("10.1.2.0/24")).isTrue();
        assertThat(lookup("10.1.2.4")).isEqualTo(8);
        assertThat(lookup("10.1.2.3")).isEqualTo(32);

        assertThat(remove("10.0.0.0/8")).isTrue();
        assertThat(lookup("10.1.2.4")).isEqualTo(1);
        assertThat(lookup("10.1.2.3")).isEqualTo(32);

        assertThat(remove("10.1.2.3/32")).isTrue();
        assertThat(remove("0.0.0.0/0")).isTrue();
        assertThat(lookup("10.1.2.3")).isEqualTo(Fib.MISSING);
        assertThat(fib.size()).isZero();
        assertThat(fib.chunks()).isEqualTo(1);
    }

    @Test
    void removingACoveringPrefixKeepsTheCoveredOnes() {
        insert("10.0.0.0/8", 8);
        insert("10.1.0.0/16", 16);
        insert("10.1.2.0/24", 24);

        assertThat(remove("10.0.0.0/8")).isTrue();

        assertThat(lookup("10.1.2.1")).isEqualTo(24);
        assertThat(lookup("10.1.3.1")).isEqualTo(16);
        assertThat(lookup("10.2.0.1")).isEqualTo(Fib.MISSING);
    }

    @Test
    void removingAnAbsentRouteChangesNothing() {
        insert("10.0.0.0/8", 8);

        assertThat(remove("10.0.0.0/9")).isFalse();
        assertThat(remove("11.0.0.0/8")).isFalse();
        assertThat(fib.size()).isEqualTo(1);
        assertThat(lookup("10.0.0.1")).isEqualTo(8);
    }

    @Test
    void aFullFibRefusesNewRoutesAndCountsThemButStillReplaces() {
        Fib small = new Fib(2);
        assertThat(small.insert(Ipv4Addresses.parse("10.0.0.0"), 8, 1)).isTrue();
        assertThat(small.insert(Ipv4Addresses.parse("10.1.2.3"), 32, 2)).isTrue();

        assertThat(small.insert(Ipv4Addresses.parse("10.1.0.0"), 16, 3)).isFalse();
        assertThat(small.insert(Ipv4Addresses.parse("10.0.0.0"), 8, 4)).isTrue();

        assertThat(small.rejected()).isEqualTo(1);
        assertThat(small.size()).isEqualTo(2);
        assertThat(small.lookup(Ipv4Addresses.parse("10.1.0.1"))).isEqualTo(4);
        assertThat(small.value(Ipv4Addresses.parse("10.1.0.0"), 16)).isEqualTo(Fib.MISSING);
    }

    @Test
    void clearRemovesEveryRoute() {
        insert("0.0.0.0/0", 1);
        insert("10.1.2.0/24", 24);

        fib.clear();

        assertThat(fib.size()).isZero();
        assertThat(lookup("10.1.2.1")).isEqualTo(Fib.MISSING);
        assertThat(fib.value(0, 0)).isEqualTo(Fib.MISSING);
        insert("10.1.2.0/24", 5);
        assertThat(lookup("10.1.2.1")).isEqualTo(5);
    }

    @Test
    void anEmptyOrSmallFibCostsAFewKilobytes() {
        assertThat(new Fib(1_000_000).memoryBytes()).isLessThan(4096);

        insert("10.0.0.0/8", 8);
        insert("10.1.0.0/16", 16);
        insert("10.1.2.0/24", 24);
        insert("192.168.0.0/24", 24);

        assertThat(fib.memoryBytes()).isLessThan(16 * 1024);
    }

    @Test
    void memoryReturnsAfterMassRemoval() {
        // Given 100,000 routes spread over the address space
        long empty = fib.memoryBytes();
        Random random = new Random(7);
        int[] prefixes = new int[100_000];
        int[] lengths = new int[prefixes.length];
        for (int i = 0; i < prefixes.length; i++) {
            prefixes[i] = random.nextInt();
            lengths[i] = 16 + random.nextInt(17);
            fib.insert(prefixes[i], lengths[i], i);
        }
        long full = fib.memoryBytes();
        assertThat(full).isGreaterThan(100 * empty);

        // When all but a few are removed
        for (int i = 10; i < prefixes.length; i++) {
            fib.remove(prefixes[i], lengths[i]);
        }

        // Then the memory is given back, and the survivors still route
        assertThat(fib.memoryBytes()).isLessThan(full / 100);
        for (int i = 0; i < 10; i++) {
            assertThat(fib.lookup(prefixes[i])).isEqualTo(i);
        }
        for (int i = 0; i < 10; i++) {
            fib.remove(prefixes[i], lengths[i]);
        }
        assertThat(fib.chunks()).isEqualTo(1);
        assertThat(fib.memoryBytes()).isLessThanOrEqualTo(empty);
    }

    @Test
    void randomUpdatesMatchTheReference() {
        Random random = new Random(13);
        ReferenceFib reference = new ReferenceFib();
        Fib small = new Fib(3000);
        int[] bases = {0x0A000000, 0x0A010000, 0x0A010200, 0xC0A80000, 0xFFFFFF00, 0};
        for (int step = 0; step < 60_000; step++) {
            // prefixes clustered near a few bases, so that they overlap
            int prefix = bases[random.nextInt(bases.length)] ^ (random.nextInt() >>> random.nextInt(32));
            int length = random.nextInt(10) == 0 ? random.nextInt(33) : 8 + random.nextInt(25);
            if (random.nextInt(3) == 0) {
                assertThat(small.remove(prefix, length)).isEqualTo(reference.remove(prefix, length));
            } else {
                int value = random.nextInt(Integer.MAX_VALUE);
                boolean fits = reference.size() < 3000 || reference.value(prefix, length) != Fib.MISSING;
                assertThat(small.insert(prefix, length, value)).isEqualTo(fits);
                if (fits) {
                    reference.insert(prefix, length, value);
                }
            }
            assertThat(small.size()).isEqualTo(reference.size());
            int address = random.nextBoolean() ? random.nextInt() : prefix ^ random.nextInt(1 << random.nextInt(31));
            assertThat(small.lookup(address)).as("step %d address %08x", step, address)
                    .isEqualTo(reference.lookup(address));
            assertThat(small.value(prefix, length)).isEqualTo(reference.value(prefix, length));
        }
        int[] addresses = new int[32];
        int[] results = new int[32];
        for (int batch = 0; batch < 1000; batch++) {
            for (int i = 0; i < 32; i++) {
                addresses[i] = bases[random.nextInt(bases.length)] ^ random.nextInt(1 << random.nextInt(31));
            }
            small.lookup(addresses, results, 32);
            for (int i = 0; i < 32; i++) {
                assertThat(results[i]).isEqualTo(reference.lookup(addresses[i]));
            }
        }
    }

    @Test
    void aBigFibMatchesTheReferenceWhileItGrowsAndShrinks() {
        // Given 40,000 routes, most in a few /8s so that second-level chunks fill up, with short ones over them
        Random random = new Random(17);
        ReferenceFib reference = new ReferenceFib();
        int[] prefixes = new int[40_000];
        int[] lengths = new int[prefixes.length];
        for (int i = 0; i < prefixes.length; i++) {
            prefixes[i] = i % 10 == 0 ? random.nextInt() : (random.nextInt(4) << 24) ^ random.nextInt(1 << 24);
            lengths[i] = i % 100 == 0 ? random.nextInt(17) : 17 + random.nextInt(16);
            fib.insert(prefixes[i], lengths[i], i);
            reference.insert(prefixes[i], lengths[i], i);
            if (i % 4000 == 0) {
                assertSameLookups(reference, random);
            }
        }
        assertSameLookups(reference, random);

        // When they are removed again, in a random order
        for (int i = prefixes.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int p = prefixes[i];
            prefixes[i] = prefixes[j];
            prefixes[j] = p;
            int l = lengths[i];
            lengths[i] = lengths[j];
            lengths[j] = l;
        }
        for (int i = 0; i < prefixes.length; i++) {
            assertThat(fib.remove(prefixes[i], lengths[i])).isEqualTo(reference.remove(prefixes[i], lengths[i]));
            if (i % 2000 == 0) {
                assertSameLookups(reference, random);
            }
        }

        // Then the answers matched all along, and nothing is left
        assertThat(fib.size()).isZero();
        assertThat(fib.chunks()).isEqualTo(1);
        assertThat(fib.lookup(0x01020304)).isEqualTo(Fib.MISSING);
    }

    private void assertSameLookups(ReferenceFib reference, Random random) {
        int[] addresses = new int[32];
        int[] results = new int[32];
        for (int batch = 0; batch < 100; batch++) {
            for (int i = 0; i < 32; i++) {
                addresses[i] = i % 2 == 0 ? random.nextInt() : (random.nextInt(4) << 24) ^ random.nextInt(1 << 24);
            }
            fib.lookup(addresses, results, 32);
            for (int i = 0; i < 32; i++) {
                int expected = reference.lookup(addresses[i]);
                assertThat(results[i]).as("%08x", addresses[i]).isEqualTo(expected);
                assertThat(fib.lookup(addresses[i])).isEqualTo(expected);
            }
        }
        assertThat(fib.size()).isEqualTo(reference.size());
    }

    @Test
    void invalidRoutesAreRefusedUnchanged() {
        assertThatThrownBy(() -> fib.insert(0, 33, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fib.insert(0, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fib.insert(0, 8, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Fib(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(fib.size()).isZero();
    }

    private void insert(String route, int value) {
        String[] parts = route.split("/");
        assertThat(fib.insert(Ipv4Addresses.parse(parts[0]), Integer.parseInt(parts[1]), value)).isTrue();
    }

    private boolean remove(String route) {
        String[] parts = route.split("/");
        return fib.remove(Ipv4Addresses.parse(parts[0]), Integer.parseInt(parts[1]));
    }

    private int lookup(String address) {
        return fib.lookup(Ipv4Addresses.parse(address));
    }
}
