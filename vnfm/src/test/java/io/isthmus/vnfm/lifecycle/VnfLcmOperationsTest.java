package io.isthmus.vnfm.lifecycle;

import static io.isthmus.sol.testing.EtsiSchemas.assertEachValid;
import static io.isthmus.sol.testing.EtsiSchemas.assertValid;
import static io.isthmus.vnfm.support.Sol003.LCM_API;
import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static io.isthmus.vnfm.support.Sol003.opState;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.vnfm.fakes.FakeNotificationSink;
import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Instantiate and terminate end to end through the API, against the fake nfvo, vim, slowpath and subscriber. */
@QuarkusTest
@WithTestResource(FakePeers.class)
class VnfLcmOperationsTest {

    private static final String SERVICE = Tokens.service();

    @BeforeEach
    void nfvoIsSubscribed() {
        // as the nfvo does on start: 201 the first time, 303 See Other afterwards
        int status = as(SERVICE)
                .body(Map.of("callbackUri", FakePeers.sink().callbackUri("nfvo"), "filter",
                        Map.of("notificationTypes", List.of("VnfLcmOperationOccurrenceNotification"))))
                .post(ROOT + "/subscriptions").statusCode();
        assertThat(status).isIn(201, 303);
    }

    private static void awaitState(String opId, String state) {
        await().atMost(30, SECONDS).untilAsserted(() -> assertThat(opState(SERVICE, opId)).isEqualTo(state));
    }

    @Test
    void instantiateCompletesWithVnfcsConfiguresTheSlowpathAndNotifies() {
        // Given a NAT instance of tenant acme
        String id = Sol003.createNat(SERVICE, "acme");

        // When the nfvo instantiates it with a NAT config
        String opId = Sol003.instantiate(SERVICE, id, "203.0.113.11");

        // Then the operation completes
        awaitState(opId, "COMPLETED");
        Response op = as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + opId);
        assertThat(op.<String>path("operation")).isEqualTo("INSTANTIATE");
        assertThat(op.<String>path("grantId")).isNotBlank();
        assertThat(op.<String>path("vnfInstanceId")).isEqualTo(id);
        assertValid(op.asString(), LCM_API, "vnfLcmOpOcc.schema.json");

        // and the grant asked for one compute resource per VDU instance, with the vnfm's token and version 1.4.0
        List<io.isthmus.vnfm.fakes.FakeNfvo.Received> grants = FakePeers.nfvo().grantRequestsFor(id);
        assertThat(grants).hasSize(1);
        JsonNode grant = grants.getFirst().body();
        assertThat(grants.getFirst().version()).isEqualTo("1.4.0");
        assertThat(grants.getFirst().authorization()).startsWith("Bearer ");
        assertThat(grant.path("operation").asText()).isEqualTo("INSTANTIATE");
        assertThat(grant.path("vnfLcmOpOccId").asText()).isEqualTo(opId);
        assertThat(grant.path("addResources").findValuesAsText("vduId")).containsExactlyInAnyOrder("slowpath",
                "fastpath", "fastpath");
        assertThat(grant.path("addResources").findValuesAsText("type")).containsOnly("COMPUTE");

        // and the vim was asked for one slowpath and two fastpaths of the VNFD's sizes
        List<JsonNode> allocations = FakePeers.vim().allocateRequestsFor(id);
        assertThat(allocations).hasSize(1);
        JsonNode allocation = allocations.getFirst();
        assertThat(allocation.path("id").asText()).isEqualTo("vnf-" + id);
        assertThat(allocation.path("vnfType").asText()).isEqualTo("nat");
        assertThat(allocation.path("tenantId").asText()).isEqualTo("acme");
        assertThat(allocation.path("components").toString()).isEqualTo("[{\"name\":\"slowpath\",\"role\":\"slowpath\","
                + "\"count\":1,\"vcpus\":1,\"memoryMb\":512},{\"name\":\"fastpath\",\"role\":\"fastpath\",\"count\":2,"
                + "\"vcpus\":1,\"memoryMb\":256}]");

        // and the slowpath received the NAT config
        assertThat(FakePeers.slowpath().configs())
                .anySatisfy(c -> assertThat(c.path("publicAddress").asText()).isEqualTo("203.0.113.11"));

