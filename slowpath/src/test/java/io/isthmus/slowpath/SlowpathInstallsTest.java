package io.isthmus.slowpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Route;
import io.isthmus.control.Rule;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.InstallRouteFlyweight;
import io.isthmus.control.message.InstallSaFlyweight;
import io.isthmus.control.message.RemoveSaFlyweight;
import io.isthmus.control.message.RouteBatchFlyweight;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.RouteBatchInstall;
import io.isthmus.slowpath.policy.RouteInstall;
import io.isthmus.slowpath.policy.RouteWithdrawal;
import io.isthmus.slowpath.policy.SecurityAssociationInstall;
import io.isthmus.slowpath.policy.SecurityAssociationRemoval;
import io.isthmus.slowpath.testing.FakeFastpath;
import io.isthmus.slowpath.testing.RecordingPolicy;

/**
 * A decision's SAs and routes, each in its own message, sent only to fastpaths that announced they take it, before
 * the flow rules that need them; with fastpaths played by test sockets.
 */
class SlowpathInstallsTest {

    private static final FlowKey FLOW = new FlowKey(100, FlowKey.UDP, 0x0A000005, 0x08080808, 40001, 53);
    private static final byte[] PACKET = {8, 0, 0, 0, 0, 0, 100, 0, 1, 2, 3};
    private static final int ALL = HelloFlyweight.REINJECT_BATCH | HelloFlyweight.INSTALL_SA
            | HelloFlyweight.INSTALL_ROUTE | HelloFlyweight.ROUTE_BATCH;
    private static final SecurityAssociation SA = SecurityAssociation.outbound(1, 0x1001, new byte[20], 0x0A000001,
            0x0A000002);
    private static final Rule RULE = Rule.of(FLOW, new Action.EspEncrypt(1), new Action.SetNextHop(0x7F000001, 9));

    private final RecordingPolicy policy = new RecordingPolicy();
    private final Slowpath slowpath = Slowpath.start(
            SlowpathOptions.of("test", "vnf-test", InetAddress.getLoopbackAddress(), 0, 0), policy,
            Clock.systemUTC());

    @AfterEach
    void stop() {
        slowpath.close();
    }

