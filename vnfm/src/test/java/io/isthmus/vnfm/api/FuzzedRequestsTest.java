package io.isthmus.vnfm.api;

import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static io.isthmus.vnfm.support.Sol003.natConfig;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.isthmus.sol.testing.Endpoints;
import io.isthmus.sol.testing.Endpoints.Endpoint;
import io.isthmus.sol.testing.HostileRequests;
import io.isthmus.vnfm.fakes.FakeNfvo;
import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.persistence.LccnSubscriptionRepository;
import io.isthmus.vnfm.persistence.LcmOpOccRepository;
import io.isthmus.vnfm.persistence.VnfInstanceRepository;
import io.isthmus.vnfm.persistence.VnfSnapshotRepository;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Generated hostile requests (jqwik arbitraries, {@link HostileRequests}) to every endpoint of the VNFM, read from its
 * JAX-RS resources: mutated and random bodies, random path ids, random filter expressions. Never a 5xx, every 4xx a
 * ProblemDetails, and a 4xx stores nothing (the rows of every table counted before and after).
 */
@QuarkusTest
@WithTestResource(FakePeers.class)
class FuzzedRequestsTest {

    static final int BODIES = 60;
    static final int IDS = 25;
    static final int FILTERS = 80;

    @Inject
    VnfInstanceRepository instances;
    @Inject
    LcmOpOccRepository ops;
    @Inject
    LccnSubscriptionRepository subscriptions;
    @Inject
    VnfSnapshotRepository snapshots;

    @Test
    void noRequestIsA5xxAndNoRefusedOneStoresAnything() {
        String alice = Tokens.alice();
        String vnfId = as(alice).body(Map.of("vnfdId", FakeNfvo.VNFD_ID)).post(ROOT + "/vnf_instances").then()
                .statusCode(201).extract().path("id");
        List<String> failures = new ArrayList<>();
        try {
            List<Endpoint> endpoints = Endpoints.of("io.isthmus.vnfm.api");
            for (Endpoint e : endpoints) {
                // bodies: the valid one with one attribute broken, or anything at all
                if (e.bodyType() != null && e.consumes().contains("json")) {
                    String path = e.expand(p -> vnfId);
                    HostileRequests.mutations(valid(e)).sampleStream().limit(BODIES).forEach(body -> {
                        List<Long> before = rows();
                        Response r = as(alice, path).body(body == null ? "null" : body).request(e.method(), path);
                        check(e, "body " + body, r, failures);
                        if (r.statusCode() >= 400 && !rows().equals(before)) {
                            failures.add(e + " with body " + body + ": " + r.statusCode() + " but rows changed");
                        }
                    });
                }
                // ids in paths
                if (!e.pathParams().isEmpty()) {
                    HostileRequests.strings().sampleStream().limit(IDS).forEach(id -> {
                        try {
                            String path = e
                                    .expand(p -> URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
                            Response r = given().auth().oauth2(alice).header("Version", Sol003.versionOf(path))
                                    .urlEncodingEnabled(false)
                                    .contentType("application/json")
                                    .body((e.bodyType() == null ? "" : "{}").getBytes(StandardCharsets.UTF_8))
                                    .request(e.method(), path);
                            check(e, "id " + id, r, failures);
                        } catch (RuntimeException x) {
                            failures.add(e + " with id " + id + ": " + x);
                        }
                    });
                }
                // filters on lists
                if (e.method().equals("GET") && e.pathParams().isEmpty() && !e.path().endsWith("api_versions")) {
                    HostileRequests.filters(List.of("id", "vnfdId", "vnfInstanceId", "instantiationState",
                            "instantiatedVnfInfo/vnfState", "operationState", "startTime", "callbackUri"))
                            .sampleStream().limit(FILTERS).forEach(filter -> {
                                Response r = as(alice, e.path()).queryParam("filter", filter).get(e.path());
                                check(e, "filter " + filter, r, failures);
                            });
                }
            }
        } finally {
            unsubscribe(alice, subscriptions);
        }
        assertThat(failures).as("requests answered wrongly").isEmpty();
    }

    /** Removes the tenant's subscriptions, so later tests' subscribers hear only their own. */
    static void unsubscribe(String token, LccnSubscriptionRepository subscriptions) {
        List<String> ids = QuarkusTransaction.requiringNew()
                .call(() -> subscriptions.find("tenant", "acme").list().stream().map(s -> s.id()).toList());
        ids.forEach(id -> as(token).delete(ROOT + "/subscriptions/" + id).then().statusCode(204));
    }

    private static void check(Endpoint e, String what, Response r, List<String> failures) {
        HostileRequests.wrongAnswer(e, what, r.statusCode(), r.contentType(), r.asString()).ifPresent(failures::add);
    }

    private List<Long> rows() {
        return QuarkusTransaction.requiringNew()
                .call(() -> List.of(instances.count(), ops.count(), subscriptions.count(), snapshots.count()));
    }

    /** A body the endpoint would take. */
    private static Map<String, Object> valid(Endpoint e) {
        return switch (e.bodyType().getSimpleName()) {
            case "CreateVnfRequest" -> Map.of("vnfdId", FakeNfvo.VNFD_ID, "vnfInstanceName", "fuzz",
                    "vnfInstanceDescription", "d", "metadata", Map.of("team", "net"));
            case "InstantiateVnfRequest" -> Map.of("flavourId", "default", "additionalParams",
                    natConfig("203.0.113.70"));
            case "TerminateVnfRequest" -> Map.of("terminationType", "FORCEFUL", "gracefulTerminationTimeout", 10);
            case "LccnSubscriptionRequest" -> Map.of("callbackUri", FakePeers.sink().callbackUri("fuzz"), "filter",
                    Map.of("notificationTypes", List.of("VnfLcmOperationOccurrenceNotification")));
            case "CreateVnfSnapshotRequest", "RevertToVnfSnapshotRequest" -> Map.of("vnfSnapshotInfoId",
                    "snapshot-1");
            case "ChangeCurrentVnfPkgRequest" -> Map.of("vnfdId", FakeNfvo.NEXT_VNFD_ID, "additionalParams", Map.of());
            case "CreateVnfSnapshotInfoRequest" -> Map.of();
            default -> Map.of("x", 1);
        };
    }
}
