package io.isthmus.control.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import io.isthmus.control.Action;
import io.isthmus.control.FastpathStats;
import io.isthmus.control.FlowKey;
import io.isthmus.control.FlowTimeouts;
import io.isthmus.control.Route;
import io.isthmus.control.Rule;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.control.message.BatchFlyweight;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.FlowExpiredFlyweight;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.InstallRouteFlyweight;
import io.isthmus.control.message.InstallSaFlyweight;
import io.isthmus.control.message.PuntFlyweight;
import io.isthmus.control.message.ReinjectFlyweight;
import io.isthmus.control.message.RemoveFlyweight;
import io.isthmus.control.message.RemoveSaFlyweight;
import io.isthmus.control.message.RouteBatchFlyweight;
import io.isthmus.control.message.StatsRequestFlyweight;
import io.isthmus.control.message.StatsResponseFlyweight;
import io.isthmus.control.message.TimeoutsFlyweight;
import io.isthmus.control.message.WelcomeFlyweight;

/**
 * jqwik generators of control messages for the fuzz tests: values generated, then written by the protocol's own
 * encoders, each with what decoding it must give back (in the shapes {@code ControlMessageFuzzTest} decodes to). All
 * are addressed to fastpath {@link #FASTPATH_ID}.
 */
public final class ControlMessageArbitraries {

    public static final int FASTPATH_ID = 7;

    private ControlMessageArbitraries() {
    }

