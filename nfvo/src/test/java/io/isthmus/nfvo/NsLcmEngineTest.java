package io.isthmus.nfvo;

import static io.isthmus.nfvo.NfvoApiTest.as;
import static io.isthmus.nfvo.NfvoApiTest.fake;
import static io.isthmus.nfvo.NfvoApiTest.get;
import static io.isthmus.nfvo.NfvoApiTest.onboardedNsd;
import static io.isthmus.nfvo.NfvoApiTest.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The NS LCM engine with its timer and its VNF poll interval set to an hour: whatever advances here was woken by the
 * commit that gave the engine work (a request, a VNF notification), not by the timer.
 */
@QuarkusTest
@TestProfile(NsLcmEngineTest.TimerOff.class)
@QuarkusTestResource(value = FakePeers.class, restrictToAnnotatedClass = true)
class NsLcmEngineTest {

    public static class TimerOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("isthmus.nfvo.engine-every", "1h", "isthmus.nfvo.vnf-poll-interval", "PT1H");
        }
    }

    static final Duration QUICKLY = Duration.ofSeconds(5);

    @RegisterExtension
    final NoErrorsLogged noErrors = new NoErrorsLogged();

    static String createNs(String token, String nsdId) {
        onboardedNsd(token, nsdId);
        return as(token).contentType(ContentType.JSON).body(Map.of("nsdId", nsdId, "nsName", "edge"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
    }

    static String start(String token, String nsId, String task, Object body) {
        String location = as(token).contentType(ContentType.JSON).body(body)
                .post("/nslcm/v2/ns_instances/" + nsId + "/" + task).then().statusCode(202).extract()
                .header("Location");
        return location.substring(location.indexOf("/nslcm/"));
    }

    static void awaitState(String token, String opPath, String state, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(50)).until(
                () -> state.equals(as(token).get(opPath).then().statusCode(200).extract().path("operationState")));
    }

    /** An NS whose instantiation COMPLETED, quickly. */
    static String instantiatedNs(String token, String nsdId) {
        post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        String nsId = createNs(token, nsdId);
        awaitState(token, start(token, nsId, "instantiate", Map.of("nsFlavourId", "default")), "COMPLETED", QUICKLY);
        return nsId;
    }

    static long vnfInstanceReads() {
        List<String> calls = JsonPath.from(get(fake() + "/control/vnfm-calls")).getList("$");
        return calls.stream().filter(c -> c.matches("GET /vnflcm/v2/vnf_instances/[^/]+")).count();
    }

    @Test
    void nsOperationsAdvanceAsSoonAsTheyAreCommittedWithoutWaitingForTheTimer() {
        String alice = Tokens.user("alice");
        post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        String nsId = createNs(alice, "nat-gw-event-driven");

        awaitState(alice, start(alice, nsId, "instantiate", Map.of("nsFlavourId", "default")), "COMPLETED", QUICKLY);
        as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().body("nsState", equalTo("INSTANTIATED"));
        awaitState(alice, start(alice, nsId, "terminate", Map.of()), "COMPLETED", QUICKLY);

        as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().body("nsState", equalTo("NOT_INSTANTIATED"))
                .body("vnfInstance", org.hamcrest.Matchers.nullValue());
        as(alice).delete("/nslcm/v2/ns_instances/" + nsId).then().statusCode(204);
    }

    @Test
    void aVnfNotificationWakesTheNsOperationWaitingForThatVnf() {
        String alice = Tokens.user("alice");
        post(fake() + "/control/vnf-op-outcome", "PROCESSING");
        try {
            String nsId = createNs(alice, "nat-gw-notified");
            String op = start(alice, nsId, "instantiate", Map.of("nsFlavourId", "default"));
            await().atMost(QUICKLY).until(() -> as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().extract()
                    .path("vnfInstance[0].id") != null);
            String vnfInstanceId = as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().extract()
                    .path("vnfInstance[0].id");
            assertThat(as(alice).get(op).then().extract().<String>path("operationState")).isEqualTo("PROCESSING");

            post(fake() + "/control/complete-vnf-ops", "COMPLETED");
            notifyVnfChanged(vnfInstanceId);

            awaitState(alice, op, "COMPLETED", QUICKLY);
        } finally {
            post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        }
    }

    @Test
    void theNsViewShowsTheVnfsFromTheNfvosOwnRecordsWithoutAskingTheVnfm() {
        String alice = Tokens.user("alice");
        String nsId = instantiatedNs(alice, "nat-gw-view");
        long readsBefore = vnfInstanceReads();

        for (int i = 0; i < 3; i++) {
            as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200)
                    .body("vnfInstance.size()", equalTo(1))
                    .body("vnfInstance[0].instantiationState", equalTo("INSTANTIATED"))
                    .body("vnfInstance[0].vnfdId", equalTo("isthmus-nat-1.0"));
            as(alice).get("/nslcm/v2/ns_instances").then().statusCode(200);
        }

        assertThat(vnfInstanceReads()).isEqualTo(readsBefore);
    }

    @Test
    void aSecondOperationOnTheSameNsIsAConflict() {
        String alice = Tokens.user("alice");
        post(fake() + "/control/vnf-op-outcome", "PROCESSING");
        try {
            String nsId = createNs(alice, "nat-gw-busy");
            start(alice, nsId, "instantiate", Map.of("nsFlavourId", "default"));
            as(alice).contentType(ContentType.JSON).body(Map.of("nsFlavourId", "default"))
                    .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.containsString("PROCESSING"));
            as(alice).contentType(ContentType.JSON).body(Map.of()).post("/nslcm/v2/ns_instances/" + nsId + "/terminate")
                    .then().statusCode(409).body("detail", org.hamcrest.Matchers.containsString("NOT_INSTANTIATED"));
            as(alice).delete("/nslcm/v2/ns_instances/" + nsId).then().statusCode(409);
        } finally {
            post(fake() + "/control/vnf-op-outcome", "COMPLETED");
            post(fake() + "/control/complete-vnf-ops", "COMPLETED");
        }
    }

    @Test
    void aVnfNotificationRefreshesTheVnfInstanceTheNsViewShows() {
        String alice = Tokens.user("alice");
        String nsId = instantiatedNs(alice, "nat-gw-refreshed");
        String vnfInstanceId = as(alice).get("/nslcm/v2/ns_instances/" + nsId).then()
                .body("vnfInstance[0].instantiationState", equalTo("INSTANTIATED")).extract()
                .path("vnfInstance[0].id");
        try {
            // Given the VNF changed on the VNFM behind the NFVO's back
            post(fake() + "/control/vnf-instance-state", "NOT_INSTANTIATED");
            as(alice).get("/nslcm/v2/ns_instances/" + nsId).then()
                    .body("vnfInstance[0].instantiationState", equalTo("INSTANTIATED"));

            // When the VNFM notifies it
            notifyVnfChanged(vnfInstanceId);

            // Then the view shows it, still without a call to the VNFM per GET
            await().atMost(QUICKLY).pollInterval(Duration.ofMillis(50))
                    .until(() -> "NOT_INSTANTIATED".equals(as(alice).get("/nslcm/v2/ns_instances/" + nsId).then()
                            .extract().path("vnfInstance[0].instantiationState")));
        } finally {
            post(fake() + "/control/vnf-instance-state", "INSTANTIATED");
        }
    }

    @Test
    void aForgedVnfNotificationOnlyNudgesARereadAndItsBodyIsNotTrusted() {
        // Given an instantiated NS whose VNF the VNFM says is INSTANTIATED
        String alice = Tokens.user("alice");
        String nsId = instantiatedNs(alice, "nat-gw-forged");
        String vnfInstanceId = as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().extract()
                .path("vnfInstance[0].id");
        int opsBefore = as(alice).get("/nslcm/v2/ns_lcm_op_occs").then().extract().path("size()");

        // When anyone forges notifications: one that claims the VNF's operation FAILED, one of an unknown instance
        given().contentType(ContentType.JSON)
                .body(Map.of("id", java.util.UUID.randomUUID().toString(), "notificationType",
                        "VnfLcmOperationOccurrenceNotification", "notificationStatus", "RESULT", "operationState",
                        "FAILED", "vnfInstanceId", vnfInstanceId, "operation", "TERMINATE", "vnfLcmOpOccId",
                        "forged", "error", Map.of("status", 500, "detail", "forged")))
                .post("/callbacks/v2/vnflcm").then().statusCode(204);
        notifyVnfChanged("no-such-vnf-instance");

        // Then the NFVO re-read the VNF from the VNFM and believes what the VNFM says, not the body
        await().during(Duration.ofSeconds(1)).atMost(QUICKLY.plusSeconds(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    var ns = as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().extract();
                    return "INSTANTIATED".equals(ns.path("nsState"))
                            && "INSTANTIATED".equals(ns.path("vnfInstance[0].instantiationState"));
                });
        as(alice).get("/nslcm/v2/ns_lcm_op_occs").then().body("size()", equalTo(opsBefore));
    }

    static void notifyVnfChanged(String vnfInstanceId) {
        given().contentType(ContentType.JSON)
                .body(Map.of("id", java.util.UUID.randomUUID().toString(), "notificationType",
                        "VnfLcmOperationOccurrenceNotification", "notificationStatus", "RESULT", "operationState",
                        "COMPLETED", "vnfInstanceId", vnfInstanceId, "operation", "INSTANTIATE", "vnfLcmOpOccId",
                        "any"))
                .post("/callbacks/v2/vnflcm").then().statusCode(204);
    }

    private static io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given().header("Version", "2.0.0");
    }
}
