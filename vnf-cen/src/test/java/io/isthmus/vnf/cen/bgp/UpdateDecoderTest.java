package io.isthmus.vnf.cen.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import io.isthmus.vnf.cen.bgp.UpdateDecoder.Approach;
import io.isthmus.vnf.cen.bgp.UpdateDecoder.Context;
import io.isthmus.vnf.cen.bgp.UpdateDecoder.Result;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4271 §4.3 decoding and each RFC 7606 error class, on BIRD's own UPDATE and mutations of it. */
class UpdateDecoderTest {

    private static final HexFormat HEX = HexFormat.of();
    /** BIRD 2.0.12's UPDATE, captured: 240.1.0.0/24 and 240.1.1.0/24, ORIGIN IGP, AS_PATH 65010, NEXT_HOP 127.13.0.2. */
    private static final String BIRD_UPDATE = "ffffffffffffffffffffffffffffffff003302000000144001010040020602010000fdf2"
            + "4003047f0d000218f0010018f00101";
    private static final String ORIGIN = "40010100";
    private static final String AS_PATH = "40020602010000fdf2";
    private static final String NEXT_HOP = "4003047f0d0002";
    private static final String NLRI = "18f0010018f00101";
    private static final Context EBGP = new Context(true, true, 65010);
    private static final Prefix P0 = Prefix.parse("240.1.0.0/24");
    private static final Prefix P1 = Prefix.parse("240.1.1.0/24");
    private static final int BIRD_NEXT_HOP = Prefix.parseAddress("127.13.0.2");

    @Test
    void decodesBirdsUpdate() {
        Result result = decodeHex(BIRD_UPDATE, EBGP);

        assertThat(result.approach()).isEqualTo(Approach.NONE);
        assertThat(result.announced()).containsExactly(
                new LearnedRoute(P0, BIRD_NEXT_HOP, List.of(65010), 0, 100, LearnedRoute.ORIGIN_IGP),
                new LearnedRoute(P1, BIRD_NEXT_HOP, List.of(65010), 0, 100, LearnedRoute.ORIGIN_IGP));
        assertThat(result.withdrawn()).isEmpty();
    }

    @Test
    void endOfRibIsAnEmptyUpdate() {
        Result result = decodeHex("ffffffffffffffffffffffffffffffff00170200000000", EBGP);

        assertThat(result.approach()).isEqualTo(Approach.NONE);
        assertThat(result.announced()).isEmpty();
        assertThat(result.withdrawn()).isEmpty();
    }

    @Test
    void withdrawnRoutesAreDecoded() {
        Result result = decode("18f00100", "", "", EBGP);

        assertThat(result.withdrawn()).containsExactly(P0);
        assertThat(result.approach()).isEqualTo(Approach.NONE);
    }

    @Test
    void medLocalPrefOfIbgpAndCommunitiesAreKept() {
        Result result = decode("", ORIGIN + "400200" + NEXT_HOP + "80040400000064" + "400504000000c8"
                + "c00808fde80064fde800c8", NLRI, new Context(true, false, 65010));

        assertThat(result.announced()).first().isEqualTo(new LearnedRoute(P0, BIRD_NEXT_HOP, List.of(), 100, 200,
                LearnedRoute.ORIGIN_IGP, List.of(0xfde80064, 0xfde800c8)));
    }

    @Test
    void asPathWithTwoOctetAsesAndAnAsSetOnASessionWithoutFourOctetAs() {
        Result result = decode("", ORIGIN + "40020c" + "0202fdf2fde9" + "01020001" + "0002" + NEXT_HOP, NLRI,
                new Context(false, true, 65010));

        assertThat(result.announced()).first().extracting(LearnedRoute::asPath).isEqualTo(List.of(65010, 65001, 1, 2));
    }

