package io.isthmus.vnf.vpn.ike;

import static io.isthmus.vnf.vpn.ike.IkeLab.A_ADDRESS;
import static io.isthmus.vnf.vpn.ike.IkeLab.B_ADDRESS;
import static io.isthmus.vnf.vpn.ike.IkeLab.connection;
import static io.isthmus.vnf.vpn.ike.IkeLab.prefix;
import static io.isthmus.vnf.vpn.ike.IkeLab.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two engines talking to each other in memory: establishment, rekeying, deletes, liveness, failures. */
class IkeEngineTest {

    private static final List<String> ESP = List.of("aes128gcm16-esn", "aes256gcm16-noesn");

    private final IkeLab lab = new IkeLab();

    private IkeConnection initiator(List<String> ike) {
        return connection("office", A_ADDRESS, B_ADDRESS, "correct horse", "10.1.0.0/16", "10.2.0.0/16", ike, ESP,
                true);
    }

    private IkeConnection responder(List<String> ike) {
        return connection("vpc", B_ADDRESS, 0, "correct horse", "10.2.0.0/16", "10.1.0.0/16", ike, ESP, false);
    }

    private void establish(IkeConnection a, IkeConnection b) {
        lab.b.engine.configure(List.of(b), lab.now);
        lab.a.engine.configure(List.of(a), lab.now);
        assertThat(lab.runUntil(() -> lab.a.up.size() == 1 && lab.b.up.size() == 1, 5_000))
                .as("a: %s, b: %s", lab.a.states, lab.b.states).isTrue();
    }

