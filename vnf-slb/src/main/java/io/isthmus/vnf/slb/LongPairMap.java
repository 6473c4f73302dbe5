package io.isthmus.vnf.slb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.isthmus.control.FlowKey;

/**
 * A map keyed by two longs — a flow key's packed halves ({@link FlowKey#high()}, {@link FlowKey#low()}), or any other
 * key that fits 128 bits: open addressing, linear probing, removal by shifting the entries after back; no node or boxed
 * key per entry, so a put costs no allocation until it grows (by doubling, at half full). The load balancer keeps its
 * connections, its listeners by VIP and its local ports in them.
 */
final class LongPairMap<V> {

    private static final int INITIAL_CAPACITY = 16;

    private long[] highs;
    private long[] lows;
    private Object[] values;
    private int mask;
    private int size;

    LongPairMap() {
        allocate(INITIAL_CAPACITY);
    }

    V get(FlowKey key) {
        return get(key.high(), key.low());
    }

    @SuppressWarnings("unchecked")
    V get(long high, long low) {
        for (int i = slot(high, low);; i = (i + 1) & mask) {
            Object value = values[i];
            if (value == null) {
                return null;
            }
            if (highs[i] == high && lows[i] == low) {
                return (V) value;
            }
        }
    }

    boolean containsKey(FlowKey key) {
        return get(key) != null;
    }

    /** Maps {@code key} to {@code value}, in place of what it mapped to. */
    void put(FlowKey key, V value) {
        put(key.high(), key.low(), value);
    }

    void put(long high, long low, V value) {
        if (2 * (size + 1) > values.length) {
            grow();
        }
        insert(high, low, value);
    }

    /** Removes {@code key} if it maps to {@code expected} (the same object); whether it did. */
    boolean remove(FlowKey key, V expected) {
        long high = key.high();
        long low = key.low();
        for (int i = slot(high, low);; i = (i + 1) & mask) {
            Object value = values[i];
            if (value == null) {
                return false;
            }
            if (highs[i] == high && lows[i] == low) {
                if (value != expected) {
                    return false;
                }
                delete(i);
                return true;
            }
        }
    }

    /** Removes {@code key}, whatever it maps to. */
    void remove(FlowKey key) {
        V value = get(key);
        if (value != null) {
            remove(key, value);
        }
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    /** The values, as a list of their own (the map may change while it is walked). */
    @SuppressWarnings("unchecked")
    List<V> values() {
        List<V> all = new ArrayList<>(size);
        for (Object value : values) {
            if (value != null) {
                all.add((V) value);
            }
        }
        return all;
    }

    private void insert(long high, long low, Object value) {
        for (int i = slot(high, low);; i = (i + 1) & mask) {
            if (values[i] == null) {
                highs[i] = high;
                lows[i] = low;
                values[i] = value;
                size++;
                return;
            }
            if (highs[i] == high && lows[i] == low) {
                values[i] = value;
                return;
            }
        }
    }

    /** Empties slot {@code i} and moves back the entries after it that probing would no longer find. */
    private void delete(int i) {
        values[i] = null;
        size--;
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(highs[j], lows[j]);
            // j's entry stays if its home lies cyclically in (i, j]
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                highs[i] = highs[j];
                lows[i] = lows[j];
                values[i] = values[j];
                values[j] = null;
                i = j;
            }
        }
    }

    private void grow() {
        long[] oldHighs = highs;
        long[] oldLows = lows;
        Object[] oldValues = values;
        allocate(values.length * 2);
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                insert(oldHighs[i], oldLows[i], oldValues[i]);
            }
        }
    }

    private void allocate(int capacity) {
        highs = new long[capacity];
        lows = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        size = 0;
    }

    private int slot(long high, long low) {
        long h = high * 0x9E37_79B9_7F4A_7C15L ^ low;
        h = (h ^ (h >>> 32)) * 0xD6E8_FEB8_6659_FD93L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