    @Test
    void fourOctetAsNumbersAboveTwoToTheSixteenSurvive() {
        Result result = decode("", ORIGIN + "40020a0202" + "0000fdf2" + "fa56ea02" + NEXT_HOP, NLRI, EBGP);

        assertThat(result.announced()).first().extracting(LearnedRoute::asPath)
                .isEqualTo(List.of(65010, (int) 4200000002L));
    }

    // RFC 7606 §7.1
    @Test
    void badOriginValueIsTreatAsWithdraw() {
        assertTreatAsWithdraw(decode("", "40010103" + AS_PATH + NEXT_HOP, NLRI, EBGP));
    }

    @Test
    void originOfWrongLengthIsTreatAsWithdraw() {
        assertTreatAsWithdraw(decode("", "4001020000" + AS_PATH + NEXT_HOP, NLRI, EBGP));
    }

    // RFC 7606 §3 c
    @Test
    void wellKnownAttributeFlaggedOptionalIsTreatAsWithdraw() {
        assertTreatAsWithdraw(decode("", "c0010100" + AS_PATH + NEXT_HOP, NLRI, EBGP));
    }

    // RFC 7606 §7.2
    @Test
    void asPathSegmentOverrunningTheAttributeIsTreatAsWithdraw() {
        assertTreatAsWithdraw(decode("", ORIGIN + "40020602020000fdf2" + NEXT_HOP, NLRI, EBGP));
    }

    @Test
    void asPathSegmentOfUnknownTypeIsTreatAsWithdraw() {
        assertTreatAsWithdraw(decode("", ORIGIN + "40020605010000fdf2" + NEXT_HOP, NLRI, EBGP));
    }

    @Test
    void asPathOfEmptySegmentIsTreatAsWithdraw() {
        assertTreatAsWithdraw(decode("", ORIGIN + "4002020200" + NEXT_HOP, NLRI, EBGP));
    }

    @Test
    void asPathNotStartingWithTheExternalPeersAsIsTreatAsWithdraw() {
        assertTreatAsWithdraw(decode("", ORIGIN + "40020602010000fde9" + NEXT_HOP, NLRI, EBGP));
    }

    // RFC 7606 §7.3
    @Test
    void nextHopOfWrongLengthIsTreatAsWithdraw() {
        assertTreatAsWithdraw(decode("", ORIGIN + AS_PATH + "4003057f0d000200", NLRI, EBGP));
    }

    @Test
    void nextHopZeroIsTreatAsWithdraw() {
        assertTreatAsWithdraw(decode("", ORIGIN + AS_PATH + "40030400000000", NLRI, EBGP));
    }

    // RFC 7606 §7.4
    @Test
    void medOfWrongLengthIsDiscardedAndTheRoutesStand() {
        Result result = decode("", ORIGIN + AS_PATH + NEXT_HOP + "800403000064", NLRI, EBGP);

        assertThat(result.approach()).isEqualTo(Approach.ATTRIBUTE_DISCARD);
        assertThat(result.announced()).extracting(LearnedRoute::prefix).containsExactly(P0, P1);
        assertThat(result.announced()).allSatisfy(route -> assertThat(route.med()).isZero());
    }

    @Test
    void aggregatorOfWrongLengthIsDiscarded() {
        Result result = decode("", ORIGIN + AS_PATH + NEXT_HOP + "c00706fdf27f0d0002", NLRI, EBGP);

        assertThat(result.approach()).isEqualTo(Approach.ATTRIBUTE_DISCARD);
        assertThat(result.announced()).hasSize(2);
    }

    // RFC 7606 §7.5
    @Test
    void localPrefFromAnExternalPeerIsIgnoredEvenMalformed() {
        Result result = decode("", ORIGIN + AS_PATH + NEXT_HOP + "400503000001", NLRI, EBGP);

        assertThat(result.approach()).isEqualTo(Approach.NONE);
        assertThat(result.announced()).allSatisfy(route -> assertThat(route.localPref()).isEqualTo(100));
    }

