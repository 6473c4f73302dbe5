package io.isthmus.control.message;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.isthmus.control.Action;
import io.isthmus.control.FastpathStats;
import io.isthmus.control.GroupCounters;
import io.isthmus.control.SaCounters;

/**
 * STATS_RESPONSE, fastpath to slowpath: the worker's counters in {@link FastpathStats} index order; counters are
 * only ever appended, and a reader ignores those it does not know. After them, from a fastpath whose HELLO has
 * {@link HelloFlyweight#COUNT_GROUPS}, its counter groups ({@link Action.Count#group()}): those that counted
 * anything, ascending, as many as fit in {@link ControlProtocol#MAX_MESSAGE_LENGTH} (all of them: the 2,047
 * groups there are take 40,944 bytes).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 7)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Counter Count         |           Reserved            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Counters ... (8 bytes each)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Group Count          |           Reserved            |  (counter groups: if the message goes on)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Groups ... (20 bytes each, below)              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           SA Count            |           Reserved            |  (SAs: if the message goes on)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SAs ... (48 bytes each, below)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Group: Group (2, 1..2047) | Reserved (2) | Packets (8) | Bytes (8)
 * SA:    SA Index (4) | SPI (4) | Packets (8) | Bytes (8) | Replays (8) | Auth Failures (8) | Other Drops (8)
 * </pre>
 *
 * The groups are a section a reader finds by the message's length: one that ends after the counters has none (a
 * fastpath from before the groups), and a reader from before them ignores it like any bytes after the counters it
 * knows. The SAs ({@link SaCounters}: those installed in the fastpath's SA table, ascending by index) are a section
 * after the groups, from a fastpath whose HELLO has {@link HelloFlyweight#ESP_EXTENDED} and
 * {@link HelloFlyweight#COUNT_GROUPS} (which then always writes a groups section, if empty); a message that ends after
 * the groups has none.
 */
public final class StatsResponseFlyweight {

    public static final int COUNTER_COUNT_OFFSET = 12;
    public static final int COUNTERS_OFFSET = 16;
    /** The group count and its reserved half, at the start of the groups section. */
    public static final int GROUPS_HEADER_LENGTH = 4;
    public static final int GROUP_LENGTH = 20;
    public static final int GROUP_PACKETS_OFFSET = 4;
    public static final int GROUP_BYTES_OFFSET = 12;
    /** The SA count and its reserved half, at the start of the SAs section. */
    public static final int SAS_HEADER_LENGTH = 4;
    public static final int SA_LENGTH = 48;
    public static final int SA_SPI_OFFSET = 4;
    public static final int SA_PACKETS_OFFSET = 8;
    public static final int SA_BYTES_OFFSET = 16;
    public static final int SA_REPLAYS_OFFSET = 24;
    public static final int SA_AUTH_FAILURES_OFFSET = 32;
    public static final int SA_OTHER_DROPS_OFFSET = 40;

    private StatsResponseFlyweight() {
    }

    /** Receives the counter groups of a STATS_RESPONSE without allocating. */
    @FunctionalInterface
    public interface GroupVisitor {
        void onGroup(int group, long packets, long bytes);
    }

