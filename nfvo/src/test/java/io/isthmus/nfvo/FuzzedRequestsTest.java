package io.isthmus.nfvo;

import static io.isthmus.nfvo.NfvoApiTest.as;
import static io.isthmus.nfvo.NfvoApiTest.fake;
import static io.isthmus.nfvo.NfvoApiTest.onboardedNatPackage;
import static io.isthmus.nfvo.NfvoApiTest.onboardedNsd;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.isthmus.nfvo.persistence.NsInstanceRepository;
import io.isthmus.nfvo.persistence.NsLcmOpOccRepository;
import io.isthmus.nfvo.persistence.NsdRepository;
import io.isthmus.nfvo.persistence.SubscriptionRepository;
import io.isthmus.nfvo.persistence.VnfPackageRepository;
import io.isthmus.sol.api.SolApiVersions;
import io.isthmus.sol.testing.Endpoints;
import io.isthmus.sol.testing.Endpoints.Endpoint;
import io.isthmus.sol.testing.HostileRequests;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Generated hostile requests (jqwik arbitraries, {@link HostileRequests}) to every endpoint of the NFVO, read from its
 * JAX-RS resources: mutated and random bodies, random path ids, random filter expressions. Never a 5xx, every 4xx a
 * ProblemDetails, and a 4xx stores nothing (the rows of every table counted before and after).
 */
@QuarkusTest
@QuarkusTestResource(value = FakePeers.class, restrictToAnnotatedClass = true)
class FuzzedRequestsTest {

    static final int BODIES = 50;
    static final int IDS = 20;
    static final int FILTERS = 60;

    @Inject
    NsInstanceRepository instances;
    @Inject
    NsLcmOpOccRepository ops;
    @Inject
    NsdRepository nsds;
    @Inject
    SubscriptionRepository subscriptions;
    @Inject
    VnfPackageRepository packages;

    @Test
    void noRequestIsA5xxAndNoRefusedOneStoresAnything() {
        String alice = Tokens.user("alice");
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("vnf_packages", onboardedNatPackage());
        ids.put("ns_descriptors", onboardedNsd(alice, "nat-gw-fuzz"));
        ids.put("ns_instances", as(alice).contentType(ContentType.JSON)
                .body(Map.of("nsdId", "nat-gw-fuzz", "nsName", "fuzz")).post("/nslcm/v2/ns_instances").then()
                .statusCode(201).extract().path("id"));
        List<String> failures = new ArrayList<>();
        for (Endpoint e : Endpoints.of("io.isthmus.nfvo.api")) {
            String version = SolApiVersions.versionOf(e.path()).orElse("2.0.0");
            if (e.bodyType() != null && e.consumes().contains("json")) {
                String path = e.expand(p -> ids.getOrDefault(e.collectionOf(p), "no-such-id"));
                HostileRequests.mutations(valid(e)).sampleStream().limit(BODIES).forEach(body -> {
                    List<Long> before = rows();
                    Response r = given().redirects().follow(false).auth().oauth2(alice).header("Version", version)
                            .contentType(ContentType.JSON).body(body == null ? "null" : body).request(e.method(), path);
                    check(e, "body " + body, r, failures);
                    if (r.statusCode() >= 400 && !rows().equals(before)) {
                        failures.add(e + " with body " + body + ": " + r.statusCode() + " but rows changed");
                    }
                });
            }
            if (!e.pathParams().isEmpty()) {
                HostileRequests.strings().sampleStream().limit(IDS).forEach(id -> {
                    try {
                        String path = e.expand(p -> URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
                        Response r = given().redirects().follow(false).auth().oauth2(alice).header("Version", version)
                                .urlEncodingEnabled(false)
                                .contentType(e.consumes())
                                .body((e.bodyType() == null ? "" : "{}").getBytes(StandardCharsets.UTF_8))
                                .request(e.method(), path);
                        check(e, "id " + id, r, failures);
                    } catch (RuntimeException x) {
                        failures.add(e + " with id " + id + ": " + x);
                    }
                });
            }
            if (e.method().equals("GET") && e.pathParams().isEmpty() && !e.path().endsWith("api_versions")) {
                HostileRequests.filters(List.of("id", "nsdId", "nsState", "nsInstanceId", "operationState",
                        "vnfdId", "onboardingState", "usageState", "startTime", "callbackUri"))
                        .sampleStream().limit(FILTERS).forEach(filter -> {
                            Response r = given().redirects().follow(false).auth().oauth2(alice)
                                    .header("Version", version)
                                    .queryParam("filter", filter).get(e.path());
                            check(e, "filter " + filter, r, failures);
                        });
            }
        }
        assertThat(failures).as("requests answered wrongly").isEmpty();
    }

    private static void check(Endpoint e, String what, Response r, List<String> failures) {
        HostileRequests.wrongAnswer(e, what, r.statusCode(), r.contentType(), r.asString()).ifPresent(failures::add);
    }

    private List<Long> rows() {
        return QuarkusTransaction.requiringNew().call(() -> List.of(instances.count(), ops.count(), nsds.count(),
                subscriptions.count(), packages.count()));
    }

    private static Map<String, Object> valid(Endpoint e) {
        return switch (e.bodyType().getSimpleName()) {
            case "CreateNsRequest" -> Map.of("nsdId", "nat-gw-fuzz", "nsName", "n", "nsDescription", "d");
            case "InstantiateNsRequest" -> Map.of("nsFlavourId", "default", "additionalParamsForVnf",
                    List.of(Map.of("vnfProfileId", "nat", "additionalParams", NfvoApiTest.NAT_CONFIG)));
            case "LccnSubscriptionRequest" -> Map.of("callbackUri", fake() + "/sink", "filter",
                    Map.of("notificationTypes", List.of("NsLcmOperationOccurrenceNotification")));
            case "CreateNsdInfoRequest", "CreateVnfPkgInfoRequest" -> Map.of("userDefinedData", Map.of("k", "v"));
            case "TerminateNsRequest" -> Map.of("terminationTime", "2026-12-03T00:00:00Z");
            default -> Map.of("x", 1);
        };
    }
}
