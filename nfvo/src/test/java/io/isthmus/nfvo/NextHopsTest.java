package io.isthmus.nfvo;

import static io.isthmus.nfvo.NfvoApiTest.as;
import static io.isthmus.nfvo.NfvoApiTest.awaitOp;
import static io.isthmus.nfvo.NfvoApiTest.fake;
import static io.isthmus.nfvo.NfvoApiTest.get;
import static io.isthmus.nfvo.NfvoApiTest.onboardedNatPackage;
import static io.isthmus.nfvo.NfvoApiTest.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Tenants do not type next hops: the NSD attaches the NAT's connection points to SAPs, the request locates them. */
@QuarkusTest
@QuarkusTestResource(value = FakePeers.class, restrictToAnnotatedClass = true)
class NextHopsTest {

    static final String NSD = """
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                ns:
                  type: tosca.nodes.nfv.NS
                  properties: {descriptor_id: %s, designer: acme, version: '1.0', name: NAT, invariant_id: %s}
                nat:
                  type: isthmus.nodes.nfv.Nat
                  properties: {descriptor_id: isthmus-nat-1.0}
                  requirements: [ {inside: vpc}, {outside: %s} ]
                vpc: {type: tosca.nodes.nfv.Sap}
                internet: {type: tosca.nodes.nfv.Sap}
            """;
    static final Map<String, Object> NAT = Map.of("publicAddress", "203.0.113.10", "portRangeStart", 20000,
            "portRangeEnd", 20999, "insideVni", 100, "outsideVni", 200);