    /**
     * Writes a STATS_RESPONSE of the first {@code count} of {@code counters}, without counter groups; returns the
     * message length.
     */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, long[] counters, int count) {
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.STATS_RESPONSE, fastpathId, sequence);
        buffer.putShort(offset + COUNTER_COUNT_OFFSET, (short) count);
        buffer.putShort(offset + COUNTER_COUNT_OFFSET + 2, (short) 0);
        for (int i = 0; i < count; i++) {
            buffer.putLong(offset + COUNTERS_OFFSET + i * Long.BYTES, counters[i]);
        }
        return COUNTERS_OFFSET + count * Long.BYTES;
    }

    /** The SAs a fastpath reports, read in place (its SA table), so encoding them allocates nothing. */
    public interface SaCountersSource {
        /** Slots {@code 0..capacity() - 1}. */
        int capacity();

        /** Whether slot {@code index} holds an SA (only those are reported). */
        boolean isInstalled(int index);

        int spi(int index);

        long packets(int index);

        long bytes(int index);

        long replays(int index);

        long authFailures(int index);

        long otherDrops(int index);
    }

    /**
     * Writes a STATS_RESPONSE of the first {@code count} of {@code counters} and the counter groups of {@code groups}
     * (group {@code g}'s packets at {@code 2g}, its bytes at {@code 2g + 1}; group 0 is no group): those with a count
     * above zero, as many as fit in {@link ControlProtocol#MAX_MESSAGE_LENGTH} and the buffer. Returns the message
     * length. Allocates nothing.
     */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, long[] counters, int count,
            long[] groups) {
        return encodeGroups(buffer, offset, encode(buffer, offset, fastpathId, sequence, counters, count), groups, 0);
    }

    /**
     * Writes a STATS_RESPONSE of the counters, the counter groups ({@link #encode(ByteBuffer, int, int, int, long[],
     * int, long[])}) and the SAs installed in {@code sas} (for a fastpath with {@link HelloFlyweight#ESP_EXTENDED}).
     * The SAs come first in the room: groups that no longer fit are left out. Returns the message length. Allocates
     * nothing.
     */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, long[] counters, int count,
            long[] groups, SaCountersSource sas) {
        int limit = Math.min(ControlProtocol.MAX_MESSAGE_LENGTH, buffer.capacity() - offset);
        int installed = 0;
        for (int i = 0; i < sas.capacity(); i++) {
            if (sas.isInstalled(i)) {
                installed++;
            }
        }
        int headers = COUNTERS_OFFSET + count * Long.BYTES + GROUPS_HEADER_LENGTH + SAS_HEADER_LENGTH;
        installed = Math.max(0, Math.min(installed, (limit - headers) / SA_LENGTH));
        int length = encodeGroups(buffer, offset, encode(buffer, offset, fastpathId, sequence, counters, count),
                groups, SAS_HEADER_LENGTH + installed * SA_LENGTH);
        int sectionOffset = offset + length;
        int cursor = sectionOffset + SAS_HEADER_LENGTH;
        int written = 0;
        for (int i = 0; i < sas.capacity() && written < installed; i++) {
            if (!sas.isInstalled(i)) {
                continue;
            }
            buffer.putInt(cursor, i);
            buffer.putInt(cursor + SA_SPI_OFFSET, sas.spi(i));
            buffer.putLong(cursor + SA_PACKETS_OFFSET, sas.packets(i));
            buffer.putLong(cursor + SA_BYTES_OFFSET, sas.bytes(i));
            buffer.putLong(cursor + SA_REPLAYS_OFFSET, sas.replays(i));
            buffer.putLong(cursor + SA_AUTH_FAILURES_OFFSET, sas.authFailures(i));
            buffer.putLong(cursor + SA_OTHER_DROPS_OFFSET, sas.otherDrops(i));
            cursor += SA_LENGTH;
            written++;
        }
        buffer.putShort(sectionOffset, (short) written);
        buffer.putShort(sectionOffset + 2, (short) 0);
        return cursor - offset;
    }

    /** Appends the groups section after {@code length} bytes, leaving {@code reserve} bytes of room after it. */
    private static int encodeGroups(ByteBuffer buffer, int offset, int length, long[] groups, int reserve) {
        int sectionOffset = offset + length;
        int limit = offset + Math.min(ControlProtocol.MAX_MESSAGE_LENGTH, buffer.capacity() - offset) - reserve;
        int cursor = sectionOffset + GROUPS_HEADER_LENGTH;
        int written = 0;
        int groupCount = Math.min(groups.length >> 1, Action.Count.MAX_GROUPS);
        for (int group = 1; group < groupCount && cursor + GROUP_LENGTH <= limit; group++) {
            long packets = groups[group << 1];
            long bytes = groups[(group << 1) + 1];
            if (packets == 0 && bytes == 0) {
                continue;
            }
            buffer.putShort(cursor, (short) group);
            buffer.putShort(cursor + 2, (short) 0);
            buffer.putLong(cursor + GROUP_PACKETS_OFFSET, packets);
            buffer.putLong(cursor + GROUP_BYTES_OFFSET, bytes);
            cursor += GROUP_LENGTH;
            written++;
        }
        buffer.putShort(sectionOffset, (short) written);
        buffer.putShort(sectionOffset + 2, (short) 0);
        return cursor - offset;
    }

    /** The most counter groups a STATS_RESPONSE of {@code counterCount} counters has room for. */
    public static int maxGroups(int counterCount) {
        return (ControlProtocol.MAX_MESSAGE_LENGTH - COUNTERS_OFFSET - counterCount * Long.BYTES
                - GROUPS_HEADER_LENGTH) / GROUP_LENGTH;
    }

    /** Decodes a STATS_RESPONSE, or returns null if it is malformed. */
    public static FastpathStats decode(ByteBuffer buffer, int offset, int length) {
        if (length < COUNTERS_OFFSET) {
            return null;
        }
        int count = buffer.getShort(offset + COUNTER_COUNT_OFFSET) & 0xFFFF;
        if (COUNTERS_OFFSET + count * Long.BYTES > length) {
            return null;
        }
        long[] values = new long[FastpathStats.COUNTER_COUNT];
        for (int i = 0; i < Math.min(count, FastpathStats.COUNTER_COUNT); i++) {
            values[i] = buffer.getLong(offset + COUNTERS_OFFSET + i * Long.BYTES);
        }
        FastpathStats stats = FastpathStats.of(values);
        List<SaCounters> sas = securityAssociations(buffer, offset, length);
        return sas == null || sas.isEmpty() ? stats : stats.withSecurityAssociations(sas);
    }

    /**
     * The SAs section of a STATS_RESPONSE ({@link SaCounters}, ascending by index): empty if the message has none,
     * null if the groups or SAs section overruns the message. The control plane's: it allocates.
     */
    public static List<SaCounters> securityAssociations(ByteBuffer buffer, int offset, int length) {
        if (length < COUNTERS_OFFSET) {
            return null;
        }
        int groupsOffset = COUNTERS_OFFSET + (buffer.getShort(offset + COUNTER_COUNT_OFFSET) & 0xFFFF) * Long.BYTES;
        if (groupsOffset == length) {
            return List.of();
        }
        if (groupsOffset + GROUPS_HEADER_LENGTH > length) {
            return null;
        }
        int sasOffset = groupsOffset + GROUPS_HEADER_LENGTH
                + (buffer.getShort(offset + groupsOffset) & 0xFFFF) * GROUP_LENGTH;
        if (sasOffset == length) {
            return List.of();
        }
        if (sasOffset + SAS_HEADER_LENGTH > length) {
            return null;
        }
        int count = buffer.getShort(offset + sasOffset) & 0xFFFF;
        if (sasOffset + SAS_HEADER_LENGTH + count * SA_LENGTH > length) {
            return null;
        }
        List<SaCounters> sas = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = offset + sasOffset + SAS_HEADER_LENGTH + i * SA_LENGTH;
            int index = buffer.getInt(at);
            if (index < 0) {
                return null;
            }
            sas.add(new SaCounters(index, buffer.getInt(at + SA_SPI_OFFSET), buffer.getLong(at + SA_PACKETS_OFFSET),
                    buffer.getLong(at + SA_BYTES_OFFSET), buffer.getLong(at + SA_REPLAYS_OFFSET),
                    buffer.getLong(at + SA_AUTH_FAILURES_OFFSET), buffer.getLong(at + SA_OTHER_DROPS_OFFSET)));
        }
        return Collections.unmodifiableList(sas);
    }

    /**
     * Checks the counter groups of a STATS_RESPONSE whose counters {@link #decode} read, then hands each to
     * {@code visitor}; returns the group count (0 if the message has no groups section), or -1 (and visits nothing)
     * if the section overruns the message or names a group not in {@code 1..Action.Count.MAX_GROUPS - 1}.
     */
    public static int decodeGroups(ByteBuffer buffer, int offset, int length, GroupVisitor visitor) {
        if (length < COUNTERS_OFFSET) {
            return -1;
        }
        int sectionOffset = COUNTERS_OFFSET + (buffer.getShort(offset + COUNTER_COUNT_OFFSET) & 0xFFFF) * Long.BYTES;
        if (sectionOffset == length) {
            return 0;
        }
        if (sectionOffset + GROUPS_HEADER_LENGTH > length) {
            return -1;
        }
        int count = buffer.getShort(offset + sectionOffset) & 0xFFFF;
        int first = offset + sectionOffset + GROUPS_HEADER_LENGTH;
        if (sectionOffset + GROUPS_HEADER_LENGTH + count * GROUP_LENGTH > length) {
            return -1;
        }
        for (int i = 0; i < count; i++) {
            int group = buffer.getShort(first + i * GROUP_LENGTH) & 0xFFFF;
            if (group == 0 || group >= Action.Count.MAX_GROUPS) {
                return -1;
            }
        }
        for (int i = 0; i < count; i++) {
            int at = first + i * GROUP_LENGTH;
            visitor.onGroup(buffer.getShort(at) & 0xFFFF, buffer.getLong(at + GROUP_PACKETS_OFFSET),
                    buffer.getLong(at + GROUP_BYTES_OFFSET));
        }
        return count;
    }

    /**
     * The counter groups of a STATS_RESPONSE whose counters {@link #decode} read, by group (empty if it has none), or
     * null if the section is malformed ({@link #decodeGroups}). The control plane's: it allocates.
     */
    public static Map<Integer, GroupCounters> groups(ByteBuffer buffer, int offset, int length) {
        Map<Integer, GroupCounters> groups = new TreeMap<>();
        int count = decodeGroups(buffer, offset, length,
                (group, packets, bytes) -> groups.merge(group, new GroupCounters(packets, bytes), GroupCounters::plus));
        return count < 0 ? null : Collections.unmodifiableMap(groups);
    }
}
