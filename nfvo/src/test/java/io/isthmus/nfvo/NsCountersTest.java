package io.isthmus.nfvo;

import static io.isthmus.nfvo.NfvoApiTest.NSLCM;
import static io.isthmus.nfvo.NfvoApiTest.as;
import static io.isthmus.nfvo.NfvoApiTest.fake;
import static io.isthmus.nfvo.NfvoApiTest.get;
import static io.isthmus.nfvo.NsLcmOperationsTest.SOON;
import static io.isthmus.nfvo.NsLcmOperationsTest.TWO_NATS;
import static io.isthmus.nfvo.NsLcmOperationsTest.awaitState;
import static io.isthmus.nfvo.NsLcmOperationsTest.instantiated;
import static io.isthmus.nfvo.NsLcmOperationsTest.opCount;
import static io.isthmus.nfvo.NsLcmOperationsTest.start;
import static io.isthmus.nfvo.NsLcmOperationsTest.taskRequests;
import static io.isthmus.nfvo.NsLcmOperationsTest.vnfsByProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.isthmus.sol.testing.EtsiSchemas;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The per-hop counters of an NS's chain in the NS view: each VNF's data-plane indicators, read from the (fake) VNFM
 * every second here and shown from the NFVO's own records as {@code vnfInstance[].metadata.counters}.
 */
@QuarkusTest
@TestProfile(NsCountersTest.FastCounters.class)
@QuarkusTestResource(value = FakePeers.class, restrictToAnnotatedClass = true)
class NsCountersTest {