    private static void assertMirrored(ChildSa mine, ChildSa theirs) {
        assertThat(mine.inboundSpi()).isEqualTo(theirs.outboundSpi());
        assertThat(mine.outboundSpi()).isEqualTo(theirs.inboundSpi());
        assertThat(mine.inboundKeyMaterial()).isEqualTo(theirs.outboundKeyMaterial());
        assertThat(mine.outboundKeyMaterial()).isEqualTo(theirs.inboundKeyMaterial());
        assertThat(mine.inboundKeyMaterial()).isNotEqualTo(mine.outboundKeyMaterial());
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes128gcm16-prfsha256-ecp256", "aes256gcm16-prfsha384-modp2048",
            "aes128gcm16-prfsha512-x25519", "aes256gcm16-prfsha256-x25519"})
    void initiatorAndResponderAgreeOnTheChildSa(String proposal) {
        establish(initiator(List.of(proposal)), responder(List.of(proposal)));

        assertThat(lab.a.lastState()).isEqualTo("ESTABLISHED");
        assertThat(lab.b.lastState()).isEqualTo("ESTABLISHED");
        ChildSa a = lab.a.up.getFirst();
        ChildSa b = lab.b.up.getFirst();
        assertMirrored(a, b);
        assertThat(a.inboundKeyMaterial()).hasSize(16 + 4); // ESP proposal aes128gcm16-esn is preferred by both
        assertThat(a.esn()).isTrue();
        assertThat(a.localSelectors()).containsExactly(prefix("10.1.0.0/16"));
        assertThat(a.remoteSelectors()).containsExactly(prefix("10.2.0.0/16"));
        assertThat(b.localSelectors()).containsExactly(prefix("10.2.0.0/16"));
        assertThat(a.udpEncapsulated()).isFalse();
        assertThat(lab.a.engine.ikeSas()).singleElement().satisfies(v -> {
            assertThat(v.state()).isEqualTo("ESTABLISHED");
            assertThat(v.proposal()).isEqualTo(proposal);
            assertThat(v.children()).hasSize(1);
        });
        assertThat(a.toString()).doesNotContain(java.util.HexFormat.of().formatHex(a.inboundKeyMaterial()));
    }

    @Test
    void responderAsksForAnotherGroupAndTheInitiatorRetries() {
        establish(initiator(List.of("aes128gcm16-prfsha256-x25519", "aes128gcm16-prfsha256-ecp256")),
                responder(List.of("aes128gcm16-prfsha256-ecp256")));

        assertThat(lab.a.engine.ikeSas()).singleElement()
                .satisfies(v -> assertThat(v.proposal()).isEqualTo("aes128gcm16-prfsha256-ecp256"));
        assertMirrored(lab.a.up.getFirst(), lab.b.up.getFirst());
    }

    @Test
    void noCommonProposalFailsTheInitiatorWithNoProposalChosen() {
        lab.b.engine.configure(List.of(responder(List.of("aes256gcm16-prfsha512-modp2048"))), lab.now);
        lab.a.engine.configure(List.of(initiator(List.of("aes128gcm16-prfsha256-ecp256"))), lab.now);
        lab.runUntil(() -> lab.a.lastState().startsWith("FAILED"), 5_000);

        assertThat(lab.a.lastState()).isEqualTo("FAILED: NO_PROPOSAL_CHOSEN");
        assertThat(lab.a.engine.ikeSas()).isEmpty();
        assertThat(lab.b.engine.ikeSas()).isEmpty();
    }

    @Test
    void wrongPskFailsBothSidesAndLeavesNoSa() {
        IkeConnection wrong = connection("office", A_ADDRESS, B_ADDRESS, "battery staple", "10.1.0.0/16",
                "10.2.0.0/16", List.of("aes128gcm16-prfsha256-ecp256"), ESP, true);
        lab.b.engine.configure(List.of(responder(List.of("aes128gcm16-prfsha256-ecp256"))), lab.now);
        lab.a.engine.configure(List.of(wrong), lab.now);
        lab.runUntil(() -> lab.a.lastState().startsWith("FAILED"), 5_000);

        assertThat(lab.a.lastState()).startsWith("FAILED: AUTHENTICATION_FAILED");
        assertThat(lab.b.lastState()).startsWith("FAILED: AUTHENTICATION_FAILED");
        assertThat(lab.a.engine.ikeSas()).isEmpty();
        assertThat(lab.b.engine.ikeSas()).isEmpty();
        assertThat(lab.a.up).isEmpty();
        assertThat(lab.b.up).isEmpty();
    }

    @Test
    void responderNarrowsTrafficSelectorsToItsOwn() {
        IkeConnection narrow = connection("vpc", B_ADDRESS, 0, "correct horse", "10.2.3.0/24", "10.1.0.0/16",
                List.of("aes128gcm16-prfsha256-ecp256"), ESP, false);
        establish(initiator(List.of("aes128gcm16-prfsha256-ecp256")), narrow);

        assertThat(lab.a.up.getFirst().remoteSelectors()).containsExactly(prefix("10.2.3.0/24"));
        assertThat(lab.b.up.getFirst().localSelectors()).containsExactly(prefix("10.2.3.0/24"));
    }

    @Test
    void disjointSelectorsGiveAnIkeSaWithoutChildSa() {
        IkeConnection elsewhere = connection("vpc", B_ADDRESS, 0, "correct horse", "10.9.0.0/16", "10.1.0.0/16",
                List.of("aes128gcm16-prfsha256-ecp256"), ESP, false);
        lab.b.engine.configure(List.of(elsewhere), lab.now);
        lab.a.engine.configure(List.of(initiator(List.of("aes128gcm16-prfsha256-ecp256"))), lab.now);
        lab.runUntil(() -> lab.a.lastState().startsWith("ESTABLISHED"), 5_000);

        assertThat(lab.a.lastState()).isEqualTo("ESTABLISHED: no CHILD_SA: TS_UNACCEPTABLE");
        assertThat(lab.a.up).isEmpty();
        assertThat(lab.b.up).isEmpty();
    }

    @Test
    void childSaIsRekeyedAndTheOldOneRetiredOnBothSides() {
        establish(with(initiator(List.of("aes128gcm16-prfsha256-ecp256")), 0, 60_000, 0, 0),
                responder(List.of("aes128gcm16-prfsha256-ecp256")));
        ChildSa first = lab.a.up.getFirst();

        assertThat(lab.runUntil(() -> lab.a.retired.size() == 1 && lab.b.retired.size() == 1, 70_000)).isTrue();

        ChildSa[] a = lab.a.rekeyed.getFirst();
        ChildSa[] b = lab.b.rekeyed.getFirst();
        assertThat(a[0].childId()).isEqualTo(first.childId());
        assertMirrored(a[1], b[1]);
        assertThat(a[1].inboundSpi()).isNotEqualTo(first.inboundSpi());
        assertThat(a[1].inboundKeyMaterial()).isNotEqualTo(first.inboundKeyMaterial());
        assertThat(lab.a.retired.getFirst().childId()).isEqualTo(first.childId());
        assertThat(lab.a.down).isEmpty();
        assertThat(lab.a.engine.ikeSas().getFirst().children()).singleElement()
                .satisfies(c -> assertThat(c.childId()).isEqualTo(a[1].childId()));
    }

    @Test
    void childSaIsRekeyedWithPfsWhenTheEspProposalNamesAGroup() {
        IkeConnection a = connection("office", A_ADDRESS, B_ADDRESS, "correct horse", "10.1.0.0/16", "10.2.0.0/16",
                List.of("aes128gcm16-prfsha256-ecp256"), List.of("aes256gcm16-x25519-esn"), true);
        IkeConnection b = connection("vpc", B_ADDRESS, 0, "correct horse", "10.2.0.0/16", "10.1.0.0/16",
                List.of("aes128gcm16-prfsha256-ecp256"), List.of("aes256gcm16-x25519-esn"), false);
        establish(a, b);
        lab.a.engine.childSaBytes(lab.a.up.getFirst().childId(), 1L << 40, lab.now);
        lab.runUntil(() -> lab.a.rekeyed.size() == 1, 5_000);
        assertThat(lab.a.rekeyed).isEmpty(); // no byte limit configured: nothing happens

        lab.a.engine.configure(List.of(with(a, 0, 0, 1_000_000, 0)), lab.now);
        lab.runUntil(() -> lab.a.up.size() == 2 && lab.b.up.size() == 2, 5_000);
        lab.a.engine.childSaBytes(lab.a.up.getLast().childId(), 2_000_000, lab.now);
        assertThat(lab.runUntil(() -> lab.a.rekeyed.size() == 1 && lab.b.rekeyed.size() == 1, 5_000)).isTrue();

        assertMirrored(lab.a.rekeyed.getFirst()[1], lab.b.rekeyed.getFirst()[1]);
        assertThat(lab.a.rekeyed.getFirst()[1].inboundKeyMaterial()).hasSize(36);
    }

    @Test
    void simultaneousChildRekeysEndWithOneNewSaOnBothSides() {
        establish(with(initiator(List.of("aes128gcm16-prfsha256-ecp256")), 0, 0, 1_000, 0),
                with(responder(List.of("aes128gcm16-prfsha256-ecp256")), 0, 0, 1_000, 0));

        // both ask in the same instant, before either request arrives
        lab.a.engine.childSaBytes(lab.a.up.getFirst().childId(), 5_000, lab.now);
        lab.b.engine.childSaBytes(lab.b.up.getFirst().childId(), 5_000, lab.now);

        assertThat(lab.runUntil(() -> lab.a.retired.size() == 1 && lab.b.retired.size() == 1, 30_000)).isTrue();
        assertThat(lab.a.liveChildren()).hasSize(1);
        assertThat(lab.b.liveChildren()).hasSize(1);
        assertMirrored(lab.a.liveChildren().getFirst(), lab.b.liveChildren().getFirst());
        assertThat(lab.a.down).isEmpty();
        assertThat(lab.b.down).isEmpty();
        assertThat(lab.a.engine.ikeSas().getFirst().children()).hasSize(1);
        assertThat(lab.b.engine.ikeSas().getFirst().children()).hasSize(1);
    }

    @Test
    void childSaThatCannotBeRekeyedExpiresOnBothSides() {
        IkeConnection a = with(initiator(List.of("aes128gcm16-prfsha256-ecp256")), 0, 20_000, 0, 0);
        // b wants PFS on rekeys, a offers none: b refuses a's rekey (NO_PROPOSAL_CHOSEN)
        IkeConnection b = connection("vpc", B_ADDRESS, 0, "correct horse", "10.2.0.0/16", "10.1.0.0/16",
                List.of("aes128gcm16-prfsha256-ecp256"), List.of("aes128gcm16-x25519-esn"), false);
        lab.b.engine.configure(List.of(b), lab.now);
        lab.a.engine.configure(List.of(a), lab.now);
        lab.runUntil(() -> lab.a.up.size() == 1 && lab.b.up.size() == 1, 5_000);
        long established = lab.now;

        assertThat(lab.runUntil(() -> lab.a.down.size() == 1 && lab.b.down.size() == 1, 30_000)).isTrue();

        assertThat(lab.now - established).isBetween(20_000L, 22_000L);
        assertThat(lab.a.rekeyed).isEmpty();
        assertThat(lab.a.lastState()).isEqualTo("ESTABLISHED"); // the IKE SA lives on
    }

    @Test
    void ikeSaThatCannotBeRekeyedExpiresAndTheInitiatorStartsAgain() {
        IkeConnection a = with(initiator(List.of("aes128gcm16-prfsha256-ecp256")), 20_000, 0, 0, 0);
        establish(a, responder(List.of("aes128gcm16-prfsha256-ecp256")));
        lab.drop = d -> d.payload().length > 18 && d.payload()[18] == IkeCodec.CREATE_CHILD_SA
                && d.from() == lab.b;
        // b's answers to rekeys are lost: a's rekey is still being retransmitted when the hard lifetime ends

        assertThat(lab.runUntil(() -> lab.a.up.size() == 2, 60_000)).isTrue();

        assertThat(lab.a.states).contains("DELETED: expired (not rekeyed in time)");
        assertThat(lab.a.down).hasSize(1);
        assertThat(lab.a.lastState()).isEqualTo("ESTABLISHED");
        assertThat(lab.b.engine.ikeSas()).hasSize(1); // b was told, and has only the new one
    }

    @Test
    void ikeSaIsRekeyedAndKeepsItsChildSas() {
        establish(with(initiator(List.of("aes128gcm16-prfsha256-ecp256")), 30_000, 0, 0, 0),
                responder(List.of("aes128gcm16-prfsha256-ecp256")));
        IkeSaView before = lab.a.engine.ikeSas().getFirst();

        lab.runUntil(() -> lab.a.engine.ikeSas().size() == 1 && lab.b.engine.ikeSas().size() == 1
                && !lab.a.engine.ikeSas().getFirst().initiatorSpi().equals(before.initiatorSpi()), 40_000);

        IkeSaView a = lab.a.engine.ikeSas().getFirst();
        IkeSaView b = lab.b.engine.ikeSas().getFirst();
        assertThat(a.initiatorSpi()).isEqualTo(b.initiatorSpi()).isNotEqualTo(before.initiatorSpi());
        assertThat(a.responderSpi()).isEqualTo(b.responderSpi()).isNotEqualTo(before.responderSpi());
        assertThat(a.children()).hasSize(1);
        assertThat(b.children()).hasSize(1);
        assertThat(lab.a.down).isEmpty();
        assertThat(lab.b.down).isEmpty();
        assertThat(lab.b.states).contains("ESTABLISHED: IKE SA rekeyed");
    }

    @Test
    void ikeSaRekeyedByTheResponderCarriesAChildRekeyAfterwards() {
        establish(with(initiator(List.of("aes128gcm16-prfsha256-ecp256")), 0, 0, 1_000, 0),
                with(responder(List.of("aes128gcm16-prfsha256-ecp256")), 20_000, 0, 0, 0));
        String oldSpi = lab.a.engine.ikeSas().getFirst().responderSpi();
        lab.runUntil(() -> lab.a.engine.ikeSas().size() == 1
                && !lab.a.engine.ikeSas().getFirst().responderSpi().equals(oldSpi), 30_000);
        assertThat(lab.a.engine.ikeSas().getFirst().initiator()).isFalse(); // b initiated the new IKE SA

        lab.a.engine.childSaBytes(lab.a.up.getFirst().childId(), 5_000, lab.now);

        assertThat(lab.runUntil(() -> lab.a.retired.size() == 1 && lab.b.retired.size() == 1, 5_000)).isTrue();
        assertMirrored(lab.a.rekeyed.getFirst()[1], lab.b.rekeyed.getFirst()[1]);
    }

    @Test
    void terminateDeletesTheIkeSaAndItsChildSasOnBothSides() {
        establish(initiator(List.of("aes128gcm16-prfsha256-ecp256")),
                responder(List.of("aes128gcm16-prfsha256-ecp256")));

        lab.a.engine.terminate("office", lab.now);
        lab.deliver();

        assertThat(lab.a.lastState()).startsWith("DELETED");
        assertThat(lab.b.lastState()).isEqualTo("DELETED: deleted by the peer");
        assertThat(lab.a.down).hasSize(1);
        assertThat(lab.b.down).hasSize(1);
        assertThat(lab.a.engine.ikeSas()).isEmpty();
        assertThat(lab.b.engine.ikeSas()).isEmpty();
    }

    @Test
    void closingAChildSaDeletesItOnBothSides() {
        establish(initiator(List.of("aes128gcm16-prfsha256-ecp256")),
                responder(List.of("aes128gcm16-prfsha256-ecp256")));

        lab.b.engine.closeChild(lab.b.up.getFirst().childId(), lab.now);
        lab.deliver();

        assertThat(lab.a.down).singleElement().satisfies(c -> assertThat(c.childId())
                .isEqualTo(lab.a.up.getFirst().childId()));
        assertThat(lab.b.down).hasSize(1);
        assertThat(lab.a.engine.ikeSas().getFirst().children()).isEmpty();
        assertThat(lab.a.lastState()).isEqualTo("ESTABLISHED");
    }

    @Test
    void deadPeerIsDetectedAndTheInitiatorStartsAgainWhenItAnswers() {
        establish(with(initiator(List.of("aes128gcm16-prfsha256-ecp256")), 0, 0, 0, 10_000),
                responder(List.of("aes128gcm16-prfsha256-ecp256")));
        lab.drop = d -> true; // the cable is cut

        lab.runUntil(() -> lab.a.lastState().startsWith("FAILED"), 60_000);

        assertThat(lab.a.lastState()).startsWith("FAILED: the peer stopped answering");
        assertThat(lab.a.down).hasSize(1);
        assertThat(lab.a.engine.ikeSas()).isEmpty();

        lab.drop = d -> false;
        assertThat(lab.runUntil(() -> lab.a.up.size() == 2, 60_000)).isTrue();
        assertThat(lab.a.lastState()).isEqualTo("ESTABLISHED");
        // b learned of the new IKE SA through INITIAL_CONTACT and dropped the old one
        assertThat(lab.b.engine.ikeSas()).hasSize(1);
    }

    @Test
    void aRestartFindingAnSaThePeerSetUpMeanwhileLeavesNoTimerDue() {
        IkeConnection a = with(initiator(List.of("aes128gcm16-prfsha256-ecp256")), 0, 0, 0, 0);
        IkeConnection b = connection("vpc", B_ADDRESS, A_ADDRESS, "correct horse", "10.2.0.0/16", "10.1.0.0/16",
                List.of("aes128gcm16-prfsha256-ecp256"), ESP, false);
        lab.b.engine.configure(List.of(b), lab.now);
        lab.drop = d -> d.from() == lab.b; // b cannot answer: a fails and plans a restart
        lab.a.engine.configure(List.of(a), lab.now);
        lab.runUntil(() -> lab.a.lastState().startsWith("FAILED"), 60_000);
        lab.drop = d -> false;

        lab.b.engine.initiate("vpc", lab.now); // meanwhile b sets one up
        lab.runUntil(() -> lab.a.up.size() == 1, 2_000);
        lab.runUntil(() -> false, 30_000); // a's restart comes and finds the SA

        assertThat(lab.a.engine.nextTimerMillis()).isGreaterThan(lab.now);
        assertThat(lab.a.engine.ikeSas()).singleElement().satisfies(v -> assertThat(v.initiator()).isFalse());
    }

    @Test
    void lostResponsesAreRetransmittedFromTheResponderCache() {
        int[] count = {0};
        lab.drop = d -> d.from() == lab.b && count[0]++ < 2; // the first IKE_SA_INIT and first IKE_AUTH answers
        establish(initiator(List.of("aes128gcm16-prfsha256-ecp256")),
                responder(List.of("aes128gcm16-prfsha256-ecp256")));

        assertMirrored(lab.a.up.getFirst(), lab.b.up.getFirst());
        assertThat(lab.b.engine.ikeSas()).hasSize(1);
    }

    @Test
    void natInFrontOfTheInitiatorMovesIkeAndEspTo4500() {
        lab.natInFrontOfA = true;
        List<Endpoint> seen = new java.util.ArrayList<>();
        lab.drop = d -> {
            seen.add(d.local());
            return false;
        };
        establish(initiator(List.of("aes128gcm16-prfsha256-ecp256")),
                responder(List.of("aes128gcm16-prfsha256-ecp256")));

        ChildSa a = lab.a.up.getFirst();
        ChildSa b = lab.b.up.getFirst();
        assertThat(a.udpEncapsulated()).isTrue();
        assertThat(b.udpEncapsulated()).isTrue();
        assertThat(a.remote()).isEqualTo(new Endpoint(B_ADDRESS, 4500));
        assertThat(b.remote()).isEqualTo(new Endpoint(IkeLab.NAT_ADDRESS, 44500));
        assertThat(seen).contains(new Endpoint(A_ADDRESS, 4500), new Endpoint(B_ADDRESS, 4500));
    }

    @Test
    void loadedResponderAsksForACookieAndTheInitiatorComesBackWithIt() {
        lab.b.engine.cookieThreshold(0);
        int[] initRequests = {0};
        lab.drop = d -> {
            if (d.from() == lab.a && d.payload().length > 18 && d.payload()[18] == IkeCodec.IKE_SA_INIT) {
                initRequests[0]++;
            }
            return false;
        };

        establish(initiator(List.of("aes128gcm16-prfsha256-ecp256")),
                responder(List.of("aes128gcm16-prfsha256-ecp256")));

        assertThat(initRequests[0]).isEqualTo(2); // without the cookie, then with it
        assertMirrored(lab.a.up.getFirst(), lab.b.up.getFirst());
    }

    @Test
    void garbageIsDroppedAndCountedWithoutHarm() {
        establish(initiator(List.of("aes128gcm16-prfsha256-ecp256")),
                responder(List.of("aes128gcm16-prfsha256-ecp256")));
        Random random = new Random(7);
        Endpoint local = new Endpoint(B_ADDRESS, 500);
        Endpoint remote = new Endpoint(A_ADDRESS, 500);
        for (int i = 0; i < 2_000; i++) {
            byte[] junk = new byte[random.nextInt(120)];
            random.nextBytes(junk);
            if (junk.length > 18 && i % 2 == 0) {
                junk[17] = 0x20; // version 2, so parsing goes further
                junk[18] = (byte) (34 + random.nextInt(4));
            }
            lab.b.engine.receive(local, remote, junk, 0, junk.length, lab.now);
            lab.b.engine.receive(local.withPort(4500), remote, junk, 0, junk.length, lab.now);
        }

        assertThat(lab.b.engine.droppedMessages()).isGreaterThan(3_000);
        assertThat(lab.b.engine.ikeSas()).hasSize(1).first()
                .satisfies(v -> assertThat(v.state()).isEqualTo("ESTABLISHED"));
    }

    @Test
    void unknownConnectionAndBadProposalNamesAreRejected() {
        assertThatThrownBy(() -> lab.a.engine.initiate("nope", lab.now)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> initiator(List.of("aes128cbc-sha1-modp1024")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aes128cbc");
        assertThat(initiator(List.of("aes128gcm16-prfsha256-ecp256")).toString()).doesNotContain("correct horse");
    }
}
