package io.isthmus.vnfm.api;

import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static io.isthmus.vnfm.support.Sol003.natConfig;
import static io.restassured.RestAssured.given;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.isthmus.sol.testing.Endpoints;
import io.isthmus.sol.testing.Endpoints.Endpoint;
import io.isthmus.vnfm.fakes.FakeNfvo;
import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Tenant B's token on every endpoint of the VNFM that names one of tenant A's resources — read from the JAX-RS
 * resources, so a new endpoint is tried without editing this test — answers 403 or 404, and A reads every one of its
 * resources back unchanged.
 */
@QuarkusTest
@WithTestResource(FakePeers.class)
class CrossTenantMatrixTest {

    @jakarta.inject.Inject
    io.isthmus.vnfm.persistence.LccnSubscriptionRepository subscriptions;

    @Test
    void tenantBNeverReachesTenantAsResources() {
        String alice = Tokens.alice();
        String bob = Tokens.bob();

        // tenant A's resources: a VNF it created directly through SOL003, its instantiation, a subscription
        Map<String, String> ids = new LinkedHashMap<>();
        String vnfId = as(alice).body(Map.of("vnfdId", FakeNfvo.VNFD_ID, "vnfInstanceName", "mine"))
                .post(ROOT + "/vnf_instances").then().statusCode(201).extract().path("id");
        ids.put("vnf_instances", vnfId);
        String opId = Sol003.instantiate(alice, vnfId, "203.0.113.61");
        await().atMost(30, SECONDS).until(() -> "COMPLETED".equals(Sol003.opState(alice, opId)));
        ids.put("vnf_lcm_op_occs", opId);
        String subscription = as(alice).body(Map.of("callbackUri", FakePeers.sink().callbackUri("alice")))
                .post(ROOT + "/subscriptions").then().statusCode(201).extract().path("id");
        ids.put("subscriptions", subscription);
        String snapshot = as(alice).body(Map.of()).post(ROOT + "/vnf_snapshots").then().statusCode(201).extract()
                .path("id");
        awaitTaken(alice, vnfId, snapshot);
        ids.put("vnf_snapshots", snapshot);
        // the VNF indicators of the instance (/vnfind/v1/indicators/{vnfInstanceId}), and one of them
        ids.put("indicators", vnfId);
        ids.put("indicatorId", "indicator");

        Map<String, String> before = readBack(alice, ids);

        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (Endpoint e : Endpoints.of("io.isthmus.vnfm.api")) {
            if (e.pathParams().isEmpty()) {
                continue;
            }
            // a parameter's id is the one of its collection ({vnfInstanceId} of vnf_instances), or else of its name
            String path = e.expand(p -> Objects.requireNonNull(ids.containsKey(p)
                    ? ids.get(p)
                    : ids.get(e.collectionOf(p)),
                    () -> "no id for {" + p + "} of " + e + ": add it to the test's ids"));
            var request = given().auth().oauth2(bob).header("Version", Sol003.versionOf(path))
                    .urlEncodingEnabled(false);
            if (e.bodyType() != null) {
                request = request.contentType(e.consumes()).body(body(e));
            }
            Response r = request.request(e.method(), path);
            tried++;
            if (!Set.of(403, 404).contains(r.statusCode())) {
                failures.add(e + " → " + r.statusCode() + " " + r.asString());
            }
        }
        assertThat(failures).as("endpoints tenant B reached").isEmpty();
        assertThat(tried).isGreaterThanOrEqualTo(7);
        assertThat(readBack(alice, ids)).as("tenant A's resources after tenant B's tries").isEqualTo(before);
        FuzzedRequestsTest.unsubscribe(alice, subscriptions);
    }

    /** Tenant A's instance's snapshot, taken. */
    private static void awaitTaken(String token, String vnfId, String snapshot) {
        String op = Sol003.lastSegment(as(token).body(Map.of("vnfSnapshotInfoId", snapshot))
                .post(ROOT + "/vnf_instances/" + vnfId + "/create_snapshot").then().statusCode(202).extract()
                .header("Location"));
        await().atMost(30, SECONDS).until(() -> "COMPLETED".equals(Sol003.opState(token, op)));
    }

    static Map<String, String> readBack(String token, Map<String, String> ids) {
        Map<String, String> bodies = new LinkedHashMap<>();
        for (Endpoint e : Endpoints.of("io.isthmus.vnfm.api")) {
            if (e.method().equals("GET") && e.pathParams().size() == 1 && e.path().endsWith("}")) {
                String collection = e.collectionOf(e.pathParams().getFirst());
                String path = e.expand(p -> ids.get(collection));
                Response r = as(token, path).get(path);
                bodies.put(e.toString(), r.statusCode() + " " + r.asString());
            }
        }
        return bodies;
    }

    /** A body that would be accepted from tenant A. */
    static Object body(Endpoint e) {
        return switch (e.bodyType().getSimpleName()) {
            case "InstantiateVnfRequest" -> Map.of("flavourId", "default", "additionalParams",
                    natConfig("203.0.113.62"));
            case "TerminateVnfRequest" -> Map.of("terminationType", "FORCEFUL");
            case "ChangeCurrentVnfPkgRequest" -> Map.of("vnfdId", FakeNfvo.NEXT_VNFD_ID);
            default -> Map.of();
        };
    }
}
