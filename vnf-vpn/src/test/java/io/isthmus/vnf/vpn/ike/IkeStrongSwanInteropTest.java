package io.isthmus.vnf.vpn.ike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine against a real strongSwan charon (kernel-libipsec) in a network namespace {@code hike-office}, joined to
 * this namespace by a veth pair (10.213.0.1 here, 10.213.0.2 there). Skips itself unless root with strongSwan.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IkeStrongSwanInteropTest {

    static final String HERE = CharonLab.HERE;
    static final String THERE = CharonLab.THERE;
    static final String PSK = "correct horse battery";
    static final Duration WAIT = Duration.ofSeconds(20);

    private CharonLab charon;
    private UdpIkeTransport transport;

    @BeforeAll
    void startCharon() throws Exception {
        assumeTrue(CharonLab.available(), "needs root (network namespaces) and strongSwan (/usr/lib/ipsec/charon)");
        charon = new CharonLab(2);
        transport = new UdpIkeTransport(HERE);
    }

    @AfterAll
    void stopCharon() throws Exception {
        if (transport != null) {
            transport.close();
        }
        if (charon != null) {
            charon.close();
        }
    }

    @BeforeEach
    void freshEngineAndNoSas() throws Exception {
        swanctl("--terminate --ike hike --force --timeout 5");
        transport.reset();
    }

    // -------------------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"aes128gcm16-prfsha256-ecp256, aes128gcm16", "aes256gcm16-prfsha384-modp2048, aes256gcm16",
            "aes128gcm16-prfsha512-x25519, aes256gcm16", "aes256gcm16-prfsha256-x25519, aes128gcm16-noesn"})
    void charonInitiatesAndTheEngineAnswers(String ike, String esp) throws Exception {
        loadCharon(ike, esp, PSK, "");
        configure(ike, esp, PSK, false, 0, 0);

        String out = swanctl("--initiate --child hike --timeout 15");

        assertThat(out).contains("established with SPIs").contains("initiate completed successfully");
        awaitAgreement(ike);
        ChildSa ours = transport.events.stream().filter(e -> e.kind().equals("up")).findFirst().orElseThrow().sa();
        assertThat(ours.udpEncapsulated()).as("charon moved to 4500: ESP in UDP").isTrue();
        assertThat(ours.remote()).isEqualTo(new Endpoint(Endpoint.parseAddress(THERE), 4500));
    }

    @ParameterizedTest
    @CsvSource({"aes128gcm16-prfsha256-ecp256, aes128gcm16", "aes256gcm16-prfsha384-modp2048, aes256gcm16",
            "aes128gcm16-prfsha256-x25519, aes128gcm16"})
    void engineInitiatesAndCharonAccepts(String ike, String esp) throws Exception {
        loadCharon(ike, esp, PSK, "");
        configure(ike, esp, PSK, true, 0, 0);

        awaitAgreement(ike);
        assertThat(transport.events.stream().filter(e -> e.kind().equals("up")).findFirst().orElseThrow().sa()
                .udpEncapsulated()).as("charon with libipsec moves to 4500 and encapsulates").isTrue();
    }

    @Test
    void engineRekeysTheChildSaAndCharonFollows() throws Exception {
        String ike = "aes128gcm16-prfsha256-ecp256";
        loadCharon(ike, "aes128gcm16", PSK, "");
        configure(ike, "aes128gcm16", PSK, true, 0, 5_000);
        Sas first = awaitAgreement(ike);

        await().atMost(WAIT).until(() -> count("retired") >= 1);

        Sas second = awaitAgreement(ike);
        assertThat(second.childIn()).isNotEqualTo(first.childIn());
        assertThat(second.childOut()).isNotEqualTo(first.childOut());
        assertThat(second.ikeSpiI()).isEqualTo(first.ikeSpiI());
    }

    @Test
    void charonRekeysTheChildSaAndTheEngineFollows() throws Exception {
        String ike = "aes256gcm16-prfsha256-x25519";
        loadCharon(ike, "aes256gcm16-x25519", PSK, "rekey_time = 4s\n        life_time = 60s\n        rand_time = 1s");
        configure(ike, "aes256gcm16-x25519", PSK, false, 0, 0);
        swanctl("--initiate --child hike --timeout 15");
        Sas first = awaitAgreement(ike);

        await().atMost(WAIT).until(() -> count("retired") >= 1);

        Sas second = awaitAgreement(ike);
        assertThat(second.childIn()).isNotEqualTo(first.childIn());
    }

    @Test
    void engineRekeysTheIkeSaAndCharonFollows() throws Exception {
        String ike = "aes128gcm16-prfsha256-ecp256";
        loadCharon(ike, "aes128gcm16", PSK, "");
        configure(ike, "aes128gcm16", PSK, true, 3_000, 0);
        Sas first = awaitAgreement(ike);

        await().atMost(WAIT).until(() -> transport.events.stream()
                .anyMatch(e -> e.detail().equals("IKE SA rekeyed")));

        Sas second = awaitAgreement(ike);
        assertThat(second.ikeSpiI()).isNotEqualTo(first.ikeSpiI());
        assertThat(second.childIn()).isEqualTo(first.childIn());
    }

    @Test
    void charonRekeysTheIkeSaAndTheEngineFollows() throws Exception {
        String ike = "aes256gcm16-prfsha512-modp2048";
        loadCharon(ike, "aes128gcm16", PSK, "", "rekey_time = 4s\n    over_time = 60s\n    rand_time = 0s");
        configure(ike, "aes128gcm16", PSK, false, 0, 0);
        swanctl("--initiate --child hike --timeout 15");
        Sas first = awaitAgreement(ike);

        await().atMost(WAIT).until(() -> transport.events.stream()
                .anyMatch(e -> e.detail().equals("IKE SA rekeyed")));

        Sas second = awaitAgreement(ike);
        assertThat(second.ikeSpiI()).isNotEqualTo(first.ikeSpiI());
    }

    @Test
    void bothSidesRekeyingTheChildSaAtAboutTheSameTimeEndInAgreement() throws Exception {
        String ike = "aes128gcm16-prfsha256-ecp256";
        loadCharon(ike, "aes128gcm16", PSK, "rekey_time = 4s\n        life_time = 60s\n        rand_time = 0s");
        configure(ike, "aes128gcm16", PSK, true, 0, 4_000);
        Sas first = awaitAgreement(ike);

        await().atMost(WAIT).until(() -> count("rekeyed") >= 3);

        Sas later = awaitAgreement(ike);
        assertThat(later.childIn()).isNotEqualTo(first.childIn());
        assertThat(count("down")).isZero();
    }

    @Test
    void collidingChildRekeysEndInAgreement() throws Exception {
        String ike = "aes128gcm16-prfsha256-ecp256";
        loadCharon(ike, "aes128gcm16", PSK, "");
        IkeConnection c = new IkeConnection("hike", new Endpoint(Endpoint.parseAddress(HERE), 500),
                new Endpoint(Endpoint.parseAddress(THERE), 500), PSK.getBytes(StandardCharsets.UTF_8), "vpc.example",
                "office.example", List.of(IkeLab.prefix("10.213.2.0/24")), List.of(IkeLab.prefix("10.213.1.0/24")),
                List.of(ike), List.of("aes128gcm16"), true, 0, 0, 1_000, 0);
        transport.run(e -> e.configure(List.of(c), System.currentTimeMillis()));
        Sas first = awaitAgreement(ike);
        long childId = transport.events.stream().filter(e -> e.kind().equals("up")).findFirst().orElseThrow().sa()
                .childId();

        // our rekey request waits until charon's own rekey request has reached us: each side then gets the
        // other's request while its own is outstanding
        transport.hold();
        transport.run(e -> e.childSaBytes(childId, 5_000, System.currentTimeMillis()));
        int before = transport.createChildRequests();
        Process rekey = new ProcessBuilder("sh", "-c", "timeout 20 swanctl --rekey --child hike --uri "
                + CharonLab.URI).redirectErrorStream(true).start();
        await().atMost(WAIT).until(() -> transport.createChildRequests() > before);
        transport.release();
        rekey.waitFor(25, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> count("retired") >= 1);
        Sas later = awaitAgreement(ike);
        assertThat(later.childIn()).isNotEqualTo(first.childIn());
        assertThat(count("down")).isZero();
        assertThat(CharonLab.log()).contains("TEMPORARY_FAILURE");
    }

    // each direction alone: with both sides checking after the same silence, the first check of a round answers
    // the other side's need for one, so which side sends is a race
    @Test
    void charonsLivenessChecksAreAnsweredAndKeepTheSas() throws Exception {
        livenessChecks(true);
    }

    @Test
    void ourLivenessChecksAreAnsweredByCharonAndKeepTheSas() throws Exception {
        livenessChecks(false);
    }

    private void livenessChecks(boolean charonChecks) throws Exception {
        String ike = "aes128gcm16-prfsha256-x25519";
        loadCharon(ike, "aes128gcm16", PSK, "", charonChecks ? "dpd_delay = 1s" : "");
        IkeConnection c = new IkeConnection("hike", new Endpoint(Endpoint.parseAddress(HERE), 500),
                new Endpoint(Endpoint.parseAddress(THERE), 500), PSK.getBytes(StandardCharsets.UTF_8), "vpc.example",
                "office.example", List.of(IkeLab.prefix("10.213.2.0/24")), List.of(IkeLab.prefix("10.213.1.0/24")),
                List.of(ike), List.of("aes128gcm16"), true, 0, 0, 0, charonChecks ? 0 : 1_000);
        transport.run(e -> e.configure(List.of(c), System.currentTimeMillis()));
        Sas first = awaitAgreement(ike);
        long droppedBefore = transport.call(IkeEngine::droppedMessages);
        int logged = CharonLab.log().length();

        // charon's empty INFORMATIONAL requests answered by us, or ours answered by charon
        String line = charonChecks ? "generating INFORMATIONAL request" : "parsed INFORMATIONAL request";
        await().atMost(WAIT).until(() -> occurrences(CharonLab.log().substring(logged), line) >= 3);

        assertThat(awaitAgreement(ike)).isEqualTo(first);
        assertThat(transport.call(IkeEngine::droppedMessages)).isEqualTo(droppedBefore);
        assertThat(count("FAILED")).isZero();
    }

    private static int occurrences(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void wrongPskFromCharonIsRefusedWithAuthenticationFailed() throws Exception {
        String ike = "aes128gcm16-prfsha256-ecp256";
        loadCharon(ike, "aes128gcm16", "not the key", "");
        configure(ike, "aes128gcm16", PSK, false, 0, 0);

        String out = swanctl("--initiate --child hike --timeout 15");

        assertThat(out).contains("received AUTHENTICATION_FAILED notify error");
        assertThat(transport.call(IkeEngine::ikeSas)).isEmpty();
        assertThat(swanctl("--list-sas")).doesNotContain("ESTABLISHED");
        assertThat(transport.events).anyMatch(e -> e.kind().equals("FAILED")
                && e.detail().startsWith("AUTHENTICATION_FAILED"));
    }

    @Test
    void wrongPskToCharonFailsTheEngineWithAuthenticationFailed() throws Exception {
        String ike = "aes128gcm16-prfsha256-ecp256";
        loadCharon(ike, "aes128gcm16", "not the key", "");
        configure(ike, "aes128gcm16", PSK, true, 0, 0);

        await().atMost(WAIT).until(() -> count("FAILED") >= 1);

        assertThat(transport.events).anyMatch(e -> e.kind().equals("FAILED")
                && e.detail().startsWith("AUTHENTICATION_FAILED"));
        assertThat(transport.call(IkeEngine::ikeSas)).isEmpty();
        assertThat(swanctl("--list-sas")).doesNotContain("ESTABLISHED");
    }

    @Test
    void charonTerminatesAndTheEngineDeletesItsSas() throws Exception {
        String ike = "aes128gcm16-prfsha256-ecp256";
        loadCharon(ike, "aes128gcm16", PSK, "");
        configure(ike, "aes128gcm16", PSK, false, 0, 0);
        swanctl("--initiate --child hike --timeout 15");
        awaitAgreement(ike);

        swanctl("--terminate --ike hike --timeout 10");

        await().atMost(WAIT).until(() -> transport.call(IkeEngine::ikeSas).isEmpty());
        assertThat(count("down")).isEqualTo(1);
        assertThat(transport.events).anyMatch(e -> e.kind().equals("DELETED"));
    }

    // -------------------------------------------------------------------------------------------------------------

    /** What both sides show, once they agree: the IKE SPIs and the CHILD_SA's SPIs as charon sees them. */
    record Sas(String ikeSpiI, String ikeSpiR, String childIn, String childOut) {
    }

    private Sas awaitAgreement(String ikeProposal) {
        Sas[] agreed = new Sas[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            String charonSays = swanctl("--list-sas --ike hike");
            List<IkeSaView> ours = transport.call(IkeEngine::ikeSas);
            List<IkeSaView> established = ours.stream().filter(v -> v.state().equals("ESTABLISHED")).toList();
            if (established.size() != 1 || established.getFirst().children().size() != 1) {
                return false;
            }
            IkeSaView sa = established.getFirst();
            Matcher ikeSpis = Pattern.compile("ESTABLISHED, IKEv2, ([0-9a-f]{16})_i\\*? ([0-9a-f]{16})_r")
                    .matcher(charonSays);
            // only the installed CHILD_SA: charon keeps a rekeyed one (state REKEYED) listed for a while
            List<String> ins = all(INSTALLED_IN, charonSays);
            List<String> outs = all(INSTALLED_OUT, charonSays);
            if (!ikeSpis.find() || ins.size() != 1 || outs.size() != 1) {
                return false;
            }
            IkeSaView.Child child = sa.children().getFirst();
            boolean same = ikeSpis.group(1).equals(sa.initiatorSpi()) && ikeSpis.group(2).equals(sa.responderSpi())
                    && ins.getFirst().equals(child.outboundSpi()) && outs.getFirst().equals(child.inboundSpi());
            if (same) {
                agreed[0] = new Sas(ikeSpis.group(1), ikeSpis.group(2), ins.getFirst(), outs.getFirst());
            }
            return same && sa.proposal().equals(ikeProposal);
        });
        return agreed[0];
    }

    private static final Pattern INSTALLED_IN = Pattern.compile(
            ", INSTALLED, [^\\n]*\\n[^\\n]*\\n\\s+in\\s+([0-9a-f]{8})");
    private static final Pattern INSTALLED_OUT = Pattern.compile(
            ", INSTALLED, [^\\n]*\\n[^\\n]*\\n\\s+in\\s+[0-9a-f]{8}[^\\n]*\\n\\s+out\\s+([0-9a-f]{8})");

    private static List<String> all(Pattern p, String text) {
        List<String> result = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            result.add(m.group(1));
        }
        return result;
    }

    private long count(String kind) {
        return transport.events.stream().filter(e -> e.kind().equals(kind)).count();
    }

    private void configure(String ike, String esp, String psk, boolean initiator, long ikeRekey, long childRekey) {
        IkeConnection c = new IkeConnection("hike", new Endpoint(Endpoint.parseAddress(HERE), 500),
                new Endpoint(Endpoint.parseAddress(THERE), 500), psk.getBytes(StandardCharsets.UTF_8),
                "vpc.example", "office.example", List.of(IkeLab.prefix("10.213.2.0/24")),
                List.of(IkeLab.prefix("10.213.1.0/24")), List.of(ike), List.of(esp), initiator, ikeRekey,
                childRekey, 0, 0);
        transport.run(e -> e.configure(List.of(c), System.currentTimeMillis()));
    }

    private void loadCharon(String ike, String esp, String psk, String child) throws Exception {
        loadCharon(ike, esp, psk, child, "");
    }

    private void loadCharon(String ike, String esp, String psk, String child, String ikeExtra) throws Exception {
        String out = charon.load("""
                connections {
                  hike {
                    version = 2
                    local_addrs = %s
                    remote_addrs = %s
                    proposals = %s
                    mobike = no
                    %s
                    local {
                      auth = psk
                      id = office.example
                    }
                    remote {
                      auth = psk
                      id = vpc.example
                    }
                    children {
                      hike {
                        local_ts = 10.213.1.0/24
                        remote_ts = 10.213.2.0/24
                        esp_proposals = %s
                        %s
                      }
                    }
                  }
                }
                secrets {
                  ike-hike {
                    id-1 = office.example
                    id-2 = vpc.example
                    secret = "%s"
                  }
                }
                """.formatted(THERE, HERE, ike, ikeExtra, esp, child, psk));
        assertThat(out).contains("loaded connection 'hike'");
    }

    private static String swanctl(String args) throws IOException, InterruptedException {
        return CharonLab.swanctl(args);
    }
}
