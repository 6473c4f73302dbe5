package io.isthmus.fastpath.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Any sequence of inserts and removes, of prefixes drawn near a few addresses so that they nest and overlap (/0 and
 * /32 included), leaves the FIB answering every lookup, exact-match read and size as the obvious reference does; and
 * removing every route gives the chunks back.
 */
class FibPropertyTest {

    private static final String SEED = "20261203";
    private static final int[] BASES = {0x0A000000, 0x0A010200, 0xC0A80000, 0xFFFFFFFF, 0x00000000, 0x7F000001};

    record Update(boolean remove, int prefix, int length, int value) {
    }

    @Property(tries = 300, seed = SEED)
    void updatesLeaveTheSameAnswersAsTheReference(@ForAll("updates") List<Update> updates) {
        Fib fib = new Fib(64);
        ReferenceFib reference = new ReferenceFib();
        for (Update update : updates) {
            if (update.remove()) {
                assertThat(fib.remove(update.prefix(), update.length()))
                        .isEqualTo(reference.remove(update.prefix(), update.length()));
            } else {
                boolean fits = reference.size() < 64
                        || reference.value(update.prefix(), update.length()) != Fib.MISSING;
                assertThat(fib.insert(update.prefix(), update.length(), update.value())).isEqualTo(fits);
                if (fits) {
                    reference.insert(update.prefix(), update.length(), update.value());
                }
            }
            assertThat(fib.size()).isEqualTo(reference.size());
            for (Update probe : updates) {
                for (int address : new int[]{probe.prefix(), probe.prefix() ^ 1, probe.prefix() ^ 0x100,
                        probe.prefix() ^ 0x1_0000, ~probe.prefix()}) {
                    assertThat(fib.lookup(address)).isEqualTo(reference.lookup(address));
                }
                assertThat(fib.value(probe.prefix(), probe.length()))
                        .isEqualTo(reference.value(probe.prefix(), probe.length()));
            }
        }
        for (Update update : updates) {
            fib.remove(update.prefix(), update.length());
        }
        assertThat(fib.size()).isZero();
        assertThat(fib.chunks()).isEqualTo(1);
        assertThat(fib.lookup(BASES[0])).isEqualTo(Fib.MISSING);
    }

    @Provide
    Arbitrary<List<Update>> updates() {
        Arbitrary<Integer> prefixes = Combinators.combine(Arbitraries.integers().between(0, BASES.length - 1),
                Arbitraries.integers().between(0, 32), Arbitraries.integers())
                .as((base, bits, noise) -> BASES[base] ^ (bits == 32 ? 0 : noise >>> bits));
        Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0)), Tuple.of(2, Arbitraries.just(32)),
                Tuple.of(10, Arbitraries.integers().between(1, 31)));
        return Combinators.combine(Arbitraries.integers().between(0, 2).map(r -> r == 0), prefixes, lengths,
                Arbitraries.integers().between(0, Integer.MAX_VALUE)).as(Update::new).list().ofMaxSize(80);
    }
}
