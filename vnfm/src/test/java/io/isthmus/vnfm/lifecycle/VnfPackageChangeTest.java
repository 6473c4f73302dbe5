package io.isthmus.vnfm.lifecycle;

import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static io.isthmus.vnfm.support.Sol003.opState;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.isthmus.vnfm.fakes.FakeNfvo;
import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * change_vnfpkg (SOL003 clause 5.4.11a) against the fake nfvo's NAT packages 1.0 and 1.1 (same VDUs and sizes), a
 * bigger one and another product's: a rolling replacement one replica at a time, the ingress never empty, the
 * instance of the new package after; the refusals; rollback; and a vnfm dying mid-way.
 */
@QuarkusTest
@WithTestResource(FakePeers.class)
class VnfPackageChangeTest {

    private static final String SERVICE = Tokens.service();

    @Inject
    EntityManager em;

    @AfterEach
    void vimAsBefore() {
        FakePeers.vim().onRestart(null);
        FakePeers.vim().allowRestarts();
    }

    private static void awaitState(String opId, String state) {
        await().atMost(30, SECONDS).untilAsserted(() -> assertThat(opState(SERVICE, opId)).isEqualTo(state));
    }

    private static String instantiated(String publicAddress) {
        String id = Sol003.createNat(SERVICE, "acme");
        awaitState(Sol003.instantiate(SERVICE, id, publicAddress), "COMPLETED");
        return id;
    }

    private static Response instance(String id) {
        return as(SERVICE).get(ROOT + "/vnf_instances/" + id);
    }

    private static List<String> ingress(Response instance) {
        return instance.path("instantiatedVnfInfo.extCpInfo[0].metadata.ingress.endpoints.vnfcId");
    }

    private static Response changeVnfPkg(String token, String id, Map<String, Object> body) {
        return as(token).body(body).post(ROOT + "/vnf_instances/" + id + "/change_vnfpkg");
    }

    private static String started(Response response) {
        response.then().statusCode(202);
        return Sol003.lastSegment(response.header("Location"));
    }

    /** Records each replica the vim restarts for this instance, with the ingress the instance shows meanwhile. */
    private static List<String> watchReplacements(String id) {
        List<String> seen = new CopyOnWriteArrayList<>();
        FakePeers.vim().onRestart(replica -> {
            String[] parts = replica.split(" ");
            if (parts[0].equals("vnf-" + id)) {
                seen.add(parts[1] + " " + parts[2] + " while ingress " + ingress(instance(id)));
            }
        });
        return seen;
    }

