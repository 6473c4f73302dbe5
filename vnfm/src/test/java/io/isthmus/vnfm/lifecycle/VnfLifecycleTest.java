package io.isthmus.vnfm.lifecycle;

import static io.isthmus.sol.testing.EtsiSchemas.assertValid;
import static io.isthmus.vnfm.support.Sol003.LCM_API;
import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static io.isthmus.vnfm.support.Sol003.opState;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The VNF lifecycle beyond instantiate and terminate, through the API against the fake nfvo (serving the NAT's
 * package: aspect {@code fastpath}, levels small/default/large = 1/2/4 fastpaths), vim and slowpath: scale, scale to
 * level, heal, operate, PATCH, change_ext_conn, cancel, rollback, a vnfm dying mid-step, Idempotency-Key.
 */
@QuarkusTest
@WithTestResource(FakePeers.class)
class VnfLifecycleTest {

    private static final String SERVICE = Tokens.service();

    @Inject
    EntityManager em;

    private static void awaitState(String opId, String state) {
        await().atMost(30, SECONDS).untilAsserted(() -> assertThat(opState(SERVICE, opId)).isEqualTo(state));
    }

    private static String instantiated(String publicAddress) {
        String id = Sol003.createNat(SERVICE, "acme");
        awaitState(Sol003.instantiate(SERVICE, id, publicAddress), "COMPLETED");
        return id;
    }

    private static String started(Response response) {
        response.then().statusCode(202);
        return Sol003.lastSegment(response.header("Location"));
    }

    private static Response instance(String id) {
        return as(SERVICE).get(ROOT + "/vnf_instances/" + id);
    }

    private static List<String> fastpaths(Response instance) {
        return instance
                .<List<String>>path("instantiatedVnfInfo.vnfcResourceInfo.findAll { it.vduId == 'fastpath' }.id");
    }

    private static List<String> ingress(Response instance) {
        return instance.path("instantiatedVnfInfo.extCpInfo[0].metadata.ingress.endpoints.vnfcId");
    }

    private static int level(Response instance) {
        return instance.path("instantiatedVnfInfo.scaleStatus.find { it.aspectId == 'fastpath' }.scaleLevel");
    }

    @Test
    void scaleOutAndInFollowTheVnfdsLevelsGrantFirstAndPublishTheIngress() {
        // Given a NAT at its default level: two fastpaths, both in the ingress
        String id = instantiated("203.0.113.41");
        Response before = instance(id);
        assertThat(fastpaths(before)).containsExactly("fastpath-0", "fastpath-1");
        assertThat(ingress(before)).containsExactly("fastpath-0", "fastpath-1");
        assertThat(level(before)).isEqualTo(1);
        assertThat(before.<Integer>path("instantiatedVnfInfo.maxScaleLevels[0].scaleLevel")).isEqualTo(3);
        assertValid(before.asString(), LCM_API, "vnfInstance.schema.json");

        // When it is scaled out by one step
        String out = started(as(SERVICE).body(Map.of("type", "SCALE_OUT", "aspectId", "fastpath"))
                .post(ROOT + "/vnf_instances/" + id + "/scale"));
        awaitState(out, "COMPLETED");

        // Then a third fastpath runs, is in the ingress, and the level is 2; the grant asked for one fastpath
        Response scaledOut = instance(id);
        assertThat(fastpaths(scaledOut)).containsExactly("fastpath-0", "fastpath-1", "fastpath-2");
        assertThat(ingress(scaledOut)).containsExactly("fastpath-0", "fastpath-1", "fastpath-2");
        assertThat(level(scaledOut)).isEqualTo(2);
        JsonNode grant = FakePeers.nfvo().grantRequestsFor(id).getLast().body();
        assertThat(grant.path("operation").asText()).isEqualTo("SCALE");
        assertThat(grant.path("addResources").findValuesAsText("vduId")).containsExactly("fastpath");
        assertThat(FakePeers.vim().changes()).contains("resize fastpath 3 []");
        assertValid(scaledOut.asString(), LCM_API, "vnfInstance.schema.json");
        assertValid(as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + out).asString(), LCM_API,
                "vnfLcmOpOcc.schema.json");

        // When it is scaled in by two steps
        String in = started(as(SERVICE).body(Map.of("type", "SCALE_IN", "aspectId", "fastpath", "numberOfSteps", 2))
                .post(ROOT + "/vnf_instances/" + id + "/scale"));
        awaitState(in, "COMPLETED");

