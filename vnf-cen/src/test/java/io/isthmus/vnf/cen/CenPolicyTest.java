package io.isthmus.vnf.cen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.PuntReason;
import io.isthmus.control.ingress.RendezvousIngress;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.IcmpErrors;
import io.isthmus.slowpath.policy.Install;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.TableRoute;
import io.isthmus.slowpath.policy.TableRoute.NextHop;
import io.isthmus.slowpath.policy.TableRouteRemoval;
import io.isthmus.slowpath.policy.Transmit;
import io.isthmus.slowpath.policy.VnfPolicies;
import io.isthmus.slowpath.policy.VniBinding;

/**
 * The CEN's policy as the fastpaths see it: the route tables and bindings each configuration and each BGP update
 * installs (only what changed), and the ICMP errors it answers punts with.
 */
class CenPolicyTest {

    static final int VPC_A = 100;
    static final int VPC_B = 300;
    static final int VPC_C = 700;
    static final int DC = 500;
    static final int DC2 = 600;
    static final NextHop TO_A = new NextHop(VPC_A, ip("198.51.100.2"), 4789);
    static final NextHop TO_B = new NextHop(VPC_B, ip("198.51.100.6"), 4789);
    static final NextHop TO_C = new NextHop(VPC_C, ip("198.51.100.10"), 4789);
    static final NextHop TO_DC = new NextHop(DC, ip("198.51.100.14"), 4789);
    static final NextHop TO_DC2 = new NextHop(DC2, ip("198.51.100.14"), 4789);

    private final ObjectMapper json = new ObjectMapper();
    private final MutableClock clock = new MutableClock();
    private final CenPolicy policy = new CenPolicy(clock, context -> BgpSessions.NONE);

    @Test
    void theSlowpathFindsThePolicyByItsVnfType() {
        assertThat(VnfPolicies.load("cen")).isInstanceOf(CenPolicy.class);
    }

    // ---- two VPCs, segmentation ----------------------------------------------------------------------------------

    @Test
    void twoVpcsReachEachOtherTheirVnisBoundToTheTableThatHasBothCidrs() throws Exception {
        Reconfiguration r = policy.reconfigure(twoVpcs());

        assertThat(r.reset()).isFalse();
        assertThat(r.removes()).isEmpty();
        assertThat(r.installs()).containsExactlyInAnyOrder(route(1, "10.0.0.0/24", TO_A),
                route(1, "10.1.0.0/24", TO_B), new VniBinding(VPC_A, 1), new VniBinding(VPC_B, 1));
        // routes before bindings: a VNI is routed once its table has its routes
        assertThat(r.installs().subList(2, 4)).allMatch(i -> i instanceof VniBinding);
    }

    @Test
    void anAttachmentInAnotherTableNeitherSeesNorIsSeenByTheVpcs() throws Exception {
        ObjectNode config = twoVpcs();
        attachments(config).add(vpc("vpcC", VPC_C, "attachment3", "10.2.0.0/24"));
        config.put("attachment3NextHop", "198.51.100.10:4789");
        tables(config).add(table("isolated", List.of("vpcC"), List.of("vpcC")));

        Reconfiguration r = policy.reconfigure(config);

        assertThat(policy.tableNumber("isolated")).isEqualTo(2);
        assertThat(r.installs()).contains(route(2, "10.2.0.0/24", TO_C), new VniBinding(VPC_C, 2));
        assertThat(routesOf(r, 2)).extracting(TableRoute::prefix).containsExactly(ip("10.2.0.0"));
        assertThat(routesOf(r, 1)).extracting(TableRoute::prefix).doesNotContain(ip("10.2.0.0"));
    }

    // ---- route selection ------------------------------------------------------------------------------------------

    @Test
    void aStaticRouteWinsOverAPropagatedOneOfTheSamePrefix() throws Exception {
        policy.reconfigure(twoVpcs());
        ObjectNode config = twoVpcs();
        staticRoute(config, "10.1.0.0/24", 0, "vpcA");

        Reconfiguration r = policy.reconfigure(config);

        assertThat(r.installs()).containsExactly(route(1, "10.1.0.0/24", TO_A));
    }

