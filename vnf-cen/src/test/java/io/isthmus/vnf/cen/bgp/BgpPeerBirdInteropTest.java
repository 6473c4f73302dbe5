package io.isthmus.vnf.cen.bgp;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our speaker against a real BIRD 2 on loopback addresses: session with 4-octet ASes, routes both ways, withdrawal,
 * BIRD stopping, BIRD frozen (hold timer). Skipped without BIRD ({@code apt-get install bird2}).
 */
class BgpPeerBirdInteropTest {

    private static final int OUR_AS = (int) 4200000001L;
    private static final int OUR_ID = Prefix.parseAddress("10.13.0.1");
    private static final int OUR_NEXT_HOP = Prefix.parseAddress(BirdLab.SPEAKER_ADDRESS);
    private static final String TWO_STATICS = """
            protocol static s1 { ipv4; route 240.1.0.0/24 blackhole; route 240.1.1.0/24 blackhole; }
            protocol static s2 { ipv4; route 240.2.0.0/16 blackhole; }
            """;

    private final RecordingListener listener = new RecordingListener();
    private BirdLab bird;
    private BgpPeer peer;
    private int port;

    @BeforeEach
    void setUp() {
        assumeTrue(BirdLab.available(), "needs BIRD 2 (/usr/sbin/bird, /usr/sbin/birdc: apt-get install bird2)");
        bird = new BirdLab("interop");
        port = BirdLab.freePort();
    }

    @AfterEach
    void tearDown() {
        if (peer != null) {
            peer.close();
        }
        if (bird != null) {
            bird.close();
        }
    }

    private void startBirdAndPeer(int holdTime, String statics) {
        bird.start(BirdLab.config(port, OUR_AS, holdTime, statics));
        peer = new BgpPeer(new BgpPeerConfig(OUR_AS, OUR_ID, BirdLab.SPEAKER_ADDRESS, BirdLab.BIRD_AS,
                BirdLab.BIRD_ADDRESS, port, holdTime, OUR_NEXT_HOP, 0, 1), listener);
        peer.start();
        await().atMost(30, SECONDS).until(() -> listener.established.get() == 1);
    }

    @Test
    void establishesWithFourOctetAsesAndLearnsBirdsRoutes() {
        startBirdAndPeer(90, TWO_STATICS);

        await().atMost(30, SECONDS).until(() -> listener.routes.size() == 3);
        LearnedRoute route = listener.routes.get(Prefix.parse("240.1.1.0/24"));
        assertThat(route.asPath()).containsExactly(BirdLab.BIRD_AS);
        assertThat(route.nextHop()).isEqualTo(Prefix.parseAddress(BirdLab.BIRD_ADDRESS));
        assertThat(route.origin()).isEqualTo(LearnedRoute.ORIGIN_IGP);
        assertThat(listener.routes).containsKey(Prefix.parse("240.2.0.0/16"));
        assertThat(peer.state()).isEqualTo("Established");
        assertThat(bird.birdc("show", "protocols", "all", "speaker")).contains("Established")
                .contains("Neighbor AS:      4200000001").contains("4-octet AS numbers");
    }

    @Test
    void birdConnectingToOurPassiveListenerGetsASession() {
        int listenPort = BirdLab.freePort();
        bird.start(BirdLab.activeConfig(port, listenPort, OUR_AS, TWO_STATICS));
        peer = new BgpPeer(new BgpPeerConfig(OUR_AS, OUR_ID, BirdLab.SPEAKER_ADDRESS, BirdLab.BIRD_AS,
                BirdLab.BIRD_ADDRESS, 0, 90, OUR_NEXT_HOP, listenPort, 1), listener);
        peer.start();

        await().atMost(30, SECONDS).until(() -> listener.routes.size() == 3);
        assertThat(peer.state()).isEqualTo("Established");
        assertThat(bird.birdc("show", "protocols", "all", "speaker")).contains("Established");
    }