        // Then the two newest fastpaths are gone, granted as removals, and one is left in the ingress at level 0
        Response scaledIn = instance(id);
        assertThat(fastpaths(scaledIn)).containsExactly("fastpath-0");
        assertThat(ingress(scaledIn)).containsExactly("fastpath-0");
        assertThat(level(scaledIn)).isZero();
        assertThat(FakePeers.nfvo().grantRequestsFor(id).getLast().body().path("removeResources")
                .findValuesAsText("id")).containsExactlyInAnyOrder("fastpath-2", "fastpath-1");
        assertThat(FakePeers.vim().changes()).contains("resize fastpath 1 [2, 1]");
    }

    @Test
    void scaleBeyondTheVnfdsLevelsIs422AndChangesNothing() {
        String id = instantiated("203.0.113.42");
        int grants = FakePeers.nfvo().grantRequestsFor(id).size();

        Response tooFar = as(SERVICE).body(Map.of("type", "SCALE_OUT", "aspectId", "fastpath", "numberOfSteps", 3))
                .post(ROOT + "/vnf_instances/" + id + "/scale");
        tooFar.then().statusCode(422).contentType("application/problem+json");
        assertThat(tooFar.<String>path("detail")).contains("outside 0..3");
        as(SERVICE).body(Map.of("type", "SCALE_IN", "aspectId", "nosuch"))
                .post(ROOT + "/vnf_instances/" + id + "/scale").then().statusCode(422);
        as(SERVICE).body(Map.of("type", "SIDEWAYS", "aspectId", "fastpath"))
                .post(ROOT + "/vnf_instances/" + id + "/scale").then().statusCode(400);
        as(SERVICE).body(Map.of("instantiationLevelId", "huge"))
                .post(ROOT + "/vnf_instances/" + id + "/scale_to_level").then().statusCode(422);

        assertThat(fastpaths(instance(id))).hasSize(2);
        assertThat(FakePeers.nfvo().grantRequestsFor(id)).hasSize(grants);
        assertThat(as(SERVICE).get(ROOT + "/vnf_lcm_op_occs?filter=(eq,vnfInstanceId," + id + ")")
                .<List<String>>path("operation")).containsExactly("INSTANTIATE");
    }

    @Test
    void scaleToLevelByInstantiationLevelAndByScaleInfo() {
        String id = instantiated("203.0.113.43");

        awaitState(started(as(SERVICE).body(Map.of("instantiationLevelId", "large"))
                .post(ROOT + "/vnf_instances/" + id + "/scale_to_level")), "COMPLETED");
        assertThat(fastpaths(instance(id))).hasSize(4);
        assertThat(level(instance(id))).isEqualTo(3);

        awaitState(started(as(SERVICE).body(Map.of("scaleInfo", List.of(Map.of("aspectId", "fastpath", "scaleLevel",
                0)))).post(ROOT + "/vnf_instances/" + id + "/scale_to_level")), "COMPLETED");
        assertThat(fastpaths(instance(id))).containsExactly("fastpath-0");
        assertThat(level(instance(id))).isZero();
    }

    @Test
    void twentyParallelScalesOfOneInstanceStartOneOperation() throws Exception {
        String id = instantiated("203.0.113.44");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        FakePeers.vim().hold();
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(() -> as(SERVICE).body(Map.of("type", "SCALE_OUT", "aspectId", "fastpath"))
                        .post(ROOT + "/vnf_instances/" + id + "/scale").statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnly(202, 409);
            assertThat(statuses.stream().filter(s -> s == 202)).hasSize(1);
        } finally {
            FakePeers.vim().release();
            pool.shutdownNow();
        }
        await().atMost(30, SECONDS).untilAsserted(() -> assertThat(level(instance(id))).isEqualTo(2));
        assertThat(fastpaths(instance(id))).hasSize(3);
    }

    @Test
    void healRestartsTheNamedVnfcsAndRefusesUnknownOnes() {
        String id = instantiated("203.0.113.45");
        Object pidBefore = instance(id).path(
                "instantiatedVnfInfo.vnfcResourceInfo.find { it.id == 'fastpath-1' }.computeResource.resourceId");

        as(SERVICE).body(Map.of("vnfcInstanceId", List.of("fastpath-9")))
                .post(ROOT + "/vnf_instances/" + id + "/heal").then().statusCode(422);
        awaitState(started(as(SERVICE).body(Map.of("vnfcInstanceId", List.of("fastpath-1"), "cause", "test"))
                .post(ROOT + "/vnf_instances/" + id + "/heal")), "COMPLETED");

        assertThat(FakePeers.vim().changes()).contains("restart fastpath 1 RESTART");
        Response healed = instance(id);
        assertThat(healed.<Object>path(
                "instantiatedVnfInfo.vnfcResourceInfo.find { it.id == 'fastpath-1' }.computeResource.resourceId"))
                .isNotEqualTo(pidBefore);
        assertThat(ingress(healed)).containsExactly("fastpath-0", "fastpath-1");
    }

    @Test
    void operateStopsAndStartsTheVnfAndTheIngressFollows() {
        String id = instantiated("203.0.113.46");

        awaitState(started(as(SERVICE).body(Map.of("changeStateTo", "STOPPED", "stopType", "FORCEFUL"))
                .post(ROOT + "/vnf_instances/" + id + "/operate")), "COMPLETED");
        assertThat(instance(id).<String>path("instantiatedVnfInfo.vnfState")).isEqualTo("STOPPED");
        assertThat(ingress(instance(id))).isEmpty();
        as(SERVICE).body(Map.of("changeStateTo", "STOPPED")).post(ROOT + "/vnf_instances/" + id + "/operate").then()
                .statusCode(409);

        awaitState(started(as(SERVICE).body(Map.of("changeStateTo", "STARTED"))
                .post(ROOT + "/vnf_instances/" + id + "/operate")), "COMPLETED");
        assertThat(instance(id).<String>path("instantiatedVnfInfo.vnfState")).isEqualTo("STARTED");
        assertThat(ingress(instance(id))).containsExactly("fastpath-0", "fastpath-1");
        assertThat(FakePeers.vim().changes()).contains("operate STOPPED", "operate STARTED");
    }

    @Test
    void patchChangesTheInformationAndAppliesTheConfigurationLive() {
        String id = instantiated("203.0.113.47");

        Response bad = as(SERVICE).contentType("application/merge-patch+json")
                .body(Map.of("vnfConfigurableProperties", Map.of("portRangeStart", "many")))
                .patch(ROOT + "/vnf_instances/" + id);
        bad.then().statusCode(422);
        assertThat(bad.<String>path("detail")).contains("vnfConfigurableProperties");

        String op = started(as(SERVICE).contentType("application/merge-patch+json")
                .body(Map.of("vnfInstanceName", "renamed", "metadata", Map.of("owner", "ops"),
                        "vnfConfigurableProperties", Map.of("publicAddress", "203.0.113.147")))
                .patch(ROOT + "/vnf_instances/" + id));
        awaitState(op, "COMPLETED");

        Response after = instance(id);
        assertThat(after.<String>path("vnfInstanceName")).isEqualTo("renamed");
        assertThat(after.<String>path("metadata.owner")).isEqualTo("ops");
        assertThat(after.<String>path("metadata.tenant")).isEqualTo("acme");
        assertThat(after.<String>path("vnfConfigurableProperties.publicAddress")).isEqualTo("203.0.113.147");
        assertThat(after.<Integer>path("vnfConfigurableProperties.portRangeStart")).isEqualTo(20000);
        assertThat(FakePeers.slowpath().configs())
                .anySatisfy(c -> assertThat(c.path("publicAddress").asText()).isEqualTo("203.0.113.147"));
        assertThat(as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + op).<String>path("operation"))
                .isEqualTo("MODIFY_INFO");
    }

    @Test
    void changeExtConnSendsTheNewNextHopsToTheSlowpath() {
        String id = instantiated("203.0.113.48");
        awaitState(started(as(SERVICE).body(Map.of("additionalParams", Map.of("insideNextHop", "127.0.0.1:40102")))
                .post(ROOT + "/vnf_instances/" + id + "/change_ext_conn")), "COMPLETED");
        assertThat(FakePeers.slowpath().configs())
                .anySatisfy(c -> assertThat(c.path("insideNextHop").asText()).isEqualTo("127.0.0.1:40102"));
        assertThat(instance(id).<String>path("vnfConfigurableProperties.insideNextHop"))
                .isEqualTo("127.0.0.1:40102");
    }

    @Test
    void cancelStopsAtTheNextStepAndRollbackReleasesWhatWasAllocated() {
        String id = Sol003.createNat(SERVICE, "acme");
        FakePeers.vim().hold();
        String opId;
        try {
            opId = Sol003.instantiate(SERVICE, id, "203.0.113.49");
            await().atMost(15, SECONDS).until(() -> !FakePeers.vim().allocateRequestsFor(id).isEmpty());

            as(SERVICE).body(Map.of("cancelMode", "GRACEFUL")).post(ROOT + "/vnf_lcm_op_occs/" + opId + "/cancel")
                    .then().statusCode(202);
            assertThat(as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + opId).<Boolean>path("isCancelPending")).isTrue();
        } finally {
            FakePeers.vim().release();
        }
        awaitState(opId, "FAILED_TEMP");
        Response cancelled = as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + opId);
        assertThat(cancelled.<String>path("error.detail")).contains("cancelled");
        assertThat(cancelled.<Boolean>path("isCancelPending")).isFalse();
        assertThat(cancelled.<String>path("_links.rollback.href")).endsWith(opId + "/rollback");
        assertValid(cancelled.asString(), LCM_API, "vnfLcmOpOcc.schema.json");

        as(SERVICE).post(ROOT + "/vnf_lcm_op_occs/" + opId + "/rollback").then().statusCode(202);
        awaitState(opId, "ROLLED_BACK");
        assertThat(FakePeers.vim().deleted()).contains("vnf-" + id);
        assertThat(FakePeers.vim().holds("vnf-" + id)).isFalse();
        assertThat(instance(id).<String>path("instantiationState")).isEqualTo("NOT_INSTANTIATED");
        as(SERVICE).post(ROOT + "/vnf_lcm_op_occs/" + opId + "/rollback").then().statusCode(409);
        as(SERVICE).delete(ROOT + "/vnf_instances/" + id).then().statusCode(204);
    }

    @Test
    void aStepWhoseVnfmDiedIsFailedTempThenRetriedToCompletion() {
        // Given an instantiation whose ALLOCATE is in flight
        String id = Sol003.createNat(SERVICE, "acme");
        FakePeers.vim().hold();
        String opId;
        try {
            opId = Sol003.instantiate(SERVICE, id, "203.0.113.50");
            await().atMost(15, SECONDS).until(() -> !FakePeers.vim().allocateRequestsFor(id).isEmpty());

            // When the vnfm holding it is gone: its lease is another process's, and ran out
            String op = opId;
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update vnf_lcm_op_occ"
                    + " set lease_owner = 'vnfm-that-died', lease_until = :past where id = :id")
                    .setParameter("past", Instant.now().minusSeconds(1)).setParameter("id", op).executeUpdate());
            // and the call it was making returns: its outcome is not this vnfm's to journal any more
            FakePeers.vim().release();

            // Then the operation goes FAILED_TEMP saying which step was interrupted
            awaitState(opId, "FAILED_TEMP");
        } finally {
            FakePeers.vim().release();
        }
        Response failed = as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + opId);
        assertThat(failed.<String>path("error.detail")).contains("ALLOCATE", "interrupted");

        // and retry runs ALLOCATE again (the same allocation) and completes
        as(SERVICE).post(ROOT + "/vnf_lcm_op_occs/" + opId + "/retry").then().statusCode(202);
        awaitState(opId, "COMPLETED");
        assertThat(FakePeers.vim().allocateRequestsFor(id)).extracting(r -> r.path("id").asText())
                .containsOnly("vnf-" + id);
        assertThat(fastpaths(instance(id))).hasSize(2);
    }

    @Test
    void aTaskRepeatedWithItsIdempotencyKeyGetsTheOperationItOpened() {
        String id = instantiated("203.0.113.51");
        Map<String, Object> scaleOut = Map.of("type", "SCALE_OUT", "aspectId", "fastpath");
        Response first = as(SERVICE).header("Idempotency-Key", "ns-op-1-member-1-SCALE").body(scaleOut)
                .post(ROOT + "/vnf_instances/" + id + "/scale");
        String opId = started(first);
        awaitState(opId, "COMPLETED");

        // the same request again, after the operation completed: the same operation, not a second scale out
        Response again = as(SERVICE).header("Idempotency-Key", "ns-op-1-member-1-SCALE").body(scaleOut)
                .post(ROOT + "/vnf_instances/" + id + "/scale");
        assertThat(started(again)).isEqualTo(opId);
        assertThat(level(instance(id))).isEqualTo(2);
        assertThat(fastpaths(instance(id))).hasSize(3);

        // the key reused for another operation is refused
        as(SERVICE).header("Idempotency-Key", "ns-op-1-member-1-SCALE").body(Map.of("changeStateTo", "STOPPED"))
                .post(ROOT + "/vnf_instances/" + id + "/operate").then().statusCode(422)
                .contentType("application/problem+json");
    }

    @Test
    void aCreateRepeatedWithItsIdempotencyKeyGetsTheSameInstance() {
        String key = "ns-" + UUID.randomUUID() + "-member-1";
        Map<String, Object> body = Map.of("vnfdId", io.isthmus.vnfm.fakes.FakeNfvo.VNFD_ID, "metadata",
                Map.of("tenant", "acme"));
        String first = as(SERVICE).header("Idempotency-Key", key).body(body).post(ROOT + "/vnf_instances").then()
                .statusCode(201).extract().path("id");
        String again = as(SERVICE).header("Idempotency-Key", key).body(body).post(ROOT + "/vnf_instances").then()
                .statusCode(201).extract().path("id");
        String otherTenant = as(SERVICE).header("Idempotency-Key", key)
                .body(Map.of("vnfdId", io.isthmus.vnfm.fakes.FakeNfvo.VNFD_ID, "metadata", Map.of("tenant", "globex")))
                .post(ROOT + "/vnf_instances").then().statusCode(201).extract().path("id");
        String withoutKey = as(SERVICE).body(body).post(ROOT + "/vnf_instances").then().statusCode(201).extract()
                .path("id");

        assertThat(again).isEqualTo(first);
        assertThat(otherTenant).isNotEqualTo(first);
        assertThat(withoutKey).isNotEqualTo(first);
    }
}