    @Test
    void aBlackholeRouteIsInstalledWithNoNextHopsAndOverridesAPropagatedOne() throws Exception {
        policy.reconfigure(twoVpcs());
        ObjectNode config = twoVpcs();
        staticRoutes(config).addObject().put("prefix", "10.9.0.0/16").put("blackhole", true);
        staticRoutes(config).addObject().put("prefix", "10.1.0.0/24").put("blackhole", true);

        Reconfiguration r = policy.reconfigure(config);

        assertThat(r.installs()).containsExactlyInAnyOrder(TableRoute.blackhole(1, ip("10.9.0.0"), 16),
                TableRoute.blackhole(1, ip("10.1.0.0"), 24));
        assertThat(policy.route("main", Ipv4Prefix.parse("10.1.0.0/24"))).isEmpty();
    }

    @Test
    void aStaticRouteToSeveralAttachmentsIsEcmpOverTheirNextHopsInOneOrder() throws Exception {
        ObjectNode config = twoVpcs();
        staticRoute(config, "0.0.0.0/0", 0, "vpcB", "vpcA");

        Reconfiguration r = policy.reconfigure(config);

        assertThat(r.installs()).contains(route(1, "0.0.0.0/0", TO_A, TO_B));
    }

    @Test
    void theSamePrefixPropagatedFromTwoAttachmentsIsEcmp() throws Exception {
        ObjectNode config = twoVpcs();
        ((ArrayNode) attachments(config).get(1).get("cidrs")).add("10.0.0.0/24");

        Reconfiguration r = policy.reconfigure(config);

        assertThat(r.installs()).contains(route(1, "10.0.0.0/24", TO_A, TO_B));
    }

    @Test
    void theLowestMetricWinsAndTheBackupTakesOverWhenItGoes() throws Exception {
        ObjectNode config = twoVpcs();
        staticRoute(config, "172.16.0.0/12", 10, "vpcA");
        staticRoute(config, "172.16.0.0/12", 5, "vpcB");
        assertThat(policy.reconfigure(config).installs()).contains(route(1, "172.16.0.0/12", TO_B));

        staticRoutes(config).remove(1);
        Reconfiguration r = policy.reconfigure(config);

        assertThat(r.installs()).containsExactly(route(1, "172.16.0.0/12", TO_A));
    }

    // ---- minimal diffs, stable numbers ------------------------------------------------------------------------------

    @Test
    void theSameConfigurationAgainChangesNothing() throws Exception {
        policy.reconfigure(twoVpcs());

        Reconfiguration r = policy.reconfigure(twoVpcs());

        assertThat(r.reset()).isFalse();
        assertThat(r.installs()).isEmpty();
    }

    @Test
    void aRemovedCidrIsRemovedAndNothingElseIsSent() throws Exception {
        ObjectNode config = twoVpcs();
        ((ArrayNode) attachments(config).get(1).get("cidrs")).add("10.1.1.0/24");
        policy.reconfigure(config);

        Reconfiguration r = policy.reconfigure(twoVpcs());

        assertThat(r.installs()).containsExactly(new TableRouteRemoval(1, ip("10.1.1.0"), 24));
    }

    @Test
    void anAttachmentMovedToAnotherTableIsRebound() throws Exception {
        policy.reconfigure(twoVpcs());
        ObjectNode config = twoVpcs();
        ((ArrayNode) tables(config).get(0).get("associations")).remove(1);
        tables(config).add(table("b-only", List.of("vpcB"), List.of("vpcB")));

        Reconfiguration r = policy.reconfigure(config);

        assertThat(r.installs()).containsExactly(route(2, "10.1.0.0/24", TO_B), new VniBinding(VPC_B, 2));
    }

