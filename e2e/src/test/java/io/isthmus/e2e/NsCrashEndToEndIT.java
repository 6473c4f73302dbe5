package io.isthmus.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * Issue 10: an NFVO killed with SIGKILL after the VNFM created an NS's VNF but before the NFVO heard the answer (the
 * one moment a retried step could make a second VNF) makes no duplicate: the restarted NFVO creates again with the same
 * {@code Idempotency-Key} and gets the same VNF. The test sits between the NFVO and the VNFM as a forwarding proxy that
 * can hold back the VNFM's answer to a create.
 */
class NsCrashEndToEndIT {

    static Platform platform;
    static HttpServer proxy;
    static final HttpClient http = HttpClient.newHttpClient();
    /** Set: the next answer to a VNF create is held until the latch opens (then dropped). */
    static final AtomicReference<CountDownLatch> holdCreate = new AtomicReference<>();
    static final List<String> createKeys = new CopyOnWriteArrayList<>();
    static final List<String> createdIds = new CopyOnWriteArrayList<>();
    static final CountDownLatch createAnswered = new CountDownLatch(1);

    @BeforeAll
    static void start() throws IOException {
        proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", NsCrashEndToEndIT::forward);
        proxy.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        proxy.start();
        platform = new Platform().nfvoCallsVnfmAt("http://127.0.0.1:" + proxy.getAddress().getPort()).start();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.stop(0);
        }
        if (platform != null) {
            platform.close();
        }
    }

    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    private static void forward(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String path = ex.getRequestURI().toString();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.url("vnfm") + path))
                    .method(ex.getRequestMethod(), body.length == 0
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            boolean create = ex.getRequestMethod().equals("POST") && path.startsWith("/vnflcm/v2/vnf_instances")
                    && !path.contains("/vnf_instances/");
            if (create) {
                createKeys.add(ex.getRequestHeaders().getFirst("Idempotency-Key"));
                createdIds.add(JsonPath.from(new String(answer.body())).getString("id"));
                CountDownLatch hold = holdCreate.getAndSet(null);
                if (hold != null) {
                    createAnswered.countDown();
                    hold.await(60, TimeUnit.SECONDS);
                    ex.close();
                    return;
                }
            }
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    values.forEach(v -> ex.getResponseHeaders().add(name, v));
                }
            });
            if (answer.statusCode() == 204 || answer.body().length == 0) {
                ex.sendResponseHeaders(answer.statusCode(), -1);
            } else {
                ex.sendResponseHeaders(answer.statusCode(), answer.body().length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close();
        } catch (IOException e) {
            ex.close();
        }
    }

    static RequestSpecification nfvo(String token) {
        return given().baseUri(platform.url("nfvo")).auth().oauth2(token).header("Version", "2.0.0");
    }

    @Test
    void anNfvoKilledBetweenTheVnfmsCreateAndItsJournalMakesNoSecondVnf() throws Exception {
        Catalog.onboard(platform, "vnf-nat");
        String alice = NatGatewayEndToEndIT.token("alice");
        Catalog.nsd(platform, alice, Catalog.natNsd("crash-nat", "Crash NAT"));
        String nsId = nfvo(alice).contentType(ContentType.JSON)
                .body(Map.of("nsdId", "crash-nat", "nsName", "crash", "nsDescription", "killed mid-way"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");

        // the VNFM will create the NS's VNF, and its answer will not reach the NFVO
        CountDownLatch hold = new CountDownLatch(1);
        holdCreate.set(hold);
        String location = nfvo(alice).contentType(ContentType.JSON)
                .body(Map.of("nsFlavourId", "default", "additionalParamsForNs",
                        Map.of("endpoints", Map.of("vpc", "127.0.0.1:40702", "internet", "127.0.0.1:40701")),
                        "additionalParamsForVnf", List.of(Map.of("vnfProfileId", "nat", "additionalParams",
                                Map.of("publicAddress", "203.0.113.70", "portRangeStart", 20000, "portRangeEnd",
                                        20999, "insideVni", 100, "outsideVni", 200)))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                .header("Location");
        assertThat(createAnswered.await(60, TimeUnit.SECONDS)).as("the VNFM answered the create").isTrue();

        // the NFVO dies now, and comes back
        platform.kill("nfvo");
        hold.countDown();
        platform.restart("nfvo");
        alice = NatGatewayEndToEndIT.token("alice");

        // the NS operation completes (resumed, or retried if the NFVO left it FAILED_TEMP) with one VNF
        String opPath = location.substring(location.indexOf("/nslcm/"));
        String token = alice;
        await("NS instantiation after the NFVO's restart").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    String state = nfvo(token).get(opPath).then().statusCode(200).extract().path("operationState");
                    if ("FAILED_TEMP".equals(state)) {
                        nfvo(token).post(opPath + "/retry").then().statusCode(202);
                    }
                    assertThat(state).isNotIn("FAILED", "ROLLED_BACK");
                    return "COMPLETED".equals(state);
                });
        assertThat(createKeys).hasSizeGreaterThanOrEqualTo(2).doesNotContainNull();
        assertThat(Set.copyOf(createKeys)).as("every create of the VNF carried the same key").hasSize(1);
        assertThat(Set.copyOf(createdIds)).as("the VNFM made one VNF").hasSize(1);
        List<String> vnfs = given().baseUri(platform.url("vnfm")).auth().oauth2(alice).header("Version", "2.0.0")
                .queryParam("filter", "(eq,metadata/nsInstanceId," + nsId + ")").get("/vnflcm/v2/vnf_instances")
                .then().statusCode(200).extract().path("id");
        assertThat(vnfs).containsExactly(createdIds.getFirst());
        JsonPath ns = nfvo(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().jsonPath();
        assertThat(ns.getList("vnfInstance.id")).containsExactly(createdIds.getFirst());

        String termination = nfvo(alice).contentType(ContentType.JSON).body("{}")
                .post("/nslcm/v2/ns_instances/" + nsId + "/terminate").then().statusCode(202).extract()
                .header("Location");
        String terminationPath = termination.substring(termination.indexOf("/nslcm/"));
        await().atMost(Duration.ofSeconds(90)).until(() -> "COMPLETED"
                .equals(nfvo(token).get(terminationPath).then().extract().path("operationState")));
    }
}