        // and the instance is INSTANTIATED with its VNFCs as contracts.md says
        Response instance = as(SERVICE).get(ROOT + "/vnf_instances/" + id);
        assertThat(instance.<String>path("instantiationState")).isEqualTo("INSTANTIATED");
        assertThat(instance.<String>path("instantiatedVnfInfo.flavourId")).isEqualTo("default");
        assertThat(instance.<String>path("instantiatedVnfInfo.vnfState")).isEqualTo("STARTED");
        assertThat(instance.<List<String>>path("instantiatedVnfInfo.vnfcResourceInfo.id"))
                .containsExactly("slowpath-0", "fastpath-0", "fastpath-1");
        Map<String, Object> slowpath = instance.path("instantiatedVnfInfo.vnfcResourceInfo[0]");
        assertThat(slowpath).containsEntry("vduId", "slowpath");
        assertThat(instance.<Map<String, Object>>path("instantiatedVnfInfo.vnfcResourceInfo[0].computeResource"))
                .containsEntry("vimConnectionId", "local").containsEntry("vimLevelResourceType", "process")
                .containsKey("resourceId");
        assertThat(instance.<Map<String, Object>>path("instantiatedVnfInfo.vnfcResourceInfo[0].metadata"))
                .containsEntry("host", "127.0.0.1").containsEntry("configPort", FakePeers.slowpath().port())
                .containsKey("controlPort");
        assertThat(instance.<Map<String, Object>>path("instantiatedVnfInfo.vnfcResourceInfo[1].metadata"))
                .containsEntry("host", "127.0.0.1").containsKey("dataPort");
        assertThat(instance.<String>path("_links.terminate.href")).endsWith(id + "/terminate");
        assertValid(instance.asString(), LCM_API, "vnfInstance.schema.json");

