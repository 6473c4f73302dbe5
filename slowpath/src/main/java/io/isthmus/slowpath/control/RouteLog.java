package io.isthmus.slowpath.control;

/**
 * The last route-table deltas, as encoded ROUTE_UPDATEs (one version each: the message that takes a fastpath from
 * {@code v} to {@code v + 1}), bounded by their bytes: the oldest are dropped once the log holds more than its limit.
 * A fastpath whose version the log no longer reaches back to gets a snapshot instead. Policy thread only.
 */
final class RouteLog {

    /** What each message costs beyond its bytes, for the limit (the array's header and reference). */
    static final int OVERHEAD_BYTES = 24;

    private final long limitBytes;
    private byte[][] messages = new byte[1024][];
    /** The bytes of every message appended before the one at the same ring position, for {@link #bytesFrom}. */
    private long[] bytesBefore = new long[1024];
    private int head;
    private int count;
    /** The version the oldest message held starts from. */
    private long first;
    private long bytesAppended;
    private long bytesHeld;

    RouteLog(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /** The version after the newest message (the slowpath's version). */
    long version() {
        return first + count;
    }

    /** The version the oldest message held starts from: a fastpath at it or later can be sent deltas. */
    long first() {
        return first;
    }

    /** Whether the log holds every delta from {@code from} to the current version. */
    boolean holds(long from) {
        return from >= first && from <= version();
    }

    /** The delta from {@code from} to {@code from + 1}; {@link #holds} it first. */
    byte[] deltaFrom(long from) {
        return messages[ring(from - first)];
    }

    /** The bytes of the deltas from {@code from} to the current version. */
    long bytesFrom(long from) {
        if (from >= version()) {
            return 0;
        }
        return bytesAppended - bytesBefore[ring(from - first)];
    }

    /** Bytes held now, overhead included. */
    long bytesHeld() {
        return bytesHeld;
    }

    /** Appends the next version's delta, then drops the oldest ones beyond the limit (never the newest). */
    void append(byte[] message) {
        if (count == messages.length) {
            grow();
        }
        int at = ring(count);
        messages[at] = message;
        bytesBefore[at] = bytesAppended;
        bytesAppended += message.length;
        bytesHeld += message.length + OVERHEAD_BYTES;
        count++;
        while (bytesHeld > limitBytes && count > 1) {
            bytesHeld -= messages[head].length + OVERHEAD_BYTES;
            messages[head] = null;
            head = (head + 1) & (messages.length - 1);
            count--;
            first++;
        }
    }

    private int ring(long index) {
        return (int) ((head + index) & (messages.length - 1));
    }

    private void grow() {
        byte[][] nextMessages = new byte[messages.length * 2][];
        long[] nextBefore = new long[messages.length * 2];
        for (int i = 0; i < count; i++) {
            nextMessages[i] = messages[ring(i)];
            nextBefore[i] = bytesBefore[ring(i)];
        }
        messages = nextMessages;
        bytesBefore = nextBefore;
        head = 0;
    }
}
