package io.isthmus.control.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Route;
import io.isthmus.control.Rule;
import io.isthmus.control.SecurityAssociation;

/** INSTALL_SA, REMOVE_SA, INSTALL_ROUTE and ROUTE_BATCH: what they carry, and how they refuse what is wrong. */
class SaAndRouteMessagesTest {

    private static final byte[] KEY_128 = new byte[20];
    private static final byte[] KEY_256 = new byte[36];

    static {
        for (int i = 0; i < KEY_256.length; i++) {
            KEY_256[i] = (byte) (i * 7 + 1);
        }
        System.arraycopy(KEY_256, 0, KEY_128, 0, KEY_128.length);
    }

    private final ByteBuffer buffer = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);

    @Test
    void anOutboundSaRoundTripsWithItsKeyAndTunnel() {
        // Given an outbound AES-256-GCM SA
        SecurityAssociation sa = SecurityAssociation.outbound(3, 0x1000_0001, KEY_256, 0xC6336401, 0xC6336402);

        // When encoded
        int length = InstallSaFlyweight.encode(buffer, 0, 7, 8, sa);

        // Then it is a valid INSTALL_SA of the predicted length that decodes back equal
        assertThat(length).isEqualTo(InstallSaFlyweight.length(sa))
                .isEqualTo(InstallSaFlyweight.KEY_MATERIAL_OFFSET + 36);
        assertThat(ControlProtocol.type(buffer, 0)).isEqualTo(ControlProtocol.INSTALL_SA);
        assertThat(ControlProtocol.fastpathId(buffer, 0)).isEqualTo(7);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isTrue();
        assertThat(InstallSaFlyweight.cipher(buffer, 0)).isEqualTo(InstallSaFlyweight.CIPHER_AES_GCM_16);
        assertThat(InstallSaFlyweight.decode(buffer, 0)).isEqualTo(sa);
        assertThat(InstallSaFlyweight.keyMaterial(buffer, 0)).isEqualTo(KEY_256);
    }

    @Test
    void anInboundSaRoundTripsWithoutTunnelAddresses() {
        SecurityAssociation sa = SecurityAssociation.inbound(0, 0xFFFF_FFFE, KEY_128);

        int length = InstallSaFlyweight.encode(buffer, 0, 1, 1, sa);

        assertThat(length).isEqualTo(InstallSaFlyweight.KEY_MATERIAL_OFFSET + 20);
        assertThat(InstallSaFlyweight.decode(buffer, 0)).isEqualTo(sa);
        assertThat(InstallSaFlyweight.direction(buffer, 0)).isEqualTo(SecurityAssociation.Direction.INBOUND.code());
    }

    @Test
    void anSaWithAnUnknownCipherDirectionKeyLengthOrReservedSpiIsNotValid() {
        SecurityAssociation sa = SecurityAssociation.outbound(1, 0x2000, KEY_128, 1, 2);
        int length = InstallSaFlyweight.encode(buffer, 0, 1, 1, sa);

        buffer.put(InstallSaFlyweight.CIPHER_OFFSET, (byte) 2);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isFalse();

        InstallSaFlyweight.encode(buffer, 0, 1, 1, sa);
        buffer.put(InstallSaFlyweight.DIRECTION_OFFSET, (byte) 3);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isFalse();

        InstallSaFlyweight.encode(buffer, 0, 1, 1, sa);
        buffer.put(InstallSaFlyweight.KEY_LENGTH_OFFSET, (byte) 16);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isFalse();

        InstallSaFlyweight.encode(buffer, 0, 1, 1, sa);
        buffer.putInt(InstallSaFlyweight.SPI_OFFSET, 255);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isFalse();

        InstallSaFlyweight.encode(buffer, 0, 1, 1, sa);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length - 1)).isFalse();
    }

    @Test
    void anSaRefusesReservedSpisAndKeysAesGcmCannotUse() {
        assertThatThrownBy(() -> SecurityAssociation.inbound(0, 255, KEY_128))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecurityAssociation.inbound(0, 0x1000, new byte[16]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SecurityAssociation.inbound(0, 0x1000, KEY_128).toString()).doesNotContain("keyMaterial");
    }

    @Test
    void removeSaCarriesItsIndex() {
        int length = RemoveSaFlyweight.encode(buffer, 0, 4, 5, 9);

        assertThat(length).isEqualTo(RemoveSaFlyweight.LENGTH);
        assertThat(ControlProtocol.type(buffer, 0)).isEqualTo(ControlProtocol.REMOVE_SA);
        assertThat(RemoveSaFlyweight.isValid(buffer, 0, length)).isTrue();
        assertThat(RemoveSaFlyweight.saIndex(buffer, 0)).isEqualTo(9);
        assertThat(RemoveSaFlyweight.isValid(buffer, 0, length - 1)).isFalse();
    }

    @Test
    void aRouteRoundTripsAndAWithdrawalSaysSo() {
        // Given a route and a withdrawal
        Route route = Route.of("10.20.0.0/16", 300, 0xC6336409, 4789);
        List<int[]> seen = new ArrayList<>();
        InstallRouteFlyweight.RouteVisitor visitor = (prefix, prefixLength, flags, vni, address, port) -> seen
                .add(new int[]{prefix, prefixLength, flags, vni, address, port});

        // When each is encoded and decoded
        int length = InstallRouteFlyweight.encode(buffer, 0, 1, 2, route);
        assertThat(length).isEqualTo(InstallRouteFlyweight.LENGTH);
        assertThat(ControlProtocol.type(buffer, 0)).isEqualTo(ControlProtocol.INSTALL_ROUTE);
        assertThat(InstallRouteFlyweight.decode(buffer, 0, length, visitor)).isEqualTo(1);
        length = InstallRouteFlyweight.encodeWithdraw(buffer, 0, 1, 3, 0x0A140000, 16);
        assertThat(InstallRouteFlyweight.decode(buffer, 0, length, visitor)).isEqualTo(1);

        // Then the route comes back whole, the withdrawal with its flag
        assertThat(seen.get(0)).containsExactly(0x0A140000, 16, 0, 300, 0xC6336409, 4789);
        assertThat(seen.get(1)).containsExactly(0x0A140000, 16, InstallRouteFlyweight.WITHDRAW, 0, 0, 0);
    }

    @Test
    void aReceivedRoutePrefixIsMaskedToItsLengthAndALengthOver32IsRefused() {
        InstallRouteFlyweight.encode(buffer, 0, 1, 2, Route.of("10.0.0.0/8", 1, 2, 3));
        buffer.putInt(InstallRouteFlyweight.ENTRY_OFFSET + InstallRouteFlyweight.ROUTE_PREFIX_OFFSET, 0x0A0B0C0D);
        int[] prefix = new int[1];

        InstallRouteFlyweight.decode(buffer, 0, InstallRouteFlyweight.LENGTH, (p, l, f, v, a, port) -> prefix[0] = p);
        assertThat(prefix[0]).isEqualTo(0x0A000000);

        buffer.put(InstallRouteFlyweight.ENTRY_OFFSET + InstallRouteFlyweight.ROUTE_PREFIX_LENGTH_OFFSET, (byte) 33);
        assertThat(InstallRouteFlyweight.decode(buffer, 0, InstallRouteFlyweight.LENGTH, (p, l, f, v, a, port) -> {
            throw new AssertionError("visited");
        })).isEqualTo(-1);
    }

    @Test
    void aRouteBatchCarriesItsRoutesInOrderWithinOneDatagram() {
        // Given as many routes as fit in 1,472 bytes
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < RouteBatchFlyweight.MAX_ROUTES; i++) {
            routes.add(new Route(0x0A000000 | (i << 8), 24, 100 + i, 0x7F000001, 4789));
        }

        // When encoded
        int length = RouteBatchFlyweight.encode(buffer, 0, 1, 2, routes, false);

        // Then it fits, and decodes to the same routes in order
        assertThat(length).isLessThanOrEqualTo(ControlProtocol.MAX_BATCH_BYTES)
                .isEqualTo(RouteBatchFlyweight.length(routes.size()));
        assertThat(RouteBatchFlyweight.MAX_ROUTES).isEqualTo(91);
        List<Route> decoded = new ArrayList<>();
        assertThat(RouteBatchFlyweight.decode(buffer, 0, length,
                (prefix, prefixLength, flags, vni, address, port) -> decoded
                        .add(new Route(prefix, prefixLength, vni, address, port))))
                .isEqualTo(routes.size());
        assertThat(decoded).isEqualTo(routes);
    }

    @Test
    void aRouteBatchWhoseLengthIsNotItsCountsIsRefusedWhole() {
        List<Route> routes = List.of(Route.of("10.0.0.0/8", 1, 2, 3), Route.of("0.0.0.0/0", 1, 2, 3));
        int length = RouteBatchFlyweight.encode(buffer, 0, 1, 2, routes, false);
        InstallRouteFlyweight.RouteVisitor mustNotVisit = (p, l, f, v, a, port) -> {
            throw new AssertionError("visited");
        };

        assertThat(RouteBatchFlyweight.decode(buffer, 0, length - 1, mustNotVisit)).isEqualTo(-1);
        assertThat(RouteBatchFlyweight.decode(buffer, 0, length + 16, mustNotVisit)).isEqualTo(-1);
        buffer.put(RouteBatchFlyweight.ROUTES_OFFSET + InstallRouteFlyweight.ROUTE_LENGTH
                + InstallRouteFlyweight.ROUTE_PREFIX_LENGTH_OFFSET, (byte) 40);
        assertThat(RouteBatchFlyweight.decode(buffer, 0, length, mustNotVisit)).isEqualTo(-1);
    }

    @Test
    void aRouteRefusesHostBitsBeyondItsPrefixLength() {
        assertThatThrownBy(() -> Route.of("10.0.0.1/8", 1, 2, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route(0, 33, 1, 2, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Route.mask(0)).isZero();
        assertThat(Route.mask(32)).isEqualTo(-1);
        assertThat(Route.mask(24)).isEqualTo(0xFFFFFF00);
    }

    @Test
    void aRuleThatLooksUpRoutesRoundTripsInAnInstall() {
        Rule rule = Rule.of(new FlowKey(5, FlowKey.TCP, 1, 2, 3, 4), new Action.DecrementTtl(),
                new Action.RouteLookup());

        int length = InstallFlyweight.encode(buffer, 0, 1, 1, List.of(rule));

        assertThat(length).isEqualTo(InstallFlyweight.length(List.of(rule)));
        assertThat(InstallFlyweight.decode(buffer, 0, length)).containsExactly(rule);
    }

    @Test
    void helloFlagsAreDistinctBitsAndReadBack() {
        int all = HelloFlyweight.REINJECT_BATCH | HelloFlyweight.INSTALL_SA | HelloFlyweight.INSTALL_ROUTE
                | HelloFlyweight.ROUTE_BATCH;

        int length = HelloFlyweight.encode(buffer, 0, 1, 1, 0x7F000001, 4789, all);

        assertThat(Integer.bitCount(all)).isEqualTo(4);
        assertThat(HelloFlyweight.flags(buffer, 0)).isEqualTo(all);
        assertThat(HelloFlyweight.isValid(buffer, 0, length)).isTrue();
    }
}