    @Test
    void tableNumbersStayWithTheirNamesAndARemovedTablesNumberIsNotReusedInTheSameChange() throws Exception {
        ObjectNode config = twoVpcs();
        ((ArrayNode) tables(config).get(0).get("associations")).remove(1);
        tables(config).add(table("second", List.of("vpcB"), List.of("vpcB")));
        policy.reconfigure(config);
        assertThat(policy.tableNumber("main")).isEqualTo(1);
        assertThat(policy.tableNumber("second")).isEqualTo(2);

        // main goes, third comes: second keeps 2, third does not take main's 1 while main's routes are removed
        ObjectNode next = twoVpcs();
        tables(next).removeAll();
        tables(next).add(table("second", List.of("vpcB"), List.of("vpcB")));
        tables(next).add(table("third", List.of("vpcA"), List.of("vpcA", "vpcB")));
        Reconfiguration r = policy.reconfigure(next);

        assertThat(policy.tableNumber("second")).isEqualTo(2);
        assertThat(policy.tableNumber("third")).isEqualTo(3);
        assertThat(r.installs()).containsExactlyInAnyOrder(new TableRouteRemoval(1, ip("10.0.0.0"), 24),
                new TableRouteRemoval(1, ip("10.1.0.0"), 24), route(3, "10.0.0.0/24", TO_A),
                route(3, "10.1.0.0/24", TO_B), new VniBinding(VPC_A, 3));

        // later a new table may have the free number again
        tables(next).add(table("fourth", List.of(), List.of("vpcA")));
        policy.reconfigure(next);
        assertThat(policy.tableNumber("fourth")).isEqualTo(1);
    }

    // ---- BGP -----------------------------------------------------------------------------------------------------

    @Test
    void bgpLearnedRoutesEnterTheTablesPropagatingTheRouterAndPointAtItsNextHop() throws Exception {
        policy.reconfigure(withRouter());

        Reconfiguration r = policy.onBgpRoutes("dc", List.of(BgpRoute.of(p("172.20.0.0/16"), 2, 0)), List.of());

        assertThat(r.installs()).containsExactly(route(1, "172.20.0.0/16", TO_DC));
    }

    @Test
    void aWithdrawnRouteLeavesTheTable() throws Exception {
        policy.reconfigure(withRouter());
        policy.onBgpRoutes("dc", List.of(BgpRoute.of(p("172.20.0.0/16"), 2, 0)), List.of());

        Reconfiguration r = policy.onBgpRoutes("dc", List.of(), List.of(p("172.20.0.0/16")));

        assertThat(r.installs()).containsExactly(new TableRouteRemoval(1, ip("172.20.0.0"), 16));
    }

    @Test
    void aSessionDownRemovesEveryRouteLearnedFromIt() throws Exception {
        policy.reconfigure(withRouter());
        policy.onBgpRoutes("dc", List.of(BgpRoute.of(p("172.20.0.0/16"), 2, 0),
                BgpRoute.of(p("172.21.0.0/16"), 2, 0)), List.of());

        Reconfiguration r = policy.onBgpDown("dc", "hold timer expired");

        assertThat(r.installs()).containsExactlyInAnyOrder(new TableRouteRemoval(1, ip("172.20.0.0"), 16),
                new TableRouteRemoval(1, ip("172.21.0.0"), 16));
        assertThat(policy.indicators().get("bgp")).asString().contains("hold timer expired");
    }

    @Test
    void aPropagatedOrStaticRouteWinsOverBgpAndBgpTakesOverWhenItGoes() throws Exception {
        ObjectNode config = withRouter();
        staticRoute(config, "172.30.0.0/16", 0, "vpcB");
        policy.reconfigure(config);

        Reconfiguration r = policy.onBgpRoutes("dc", List.of(BgpRoute.of(p("10.0.0.0/24"), 1, 0),
                BgpRoute.of(p("172.30.0.0/16"), 1, 0)), List.of());
        assertThat(r.installs()).isEmpty();

        staticRoutes(config).removeAll();
        assertThat(policy.reconfigure(config).installs()).containsExactly(route(1, "172.30.0.0/16", TO_DC));
    }

    @Test
    void betweenTwoRoutersTheShorterAsPathWinsThenTheLowerMedAndATieIsEcmp() throws Exception {
        policy.reconfigure(withTwoRouters());

        policy.onBgpRoutes("dc", List.of(BgpRoute.of(p("172.20.0.0/16"), 3, 0)), List.of());
        Reconfiguration shorter = policy.onBgpRoutes("dc2", List.of(BgpRoute.of(p("172.20.0.0/16"), 2, 50)),
                List.of());
        assertThat(shorter.installs()).containsExactly(route(1, "172.20.0.0/16", TO_DC2));

        Reconfiguration lowerMed = policy.onBgpRoutes("dc", List.of(BgpRoute.of(p("172.20.0.0/16"), 2, 10)),
                List.of());
        assertThat(lowerMed.installs()).containsExactly(route(1, "172.20.0.0/16", TO_DC));

        Reconfiguration tie = policy.onBgpRoutes("dc2", List.of(BgpRoute.of(p("172.20.0.0/16"), 2, 10)),
                List.of());
        assertThat(tie.installs()).containsExactly(route(1, "172.20.0.0/16", TO_DC, TO_DC2));

        Reconfiguration higherLocalPref = policy.onBgpRoutes("dc",
                List.of(new BgpRoute(p("172.20.0.0/16"), 200, 5, 2, 900)), List.of());
        assertThat(higherLocalPref.installs()).containsExactly(route(1, "172.20.0.0/16", TO_DC));
    }

