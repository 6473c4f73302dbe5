package io.isthmus.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * Issue #2's thin slice across the real processes: an operator on-boards the NAT package, a tenant orders a NAT
 * gateway, the NFVO, VNFM and VIM bring it up as real slowpath and fastpath processes, a VXLAN packet is source-NATed
 * on its way to the test's sink and the reply is translated back, and terminate gives everything back.
 */
class NatGatewayEndToEndIT {

    static final int INSIDE_VNI = 100;
    static final int OUTSIDE_VNI = 200;
    static final String PUBLIC_IP = "203.0.113.10";
    static final int PORT_FROM = 20000;
    static final int PORT_TO = 20999;
    static final int CLIENT_IP = Frames.ip("10.0.0.5");
    static final int SERVER_IP = Frames.ip("198.51.100.7");

    static Platform platform;
    static HttpServer subscriber;
    static final List<String> notifications = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startPlatform() throws IOException {
        platform = new Platform().start();
        subscriber = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        subscriber.createContext("/notifications", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if ("POST".equals(ex.getRequestMethod())) {
                    notifications.add(body);
                }
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        subscriber.start();
    }

    @AfterAll
    static void stopPlatform() {
        if (subscriber != null) {
            subscriber.stop(0);
        }
        if (platform != null) {
            platform.close();
        }
    }

    static String token(String user) {
        return given().formParam("grant_type", "password").formParam("client_id", "isthmus-cli")
                .formParam("username", user).formParam("password", user)
                .post(Platform.OIDC_URL + "/protocol/openid-connect/token").then().statusCode(200).extract()
                .path("access_token");
    }

    static RequestSpecification nfvo(String token) {
        return given().baseUri(platform.url("nfvo")).auth().oauth2(token).header("Version", "2.0.0");
    }

    static RequestSpecification vim(String token) {
        return given().baseUri(platform.url("vim")).auth().oauth2(token);
    }

    record Usage(int poolVcpus, int poolMemory, int quotaVcpus, int quotaMemory) {
    }

    static Usage usage(String operator) {
        JsonPath capacity = vim(operator).get("/vim/v1/capacity").then().statusCode(200).extract().jsonPath();
        JsonPath quota = vim(operator).get("/vim/v1/quotas/acme").then().statusCode(200).extract().jsonPath();
        return new Usage(capacity.getInt("pools.find { it.driver == 'local' }.vcpusUsed"),
                capacity.getInt("pools.find { it.driver == 'local' }.memoryMbUsed"), quota.getInt("vcpusUsed"),
                quota.getInt("memoryMbUsed"));
    }

    static String awaitOp(String token, String location, String state) {
        String path = location.substring(location.indexOf("/nslcm/"));
        await("NS operation " + location + " " + state).atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    String s = nfvo(token).get(path).then().statusCode(200).extract().path("operationState");
                    assertThat(s).as("operation %s", path).isNotIn("FAILED_TEMP", "FAILED");
                    return state.equals(s);
                });
        return nfvo(token).get(path).then().extract().path("id");
    }

    @Test
    void aTenantOrdersANatGatewayThatTranslatesRealPacketsAndTerminateGivesEverythingBack() throws Exception {
        String operator = token("oscar");
        String alice = token("alice");
        Usage before = usage(operator);

        // 1. the operator on-boards the NAT package
        Catalog.onboard(platform, "vnf-nat");

        // 2. the tenant subscribes, writes an NSD that uses it, creates and instantiates an NS
        nfvo(alice).contentType(ContentType.JSON)
                .body(Map.of("callbackUri", "http://127.0.0.1:" + subscriber.getAddress().getPort() + "/notifications"))
                .post("/nslcm/v2/subscriptions").then().statusCode(201);
        Catalog.nsd(platform, alice, Catalog.natNsd("office-nat", "Office NAT"));
        String nsId = nfvo(alice).contentType(ContentType.JSON)
                .body(Map.of("nsdId", "office-nat", "nsName", "office", "nsDescription", "office NAT gateway"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");

        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                DatagramSocket outside = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                DatagramSocket inside = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            outside.setSoTimeout(5000);
            inside.setSoTimeout(5000);
            // the NAT's own settings; its next hops are where the NS's endpoints are, which the NFVO fills in
            Map<String, Object> natConfig = Map.of("publicAddress", PUBLIC_IP, "portRangeStart", PORT_FROM,
                    "portRangeEnd", PORT_TO, "insideVni", INSIDE_VNI, "outsideVni", OUTSIDE_VNI);
            Map<String, Object> endpoints = Map.of("vpc", "127.0.0.1:" + inside.getLocalPort(), "internet",
                    "127.0.0.1:" + outside.getLocalPort());
            String location = nfvo(alice).contentType(ContentType.JSON)
                    .body(Map.of("nsFlavourId", "default", "additionalParamsForNs", Map.of("endpoints", endpoints),
                            "additionalParamsForVnf",
                            List.of(Map.of("vnfProfileId", "nat", "additionalParams", natConfig))))
                    .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                    .header("Location");

            // 3. NFVO → VNFM → grant → VIM → processes → config → COMPLETED
            String instantiateOp = awaitOp(alice, location, "COMPLETED");
            JsonPath ns = nfvo(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200)
                    .body("nsState", equalTo("INSTANTIATED")).extract().jsonPath();
            List<Map<String, Object>> vnfcs = ns.getList("vnfInstance[0].instantiatedVnfInfo.vnfcResourceInfo");
            List<Map<String, Object>> fastpaths = vnfcs.stream().filter(v -> "fastpath".equals(v.get("vduId")))
                    .toList();
            Map<String, Object> slowpath = vnfcs.stream().filter(v -> "slowpath".equals(v.get("vduId"))).findFirst()
                    .orElseThrow();
            assertThat(fastpaths).hasSize(2);
            List<Long> pids = vnfcs.stream().map(v -> pid(v)).flatMap(Optional::stream).toList();
            assertThat(pids).hasSize(3).allMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));
            Usage running = usage(operator);
            assertThat(running.quotaVcpus()).isEqualTo(before.quotaVcpus() + 3);
            assertThat(running.quotaMemory()).isEqualTo(before.quotaMemory() + 512 + 2 * 256);
            assertThat(running.poolVcpus()).isEqualTo(before.poolVcpus() + 3);

            // 4. a UDP packet from the tenant's VPC leaves source-NATed
            int fp1 = port(fastpaths.get(0), "dataPort");
            int fp2 = port(fastpaths.get(1), "dataPort");
            String stats = "http://127.0.0.1:" + port(slowpath, "configPort") + "/stats";
            byte[] hello = "hello, isthmus".getBytes(StandardCharsets.UTF_8);
            send(client, fp1, Frames.vxlanUdp(INSIDE_VNI, CLIENT_IP, 5555, SERVER_IP, 53, hello));
            byte[] out = new byte[2048];
            DatagramPacket got = receive(outside, out);
            Frames.Packet translated = Frames.parse(out, got.getLength());
            assertThat(translated.vni()).isEqualTo(OUTSIDE_VNI);
            assertThat(Frames.dotted(translated.srcIp())).isEqualTo(PUBLIC_IP);
            assertThat(translated.srcPort()).isBetween(PORT_FROM, PORT_TO);
            assertThat(Frames.dotted(translated.dstIp())).isEqualTo("198.51.100.7");
            assertThat(translated.dstPort()).isEqualTo(53);
            assertThat(translated.payload()).isEqualTo(hello);
            assertThat(Frames.ipChecksumValid(out)).as("IPv4 header checksum").isTrue();
            assertThat(Frames.udpChecksumValid(out, got.getLength())).as("UDP checksum").isTrue();
            JsonPath afterFirst = given().get(stats).then().statusCode(200).extract().jsonPath();
            assertThat(afterFirst.getLong("punts")).isEqualTo(1);

            // the reply, sent to the other fastpath, comes back translated to the client
            send(client, fp2, Frames.vxlanUdp(OUTSIDE_VNI, SERVER_IP, 53, Frames.ip(PUBLIC_IP), translated.srcPort(),
                    "answer".getBytes(StandardCharsets.UTF_8)));
            byte[] back = new byte[2048];
            DatagramPacket gotBack = receive(inside, back);
            Frames.Packet reply = Frames.parse(back, gotBack.getLength());
            assertThat(reply.vni()).isEqualTo(INSIDE_VNI);
            assertThat(reply.dstIp()).isEqualTo(CLIENT_IP);
            assertThat(reply.dstPort()).isEqualTo(5555);
            assertThat(reply.srcIp()).isEqualTo(SERVER_IP);
            assertThat(Frames.ipChecksumValid(back)).isTrue();
            assertThat(Frames.udpChecksumValid(back, gotBack.getLength())).isTrue();

            // later packets of the flow do not reach the slowpath
            for (int i = 0; i < 5; i++) {
                send(client, fp1, Frames.vxlanUdp(INSIDE_VNI, CLIENT_IP, 5555, SERVER_IP, 53, hello));
                Frames.Packet again = Frames.parse(out, receive(outside, out).getLength());
                assertThat(again.srcPort()).isEqualTo(translated.srcPort());
            }
            JsonPath later = given().get(stats).then().statusCode(200).extract().jsonPath();
            assertThat(later.getLong("punts")).isEqualTo(1);
            assertThat(later.getList("fastpaths.hits", Number.class).stream().mapToLong(Number::longValue).sum())
                    .isGreaterThanOrEqualTo(6);

            // the NFVO is subscribed to the VNFM's LCM notifications (VNFM → NFVO), and they reached the tenant (NFVO → tenant)
            String nfvoToken = given().formParam("grant_type", "client_credentials")
                    .formParam("client_id", "isthmus-nfvo")
                    .formParam("client_secret", Platform.clientSecret("ISTHMUS_NFVO_CLIENT_SECRET"))
                    .post(Platform.OIDC_URL + "/protocol/openid-connect/token").then().statusCode(200).extract()
                    .path("access_token");
            List<String> callbacks = given().baseUri(platform.url("vnfm")).auth().oauth2(nfvoToken)
                    .header("Version", "2.0.0").get("/vnflcm/v2/subscriptions").then().statusCode(200).extract()
                    .path("callbackUri");
            assertThat(callbacks).containsExactly(platform.url("nfvo") + "/callbacks/v2/vnflcm");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(statesOf(instantiateOp))
                    .containsExactly("START:PROCESSING", "RESULT:COMPLETED"));

            // 5. terminate gives everything back
            String termination = nfvo(alice).contentType(ContentType.JSON).body("{}")
                    .post("/nslcm/v2/ns_instances/" + nsId + "/terminate").then().statusCode(202).extract()
                    .header("Location");
            String terminateOp = awaitOp(alice, termination, "COMPLETED");
            nfvo(alice).get("/nslcm/v2/ns_instances/" + nsId).then().body("nsState", equalTo("NOT_INSTANTIATED"));
            await().atMost(Duration.ofSeconds(15)).until(() -> pids.stream()
                    .noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));
            assertThat(usage(operator)).isEqualTo(before);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(statesOf(terminateOp))
                    .containsExactly("START:PROCESSING", "RESULT:COMPLETED"));
            send(client, fp1, Frames.vxlanUdp(INSIDE_VNI, CLIENT_IP, 5555, SERVER_IP, 53, hello));
            outside.setSoTimeout(500);
            org.junit.jupiter.api.Assertions.assertThrows(SocketTimeoutException.class, () -> receive(outside, out),
                    "nothing forwards once the NAT is terminated");
            nfvo(alice).delete("/nslcm/v2/ns_instances/" + nsId).then().statusCode(204);
        }
    }

    List<String> statesOf(String opId) {
        return notifications.stream().map(JsonPath::from).filter(n -> opId.equals(n.getString("nsLcmOpOccId")))
                .map(n -> n.getString("notificationStatus") + ":" + n.getString("operationState")).toList();
    }

    static Optional<Long> pid(Map<String, Object> vnfc) {
        @SuppressWarnings("unchecked")
        Map<String, Object> compute = (Map<String, Object>) vnfc.get("computeResource");
        String id = compute == null ? null : String.valueOf(compute.get("resourceId"));
        if (id == null) {
            return Optional.empty();
        }
        String digits = id.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(digits));
    }

    @SuppressWarnings("unchecked")
    static int port(Map<String, Object> vnfc, String name) {
        return ((Number) ((Map<String, Object>) vnfc.get("metadata")).get(name)).intValue();
    }

    static void send(DatagramSocket socket, int port, byte[] frame) throws IOException {
        socket.send(new DatagramPacket(frame, frame.length, InetAddress.getLoopbackAddress(), port));
    }

    static DatagramPacket receive(DatagramSocket socket, byte[] into) throws IOException {
        DatagramPacket p = new DatagramPacket(into, into.length);
        socket.receive(p);
        return p;
    }
}
