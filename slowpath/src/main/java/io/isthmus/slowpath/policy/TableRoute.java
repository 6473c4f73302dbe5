package io.isthmus.slowpath.policy;

import java.util.List;

import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.Route;

/**
 * A route of a route table (ROUTE_UPDATE), installed in every fastpath that takes route tables: packets on a VNI bound
 * to {@code table} ({@link VniBinding}) whose destination's longest match in the table is {@code prefix/prefixLength}
 * are sent to one of {@code nextHops} — picked by the flow's hash when there are several (ECMP) — with their TTL
 * decremented, or dropped if {@code nextHops} is empty (a blackhole route). A route for a table, prefix and length that
 * exists replaces it. The slowpath keeps every route installed and not removed, sends them to fastpaths that join or
 * fall behind, and numbers each change with a version ({@code /stats} {@code routeTables} says which version every
 * fastpath runs).
 *
 * @param table the route table, from 1
 * @param prefix the destination prefix, big-endian, no bits set beyond {@code prefixLength}
 * @param prefixLength 0 (a default route) to 32
 * @param nextHops 0 (blackhole) to 16 next hops
 */
public record TableRoute(int table, int prefix, int prefixLength, List<NextHop> nextHops) implements Install {

    /** The most next hops of one route. */
    public static final int MAX_NEXT_HOPS = 16;

    public TableRoute {
        if (table < 1) {
            throw new IllegalArgumentException("route tables are numbered from 1: " + table);
        }
        if (prefixLength < 0 || prefixLength > 32 || (prefix & ~Route.mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("not a prefix: " + Ipv4Addresses.format(prefix) + "/" + prefixLength);
        }
        nextHops = List.copyOf(nextHops);
        if (nextHops.size() > MAX_NEXT_HOPS) {
            throw new IllegalArgumentException("at most 16 next hops: " + nextHops.size());
        }
    }

    /** A route that drops what it matches. */
    public static TableRoute blackhole(int table, int prefix, int prefixLength) {
        return new TableRoute(table, prefix, prefixLength, List.of());
    }

    public boolean isBlackhole() {
        return nextHops.isEmpty();
    }

    /**
     * Where a routed packet goes: out on {@code vni} to the VXLAN tunnel endpoint {@code address:port}.
     *
     * @param vni 24 bits
     * @param address the tunnel endpoint's IPv4 address
     * @param port its UDP port, not 0
     */
    public record NextHop(int vni, int address, int port) {

        public NextHop {
            if ((vni & ~0xFF_FFFF) != 0 || port < 1 || port > 0xFFFF) {
                throw new IllegalArgumentException("VNI or port out of range: " + vni + ", " + port);
            }
        }

        @Override
        public String toString() {
            return "vni " + vni + " via " + Ipv4Addresses.format(address) + ":" + port;
        }
    }
}
