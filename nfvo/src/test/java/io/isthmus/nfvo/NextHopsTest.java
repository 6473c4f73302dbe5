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

import io.isthmus.sol.testing.EtsiSchemas;
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

    /** Two NATs joined by a virtual link, nat's outside to nat2's inside. */
    static final String CHAIN = NSD.formatted("nat-chain", "nat-chain", "link").replace(
            "vpc: {type: tosca.nodes.nfv.Sap}",
            "nat2: {type: isthmus.nodes.nfv.Nat, properties: {descriptor_id: isthmus-nat-1.0},"
                    + " requirements: [ {inside: link}, {outside: internet} ]}\n"
                    + "    link: {type: tosca.nodes.nfv.NsVirtualLink}\n"
                    + "    vpc: {type: tosca.nodes.nfv.Sap}");

    @Test
    void aChainIsWiredOnceItsVnfsRunAndFollowsAVnfWhoseIngressChanged() {
        String alice = Tokens.user("alice");
        post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        onboardedNatPackage();
        String id = as(alice).contentType(ContentType.JSON).body("{}").post("/nsd/v2/ns_descriptors").then()
                .statusCode(201).extract().path("id");
        // a link only one VNF attaches to is refused with the reason, and nothing is on-boarded
        as(alice).contentType(ContentType.TEXT)
                .body(CHAIN.replace("[ {inside: link}, {outside: internet} ]",
                        "[ {inside: vpc}, {outside: internet} ]"))
                .put("/nsd/v2/ns_descriptors/" + id + "/nsd_content").then().statusCode(422)
                .body("detail", containsString("Virtual link link is dangling"));
        as(alice).contentType(ContentType.TEXT).body(CHAIN).put("/nsd/v2/ns_descriptors/" + id + "/nsd_content")
                .then().statusCode(202);
        String nsId = as(alice).contentType(ContentType.JSON).body(Map.of("nsdId", "nat-chain", "nsName", "chain"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        Map<String, Object> endpoints = Map.of("endpoints",
                Map.of("vpc", "198.51.100.2:4789", "internet", "198.51.100.6:4789"));

        // a next hop the chain derives, typed in by the tenant, is refused
        Map<String, Object> typed = new java.util.HashMap<>(NAT);
        typed.put("outsideNextHop", "10.9.9.9:4789");
        as(alice).contentType(ContentType.JSON)
                .body(Map.of("nsFlavourId", "default", "additionalParamsForNs", endpoints, "additionalParamsForVnf",
                        List.of(Map.of("vnfProfileId", "nat", "additionalParams", typed))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(422)
                .body("detail",
                        containsString("nat.outsideNextHop is not the tenant's to give: the NSD links outside"));

        // When the tenant instantiates the chain
        String location = as(alice).contentType(ContentType.JSON)
                .body(Map.of("nsFlavourId", "default", "additionalParamsForNs", endpoints, "additionalParamsForVnf",
                        List.of(Map.of("vnfProfileId", "nat", "additionalParams", NAT),
                                Map.of("vnfProfileId", "nat2", "additionalParams", NAT))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                .header("Location");
        awaitOp(alice, location, "COMPLETED");

        // Then each VNF was instantiated with its SAP's endpoint and an unwired link (nothing leaves by it yet)...
        Map<String, String> vnfs = vnfsByProfile(alice, nsId);
        Map<String, Object> unwired = Map.of("hash", "rendezvous-v1", "endpoints", List.of());
        List<Map<String, Object>> bodies = JsonPath.from(get(fake() + "/control/instantiate-bodies")).getList("$");
        assertThat(bodies).anySatisfy(body -> assertThat(params(body)).containsEntry("insideNextHop",
                "198.51.100.2:4789").containsEntry("outsideNextHop", unwired));
        assertThat(bodies).anySatisfy(body -> assertThat(params(body)).containsEntry("insideNextHop", unwired)
                .containsEntry("outsideNextHop", "198.51.100.6:4789"));
        // ...then wired: each one's linked next hop is the ingress the other publishes, and the NS shows it
        String shown = as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().asString();
        EtsiSchemas.assertValid(shown, NfvoApiTest.NSLCM, "NsInstance.schema.json");
        JsonPath ns = JsonPath.from(shown);
        Object natIngress = ingressOf(ns, vnfs.get("nat"));
        Object nat2Ingress = ingressOf(ns, vnfs.get("nat2"));
        assertThat(natIngress).isNotEqualTo(nat2Ingress);
        assertThat(configOf(ns, vnfs.get("nat"))).containsEntry("outsideNextHop", nat2Ingress)
                .containsEntry("insideNextHop", "198.51.100.2:4789");
        assertThat(configOf(ns, vnfs.get("nat2"))).containsEntry("insideNextHop", natIngress)
                .containsEntry("outsideNextHop", "198.51.100.6:4789");
        assertThat(changeExtConns(vnfs.get("nat"))).hasSize(1);
        assertThat(changeExtConns(vnfs.get("nat2"))).hasSize(1);

        // When nat2's fastpaths change (two now, one of them new) and the NS heals it
        List<Map<String, Object>> two = List.of(Map.of("vnfcId", "fastpath-0", "address", "127.0.0.1:45001"),
                Map.of("vnfcId", "fastpath-1", "address", "127.0.0.1:45002"));
        post(fake() + "/control/ingress", json(Map.of("vnfInstanceId", vnfs.get("nat2"), "endpoints", two)));
        String heal = as(alice).contentType(ContentType.JSON)
                .body(Map.of("healVnfData", List.of(Map.of("vnfInstanceId", vnfs.get("nat2")))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/heal").then().statusCode(202).extract().header("Location");
        awaitOp(alice, heal, "COMPLETED");

        // Then nat follows nat2's new ingress; nat2, whose peer did not change, is sent nothing
        ns = as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().jsonPath();
        assertThat(configOf(ns, vnfs.get("nat"))).containsEntry("outsideNextHop",
                Map.of("hash", "rendezvous-v1", "endpoints", two));
        assertThat(changeExtConns(vnfs.get("nat"))).hasSize(2);
        assertThat(changeExtConns(vnfs.get("nat2"))).hasSize(1);
    }

    /** nat, then mid between the links l1 and l2 (inline: nothing else attached), then nat2. */
    static final String CHAIN_OF_THREE = NSD.formatted("nat-chain-of-3", "nat-chain-of-3", "l1").replace(
            "vpc: {type: tosca.nodes.nfv.Sap}",
            "mid: {type: isthmus.nodes.nfv.Nat, properties: {descriptor_id: isthmus-nat-1.0},"
                    + " requirements: [ {inside: l1}, {outside: l2} ]}\n"
                    + "    nat2: {type: isthmus.nodes.nfv.Nat, properties: {descriptor_id: isthmus-nat-1.0},"
                    + " requirements: [ {inside: l2}, {outside: internet} ]}\n"
                    + "    l1: {type: tosca.nodes.nfv.NsVirtualLink}\n"
                    + "    l2: {type: tosca.nodes.nfv.NsVirtualLink}\n"
                    + "    vpc: {type: tosca.nodes.nfv.Sap}");

    /** An NS of {@link #CHAIN_OF_THREE}, of {@code tenant}'s own NSD; not instantiated. */
    private static String chainOfThree(String tenant) {
        post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        onboardedNatPackage();
        String id = as(tenant).contentType(ContentType.JSON).body("{}").post("/nsd/v2/ns_descriptors").then()
                .statusCode(201).extract().path("id");
        as(tenant).contentType(ContentType.TEXT).body(CHAIN_OF_THREE)
                .put("/nsd/v2/ns_descriptors/" + id + "/nsd_content").then().statusCode(202);
        return as(tenant).contentType(ContentType.JSON).body(Map.of("nsdId", "nat-chain-of-3", "nsName", "three"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
    }

    /** Instantiates an NS of {@link #CHAIN_OF_THREE} between two SAPs, until COMPLETED. */
    private static void instantiate(String tenant, String nsId) {
        awaitOp(tenant, as(tenant).contentType(ContentType.JSON)
                .body(Map.of("nsFlavourId", "default", "additionalParamsForNs",
                        Map.of("endpoints", Map.of("vpc", "198.51.100.2:4789", "internet", "198.51.100.6:4789")),
                        "additionalParamsForVnf",
                        List.of(Map.of("vnfProfileId", "nat", "additionalParams", NAT),
                                Map.of("vnfProfileId", "mid", "additionalParams", NAT),
                                Map.of("vnfProfileId", "nat2", "additionalParams", NAT))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                .header("Location"), "COMPLETED");
    }

    @Test
    void aChainsVnfsAreCreatedInstantiatedAndWiredSideBySide() {
        // Given a VNFM that takes 300 ms to answer each create and each operation's POST
        String bob = Tokens.user("bob");
        String nsId = chainOfThree(bob);
        post(fake() + "/control/vnfm-post-latency", "300");
        try {
            // When the tenant instantiates a chain of three VNFs
            instantiate(bob, nsId);

            // Then the NFVO asked for the three VNFs at once, not one after another: its three creates were on the
            // VNFM together, then its three instantiations, then the wiring of the VNFs whose links it completed
            Map<String, Object> most = JsonPath.from(get(fake() + "/control/most-vnfm-posts-in-flight")).getMap("$");
            assertThat(most).containsEntry("create", 3).containsEntry("instantiate", 3);
            assertThat((Integer) most.get("change_ext_conn")).isGreaterThanOrEqualTo(2);
            JsonPath ns = as(bob).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().jsonPath();
            assertThat(configOf(ns, vnfAt(ns, "nat.outside"))).containsEntry("outsideNextHop",
                    ingressOf(ns, vnfAt(ns, "mid.inside")));
            assertThat(configOf(ns, vnfAt(ns, "nat2.inside"))).containsEntry("insideNextHop",
                    ingressOf(ns, vnfAt(ns, "mid.inside")));
        } finally {
            post(fake() + "/control/vnfm-post-latency", "0");
        }
    }

    @Test
    void aVnfRemovedFromTheMiddleOfAChainIsBypassedAndOneAddedThereIsWiredIn() {
        String alice = Tokens.user("alice");
        String nsId = chainOfThree(alice);
        instantiate(alice, nsId);
        JsonPath ns = as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().jsonPath();
        String nat = vnfAt(ns, "nat.outside");
        String mid = vnfAt(ns, "mid.inside");
        String nat2 = vnfAt(ns, "nat2.inside");
        assertThat(configOf(ns, nat)).containsEntry("outsideNextHop", ingressOf(ns, mid));
        assertThat(configOf(ns, nat2)).containsEntry("insideNextHop", ingressOf(ns, mid));

        // When the tenant removes the VNF in the middle
        awaitOp(alice, as(alice).contentType(ContentType.JSON)
                .body(Map.of("updateType", "REMOVE_VNF", "removeVnfInstanceId", List.of(mid)))
                .post("/nslcm/v2/ns_instances/" + nsId + "/update").then().statusCode(202).extract()
                .header("Location"), "COMPLETED");

        // Then its neighbours send to each other, and it is gone from the NS and the VNFM
        ns = as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().jsonPath();
        assertThat(ns.getList("vnfInstance.id")).containsExactlyInAnyOrder(nat, nat2);
        assertThat(configOf(ns, nat)).containsEntry("outsideNextHop", ingressOf(ns, nat2));
        assertThat(configOf(ns, nat2)).containsEntry("insideNextHop", ingressOf(ns, nat));
        assertThat(NsLcmOperationsTest.vnfmCalls()).contains("DELETE /vnflcm/v2/vnf_instances/" + mid);

        // a VNF cannot join a profile of the chain that has one
        String own = io.restassured.RestAssured.given().body("acme").post(fake() + "/control/tenant-vnf").asString();
        as(alice).contentType(ContentType.JSON)
                .body(Map.of("updateType", "ADD_VNF", "addVnfIstance",
                        List.of(Map.of("vnfInstanceId", own, "vnfProfileId", "nat"))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/update").then().statusCode(422)
                .body("detail", containsString("VNF profile nat is in a chain and has its VNF already"));

        // When the tenant's own VNF joins the NS in the middle
        awaitOp(alice, as(alice).contentType(ContentType.JSON)
                .body(Map.of("updateType", "ADD_VNF", "addVnfIstance",
                        List.of(Map.of("vnfInstanceId", own, "vnfProfileId", "mid"))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/update").then().statusCode(202).extract()
                .header("Location"), "COMPLETED");

        // Then it is wired between them, and they send to it
        ns = as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().jsonPath();
        assertThat(vnfAt(ns, "mid.inside")).isEqualTo(own);
        assertThat(configOf(ns, own)).containsEntry("insideNextHop", ingressOf(ns, nat))
                .containsEntry("outsideNextHop", ingressOf(ns, nat2));
        assertThat(configOf(ns, nat)).containsEntry("outsideNextHop", ingressOf(ns, own));
        assertThat(configOf(ns, nat2)).containsEntry("insideNextHop", ingressOf(ns, own));
    }

    /** The VNF instance at a link port ({@code <profile>.<cp>}), as the NS shows it (SOL005 virtualLinkInfo). */
    private static String vnfAt(JsonPath ns, String port) {
        return ns.getString("virtualLinkInfo.linkPort.flatten().find { it.id == '" + port
                + "' }.nsCpHandle[0].vnfInstanceId");
    }

    @Test
    void aLinkJoiningThreeConnectionPointsIsNotInstantiated() {
        String alice = Tokens.user("alice");
        onboardedNatPackage();
        String three = CHAIN.replace("nat-chain", "nat-chain-3").replace("    vpc: {type: tosca.nodes.nfv.Sap}",
                "    nat3: {type: isthmus.nodes.nfv.Nat, properties: {descriptor_id: isthmus-nat-1.0},"
                        + " requirements: [ {inside: link}, {outside: internet} ]}\n"
                        + "    vpc: {type: tosca.nodes.nfv.Sap}");
        String id = as(alice).contentType(ContentType.JSON).body("{}").post("/nsd/v2/ns_descriptors").then()
                .statusCode(201).extract().path("id");
        as(alice).contentType(ContentType.TEXT).body(three).put("/nsd/v2/ns_descriptors/" + id + "/nsd_content")
                .then().statusCode(202);
        String nsId = as(alice).contentType(ContentType.JSON)
                .body(Map.of("nsdId", "nat-chain-3", "nsName", "three")).post("/nslcm/v2/ns_instances").then()
                .statusCode(201).extract().path("id");

        as(alice).contentType(ContentType.JSON)
                .body(Map.of("nsFlavourId", "default", "additionalParamsForNs",
                        Map.of("endpoints", Map.of("vpc", "198.51.100.2:4789", "internet", "198.51.100.6:4789"))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(422)
                .body("detail", containsString("Virtual link link joins [nat.outside, nat2.inside, nat3.inside]"));
        as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200)
                .body("nsState", org.hamcrest.Matchers.equalTo("NOT_INSTANTIATED"));
    }

    /** The VNF instance at each end of the NS's link, by VNF profile, as the NS shows it (SOL005 virtualLinkInfo). */
    private static Map<String, String> vnfsByProfile(String token, String nsId) {
        JsonPath ns = as(token).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().jsonPath();
        assertThat(ns.getList("virtualLinkInfo.id")).containsExactly("link");
        assertThat(ns.getList("virtualLinkInfo[0].linkPort.id")).containsExactly("nat.outside", "nat2.inside");
        return Map.of("nat", ns.getString("virtualLinkInfo[0].linkPort[0].nsCpHandle[0].vnfInstanceId"), "nat2",
                ns.getString("virtualLinkInfo[0].linkPort[1].nsCpHandle[0].vnfInstanceId"));
    }

    private static Object ingressOf(JsonPath ns, String vnfId) {
        return ns
                .get("vnfInstance.find { it.id == '" + vnfId + "' }.instantiatedVnfInfo.extCpInfo[0].metadata.ingress");
    }

    private static Map<String, Object> configOf(JsonPath ns, String vnfId) {
        return ns.getMap("vnfInstance.find { it.id == '" + vnfId + "' }.vnfConfigurableProperties");
    }

    /** The change_ext_conn requests the VNFM was sent for the VNF. */
    private static List<Object> changeExtConns(String vnfId) {
        return JsonPath.from(get(fake() + "/control/task-requests")).getList("findAll { it.call == 'POST /vnflcm/v2"
                + "/vnf_instances/" + vnfId + "/change_ext_conn' }");
    }

    static String json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(Map<String, Object> instantiateVnfRequest) {
        return (Map<String, Object>) instantiateVnfRequest.get("additionalParams");
    }
}
