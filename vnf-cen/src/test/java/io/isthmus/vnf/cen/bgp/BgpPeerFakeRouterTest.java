package io.isthmus.vnf.cen.bgp;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The speaker's session handling against a scripted router on a raw socket: RFC 7606 in a live session, timers. */
class BgpPeerFakeRouterTest {

    private static final int OUR_AS = (int) 4200000001L;
    private static final int OUR_ID = Prefix.parseAddress("10.13.0.1");
    private static final int NEXT_HOP = Prefix.parseAddress("192.0.2.1");
    private static final String ORIGIN = "40010100";
    private static final String AS_PATH = "40020602010000fdf2";
    private static final String BIRD_NEXT_HOP = "4003047f0d0002";
    private static final String NLRI = "18f0010018f00101";
    private static final Prefix P0 = Prefix.parse("240.1.0.0/24");
    private static final Prefix P1 = Prefix.parse("240.1.1.0/24");

    private final RecordingListener listener = new RecordingListener();
    private FakeRouter router;
    private BgpPeer peer;

    @AfterEach
    void tearDown() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (router != null) {
            router.close();
        }
    }

    private void establish(int holdTime) throws Exception {
        router = new FakeRouter();
        peer = new BgpPeer(new BgpPeerConfig(OUR_AS, OUR_ID, null, FakeRouter.AS, "127.0.0.1", router.port(), 90,
                NEXT_HOP, 0, 1), listener);
        peer.start();
        router.accept().handshake(FakeRouter.AS, holdTime);
        await().atMost(10, SECONDS).until(() -> listener.established.get() == 1);
    }

    @Test
    void learnsRoutesAndKeepsTheSessionUpThroughAnUpdateTreatedAsWithdraw() throws Exception {
        establish(90);
        router.send(UpdateDecoderTest.update("", ORIGIN + AS_PATH + BIRD_NEXT_HOP, NLRI));
        await().atMost(10, SECONDS).until(() -> listener.routes.size() == 2);

        // ORIGIN 7 does not exist: RFC 7606 treat-as-withdraw
        router.send(UpdateDecoderTest.update("", "40010107" + AS_PATH + BIRD_NEXT_HOP, NLRI));
        await().atMost(10, SECONDS).until(() -> listener.routes.isEmpty());

        router.send(UpdateDecoderTest.update("", ORIGIN + AS_PATH + BIRD_NEXT_HOP, "18f00100"));
        await().atMost(10, SECONDS).until(() -> listener.routes.containsKey(P0));
        assertThat(peer.state()).isEqualTo("Established");
        assertThat(peer.updatesReceived()).isEqualTo(3);
        assertThat(peer.learnedRouteCount()).isEqualTo(1);
        assertThat(listener.downs).isEmpty();
    }

    @Test
    void aPathThroughOurOwnAsIsALoopAndReplacesTheEarlierRoute() throws Exception {
        establish(90);
        router.send(UpdateDecoderTest.update("", ORIGIN + AS_PATH + BIRD_NEXT_HOP, NLRI));
        await().atMost(10, SECONDS).until(() -> listener.routes.size() == 2);

        // 65010 4200000001: the router learned it from us
        router.send(UpdateDecoderTest.update("", ORIGIN + "40020a02020000fdf2fa56ea01" + BIRD_NEXT_HOP, "18f00100"));

        await().atMost(10, SECONDS).until(() -> listener.routes.size() == 1);
        assertThat(listener.routes).containsOnlyKeys(P1);
        assertThat(peer.state()).isEqualTo("Established");
    }

    @Test
    void medOfWrongLengthIsDiscardedAndTheRouteLearned() throws Exception {
        establish(90);

        router.send(UpdateDecoderTest.update("", ORIGIN + AS_PATH + BIRD_NEXT_HOP + "800403000064", NLRI));

        await().atMost(10, SECONDS).until(() -> listener.routes.size() == 2);
        assertThat(listener.routes.get(P1).med()).isZero();
        assertThat(listener.routes.get(P1).asPath()).containsExactly(65010);
        assertThat(peer.state()).isEqualTo("Established");
    }

    @Test
    void nlriLongerThan32BitsResetsTheSessionWithInvalidNetworkField() throws Exception {
        establish(90);
        router.send(UpdateDecoderTest.update("", ORIGIN + AS_PATH + BIRD_NEXT_HOP, NLRI));
        await().atMost(10, SECONDS).until(() -> listener.routes.size() == 2);

        router.send(UpdateDecoderTest.update("", ORIGIN + AS_PATH + BIRD_NEXT_HOP, "21f001000000"));

        assertThat(router.awaitNotification()).isEqualTo(new Notification(3, 10));
        await().atMost(10, SECONDS).until(() -> listener.downs.size() == 1);
        assertThat(listener.downs.getFirst()).contains("UPDATE Message Error (3/10)");
        assertThat(listener.routes).isEmpty();
        assertThat(peer.learnedRouteCount()).isZero();
    }

    @Test
    void pathAttributesOverrunningTheMessageResetTheSessionWithMalformedAttributeList() throws Exception {
        establish(90);
        byte[] update = UpdateDecoderTest.update("", ORIGIN + AS_PATH + BIRD_NEXT_HOP, NLRI);
        update[22] = (byte) 0x7F;

        router.send(update);

        assertThat(router.awaitNotification()).isEqualTo(new Notification(3, 1));
        await().atMost(10, SECONDS).until(() -> listener.downs.size() == 1);
    }

    @Test
    void silentRouterExpiresTheHoldTimer() throws Exception {
        establish(3);
        router.send(UpdateDecoderTest.update("", ORIGIN + AS_PATH + BIRD_NEXT_HOP, NLRI));
        await().atMost(10, SECONDS).until(() -> listener.routes.size() == 2);

        // the router sends nothing more: after 3 s without a message the speaker gives up
        assertThat(router.awaitNotification()).isEqualTo(new Notification(Notification.HOLD_TIMER_EXPIRED, 0));
        await().atMost(10, SECONDS).until(() -> listener.downs.size() == 1);
        assertThat(listener.downs.getFirst()).contains("hold timer expired");
        assertThat(listener.routes).isEmpty();
    }

    @Test
    void sessionWithAHoldTimeSendsKeepalivesAThirdOfItApart() throws Exception {
        establish(3);

        // two KEEPALIVEs in a row, each within the hold time: the router's session would stay up
        router.expectType(BgpMessages.KEEPALIVE);
        router.expectType(BgpMessages.KEEPALIVE);
        router.send(BgpMessages.encodeKeepalive());
        assertThat(peer.state()).isEqualTo("Established");
    }

    @Test
    void advertisementsMadeBeforeTheSessionAreSentWhenItComesUpAndWithdrawalsFollow() throws Exception {
        router = new FakeRouter();
        peer = new BgpPeer(new BgpPeerConfig(OUR_AS, OUR_ID, null, FakeRouter.AS, "127.0.0.1", router.port(), 90,
                NEXT_HOP, 0, 1), listener);
        peer.advertise(List.of(Prefix.parse("10.1.0.0/16"), Prefix.parse("10.2.0.0/16")));
        peer.start();
        router.accept().handshake(FakeRouter.AS, 90);

        byte[] update = router.expectType(BgpMessages.UPDATE);
        UpdateDecoder.Result announced = UpdateDecoder.decode(update, 0, update.length,
                new UpdateDecoder.Context(true, true, OUR_AS));
        assertThat(announced.announced()).extracting(LearnedRoute::prefix)
                .containsExactly(Prefix.parse("10.1.0.0/16"), Prefix.parse("10.2.0.0/16"));
        assertThat(announced.announced()).allSatisfy(route -> {
            assertThat(route.asPath()).containsExactly(OUR_AS);
            assertThat(route.nextHop()).isEqualTo(NEXT_HOP);
        });

        peer.withdraw(List.of(Prefix.parse("10.1.0.0/16"), Prefix.parse("10.9.0.0/16")));
        byte[] withdrawal = router.expectType(BgpMessages.UPDATE);
        assertThat(UpdateDecoder.decode(withdrawal, 0, withdrawal.length, new UpdateDecoder.Context(true, true, OUR_AS))
                .withdrawn()).containsExactly(Prefix.parse("10.1.0.0/16"));
    }

    @Test
    void routeRefreshGetsOurAdvertisementsAgain() throws Exception {
        establish(90);
        peer.advertise(List.of(Prefix.parse("10.1.0.0/16")));
        router.expectType(BgpMessages.UPDATE);

        router.send(HexFormat.of().parseHex("ff".repeat(16) + "00170500010001"));

        byte[] again = router.expectType(BgpMessages.UPDATE);
        assertThat(UpdateDecoder.decode(again, 0, again.length, new UpdateDecoder.Context(true, true, OUR_AS))
                .announced()).extracting(LearnedRoute::prefix).containsExactly(Prefix.parse("10.1.0.0/16"));
    }

    @Test
    void aRouterOfTheWrongAsIsRefusedWithBadPeerAs() throws Exception {
        router = new FakeRouter();
        peer = new BgpPeer(new BgpPeerConfig(OUR_AS, OUR_ID, null, FakeRouter.AS, "127.0.0.1", router.port(), 90,
                NEXT_HOP, 0, 1), listener);
        peer.start();
        router.accept().read();

        router.send(BgpMessages.encodeOpen(65099, 90, FakeRouter.ID));

        assertThat(router.awaitNotification()).isEqualTo(new Notification(2, Notification.BAD_PEER_AS));
        assertThat(listener.established.get()).isZero();
    }

    @Test
    void reconnectsAfterTheRouterDropsTheSession() throws Exception {
        establish(90);
        router.send(UpdateDecoderTest.update("", ORIGIN + AS_PATH + BIRD_NEXT_HOP, NLRI));
        await().atMost(10, SECONDS).until(() -> listener.routes.size() == 2);

        router.dropConnection();
        await().atMost(10, SECONDS).until(() -> listener.downs.size() == 1);
        assertThat(listener.routes).isEmpty();

        router.accept().handshake(FakeRouter.AS, 90);
        await().atMost(10, SECONDS).until(() -> listener.established.get() == 2);
    }

    @Test
    void keepsRetryingUntilTheRouterListens() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        peer = new BgpPeer(new BgpPeerConfig(OUR_AS, OUR_ID, null, FakeRouter.AS, "127.0.0.1", port, 90, NEXT_HOP, 0,
                1), listener);
        peer.start();
        await().atMost(10, SECONDS).until(() -> peer.stateReason().contains("failed"));

        router = new FakeRouter(port);
        router.accept().handshake(FakeRouter.AS, 90);

        await().atMost(10, SECONDS).until(() -> peer.state().equals("Established"));
    }

    @Test
    void passiveOpenAcceptsTheRoutersConnection() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        router = new FakeRouter();
        peer = new BgpPeer(new BgpPeerConfig(OUR_AS, OUR_ID, "127.0.0.1", FakeRouter.AS, "127.0.0.1", 0, 90, NEXT_HOP,
                port, 1), listener);
        peer.start();

        router.connect(port).handshake(FakeRouter.AS, 90);

        await().atMost(10, SECONDS).until(() -> peer.state().equals("Established"));
    }

    @Test
    void closeSendsCeaseAndReportsDown() throws Exception {
        establish(90);

        peer.close();

        assertThat(router.awaitNotification()).isEqualTo(new Notification(6, Notification.ADMINISTRATIVE_SHUTDOWN));
        assertThat(listener.downs).hasSize(1);
        assertThat(peer.state()).isEqualTo("Idle");
    }
}