    @Test
    void aFastpathThatTakesThemGetsTheSaAndRoutesEachInItsOwnMessageBeforeTheRules() throws Exception {
        // Given a fastpath that takes everything, and a policy that installs an SA, a route and 200 routes at once
        List<Route> routes = routes(200);
        Route single = Route.of("0.0.0.0/0", 7, 0x7F000001, 4789);
        policy.decideWith(miss -> Decision.forward(RULE).with(new SecurityAssociationInstall(SA),
                new RouteInstall(single), new RouteBatchInstall(routes)));
        try (FakeFastpath fastpath = registered(1, ALL)) {
            // When it punts a miss
            fastpath.punt(FLOW, PACKET);

            // Then it gets an INSTALL_SA, an INSTALL_ROUTE, the 200 routes in three ROUTE_BATCHes of at most 1,472
            // bytes, then the INSTALL, then the packet back
            List<ByteBuffer> messages = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                messages.add(fastpath.receive());
            }
            assertThat(messages).extracting(m -> ControlProtocol.type(m, 0)).containsExactly(
                    ControlProtocol.INSTALL_SA, ControlProtocol.INSTALL_ROUTE, ControlProtocol.ROUTE_BATCH,
                    ControlProtocol.ROUTE_BATCH, ControlProtocol.ROUTE_BATCH, ControlProtocol.INSTALL,
                    ControlProtocol.REINJECT_BATCH);
            ByteBuffer sa = messages.get(0);
            assertThat(InstallSaFlyweight.isValid(sa, 0, sa.capacity())).isTrue();
            assertThat(InstallSaFlyweight.decode(sa, 0)).isEqualTo(SA);
            assertThat(decodeRoutes(messages.subList(1, 2))).containsExactly(single);
            assertThat(messages.subList(2, 5)).allSatisfy(
                    batch -> assertThat(batch.capacity()).isLessThanOrEqualTo(ControlProtocol.MAX_BATCH_BYTES));
            assertThat(decodeRoutes(messages.subList(2, 5))).isEqualTo(routes);
            assertThat(slowpath.service().stats().unsupportedInstalls()).isZero();
            assertThat(slowpath.service().stats().saInstalls()).isEqualTo(1);
            assertThat(slowpath.service().stats().routeInstalls()).isEqualTo(201);
        }
    }

    @Test
    void aFastpathThatDidNotAnnounceThemGetsNoSaOrRouteAndTheyAreCounted() throws Exception {
        // Given a fastpath of the first version (no flags) and a policy that installs an SA and a route batch
        policy.decideWith(miss -> Decision.forward(RULE).with(new SecurityAssociationInstall(SA),
                new RouteBatchInstall(routes(3))));
        try (FakeFastpath old = registered(1, 0)) {
            // When it punts a miss
            old.punt(FLOW, PACKET);

            // Then it gets the rule and its packet only, and the two installs it could not take are counted
            assertThat(old.typesReceivedWithin(300)).containsExactly(ControlProtocol.INSTALL,
                    ControlProtocol.REINJECT);
            assertThat(slowpath.service().stats().unsupportedInstalls()).isEqualTo(2);
        }
    }

    @Test
    void anSaThatNeedsTheExtendedInstallGoesOnlyToFastpathsThatAnnouncedItAndAgainToALaterOne() throws Exception {
        // Given a fastpath that takes the extended INSTALL_SA, one that takes only the first, and a policy whose
        // decision installs an SA with ESN and ESP in UDP
        SecurityAssociation extended = SecurityAssociation.inbound(1, 0x1001, new byte[20]).withEsn(true)
                .withUdpEncapsulation(4500, 4500).withByteLimit(1L << 40);
        policy.decideWith(miss -> Decision.forward(RULE).with(new SecurityAssociationInstall(extended)));
        try (FakeFastpath current = registered(1, ALL | HelloFlyweight.ESP_EXTENDED);
                FakeFastpath older = registered(2, ALL)) {
            // When the first punts a miss
            current.punt(FLOW, PACKET);

            // Then it gets the SA, extended, and the older one only the rule: the SA is counted as not sent
            ByteBuffer sa = current.receive(ControlProtocol.INSTALL_SA);
            assertThat(InstallSaFlyweight.isExtended(sa, 0)).isTrue();
            assertThat(InstallSaFlyweight.decode(sa, 0)).isEqualTo(extended);
            assertThat(older.typesReceivedWithin(300)).containsExactly(ControlProtocol.INSTALL);
            assertThat(slowpath.service().stats().unsupportedInstalls()).isEqualTo(1);

            // And a fastpath that registers later with the extension gets it too
            try (FakeFastpath later = registered(3, ALL | HelloFlyweight.ESP_EXTENDED)) {
                assertThat(InstallSaFlyweight.decode(later.receive(ControlProtocol.INSTALL_SA), 0))
                        .isEqualTo(extended);
            }
        }
    }

    @Test
    void aFastpathThatTakesSingleRoutesButNotBatchesGetsABatchRouteByRoute() throws Exception {
        policy.decideWith(miss -> Decision.forward(RULE).with(new RouteBatchInstall(routes(3))));
        try (FakeFastpath fastpath = registered(1, HelloFlyweight.INSTALL_ROUTE)) {
            fastpath.punt(FLOW, PACKET);

            assertThat(fastpath.typesReceivedWithin(300)).containsExactly(ControlProtocol.INSTALL_ROUTE,
                    ControlProtocol.INSTALL_ROUTE, ControlProtocol.INSTALL_ROUTE, ControlProtocol.INSTALL,
                    ControlProtocol.REINJECT);
            assertThat(slowpath.service().stats().unsupportedInstalls()).isZero();
        }
    }

    @Test
    void aRuleThatLooksUpRoutesGoesOnlyToFastpathsThatTakeRoutes() throws Exception {
        // Given a fastpath with a route table and one of the first version, and a policy with a plain and a routed rule
        Rule routed = Rule.of(FLOW.reversed(100), new Action.RouteLookup());
        policy.decideWith(miss -> Decision.forward(RULE, routed));
        try (FakeFastpath routing = registered(1, HelloFlyweight.INSTALL_ROUTE); FakeFastpath old = registered(2, 0)) {
            // When the routing one punts a miss
            routing.punt(FLOW, PACKET);

            // Then it gets both rules (in two INSTALLs), the old one only the plain rule, and the other is counted
            ByteBuffer plain = routing.receive(ControlProtocol.INSTALL);
            assertThat(InstallFlyweight.decode(plain, 0, plain.capacity())).containsExactly(RULE);
            ByteBuffer withRoute = routing.receive(ControlProtocol.INSTALL);
            assertThat(InstallFlyweight.decode(withRoute, 0, withRoute.capacity())).containsExactly(routed);
            ByteBuffer oldInstall = old.receive(ControlProtocol.INSTALL);
            assertThat(InstallFlyweight.decode(oldInstall, 0, oldInstall.capacity())).containsExactly(RULE);
            assertThat(old.receivesWithin(300)).isFalse();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> slowpath.service().stats().unsupportedInstalls() == 1);
        }
    }

    @Test
    void aFastpathThatRegistersLaterIsSentTheInboundSasAndRoutesInstalledBeforeButNoOutboundSa() throws Exception {
        // Given an outbound and an inbound SA and routes installed on a miss from fastpath 1
        List<Route> routes = routes(5);
        SecurityAssociation inbound = SecurityAssociation.inbound(2, 0x2002, new byte[20]);
        policy.decideWith(miss -> Decision.forward(RULE).with(new SecurityAssociationInstall(SA),
                new SecurityAssociationInstall(inbound), new RouteBatchInstall(routes)));
        try (FakeFastpath one = registered(1, ALL)) {
            one.punt(FLOW, PACKET);
            await().atMost(Duration.ofSeconds(5)).until(() -> policy.misses.size() == 1);
            one.receive(ControlProtocol.REINJECT_BATCH);

            // When fastpath 2 registers
            try (FakeFastpath two = new FakeFastpath(2, slowpath.controlAddress()).ignoringStatsRequests()) {
                two.hello(ALL);

                // Then after the REMOVE of all rules it is sent the inbound SA and the routes, but no rule and not
                // the outbound SA (a new process would count its sequence numbers, its GCM nonces, from 1 again)
                assertThat(two.receive(ControlProtocol.REMOVE)).isNotNull();
                ByteBuffer sa = two.receive();
                assertThat(ControlProtocol.type(sa, 0)).isEqualTo(ControlProtocol.INSTALL_SA);
                assertThat(InstallSaFlyweight.decode(sa, 0)).isEqualTo(inbound);
                ByteBuffer batch = two.receive();
                assertThat(decodeRoutes(List.of(batch))).isEqualTo(routes);
                assertThat(two.receivesWithin(200)).isFalse();
                // and the policy heard of it, to install new outbound SAs
                await().atMost(Duration.ofSeconds(5)).until(() -> policy.joined.contains(2));
            }
        }
    }

    @Test
    void removalsFollowTheirInstallsInOrderAndAreNotSentAgainToALaterFastpath() throws Exception {
        // Given a policy that installs two SAs and two routes on the first miss, and takes one of each back on the next
        Route kept = Route.of("10.1.0.0/16", 1, 0x7F000001, 4789);
        Route withdrawn = Route.of("10.2.0.0/16", 2, 0x7F000001, 4789);
        SecurityAssociation other = SecurityAssociation.inbound(2, 0x2002, new byte[20]);
        policy.decideWith(miss -> policy.misses.size() == 1
                ? Decision.forward(RULE).with(new SecurityAssociationInstall(SA),
                        new SecurityAssociationInstall(other), new RouteBatchInstall(List.of(kept, withdrawn)))
                : Decision.forward(RULE).with(new SecurityAssociationRemoval(2),
                        new RouteWithdrawal(withdrawn.prefix(), withdrawn.prefixLength())));
        try (FakeFastpath one = registered(1, ALL)) {
            one.punt(FLOW, PACKET);
            one.receive(ControlProtocol.REINJECT_BATCH);

            // When the next miss takes them back
            one.punt(FLOW, PACKET);

            // Then the fastpath is told, a REMOVE_SA and a withdrawal, before the rules
            ByteBuffer removeSa = one.receive();
            assertThat(ControlProtocol.type(removeSa, 0)).isEqualTo(ControlProtocol.REMOVE_SA);
            assertThat(RemoveSaFlyweight.saIndex(removeSa, 0)).isEqualTo(2);
            ByteBuffer withdrawal = one.receive();
            int[] flags = new int[1];
            InstallRouteFlyweight.decode(withdrawal, 0, withdrawal.capacity(), (p, l, f, v, a, port) -> flags[0] = f);
            assertThat(flags[0]).isEqualTo(InstallRouteFlyweight.WITHDRAW);
            assertThat(ControlProtocol.type(one.receive(), 0)).isEqualTo(ControlProtocol.INSTALL);

            // And a fastpath registering afterwards gets only what is still installed (and no outbound SA: SA is)
            try (FakeFastpath two = new FakeFastpath(2, slowpath.controlAddress()).ignoringStatsRequests()) {
                two.hello(ALL);
                two.receive(ControlProtocol.REMOVE);
                assertThat(decodeRoutes(List.of(two.receive(ControlProtocol.ROUTE_BATCH)))).containsExactly(kept);
                assertThat(two.receivesWithin(200)).isFalse();
            }
        }
    }

    private FakeFastpath registered(int id, int helloFlags) throws Exception {
        // the slowpath asks for SA counters every second once SAs are installed: not what these tests are about
        return FakeFastpath.registered(slowpath.controlAddress(), id, helloFlags).ignoringStatsRequests();
    }

    private static List<Route> routes(int count) {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            routes.add(new Route(0x0A000000 | (i << 8), 24, 100 + i, 0x7F000001, 4789));
        }
        return routes;
    }

    /** The routes of INSTALL_ROUTE and ROUTE_BATCH messages, in order. */
    private static List<Route> decodeRoutes(List<ByteBuffer> messages) {
        List<Route> routes = new ArrayList<>();
        InstallRouteFlyweight.RouteVisitor visitor = (prefix, prefixLength, flags, vni, address, port) -> routes
                .add(new Route(prefix, prefixLength, vni, address, port));
        for (ByteBuffer message : messages) {
            int decoded = ControlProtocol.type(message, 0) == ControlProtocol.ROUTE_BATCH
                    ? RouteBatchFlyweight.decode(message, 0, message.capacity(), visitor)
                    : InstallRouteFlyweight.decode(message, 0, message.capacity(), visitor);
            assertThat(decoded).isPositive();
        }
        return routes;
    }
}
