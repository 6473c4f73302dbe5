package io.isthmus.vnfm.support;

import static io.restassured.RestAssured.given;

import java.util.Map;

import io.isthmus.vnfm.fakes.FakeNfvo;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The VNF LCM API as a client calls it: bearer token, {@code Version: 2.0.0}, JSON. */
public final class Sol003 {

    public static final String ROOT = "/vnflcm/v2";

    /** Where the ETSI conformance-test schemas of this API are, for {@code io.isthmus.sol.testing.EtsiSchemas}. */
    public static final String LCM_API = "SOL003/VNFLifecycleManagement-API";

    private Sol003() {
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).header("Version", "2.0.0").contentType(ContentType.JSON)
                .accept(ContentType.JSON).redirects().follow(false);
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