    @Test
    void localPrefOfWrongLengthFromAnInternalPeerIsTreatAsWithdraw() {
        assertTreatAsWithdraw(
                decode("", ORIGIN + "400200" + NEXT_HOP + "400503000001", NLRI, new Context(true, false, 65010)));
    }

    // RFC 7606 §7.8
    @Test
    void communitiesNotAMultipleOfFourIsTreatAsWithdraw() {
        assertTreatAsWithdraw(decode("", ORIGIN + AS_PATH + NEXT_HOP + "c00805fde8006400", NLRI, EBGP));
    }

    // RFC 7606 §3 e
    @Test
    void repeatedAttributeKeepsTheFirstOccurrence() {
        Result result = decode("", "40010101" + AS_PATH + NEXT_HOP + "40010102", NLRI, EBGP);

        assertThat(result.approach()).isEqualTo(Approach.ATTRIBUTE_DISCARD);
        assertThat(result.announced()).allSatisfy(route -> assertThat(route.origin()).isEqualTo(1));
    }

    @Test
    void repeatedMpReachIsASessionReset() {
        String mpReach = "900e000d000101047f0d00020018f00200";

        assertReset(decode("", ORIGIN + AS_PATH + mpReach + mpReach, "", EBGP), 1);
    }

    // RFC 7606 §3 d
    @Test
    void missingNextHopWithNlriIsTreatAsWithdraw() {
        assertTreatAsWithdraw(decode("", ORIGIN + AS_PATH, NLRI, EBGP));
    }

    @Test
    void missingOriginWithNlriIsTreatAsWithdraw() {
        assertTreatAsWithdraw(decode("", AS_PATH + NEXT_HOP, NLRI, EBGP));
    }

    @Test
    void noAttributesAreNeededToWithdraw() {
        assertThat(decode("18f00100", "", "", EBGP).approach()).isEqualTo(Approach.NONE);
    }

    // RFC 7606 §3 f
    @Test
    void theStrongestApproachWins() {
        assertTreatAsWithdraw(decode("", "40010109" + AS_PATH + NEXT_HOP + "800403000064", NLRI, EBGP));
    }

    // RFC 7606 §4
    @Test
    void attributeOverrunningThePathAttributesIsTreatAsWithdrawAndTheNlriStillFound() {
        // NEXT_HOP claims 9 octets, running 5 past the Total Path Attribute Length into the NLRI
        assertTreatAsWithdraw(decode("", ORIGIN + AS_PATH + "4003097f0d0002", NLRI, EBGP));
    }

    @Test
    void totalPathAttributeLengthOverrunningTheMessageIsASessionReset() {
        byte[] m = HEX.parseHex(BIRD_UPDATE);
        m[22] = 0x40; // Total Path Attribute Length 64 in a message of 51 octets

        assertReset(UpdateDecoder.decode(m, 0, m.length, EBGP), Notification.MALFORMED_ATTRIBUTE_LIST);
    }

    @Test
    void withdrawnRoutesLengthOverrunningTheMessageIsASessionReset() {
        byte[] m = HEX.parseHex(BIRD_UPDATE);
        m[20] = 0x40;

        assertReset(UpdateDecoder.decode(m, 0, m.length, EBGP), Notification.MALFORMED_ATTRIBUTE_LIST);
    }

    // RFC 7606 §5.3
    @Test
    void nlriLongerThanThirtyTwoBitsIsASessionResetWithInvalidNetworkField() {
        assertReset(decode("", ORIGIN + AS_PATH + NEXT_HOP, "21f0010000", EBGP), Notification.INVALID_NETWORK_FIELD);
    }

    @Test
    void nlriOverrunningTheMessageIsASessionReset() {
        assertReset(decode("", ORIGIN + AS_PATH + NEXT_HOP, "18f001", EBGP), Notification.INVALID_NETWORK_FIELD);
    }