    public static class FastCounters implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("isthmus.nfvo.counters.interval", "1s");
        }
    }

    @RegisterExtension
    final NoErrorsLogged noErrors = new NoErrorsLogged();

    private static void dataplane(String vnf, long packets, long bytes, long drops) {
        post(Map.of("vnfInstanceId", vnf, "packets", packets, "bytes", bytes, "drops", drops));
    }

    private static void post(Map<String, Object> body) {
        RestAssured.given().contentType(ContentType.JSON).body(body).post(fake() + "/control/dataplane").then()
                .statusCode(204);
    }

    private static Response ns(String token, String nsId) {
        return as(token).get("/nslcm/v2/ns_instances/" + nsId);
    }

    /** What the NS view shows as the VNF's counters, null before the first reading. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> counters(String token, String nsId, String vnf) {
        List<Map<String, Object>> vnfs = ns(token, nsId).then().statusCode(200).extract().path("vnfInstance");
        Map<String, Object> shown = vnfs.stream().filter(v -> vnf.equals(v.get("id"))).findFirst().orElseThrow();
        return shown.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m.get("counters") : null;
    }

    private static void awaitCounters(String token, String nsId, String vnf, long packets, long bytes, long drops) {
        await().atMost(SOON).untilAsserted(() -> assertThat(counters(token, nsId, vnf))
                .containsEntry("packets", (int) packets).containsEntry("bytes", (int) bytes)
                .containsEntry("drops", (int) drops));
    }

    /** The VNF of {@code profile} in an NS. */
    private record Counted(String nsId, String vnf) {
    }

    /** An instantiated NS of two VNFs, and its VNF of {@code profile} once the view shows the counters it was given. */
    private static Counted counted(String token, String nsdId, String profile, long packets, long bytes, long drops) {
        String nsId = instantiated(token, nsdId, TWO_NATS);
        String vnf = vnfsByProfile(token, nsId).get(profile);
        dataplane(vnf, packets, bytes, drops);
        awaitCounters(token, nsId, vnf, packets, bytes, drops);
        return new Counted(nsId, vnf);
    }

    private static int indicatorReads(String vnf) {
        return Integer.parseInt(get(fake() + "/control/indicator-reads/" + vnf));
    }

    @Test
    void theNsViewShowsEachVnfsCountersAndFollowsThem() {
        // Given an instantiated NS of two VNFs, each with traffic through its data plane
        String alice = Tokens.user("alice");
        String nsId = instantiated(alice, "counted-chain", TWO_NATS);
        Map<String, String> vnfs = vnfsByProfile(alice, nsId);
        dataplane(vnfs.get("nat-a"), 1200, 180000, 3);
        dataplane(vnfs.get("nat-b"), 1190, 178500, 0);

        // When the tenant reads the NS / Then each VNF shows its own counters and when they were read
        awaitCounters(alice, nsId, vnfs.get("nat-a"), 1200, 180000, 3);
        awaitCounters(alice, nsId, vnfs.get("nat-b"), 1190, 178500, 0);
        Map<String, Object> shown = counters(alice, nsId, vnfs.get("nat-a"));
        assertThat(shown).containsOnlyKeys("packets", "bytes", "drops", "readAt");
        assertThat(Instant.parse((String) shown.get("readAt"))).isBefore(Instant.now().plusSeconds(1));
        assertThat((String) shown.get("readAt")).endsWith("Z");
        EtsiSchemas.assertValid(ns(alice, nsId).asString(), NSLCM, "NsInstance.schema.json");
        // and the list shows them as well, with the VNFs
        Response list = as(alice).queryParam("all_fields", "").queryParam("filter", "(eq,id," + nsId + ")")
                .get("/nslcm/v2/ns_instances");
        EtsiSchemas.assertValid(list.asString(), NSLCM, "NsInstances.schema.json");
        assertThat(list.<Integer>path("[0].vnfInstance.find { it.id == '" + vnfs.get("nat-b") + "' }"
                + ".metadata.counters.packets")).isEqualTo(1190);

        // When more traffic passes one of them / Then the view follows
        dataplane(vnfs.get("nat-a"), 5000, 750000, 4);
        awaitCounters(alice, nsId, vnfs.get("nat-a"), 5000, 750000, 4);
        awaitCounters(alice, nsId, vnfs.get("nat-b"), 1190, 178500, 0);

        // And another tenant sees neither the NS nor its counters
        ns(Tokens.user("bob"), nsId).then().statusCode(404);
    }

    @Test
    void aVnfWhoseVnfmDoesNotAnswerKeepsItsLastCountersAndIsLoggedOnce() {
        // Given a VNF whose counters were read
        String alice = Tokens.user("alice");
        Counted given = counted(alice, "counted-unanswered", "nat-a", 700, 9100, 1);
        String nsId = given.nsId();
        String vnf = given.vnf();
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler handler = warningsAbout(vnf, warnings);
        Logger.getLogger("").addHandler(handler);
        try {
            // When the VNFM answers 503 for its indicators, round after round (once it did, no earlier round of the
            // sequential reader writes any more)
            post(Map.of("vnfInstanceId", vnf, "status", 503));
            int before = indicatorReads(vnf);
            await().atMost(SOON).until(() -> indicatorReads(vnf) > before);
            String readAt = (String) counters(alice, nsId, vnf).get("readAt");
            await().atMost(SOON).until(() -> indicatorReads(vnf) >= before + 4);

            // Then the NS view still shows the last counters read, and the failure was logged once, as a warning
            assertThat(counters(alice, nsId, vnf)).containsEntry("packets", 700).containsEntry("readAt", readAt);
            assertThat(warnings).singleElement().satisfies(r -> assertThat(r.getLevel()).isEqualTo(Level.WARNING));

            // When it answers again / Then the view follows again
            dataplane(vnf, 800, 10400, 1);
            awaitCounters(alice, nsId, vnf, 800, 10400, 1);
            assertThat(warnings).hasSize(1);
        } finally {
            Logger.getLogger("").removeHandler(handler);
        }
    }

    @Test
    void aTenantCannotWriteTheCountersOfItsVnfs() {
        // Given a VNF whose counters the NS view shows
        String alice = Tokens.user("alice");
        Counted vnfB = counted(alice, "counted-not-written", "nat-b", 42, 4200, 0);
        int ops = opCount(alice, vnfB.nsId());

        // When the tenant updates the VNF's metadata.counters through the NS
        Response refused = as(alice).contentType(ContentType.JSON)
                .body(Map.of("updateType", "MODIFY_VNF_INFORMATION", "modifyVnfInfoData", List.of(Map.of(
                        "vnfInstanceId", vnfB.vnf(), "metadata", Map.of("counters", Map.of("packets", 0))))))
                .post("/nslcm/v2/ns_instances/" + vnfB.nsId() + "/update");

        // Then it is refused with a ProblemDetails, no operation is opened, the VNFM is asked nothing
        refused.then().statusCode(422).contentType("application/problem+json");
        assertThat(refused.<String>path("detail")).contains("metadata.counters");
        EtsiSchemas.assertValid(refused.asString(), NSLCM, "ProblemDetails.schema.json");
        assertThat(opCount(alice, vnfB.nsId())).isEqualTo(ops);
        assertThat(taskRequests(vnfB.vnf())).isEmpty();
        assertThat(counters(alice, vnfB.nsId(), vnfB.vnf())).containsEntry("packets", 42);
    }

    @Test
    void anNsInstantiatedAgainShowsNoCountersOfTheVnfsItHadBefore() {
        // Given an NS whose VNF's counters were read, terminated
        String alice = Tokens.user("alice");
        Counted before = counted(alice, "counted-again", "nat-a", 9000, 1200000, 7);
        String nsId = before.nsId();
        awaitState(alice, start(alice, nsId, "terminate", Map.of()), "COMPLETED");
        assertThat(ns(alice, nsId).<String>path("nsState")).isEqualTo("NOT_INSTANTIATED");

        // When it is instantiated again, with new VNFs whose VNFM has no reading yet, for rounds
        awaitState(alice, start(alice, nsId, "instantiate", Map.of("nsFlavourId", "default")), "COMPLETED");
        String again = vnfsByProfile(alice, nsId).get("nat-a");
        int reads = indicatorReads(again);
        await().atMost(SOON).until(() -> indicatorReads(again) >= reads + 2);

        // Then the new VNF shows no counters: not those of the VNF the NS had before
        assertThat(again).isNotEqualTo(before.vnf());
        assertThat(counters(alice, nsId, again)).isNull();
    }

    /** Collects the log records of the counters' reader that name {@code vnf}. */
    private static Handler warningsAbout(String vnf, List<LogRecord> into) {
        return new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()
                        && String.valueOf(r.getLoggerName()).endsWith("VnfCountersReader")
                        && String.valueOf(formatted(r)).contains(vnf)) {
                    into.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    private static String formatted(LogRecord r) {
        return r.getParameters() == null ? r.getMessage() : String.format(r.getMessage(), r.getParameters());
    }
}
