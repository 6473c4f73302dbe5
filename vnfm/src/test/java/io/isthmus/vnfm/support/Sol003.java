package io.isthmus.vnfm.support;

import static io.restassured.RestAssured.given;

import java.util.Map;

import io.isthmus.vnfm.fakes.FakeNfvo;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The VNF LCM and VNF indicator APIs as a client calls them: bearer token, the API's {@code Version}, JSON. */
public final class Sol003 {

    public static final String ROOT = "/vnflcm/v2";

    /** Where the ETSI conformance-test schemas of this API are, for {@code io.isthmus.sol.testing.EtsiSchemas}. */
    public static final String LCM_API = "SOL003/VNFLifecycleManagement-API";

    private Sol003() {
    }

    /** The VNF indicator API (SOL003 clause 8), version 1.3.0. */
    public static final String INDICATORS = "/vnfind/v1";

    public static RequestSpecification as(String token) {
        return as(token, ROOT);
    }

    /** As {@link #as(String)}, with the {@code Version} of the API {@code path} is of. */
    public static RequestSpecification as(String token, String path) {
        return given().auth().oauth2(token).header("Version", versionOf(path)).contentType(ContentType.JSON)
                .accept(ContentType.JSON).redirects().follow(false);
    }

    /** The {@code Version} a client sends to {@code path}: 1.3.0 to the VNF indicator API, 2.0.0 to VNF LCM. */
    public static String versionOf(String path) {
        return path.startsWith("/vnfind/") ? "1.3.0" : "2.0.0";
    }

    public static Map<String, Object> natConfig(String publicAddress) {
        return Map.of("publicAddress", publicAddress, "portRangeStart", 20000, "portRangeEnd", 29999, "insideVni", 100,
                "outsideVni", 200, "insideNextHop", "127.0.0.1:40002", "outsideNextHop", "127.0.0.1:40001");
    }

    /** Creates a NAT instance as the nfvo does; returns its id. */
    public static String createNat(String token, String tenant) {
        return as(token).body(Map.of("vnfdId", FakeNfvo.VNFD_ID, "vnfInstanceName", "nat",
                "metadata", Map.of("tenant", tenant, "nsInstanceId", "ns-1")))
                .post(ROOT + "/vnf_instances").then().statusCode(201).extract().path("id");
    }

    /** Starts instantiation; returns the op occ id (from the Location header). */
    public static String instantiate(String token, String vnfInstanceId, String publicAddress) {
        Response response = as(token).body(Map.of("flavourId", "default", "additionalParams",
                natConfig(publicAddress))).post(ROOT + "/vnf_instances/" + vnfInstanceId + "/instantiate");
        response.then().statusCode(202);
        return lastSegment(response.header("Location"));
    }

    public static String terminate(String token, String vnfInstanceId) {
        Response response = as(token).body(Map.of("terminationType", "FORCEFUL"))
                .post(ROOT + "/vnf_instances/" + vnfInstanceId + "/terminate");
        response.then().statusCode(202);
        return lastSegment(response.header("Location"));
    }

    public static String opState(String token, String opId) {
        return as(token).get(ROOT + "/vnf_lcm_op_occs/" + opId).then().statusCode(200).extract()
                .path("operationState");
    }

    public static String lastSegment(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }
}