    @Test
    void theSameAnnouncementAgainChangesNothing() throws Exception {
        policy.reconfigure(withRouter());
        policy.onBgpRoutes("dc", List.of(BgpRoute.of(p("172.20.0.0/16"), 2, 0)), List.of());

        assertThat(policy.onBgpRoutes("dc", List.of(BgpRoute.of(p("172.20.0.0/16"), 2, 0)), List.of()).installs())
                .isEmpty();
        assertThat(policy.onBgpRoutes("dc", List.of(), List.of(p("172.99.0.0/16"))).installs()).isEmpty();
    }

    @Test
    void eventsOfARouterTheConfigurationNoLongerHasChangeNothing() throws Exception {
        policy.reconfigure(twoVpcs());

        assertThat(policy.onBgpRoutes("dc", List.of(BgpRoute.of(p("172.20.0.0/16"), 2, 0)), List.of()).installs())
                .isEmpty();
        assertThat(policy.onBgpDown("dc", "gone").installs()).isEmpty();
    }

    @Test
    void aRouterRemovedFromTheConfigurationTakesItsLearnedRoutesWithIt() throws Exception {
        policy.reconfigure(withRouter());
        policy.onBgpRoutes("dc", List.of(BgpRoute.of(p("172.20.0.0/16"), 2, 0)), List.of());

        Reconfiguration r = policy.reconfigure(twoVpcs());

        assertThat(r.installs()).containsExactly(VniBinding.unbind(DC), new TableRouteRemoval(1, ip("172.20.0.0"), 16));
        assertThat(policy.bgpPeers()).isEmpty();
    }

    @Test
    void aRouterIsToldTheRoutesOfItsTableButNotThoseThroughItselfNorBlackholes() throws Exception {
        ObjectNode config = withRouter();
        staticRoutes(config).addObject().put("prefix", "10.9.0.0/16").put("blackhole", true);
        policy.reconfigure(config);
        assertThat(policy.drainAdvertisements().get("dc").advertise()).containsExactlyInAnyOrder(p("10.0.0.0/24"),
                p("10.1.0.0/24"));

        policy.onBgpRoutes("dc", List.of(BgpRoute.of(p("172.20.0.0/16"), 2, 0)), List.of());
        assertThat(policy.drainAdvertisements()).isEmpty();

        ((ArrayNode) attachments(config).get(1).get("cidrs")).removeAll().add("10.1.0.0/16");
        policy.reconfigure(config);
        CenRoutes.Advertisements change = policy.drainAdvertisements().get("dc");
        assertThat(change.advertise()).containsExactly(p("10.1.0.0/16"));
        assertThat(change.withdraw()).containsExactly(p("10.1.0.0/24"));
        assertThat(policy.advertisedTo("dc")).containsExactlyInAnyOrder(p("10.0.0.0/24"), p("10.1.0.0/16"));
    }

    @Test
    void theBgpPeersWantedAreTheRouterAttachmentsSessions() throws Exception {
        policy.reconfigure(withRouter());

        assertThat(policy.bgpPeers()).containsOnlyKeys("dc");
        assertThat(policy.bgpPeers().get("dc").peerAs()).isEqualTo(65001);
        assertThat(CenBgpSessions.peerConfig(policy.bgpPeers().get("dc"), policy.routerAddress()))
                .satisfies(c -> {
                    assertThat(c.peerAddress()).isEqualTo("203.0.113.130");
                    assertThat(c.routerId()).isEqualTo(ip("169.254.0.1"));
                    assertThat(c.nextHopSelf()).isEqualTo(ip("169.254.0.1"));
                    assertThat(c.localAs()).isEqualTo(64512);
                });
    }