    /** The bytes as a list, to compare by value. */
    public static List<Byte> bytesOf(ByteBuffer buffer, int offset, int length) {
        List<Byte> bytes = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            bytes.add(buffer.get(offset + i));
        }
        return bytes;
    }

    /** An SA's fields, its key material by value. */
    public static List<Object> saFields(SecurityAssociation sa) {
        return List.of(sa.index(), sa.spi(), sa.direction(), bytesOf(ByteBuffer.wrap(sa.keyMaterial()), 0,
                sa.keyMaterial().length), sa.tunnelSource(), sa.tunnelDestination(), sa.sourceRanges(),
                sa.destinationRanges());
    }

    /** A message as its encoder wrote it, and what {@link #decode} must give back for it. */
    public record Encoded(String name, byte[] bytes, Object decoded) {
        @Override
        public String toString() {
            return name + " " + bytes.length + " bytes";
        }
    }

    /** Messages of every type. */
    public static Arbitrary<Encoded> messages() {
        return Arbitraries.oneOf(List.of(toSlowpath(), toFastpath()));
    }

    /**
     * Lists of up to 40 hostile datagrams for a receiver: random bytes, random bodies behind a valid header of any
     * type (some unknown) for {@link #FASTPATH_ID}, and {@code valid} messages with a bit of their first 16 bytes
     * flipped (header, and the count, length or flags fields every body starts with).
     */
    public static Arbitrary<List<byte[]>> hostileDatagrams(Arbitrary<Encoded> valid) {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        Arbitrary<byte[]> randomBody = Combinators.combine(Arbitraries.integers().between(0, 20), random).as((type,
                body) -> {
            byte[] bytes = new byte[ControlProtocol.HEADER_LENGTH + body.length];
            ControlProtocol.encodeHeader(ByteBuffer.wrap(bytes), 0, type, FASTPATH_ID, 1);
            System.arraycopy(body, 0, bytes, ControlProtocol.HEADER_LENGTH, body.length);
            return bytes;
        });
        Arbitrary<byte[]> flipped = Combinators.combine(valid, Arbitraries.integers().between(0, 15), Arbitraries
                .integers().between(0, 7)).as((message, at, bit) -> {
                    byte[] bytes = message.bytes().clone();
                    bytes[Math.min(at, bytes.length - 1)] ^= (byte) (1 << bit);
                    return bytes;
                });
        return Arbitraries.frequencyOf(Tuple.of(1, random), Tuple.of(2, randomBody), Tuple.of(2, flipped)).list()
                .ofMaxSize(40);
    }

    /** Messages of the types a fastpath sends its slowpath. */
    public static Arbitrary<Encoded> toSlowpath() {
        return Arbitraries.oneOf(List.of(hello(), punt(), puntBatch(), flowExpired(), statsResponse()));
    }

    /** Messages of the types a slowpath sends a fastpath (all of which a fastpath of this version takes). */
    public static Arbitrary<Encoded> toFastpath() {
        return Arbitraries.oneOf(List.of(welcome(), install(), remove(), removeAll(), reinject(),
                reinjectBatch(),
                statsRequest(), installSa(), installSaWithSelectors(), removeSa(), installRoute(), routeBatch(),
                timeouts()));
    }

    private static final ByteBuffer SCRATCH = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);

    private static byte[] written(int length) {
        byte[] bytes = new byte[length];
        SCRATCH.get(0, bytes);
        return bytes;
    }

    private static Arbitrary<Integer> ports() {
        return Arbitraries.integers().between(0, 0xFFFF);
    }

    private static Arbitrary<Integer> vnis() {
        return Arbitraries.integers().between(0, 0xFF_FFFF);
    }

    private static Arbitrary<FlowKey> keys() {
        return Combinators.combine(vnis(), Arbitraries.integers().between(0, 255), Arbitraries.integers(),
                Arbitraries.integers(), ports(), ports()).as(FlowKey::new);
    }

    private static Arbitrary<byte[]> packets(int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength);
    }

    private static Arbitrary<Encoded> hello() {
        return Combinators.combine(Arbitraries.integers(), ports(), ports()).as((address, port, flags) -> new Encoded(
                "HELLO", written(HelloFlyweight.encode(SCRATCH, 0, FASTPATH_ID, 1, address, port, flags)),
                List.of(address, port, flags)));
    }

    private static Arbitrary<Encoded> welcome() {
        return ports().map(flags -> new Encoded("WELCOME", written(WelcomeFlyweight.encode(SCRATCH, 0, FASTPATH_ID,
                1, flags)), List.of(flags)));
    }

    private static Arbitrary<Encoded> punt() {
        return Combinators.combine(Arbitraries.integers().between(0, 255), keys(), packets(1500))
                .as((reason, key, packet) -> new Encoded("PUNT", written(PuntFlyweight.encode(SCRATCH, 0,
                        FASTPATH_ID, 1, reason, key.high(), key.low(), ByteBuffer.wrap(packet), 0, packet.length)),
                        List.of(reason, key, bytesOf(ByteBuffer.wrap(packet), 0, packet.length))));
    }

    private static Arbitrary<Action> actions() {
        return Arbitraries.oneOf(List.of(
                Combinators.combine(Arbitraries.integers(), ports()).as(Action.RewriteSource::new),
                Combinators.combine(Arbitraries.integers(), ports()).as(Action.RewriteDestination::new),
                Combinators.combine(Arbitraries.integers(), ports()).as(Action.SetNextHop::new),
                vnis().map(Action.SetVni::new),
                Arbitraries.integers().greaterOrEqual(0).map(Action.EspEncrypt::new),
                Arbitraries.integers().greaterOrEqual(0).map(Action.EspDecrypt::new),
                Arbitraries.integers().between(0, Action.Count.MAX_GROUPS - 1).map(Action.Count::new),
                Arbitraries.of(new Action.DecrementTtl(), new Action.Count(), new Action.Drop(),
                        new Action.RouteLookup())));
    }

    private static Arbitrary<List<Rule>> rules() {
        Arbitrary<Rule> rule = Combinators.combine(keys(), actions().list().ofMinSize(1).ofMaxSize(Rule.MAX_ACTIONS))
                .as(Rule::new);
        return rule.list().ofMinSize(1).ofMaxSize(20);
    }

    private static Arbitrary<Encoded> install() {
        return rules().map(rules -> new Encoded("INSTALL", written(InstallFlyweight.encode(SCRATCH, 0, FASTPATH_ID,
                1, rules)), rules));
    }

    private static Arbitrary<Encoded> remove() {
        return keys().list().ofMaxSize(40).map(keys -> new Encoded("REMOVE", written(RemoveFlyweight.encode(SCRATCH,
                0, FASTPATH_ID, 1, keys)), keys));
    }

    private static Arbitrary<Encoded> removeAll() {
        return Arbitraries.just(0).map(ignored -> new Encoded("REMOVE all", written(RemoveFlyweight.encodeAll(SCRATCH,
                0, FASTPATH_ID, 1)), "all"));
    }

    private static Arbitrary<Encoded> flowExpired() {
        return keys().list().ofMaxSize(FlowExpiredFlyweight.MAX_KEYS).map(keys -> new Encoded("FLOW_EXPIRED",
                written(FlowExpiredFlyweight.encode(SCRATCH, 0, FASTPATH_ID, 1, FlowExpiredFlyweight.EXPIRED_IDLE,
                        keys)),
                keys));
    }

    private static Arbitrary<Encoded> reinject() {
        return packets(1500).map(packet -> new Encoded("REINJECT", written(ReinjectFlyweight.encode(SCRATCH, 0,
                FASTPATH_ID, 1, ByteBuffer.wrap(packet), 0, packet.length)), bytesOf(ByteBuffer.wrap(packet), 0,
                        packet.length)));
    }

    /** A PUNT_BATCH of PUNTs. */
    private static Arbitrary<Encoded> puntBatch() {
        return punt().list().ofMaxSize(4).map(punts -> {
            int length = BatchFlyweight.encode(SCRATCH, 0, ControlProtocol.PUNT_BATCH, FASTPATH_ID, 1);
            List<List<Byte>> decoded = new ArrayList<>();
            for (Encoded punt : punts) {
                length = BatchFlyweight.append(SCRATCH, 0, length, ByteBuffer.wrap(punt.bytes()), 0, punt
                        .bytes().length);
                decoded.add(bytesOf(ByteBuffer.wrap(punt.bytes()), 0, punt.bytes().length));
            }
            return new Encoded("PUNT_BATCH", written(length), decoded);
        });
    }

    /** A REINJECT_BATCH of random packets. */
    private static Arbitrary<Encoded> reinjectBatch() {
        return packets(200).list().ofMaxSize(6).map(entries -> {
            int length = BatchFlyweight.encode(SCRATCH, 0, ControlProtocol.REINJECT_BATCH, FASTPATH_ID, 1);
            List<List<Byte>> decoded = new ArrayList<>();
            for (byte[] entry : entries) {
                length = BatchFlyweight.append(SCRATCH, 0, length, ByteBuffer.wrap(entry), 0, entry.length);
                decoded.add(bytesOf(ByteBuffer.wrap(entry), 0, entry.length));
            }
            return new Encoded("REINJECT_BATCH", written(length), decoded);
        });
    }

    private static Arbitrary<Encoded> statsRequest() {
        return Arbitraries.just(0).map(ignored -> new Encoded("STATS_REQUEST", written(StatsRequestFlyweight.encode(
                SCRATCH, 0, FASTPATH_ID, 1)), "stats"));
    }

    private static Arbitrary<Encoded> statsResponse() {
        return Arbitraries.longs().array(long[].class).ofSize(FastpathStats.COUNTER_COUNT)
                .map(counters -> new Encoded("STATS_RESPONSE", written(StatsResponseFlyweight.encode(SCRATCH, 0,
                        FASTPATH_ID, 1, counters, counters.length)), FastpathStats.of(counters)));
    }

    private static Arbitrary<Encoded> installSa() {
        Arbitrary<Integer> spis = Arbitraries.oneOf(List.of(Arbitraries.integers().lessOrEqual(-1),
                Arbitraries.integers().greaterOrEqual(256)));
        Arbitrary<byte[]> material = Arbitraries.of(20, 28, 36).flatMap(length -> Arbitraries.bytes()
                .array(byte[].class).ofSize(length));
        return Combinators.combine(Arbitraries.integers().greaterOrEqual(0), spis, Arbitraries.of(
                SecurityAssociation.Direction.values()), material, Arbitraries.integers(), Arbitraries.integers())
                .as((index, spi, direction, key, source, destination) -> {
                    SecurityAssociation sa = new SecurityAssociation(index, spi, direction, key, source, destination);
                    return new Encoded("INSTALL_SA", written(InstallSaFlyweight.encode(SCRATCH, 0, FASTPATH_ID, 1,
                            sa)), saFields(sa));
                });
    }

    /** An inbound SA in the extended INSTALL_SA, with up to 64 source and destination ranges. */
    private static Arbitrary<Encoded> installSaWithSelectors() {
        Arbitrary<SecurityAssociation.AddressRange> range = Combinators.combine(Arbitraries.integers(),
                Arbitraries.integers()).as(
                        (a, b) -> Integer.compareUnsigned(a, b) <= 0
                                ? new SecurityAssociation.AddressRange(a, b)
                                : new SecurityAssociation.AddressRange(b, a));
        Arbitrary<List<SecurityAssociation.AddressRange>> ranges = range.list().ofMaxSize(
                SecurityAssociation.MAX_SELECTOR_RANGES);
        return Combinators.combine(Arbitraries.integers().greaterOrEqual(0), Arbitraries.integers().greaterOrEqual(256),
                Arbitraries.of(20, 28, 36), ranges, ranges).as((index, spi, keyLength, sources, destinations) -> {
                    SecurityAssociation sa = SecurityAssociation.inbound(index, spi, new byte[keyLength])
                            .withSelectors(sources, destinations);
                    return new Encoded("INSTALL_SA", written(InstallSaFlyweight.encode(SCRATCH, 0, FASTPATH_ID, 1,
                            sa, true)), saFields(sa));
                });
    }

    private static Arbitrary<Encoded> removeSa() {
        return Arbitraries.integers().greaterOrEqual(0).map(index -> new Encoded("REMOVE_SA", written(
                RemoveSaFlyweight.encode(SCRATCH, 0, FASTPATH_ID, 1, index)), index));
    }

    private static Arbitrary<Route> routeValues() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 32), vnis(),
                Arbitraries.integers(), ports()).as(
                        (address, length, vni, nextHop, port) -> new Route(address
                                & Route.mask(length), length, vni, nextHop, port));
    }

    /** What a route visitor is handed for {@code route}: prefix, length, flags, VNI, next hop, port. */
    public static List<Object> routeFields(Route route, int flags) {
        return List.of(route.prefix(), route.prefixLength(), flags, route.vni(), route.nextHopAddress(),
                route.nextHopPort());
    }

    private static Arbitrary<Encoded> installRoute() {
        return routeValues().map(route -> new Encoded("INSTALL_ROUTE", written(InstallRouteFlyweight.encode(SCRATCH,
                0, FASTPATH_ID, 1, route)), List.of(routeFields(route, 0))));
    }

    private static Arbitrary<Encoded> routeBatch() {
        return Combinators.combine(routeValues().list().ofMaxSize(RouteBatchFlyweight.MAX_ROUTES), Arbitraries
                .of(false, true)).as((routes, withdraw) -> {
                    int flags = withdraw ? InstallRouteFlyweight.WITHDRAW : 0;
                    return new Encoded("ROUTE_BATCH", written(RouteBatchFlyweight.encode(SCRATCH, 0, FASTPATH_ID, 1,
                            routes, withdraw)), routes.stream().map(route -> routeFields(route, flags)).toList());
                });
    }

    private static Arbitrary<Encoded> timeouts() {
        return Combinators.combine(seconds(FlowTimeouts.MIN_TCP_ESTABLISHED), seconds(FlowTimeouts.MIN_TCP_TRANSITORY),
                seconds(FlowTimeouts.MIN_UDP), seconds(FlowTimeouts.MIN_ICMP), seconds(FlowTimeouts.MIN_OTHER)).as(
                        (established, transitory, udp, icmp, other) -> {
                            FlowTimeouts timeouts = new FlowTimeouts(established, transitory, udp, icmp, other);
                            return new Encoded("TIMEOUTS", written(TimeoutsFlyweight.encode(SCRATCH, 0, FASTPATH_ID,
                                    1, timeouts)), timeouts);
                        });
    }

    private static Arbitrary<Long> seconds(long minimum) {
        return Arbitraries.longs().between(minimum, FlowTimeouts.MAX);
    }
}