    static String nsOf(String token, String nsdId) {
        onboardedNatPackage();
        String id = as(token).contentType(ContentType.JSON).body("{}").post("/nsd/v2/ns_descriptors").then()
                .statusCode(201).extract().path("id");
        as(token).contentType(ContentType.TEXT).body(NSD.formatted(nsdId, nsdId, "internet"))
                .put("/nsd/v2/ns_descriptors/" + id + "/nsd_content").then().statusCode(202);
        return as(token).contentType(ContentType.JSON).body(Map.of("nsdId", nsdId, "nsName", "office")).post(
                "/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
    }

    @Test
    void theNfvoFillsInTheNatsNextHopsFromWhereTheNsEndpointsAre() {
        // Given an NS whose NSD puts the NAT between the SAPs vpc and internet
        String alice = Tokens.user("alice");
        post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        String nsId = nsOf(alice, "nat-between-saps");

        // When the tenant instantiates it with the NAT's own settings and where the endpoints are
        String location = as(alice).contentType(ContentType.JSON).body(Map.of("nsFlavourId", "default",
                "additionalParamsForNs", Map.of("endpoints", Map.of("vpc", "127.0.0.1:40002", "internet",
                        "127.0.0.1:40001")),
                "additionalParamsForVnf", List.of(Map.of("vnfProfileId", "nat", "additionalParams", NAT))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                .header("Location");
        awaitOp(alice, location, "COMPLETED");

        // Then the VNFM was asked to instantiate the NAT with both next hops filled in
        List<Map<String, Object>> bodies = JsonPath.from(get(fake() + "/control/instantiate-bodies")).getList("$");
        assertThat(bodies).anySatisfy(body -> assertThat(params(body))
                .containsEntry("insideNextHop", "127.0.0.1:40002")
                .containsEntry("outsideNextHop", "127.0.0.1:40001")
                .containsEntry("publicAddress", "203.0.113.10"));
    }

    @Test
    void anEndpointLeftOutOrANextHopTypedInIs422AndNothingStarts() {
        String alice = Tokens.user("alice");
        String nsId = nsOf(alice, "nat-between-saps-refused");

        // a SAP without its endpoint
        as(alice).contentType(ContentType.JSON).body(Map.of("nsFlavourId", "default",
                "additionalParamsForNs", Map.of("endpoints", Map.of("vpc", "127.0.0.1:40002")),
                "additionalParamsForVnf", List.of(Map.of("vnfProfileId", "nat", "additionalParams", NAT))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(422)
                .body("detail", containsString("additionalParamsForNs.endpoints.internet"));

        // a next hop the NSD derives, typed in anyway
        Map<String, Object> typed = new java.util.HashMap<>(NAT);
        typed.put("insideNextHop", "10.9.9.9:4789");
        as(alice).contentType(ContentType.JSON).body(Map.of("nsFlavourId", "default",
                "additionalParamsForNs", Map.of("endpoints", Map.of("vpc", "127.0.0.1:40002", "internet",
                        "127.0.0.1:40001")),
                "additionalParamsForVnf", List.of(Map.of("vnfProfileId", "nat", "additionalParams", typed))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(422)
                .body("detail", containsString("nat.insideNextHop is not the tenant's to give"));

        // and the NS is as it was
        as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200)
                .body("nsState", org.hamcrest.Matchers.equalTo("NOT_INSTANTIATED"));
    }

    @Test
    void anNsdThatAttachesAConnectionPointTheVnfdLacksOrToNoSapIsRefused() {
        String alice = Tokens.user("alice");
        onboardedNatPackage();
        String id = as(alice).contentType(ContentType.JSON).body("{}").post("/nsd/v2/ns_descriptors").then()
                .statusCode(201).extract().path("id");
        as(alice).contentType(ContentType.TEXT).body(NSD.formatted("bad-attach", "bad-attach", "nat"))
                .put("/nsd/v2/ns_descriptors/" + id + "/nsd_content").then().statusCode(422)
                .body("detail", containsString("no tosca.nodes.nfv.Sap"));
        as(alice).contentType(ContentType.TEXT)
                .body(NSD.formatted("bad-cp", "bad-cp", "internet").replace("{inside: vpc}", "{middle: vpc}"))
                .put("/nsd/v2/ns_descriptors/" + id + "/nsd_content").then().statusCode(422)
                .body("detail", containsString("middle, which is no external connection point"));
    }

    @Test
    void aChainOfTwoVnfsIsCheckedAtUploadButNotInstantiatedYet() {
        String alice = Tokens.user("alice");
        onboardedNatPackage();
        // two NATs joined by a virtual link: nat's outside to nat2's inside
        String chain = NSD.formatted("nat-chain", "nat-chain", "link").replace("vpc: {type: tosca.nodes.nfv.Sap}",
                "nat2: {type: isthmus.nodes.nfv.Nat, properties: {descriptor_id: isthmus-nat-1.0},"
                        + " requirements: [ {inside: link}, {outside: internet} ]}\n"
                        + "    link: {type: tosca.nodes.nfv.NsVirtualLink}\n"
                        + "    vpc: {type: tosca.nodes.nfv.Sap}");
        String dangling = chain.replace("[ {inside: link}, {outside: internet} ]",
                "[ {inside: vpc}, {outside: internet} ]");
        String id = as(alice).contentType(ContentType.JSON).body("{}").post("/nsd/v2/ns_descriptors").then()
                .statusCode(201).extract().path("id");

        // a link only one VNF attaches to is refused with the reason, and nothing is on-boarded
        as(alice).contentType(ContentType.TEXT).body(dangling)
                .put("/nsd/v2/ns_descriptors/" + id + "/nsd_content").then().statusCode(422)
                .body("detail", containsString("Virtual link link is dangling"));
        // the chain is on-boarded
        as(alice).contentType(ContentType.TEXT).body(chain).put("/nsd/v2/ns_descriptors/" + id + "/nsd_content")
                .then().statusCode(202);
        String nsId = as(alice).contentType(ContentType.JSON).body(Map.of("nsdId", "nat-chain", "nsName", "chain"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");

        // but instantiating it says the chain is not wired yet, and changes nothing
        as(alice).contentType(ContentType.JSON)
                .body(Map.of("nsFlavourId", "default", "additionalParamsForNs",
                        Map.of("endpoints", Map.of("vpc", "198.51.100.2:4789", "internet", "198.51.100.6:4789"))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(422)
                .body("detail", containsString("does not wire them yet"));
        as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200)
                .body("nsState", org.hamcrest.Matchers.equalTo("NOT_INSTANTIATED"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(Map<String, Object> instantiateVnfRequest) {
        return (Map<String, Object>) instantiateVnfRequest.get("additionalParams");
    }
}
