package io.isthmus.nfvo;

import static io.isthmus.nfvo.NfvoApiTest.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.isthmus.sol.testing.SolPages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * SOL013 filters, attribute selectors and paging on the nfvo's lists, against PostgreSQL, with pages of two elements
 * so that every list a test reads is followed through its Link headers.
 */
@QuarkusTest
@TestProfile(ListQueriesTest.SmallPages.class)
@QuarkusTestResource(value = FakePeers.class, restrictToAnnotatedClass = true)
class ListQueriesTest {

    public static class SmallPages implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("isthmus.sol.page-size", "2");
        }
    }

    private final String alice = Tokens.user("alice");
    private final String bob = Tokens.user("bob");
    private final String oscar = Tokens.user("oscar");
    private String run;
    private String a;
    private String b;
    private String c;
    private String d;
    private String aliceNsd;

    @BeforeEach
    void givenThreeNsInstancesOfAcmeAndOneOfGlobex() {
        run = "q" + UUID.randomUUID().toString().substring(0, 8);
        aliceNsd = NfvoApiTest.onboardedNsd(alice, run + "-nsd");
        NfvoApiTest.onboardedNsd(bob, run + "-nsd");
        a = createNs(alice, run + "-a");
        b = createNs(alice, run + "-b");
        c = createNs(alice, run + "-c");
        d = createNs(bob, run + "-d");
    }

    private String createNs(String token, String name) {
        return as(token).contentType(ContentType.JSON).body(Map.of("nsdId", run + "-nsd", "nsName", name))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
    }

    /** Every element of the list, following Link rel="next" to the end. */
    private static List<Map<String, Object>> all(String token, String path, Map<String, String> query) {
        return SolPages.all(as(token).queryParams(query).get(path), next -> as(token).urlEncodingEnabled(false)
                .get(next), 2);
    }

    private List<String> ns(String token, String filter) {
        return all(token, "/nslcm/v2/ns_instances", Map.of("filter", "(cont,nsInstanceName," + run + ");" + filter))
                .stream().map(e -> (String) e.get("id")).toList();
    }

    private static void assertBadRequest(String path, Map<String, String> query, String detail) {
        as(Tokens.user("oscar")).queryParams(query).get(path).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString(detail));
    }

    @Test
    void nsInstancesAreFilteredByEachOperatorInTheDatabase() {
        assertThat(ns(oscar, "(eq,nsInstanceName," + run + "-a," + run + "-d)")).containsExactly(a, d);
        assertThat(ns(oscar, "(neq,nsInstanceName," + run + "-a)")).containsExactly(b, c, d);
        assertThat(ns(oscar, "(in,id," + b + "," + c + ")")).containsExactly(b, c);
        assertThat(ns(oscar, "(nin,id," + b + "," + c + ")")).containsExactly(a, d);
        assertThat(ns(oscar, "(gt,nsInstanceName," + run + "-c)")).containsExactly(d);
        assertThat(ns(oscar, "(gte,nsInstanceName," + run + "-c)")).containsExactly(c, d);
        assertThat(ns(oscar, "(lt,nsInstanceName," + run + "-b)")).containsExactly(a);
        assertThat(ns(oscar, "(lte,nsInstanceName," + run + "-b)")).containsExactly(a, b);
        assertThat(ns(oscar, "(ncont,nsInstanceName,-a,-b)")).containsExactly(c, d);
        assertThat(ns(oscar, "(eq,nsState,NOT_INSTANTIATED);(eq,nsdId," + run + "-nsd)")).containsExactly(a, b, c,
                d);
        assertThat(ns(oscar, "(eq,nsState,INSTANTIATED)")).isEmpty();
    }

    @Test
    void aFilterNeverReachesAnotherTenantsRows() {
        assertThat(ns(alice, "(neq,id,none)")).containsExactly(a, b, c);
        assertThat(ns(alice, "(eq,id," + d + ")")).isEmpty();
        assertThat(ns(bob, "(cont,nsInstanceName,-)")).containsExactly(d);
        assertThat(all(bob, "/nsd/v2/ns_descriptors", Map.of("filter", "(eq,id," + aliceNsd + ")"))).isEmpty();
    }

    @Test
    void pagesFollowedToTheEndShowEachRowOnceWhileRowsAreAdded() {
        Response first = as(oscar).queryParam("filter", "(cont,nsInstanceName," + run + ")")
                .get("/nslcm/v2/ns_instances");
        assertThat(SolPages.nextLink(first)).contains("filter=");

        SolPages.Followed followed = SolPages.followWhileAdding(first,
                next -> as(oscar).urlEncodingEnabled(false).get(next),
                () -> createNs(alice, run + "-z" + UUID.randomUUID()));
        List<String> seen = followed.seen();

        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen.subList(0, 4)).containsExactly(a, b, c, d);
        assertThat(followed.added()).containsAll(seen.subList(4, seen.size()));
    }

    @Test
    void nsdsAndPackagesHaveTheirTypedFiltersAndDefaultExclusions() {
        Map<String, String> byId = new HashMap<>(Map.of("filter", "(eq,id," + aliceNsd + ")"));
        Map<String, Object> nsd = all(alice, "/nsd/v2/ns_descriptors", byId).getFirst();
        assertThat(nsd).containsEntry("nsdOnboardingState", "ONBOARDED").containsKeys("nsdId", "_links")
                .doesNotContainKey("userDefinedData");
        byId.put("all_fields", "");
        assertThat(all(alice, "/nsd/v2/ns_descriptors", byId).getFirst()).containsKey("userDefinedData");
        assertThat(all(alice, "/nsd/v2/ns_descriptors", Map.of("filter", "(eq,nsdOnboardingState,ONBOARDED);(eq,nsdId,"
                + run + "-nsd)", "fields", "userDefinedData"))).singleElement()
                .satisfies(n -> assertThat(n).containsKey("userDefinedData"));

        List<Map<String, Object>> packages = all(alice, "/vnfpkgm/v2/vnf_packages",
                Map.of("filter",
                        "(eq,vnfdId,isthmus-nat-1.0);(eq,onboardingState,ONBOARDED);(eq,operationalState,ENABLED)"));
        assertThat(packages).isNotEmpty().allSatisfy(p -> assertThat(p).containsEntry("vnfProvider", "Isthmus")
                .doesNotContainKey("checksum"));
        assertThat(all(alice, "/vnfpkgm/v2/vnf_packages",
                Map.of("filter", "(eq,vnfdId,isthmus-nat-1.0)", "exclude_fields", "userDefinedData")))
                .allSatisfy(p -> assertThat(p).containsKey("checksum"));
    }

    @Test
    void opOccsAndSubscriptionsAreFiltered() {
        assertThat(all(alice, "/nslcm/v2/ns_lcm_op_occs",
                Map.of("filter", "(eq,nsInstanceId," + a + ");(eq,lcmOperationType,INSTANTIATE)"))).isEmpty();
        String location = NfvoApiTest.subscribe(alice);
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertThat(all(alice, "/nslcm/v2/subscriptions", Map.of("filter", "(eq,id," + id + ")")))
                .extracting(s -> s.get("id")).containsExactly(id);
        assertThat(all(bob, "/nslcm/v2/subscriptions", Map.of("filter", "(eq,id," + id + ")"))).isEmpty();
    }

    @Test
    void badQueriesAre400SayingWhy() {
        assertBadRequest("/nslcm/v2/ns_instances", Map.of("filter", "(eq,colour,red)"),
                "Unknown attribute colour of NsInstance");
        assertBadRequest("/nslcm/v2/ns_instances", Map.of("filter", "(eq,nsState,RUNNING)"),
                "Filter value 'RUNNING' of attribute nsState is not one of [NOT_INSTANTIATED, INSTANTIATED]");
        assertBadRequest("/nslcm/v2/ns_instances", Map.of("filter", "(eq,vnfInstance/vnfdId,x)"),
                "cannot be used in a filter");
        assertBadRequest("/vnfpkgm/v2/vnf_packages", Map.of("filter", "(eq,onboardingState,DONE)"),
                "is not one of [CREATED, UPLOADING, PROCESSING, ONBOARDED, ERROR]");
        assertBadRequest("/nslcm/v2/ns_lcm_op_occs", Map.of("filter", "(eq,lcmOperationType,CHANGE_FLAVOUR)"),
                "is not one of [INSTANTIATE, TERMINATE, SCALE, HEAL, UPDATE]");
        assertBadRequest("/nslcm/v2/ns_lcm_op_occs", Map.of("filter", "(eq,isCancelPending,true)"),
                "cannot be used in a filter");
        assertBadRequest("/nsd/v2/ns_descriptors", Map.of("filter", "(eq,nsdId,a'b)"), "Malformed filter");
        assertBadRequest("/nsd/v2/ns_descriptors", Map.of("exclude_fields", "nsdId"), "is always in a NsdInfo");
        assertBadRequest("/nslcm/v2/ns_instances", Map.of("fields", "vnfInstance", "all_fields", ""),
                "cannot be combined");
        assertBadRequest("/nslcm/v2/subscriptions", Map.of("exclude_default", ""), "takes no attribute selectors");
        assertBadRequest("/nslcm/v2/ns_instances", Map.of("nextpage_opaque_marker", "x.y"),
                "nextpage_opaque_marker is not a marker this API issued");
    }
}
