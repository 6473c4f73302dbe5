package io.isthmus.vnf.cen;

/**
 * An open-addressing map from a prefix key ({@link Ipv4Prefix#key()}, never negative) to an object, for route tables of
 * a million prefixes: the keys in {@link PrefixKeyTable}, the values in an array beside them. Not thread-safe: the
 * policy thread owns it.
 */
final class PrefixMap<V> extends PrefixKeyTable {

    private Object[] values;
    private Object[] oldValues;

    PrefixMap() {
        allocateMinimum();
    }

    /** The value of {@code key}, or null. */
    @SuppressWarnings("unchecked")
    V get(long key) {
        int i = indexOf(key);
        return i < 0 ? null : (V) values[i];
    }

    /** Sets {@code key} to {@code value} (not null); returns the previous value, or null. */
    @SuppressWarnings("unchecked")
    V put(long key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("values are not null: " + key);
        }
        int i = indexFor(key);
        if (i >= 0) {
            V previous = (V) values[i];
            values[i] = value;
            return previous;
        }
        values[-2 - i] = value;
        added();
        return null;
    }

    /** Removes {@code key}; returns its value, or null if it had none. */
    @SuppressWarnings("unchecked")
    V remove(long key) {
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        V previous = (V) values[i];
        removeAt(i);
        return previous;
    }

    /** Calls {@code action} for each entry; the map must not change meanwhile. */
    @SuppressWarnings("unchecked")
    void forEach(Entry<V> action) {
        for (int i = 0; i < capacity(); i++) {
            if (keyAt(i) >= 0) {
                action.accept(keyAt(i), (V) values[i]);
            }
        }
    }

    /** An entry's visitor. */
    @FunctionalInterface
    interface Entry<V> {
        void accept(long key, V value);
    }

    @Override
    void allocateValues(int capacity) {
        oldValues = values;
        values = new Object[capacity];
    }

    @Override
    void copyValue(int from, int to) {
        values[to] = oldValues[from];
    }

    @Override
    void moveValue(int from, int to) {
        values[to] = values[from];
    }

    @Override
    void clearValue(int index) {
        values[index] = null;
    }

    @Override
    void dropOldValues() {
        oldValues = null;
    }
}
