package io.isthmus.slowpath.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.RouteUpdateFlyweight;
import io.isthmus.slowpath.policy.TableRoute;
import io.isthmus.slowpath.policy.TableRouteRemoval;
import io.isthmus.slowpath.policy.VniBinding;

/** The route tables' deltas and snapshots as bytes: what a fastpath is sent. */
class RouteTablesTest {

    private static final TableRoute.NextHop A = new TableRoute.NextHop(1, 0x0A000001, 4789);
    private static final TableRoute.NextHop B = new TableRoute.NextHop(1, 0x0A000002, 4789);

    /** The entries of a message, as text, in order. */
    private static List<String> entries(byte[] message) {
        ByteBuffer buffer = ByteBuffer.wrap(message);
        assertThat(RouteUpdateFlyweight.isValid(buffer, 0, message.length)).isTrue();
        assertThat(message.length).isLessThanOrEqualTo(ControlProtocol.MAX_BATCH_BYTES);
        List<String> entries = new ArrayList<>();
        RouteUpdateFlyweight.visit(buffer, 0, new RouteUpdateFlyweight.EntryVisitor() {
            @Override
            public void onBind(int vni, int table, boolean unbind) {
                entries.add((unbind ? "unbind " : "bind ") + vni + " " + table);
            }

            @Override
            public void onGroup(int group, int count, ByteBuffer b, int at) {
                entries.add("group " + group + " " + count);
            }

            @Override
            public void onRoute(int table, int prefix, int prefixLength, int group, boolean withdraw) {
                entries.add((withdraw ? "withdraw " : "route ") + table + " " + Integer.toHexString(prefix) + "/"
                        + prefixLength + " " + group);
            }
        });
        return entries;
    }

    @Test
    void aChangeIsOneDeltaPerVersionWithEachGroupBeforeItsFirstRouteAndRemovedAfterItsLast() {
        RouteTables tables = new RouteTables(1 << 20);

        tables.apply(new VniBinding(100, 1));
        tables.apply(new TableRoute(1, 0x0A000000, 8, List.of(A, B)));
        tables.apply(new TableRoute(1, 0x0B000000, 8, List.of(A, B)));
        assertThat(tables.endChange()).isEqualTo(1);

        tables.apply(new TableRoute(1, 0x0A000000, 8, List.of(A)));
        tables.apply(new TableRouteRemoval(1, 0x0B000000, 8));
        tables.apply(new TableRouteRemoval(1, 0x0C000000, 8));
        tables.apply(new VniBinding(100, 1));
        tables.apply(VniBinding.unbind(100));
        assertThat(tables.endChange()).isEqualTo(2);

        assertThat(entries(tables.log().deltaFrom(0))).containsExactly("bind 100 1", "group 1 2",
                "route 1 a000000/8 1", "route 1 b000000/8 1");
        // the new group first; the old one once its last route left it; a removal of nothing, nothing
        assertThat(entries(tables.log().deltaFrom(1))).containsExactly("group 2 1", "route 1 a000000/8 2",
                "withdraw 1 b000000/8 1", "group 1 0", "unbind 100 1");
        assertThat(RouteUpdateFlyweight.fromVersion(ByteBuffer.wrap(tables.log().deltaFrom(1)), 0)).isEqualTo(1);
        assertThat(RouteUpdateFlyweight.toVersion(ByteBuffer.wrap(tables.log().deltaFrom(1)), 0)).isEqualTo(2);

        // a change that changes nothing is no version
        tables.apply(new TableRoute(1, 0x0A000000, 8, List.of(A)));
        assertThat(tables.endChange()).isEqualTo(2);
    }

    @Test
    void aGroupIdFreedAndGivenToOtherNextHopsIsNotTakenForItsOldList() {
        RouteTables tables = new RouteTables(1 << 20);
        List<TableRoute.NextHop> toA = List.of(A);
        tables.apply(new TableRoute(1, 0x0A000000, 8, toA));
        tables.apply(new TableRoute(1, 0x0B000000, 8, toA));
        tables.apply(new TableRouteRemoval(1, 0x0A000000, 8));
        tables.apply(new TableRouteRemoval(1, 0x0B000000, 8));
        tables.apply(new TableRoute(1, 0x0C000000, 8, List.of(B)));
        tables.apply(new TableRoute(1, 0x0D000000, 8, toA));
        tables.endChange();

        assertThat(entries(tables.log().deltaFrom(0))).containsExactly("group 1 1", "route 1 a000000/8 1",
                "route 1 b000000/8 1", "withdraw 1 a000000/8 1", "withdraw 1 b000000/8 1", "group 1 0", "group 1 1",
                "route 1 c000000/8 1", "group 2 1", "route 1 d000000/8 2");
    }

