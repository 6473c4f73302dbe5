package io.isthmus.fastpath.flow;

import java.util.concurrent.atomic.AtomicLong;

import io.isthmus.control.SecurityAssociation;

/**
 * The outbound sequence counters of the SA slots, shared by the SA tables of a process's workers: each worker has its
 * own table and cipher contexts, but an outbound SA's sequence number is also its GCM IV, so two workers encrypting
 * with the same SA must never take the same number (a repeated nonce under one key gives away the keystream and the
 * authentication key). Each worker installs the SA in its own table when its INSTALL_SA arrives and gets the slot's
 * {@link Counter} for it: the same counter as the workers before it for an equal SA, a new one (from 0) for another.
 * A worker whose INSTALL_SA of a rekey has not arrived yet keeps counting on the old SA's counter, not the new one's.
 * Taking a number is one compare-and-set.
 */
public final class OutboundSequences {

    private final Counter[] counters;

    public OutboundSequences(int capacity) {
        counters = new Counter[capacity];
    }

    /** The counter of {@code sa} in slot {@code index}: the slot's, if it counts for an equal SA, else a new one. */
    synchronized Counter claim(int index, SecurityAssociation sa) {
        Counter counter = counters[index];
        if (counter == null || !counter.sa.equals(sa)) {
            counter = new Counter(sa);
            counters[index] = counter;
        }
        return counter;
    }

    public int capacity() {
        return counters.length;
    }

    /** One SA's outbound sequence numbers. */
    static final class Counter {

        private final SecurityAssociation sa;
        private final AtomicLong last = new AtomicLong();

        Counter(SecurityAssociation sa) {
            this.sa = sa;
        }

        /** The next number after the last one taken, or 0 if that was {@code max} (unsigned): it never cycles. */
        long next(long max) {
            while (true) {
                long current = last.get();
                if (current == max) {
                    return 0;
                }
                if (last.compareAndSet(current, current + 1)) {
                    return current + 1;
                }
            }
        }

        long last() {
            return last.get();
        }

        void skipTo(long lastSequence) {
            last.set(lastSequence);
        }
    }
}