    @Test
    void eachReplicaIsReplacedOnceInTurnTheIngressNeverEmptyAndTheInstanceIsOfTheNewPackage() {
        // Given a NAT of package 1.0 with two fastpaths in its ingress
        String id = instantiated("203.0.113.91");
        List<String> seen = watchReplacements(id);
        int configs = FakePeers.slowpath().configs().size();

        // When it changes to package 1.1, with a new public address
        String op = started(changeVnfPkg(SERVICE, id, Map.of("vnfdId", FakeNfvo.NEXT_VNFD_ID, "additionalParams",
                Map.of(), "vnfConfigurableProperties", Map.of("publicAddress", "203.0.113.191"))));
        awaitState(op, "COMPLETED");

        // Then each replica was replaced once, the slowpath first (the ingress as it was), then each fastpath out of
        // an ingress that kept the other one
        assertThat(seen).containsExactly("slowpath-0 REPLACE while ingress [fastpath-0, fastpath-1]",
                "fastpath-0 REPLACE while ingress [fastpath-1]", "fastpath-1 REPLACE while ingress [fastpath-0]");
        // and the instance is of the new package, every fastpath back in its ingress, configured anew
        Response after = instance(id);
        assertThat(after.<String>path("vnfdId")).isEqualTo(FakeNfvo.NEXT_VNFD_ID);
        assertThat(after.<String>path("vnfSoftwareVersion")).isEqualTo("1.1");
        assertThat(ingress(after)).containsExactly("fastpath-0", "fastpath-1");
        assertThat(after.<String>path("vnfConfigurableProperties.publicAddress")).isEqualTo("203.0.113.191");
        assertThat(FakePeers.slowpath().configs().subList(configs, FakePeers.slowpath().configs().size()))
                .anySatisfy(c -> assertThat(c.path("publicAddress").asText()).isEqualTo("203.0.113.191"));
        assertThat(as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + op).<String>path("operation"))
                .isEqualTo("CHANGE_VNFPKG");
    }

    @Test
    void aPackageThatCannotReplaceTheReplicasIsRefusedChangingNothing() {
        String id = instantiated("203.0.113.92");
        List<String> seen = watchReplacements(id);

        Response bigger = changeVnfPkg(SERVICE, id, Map.of("vnfdId", FakeNfvo.BIGGER_VNFD_ID));
        bigger.then().statusCode(422).contentType("application/problem+json");
        assertThat(bigger.<String>path("detail")).contains("fastpath", "cannot change a replica's size");
        Response otherProduct = changeVnfPkg(SERVICE, id, Map.of("vnfdId", FakeNfvo.OTHER_PRODUCT_VNFD_ID));
        otherProduct.then().statusCode(422);
        assertThat(otherProduct.<String>path("detail")).contains("other-nat");
        changeVnfPkg(SERVICE, id, Map.of("vnfdId", "no-such-vnfd")).then().statusCode(422);
        changeVnfPkg(SERVICE, id, Map.of("vnfdId", FakeNfvo.VNFD_ID)).then().statusCode(422);
        Response badConfig = changeVnfPkg(SERVICE, id, Map.of("vnfdId", FakeNfvo.NEXT_VNFD_ID,
                "vnfConfigurableProperties", Map.of("portRangeStart", "many")));
        badConfig.then().statusCode(422);
        assertThat(badConfig.<String>path("detail")).contains("vnfConfigurableProperties");
        changeVnfPkg(SERVICE, id, Map.of("additionalParams", Map.of())).then().statusCode(400);
        changeVnfPkg(Tokens.bob(), id, Map.of("vnfdId", FakeNfvo.NEXT_VNFD_ID)).then().statusCode(404);
        String fresh = Sol003.createNat(SERVICE, "acme");
        changeVnfPkg(SERVICE, fresh, Map.of("vnfdId", FakeNfvo.NEXT_VNFD_ID)).then().statusCode(409);

        assertThat(seen).isEmpty();
        assertThat(instance(id).<String>path("vnfdId")).isEqualTo(FakeNfvo.VNFD_ID);
        assertThat(as(SERVICE).get(ROOT + "/vnf_lcm_op_occs?filter=(eq,vnfInstanceId," + id + ")")
                .<List<String>>path("operation")).containsExactly("INSTANTIATE");
    }

    @Test
    void rollbackReplacesWhatWasReplacedAgainAndKeepsTheOldPackage() {
        // Given a change whose fastpaths the vim refuses to replace
        String id = instantiated("203.0.113.93");
        List<String> seen = watchReplacements(id);
        FakePeers.vim().refuseRestartsOf("fastpath");
        String op = started(changeVnfPkg(SERVICE, id, Map.of("vnfdId", FakeNfvo.NEXT_VNFD_ID)));
        awaitState(op, "FAILED_TEMP");
        assertThat(as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + op).<String>path("error.detail"))
                .contains("ROLL_VNFCS");
        assertThat(seen).containsExactly("slowpath-0 REPLACE while ingress [fastpath-0, fastpath-1]");

        // When it is rolled back
        FakePeers.vim().allowRestarts();
        as(SERVICE).post(ROOT + "/vnf_lcm_op_occs/" + op + "/rollback").then().statusCode(202);
        awaitState(op, "ROLLED_BACK");

        // Then every replica it touched (the slowpath, and fastpath-0 it was replacing) was replaced again, one at a
        // time, and the instance is of the old package
        assertThat(seen.subList(1, seen.size())).containsExactly("slowpath-0 REPLACE while ingress [fastpath-1]",
                "fastpath-0 REPLACE while ingress [fastpath-1]");
        Response after = instance(id);
        assertThat(after.<String>path("vnfdId")).isEqualTo(FakeNfvo.VNFD_ID);
        assertThat(after.<String>path("vnfSoftwareVersion")).isEqualTo("1.0");
        assertThat(ingress(after)).containsExactly("fastpath-0", "fastpath-1");
    }

    @Test
    void aVnfmThatDiesMidWayIsResumedByRetryAtTheReplicaInHand() throws Exception {
        // Given a change whose vnfm dies while the vim replaces fastpath-1
        String id = instantiated("203.0.113.94");
        List<String> seen = watchReplacements(id);
        CountDownLatch replacing = new CountDownLatch(1);
        CountDownLatch died = new CountDownLatch(1);
        AtomicBoolean once = new AtomicBoolean();
        FakePeers.vim().onRestart(replica -> {
            String[] parts = replica.split(" ");
            if (!parts[0].equals("vnf-" + id)) {
                return;
            }
            seen.add(parts[1]);
            if (parts[1].equals("fastpath-1") && once.compareAndSet(false, true)) {
                replacing.countDown();
                try {
                    died.await(30, SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        String op = started(changeVnfPkg(SERVICE, id, Map.of("vnfdId", FakeNfvo.NEXT_VNFD_ID)));
        try {
            assertThat(replacing.await(30, SECONDS)).isTrue();
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update vnf_lcm_op_occ"
                    + " set lease_owner = 'vnfm-that-died', lease_until = :past where id = :id")
                    .setParameter("past", Instant.now().minusSeconds(1)).setParameter("id", op).executeUpdate());
        } finally {
            died.countDown();
        }
        awaitState(op, "FAILED_TEMP");
        assertThat(as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + op).<String>path("error.detail"))
                .contains("ROLL_VNFCS", "interrupted");

        // When it is retried
        as(SERVICE).post(ROOT + "/vnf_lcm_op_occs/" + op + "/retry").then().statusCode(202);
        awaitState(op, "COMPLETED");

        // Then the slowpath and fastpath-0 were not replaced again; fastpath-1, whose replacement was interrupted, was
        assertThat(seen).containsExactly("slowpath-0", "fastpath-0", "fastpath-1", "fastpath-1");
        assertThat(instance(id).<String>path("vnfdId")).isEqualTo(FakeNfvo.NEXT_VNFD_ID);
        assertThat(ingress(instance(id))).containsExactly("fastpath-0", "fastpath-1");
    }

    @Test
    void aVnfWithOneFastpathKeepsItInTheIngressWhileItIsReplaced() {
        String id = instantiated("203.0.113.95");
        awaitState(started(as(SERVICE).body(Map.of("instantiationLevelId", "small"))
                .post(ROOT + "/vnf_instances/" + id + "/scale_to_level")), "COMPLETED");
        List<String> seen = watchReplacements(id);

        awaitState(started(changeVnfPkg(SERVICE, id, Map.of("vnfdId", FakeNfvo.NEXT_VNFD_ID))), "COMPLETED");

        assertThat(seen).containsExactly("slowpath-0 REPLACE while ingress [fastpath-0]",
                "fastpath-0 REPLACE while ingress [fastpath-0]");
        assertThat(ingress(instance(id))).containsExactly("fastpath-0");
    }
}