    @Test
    void aConfigurationHasTheSessionsReconciledOnThePolicyThreadAfterIt() throws Exception {
        List<String> calls = new ArrayList<>();
        RecordingContext context = new RecordingContext();
        CenPolicy attached = new CenPolicy(clock, c -> new BgpSessions() {
            @Override
            public void reconcile(CenPolicy p) {
                calls.add("reconcile " + p.bgpPeers().keySet());
            }

            @Override
            public void close() {
                calls.add("close");
            }
        });
        attached.attach(context);

        attached.reconfigure(withRouter());
        assertThat(calls).isEmpty();
        context.runSubmitted(attached);
        attached.close();

        assertThat(calls).containsExactly("reconcile [dc]", "close");
    }

    @Test
    void aHundredThousandBgpRoutesInOneUpdateAreInstalledAndWithdrawn() throws Exception {
        // -Dcen.bgpRoutes=1000000 for a full table (a /24 each, from 64.0.0.0 on)
        int count = Integer.getInteger("cen.bgpRoutes", 100_000);
        policy.reconfigure(withRouter());
        List<BgpRoute> routes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            routes.add(BgpRoute.of(new Ipv4Prefix(0x4000_0000 + (i << 8), 24), 2, 0));
        }

        long start = System.nanoTime();
        Reconfiguration announced = policy.onBgpRoutes("dc", routes, List.of());
        long announcedNanos = System.nanoTime() - start;
        start = System.nanoTime();
        Reconfiguration again = policy.onBgpRoutes("dc", List.of(BgpRoute.of(p("10.200.0.0/16"), 2, 0)), List.of());
        long oneMoreNanos = System.nanoTime() - start;
        ObjectNode withStatic = withRouter();
        staticRoute(withStatic, "192.168.0.0/16", 0, "vpcA");
        start = System.nanoTime();
        Reconfiguration reconfigured = policy.reconfigure(withStatic);
        long reconfigureNanos = System.nanoTime() - start;
        start = System.nanoTime();
        Reconfiguration down = policy.onBgpDown("dc", "test");
        long downNanos = System.nanoTime() - start;