    // RFC 7606 §3 g
    @Test
    void withdrawnRoutesAreCheckedLikeNlri() {
        assertReset(decode("2100000000", "", "", EBGP), Notification.INVALID_NETWORK_FIELD);
    }

    @Test
    void unrecognizedWellKnownAttributeIsASessionResetCarryingIt() {
        Result result = decode("", ORIGIN + AS_PATH + NEXT_HOP + "406301ff", NLRI, EBGP);

        assertReset(result, Notification.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE);
        assertThat(result.notification().data()).isEqualTo(HEX.parseHex("406301ff"));
    }

    @Test
    void unrecognizedOptionalAttributeIsIgnored() {
        Result result = decode("", ORIGIN + AS_PATH + NEXT_HOP + "c06301ff", NLRI, EBGP);

        assertThat(result.approach()).isEqualTo(Approach.NONE);
        assertThat(result.announced()).hasSize(2);
    }

    @Test
    void hostBitsOfAPrefixAreCleared() {
        Result result = decode("", ORIGIN + AS_PATH + NEXT_HOP, "17f00101", EBGP);

        assertThat(result.announced()).extracting(LearnedRoute::prefix).containsExactly(Prefix.parse("240.1.0.0/23"));
    }

    @Test
    void mpReachAndMpUnreachForIpv4UnicastAreHonoured() {
        Result result = decode("",
                ORIGIN + AS_PATH + "900e000d000101047f0d00020018f00200" + "800f070001011" + "8f00100",
                "", EBGP);

        assertThat(result.approach()).isEqualTo(Approach.NONE);
        assertThat(result.announced()).containsExactly(new LearnedRoute(Prefix.parse("240.2.0.0/24"), BIRD_NEXT_HOP,
                List.of(65010), 0, 100, LearnedRoute.ORIGIN_IGP));
        assertThat(result.withdrawn()).containsExactly(P0);
    }

    @Test
    void mpReachOfAnotherFamilyIsIgnored() {
        // IPv6 unicast (AFI 2): not negotiated, not ours
        Result result = decode("", ORIGIN + AS_PATH + "900e001a0002011020010db8000000000000000000000001002020010db8",
                "", EBGP);

        assertThat(result.approach()).isEqualTo(Approach.NONE);
        assertThat(result.announced()).isEmpty();
    }

    private static void assertTreatAsWithdraw(Result result) {
        assertThat(result.approach()).isEqualTo(Approach.TREAT_AS_WITHDRAW);
        assertThat(result.announced()).isEmpty();
        assertThat(result.withdrawn()).containsExactly(P0, P1);
        assertThat(result.notification()).isNull();
        assertThat(result.problems()).isNotEmpty();
    }

    private static void assertReset(Result result, int subcode) {
        assertThat(result.approach()).isEqualTo(Approach.SESSION_RESET);
        assertThat(result.notification().code()).isEqualTo(Notification.UPDATE_MESSAGE_ERROR);
        assertThat(result.notification().subcode()).isEqualTo(subcode);
        assertThat(result.announced()).isEmpty();
    }

    static byte[] update(String withdrawn, String attributes, String nlri) {
        int w = withdrawn.length() / 2;
        int a = attributes.length() / 2;
        int length = 19 + 2 + w + 2 + a + nlri.length() / 2;
        return HEX.parseHex("ff".repeat(16) + "%04x02".formatted(length) + "%04x".formatted(w) + withdrawn
                + "%04x".formatted(a) + attributes + nlri);
    }

    private static Result decode(String withdrawn, String attributes, String nlri, Context context) {
        byte[] m = update(withdrawn, attributes, nlri);
        return UpdateDecoder.decode(m, 0, m.length, context);
    }

    private static Result decodeHex(String hex, Context context) {
        byte[] m = HEX.parseHex(hex);
        return UpdateDecoder.decode(m, 0, m.length, context);
    }
}
