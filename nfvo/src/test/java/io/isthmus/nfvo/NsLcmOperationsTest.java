package io.isthmus.nfvo;

import static io.isthmus.nfvo.NfvoApiTest.NSLCM;
import static io.isthmus.nfvo.NfvoApiTest.as;
import static io.isthmus.nfvo.NfvoApiTest.fake;
import static io.isthmus.nfvo.NfvoApiTest.get;
import static io.isthmus.nfvo.NfvoApiTest.onboardedNatPackage;
import static io.isthmus.nfvo.NfvoApiTest.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.isthmus.sol.testing.EtsiSchemas;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * SOL005 scale, heal, update, a terminate at a given time, and what a client does to an NS operation (retry,
 * continue, cancel), against the fake VNFM, which records what it was asked.
 */
@QuarkusTest
@QuarkusTestResource(value = FakePeers.class, restrictToAnnotatedClass = true)
class NsLcmOperationsTest {

    @RegisterExtension
    final NoErrorsLogged noErrors = new NoErrorsLogged();

    static final Duration SOON = Duration.ofSeconds(20);

    /** Two VNFs of one VNFD, and an NS scaling aspect that maps to the fastpath level of both. */
    static final String TWO_NATS = """
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                ns:
                  type: tosca.nodes.nfv.NS
                  properties: {descriptor_id: %s, designer: acme, version: '1.0', name: two NATs, invariant_id: %s}
                nat-a:
                  type: isthmus.nodes.nfv.Nat
                  properties: {descriptor_id: isthmus-nat-1.0}
                nat-b:
                  type: isthmus.nodes.nfv.Nat
                  properties: {descriptor_id: isthmus-nat-1.0}
              policies:
                - scaling:
                    type: tosca.policies.nfv.NsScalingAspects
                    properties:
                      aspects:
                        capacity: {name: capacity}
                - capacity_of_nat_a:
                    type: tosca.policies.nfv.VnfToLevelMapping
                    properties:
                      aspect: capacity
                      vnf_scale_levels: {small: {fastpath: 0}, large: {fastpath: 3}}
                    targets: [nat-a]
            """;