        assertThat(announced.installs()).hasSize(count).allMatch(i -> i instanceof TableRoute t
                && t.nextHops().equals(List.of(TO_DC)));
        assertThat(again.installs()).hasSize(1);
        assertThat(reconfigured.installs()).containsExactly(route(1, "192.168.0.0/16", TO_A));
        assertThat(down.installs()).hasSize(count + 1).allMatch(i -> i instanceof TableRouteRemoval);
        System.out.printf("CEN: %,d BGP routes in one update: %.1f ms; one more route after them: %.3f ms;"
                + " a static route added by a configuration beside them: %.3f ms; session down (%,d removals):"
                + " %.1f ms%n", count, announcedNanos / 1e6, oneMoreNanos / 1e6, reconfigureNanos / 1e6, count + 1,
                downNanos / 1e6);
    }

    // ---- a connection point that is the next VNF's ingress ---------------------------------------------------------

    private static final String INGRESS_OF_3 = """
            {"hash":"rendezvous-v1","endpoints":[{"vnfcId":"fastpath-0","address":"198.51.100.21:4789"},
             {"vnfcId":"fastpath-1","address":"198.51.100.22:4789"},
             {"vnfcId":"fastpath-2","address":"198.51.100.23:4789"}]}""";

    @Test
    void anAttachmentBehindTheNextVnfsIngressHasEcmpRoutesOverItsEndpointsAndAChangeMovesOnlyThoseRoutes()
            throws Exception {
        // Given vpcB is behind the next VNF's ingress of 3 fastpaths
        ObjectNode config = twoVpcs();
        config.set("attachment2NextHop", json.readTree(INGRESS_OF_3));
        NextHop b1 = new NextHop(VPC_B, ip("198.51.100.21"), 4789);
        NextHop b2 = new NextHop(VPC_B, ip("198.51.100.22"), 4789);
        NextHop b3 = new NextHop(VPC_B, ip("198.51.100.23"), 4789);

        // When configured, Then vpcB's prefix has the 3 endpoints as ECMP next hops (each flow stays on one)
        Reconfiguration r = policy.reconfigure(config);
        assertThat(r.installs()).contains(route(1, "10.1.0.0/24", b1, b2, b3), route(1, "10.0.0.0/24", TO_A));

        // When fastpath-1 leaves the ingress, Then only vpcB's route changes, to the 2 left
        ObjectNode scaledIn = twoVpcs();
        scaledIn.set("attachment2NextHop", json.readTree(INGRESS_OF_3.replace(
                "{\"vnfcId\":\"fastpath-1\",\"address\":\"198.51.100.22:4789\"},", "")));
        assertThat(policy.reconfigure(scaledIn).installs()).containsExactly(route(1, "10.1.0.0/24", b1, b3));

        // And an ICMP error to vpcB goes to the pick of its own key (the punted packet's turned around)
        Miss punted = miss(udpPacket(VPC_B, "10.1.0.9", "10.7.7.7", 64), PuntReason.NO_ROUTE);
        String pick = RendezvousIngress.of("fastpath-0", "fastpath-2").pick(punted.key().reversed(VPC_B));
        assertThat(policy.onMiss(punted).installs()).singleElement().isInstanceOfSatisfying(Transmit.class,
                t -> assertThat(t.nextHopAddress()).isEqualTo(pick.equals("fastpath-0") ? b1.address() : b3.address()));
    }

    @Test
    void anAttachmentNotWiredYetHasItsPrefixesBlackholedUntilItIs() throws Exception {
        // Given vpcB's connection point is an ingress without endpoints (the next VNF not wired yet)
        ObjectNode config = twoVpcs();
        config.set("attachment2NextHop", json.readTree("{\"hash\":\"rendezvous-v1\",\"endpoints\":[]}"));

        // When configured, Then vpcB's prefix is a blackhole: its packets are dropped, not routed elsewhere
        Reconfiguration r = policy.reconfigure(config);
        assertThat(r.installs()).contains(TableRoute.blackhole(1, ip("10.1.0.0"), 24), route(1, "10.0.0.0/24", TO_A));
        // And no ICMP error goes out by it
        Decision d = policy.onMiss(miss(udpPacket(VPC_B, "10.1.0.9", "10.7.7.7", 64), PuntReason.NO_ROUTE));
        assertThat(d.isDrop()).isTrue();

        // When it is wired, Then the route gets its next hop
        assertThat(policy.reconfigure(twoVpcs()).installs()).containsExactly(route(1, "10.1.0.0/24", TO_B));
    }

    // ---- ICMP errors ----------------------------------------------------------------------------------------------

    @Test
    void aPacketWithNoRouteIsAnsweredWithNetUnreachableFromTheRouterBackToItsAttachment() throws Exception {
        policy.reconfigure(twoVpcs());
        byte[] punted = udpPacket(VPC_A, "10.0.0.5", "10.7.7.7", 64);

        Decision d = policy.onMiss(miss(punted, PuntReason.NO_ROUTE));

        assertThat(d.reinject()).isFalse();
        assertThat(d.installs()).singleElement().isInstanceOfSatisfying(Transmit.class, t -> {
            assertThat(t.nextHopAddress()).isEqualTo(TO_A.address());
            assertThat(t.nextHopPort()).isEqualTo(4789);
            ByteBuffer out = ByteBuffer.wrap(t.packet());
            assertThat(out.getInt(4) >>> 8).as("VNI").isEqualTo(VPC_A);
            int ip = 8 + 14;
            assertThat(out.get(ip + 9)).as("protocol ICMP").isEqualTo((byte) 1);
            assertThat(out.getInt(ip + 12)).as("from the router").isEqualTo(ip("169.254.0.1"));
            assertThat(out.getInt(ip + 16)).as("to the sender").isEqualTo(ip("10.0.0.5"));
            assertThat(out.get(ip + 20)).as("type").isEqualTo((byte) IcmpErrors.TYPE_DESTINATION_UNREACHABLE);
            assertThat(out.get(ip + 21)).as("code: net unreachable").isEqualTo((byte) 0);
            assertThat(out.getInt(ip + 28 + 16)).as("quotes the packet's destination").isEqualTo(ip("10.7.7.7"));
            assertThat(IcmpErrors.checksum(out, ip + 20, t.packet().length - ip - 20, 0)).as("ICMP checksum")
                    .isZero();
            assertThat(IcmpErrors.checksum(out, ip, 20, 0)).as("IPv4 checksum").isZero();
        });
        assertThat(policy.indicators()).containsEntry("icmpNetUnreachableSent", 1L);
    }

    @Test
    void aRoutedPacketWhoseTtlRunsOutIsAnsweredWithTimeExceeded() throws Exception {
        policy.reconfigure(twoVpcs());

        Decision d = policy.onTtlExceeded(miss(udpPacket(VPC_B, "10.1.0.9", "10.0.0.5", 1), PuntReason.TTL_EXCEEDED));

        assertThat(d.installs()).singleElement().isInstanceOfSatisfying(Transmit.class, t -> {
            assertThat(t.nextHopAddress()).isEqualTo(TO_B.address());
            assertThat(t.packet()[8 + 14 + 20]).isEqualTo((byte) IcmpErrors.TYPE_TIME_EXCEEDED);
        });
    }

    @Test
    void icmpErrorsAreRateLimitedToTheConfiguredRatePerSecond() throws Exception {
        ObjectNode config = twoVpcs();
        config.put("icmpErrorsPerSecond", 100);
        policy.reconfigure(config);
        byte[] punted = udpPacket(VPC_A, "10.0.0.5", "10.7.7.7", 64);

        int sent = 0;
        for (int i = 0; i < 150; i++) {
            sent += policy.onMiss(miss(punted, PuntReason.NO_ROUTE)).isDrop() ? 0 : 1;
        }
        assertThat(sent).isEqualTo(100);
        assertThat(policy.indicators().get("drops")).asString().contains("icmpRateLimited=50");

        clock.advance(100);
        int afterATenth = 0;
        for (int i = 0; i < 50; i++) {
            afterATenth += policy.onMiss(miss(punted, PuntReason.NO_ROUTE)).isDrop() ? 0 : 1;
        }
        assertThat(afterATenth).isEqualTo(10);
    }

    @Test
    void noIcmpErrorsWhenTheRateIsZeroAndOtherMissesAreDropped() throws Exception {
        ObjectNode config = twoVpcs();
        config.put("icmpErrorsPerSecond", 0);
        policy.reconfigure(config);

        assertThat(policy.onMiss(miss(udpPacket(VPC_A, "10.0.0.5", "10.7.7.7", 64), PuntReason.NO_ROUTE)).isDrop())
                .isTrue();
        assertThat(policy.onMiss(miss(udpPacket(VPC_A, "10.0.0.5", "10.7.7.7", 64), PuntReason.MISS)).isDrop())
                .isTrue();
        assertThat(policy.onMiss(miss(udpPacket(999, "10.0.0.5", "10.7.7.7", 64), PuntReason.NO_ROUTE)).isDrop())
                .isTrue();
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private ObjectNode twoVpcs() {
        ObjectNode config = json.createObjectNode();
        config.put("routerAddress", "169.254.0.1");
        config.put("attachment1NextHop", "198.51.100.2:4789");
        config.put("attachment2NextHop", "198.51.100.6:4789");
        ArrayNode attachments = config.putArray("attachments");
        attachments.add(vpc("vpcA", VPC_A, "attachment1", "10.0.0.0/24"));
        attachments.add(vpc("vpcB", VPC_B, "attachment2", "10.1.0.0/24"));
        config.putArray("routeTables").add(table("main", List.of("vpcA", "vpcB"), List.of("vpcA", "vpcB")));
        return config;
    }

    private ObjectNode withRouter() {
        ObjectNode config = twoVpcs();
        config.put("attachment4NextHop", "198.51.100.14:4789");
        attachments(config).add(router("dc", DC, "203.0.113.130"));
        tableAdds(config, "dc");
        return config;
    }

    private ObjectNode withTwoRouters() {
        ObjectNode config = withRouter();
        attachments(config).add(router("dc2", DC2, "203.0.113.131"));
        tableAdds(config, "dc2");
        return config;
    }

    private ObjectNode router(String name, int vni, String peer) {
        ObjectNode router = json.createObjectNode().put("name", name).put("kind", "router").put("vni", vni)
                .put("connectionPoint", "attachment4");
        router.putObject("bgp").put("peerAddress", peer).put("peerAs", 65001).put("localAs", 64512);
        return router;
    }

    private static void tableAdds(ObjectNode config, String attachment) {
        ((ArrayNode) tables(config).get(0).get("associations")).add(attachment);
        ((ArrayNode) tables(config).get(0).get("propagations")).add(attachment);
    }

    private ObjectNode vpc(String name, int vni, String cp, String cidr) {
        ObjectNode vpc = json.createObjectNode().put("name", name).put("kind", "vpc").put("vni", vni)
                .put("connectionPoint", cp);
        vpc.putArray("cidrs").add(cidr);
        return vpc;
    }

    private ObjectNode table(String name, List<String> associations, List<String> propagations) {
        ObjectNode table = json.createObjectNode().put("name", name);
        associations.forEach(table.putArray("associations")::add);
        propagations.forEach(table.putArray("propagations")::add);
        table.putArray("staticRoutes");
        return table;
    }

    private static void staticRoute(ObjectNode config, String prefix, int metric, String... to) {
        ObjectNode route = staticRoutes(config).addObject().put("prefix", prefix).put("metric", metric);
        Consumer<String> add = route.putArray("attachments")::add;
        List.of(to).forEach(add);
    }

    private static ArrayNode staticRoutes(ObjectNode config) {
        return (ArrayNode) tables(config).get(0).get("staticRoutes");
    }

    private static ArrayNode attachments(ObjectNode config) {
        return (ArrayNode) config.get("attachments");
    }

    private static ArrayNode tables(ObjectNode config) {
        return (ArrayNode) config.get("routeTables");
    }

    private static List<TableRoute> routesOf(Reconfiguration r, int table) {
        List<TableRoute> routes = new ArrayList<>();
        for (Install i : r.installs()) {
            if (i instanceof TableRoute t && t.table() == table) {
                routes.add(t);
            }
        }
        return routes;
    }

    static TableRoute route(int table, String prefix, NextHop... via) {
        Ipv4Prefix p = Ipv4Prefix.parse(prefix);
        return new TableRoute(table, p.address(), p.length(), List.of(via));
    }

    static Ipv4Prefix p(String prefix) {
        return Ipv4Prefix.parse(prefix);
    }

    static int ip(String address) {
        return Ipv4Addresses.parse(address);
    }

    private static Miss miss(byte[] packet, int reason) {
        ByteBuffer buffer = ByteBuffer.wrap(packet);
        int vni = buffer.getInt(4) >>> 8;
        FlowKey key = new FlowKey(vni, 17, buffer.getInt(8 + 14 + 12), buffer.getInt(8 + 14 + 16), 40000, 53);
        return new Miss(1, key, buffer.asReadOnlyBuffer(), reason);
    }

    /** VXLAN, Ethernet, IPv4 (no options), UDP 40000 → 53 with 8 bytes of payload. */
    static byte[] udpPacket(int vni, String source, String destination, int ttl) {
        ByteBuffer b = ByteBuffer.allocate(8 + 14 + 20 + 8 + 8);
        b.putInt(0, 0x0800_0000);
        b.putInt(4, vni << 8);
        for (int i = 0; i < 6; i++) {
            b.put(8 + i, (byte) (i == 0 ? 0x02 : 0x02 + i));
            b.put(8 + 6 + i, (byte) (i == 0 ? 0x02 : 0x10 + i));
        }
        b.putShort(8 + 12, (short) 0x0800);
        int ip = 8 + 14;
        b.put(ip, (byte) 0x45);
        b.putShort(ip + 2, (short) 36);
        b.put(ip + 8, (byte) ttl);
        b.put(ip + 9, (byte) 17);
        b.putInt(ip + 12, ip(source));
        b.putInt(ip + 16, ip(destination));
        b.putShort(ip + 10, (short) IcmpErrors.checksum(b, ip, 20, 0));
        b.putShort(ip + 20, (short) 40000);
        b.putShort(ip + 22, (short) 53);
        b.putShort(ip + 24, (short) 16);
        return b.array();
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private long millis = 1_700_000_000_000L;

        void advance(long by) {
            millis += by;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
