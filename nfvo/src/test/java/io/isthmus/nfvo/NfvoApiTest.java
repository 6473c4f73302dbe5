package io.isthmus.nfvo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.isthmus.sol.testing.EtsiSchemas;
import io.isthmus.vnf.catalog.CsarBuilder;
import io.isthmus.vnf.catalog.PackagedCsars;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
@QuarkusTestResource(value = FakePeers.class, restrictToAnnotatedClass = true)
class NfvoApiTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    final NoErrorsLogged noErrors = new NoErrorsLogged();

    static final String SOL003 = "SOL003/VNFLifecycleManagement-API";
    static final String NSLCM = "SOL005/NSLifecycleManagement-API";
    static final String NSD_API = "SOL005/NSDManagement-API";
    static final String PKG_API = "SOL003/VNFPackageManagement-API";

    static final String NSD = """
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                ns:
                  type: tosca.nodes.nfv.NS
                  properties:
                    descriptor_id: %s
                    designer: acme
                    version: '1.0'
                    name: NAT gateway
                    invariant_id: %s
                nat:
                  type: isthmus.nodes.nfv.Nat
                  properties:
                    descriptor_id: isthmus-nat-1.0
            """;

    static final Map<String, Object> NAT_CONFIG = Map.of("publicAddress", "203.0.113.10", "portRangeStart", 20000,
            "portRangeEnd", 20999, "insideVni", 100, "outsideVni", 200, "insideNextHop", "127.0.0.1:40002",
            "outsideNextHop", "127.0.0.1:40001");

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token).header("Version", "2.0.0");
    }

    static String fake() {
        return ConfigProvider.getConfig().getValue("isthmus.test.fake-url", String.class);
    }

    // --- VNF package management -------------------------------------------------------------------------------

    static String onboardedNatPackage() {
        String operator = Tokens.user("oscar");
        List<String> ids = as(operator).queryParam("filter", "(eq,vnfdId,isthmus-nat-1.0)")
                .get("/vnfpkgm/v2/vnf_packages").then().statusCode(200).extract().path("id");
        if (!ids.isEmpty()) {
            return ids.get(0);
        }
        String id = as(operator).contentType(ContentType.JSON).body("{}").post("/vnfpkgm/v2/vnf_packages").then()
                .statusCode(201).extract().path("id");
        as(operator).contentType("application/zip").body(PackagedCsars.load("vnf-nat"))
                .put("/vnfpkgm/v2/vnf_packages/" + id + "/package_content").then().statusCode(202);
        return id;
    }

    @Test
    void operatorOnboardsTheNatPackageWhenItsManifestHashesMatch() {
        String id = onboardedNatPackage();

        Response pkg = as(Tokens.user("alice")).get("/vnfpkgm/v2/vnf_packages/" + id);

        pkg.then().statusCode(200).body("onboardingState", equalTo("ONBOARDED"))
                .body("operationalState", equalTo("ENABLED")).body("vnfdId", equalTo("isthmus-nat-1.0"))
                .body("vnfProvider", equalTo("Isthmus")).body("checksum.algorithm", equalTo("SHA-256"));
        EtsiSchemas.assertValid(pkg.asString(), PKG_API, "vnfPkgInfo.schema.json");
        byte[] content = as(Tokens.service()).get("/vnfpkgm/v2/vnf_packages/" + id + "/package_content").then()
                .statusCode(200).contentType("application/zip").extract().asByteArray();
        assertThat(content).isEqualTo(PackagedCsars.load("vnf-nat"));
        String vnfd = as(Tokens.user("alice")).get("/vnfpkgm/v2/vnf_packages/" + id + "/vnfd").then().statusCode(200)
                .extract().asString();
        assertThat(vnfd).contains("descriptor_id: isthmus-nat-1.0");
    }

    @Test
    void aTamperedCsarIsRefusedWith422AndThePackageShowsWhyUntilAGoodOneIsUploaded() throws Exception {
        String operator = Tokens.user("oscar");
        String id = as(operator).contentType(ContentType.JSON).body("{}").post("/vnfpkgm/v2/vnf_packages").then()
                .statusCode(201).extract().path("id");
        byte[] tampered = tampered(PackagedCsars.load("vnf-nat"), "Definitions/isthmus_nat_vnfd.yaml",
                "tosca_definitions_version: x\n".getBytes());

        Response r = as(operator).contentType("application/zip").body(tampered)
                .put("/vnfpkgm/v2/vnf_packages/" + id + "/package_content");

        r.then().statusCode(422).contentType("application/problem+json").body("status", equalTo(422))
                .body("detail", org.hamcrest.Matchers.containsString("HASH_MISMATCH"));
        EtsiSchemas.assertValid(r.asString(), SOL003, "ProblemDetails.schema.json");
        as(operator).queryParam("all_fields", "").get("/vnfpkgm/v2/vnf_packages/" + id).then().statusCode(200)
                .body("onboardingState", equalTo("ERROR")).body("checksum", org.hamcrest.Matchers.nullValue())
                .body("onboardingFailureDetails.status", equalTo(422))
                .body("onboardingFailureDetails.detail", org.hamcrest.Matchers.containsString("HASH_MISMATCH"));
        as(operator).get("/vnfpkgm/v2/vnf_packages/" + id + "/package_content").then().statusCode(409);
        as(operator).get("/vnfpkgm/v2/vnf_packages/" + id + "/vnfd").then().statusCode(409);

        // the operator uploads a good package into the same resource: on-boarded, the failure forgotten
        as(operator).contentType("application/zip").body(PackagedCsars.load("vnf-mirror"))
                .put("/vnfpkgm/v2/vnf_packages/" + id + "/package_content").then().statusCode(202);
        Response pkg = as(operator).get("/vnfpkgm/v2/vnf_packages/" + id);
        pkg.then().statusCode(200).body("onboardingState", equalTo("ONBOARDED"))
                .body("onboardingFailureDetails", org.hamcrest.Matchers.nullValue());
        // and once on-boarded, content is not uploaded again
        as(operator).contentType("application/zip").body(PackagedCsars.load("vnf-mirror"))
                .put("/vnfpkgm/v2/vnf_packages/" + id + "/package_content").then().statusCode(409);
    }

    @Test
    void somethingThatIsNotAZipIsRefusedWith400() {
        String operator = Tokens.user("oscar");
        String id = as(operator).contentType(ContentType.JSON).body("{}").post("/vnfpkgm/v2/vnf_packages").then()
                .statusCode(201).extract().path("id");

        as(operator).contentType("application/zip").body("not a zip".getBytes())
                .put("/vnfpkgm/v2/vnf_packages/" + id + "/package_content").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aTenantCannotOnboardPackages() {
        as(Tokens.user("alice")).contentType(ContentType.JSON).body("{}").post("/vnfpkgm/v2/vnf_packages").then()
                .statusCode(403).contentType("application/problem+json");
    }

    // --- NSD and NS lifecycle ----------------------------------------------------------------------------------

    static String onboardedNsd(String token, String nsdId) {
        onboardedNatPackage();
        String id = as(token).contentType(ContentType.JSON).body("{\"userDefinedData\":{\"team\":\"net\"}}")
                .post("/nsd/v2/ns_descriptors").then().statusCode(201).extract().path("id");
        as(token).contentType(ContentType.TEXT).body(NSD.formatted(nsdId, nsdId))
                .put("/nsd/v2/ns_descriptors/" + id + "/nsd_content").then().statusCode(202);
        return id;
    }

    static String subscribe(String token) {
        return as(token).contentType(ContentType.JSON)
                .body(Map.of("callbackUri", fake() + "/sink", "filter",
                        Map.of("notificationTypes", List.of("NsLcmOperationOccurrenceNotification"))))
                .post("/nslcm/v2/subscriptions").then().statusCode(org.hamcrest.Matchers.oneOf(201, 303)).extract()
                .header("Location");
    }

    static String awaitOp(String token, String location, String state) {
        String opPath = location.substring(location.indexOf("/nslcm/"));
        await().atMost(Duration.ofSeconds(20)).until(
                () -> state.equals(as(token).get(opPath).then().statusCode(200).extract().path("operationState")));
        return as(token).get(opPath).asString();
    }

    @Test
    void aTenantInstantiatesAndTerminatesANatGatewayAndHearsAboutIt() {
        String alice = Tokens.user("alice");
        post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        String nsdInfoId = onboardedNsd(alice, "nat-gw-ok");
        subscribe(alice);
        EtsiSchemas.assertValid(as(alice).get("/nsd/v2/ns_descriptors/" + nsdInfoId).asString(), NSD_API,
                "NsdInfo.schema.json");

        Response created = as(alice).contentType(ContentType.JSON)
                .body(Map.of("nsdId", "nat-gw-ok", "nsName", "edge", "nsDescription", "office NAT"))
                .post("/nslcm/v2/ns_instances");
        created.then().statusCode(201).header("Location", notNullValue())
                .body("nsState", equalTo("NOT_INSTANTIATED"));
        EtsiSchemas.assertValid(created.asString(), NSLCM, "NsInstance.schema.json");
        String nsId = created.path("id");

        String location = as(alice).contentType(ContentType.JSON)
                .body(Map.of("nsFlavourId", "default", "additionalParamsForVnf",
                        List.of(Map.of("vnfProfileId", "nat", "additionalParams", NAT_CONFIG))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202)
                .header("Location", notNullValue()).extract().header("Location");
        String op = awaitOp(alice, location, "COMPLETED");

        // the v2.6.1 schema makes operationParams an enum string; SOL005 says it is the operation's request body
        EtsiSchemas.assertValid(op, NSLCM, "NsLcmOpOcc.schema.json", "/operationParams");
        as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200)
                .body("nsState", equalTo("INSTANTIATED")).body("vnfInstance.size()", equalTo(1))
                .body("vnfInstance[0].vnfdId", equalTo("isthmus-nat-1.0"));
        String opId = JsonPath.from(op).getString("id");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(notificationsFor(opId))
                .extracting(n -> n.get("notificationStatus") + ":" + n.get("operationState"))
                .containsExactly("START:PROCESSING", "RESULT:COMPLETED"));
        notificationsFor(opId).forEach(n -> EtsiSchemas.assertValid(toJson(n), NSLCM,
                "NsLcmOperationOccurrenceNotification.schema.json"));
        List<String> calls = JsonPath.from(get(fake() + "/control/vnfm-calls")).getList("$");
        assertThat(calls).noneMatch(c -> c.endsWith("NO-VERSION"));

        String termination = as(alice).contentType(ContentType.JSON).body("{}")
                .post("/nslcm/v2/ns_instances/" + nsId + "/terminate").then().statusCode(202).extract()
                .header("Location");
        awaitOp(alice, termination, "COMPLETED");
        as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().body("nsState", equalTo("NOT_INSTANTIATED"));
        as(alice).delete("/nslcm/v2/ns_instances/" + nsId).then().statusCode(204);
        as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(404);
    }

    @Test
    void anNsOperationStopsInFailedTempWhenItsVnfFails() {
        String alice = Tokens.user("alice");
        onboardedNsd(alice, "nat-gw-fails");
        String nsId = as(alice).contentType(ContentType.JSON).body(Map.of("nsdId", "nat-gw-fails", "nsName", "f"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        post(fake() + "/control/vnf-op-outcome", "FAILED_TEMP");
        try {
            String location = as(alice).contentType(ContentType.JSON).body(Map.of("nsFlavourId", "default"))
                    .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                    .header("Location");

            String op = awaitOp(alice, location, "FAILED_TEMP");

            assertThat(JsonPath.from(op).getString("error.detail")).contains("FAILED_TEMP");
            as(alice).contentType(ContentType.JSON).body(Map.of("nsFlavourId", "default"))
                    .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(409);
            String opId = JsonPath.from(op).getString("id");
            String vnfId = as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().extract()
                    .path("vnfInstance[0].id");

            // giving it up fails the VNF's operation on the VNFM, and the VNF it created goes: no orphan
            post(fake() + "/control/vnf-instance-state", "NOT_INSTANTIATED");
            as(alice).post("/nslcm/v2/ns_lcm_op_occs/" + opId + "/fail").then().statusCode(200)
                    .body("operationState", equalTo("FAILED"));
            as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200)
                    .body("nsState", equalTo("NOT_INSTANTIATED"))
                    .body("vnfInstance", org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.nullValue(),
                            org.hamcrest.Matchers.empty()));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                List<String> calls = given().get(fake() + "/control/vnfm-calls").then().extract().path("$");
                assertThat(calls).anyMatch(c -> c.matches("POST /vnflcm/v2/vnf_lcm_op_occs/[^/]+/fail"))
                        .contains("DELETE /vnflcm/v2/vnf_instances/" + vnfId);
            });
            // and the NS can be deleted
            as(alice).delete("/nslcm/v2/ns_instances/" + nsId).then().statusCode(204);
        } finally {
            post(fake() + "/control/vnf-op-outcome", "COMPLETED");
            post(fake() + "/control/vnf-instance-state", "INSTANTIATED");
        }
    }

    @Test
    void twentyParallelInstantiatesOfOneNsStartOneOperation() throws Exception {
        String alice = Tokens.user("alice");
        post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        onboardedNsd(alice, "nat-gw-race");
        String nsId = as(alice).contentType(ContentType.JSON).body(Map.of("nsdId", "nat-gw-race", "nsName", "r"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> replies = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                replies.add(pool.submit(() -> {
                    start.await();
                    return as(alice).contentType(ContentType.JSON).body(Map.of("nsFlavourId", "default"))
                            .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> f : replies) {
                statuses.add(f.get());
            }
            assertThat(statuses).isSubsetOf(202, 409).filteredOn(s -> s == 202).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        List<String> ops = as(alice).queryParam("filter", "(eq,nsInstanceId," + nsId + ")")
                .get("/nslcm/v2/ns_lcm_op_occs").then().statusCode(200).extract().path("id");
        assertThat(ops).hasSize(1);
    }

    @Test
    void aRolledBackInstantiationIsRolledBackOnceItsVnfsAreGone() {
        String alice = Tokens.user("alice");
        onboardedNsd(alice, "nat-gw-rollback");
        String nsId = as(alice).contentType(ContentType.JSON)
                .body(Map.of("nsdId", "nat-gw-rollback", "nsName", "rb")).post("/nslcm/v2/ns_instances").then()
                .statusCode(201).extract().path("id");
        post(fake() + "/control/vnf-op-outcome", "FAILED_TEMP");
        try {
            String location = as(alice).contentType(ContentType.JSON).body(Map.of("nsFlavourId", "default"))
                    .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                    .header("Location");
            String opId = JsonPath.from(awaitOp(alice, location, "FAILED_TEMP")).getString("id");
            String vnfId = as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().extract()
                    .path("vnfInstance[0].id");
            post(fake() + "/control/vnf-instance-state", "NOT_INSTANTIATED");

            as(alice).post("/nslcm/v2/ns_lcm_op_occs/" + opId + "/rollback").then().statusCode(202);
            awaitOp(alice, location, "ROLLED_BACK");
            List<String> calls = given().get(fake() + "/control/vnfm-calls").then().extract().path("$");
            assertThat(calls).contains("DELETE /vnflcm/v2/vnf_instances/" + vnfId);
            as(alice).post("/nslcm/v2/ns_lcm_op_occs/" + opId + "/rollback").then().statusCode(409);
            as(alice).delete("/nslcm/v2/ns_instances/" + nsId).then().statusCode(204);
        } finally {
            post(fake() + "/control/vnf-op-outcome", "COMPLETED");
            post(fake() + "/control/vnf-instance-state", "INSTANTIATED");
        }
    }

    @Test
    void terminateTakesAVnfThatIsGoneAlreadyAsTerminated() {
        String alice = Tokens.user("alice");
        post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        onboardedNsd(alice, "nat-gw-gone");
        String nsId = as(alice).contentType(ContentType.JSON).body(Map.of("nsdId", "nat-gw-gone", "nsName", "g"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        awaitOp(alice, as(alice).contentType(ContentType.JSON).body(Map.of("nsFlavourId", "default"))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                .header("Location"), "COMPLETED");
        post(fake() + "/control/vnfs-gone", "true");
        try {
            awaitOp(alice, as(alice).contentType(ContentType.JSON).body("{}")
                    .post("/nslcm/v2/ns_instances/" + nsId + "/terminate").then().statusCode(202).extract()
                    .header("Location"), "COMPLETED");
            as(alice).delete("/nslcm/v2/ns_instances/" + nsId).then().statusCode(204);
        } finally {
            post(fake() + "/control/vnfs-gone", "false");
        }
    }

    @Test
    void anotherTenantSees404NeverTheData() {
        String alice = Tokens.user("alice");
        String nsdInfoId = onboardedNsd(alice, "nat-gw-private");
        String nsId = as(alice).contentType(ContentType.JSON).body(Map.of("nsdId", "nat-gw-private", "nsName", "p"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        String bob = Tokens.user("bob");

        as(bob).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(404)
                .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("edge")));
        as(bob).get("/nsd/v2/ns_descriptors/" + nsdInfoId).then().statusCode(404);
        as(bob).contentType(ContentType.JSON).body(Map.of("nsFlavourId", "default"))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(404);
        List<String> bobs = as(bob).get("/nslcm/v2/ns_instances").then().statusCode(200).extract().path("id");
        assertThat(bobs).doesNotContain(nsId);
        as(bob).contentType(ContentType.JSON).body(Map.of("nsdId", "nat-gw-private", "nsName", "steal"))
                .post("/nslcm/v2/ns_instances").then().statusCode(422);
    }

    @Test
    void anNsdUsingAVnfdThatIsNotOnboardedIsRefused() {
        String alice = Tokens.user("alice");
        String id = as(alice).contentType(ContentType.JSON).body("{}").post("/nsd/v2/ns_descriptors").then()
                .statusCode(201).extract().path("id");

        as(alice).contentType(ContentType.TEXT).body(NSD.formatted("x", "x").replace("isthmus-nat-1.0", "nope-9"))
                .put("/nsd/v2/ns_descriptors/" + id + "/nsd_content").then().statusCode(422)
                .body("detail", org.hamcrest.Matchers.containsString("nope-9"));
        as(alice).get("/nsd/v2/ns_descriptors/" + id).then().body("nsdOnboardingState", equalTo("CREATED"));
    }

    // --- granting ------------------------------------------------------------------------------------------------

    @Test
    void aGrantIsRefusedWith403WhenTheVimRefusesTheTenantsQuota() {
        String alice = Tokens.user("alice");
        post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        onboardedNsd(alice, "nat-gw-grant");
        String nsId = as(alice).contentType(ContentType.JSON).body(Map.of("nsdId", "nat-gw-grant", "nsName", "g"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        String location = as(alice).contentType(ContentType.JSON).body(Map.of("nsFlavourId", "default"))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                .header("Location");
        awaitOp(alice, location, "COMPLETED");
        String vnfInstanceId = as(alice).get("/nslcm/v2/ns_instances/" + nsId).then().extract()
                .path("vnfInstance[0].id");
        Map<String, Object> request = Map.of("vnfInstanceId", vnfInstanceId, "vnfLcmOpOccId", "op-1", "vnfdId",
                "isthmus-nat-1.0", "operation", "INSTANTIATE", "isAutomaticInvocation", false, "addResources",
                List.of(Map.of("id", "r1", "type", "COMPUTE", "vduId", "fastpath", "resourceTemplate",
                        Map.of("vcpus", 1, "memoryMb", 256))),
                "_links", Map.of("vnfLcmOpOcc", Map.of("href", "http://vnfm/vnflcm/v2/vnf_lcm_op_occs/op-1"),
                        "vnfInstance", Map.of("href", "http://vnfm/vnflcm/v2/vnf_instances/" + vnfInstanceId)));
        String service = Tokens.service();

        post(fake() + "/control/admit", "false");
        try {
            Response refused = given().auth().oauth2(service).header("Version", "1.4.0").contentType(ContentType.JSON)
                    .body(request).post("/grant/v1/grants");
            refused.then().statusCode(403).contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.containsString("quota"));
        } finally {
            post(fake() + "/control/admit", "true");
        }
        Response granted = given().auth().oauth2(service).header("Version", "1.4.0").contentType(ContentType.JSON)
                .body(request).post("/grant/v1/grants");
        granted.then().statusCode(201).header("Location", notNullValue())
                .body("vnfInstanceId", equalTo(vnfInstanceId)).body("addResources[0].resourceDefinitionId",
                        equalTo("r1"));
        EtsiSchemas.assertValid(granted.asString(), "SOL003/VNFLifecycleOperationGranting-API", "grant.schema.json");
        given().auth().oauth2(alice).header("Version", "1.4.0").contentType(ContentType.JSON).body(request)
                .post("/grant/v1/grants")
                .then().statusCode(403);
        Map<String, Object> otherTenant = new java.util.HashMap<>(request);
        otherTenant.put("additionalParams", Map.of("tenant", "globex"));
        given().auth().oauth2(service).header("Version", "1.4.0").contentType(ContentType.JSON).body(otherTenant)
                .post("/grant/v1/grants").then().statusCode(403)
                .body("detail", org.hamcrest.Matchers.containsString("another tenant"));
        Map<String, Object> noLinks = new java.util.HashMap<>(request);
        noLinks.remove("_links");
        given().auth().oauth2(service).header("Version", "1.4.0").contentType(ContentType.JSON).body(noLinks)
                .post("/grant/v1/grants").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aVnfCreatedDirectlyOnTheVnfmIsGrantedAgainstTheTenantTheVnfmNames() {
        String service = Tokens.service();
        String vnfInstanceId = java.util.UUID.randomUUID().toString();
        Map<String, Object> request = new java.util.HashMap<>(Map.of("vnfInstanceId", vnfInstanceId, "vnfLcmOpOccId",
                "op-2", "vnfdId", "isthmus-nat-1.0", "operation", "INSTANTIATE", "isAutomaticInvocation", false,
                "addResources",
                List.of(Map.of("id", "r1", "type", "COMPUTE", "vduId", "fastpath", "resourceTemplate",
                        Map.of("vcpus", 1, "memoryMb", 256))),
                "_links", Map.of("vnfLcmOpOcc", Map.of("href", "http://vnfm/vnflcm/v2/vnf_lcm_op_occs/op-2"),
                        "vnfInstance", Map.of("href", "http://vnfm/vnflcm/v2/vnf_instances/" + vnfInstanceId))));
        // no NS and no tenant named: nobody's quota to count against
        given().auth().oauth2(service).header("Version", "1.4.0").contentType(ContentType.JSON).body(request)
                .post("/grant/v1/grants").then().statusCode(403).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("names no tenant"));
        request.put("additionalParams", Map.of("tenant", "acme"));
        Response granted = given().auth().oauth2(service).header("Version", "1.4.0").contentType(ContentType.JSON)
                .body(request).post("/grant/v1/grants");
        granted.then().statusCode(201).body("vnfInstanceId", equalTo(vnfInstanceId));
        EtsiSchemas.assertValid(granted.asString(), "SOL003/VNFLifecycleOperationGranting-API", "grant.schema.json");
        post(fake() + "/control/admit", "false");
        try {
            given().auth().oauth2(service).header("Version", "1.4.0").contentType(ContentType.JSON).body(request)
                    .post("/grant/v1/grants").then().statusCode(403)
                    .body("detail", org.hamcrest.Matchers.containsString("quota"));
        } finally {
            post(fake() + "/control/admit", "true");
        }
    }

    @Test
    void everyApiAnswersItsVersionsWithoutAVersionHeader() {
        String alice = Tokens.user("alice");
        Map<String, String> apis = Map.of("/nsd", NSD_API + ":2.", "/vnfpkgm", "SOL005/VNFPackageManagement-API:2.",
                "/grant", "SOL003/VNFLifecycleOperationGranting-API:1.", "/nslcm", NSLCM + ":2.");
        apis.forEach((api, expected) -> {
            String schemaDir = expected.substring(0, expected.indexOf(':'));
            String major = expected.substring(expected.indexOf(':') + 1);
            String prefix = api + "/v" + major.charAt(0);
            for (String path : List.of(api + "/api_versions", prefix + "/api_versions")) {
                Response r = given().auth().oauth2(alice).get(path);
                r.then().statusCode(200).header("Version", org.hamcrest.Matchers.startsWith(major))
                        .body("uriPrefix", equalTo(prefix))
                        .body("apiVersions[0].version", org.hamcrest.Matchers.startsWith(major));
                assertThat(r.asString()).as(path).doesNotContain("null");
                EtsiSchemas.assertValid(r.asString(), schemaDir, "ApiVersionInformation.schema.json");
            }
        });
        given().get("/nsd/api_versions").then().statusCode(401);
    }

    @Test
    void aPackagesUsageStateFollowsTheVnfInstancesTheVnfmHas() {
        String operator = Tokens.user("oscar");
        String pkg = "/vnfpkgm/v2/vnf_packages/" + onboardedNatPackage();
        String vnfId = java.util.UUID.randomUUID().toString();

        // the VNFM notifies a VNF instance of the package's VNFD created: the NFVO reads it back, and it is in use
        identifierNotification("VnfIdentifierCreationNotification", vnfId);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "IN_USE".equals(as(operator).get(pkg).then().extract().path("usageState")));
        as(operator).delete(pkg).then().statusCode(409).contentType("application/problem+json");

        // the VNFM deletes it (and does not know it any more): the package is not in use
        post(fake() + "/control/vnfs-gone", "true");
        try {
            identifierNotification("VnfIdentifierDeletionNotification", vnfId);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> "NOT_IN_USE".equals(as(operator).get(pkg).then().extract().path("usageState")));
        } finally {
            post(fake() + "/control/vnfs-gone", "false");
        }
    }

    /** What the VNFM sends the NFVO's callback when a VNF instance is created or deleted (SOL003 5.5.2.18/19). */
    static void identifierNotification(String type, String vnfInstanceId) {
        given().contentType(ContentType.JSON)
                .body(Map.of("id", java.util.UUID.randomUUID().toString(), "notificationType", type,
                        "subscriptionId", "s", "timeStamp", "2026-12-03T08:00:00Z", "vnfInstanceId", vnfInstanceId,
                        "_links", Map.of("vnfInstance", Map.of("href", "http://vnfm/vnflcm/v2/vnf_instances/x"),
                                "subscription", Map.of("href", "http://vnfm/vnflcm/v2/subscriptions/s"))))
                .post("/callbacks/v2/vnflcm").then().statusCode(204);
    }

    // --- SOL013 bad input -------------------------------------------------------------------------------------------

    @Test
    void badRequestsGetSol013ProblemDetails() {
        String alice = Tokens.user("alice");

        Response malformed = as(alice).contentType(ContentType.JSON).body("{\"nsdId\": ")
                .post("/nslcm/v2/ns_instances");
        malformed.then().statusCode(400).contentType("application/problem+json");
        EtsiSchemas.assertValid(malformed.asString(), NSLCM, "ProblemDetails.schema.json");

        as(alice).contentType(ContentType.JSON).body("{\"nsdId\": {\"a\":1}, \"nsName\": \"x\"}")
                .post("/nslcm/v2/ns_instances").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(alice).get("/nslcm/v2/ns_instances").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("Version"));
        given().header("Version", "2.0.0").get("/nslcm/v2/ns_instances").then().statusCode(401)
                .contentType("application/problem+json");
        Response missing = as(alice).get("/nslcm/v2/ns_instances/4d1bd1a0-0000-0000-0000-000000000000");
        missing.then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
        as(alice).get("/nslcm/v2/ns_lcm_op_occs/nope").then().statusCode(404);
        as(alice).queryParam("filter", "(eq,colour,x)").get("/vnfpkgm/v2/vnf_packages").then().statusCode(400);
        as(alice).get("/nslcm/v2/ns_instances").then().statusCode(200).header("Version", "2.0.0");
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    static List<Map<String, Object>> notificationsFor(String opId) {
        List<Map<String, Object>> all = JsonPath.from(get(fake() + "/control/notifications")).getList("$");
        return all.stream().filter(n -> opId.equals(n.get("nsLcmOpOccId"))).toList();
    }

    static String toJson(Object o) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void post(String url, String body) {
        given().body(body).post(url).then().statusCode(204);
    }

    static String get(String url) {
        return given().get(url).then().statusCode(200).extract().asString();
    }

    /** The CSAR with one file replaced after its manifest was made, so the manifest no longer vouches for it. */
    private static byte[] tampered(byte[] csar, String path, byte[] content) throws java.io.IOException {
        java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(csar))) {
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                files.put(entry.getName(), zip.readAllBytes());
            }
        }
        files.put(path, content);
        return CsarBuilder.zip(files);
    }
}
