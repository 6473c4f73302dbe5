package io.isthmus.vnfm.api;

import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.isthmus.vnfm.fakes.FakeNfvo;
import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.isthmus.sol.testing.SolPages;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * SOL013 filters, attribute selectors and paging on the vnfm's lists, against PostgreSQL. Pages hold two elements
 * here, so that every list a test reads is followed through its Link headers.
 */
@QuarkusTest
@TestProfile(ListQueriesTest.SmallPages.class)
@WithTestResource(FakePeers.class)
class ListQueriesTest {

    public static class SmallPages implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("isthmus.sol.page-size", "2");
        }
    }

    private static final String SERVICE = Tokens.service();

    /** Names of this test's instances start with it, so that filters can keep to them. */
    private String run;
    private String a;
    private String b;
    private String c;
    private String d;
    private String instantiateOp;
    private Instant beforeInstantiate;

    @BeforeEach
    void givenFourInstancesOneOfThemInstantiatedThreeOfAcmeOneOfGlobex() {
        run = "q" + UUID.randomUUID().toString().substring(0, 8);
        a = create(run + "-a", "acme");
        b = create(run + "-b", "acme");
        c = create(run + "-c", "acme");
        d = create(run + "-d", "globex");
        beforeInstantiate = Instant.now();
        instantiateOp = Sol003.instantiate(SERVICE, a, "203.0.113.40");
        await().atMost(30, SECONDS).until(() -> "COMPLETED".equals(Sol003.opState(SERVICE, instantiateOp)));
    }

    private static String create(String name, String tenant) {
        return as(SERVICE).body(Map.of("vnfdId", FakeNfvo.VNFD_ID, "vnfInstanceName", name, "metadata",
                Map.of("tenant", tenant, "nsInstanceId", "ns-" + name))).post(ROOT + "/vnf_instances").then()
                .statusCode(201).extract().path("id");
    }

    /** Every element of the list, following Link rel="next" to the end. */
    private static List<Map<String, Object>> all(String token, String path, Map<String, String> query) {
        return SolPages.all(as(token).queryParams(query).get(ROOT + path), next -> as(token).urlEncodingEnabled(false)
                .get(next), 2);
    }

    private List<String> ids(String token, String filter) {
        return all(token, "/vnf_instances", Map.of("filter", filter)).stream().map(e -> (String) e.get("id"))
                .toList();
    }

    /** The ids of this test's instances the filter (ANDed with "name contains the run") selects. */
    private List<String> ours(String filter) {
        return ids(SERVICE, "(cont,vnfInstanceName," + run + ");" + filter);
    }

    @Test
    void eachOperatorSelectsItsRows() {
        assertThat(ours("(eq,vnfInstanceName," + run + "-a)")).containsExactly(a);
        assertThat(ours("(eq,vnfInstanceName," + run + "-a," + run + "-c)")).containsExactly(a, c);
        assertThat(ours("(in,vnfInstanceName," + run + "-b," + run + "-d)")).containsExactly(b, d);
        assertThat(ours("(neq,vnfInstanceName," + run + "-a)")).containsExactly(b, c, d);
        assertThat(ours("(neq,vnfInstanceName," + run + "-a," + run + "-b)")).containsExactly(c, d);
        assertThat(ours("(nin,vnfInstanceName," + run + "-a," + run + "-b)")).containsExactly(c, d);
        assertThat(ours("(gt,vnfInstanceName," + run + "-b)")).containsExactly(c, d);
        assertThat(ours("(gte,vnfInstanceName," + run + "-b)")).containsExactly(b, c, d);
        assertThat(ours("(lt,vnfInstanceName," + run + "-b)")).containsExactly(a);
        assertThat(ours("(lte,vnfInstanceName," + run + "-b)")).containsExactly(a, b);
        assertThat(ours("(cont,vnfInstanceName,-a,-d)")).containsExactly(a, d);
        assertThat(ours("(ncont,vnfInstanceName,-a,-d)")).containsExactly(b, c);
        assertThat(ours("(cont,vnfInstanceName,%)")).isEmpty();
        assertThat(ours("(eq,vnfdId," + FakeNfvo.VNFD_ID + ");(eq,vnfProductName,isthmus-nat)"))
                .containsExactly(a, b, c, d);
    }

    @Test
    void nestedAndTypedAttributesFilterInTheDatabase() {
        assertThat(ours("(eq,instantiatedVnfInfo/vnfState,STARTED)")).containsExactly(a);
        assertThat(ours("(eq,instantiatedVnfInfo/flavourId,default)")).containsExactly(a);
        assertThat(ours("(neq,instantiatedVnfInfo/vnfState,STARTED)")).containsExactly(b, c, d);
        assertThat(ours("(eq,instantiationState,NOT_INSTANTIATED)")).containsExactly(b, c, d);
        assertThat(ours("(eq,metadata/tenant,globex)")).containsExactly(d);
        assertThat(ours("(eq,metadata/nsInstanceId,ns-" + run + "-b)")).containsExactly(b);

        Map<String, String> opFilter = Map.of("filter", "(eq,vnfInstanceId," + a + ");(eq,operationState,COMPLETED)"
                + ";(eq,operation,INSTANTIATE);(eq,isAutomaticInvocation,false);(gte,startTime," + beforeInstantiate
                + ")");
        assertThat(all(SERVICE, "/vnf_lcm_op_occs", opFilter)).extracting(e -> e.get("id"))
                .containsExactly(instantiateOp);
        assertThat(all(SERVICE, "/vnf_lcm_op_occs",
                Map.of("filter", "(eq,vnfInstanceId," + a + ");(lt,startTime," + beforeInstantiate + ")")))
                .isEmpty();
    }

    @Test
    void quotedValuesMatchLiterally() {
        String odd = create(run + "-it's, (odd); 50%", "acme");

        assertThat(ours("(eq,vnfInstanceName,'" + run + "-it''s, (odd); 50%')")).containsExactly(odd);
        assertThat(ours("(cont,vnfInstanceName,'s, (o')")).containsExactly(odd);
        assertThat(ours("(cont,vnfInstanceName,0%)")).containsExactly(odd);
    }

    @Test
    void aFilterNeverReachesAnotherTenantsRows() {
        String alice = Tokens.alice();

        assertThat(ids(alice, "(cont,vnfInstanceName," + run + ")")).containsExactly(a, b, c);
        assertThat(ids(alice, "(eq,metadata/tenant,globex)")).isEmpty();
        assertThat(ids(alice, "(eq,id," + d + ")")).isEmpty();
        assertThat(ids(alice, "(neq,id," + a + ");(cont,vnfInstanceName," + run + ")")).containsExactly(b, c);
        assertThat(ids(Tokens.bob(), "(cont,vnfInstanceName," + run + ")")).containsExactly(d);
        assertThat(all(Tokens.bob(), "/vnf_lcm_op_occs", Map.of("filter", "(eq,vnfInstanceId," + a + ")")))
                .isEmpty();
    }

    @Test
    void badFiltersAre400SayingWhy() {
        assertBadRequest("/vnf_instances", Map.of("filter", "(eq,colour,red)"), "Unknown attribute colour");
        assertBadRequest("/vnf_instances", Map.of("filter", "(eq,instantiationState,RUNNING)"),
                "Filter value 'RUNNING' of attribute instantiationState is not one of [NOT_INSTANTIATED,"
                        + " INSTANTIATED]");
        assertBadRequest("/vnf_instances", Map.of("filter", "(eq,instantiatedVnfInfo/vnfState,RUNNING)"),
                "is not one of [STARTED, STOPPED]");
        assertBadRequest("/vnf_instances", Map.of("filter", "(eq,_links/self/href,x)"),
                "cannot be used in a filter");
        assertBadRequest("/vnf_instances", Map.of("filter", "(eq,vnfdId,x"), "Malformed filter at position 1");
        assertBadRequest("/vnf_lcm_op_occs", Map.of("filter", "(gt,startTime,yesterday)"),
                "is not an RFC 3339 date-time");
        assertBadRequest("/vnf_lcm_op_occs", Map.of("filter", "(cont,operationState,FAIL)"),
                "Operator cont does not apply to attribute operationState");
        assertBadRequest("/subscriptions", Map.of("filter", "(eq,filter/notificationTypes,x)"),
                "cannot be used in a filter");
        assertBadRequest("/vnf_instances", Map.of("nextpage_opaque_marker", "bm90LWEtbWFya2Vy.AAAA"),
                "nextpage_opaque_marker is not a marker this API issued");
    }

    private static void assertBadRequest(String path, Map<String, String> query, String detail) {
        as(SERVICE).queryParams(query).get(ROOT + path).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString(detail));
    }

    @Test
    void selectorsChooseTheComplexAttributesOfEachElement() {
        Map<String, Object> byDefault = instanceA(Map.of());
        assertThat(byDefault).containsKeys("id", "vnfdId", "instantiationState", "_links")
                .doesNotContainKeys("instantiatedVnfInfo", "metadata");
        assertThat(instanceA(Map.of("exclude_default", ""))).isEqualTo(byDefault);
        assertThat(instanceA(Map.of("all_fields", ""))).containsKeys("instantiatedVnfInfo", "metadata", "_links");
        assertThat(instanceA(Map.of("fields", "metadata"))).containsKey("metadata")
                .doesNotContainKey("instantiatedVnfInfo");
        assertThat(instanceA(Map.of("fields", "instantiatedVnfInfo", "exclude_default", "")))
                .containsKey("instantiatedVnfInfo").doesNotContainKey("metadata");
        assertThat(instanceA(Map.of("exclude_fields", "metadata"))).containsKey("instantiatedVnfInfo")
                .doesNotContainKey("metadata");
        assertThat(instanceA(Map.of("exclude-fields", "instantiatedVnfInfo"))).containsKey("metadata")
                .doesNotContainKey("instantiatedVnfInfo");

        Map<String, Object> op = all(SERVICE, "/vnf_lcm_op_occs", Map.of("filter", "(eq,id," + instantiateOp + ")"))
                .getFirst();
        assertThat(op).containsKeys("id", "operationState", "_links").doesNotContainKey("operationParams");
        // the single resource is whole whatever the list shows
        as(SERVICE).get(ROOT + "/vnf_instances/" + a).then().statusCode(200).body("metadata.tenant",
                org.hamcrest.Matchers.equalTo("acme"));
    }

    private Map<String, Object> instanceA(Map<String, String> selectors) {
        Map<String, String> query = new HashMap<>(selectors);
        query.put("filter", "(eq,id," + a + ")");
        return all(SERVICE, "/vnf_instances", query).getFirst();
    }

    @Test
    void badSelectorsAre400() {
        assertBadRequest("/vnf_instances", Map.of("exclude_fields", "id"),
                "exclude_fields names id, which is always in a VnfInstance");
        assertBadRequest("/vnf_instances", Map.of("fields", "_links"), "which is always in a VnfInstance");
        assertBadRequest("/vnf_instances", Map.of("fields", "colour"), "is not an attribute of VnfInstance");
        assertBadRequest("/vnf_instances", Map.of("all_fields", "", "exclude_default", ""), "cannot be combined");
        assertBadRequest("/vnf_lcm_op_occs", Map.of("fields", "operationParams", "exclude_fields", "error"),
                "cannot be combined");
        assertBadRequest("/subscriptions", Map.of("all_fields", ""), "takes no attribute selectors");
    }

    @Test
    void pagesFollowedToTheEndShowEachRowOnceWhileRowsAreAdded() {
        // Given the first page of this test's instances (two of four)
        Response first = as(SERVICE).queryParam("filter", "(cont,vnfInstanceName," + run + ")")
                .get(ROOT + "/vnf_instances");
        assertThat(SolPages.nextLink(first)).contains("filter=");

        // When instances are added between pages and the Links followed
        SolPages.Followed followed = SolPages.followWhileAdding(first,
                next -> as(SERVICE).urlEncodingEnabled(false).get(next),
                () -> create(run + "-z" + UUID.randomUUID(), "acme"));
        List<String> seen = followed.seen();

        // Then each instance that was there all along came exactly once, in creation order, before the added ones
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen.subList(0, 4)).containsExactly(a, b, c, d);
        assertThat(followed.added()).containsAll(seen.subList(4, seen.size()));
    }

    @Test
    void subscriptionsAreFilteredAndPaged() {
        String callback = FakePeers.sink().callbackUri(run);
        String id = as(SERVICE).body(Map.of("callbackUri", callback, "filter",
                Map.of("notificationTypes", List.of("VnfLcmOperationOccurrenceNotification"))))
                .post(ROOT + "/subscriptions").then().statusCode(201).extract().path("id");

        assertThat(all(SERVICE, "/subscriptions", Map.of("filter", "(eq,callbackUri," + callback + ")")))
                .extracting(s -> s.get("id")).containsExactly(id);
        assertThat(all(SERVICE, "/subscriptions", Map.of("filter", "(eq,id," + id + ")")).getFirst())
                .containsKeys("filter", "callbackUri", "_links");
    }
}
