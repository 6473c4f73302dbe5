package io.isthmus.vnfm.api;

import static io.isthmus.sol.testing.EtsiSchemas.assertValid;
import static io.isthmus.vnfm.support.Sol003.LCM_API;
import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.isthmus.vnfm.fakes.FakeNfvo;
import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Input no client should send, each answered with a ProblemDetails that says where and why, and nothing stored: the
 * list of instances reads the same before and after.
 */
@QuarkusTest
@WithTestResource(FakePeers.class)
class HostileInputTest {

    @Test
    void badBodiesAre400NamingTheAttributeInTheApisTermsAndStoreNothing() {
        String alice = Tokens.alice();
        int before = count(alice);
        Map<Object, String> bodies = Map.of(
                Map.of("vnfdId", FakeNfvo.VNFD_ID, "vnfInstanceName", "n".repeat(256)),
                "vnfInstanceName: longer than 255 characters",
                Map.of("vnfdId", FakeNfvo.VNFD_ID, "metadata", Map.of("owner", "a\u0000b")),
                "metadata.owner: control character U+0000",
                Map.of("vnfdId", FakeNfvo.VNFD_ID, "metadata", Map.of("deep", List.of(Map.of("x", "\u0007")))),
                "metadata.deep[0].x: control character U+0007",
                Map.of("vnfdId", FakeNfvo.VNFD_ID, "metadata", Map.of("k\u0001", "v")),
                "key control character U+0001",
                Map.of("vnfdId", Map.of("not", "a string")), "vnfdId: expected a string",
                Map.of("vnfdId", FakeNfvo.VNFD_ID, "metadata", List.of(1, 2)), "metadata: expected an object",
                "[1, 2, 3]", "the request body: expected an object",
                "{\"vnfdId\": ", "Malformed request body");
        bodies.forEach((body, detail) -> {
            Response r = as(alice).body(body).post(ROOT + "/vnf_instances");
            r.then().statusCode(400).contentType("application/problem+json");
            assertThat(r.<String>path("detail")).as("%s", body).contains(detail).doesNotContain("java.", "io.isthmus");
            assertValid(r.asString(), LCM_API, "ProblemDetails.schema.json");
        });
        assertThat(count(alice)).isEqualTo(before);
    }

    @Test
    void controlCharactersInTheUriAre400() {
        for (String path : List.of(ROOT + "/vnf_instances/a%00b", ROOT + "/vnf_instances/a%0Ab",
                ROOT + "/vnf_lcm_op_occs/%7F")) {
            Response r = as(Tokens.alice()).urlEncodingEnabled(false).get(path);
            r.then().statusCode(400).contentType("application/problem+json");
            assertValid(r.asString(), LCM_API, "ProblemDetails.schema.json");
        }
        as(Tokens.alice()).urlEncodingEnabled(false).get(ROOT + "/vnf_instances?filter=%00").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void oversizedBodiesAre413ProblemDetails() {
        String alice = Tokens.alice();
        int before = count(alice);
        // over the JSON limit (1 MiB), and over the limit of any body (2 MiB)
        Map<String, Integer> sizes = Map.of("application/json", 1_200_000, "application/octet-stream", 3_000_000);
        sizes.forEach((type, size) -> {
            String body = "{\"vnfdId\":\"" + FakeNfvo.VNFD_ID + "\",\"vnfInstanceDescription\":\"" + "d".repeat(size)
                    + "\"}";
            Response r = as(alice).contentType(type).body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .post(ROOT + "/vnf_instances");
            r.then().statusCode(413).contentType("application/problem+json");
            assertValid(r.asString(), LCM_API, "ProblemDetails.schema.json");
        });
        assertThat(count(alice)).isEqualTo(before);
    }

    private static int count(String token) {
        return as(token).get(ROOT + "/vnf_instances").then().statusCode(200).extract().<List<?>>path("$").size();
    }
}