    @Test
    void routeDisabledInBirdIsWithdrawnFromUs() {
        startBirdAndPeer(90, TWO_STATICS);
        await().atMost(30, SECONDS).until(() -> listener.routes.size() == 3);

        assertThat(bird.birdc("disable", "s1")).contains("disabled");

        await().atMost(30, SECONDS).until(() -> listener.routes.size() == 1);
        assertThat(listener.routes).containsOnlyKeys(Prefix.parse("240.2.0.0/16"));
    }

    @Test
    void routeRemovedFromBirdsConfigurationIsWithdrawnFromUs() {
        startBirdAndPeer(90, TWO_STATICS);
        await().atMost(30, SECONDS).until(() -> listener.routes.size() == 3);

        String reply = bird.reconfigure(BirdLab.config(port, OUR_AS, 90, """
                protocol static s1 { ipv4; route 240.1.0.0/24 blackhole; }
                protocol static s2 { ipv4; route 240.2.0.0/16 blackhole; }
                """));

        assertThat(reply).contains("Reconfigured");
        await().atMost(30, SECONDS).until(() -> !listener.routes.containsKey(Prefix.parse("240.1.1.0/24")));
        assertThat(listener.routes).containsOnlyKeys(Prefix.parse("240.1.0.0/24"), Prefix.parse("240.2.0.0/16"));
        assertThat(listener.downs).isEmpty();
    }

    @Test
    void ourAdvertisementsShowUpInBirdWithOurAsAndNextHop() {
        startBirdAndPeer(90, TWO_STATICS);

        peer.advertise(List.of(Prefix.parse("240.9.0.0/24"), Prefix.parse("240.9.1.0/24")));

        await().atMost(30, SECONDS)
                .until(() -> bird.birdc("show", "route", "protocol", "speaker").contains("240.9.1.0/24"));
        String all = bird.birdc("show", "route", "240.9.0.0/24", "all");
        assertThat(all).contains("BGP.as_path: 4200000001").contains("BGP.next_hop: " + BirdLab.SPEAKER_ADDRESS);

        peer.withdraw(List.of(Prefix.parse("240.9.0.0/24")));

        await().atMost(30, SECONDS)
                .until(() -> !bird.birdc("show", "route", "protocol", "speaker").contains("240.9.0.0/24"));
        assertThat(bird.birdc("show", "route", "protocol", "speaker")).contains("240.9.1.0/24");
    }

    @Test
    void birdStoppingTakesItsRoutesAwayAndWeReconnectWhenItIsBack() {
        startBirdAndPeer(90, TWO_STATICS);
        await().atMost(30, SECONDS).until(() -> listener.routes.size() == 3);

        bird.stop();

        await().atMost(30, SECONDS).until(() -> listener.downs.size() == 1);
        assertThat(listener.routes).isEmpty();
        assertThat(peer.learnedRouteCount()).isZero();
        assertThat(listener.downs.getFirst()).containsAnyOf("Cease", "closed by the peer");

        bird.start(BirdLab.config(port, OUR_AS, 90, TWO_STATICS));
        await().atMost(60, SECONDS).until(() -> listener.established.get() == 2 && listener.routes.size() == 3);
    }

    @Test
    void frozenBirdExpiresOurHoldTimer() {
        startBirdAndPeer(3, TWO_STATICS);
        await().atMost(30, SECONDS).until(() -> listener.routes.size() == 3);

        bird.signal("STOP");
        try {
            await().atMost(30, SECONDS).until(() -> listener.downs.size() == 1);
        } finally {
            bird.signal("CONT");
        }

        assertThat(listener.downs.getFirst()).contains("hold timer expired");
        assertThat(listener.routes).isEmpty();
        // BIRD read our NOTIFICATION once thawed
        await().atMost(30, SECONDS).until(() -> bird.birdc("show", "protocols", "all", "speaker")
                .contains("Hold timer expired"));
    }
}
