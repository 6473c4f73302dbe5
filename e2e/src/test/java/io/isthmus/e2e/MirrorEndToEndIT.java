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
 * A VNF type added as one module and one line of vnf-runtime's pom, and nothing else: the mirror is on-boarded from
 * the package its module builds, ordered through SOL005, started by the VIM from the one VNF runtime, configured by
 * the VNFM, and forwards a real packet unchanged; terminate stops it.
 */
class MirrorEndToEndIT {

    static final int VNI = 300;

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

    static RequestSpecification nfvo(String token) {
        return given().baseUri(platform.url("nfvo")).auth().oauth2(token).header("Version", "2.0.0");
    }

    static void awaitOp(String token, String location) {
        String path = location.substring(location.indexOf("/nslcm/"));
        await("NS operation " + location).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    String s = nfvo(token).get(path).then().statusCode(200).extract().path("operationState");
                    assertThat(s).as("operation %s", path).isNotIn("FAILED_TEMP", "FAILED");
                    return "COMPLETED".equals(s);
                });
    }

    @Test
    void aMirrorAddedAsOneModuleIsOrderedAndForwardsARealPacketUnchanged() throws Exception {
        String operator = token("oscar");
        String alice = token("alice");

        // Given the operator on-boarded the package vnf-mirror's build made
        Catalog.onboard(platform, "vnf-mirror");

        // and a tenant's NSD that uses it
        String nsdInfoId = nfvo(alice).contentType(ContentType.JSON).body("{}").post("/nsd/v2/ns_descriptors").then()
                .statusCode(201).extract().path("id");
        nfvo(alice).contentType(ContentType.TEXT).body("""
                tosca_definitions_version: tosca_simple_yaml_1_3
                topology_template:
                  node_templates:
                    ns:
                      type: tosca.nodes.nfv.NS
                      properties: {descriptor_id: tap, designer: acme, version: '1.0', name: Tap, invariant_id: tap}
                    mirror:
                      type: isthmus.nodes.nfv.Mirror
                      properties: {descriptor_id: isthmus-mirror-1.0}
                      requirements: [ {out: collector} ]
                    collector: {type: tosca.nodes.nfv.Sap}
                """).put("/nsd/v2/ns_descriptors/" + nsdInfoId + "/nsd_content").then().statusCode(202);
        String nsId = nfvo(alice).contentType(ContentType.JSON).body(Map.of("nsdId", "tap", "nsName", "tap"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");

        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                DatagramSocket sink = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            sink.setSoTimeout(5000);

            // When the tenant instantiates it, saying where the collector is (the NFVO makes it the mirror's next hop)
            String location = nfvo(alice).contentType(ContentType.JSON)
                    .body(Map.of("nsFlavourId", "default", "additionalParamsForNs",
                            Map.of("endpoints", Map.of("collector", "127.0.0.1:" + sink.getLocalPort()))))
                    .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                    .header("Location");
            awaitOp(alice, location);

            // Then it runs as one slowpath and one fastpath process of the VNF runtime
            JsonPath ns = nfvo(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200)
                    .body("nsState", equalTo("INSTANTIATED")).extract().jsonPath();
            List<Map<String, Object>> vnfcs = ns.getList("vnfInstance[0].instantiatedVnfInfo.vnfcResourceInfo");
            Map<String, Object> fastpath = vnfcs.stream().filter(v -> "fastpath".equals(v.get("vduId"))).findFirst()
                    .orElseThrow();
            Map<String, Object> slowpath = vnfcs.stream().filter(v -> "slowpath".equals(v.get("vduId"))).findFirst()
                    .orElseThrow();
            List<Long> pids = vnfcs.stream().map(NatGatewayEndToEndIT::pid).flatMap(Optional::stream).toList();
            assertThat(pids).hasSize(2).allMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));

            // and a packet comes out at the next hop exactly as it went in
            byte[] frame = Frames.vxlanUdp(VNI, Frames.ip("10.0.0.5"), 5555, Frames.ip("198.51.100.7"), 53,
                    "mirror me".getBytes(StandardCharsets.UTF_8));
            send(client, port(fastpath, "dataPort"), frame);
            byte[] out = new byte[2048];
            DatagramPacket got = receive(sink, out);
            assertThat(Arrays.copyOf(out, got.getLength())).isEqualTo(frame);

            // and the next ones too, without the slowpath
            for (int i = 0; i < 3; i++) {
                send(client, port(fastpath, "dataPort"), frame);
                assertThat(Arrays.copyOf(out, receive(sink, out).getLength())).isEqualTo(frame);
            }
            JsonPath stats = given().get("http://127.0.0.1:" + port(slowpath, "configPort") + "/stats").then()
                    .statusCode(200).extract().jsonPath();
            assertThat(stats.getLong("punts")).isEqualTo(1);

            // and terminate stops it
            String termination = nfvo(alice).contentType(ContentType.JSON).body("{}")
                    .post("/nslcm/v2/ns_instances/" + nsId + "/terminate").then().statusCode(202).extract()
                    .header("Location");
            awaitOp(alice, termination);
            await().atMost(Duration.ofSeconds(15)).until(() -> pids.stream()
                    .noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));
            nfvo(alice).delete("/nslcm/v2/ns_instances/" + nsId).then().statusCode(204);
        }
    }
}
