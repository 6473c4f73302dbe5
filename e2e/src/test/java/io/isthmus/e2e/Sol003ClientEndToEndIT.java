package io.isthmus.e2e;

import static io.isthmus.e2e.NatGatewayEndToEndIT.port;
import static io.isthmus.e2e.NatGatewayEndToEndIT.receive;
import static io.isthmus.e2e.NatGatewayEndToEndIT.send;
import static io.isthmus.e2e.NatGatewayEndToEndIT.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * A SOL003 client (an external NFVO or OSS, here tenant alice's token) runs a VNF's whole lifecycle on the VNFM
 * alone — create, instantiate, terminate, delete — with no NS: the VNFM is granted by the NFVO against alice's quota,
 * the VIM starts real processes, a packet goes through, and terminate gives everything back.
 */
class Sol003ClientEndToEndIT {

    static Platform platform;

    @BeforeAll
    static void startPlatform() {
        platform = new Platform().start();
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    static RequestSpecification vnfm(String token) {
        return given().baseUri(platform.url("vnfm")).auth().oauth2(token).header("Version", "2.0.0")
                .contentType(ContentType.JSON);
    }

    static int quotaVcpusUsed(String operator) {
        return given().baseUri(platform.url("vim")).auth().oauth2(operator).get("/vim/v1/quotas/acme").then()
                .statusCode(200).extract().path("vcpusUsed");
    }

    static void awaitOp(String token, String location) {
        String path = location.substring(location.indexOf("/vnflcm/"));
        await("VNF operation " + path).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    String s = vnfm(token).get(path).then().statusCode(200).extract().path("operationState");
                    assertThat(s).as("operation %s", path).isNotIn("FAILED_TEMP", "FAILED");
                    return "COMPLETED".equals(s);
                });
    }

    @Test
    void aSol003ClientRunsAVnfsWholeLifecycleOnTheVnfmAlone() throws Exception {
        String operator = token("oscar");
        String alice = token("alice");
        String nfvo = platform.url("nfvo");
        Catalog.onboard(platform, "vnf-mirror");
        int quotaBefore = quotaVcpusUsed(operator);

        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                DatagramSocket sink = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            sink.setSoTimeout(5000);

            // create and instantiate straight on the VNFM, as SOL003 allows
            String id = vnfm(alice).body(Map.of("vnfdId", "isthmus-mirror-1.0", "vnfInstanceName", "tap"))
                    .post("/vnflcm/v2/vnf_instances").then().statusCode(201).extract().path("id");
            String instantiation = vnfm(alice)
                    .body(Map.of("flavourId", "default", "additionalParams",
                            Map.of("nextHop", "127.0.0.1:" + sink.getLocalPort())))
                    .post("/vnflcm/v2/vnf_instances/" + id + "/instantiate").then().statusCode(202).extract()
                    .header("Location");
            awaitOp(alice, instantiation);

            // granted against alice's quota, run as real processes of the VNF runtime
            JsonPath vnf = vnfm(alice).get("/vnflcm/v2/vnf_instances/" + id).then().statusCode(200)
                    .body("instantiationState", equalTo("INSTANTIATED")).extract().jsonPath();
            assertThat(quotaVcpusUsed(operator)).isGreaterThan(quotaBefore);
            List<Map<String, Object>> vnfcs = vnf.getList("instantiatedVnfInfo.vnfcResourceInfo");
            List<Long> pids = vnfcs.stream().map(NatGatewayEndToEndIT::pid).flatMap(Optional::stream).toList();
            assertThat(pids).hasSize(2).allMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));
            Map<String, Object> fastpath = vnfcs.stream().filter(v -> "fastpath".equals(v.get("vduId"))).findFirst()
                    .orElseThrow();

            // and forwarding: configured by the VNFM from the instantiate request
            byte[] frame = Frames.vxlanUdp(300, Frames.ip("10.0.0.5"), 5555, Frames.ip("198.51.100.7"), 53,
                    "through the VNFM alone".getBytes(StandardCharsets.UTF_8));
            send(client, port(fastpath, "dataPort"), frame);
            byte[] out = new byte[2048];
            DatagramPacket got = receive(sink, out);
            assertThat(Arrays.copyOf(out, got.getLength())).isEqualTo(frame);

            // another tenant sees nothing of it
            vnfm(token("bob")).get("/vnflcm/v2/vnf_instances/" + id).then().statusCode(404);

            // terminate gives everything back, and the instance goes
            String termination = vnfm(alice).body(Map.of("terminationType", "FORCEFUL"))
                    .post("/vnflcm/v2/vnf_instances/" + id + "/terminate").then().statusCode(202).extract()
                    .header("Location");
            awaitOp(alice, termination);
            await().atMost(Duration.ofSeconds(15)).until(() -> pids.stream()
                    .noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));
            assertThat(quotaVcpusUsed(operator)).isEqualTo(quotaBefore);
            vnfm(alice).delete("/vnflcm/v2/vnf_instances/" + id).then().statusCode(204);
            vnfm(alice).get("/vnflcm/v2/vnf_instances/" + id).then().statusCode(404);
        }
    }
}
