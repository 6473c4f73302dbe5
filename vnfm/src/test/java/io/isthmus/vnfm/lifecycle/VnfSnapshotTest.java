package io.isthmus.vnfm.lifecycle;

import static io.isthmus.sol.testing.EtsiSchemas.assertValid;
import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static io.isthmus.vnfm.support.Sol003.opState;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.vnfm.fakes.FakeNfvo;
import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.fakes.FakeVim;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * VNF snapshots (SOL003 clauses 5.4.21–5.4.24) against the fake slowpath's {@code GET/PUT /snapshot}: an empty
 * snapshot resource, create_snapshot filling it with the slowpath's config and state and the instance as it was,
 * revert_to_snapshot giving the slowpath that body back, and the refusals.
 * <p>
 * Responses are checked against {@code VnfSnapshotInfo.schema.json}, cut out of the SOL003 v3.3.1 OpenAPI (the
 * NFV-TST 010 schemas have none), less its known defects ({@link #SCHEMA_BUGS}): {@code vnfSnapshot} requires
 * {@code triggeredAt} and {@code vnfInfo}, which are not among its properties (table 5.5.2.23-1 has
 * {@code creationStartedAt} and {@code vnfInstance}); a VNFC snapshot requires {@code triggeredAt} and
 * {@code vnfcResourceId} (table 5.5.3.19-1: {@code creationStartedAt}, {@code vnfcResourceInfoId}); an external CP
 * requires one of two attributes both 0..1 in table 5.5.3.25-1, and {@code ipOverEthernet} one of {@code addresses} /
 * {@code addressRange}, which live inside its {@code ipAddresses}.
 */
@QuarkusTest
@WithTestResource(FakePeers.class)
class VnfSnapshotTest {

    static final String SNAPSHOT_API = "SOL003/VNFLifecycleManagement-API-v3.3.1";
    static final String[] SCHEMA_BUGS = {"/vnfSnapshot", "/vnfSnapshot/vnfcSnapshots/0",
            "/vnfSnapshot/vnfInstance/instantiatedVnfInfo/extCpInfo/0",
            "/vnfSnapshot/vnfInstance/instantiatedVnfInfo/extCpInfo/1",
            "/vnfSnapshot/vnfInstance/instantiatedVnfInfo/extCpInfo/0/cpProtocolInfo/0/ipOverEthernet",
            "/vnfSnapshot/vnfInstance/instantiatedVnfInfo/extCpInfo/1/cpProtocolInfo/0/ipOverEthernet"};
    private static final String SERVICE = Tokens.service();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static void awaitState(String token, String opId, String state) {
        await().atMost(30, SECONDS).untilAsserted(() -> assertThat(opState(token, opId)).isEqualTo(state));
    }

    private static String instantiated(String token, String publicAddress) {
        String id = as(token).body(Map.of("vnfdId", FakeNfvo.VNFD_ID, "vnfInstanceName", "nat"))
                .post(ROOT + "/vnf_instances").then().statusCode(201).extract().path("id");
        awaitState(token, Sol003.instantiate(token, id, publicAddress), "COMPLETED");
        return id;
    }

    private static String emptySnapshot(String token) {
        Response created = as(token).body(Map.of()).post(ROOT + "/vnf_snapshots");
        created.then().statusCode(201);
        assertThat(created.header("Location")).endsWith("/vnf_snapshots/" + created.path("id"));
        return created.path("id");
    }

    private static String started(Response response) {
        response.then().statusCode(202);
        return Sol003.lastSegment(response.header("Location"));
    }

    private static Response createSnapshot(String token, String instanceId, String snapshotId) {
        return as(token).body(Map.of("vnfSnapshotInfoId", snapshotId))
                .post(ROOT + "/vnf_instances/" + instanceId + "/create_snapshot");
    }

    private static Response revert(String token, String instanceId, String snapshotId) {
        return as(token).body(Map.of("vnfSnapshotInfoId", snapshotId))
                .post(ROOT + "/vnf_instances/" + instanceId + "/revert_to_snapshot");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSnapshotTakenIsGivenBackToTheSlowpathAsItWasTaken() throws Exception {
        String alice = Tokens.alice();
        // Given a NAT whose slowpath holds bindings
        String id = instantiated(alice, "203.0.113.81");
        FakePeers.slowpath().state(JSON.readTree("{\"bindings\":[{\"inside\":\"10.0.0.1:40000\",\"public\":20081}]}"));
        Response before = as(alice).get(ROOT + "/vnf_instances/" + id);
        assertThat(before.<String>path("_links.createSnapshot.href")).endsWith(id + "/create_snapshot");

        // When an empty snapshot resource is made and filled by create_snapshot
        String snapshotId = emptySnapshot(alice);
        Response empty = as(alice).get(ROOT + "/vnf_snapshots/" + snapshotId);
        empty.then().statusCode(200);
        assertThat(empty.<Object>path("vnfSnapshot")).isNull();
        assertValid(empty.asString(), SNAPSHOT_API, "VnfSnapshotInfo.schema.json");
        int served = FakePeers.slowpath().snapshotsServed().size();
        String take = started(createSnapshot(alice, id, snapshotId));
        awaitState(alice, take, "COMPLETED");
        assertThat(as(alice).get(ROOT + "/vnf_lcm_op_occs/" + take).<String>path("operation"))
                .isEqualTo("CREATE_SNAPSHOT");

        // Then it holds the slowpath's snapshot (by checksum, never the state itself) and the instance as it was
        String body = FakePeers.slowpath().snapshotsServed().get(served);
        assertThat(JSON.readTree(body).path("state").path("bindings").get(0).path("public").asInt()).isEqualTo(20081);
        Response taken = as(alice).get(ROOT + "/vnf_snapshots/" + snapshotId);
        taken.then().statusCode(200);
        assertValid(taken.asString(), SNAPSHOT_API, "VnfSnapshotInfo.schema.json", SCHEMA_BUGS);
        assertThat(taken.<String>path("vnfSnapshot.vnfInstanceId")).isEqualTo(id);
        assertThat(taken.<String>path("vnfSnapshot.vnfdId")).isEqualTo(FakeNfvo.VNFD_ID);
        assertThat(taken.<String>path("vnfSnapshot.creationFinishedAt")).isNotNull();
        assertThat(taken.<String>path("vnfSnapshot.vnfInstance.id")).isEqualTo(id);
        assertThat(taken.<String>path("vnfSnapshot.vnfInstance.vnfConfigurableProperties.publicAddress"))
                .isEqualTo("203.0.113.81");
        assertThat(taken.<List<String>>path("vnfSnapshot.vnfInstance.instantiatedVnfInfo.vnfcResourceInfo.id"))
                .containsExactlyInAnyOrder("slowpath-0", "fastpath-0", "fastpath-1");
        assertThat(taken.<String>path("vnfSnapshot.vnfcSnapshots[0].vnfcInstanceId")).isEqualTo("slowpath-0");
        assertThat(taken.<String>path("vnfStateSnapshotInfo.checksum.hash")).isEqualTo(sha256(body));
        assertThat(taken.<String>path("_links.takenFrom.href")).endsWith("/vnf_instances/" + id);
        assertThat(taken.asString()).doesNotContain("10.0.0.1:40000");
        // (the slowpath was asked with its config secret, as for /config)
        assertThat(FakePeers.slowpath().authorizations()).contains("Bearer " + FakeVim.configSecretOf("vnf-" + id));

        // When the slowpath's state moves on, and the instance is reverted to the snapshot
        FakePeers.slowpath().state(JSON.readTree("{\"bindings\":[]}"));
        String back = started(revert(alice, id, snapshotId));
        awaitState(alice, back, "COMPLETED");

        // Then the slowpath got the very body it gave, and its config is the desired configuration again
        assertThat(FakePeers.slowpath().snapshotsPut()).last().isEqualTo(body);
        Response after = as(alice).get(ROOT + "/vnf_instances/" + id);
        Map<String, Object> desired = after.path("vnfConfigurableProperties");
        assertThat((Object) JSON.valueToTree(desired)).isEqualTo(JSON.readTree(body).path("config"));
        assertThat(as(alice).get(ROOT + "/vnf_lcm_op_occs/" + back).<String>path("operation"))
                .isEqualTo("REVERT_TO_SNAPSHOT");

        // and the snapshot is listed (filtered by its instance), then deleted
        Response listed = as(alice).queryParam("filter", "(eq,vnfSnapshot/vnfInstanceId," + id + ")")
                .get(ROOT + "/vnf_snapshots");
        listed.then().statusCode(200);
        assertThat(listed.<List<String>>path("id")).containsExactly(snapshotId);
        assertThat(listed.<Object>path("[0].vnfSnapshot")).isNull();
        assertThat(as(alice).queryParam("all_fields", "").get(ROOT + "/vnf_snapshots").<List<String>>path(
                "vnfSnapshot.vnfInstanceId")).contains(id);
        as(alice).delete(ROOT + "/vnf_snapshots/" + snapshotId).then().statusCode(204);
        as(alice).get(ROOT + "/vnf_snapshots/" + snapshotId).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void snapshotsOfOtherInstancesOrTenantsNotTakenOrFilledAlreadyAreRefusedChangingNothing() {
        String alice = Tokens.alice();
        String bob = Tokens.bob();
        String id = instantiated(alice, "203.0.113.82");
        String other = instantiated(alice, "203.0.113.83");
        String ofOther = emptySnapshot(alice);
        awaitState(alice, started(createSnapshot(alice, other, ofOther)), "COMPLETED");
        String empty = emptySnapshot(alice);
        String bobs = emptySnapshot(bob);
        int puts = FakePeers.slowpath().snapshotsPut().size();
        int served = FakePeers.slowpath().snapshotsServed().size();

        // a snapshot not taken yet cannot be reverted to
        Response notTaken = revert(alice, id, empty);
        notTaken.then().statusCode(409).contentType("application/problem+json");
        assertThat(notTaken.<String>path("detail")).contains("holds no snapshot yet");
        // another instance's snapshot is not this one's
        Response othersSnapshot = revert(alice, id, ofOther);
        othersSnapshot.then().statusCode(422);
        assertThat(othersSnapshot.<String>path("detail")).contains("was taken of VNF instance " + other);
        // a snapshot filled already takes no second one
        createSnapshot(alice, id, ofOther).then().statusCode(409);
        // another tenant's snapshot, or none, is no snapshot at all for this instance
        createSnapshot(alice, id, bobs).then().statusCode(422);
        revert(alice, id, "no-such-snapshot").then().statusCode(422);
        // another tenant's instance is not found, whatever the body
        createSnapshot(bob, id, bobs).then().statusCode(404);
        revert(bob, id, ofOther).then().statusCode(404);
        as(bob).get(ROOT + "/vnf_snapshots/" + ofOther).then().statusCode(404);
        as(bob).delete(ROOT + "/vnf_snapshots/" + ofOther).then().statusCode(404);
        assertThat(as(bob).get(ROOT + "/vnf_snapshots").<List<String>>path("id")).contains(bobs)
                .doesNotContain(ofOther, empty);
        // malformed or unsupported requests
        as(alice).body(Map.of()).post(ROOT + "/vnf_instances/" + id + "/create_snapshot").then().statusCode(400);
        as(alice).body(Map.of("vnfSnapshotInfoId", empty, "vnfcInstanceId", List.of("slowpath-0")))
                .post(ROOT + "/vnf_instances/" + id + "/create_snapshot").then().statusCode(422);
        as(alice).body(Map.of("vnfSnapshotPkgId", "pkg-1")).post(ROOT + "/vnf_snapshots").then().statusCode(422);
        // an instance not instantiated has nothing to take
        String fresh = as(alice).body(Map.of("vnfdId", FakeNfvo.VNFD_ID)).post(ROOT + "/vnf_instances").then()
                .statusCode(201).extract().path("id");
        createSnapshot(alice, fresh, empty).then().statusCode(409);

        // nothing changed: no operation started, the slowpath was neither read nor written, the snapshot still empty
        assertThat(as(alice).get(ROOT + "/vnf_lcm_op_occs?filter=(eq,vnfInstanceId," + id + ")")
                .<List<String>>path("operation")).containsExactly("INSTANTIATE");
        assertThat(FakePeers.slowpath().snapshotsPut()).hasSize(puts);
        assertThat(FakePeers.slowpath().snapshotsServed()).hasSize(served);
        assertThat(as(alice).get(ROOT + "/vnf_snapshots/" + empty).<Object>path("vnfSnapshot")).isNull();
        assertThat(as(alice).get(ROOT + "/vnf_snapshots/" + ofOther).<String>path("vnfSnapshot.vnfInstanceId"))
                .isEqualTo(other);
    }

    @Test
    void aSnapshotThePlatformMadeBecomesTheTenantsOfTheInstanceItIsTakenOf() {
        String alice = Tokens.alice();
        String id = instantiated(alice, "203.0.113.84");
        String snapshotId = emptySnapshot(SERVICE);
        as(alice).get(ROOT + "/vnf_snapshots/" + snapshotId).then().statusCode(404);

        awaitState(SERVICE, started(createSnapshot(SERVICE, id, snapshotId)), "COMPLETED");

        as(alice).get(ROOT + "/vnf_snapshots/" + snapshotId).then().statusCode(200);
        assertThat(as(alice).get(ROOT + "/vnf_snapshots/" + snapshotId).<String>path("vnfSnapshot.vnfInstanceId"))
                .isEqualTo(id);
    }
}
