package io.isthmus.fastpath.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.Route;

class RouteTableTest {

    private final RouteTable table = new RouteTable(1024);

    @Test
    void theLongestCoveringPrefixWins() {
        // Given nested routes and a default route
        install("0.0.0.0/0", 1);
        install("10.0.0.0/8", 8);
        install("10.1.0.0/16", 16);
        install("10.1.2.0/24", 24);
        install("10.1.2.3/32", 32);

        // Then each address finds its most specific route
        assertThat(vniFor("10.1.2.3")).isEqualTo(32);
        assertThat(vniFor("10.1.2.4")).isEqualTo(24);
        assertThat(vniFor("10.1.3.1")).isEqualTo(16);
        assertThat(vniFor("10.2.0.1")).isEqualTo(8);
        assertThat(vniFor("192.168.1.1")).isEqualTo(1);
        assertThat(table.size()).isEqualTo(5);
    }

    @Test
    void anAddressNoRouteCoversIsMissing() {
        install("10.0.0.0/8", 8);

        assertThat(table.lookup(Ipv4Addresses.parse("11.0.0.1"))).isEqualTo(RouteTable.MISSING);
        assertThat(new RouteTable(1).lookup(0)).isEqualTo(RouteTable.MISSING);
    }

    @Test
    void aRouteCarriesItsVniAndNextHop() {
        table.install(Ipv4Addresses.parse("172.16.0.0"), 12, 300, Ipv4Addresses.parse("198.51.100.9"), 4789);

        int node = table.lookup(Ipv4Addresses.parse("172.20.1.1"));

        assertThat(table.vni(node)).isEqualTo(300);
        assertThat(table.nextHopAddress(node)).isEqualTo(Ipv4Addresses.parse("198.51.100.9"));
        assertThat(table.nextHopPort(node)).isEqualTo(4789);
    }

    @Test
    void installingAPrefixAgainReplacesItsRoute() {
        install("10.0.0.0/8", 8);
        install("10.0.0.0/8", 9);

        assertThat(vniFor("10.9.9.9")).isEqualTo(9);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void aWithdrawnRouteUncoversTheShorterOneAndFreesItsNodes() {
        // Given a /8 and a /32 inside it
        install("10.0.0.0/8", 8);
        int nodesBefore = table.nodes();
        install("10.1.2.3/32", 32);

        // When the /32 is withdrawn
        assertThat(table.withdraw(Ipv4Addresses.parse("10.1.2.3"), 32)).isTrue();

        // Then the /8 covers its address again, and the nodes it took are reused by the next route
        assertThat(vniFor("10.1.2.3")).isEqualTo(8);
        assertThat(table.size()).isEqualTo(1);
        install("10.4.5.6/32", 32);
        assertThat(table.nodes()).isEqualTo(nodesBefore + 24);
        assertThat(table.withdraw(Ipv4Addresses.parse("10.9.0.0"), 16)).isFalse();
    }

    @Test
    void aFullTableRefusesNewPrefixesButReplacesExistingOnes() {
        RouteTable small = new RouteTable(2);
        assertThat(small.install(Ipv4Addresses.parse("10.0.0.0"), 8, 1, 0, 0)).isTrue();
        assertThat(small.install(Ipv4Addresses.parse("11.0.0.0"), 8, 2, 0, 0)).isTrue();

        assertThat(small.install(Ipv4Addresses.parse("12.0.0.0"), 8, 3, 0, 0)).isFalse();
        assertThat(small.install(Ipv4Addresses.parse("10.0.0.0"), 16, 3, 0, 0)).isFalse();
        assertThat(small.install(Ipv4Addresses.parse("11.0.0.0"), 8, 4, 0, 0)).isTrue();

        assertThat(small.rejected()).isEqualTo(2);
        assertThat(small.vni(small.lookup(Ipv4Addresses.parse("11.1.1.1")))).isEqualTo(4);
        assertThat(small.lookup(Ipv4Addresses.parse("12.1.1.1"))).isEqualTo(RouteTable.MISSING);
    }

    @Test
    void clearRemovesEveryRoute() {
        install("0.0.0.0/0", 1);
        install("10.0.0.0/8", 8);

        table.clear();

        assertThat(table.size()).isZero();
        assertThat(table.lookup(Ipv4Addresses.parse("10.0.0.1"))).isEqualTo(RouteTable.MISSING);
        install("10.0.0.0/8", 9);
        assertThat(vniFor("10.0.0.1")).isEqualTo(9);
    }

    @Test
    void lookupsAgreeWithALinearScanOverRandomRoutesInstalledAndWithdrawn() {
        // Given random routes, some withdrawn, in a table that has to grow
        Random random = new Random(42);
        RouteTable grown = new RouteTable(10_000);
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            int length = random.nextInt(33);
            Route route = new Route(random.nextInt() & Route.mask(length), length, i, random.nextInt(), i & 0xFFFF);
            routes.removeIf(r -> r.prefix() == route.prefix() && r.prefixLength() == route.prefixLength());
            routes.add(route);
            grown.install(route.prefix(), route.prefixLength(), route.vni(), route.nextHopAddress(),
                    route.nextHopPort());
        }
        for (int i = 0; i < 1_000; i++) {
            Route route = routes.remove(random.nextInt(routes.size()));
            assertThat(grown.withdraw(route.prefix(), route.prefixLength())).isTrue();
        }
        assertThat(grown.size()).isEqualTo(routes.size());

        // Then every lookup finds what a linear scan for the longest covering prefix finds
        for (int i = 0; i < 20_000; i++) {
            int address = i % 2 == 0 ? random.nextInt() : routes.get(random.nextInt(routes.size())).prefix();
            Route expected = null;
            for (Route route : routes) {
                if ((address & Route.mask(route.prefixLength())) == route.prefix()
                        && (expected == null || route.prefixLength() > expected.prefixLength())) {
                    expected = route;
                }
            }
            int node = grown.lookup(address);
            if (expected == null) {
                assertThat(node).isEqualTo(RouteTable.MISSING);
            } else {
                assertThat(node).isNotEqualTo(RouteTable.MISSING);
                assertThat(grown.vni(node)).as(Ipv4Addresses.format(address)).isEqualTo(expected.vni());
                assertThat(grown.nextHopAddress(node)).isEqualTo(expected.nextHopAddress());
                assertThat(grown.nextHopPort(node)).isEqualTo(expected.nextHopPort());
            }
        }
    }

    private void install(String cidr, int vni) {
        Route route = Route.of(cidr, vni, 0x7F000001, 4789);
        assertThat(table.install(route.prefix(), route.prefixLength(), vni, route.nextHopAddress(),
                route.nextHopPort())).isTrue();
    }

    private int vniFor(String address) {
        int node = table.lookup(Ipv4Addresses.parse(address));
        assertThat(node).as(address).isNotEqualTo(RouteTable.MISSING);
        return table.vni(node);
    }
}
