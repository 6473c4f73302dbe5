package io.isthmus.vnf.cen.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BgpMessagesTest {

    private static final HexFormat HEX = HexFormat.of();
    /** BIRD 2.0.12's OPEN, captured: AS 65010, hold 9 s, id 10.13.0.2; MP IPv4 unicast, route refresh, graceful
     * restart, 4-octet AS, enhanced route refresh, long-lived graceful restart. */
    static final byte[] BIRD_OPEN = HEX
            .parseHex("ffffffffffffffffffffffffffffffff00350104fdf200090a0d0002180216010400010001"
                    + "02004002007841040000fdf246004700");
    private static final int AS_4200000001 = (int) 4200000001L;
    private static final BgpPeerConfig CONFIG = new BgpPeerConfig(AS_4200000001, Prefix.parseAddress("10.13.0.1"),
            null, 65010, "127.0.0.1", 179, 90, Prefix.parseAddress("10.13.0.1"));

    @Test
    void decodesBirdsOpenWithItsCapabilities() throws Exception {
        int length = BgpMessages.checkHeader(BIRD_OPEN, 0);

        BgpMessages.Open open = BgpMessages.decodeOpen(BIRD_OPEN, 0, length);

        assertThat(length).isEqualTo(BIRD_OPEN.length);
        assertThat(open)
                .isEqualTo(new BgpMessages.Open(4, 65010, 9, Prefix.parseAddress("10.13.0.2"), true, 65010, true,
                        true));
    }

    @Test
    void ourOpenCarriesAsTransAndTheFourOctetAsCapability() throws Exception {
        byte[] open = BgpMessages.encodeOpen(AS_4200000001, 90, Prefix.parseAddress("10.13.0.1"));

        assertThat(HEX.formatHex(open))
                .isEqualTo("ffffffffffffffffffffffffffffffff" + "002d" + "01" + "04" + "5ba0" + "005a"
                        + "0a0d0001" + "10" + "020e" + "010400010001" + "0200" + "4104fa56ea01");
        BgpMessages.Open decoded = BgpMessages.decodeOpen(open, 0, BgpMessages.checkHeader(open, 0));
        assertThat(decoded.myAs()).isEqualTo(BgpMessages.AS_TRANS);
        assertThat(decoded.peerAs()).isEqualTo(AS_4200000001);
    }

    @Test
    void negotiationTakesTheSmallerHoldTimeAndAThirdOfItAsKeepalive() throws Exception {
        BgpMessages.Open bird = BgpMessages.decodeOpen(BIRD_OPEN, 0, BIRD_OPEN.length);

        BgpMessages.Negotiated negotiated = BgpMessages.negotiate(CONFIG, bird);

        assertThat(negotiated.holdTime()).isEqualTo(9);
        assertThat(negotiated.keepaliveTime()).isEqualTo(3);
        assertThat(negotiated.fourOctetAs()).isTrue();
    }

    @Test
    void holdTimeZeroOnEitherSideMeansNoKeepalives() throws Exception {
        BgpMessages.Open open = new BgpMessages.Open(4, 65010, 0, 1, true, 65010, true, false);

        assertThat(BgpMessages.negotiate(CONFIG, open).holdTime()).isZero();
        assertThat(BgpMessages.negotiate(CONFIG, open).keepaliveTime()).isZero();
    }

    @Test
    void openErrorsAreRefusedWithTheirRfc4271Subcodes() {
        assertOpenError(new BgpMessages.Open(3, 65010, 90, 1, true, 65010, true, false), 1);
        assertOpenError(new BgpMessages.Open(4, 65011, 90, 1, true, 65011, true, false), 2);
        assertOpenError(new BgpMessages.Open(4, 65010, 90, 0, true, 65010, true, false), 3);
        assertOpenError(new BgpMessages.Open(4, 65010, 2, 1, true, 65010, true, false), 6);
    }

    @Test
    void aPeerWithoutTheFourOctetCapabilityIsKnownByMyAs() throws Exception {
        BgpMessages.Open open = new BgpMessages.Open(4, 65010, 90, 1, false, 0, true, false);

        assertThat(BgpMessages.negotiate(CONFIG, open).fourOctetAs()).isFalse();
    }

    @Test
    void anOptionalParameterOtherThanCapabilitiesIsUnsupported() {
        // optional parameter type 1 (the deprecated Authentication Information), length 0
        byte[] open = HEX.parseHex("ffffffffffffffffffffffffffffffff001f01" + "04fdf200090a0d0002" + "02" + "0100");

        assertThatThrownBy(() -> BgpMessages.decodeOpen(open, 0, open.length))
                .isInstanceOfSatisfying(BgpProtocolException.class, e -> assertThat(e.notification())
                        .isEqualTo(new Notification(2, Notification.UNSUPPORTED_OPTIONAL_PARAMETER)));
    }

    @Test
    void headerErrorsAreMessageHeaderErrors() {
        byte[] keepalive = BgpMessages.encodeKeepalive();
        byte[] badMarker = keepalive.clone();
        badMarker[3] = 0;
        byte[] badType = keepalive.clone();
        badType[18] = 9;
        byte[] badLength = keepalive.clone();
        badLength[17] = 20;

        assertHeaderError(badMarker, new Notification(1, 1));
        assertHeaderError(badType, new Notification(1, 3, new byte[]{9}));
        assertHeaderError(badLength, new Notification(1, 2, new byte[]{0, 20}));
    }

    @Test
    void notificationRoundTrips() {
        Notification hold = new Notification(Notification.HOLD_TIMER_EXPIRED, 0);

        byte[] m = BgpMessages.encodeNotification(hold);

        assertThat(HEX.formatHex(m)).isEqualTo("ffffffffffffffffffffffffffffffff0015030400");
        assertThat(BgpMessages.decodeNotification(m, 0, m.length)).isEqualTo(hold);
        assertThat(hold.toString()).isEqualTo("Hold Timer Expired (4/0)");
    }

    private static void assertOpenError(BgpMessages.Open open, int subcode) {
        assertThatThrownBy(() -> BgpMessages.negotiate(CONFIG, open)).isInstanceOfSatisfying(BgpProtocolException.class,
                e -> assertThat(e.notification().code()).isEqualTo(2))
                .isInstanceOfSatisfying(BgpProtocolException.class,
                        e -> assertThat(e.notification().subcode()).isEqualTo(subcode));
    }

    private static void assertHeaderError(byte[] message, Notification expected) {
        assertThatThrownBy(() -> BgpMessages.checkHeader(message, 0)).isInstanceOfSatisfying(BgpProtocolException.class,
                e -> assertThat(e.notification()).isEqualTo(expected));
    }
}