    static String instantiated(String token, String nsdId, String nsd) {
        onboardedNatPackage();
        String nsdInfoId = as(token).contentType(ContentType.JSON).body("{}").post("/nsd/v2/ns_descriptors").then()
                .statusCode(201).extract().path("id");
        as(token).contentType(ContentType.TEXT).body(nsd.formatted(nsdId, nsdId))
                .put("/nsd/v2/ns_descriptors/" + nsdInfoId + "/nsd_content").then().statusCode(202);
        String nsId = as(token).contentType(ContentType.JSON).body(Map.of("nsdId", nsdId, "nsName", "edge"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        awaitState(token, start(token, nsId, "instantiate", Map.of("nsFlavourId", "default")), "COMPLETED");
        return nsId;
    }

    static String instantiated(String token, String nsdId) {
        post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        return instantiated(token, nsdId, NfvoApiTest.NSD);
    }

    static String start(String token, String nsId, String task, Object body) {
        String location = as(token).contentType(ContentType.JSON).body(body)
                .post("/nslcm/v2/ns_instances/" + nsId + "/" + task).then().statusCode(202).extract()
                .header("Location");
        return location.substring(location.indexOf("/nslcm/"));
    }

    static JsonPath awaitState(String token, String opPath, String state) {
        await().atMost(SOON).pollInterval(Duration.ofMillis(100)).until(
                () -> state.equals(as(token).get(opPath).then().statusCode(200).extract().path("operationState")));
        return as(token).get(opPath).then().extract().jsonPath();
    }

    static List<String> vnfIds(String token, String nsId) {
        List<String> ids = as(token).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract()
                .path("vnfInstance.id");
        return ids == null ? List.of() : ids;
    }

    static List<Map<String, Object>> taskRequests(String vnfInstanceId) {
        List<Map<String, Object>> all = JsonPath.from(get(fake() + "/control/task-requests")).getList("$");
        return all.stream().filter(r -> ((String) r.get("call")).contains("/vnf_instances/" + vnfInstanceId))
                .toList();
    }

    static List<String> vnfmCalls() {
        return JsonPath.from(get(fake() + "/control/vnfm-calls")).getList("$");
    }

    static int opCount(String token, String nsId) {
        return as(token).queryParam("filter", "(eq,nsInstanceId," + nsId + ")").get("/nslcm/v2/ns_lcm_op_occs")
                .then().statusCode(200).extract().path("size()");
    }

    // --- no duplicate VNF across a lost answer or a crash ----------------------------------------------------------

    @Test
    void aVnfCreateWhoseAnswerWasLostMakesOneVnfWhenTheStepRunsAgain() {
        // Given a VNFM that creates the next VNF instance but whose answer never reaches the NFVO
        String alice = Tokens.user("alice");
        post(fake() + "/control/lose-next-creates", "1");

        // When the NS is instantiated: the create step fails, and runs again
        String nsId = instantiated(alice, "nat-gw-lost-create");

        // Then the VNFM made one VNF for it, handed back the second time, and the NS shows that one
        List<Map<String, Object>> created = JsonPath.from(get(fake() + "/control/created-vnfs")).getList("$");
        List<Map<String, Object>> ofNs = created.stream().filter(c -> nsId.equals(c.get("nsInstanceId"))).toList();
        assertThat(ofNs).hasSize(1);
        assertThat((String) ofNs.get(0).get("key")).startsWith("ns-" + nsId + "-");
        assertThat(vnfIds(alice, nsId)).containsExactly((String) ofNs.get(0).get("id"));
        long creates = vnfmCalls().stream().filter(c -> c.equals("POST /vnflcm/v2/vnf_instances")).count();
        assertThat(creates).isGreaterThanOrEqualTo(2);
    }

    // --- scale ------------------------------------------------------------------------------------------------------

    @Test
    void scalingAVnfOutSendsTheVnfmItsScaleAndTheNsShowsTheNewLevel() {
        String alice = Tokens.user("alice");
        String nsId = instantiated(alice, "nat-gw-scale-out");
        String vnf = vnfIds(alice, nsId).get(0);
        NfvoApiTest.subscribe(alice);

        String op = start(alice, nsId, "scale", Map.of("scaleType", "SCALE_VNF", "scaleVnfData",
                List.of(Map.of("vnfInstanceid", vnf, "scaleVnfType", "SCALE_OUT", "scaleByStepData",
                        Map.of("aspectId", "fastpath", "numberOfSteps", 2)))));

        JsonPath done = awaitState(alice, op, "COMPLETED");
        assertThat(done.getString("lcmOperationType")).isEqualTo("SCALE");
        EtsiSchemas.assertValid(as(alice).get(op).asString(), NSLCM, "NsLcmOpOcc.schema.json", "/operationParams");
        assertThat(taskRequests(vnf)).singleElement().satisfies(r -> {
            assertThat(r.get("call")).isEqualTo("POST /vnflcm/v2/vnf_instances/" + vnf + "/scale");
            assertThat(r.get("body")).isEqualTo(Map.of("type", "SCALE_OUT", "aspectId", "fastpath",
                    "numberOfSteps", 2));
        });
        await().atMost(SOON).untilAsserted(() -> as(alice).get("/nslcm/v2/ns_instances/" + nsId).then()
                .body("vnfInstance[0].instantiatedVnfInfo.scaleStatus[0].aspectId", equalTo("fastpath"))
                .body("vnfInstance[0].instantiatedVnfInfo.scaleStatus[0].scaleLevel", equalTo(2))
                .body("nsState", equalTo("INSTANTIATED")));
        EtsiSchemas.assertValid(as(alice).get("/nslcm/v2/ns_instances/" + nsId).asString(), NSLCM,
                "NsInstance.schema.json");
        // the tenant hears of it as of any NS operation
        await().atMost(SOON).untilAsserted(() -> assertThat(NfvoApiTest.notificationsFor(done.getString("id")))
                .extracting(n -> n.get("notificationStatus") + ":" + n.get("operationState") + ":"
                        + n.get("operation"))
                .containsExactly("START:PROCESSING:SCALE", "RESULT:COMPLETED:SCALE"));
        NfvoApiTest.notificationsFor(done.getString("id")).forEach(n -> EtsiSchemas.assertValid(
                NfvoApiTest.toJson(n), NSLCM, "NsLcmOperationOccurrenceNotification.schema.json"));
    }

    @Test
    void aVnfScaleWhoseAnswerWasLostIsAwaitedNotSentTwice() {
        // Given a VNFM that starts the next scale but whose answer never reaches the NFVO
        String alice = Tokens.user("alice");
        String nsId = instantiated(alice, "nat-gw-lost-scale");
        String vnf = vnfIds(alice, nsId).get(0);
        post(fake() + "/control/vnf-op-outcome", "PROCESSING");
        post(fake() + "/control/lose-next-task-answers", "1");
        try {
            // When the scale runs, and its step again: the VNFM refuses the second scale, one is running
            String op = start(alice, nsId, "scale", Map.of("scaleType", "SCALE_VNF", "scaleVnfData",
                    List.of(Map.of("vnfInstanceId", vnf, "scaleVnfType", "SCALE_OUT", "scaleByStepData",
                            Map.of("aspectId", "fastpath")))));
            await().atMost(SOON).until(() -> vnfmCalls().stream()
                    .filter(c -> c.equals("GET /vnflcm/v2/vnf_lcm_op_occs")).count() >= 1);
            post(fake() + "/control/complete-vnf-ops", "COMPLETED");

            // Then the NS operation awaited the scale the VNFM started, the one there is
            awaitState(alice, op, "COMPLETED");
            List<Map<String, Object>> ops = JsonPath.from(get(fake() + "/control/vnf-ops")).getList("$");
            assertThat(ops).filteredOn(o -> vnf.equals(o.get("vnfInstanceId")) && "SCALE".equals(o.get("operation")))
                    .hasSize(1);
            assertThat(vnfmCalls()).filteredOn(c -> c.equals("POST /vnflcm/v2/vnf_instances/" + vnf + "/scale"))
                    .hasSize(2);
        } finally {
            post(fake() + "/control/lose-next-task-answers", "0");
            post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        }
    }

    @Test
    void scalingToALevelSendsScaleToLevelWithTheLevelsAsked() {
        String alice = Tokens.user("alice");
        String nsId = instantiated(alice, "nat-gw-scale-level");
        String vnf = vnfIds(alice, nsId).get(0);

        awaitState(alice, start(alice, nsId, "scale", Map.of("scaleType", "SCALE_VNF", "scaleVnfData",
                List.of(Map.of("vnfInstanceId", vnf, "scaleVnfType", "SCALE_TO_SCALE_LEVEL(S)", "scaleToLevelData",
                        Map.of("vnfScaleInfo", List.of(Map.of("aspectId", "fastpath", "scaleLevel", 1))))))),
                "COMPLETED");

        assertThat(taskRequests(vnf)).singleElement().satisfies(r -> {
            assertThat(r.get("call")).isEqualTo("POST /vnflcm/v2/vnf_instances/" + vnf + "/scale_to_level");
            assertThat(r.get("body")).isEqualTo(
                    Map.of("scaleInfo", List.of(Map.of("aspectId", "fastpath", "scaleLevel", 1))));
        });
    }

    @Test
    void scalingTheNsToALevelOfItsAspectScalesTheVnfsTheNsdMapsIt() {
        String alice = Tokens.user("alice");
        post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        String nsId = instantiated(alice, "two-nats-scale-ns", TWO_NATS);
        Map<String, String> byProfile = vnfsByProfile(alice, nsId);

        awaitState(alice, start(alice, nsId, "scale", Map.of("scaleType", "SCALE_NS", "scaleNsData",
                Map.of("scaleNsToLevelData", Map.of("nsScaleInfo",
                        List.of(Map.of("nsScalingAspectId", "capacity", "nsScaleLevelId", "large")))))),
                "COMPLETED");

        assertThat(taskRequests(byProfile.get("nat-a"))).singleElement().satisfies(r -> assertThat(r.get("body"))
                .isEqualTo(Map.of("scaleInfo", List.of(Map.of("aspectId", "fastpath", "scaleLevel", 3)))));
        assertThat(taskRequests(byProfile.get("nat-b"))).isEmpty();
        // an aspect the NSD does not declare
        as(alice).contentType(ContentType.JSON).body(Map.of("scaleType", "SCALE_NS", "scaleNsData",
                Map.of("scaleNsToLevelData", Map.of("nsScaleInfo",
                        List.of(Map.of("nsScalingAspectId", "bandwidth", "nsScaleLevelId", "large"))))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/scale").then().statusCode(422)
                .body("detail", containsString("bandwidth"));
    }

    /** The NS view lists its VNFs in the order of their VNF profiles. */
    static Map<String, String> vnfsByProfile(String token, String nsId) {
        List<String> ids = vnfIds(token, nsId);
        assertThat(ids).hasSize(2);
        return Map.of("nat-a", ids.get(0), "nat-b", ids.get(1));
    }

    @Test
    void badScaleRequestsAreRefusedAndChangeNothing() {
        String alice = Tokens.user("alice");
        String nsId = instantiated(alice, "nat-gw-scale-bad");
        String vnf = vnfIds(alice, nsId).get(0);
        int opsBefore = opCount(alice, nsId);
        String url = "/nslcm/v2/ns_instances/" + nsId + "/scale";

        as(alice).contentType(ContentType.JSON).body("{}").post(url).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("scaleType"));
        as(alice).contentType(ContentType.JSON).body(Map.of("scaleType", "SCALE_VNF")).post(url).then()
                .statusCode(400).body("detail", containsString("scaleVnfData"));
        as(alice).contentType(ContentType.JSON).body(Map.of("scaleType", "SCALE_VNF", "scaleVnfData",
                List.of(Map.of("vnfInstanceId", vnf, "scaleVnfType", "SCALE_SIDEWAYS")))).post(url).then()
                .statusCode(400).body("detail", containsString("scaleVnfType"));
        as(alice).contentType(ContentType.JSON).body(Map.of("scaleType", "SCALE_VNF", "scaleVnfData",
                List.of(Map.of("vnfInstanceId", vnf, "scaleVnfType", "SCALE_OUT")))).post(url).then()
                .statusCode(400).body("detail", containsString("aspectId"));
        as(alice).contentType(ContentType.JSON).body(Map.of("scaleType", "SCALE_VNF", "scaleVnfData",
                List.of(Map.of("vnfInstanceId", "not-of-this-ns", "scaleVnfType", "SCALE_OUT", "scaleByStepData",
                        Map.of("aspectId", "fastpath")))))
                .post(url).then().statusCode(422)
                .body("detail", containsString("not-of-this-ns"));
        as(alice).contentType(ContentType.JSON).body(Map.of("scaleType", "SCALE_NS", "scaleNsData",
                Map.of("scaleNsByStepsData", Map.of("scalingDirection", "SCALE_OUT", "aspectId", "capacity"))))
                .post(url).then().statusCode(422).body("detail", containsString("capacity"));
        as(alice).contentType(ContentType.JSON).body(Map.of("scaleType", "SCALE_VNF", "scaleTime", "tomorrow",
                "scaleVnfData", List.of(Map.of("vnfInstanceId", vnf, "scaleVnfType", "SCALE_OUT", "scaleByStepData",
                        Map.of("aspectId", "fastpath")))))
                .post(url).then().statusCode(400)
                .body("detail", containsString("scaleTime"));
        as(alice).contentType(ContentType.JSON).body("{\"scaleType\": ").post(url).then().statusCode(400);

        // another tenant's NS does not exist for bob
        String bob = Tokens.user("bob");
        as(bob).contentType(ContentType.JSON).body(Map.of("scaleType", "SCALE_VNF", "scaleVnfData",
                List.of(Map.of("vnfInstanceId", vnf, "scaleVnfType", "SCALE_OUT", "scaleByStepData",
                        Map.of("aspectId", "fastpath")))))
                .post(url).then().statusCode(404);
        as(bob).contentType(ContentType.JSON).body(Map.of("healVnfData", List.of(Map.of("vnfInstanceId", vnf))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/heal").then().statusCode(404);
        as(bob).contentType(ContentType.JSON).body(Map.of("updateType", "REMOVE_VNF", "removeVnfInstanceId",
                List.of(vnf))).post("/nslcm/v2/ns_instances/" + nsId + "/update").then().statusCode(404);

        assertThat(opCount(alice, nsId)).isEqualTo(opsBefore);
        assertThat(taskRequests(vnf)).isEmpty();
        assertThat(vnfIds(alice, nsId)).containsExactly(vnf);
    }

    @Test
    void twentyParallelScalesOfOneNsStartOneOperation() throws Exception {
        String alice = Tokens.user("alice");
        String nsId = instantiated(alice, "nat-gw-scale-race");
        String vnf = vnfIds(alice, nsId).get(0);
        Map<String, Object> body = Map.of("scaleType", "SCALE_VNF", "scaleVnfData", List.of(Map.of("vnfInstanceId",
                vnf, "scaleVnfType", "SCALE_OUT", "scaleByStepData", Map.of("aspectId", "fastpath"))));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Integer> statuses = new ArrayList<>();
        // the winner's scale stays PROCESSING throughout: a scale after it completed would rightly be taken
        post(fake() + "/control/vnf-op-outcome", "PROCESSING");
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> replies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                replies.add(pool.submit(() -> {
                    go.await();
                    return as(alice).contentType(ContentType.JSON).body(body)
                            .post("/nslcm/v2/ns_instances/" + nsId + "/scale").statusCode();
                }));
            }
            go.countDown();
            for (Future<Integer> f : replies) {
                statuses.add(f.get());
            }
            assertThat(statuses).isSubsetOf(202, 409).filteredOn(s -> s == 202).hasSize(1);
            assertThat(opCount(alice, nsId)).isEqualTo(2); // the instantiation and one scale
            await().atMost(SOON).until(() -> taskRequests(vnf).size() == 1);
        } finally {
            pool.shutdownNow();
            post(fake() + "/control/vnf-op-outcome", "COMPLETED");
            post(fake() + "/control/complete-vnf-ops", "COMPLETED");
        }
    }

    // --- heal, and continuing past a VNF that failed ------------------------------------------------------------------

    @Test
    void aHealWhereOneOfTwoVnfsFailsStopsInFailedTempAndContinuedEndsPartiallyCompleted() {
        String alice = Tokens.user("alice");
        post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        String nsId = instantiated(alice, "two-nats-heal", TWO_NATS);
        List<String> vnfs = vnfIds(alice, nsId);
        post(fake() + "/control/failing-vnf", vnfs.get(1));

        String op = start(alice, nsId, "heal", Map.of("healVnfData", List.of(
                Map.of("vnfInstanceId", vnfs.get(0), "cause", "slow", "additionalParams",
                        Map.of("vnfcInstanceId", List.of("fastpath-1"))),
                Map.of("vnfInstanceId", vnfs.get(1), "cause", "dead", "additionalParams",
                        Map.of("healMode", "REPLACE")))));

        JsonPath failed = awaitState(alice, op, "FAILED_TEMP");
        assertThat(failed.getString("error.detail")).contains(vnfs.get(1)).doesNotContain(vnfs.get(0));
        assertThat(failed.getMap("_links")).containsKeys("retry", "continue", "fail").doesNotContainKeys("rollback",
                "cancel");
        EtsiSchemas.assertValid(as(alice).get(op).asString(), NSLCM, "NsLcmOpOcc.schema.json", "/operationParams");
        assertThat(taskRequests(vnfs.get(1))).singleElement().satisfies(r -> assertThat(r.get("body"))
                .isEqualTo(Map.of("cause", "dead", "additionalParams", Map.of("healMode", "REPLACE"))));
        // SOL005 names no VNFCs: the VNFCs named in additionalParams.vnfcInstanceId are the ones the VNFM heals
        assertThat(taskRequests(vnfs.get(0))).singleElement().satisfies(r -> assertThat(r.get("body"))
                .isEqualTo(Map.of("vnfcInstanceId", List.of("fastpath-1"), "cause", "slow", "additionalParams",
                        Map.of("vnfcInstanceId", List.of("fastpath-1")))));
        // neither an instantiation's rollback nor a second operation while it is open
        as(alice).post("/nslcm/v2/ns_lcm_op_occs/" + failed.getString("id") + "/rollback").then().statusCode(409);
        as(alice).contentType(ContentType.JSON).body(Map.of()).post("/nslcm/v2/ns_instances/" + nsId + "/terminate")
                .then().statusCode(409);

        as(alice).post("/nslcm/v2/ns_lcm_op_occs/" + failed.getString("id") + "/continue").then().statusCode(202);

        awaitState(alice, op, "PARTIALLY_COMPLETED");
        assertThat(vnfmCalls()).anyMatch(c -> c.matches("POST /vnflcm/v2/vnf_lcm_op_occs/[^/]+/fail"));
        // the v2.6.1 schema's enumeration lacks PARTIALLY_COMPLETED, which SOL005 v2.7.1 has (table 6.5.4.4-1)
        EtsiSchemas.assertValid(as(alice).get(op).asString(), NSLCM, "NsLcmOpOcc.schema.json", "/operationParams",
                "/operationState");
        as(alice).post("/nslcm/v2/ns_lcm_op_occs/" + failed.getString("id") + "/continue").then().statusCode(409);
    }

    @Test
    void aRetriedHealRetriesTheVnfOperationThatFailedAndCompletes() {
        String alice = Tokens.user("alice");
        String nsId = instantiated(alice, "nat-gw-heal-retry");
        String vnf = vnfIds(alice, nsId).get(0);
        post(fake() + "/control/failing-vnf", vnf);
        String op = start(alice, nsId, "heal", Map.of("healVnfData", List.of(Map.of("vnfInstanceId", vnf))));
        String opId = awaitState(alice, op, "FAILED_TEMP").getString("id");

        as(alice).post("/nslcm/v2/ns_lcm_op_occs/" + opId + "/retry").then().statusCode(202);

        awaitState(alice, op, "COMPLETED");
        assertThat(vnfmCalls()).anyMatch(c -> c.matches("POST /vnflcm/v2/vnf_lcm_op_occs/[^/]+/retry"));
        as(alice).post("/nslcm/v2/ns_lcm_op_occs/" + opId + "/retry").then().statusCode(409)
                .contentType("application/problem+json");
    }

    // --- update -----------------------------------------------------------------------------------------------------

    @Test
    void updatesReachEachVnfAsTheSol003RequestTheyStandFor() {
        String alice = Tokens.user("alice");
        String nsId = instantiated(alice, "nat-gw-update");
        String vnf = vnfIds(alice, nsId).get(0);

        awaitState(alice, start(alice, nsId, "update", Map.of("updateType", "MODIFY_VNF_INFORMATION",
                "modifyVnfInfoData", List.of(Map.of("vnfInstanceId", vnf, "vnfInstanceName", "renamed",
                        "metadata", Map.of("owner", "net"))))),
                "COMPLETED");
        awaitState(alice, start(alice, nsId, "update", Map.of("updateType", "OPERATE_VNF", "operateVnfData",
                List.of(Map.of("vnfInstanceId", vnf, "changeStateTo", "STOPPED", "stopType", "GRACEFUL",
                        "gracefulStopTimeout", 5)))),
                "COMPLETED");
        awaitState(alice, start(alice, nsId, "update", Map.of("updateType", "CHANGE_VNF_DF", "changeVnfFlavourData",
                List.of(Map.of("vnfInstanceId", vnf, "newFlavourId", "large")))), "COMPLETED");

        List<Map<String, Object>> requests = taskRequests(vnf);
        assertThat(requests).extracting(r -> r.get("call")).containsExactly(
                "PATCH /vnflcm/v2/vnf_instances/" + vnf, "POST /vnflcm/v2/vnf_instances/" + vnf + "/operate",
                "POST /vnflcm/v2/vnf_instances/" + vnf + "/change_flavour");
        assertThat((String) requests.get(0).get("contentType")).startsWith("application/merge-patch+json");
        assertThat(requests.get(0).get("body"))
                .isEqualTo(Map.of("vnfInstanceName", "renamed", "metadata", Map.of("owner", "net")));
        assertThat(requests.get(1).get("body"))
                .isEqualTo(Map.of("changeStateTo", "STOPPED", "stopType", "GRACEFUL", "gracefulStopTimeout", 5));
        assertThat(requests.get(2).get("body")).isEqualTo(Map.of("newFlavourId", "large"));

        // the NS's own mark on its VNFs is the platform's, and an update type this NFVO does not run is refused
        as(alice).contentType(ContentType.JSON).body(Map.of("updateType", "MODIFY_VNF_INFORMATION",
                "modifyVnfInfoData", List.of(Map.of("vnfInstanceId", vnf, "metadata", Map.of("nsInstanceId", "x")))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/update").then().statusCode(400);
        as(alice).contentType(ContentType.JSON).body(Map.of("updateType", "ADD_SAP"))
                .post("/nslcm/v2/ns_instances/" + nsId + "/update").then().statusCode(422);
        as(alice).contentType(ContentType.JSON).body(Map.of("updateType", "OPERATE_VNF", "operateVnfData",
                List.of(Map.of("vnfInstanceId", "nope", "changeStateTo", "STARTED"))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/update").then().statusCode(422);
    }

    @Test
    void aTenantsOwnVnfJoinsTheNsAndAVnfRemovedLeavesItAndTheVnfm() {
        String alice = Tokens.user("alice");
        String nsId = instantiated(alice, "nat-gw-add-remove");
        String original = vnfIds(alice, nsId).get(0);
        String own = RestAssured.given().body("acme").post(fake() + "/control/tenant-vnf").asString();
        String bobs = RestAssured.given().body("globex").post(fake() + "/control/tenant-vnf").asString();

        // bob's VNF cannot join alice's NS, and says nothing about itself
        as(alice).contentType(ContentType.JSON).body(Map.of("updateType", "ADD_VNF", "addVnfIstance",
                List.of(Map.of("vnfInstanceId", bobs, "vnfProfileId", "nat"))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/update").then().statusCode(422)
                .body("detail", containsString("of this tenant"));

        awaitState(alice, start(alice, nsId, "update", Map.of("updateType", "ADD_VNF", "addVnfIstance",
                List.of(Map.of("vnfInstanceId", own, "vnfProfileId", "nat")))), "COMPLETED");
        assertThat(vnfIds(alice, nsId)).containsExactlyInAnyOrder(original, own);
        assertThat(taskRequests(own)).singleElement().satisfies(r -> assertThat(r.get("body"))
                .isEqualTo(Map.of("metadata", Map.of("nsInstanceId", nsId))));

        awaitState(alice, start(alice, nsId, "update", Map.of("updateType", "REMOVE_VNF", "removeVnfInstanceId",
                List.of(original))), "COMPLETED");
        assertThat(vnfIds(alice, nsId)).containsExactly(own);
        assertThat(vnfmCalls()).contains("POST /vnflcm/v2/vnf_instances/" + original + "/terminate",
                "DELETE /vnflcm/v2/vnf_instances/" + original);
    }

    // --- a time to start, and cancel ----------------------------------------------------------------------------------

    @Test
    void aTerminationAtALaterTimeWaitsUntilThenAndSaysSo() {
        String alice = Tokens.user("alice");
        String nsId = instantiated(alice, "nat-gw-later");
        Instant at = Instant.now().plusSeconds(5);

        String op = start(alice, nsId, "terminate", Map.of("terminationTime", at.toString()));

        JsonPath waiting = as(alice).get(op).then().extract().jsonPath();
        assertThat(waiting.getString("operationState")).isEqualTo("PROCESSING");
        assertThat(waiting.getString("stateReason")).contains("waiting until " + at);
        assertThat(vnfmCalls()).doesNotContain("POST /vnflcm/v2/vnf_instances/" + vnfIds(alice, nsId).get(0)
                + "/terminate");
        awaitState(alice, op, "COMPLETED");
        as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().body("nsState", equalTo("NOT_INSTANTIATED"));
        assertThat(Instant.parse(as(alice).get(op).then().extract().<String>path("statusEnteredTime")))
                .isAfterOrEqualTo(at);
    }

    @Test
    void aScheduledTerminationCancelledBeforeItsTimeNeverTouchesTheVnfs() {
        String alice = Tokens.user("alice");
        String nsId = instantiated(alice, "nat-gw-later-cancelled");
        String vnf = vnfIds(alice, nsId).get(0);
        String op = start(alice, nsId, "terminate",
                Map.of("terminationTime", Instant.now().plusSeconds(3600).toString()));
        String opId = as(alice).get(op).then().extract().path("id");

        as(alice).contentType(ContentType.JSON).body(Map.of("cancelMode", "FORCEFUL"))
                .post("/nslcm/v2/ns_lcm_op_occs/" + opId + "/cancel").then().statusCode(202);
        String failedTemp = awaitState(alice, op, "FAILED_TEMP").getString("stateReason");
        as(alice).post("/nslcm/v2/ns_lcm_op_occs/" + opId + "/fail").then().statusCode(200)
                .body("operationState", equalTo("FAILED"));

        assertThat(failedTemp).contains("cancelled on request (FORCEFUL)");
        assertThat(vnfmCalls()).doesNotContain("POST /vnflcm/v2/vnf_instances/" + vnf + "/terminate");
        as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().body("nsState", equalTo("INSTANTIATED"))
                .body("vnfInstance[0].id", equalTo(vnf));
    }

    @Test
    void aCancelledScaleStopsInFailedTempCancelsItsVnfOperationAndCanBeRetried() {
        String alice = Tokens.user("alice");
        String nsId = instantiated(alice, "nat-gw-cancel");
        String vnf = vnfIds(alice, nsId).get(0);
        post(fake() + "/control/vnf-op-outcome", "PROCESSING");
        try {
            String op = start(alice, nsId, "scale", Map.of("scaleType", "SCALE_VNF", "scaleVnfData",
                    List.of(Map.of("vnfInstanceId", vnf, "scaleVnfType", "SCALE_IN", "scaleByStepData",
                            Map.of("aspectId", "fastpath")))));
            await().atMost(SOON).until(() -> taskRequests(vnf).size() == 1);
            String opId = as(alice).get(op).then().extract().path("id");
            as(alice).get(op).then().body("_links.cancel.href", containsString(opId + "/cancel"))
                    .body("_links.retry", org.hamcrest.Matchers.nullValue());

            as(alice).contentType(ContentType.JSON).body(Map.of("cancelMode", "SIDEWAYS"))
                    .post("/nslcm/v2/ns_lcm_op_occs/" + opId + "/cancel").then().statusCode(400);
            as(Tokens.user("bob")).contentType(ContentType.JSON).body(Map.of("cancelMode", "GRACEFUL"))
                    .post("/nslcm/v2/ns_lcm_op_occs/" + opId + "/cancel").then().statusCode(404);
            as(alice).contentType(ContentType.JSON).body(Map.of("cancelMode", "GRACEFUL"))
                    .post("/nslcm/v2/ns_lcm_op_occs/" + opId + "/cancel").then().statusCode(202);

            JsonPath cancelled = awaitState(alice, op, "FAILED_TEMP");
            assertThat(cancelled.getString("stateReason")).contains("cancelled").contains("GRACEFUL");
            assertThat(vnfmCalls()).anyMatch(c -> c.matches("POST /vnflcm/v2/vnf_lcm_op_occs/[^/]+/cancel"));
            as(alice).contentType(ContentType.JSON).body(Map.of("cancelMode", "FORCEFUL"))
                    .post("/nslcm/v2/ns_lcm_op_occs/" + opId + "/cancel").then().statusCode(409);

            // the VNF operation the cancel stopped runs again with the NS operation
            post(fake() + "/control/vnf-op-outcome", "COMPLETED");
            as(alice).post("/nslcm/v2/ns_lcm_op_occs/" + opId + "/retry").then().statusCode(202);
            awaitState(alice, op, "COMPLETED");
        } finally {
            post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        }
    }
}