        // and the subscriber heard START (STARTING, PROCESSING) then RESULT (COMPLETED), as SOL003 sends them
        await().atMost(15, SECONDS).untilAsserted(() -> assertThat(FakePeers.sink().forOperation(opId)).hasSize(3));
        List<FakeNotificationSink.Delivery> heard = FakePeers.sink().forOperation(opId);
        assertThat(heard).extracting(d -> d.body().path("notificationStatus").asText() + "/"
                + d.body().path("operationState").asText())
                .containsExactly("START/STARTING", "START/PROCESSING", "RESULT/COMPLETED");
        assertThat(heard).allSatisfy(d -> {
            assertThat(d.path()).isEqualTo("/callbacks/nfvo");
            assertThat(d.contentType()).startsWith("application/json");
            assertThat(d.version()).isEqualTo("2.0.0");
            assertThat(d.body().path("notificationType").asText()).isEqualTo("VnfLcmOperationOccurrenceNotification");
            assertThat(d.body().path("vnfInstanceId").asText()).isEqualTo(id);
            assertValid(d.raw(), LCM_API, "VnfLcmOperationOccurrenceNotification.schema.json");
        });
        assertThat(heard).extracting(d -> d.body().path("id").asText()).doesNotHaveDuplicates();
    }

    @Test
    void instantiateFailsTempWhenGrantIsRejected() {
        // Given an instance whose grants the nfvo refuses (quota)
        String id = Sol003.createNat(SERVICE, "acme");
        FakePeers.nfvo().refuseGrantsFor(id);

        // When it is instantiated
        String opId = Sol003.instantiate(SERVICE, id, "203.0.113.12");

        // Then the operation is FAILED_TEMP with the nfvo's reason, and nothing was allocated
        awaitState(opId, "FAILED_TEMP");
        Response op = as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + opId);
        assertThat(op.<Integer>path("error.status")).isEqualTo(403);
        assertThat(op.<String>path("error.detail")).contains("GRANT").contains("quota of tenant acme exceeded");
        assertThat(op.<String>path("_links.retry.href")).endsWith(opId + "/retry");
        assertThat(op.<String>path("_links.fail.href")).endsWith(opId + "/fail");
        assertValid(op.asString(), LCM_API, "vnfLcmOpOcc.schema.json");
        assertThat(FakePeers.vim().allocateRequestsFor(id)).isEmpty();
        assertThat(as(SERVICE).get(ROOT + "/vnf_instances/" + id).<String>path("instantiationState"))
                .isEqualTo("NOT_INSTANTIATED");
        // and the subscriber got the RESULT with the error
        await().atMost(15, SECONDS).untilAsserted(() -> assertThat(FakePeers.sink().forOperation(opId))
                .anySatisfy(d -> {
                    assertThat(d.body().path("notificationStatus").asText()).isEqualTo("RESULT");
                    assertThat(d.body().path("operationState").asText()).isEqualTo("FAILED_TEMP");
                    assertThat(d.body().path("error").path("status").asInt()).isEqualTo(403);
                }));

        // and while FAILED_TEMP the instance can neither be deleted nor instantiated again
        as(SERVICE).delete(ROOT + "/vnf_instances/" + id).then().statusCode(409);
        as(SERVICE).body(Map.of("flavourId", "default")).post(ROOT + "/vnf_instances/" + id + "/instantiate").then()
                .statusCode(409);

        // When the nfvo gives up on it (fail), then it is FAILED and the instance can go
        Response failed = as(SERVICE).post(ROOT + "/vnf_lcm_op_occs/" + opId + "/fail");
        failed.then().statusCode(200);
        assertThat(failed.<String>path("operationState")).isEqualTo("FAILED");
        as(SERVICE).delete(ROOT + "/vnf_instances/" + id).then().statusCode(204);
    }

    @Test
    void retryOfAFailedTempInstantiationResumesAtTheFailedStep() {
        // Given an instantiation FAILED_TEMP on a refused grant
        String id = Sol003.createNat(SERVICE, "acme");
        FakePeers.nfvo().refuseGrantsFor(id);
        String opId = Sol003.instantiate(SERVICE, id, "203.0.113.13");
        awaitState(opId, "FAILED_TEMP");

        // When the quota is raised and the operation retried
        FakePeers.nfvo().grantAgain(id);
        as(SERVICE).post(ROOT + "/vnf_lcm_op_occs/" + opId + "/retry").then().statusCode(202);

        // Then it completes, the error gone
        awaitState(opId, "COMPLETED");
        Response op = as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + opId);
        assertThat(op.<Object>path("error")).isNull();
        assertThat(FakePeers.nfvo().grantRequestsFor(id)).hasSize(2);
        assertThat(as(SERVICE).get(ROOT + "/vnf_instances/" + id).<String>path("instantiationState"))
                .isEqualTo("INSTANTIATED");
    }

    @Test
    void transientVimFailuresAreRetried() {
        // Given a vim that answers 503 twice
        String id = Sol003.createNat(SERVICE, "acme");
        FakePeers.vim().failNext(2);

        // When the instance is instantiated
        String opId = Sol003.instantiate(SERVICE, id, "203.0.113.14");

        // Then the allocation is tried again until it succeeds
        awaitState(opId, "COMPLETED");
        assertThat(FakePeers.vim().allocateRequestsFor(id)).hasSize(3);
    }

    @Test
    void instantiateFailsTempOnceTheRetriesAreSpent() {
        // Given a vim that keeps answering 503 (more times than the test profile's 3 attempts)
        String id = Sol003.createNat(SERVICE, "acme");
        FakePeers.vim().failNext(100);
        try {
            // When the instance is instantiated
            String opId = Sol003.instantiate(SERVICE, id, "203.0.113.15");

            // Then the operation stops at FAILED_TEMP after a bounded number of attempts
            awaitState(opId, "FAILED_TEMP");
            Response op = as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + opId);
            assertThat(op.<Integer>path("error.status")).isEqualTo(503);
            assertThat(op.<String>path("error.detail")).contains("ALLOCATE");
            assertThat(FakePeers.vim().allocateRequestsFor(id)).hasSize(3);
        } finally {
            FakePeers.vim().failNext(0);
        }
    }

    @Test
    void terminateReleasesTheAllocation() {
        // Given an instantiated NAT
        String id = Sol003.createNat(SERVICE, "acme");
        awaitState(Sol003.instantiate(SERVICE, id, "203.0.113.16"), "COMPLETED");

        // When it is terminated
        String opId = Sol003.terminate(SERVICE, id);

        // Then the vim releases its allocation and the instance is NOT_INSTANTIATED
        awaitState(opId, "COMPLETED");
        assertThat(FakePeers.vim().deleted()).contains("vnf-" + id);
        Response instance = as(SERVICE).get(ROOT + "/vnf_instances/" + id);
        assertThat(instance.<String>path("instantiationState")).isEqualTo("NOT_INSTANTIATED");
        assertThat(instance.<Object>path("instantiatedVnfInfo")).isNull();
        assertValid(instance.asString(), LCM_API, "vnfInstance.schema.json");
        Response op = as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + opId);
        assertThat(op.<String>path("operation")).isEqualTo("TERMINATE");
        assertThat(op.<String>path("operationParams.terminationType")).isEqualTo("FORCEFUL");

        // and it can now be deleted
        as(SERVICE).delete(ROOT + "/vnf_instances/" + id).then().statusCode(204);
    }

    @Test
    void secondOperationWhileOneRunsIs409() {
        // Given an instantiation held up at the vim
        String id = Sol003.createNat(SERVICE, "acme");
        FakePeers.vim().hold();
        try {
            String opId = Sol003.instantiate(SERVICE, id, "203.0.113.17");
            await().atMost(15, SECONDS).until(() -> !FakePeers.vim().allocateRequestsFor(id).isEmpty());
            assertThat(opState(SERVICE, opId)).isEqualTo("PROCESSING");

            // When another instantiate, a terminate and a delete arrive
            Response second = as(SERVICE).body(Map.of("flavourId", "default"))
                    .post(ROOT + "/vnf_instances/" + id + "/instantiate");

            // Then they are refused with 409 ProblemDetails
            second.then().statusCode(409).contentType("application/problem+json");
            assertThat(second.<String>path("detail")).contains(opId);
            assertValid(second.asString(), LCM_API, "ProblemDetails.schema.json");
            as(SERVICE).body(Map.of("terminationType", "FORCEFUL")).post(ROOT + "/vnf_instances/" + id + "/terminate")
                    .then().statusCode(409);
            as(SERVICE).delete(ROOT + "/vnf_instances/" + id).then().statusCode(409);

            // and the first completes once the vim answers
            FakePeers.vim().release();
            awaitState(opId, "COMPLETED");
        } finally {
            FakePeers.vim().release();
        }
        // and an instantiated instance cannot be instantiated again
        as(SERVICE).body(Map.of("flavourId", "default")).post(ROOT + "/vnf_instances/" + id + "/instantiate").then()
                .statusCode(409);
    }

    @Test
    void opOccsAreListedAndScopedByTenant() {
        // Given an operation on an acme instance
        String id = Sol003.createNat(SERVICE, "acme");
        String opId = Sol003.instantiate(SERVICE, id, "203.0.113.18");
        awaitState(opId, "COMPLETED");

        // Then alice (acme) sees it, bob (globex) does not
        // (with all_fields: the conformance schema wants operationParams, which a list leaves out by default)
        // (and without the operations of SOL003 v3.3.1 that the conformance schema, of v2.6.1, does not enumerate)
        Response all = as(Tokens.alice()).queryParam("all_fields", "")
                .queryParam("filter", "(nin,operation,CHANGE_VNFPKG,CREATE_SNAPSHOT,REVERT_TO_SNAPSHOT)")
                .get(ROOT + "/vnf_lcm_op_occs");
        assertThat(all.<List<String>>path("id")).contains(opId);
        assertEachValid(all.asString(), LCM_API, "vnfLcmOpOcc.schema.json");
        as(Tokens.alice()).get(ROOT + "/vnf_lcm_op_occs/" + opId).then().statusCode(200);
        as(Tokens.bob()).get(ROOT + "/vnf_lcm_op_occs/" + opId).then().statusCode(404);
        assertThat(as(Tokens.bob()).get(ROOT + "/vnf_lcm_op_occs").<List<String>>path("id")).doesNotContain(opId);
    }

    @Test
    void instantiateWithoutFlavourIs400AndUnknownInstanceIs404() {
        String id = Sol003.createNat(SERVICE, "acme");
        as(SERVICE).body(Map.of()).post(ROOT + "/vnf_instances/" + id + "/instantiate").then().statusCode(400);
        as(SERVICE).body(Map.of("flavourId", "default")).post(ROOT + "/vnf_instances/nope/instantiate").then()
                .statusCode(404).contentType("application/problem+json");
        as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/nope").then().statusCode(404)
                .contentType("application/problem+json");
    }
}