    @Test
    void aSnapshotIsBindingsThenGroupsThenRoutesInPartsOfAtMost1472Bytes() {
        RouteTables tables = new RouteTables(1 << 20);
        tables.apply(new VniBinding(7, 3));
        for (int i = 0; i < 1_000; i++) {
            tables.apply(new TableRoute(3, i << 8, 24, i % 2 == 0 ? List.of(A) : List.of()));
        }
        long version = tables.endChange();
        assertThat(version).isEqualTo(1 + (1_000 * 16 + 12 + 20) / RouteUpdateFlyweight.MAX_ENTRY_BYTES);

        RouteSnapshot snapshot = tables.snapshot();

        assertThat(snapshot.version()).isEqualTo(version);
        List<String> all = new ArrayList<>();
        for (int part = 0; part < snapshot.partCount(); part++) {
            ByteBuffer buffer = ByteBuffer.wrap(snapshot.parts()[part]);
            int flags = RouteUpdateFlyweight.flags(buffer, 0);
            assertThat(flags & RouteUpdateFlyweight.SNAPSHOT).isNotZero();
            assertThat((flags & RouteUpdateFlyweight.FIRST) != 0).isEqualTo(part == 0);
            assertThat((flags & RouteUpdateFlyweight.LAST) != 0).isEqualTo(part == snapshot.partCount() - 1);
            assertThat(RouteUpdateFlyweight.fromVersion(buffer, 0)).isEqualTo(part);
            assertThat(RouteUpdateFlyweight.toVersion(buffer, 0)).isEqualTo(version);
            all.addAll(entries(snapshot.parts()[part]));
        }
        assertThat(all).hasSize(1 + 1 + 1_000);
        assertThat(all.subList(0, 2)).containsExactly("bind 7 3", "group 1 1");
        assertThat(all).contains("route 3 100/24 0", "route 3 200/24 1");
        // encoded once per version
        assertThat(tables.snapshot()).isSameAs(snapshot);
    }

    @Test
    void emptyTablesAreASnapshotOfOnePartWithNoEntry() {
        RouteSnapshot snapshot = new RouteTables(1 << 20).snapshot();

        assertThat(snapshot.partCount()).isEqualTo(1);
        ByteBuffer part = ByteBuffer.wrap(snapshot.parts()[0]);
        assertThat(RouteUpdateFlyweight.flags(part, 0)).isEqualTo(RouteUpdateFlyweight.SNAPSHOT
                | RouteUpdateFlyweight.FIRST | RouteUpdateFlyweight.LAST);
        assertThat(RouteUpdateFlyweight.entryCount(part, 0)).isZero();
    }

    @Test
    void theLogKeepsTheNewestDeltasWithinItsBytes() {
        RouteTables tables = new RouteTables(64 * 1024);
        for (int i = 0; i < 200; i++) {
            tables.apply(new TableRoute(1, i << 8, 24, List.of(A)));
            tables.endChange();
        }

        RouteLog log = tables.log();
        assertThat(log.version()).isEqualTo(200);
        assertThat(log.holds(200)).isTrue();
        assertThat(log.holds(0)).isTrue();
        for (int i = 0; i < 2_000; i++) {
            tables.apply(new TableRoute(1, i << 8, 24, i % 2 == 0 ? List.of(B) : List.of(A)));
            tables.endChange();
        }
        assertThat(log.bytesHeld()).isLessThanOrEqualTo(64 * 1024);
        assertThat(log.holds(0)).isFalse();
        assertThat(log.holds(log.first())).isTrue();
        assertThat(log.bytesFrom(log.first())).isEqualTo(log.bytesHeld()
                - (log.version() - log.first()) * RouteLog.OVERHEAD_BYTES);
        assertThat(RouteUpdateFlyweight.fromVersion(ByteBuffer.wrap(log.deltaFrom(log.first())), 0))
                .isEqualTo(log.first());
        assertThat(tables.deltasServe(0)).isFalse();
    }
}
