package io.isthmus.nfvo;

import static io.isthmus.nfvo.NfvoApiTest.as;
import static io.isthmus.nfvo.NfvoApiTest.awaitOp;
import static io.isthmus.nfvo.NfvoApiTest.fake;
import static io.isthmus.nfvo.NfvoApiTest.onboardedNatPackage;
import static io.isthmus.nfvo.NfvoApiTest.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * A chain stays wired when a VNF's ingress changes outside any NS operation (a fastpath the VIM found dead, an
 * operation sent to the VNFM directly): the NFVO's chain watch sees it and heals the NS itself.
 */
@QuarkusTest
@TestProfile(ChainWatchTest.WatchOn.class)
@QuarkusTestResource(value = FakePeers.class, restrictToAnnotatedClass = true)
class ChainWatchTest {

    public static class WatchOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("isthmus.nfvo.chain-watch-every", "0.2s");
        }
    }

    @RegisterExtension
    final NoErrorsLogged noErrors = new NoErrorsLogged();

    @Test
    void aVnfWhoseIngressChangedOutsideAnyOperationIsFollowedByItsNeighbourInAnAutomaticHeal() {
        String alice = Tokens.user("alice");
        post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        onboardedNatPackage();
        String id = as(alice).contentType(ContentType.JSON).body("{}").post("/nsd/v2/ns_descriptors").then()
                .statusCode(201).extract().path("id");
        as(alice).contentType(ContentType.TEXT).body(NextHopsTest.CHAIN)
                .put("/nsd/v2/ns_descriptors/" + id + "/nsd_content").then().statusCode(202);
        String nsId = as(alice).contentType(ContentType.JSON).body(Map.of("nsdId", "nat-chain", "nsName", "chain"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        awaitOp(alice, as(alice).contentType(ContentType.JSON)
                .body(Map.of("nsFlavourId", "default", "additionalParamsForNs",
                        Map.of("endpoints", Map.of("vpc", "198.51.100.2:4789", "internet", "198.51.100.6:4789")),
                        "additionalParamsForVnf",
                        List.of(Map.of("vnfProfileId", "nat", "additionalParams", NextHopsTest.NAT),
                                Map.of("vnfProfileId", "nat2", "additionalParams", NextHopsTest.NAT))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                .header("Location"), "COMPLETED");
        JsonPath ns = as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().jsonPath();
        String nat = ns.getString("virtualLinkInfo[0].linkPort[0].nsCpHandle[0].vnfInstanceId");
        String nat2 = ns.getString("virtualLinkInfo[0].linkPort[1].nsCpHandle[0].vnfInstanceId");

        // a chain wired as its VNFs publish is left alone
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> ops(alice, nsId).size() == 1);

        // When nat2's fastpaths change with no NS operation (one found dead, one replaced on a new port)
        List<Map<String, Object>> now = List.of(Map.of("vnfcId", "fastpath-1", "address", "127.0.0.1:46002"));
        post(fake() + "/control/ingress", NextHopsTest.json(Map.of("vnfInstanceId", nat2, "endpoints", now)));

        // Then the NFVO heals the NS itself: nat sends to nat2's ingress as it is now
        Map<String, Object> ingress = Map.of("hash", "rendezvous-v1", "endpoints", now);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonPath after = as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract()
                    .jsonPath();
            assertThat(after.getMap("vnfInstance.find { it.id == '" + nat + "' }.vnfConfigurableProperties"))
                    .containsEntry("outsideNextHop", ingress);
            assertThat(after.getMap("vnfInstance.find { it.id == '" + nat2
                    + "' }.instantiatedVnfInfo.extCpInfo[0].metadata.ingress")).isEqualTo(ingress);
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ops(alice, nsId))
                .anySatisfy(op -> assertThat(op).containsEntry("lcmOperationType", "HEAL")
                        .containsEntry("isAutomaticInvocation", true).containsEntry("operationState", "COMPLETED")));
        // which a client finds by SOL013's filter, and nothing more is opened once the chain is wired again
        List<Map<String, Object>> automatic = as(alice)
                .queryParam("filter", "(eq,nsInstanceId," + nsId + ");(eq,isAutomaticInvocation,true)")
                .get("/nslcm/v2/ns_lcm_op_occs").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(automatic).singleElement()
                .satisfies(op -> assertThat(op.get("stateReason")).asString().isNotBlank());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> ops(alice, nsId).size() == 2);
    }

    private static List<Map<String, Object>> ops(String token, String nsId) {
        return as(token).queryParam("filter", "(eq,nsInstanceId," + nsId + ")").get("/nslcm/v2/ns_lcm_op_occs").then()
                .statusCode(200).extract().jsonPath().getList("$");
    }
}
