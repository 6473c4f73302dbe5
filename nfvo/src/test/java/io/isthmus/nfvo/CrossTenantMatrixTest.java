package io.isthmus.nfvo;

import static io.isthmus.nfvo.NfvoApiTest.as;
import static io.isthmus.nfvo.NfvoApiTest.awaitOp;
import static io.isthmus.nfvo.NfvoApiTest.fake;
import static io.isthmus.nfvo.NfvoApiTest.onboardedNatPackage;
import static io.isthmus.nfvo.NfvoApiTest.onboardedNsd;
import static io.isthmus.nfvo.NfvoApiTest.post;
import static io.isthmus.nfvo.NfvoApiTest.subscribe;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.isthmus.sol.api.SolApiVersions;
import io.isthmus.sol.testing.Endpoints;
import io.isthmus.sol.testing.Endpoints.Endpoint;
import io.isthmus.vnf.catalog.PackagedCsars;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Tenant B's token on every endpoint of the NFVO that names one of tenant A's resources — the list is read from the
 * JAX-RS resources, so a new endpoint is tried without editing this test — answers 403 or 404, and A reads every one
 * of its resources back unchanged. The VNF package catalogue is shared by design: every tenant reads it, none changes
 * it.
 */
@QuarkusTest
@QuarkusTestResource(value = FakePeers.class, restrictToAnnotatedClass = true)
class CrossTenantMatrixTest {

    /** Collections every tenant may read (the operator's catalogue). */
    static final Set<String> SHARED = Set.of("vnf_packages");

    @Test
    void tenantBNeverReachesTenantAsResources() {
        String alice = Tokens.user("alice");
        String bob = Tokens.user("bob");
        post(fake() + "/control/vnf-op-outcome", "COMPLETED");

        // tenant A's resources, one of each kind, and the id each collection's path parameter takes
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("vnf_packages", onboardedNatPackage());
        ids.put("ns_descriptors", onboardedNsd(alice, "nat-gw-matrix"));
        String nsId = as(alice).contentType(ContentType.JSON).body(Map.of("nsdId", "nat-gw-matrix", "nsName", "m"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        ids.put("ns_instances", nsId);
        String location = as(alice).contentType(ContentType.JSON).body(Map.of("nsFlavourId", "default"))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                .header("Location");
        awaitOp(alice, location, "COMPLETED");
        ids.put("ns_lcm_op_occs", location.substring(location.lastIndexOf('/') + 1));
        String subscription = subscribe(alice);
        ids.put("subscriptions", subscription.substring(subscription.lastIndexOf('/') + 1));
        ids.put("grants", grantOf(nsId));

        Map<String, String> before = readBack(alice, ids);

        List<String> failures = new ArrayList<>();
        List<Endpoint> tried = new ArrayList<>();
        for (Endpoint e : Endpoints.of("io.isthmus.nfvo.api")) {
            if (e.pathParams().isEmpty()) {
                continue;
            }
            String path = e.expandWith(ids);
            Response r = call(bob, e, path);
            tried.add(e);
            boolean shared = SHARED.contains(e.collectionOf(e.pathParams().getFirst()));
            Set<Integer> allowed = shared && e.method().equals("GET") ? Set.of(200, 403, 409) : Set.of(403, 404);
            if (!allowed.contains(r.statusCode())) {
                failures.add(e + " → " + r.statusCode() + " " + r.asString());
            }
        }
        assertThat(failures).as("endpoints tenant B reached").isEmpty();
        assertThat(tried).hasSizeGreaterThan(10);
        assertThat(readBack(alice, ids)).as("tenant A's resources after tenant B's tries").isEqualTo(before);
    }

    /** Each of A's resources as A reads it (the single GET of each collection). */
    static Map<String, String> readBack(String token, Map<String, String> ids) {
        Map<String, String> bodies = new LinkedHashMap<>();
        for (Endpoint e : Endpoints.of("io.isthmus.nfvo.api")) {
            if (e.method().equals("GET") && e.pathParams().size() == 1 && e.path().endsWith("}")) {
                String collection = e.collectionOf(e.pathParams().getFirst());
                if (!collection.equals("grants")) {
                    Response r = as(token).get(e.expand(p -> ids.get(collection)));
                    bodies.put(e.toString(), r.statusCode() + " " + r.asString());
                }
            }
        }
        return bodies;
    }

    static Response call(String token, Endpoint e, String path) {
        var request = given().auth().oauth2(token).urlEncodingEnabled(false).header("Version",
                SolApiVersions.versionOf(path).orElse("2.0.0"));
        if (e.bodyType() != null) {
            Object body = body(e);
            request = request.contentType(e.consumes());
            request = body instanceof byte[] bytes
                    ? request.body(bytes)
                    : body instanceof String text ? request.body(text) : request.body(body);
        }
        return request.request(e.method(), path);
    }

    /** A body that would be accepted from tenant A. */
    static Object body(Endpoint e) {
        return switch (e.bodyType().getSimpleName()) {
            case "InstantiateNsRequest" -> Map.of("nsFlavourId", "default");
            case "LccnSubscriptionRequest" -> Map.of("callbackUri", fake() + "/sink");
            case "String" -> NfvoApiTest.NSD.formatted("nat-gw-matrix-b", "nat-gw-matrix-b");
            case "byte[]" -> PackagedCsars.load("vnf-nat");
            default -> Map.of();
        };
    }

    /** A grant the NFVO gave for a VNF of tenant A's NS. */
    static String grantOf(String nsId) {
        String vnfInstanceId = as(Tokens.user("alice")).get("/nslcm/v2/ns_instances/" + nsId).then().extract()
                .path("vnfInstance[0].id");
        return given().auth().oauth2(Tokens.service()).header("Version", "1.4.0").contentType(ContentType.JSON)
                .body(Map.of("vnfInstanceId", vnfInstanceId, "vnfLcmOpOccId", "op-m", "vnfdId", "isthmus-nat-1.0",
                        "operation", "INSTANTIATE", "isAutomaticInvocation", false, "_links",
                        Map.of("vnfLcmOpOcc", Map.of("href", "http://vnfm/vnflcm/v2/vnf_lcm_op_occs/op-m"),
                                "vnfInstance", Map.of("href", "http://vnfm/vnflcm/v2/vnf_instances/x"))))
                .post("/grant/v1/grants").then().statusCode(201).extract().path("id");
    }
}
