package io.isthmus.vnfm.api;

import static io.isthmus.sol.testing.EtsiSchemas.assertEachValid;
import static io.isthmus.sol.testing.EtsiSchemas.assertValid;
import static io.isthmus.vnfm.support.Sol003.INDICATORS;
import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static io.restassured.RestAssured.given;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.testing.SolPages;
import io.isthmus.vnfm.fakes.FakeNfvo;
import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The VNF indicator API (SOL003 clause 8, {@code /vnfind/v1}) against the fake slowpath's {@code GET /stats}: its
 * {@code indicators} and {@code counters} flattened, read at each request, scoped by tenant. Pages hold two elements
 * here (the profile of {@link ListQueriesTest}), so that the lists are followed through their Link headers.
 * <p>
 * Bodies are checked against {@code VnfIndicator.schema.json}, cut out of the SOL003 v3.3.1 indicator OpenAPI (the
 * NFV-TST 010 schemas have none), but for its {@code value}, which it types as an object while Isthmus serves a
 * JSON number, string or boolean (docs/contracts.md "VNF indicators"); the values are asserted here instead.
 */
@QuarkusTest
@TestProfile(ListQueriesTest.SmallPages.class)
@WithTestResource(FakePeers.class)
class VnfIndicatorsResourceTest {

    static final String INDICATOR_API = "SOL003/VNFIndicator-API-v3.3.1";
    static final String SCHEMA = "VnfIndicator.schema.json";
    /** Not the schema's fault: Isthmus's choice of scalar values. */
    static final String VALUE = "/value";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = Tokens.alice();

    /** alice's instantiated VNF, shared by the tests (every VNF of the fakes has the one fake slowpath). */
    private static String vnf;

    @BeforeEach
    void givenAnInstantiatedVnfWhoseSlowpathHasIndicatorsAndCounters() throws Exception {
        FakePeers.slowpath().stats(JSON.readTree("""
                {"flows": 3, "health": "up", "drops": {"malformed": 2},
                 "publicAddresses": [{"address": "203.0.113.10", "portsInUse": 5}]}"""),
                JSON.readTree("""
                        {"inside": {"packets": 10, "bytes": 1500}}"""));
        if (vnf == null) {
            vnf = created(ALICE);
            String op = Sol003.instantiate(ALICE, vnf, "203.0.113.90");
            await().atMost(30, SECONDS).until(() -> "COMPLETED".equals(Sol003.opState(ALICE, op)));
        }
    }

    @AfterEach
    void slowpathAnswersAgainWithoutIndicators() {
        FakePeers.slowpath().answerStats(true);
        FakePeers.slowpath().stats(null, null);
    }

    private static String created(String token) {
        return as(token).body(Map.of("vnfdId", FakeNfvo.VNFD_ID, "vnfInstanceName", "indicated"))
                .post(ROOT + "/vnf_instances").then().statusCode(201).extract().path("id");
    }

    private static Response get(String token, String path) {
        return as(token, INDICATORS).get(INDICATORS + path);
    }

    /** Every element of an indicator list, following Link rel="next" to the end. */
    private static List<Map<String, Object>> all(String token, String path, String filter) {
        var first = as(token, INDICATORS);
        if (filter != null) {
            first = first.queryParam("filter", filter);
        }
        return SolPages.all(first.get(INDICATORS + path),
                next -> as(token, INDICATORS).urlEncodingEnabled(false).get(next), 2);
    }

    private static Map<String, Object> values(List<Map<String, Object>> indicators) {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        indicators.forEach(i -> values.put((String) i.get("id"), i.get("value")));
        return values;
    }

    @Test
    void anInstancesIndicatorsAreItsSlowpathsStatsFlattened() {
        // When alice reads her VNF's indicators
        Response first = get(ALICE, "/indicators/" + vnf);

        // Then they are the slowpath's indicators and counters, by dotted path, in pages of valid VnfIndicators
        first.then().statusCode(200).header("Version", "1.3.0");
        assertEachValid(first.asString(), INDICATOR_API, SCHEMA, VALUE);
        List<Map<String, Object>> indicators = all(ALICE, "/indicators/" + vnf, null);
        // (and the data plane's, which every VNF has: this fake slowpath knows no fastpath)
        assertThat(values(indicators)).containsExactly(Map.entry("counters.inside.bytes", 1500),
                Map.entry("counters.inside.packets", 10), Map.entry("dataplane.bytes", 0),
                Map.entry("dataplane.drops", 0), Map.entry("dataplane.packets", 0), Map.entry("drops.malformed", 2),
                Map.entry("flows", 3),
                Map.entry("health", "up"), Map.entry("publicAddresses.203_0_113_10.portsInUse", 5));
        assertThat(indicators).allSatisfy(i -> {
            assertThat(i.get("name")).isEqualTo(i.get("id"));
            assertThat(i.get("vnfInstanceId")).isEqualTo(vnf);
        });

        // And one of them is read at its self link, the instance at the other
        Response one = get(ALICE, "/indicators/" + vnf + "/flows");
        one.then().statusCode(200).header("Version", "1.3.0");
        assertValid(one.asString(), INDICATOR_API, SCHEMA, VALUE);
        assertThat(one.<Integer>path("value")).isEqualTo(3);
        String self = one.path("_links.self.href");
        assertThat(self).endsWith(INDICATORS + "/indicators/" + vnf + "/flows");
        assertThat(as(ALICE, INDICATORS).urlEncodingEnabled(false).get(self).<Integer>path("value")).isEqualTo(3);
        assertThat(one.<String>path("_links.vnfInstance.href")).endsWith(ROOT + "/vnf_instances/" + vnf);
        assertThat(get(ALICE, "/indicators/" + vnf + "/publicAddresses.203_0_113_10.portsInUse").<Integer>path(
                "value")).isEqualTo(5);
    }

    @Test
    void aValueIsReadAtEachRequest() throws Exception {
        assertThat(get(ALICE, "/indicators/" + vnf + "/flows").<Integer>path("value")).isEqualTo(3);

        FakePeers.slowpath().stats(JSON.readTree("{\"flows\": 4}"), null);

        assertThat(get(ALICE, "/indicators/" + vnf + "/flows").<Integer>path("value")).isEqualTo(4);
        assertThat(get(ALICE, "/indicators/" + vnf + "/counters.inside.bytes").statusCode()).isEqualTo(404);
    }

    @Test
    void everyInstancesIndicatorsAreListedFilteredAndPaged() {
        // When alice lists every indicator of hers, or those of her VNF that a filter selects
        List<Map<String, Object>> mine = all(ALICE, "/indicators", "(eq,vnfInstanceId," + vnf + ")");
        List<Map<String, Object>> large = all(ALICE, "/indicators",
                "(eq,vnfInstanceId," + vnf + ");(gte,value,5);(cont,id,.)");

        // Then the list holds her VNF's, and the filter applies to ids and numeric values
        assertThat(mine).hasSize(9);
        assertEachValid(get(ALICE, "/indicators").asString(), INDICATOR_API, SCHEMA, VALUE);
        assertThat(values(large)).containsOnlyKeys("counters.inside.bytes", "counters.inside.packets",
                "publicAddresses.203_0_113_10.portsInUse");
        assertThat(values(all(ALICE, "/indicators/" + vnf, "(eq,value,up)"))).containsOnlyKeys("health");
        assertThat(all(ALICE, "/indicators", null)).extracting(i -> i.get("vnfInstanceId")).contains(vnf);
    }

    @Test
    void anotherTenantNeitherReadsNorListsTheIndicators() {
        String bob = Tokens.bob();

        Response single = get(bob, "/indicators/" + vnf);
        Response one = get(bob, "/indicators/" + vnf + "/flows");

        assertThat(single.statusCode()).isEqualTo(404);
        assertThat(single.contentType()).startsWith("application/problem+json");
        assertThat(one.statusCode()).isEqualTo(404);
        assertThat(all(bob, "/indicators", "(eq,vnfInstanceId," + vnf + ")")).isEmpty();
        assertThat(all(bob, "/indicators", null)).extracting(i -> i.get("vnfInstanceId")).doesNotContain(vnf);
        // an operator sees every tenant's
        assertThat(all(Tokens.oscar(), "/indicators", "(eq,vnfInstanceId," + vnf + ")")).hasSize(9);
    }

    @Test
    void anInstanceNotInstantiatedHasNoIndicators() {
        String created = created(ALICE);

        Response response = get(ALICE, "/indicators/" + created);

        response.then().statusCode(200);
        assertThat(response.<List<Object>>path("")).isEmpty();
        assertThat(get(ALICE, "/indicators/" + created + "/flows").statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownIndicatorOrInstanceIsNotFound() {
        Response indicator = get(ALICE, "/indicators/" + vnf + "/no.such.indicator");
        Response instance = get(ALICE, "/indicators/" + java.util.UUID.randomUUID());

        assertThat(indicator.statusCode()).isEqualTo(404);
        assertThat(indicator.contentType()).startsWith("application/problem+json");
        assertThat(indicator.<String>path("detail")).contains("no.such.indicator");
        assertThat(instance.statusCode()).isEqualTo(404);
    }

    @Test
    void aSlowpathThatDoesNotAnswerIsUnavailableAndLeftOutOfTheList() {
        // Given the slowpath gone
        FakePeers.slowpath().answerStats(false);

        // When its indicators are read, alone or with every instance's
        Response single = get(ALICE, "/indicators/" + vnf);
        Response one = get(ALICE, "/indicators/" + vnf + "/flows");
        Response list = get(ALICE, "/indicators");

        // Then the reads of its own are 503 ProblemDetails, and the list leaves it out
        assertThat(single.statusCode()).isEqualTo(503);
        assertThat(single.contentType()).startsWith("application/problem+json");
        assertThat(single.<String>path("detail")).contains(vnf);
        assertThat(one.statusCode()).isEqualTo(503);
        list.then().statusCode(200);
        assertThat(list.<List<String>>path("vnfInstanceId")).doesNotContain(vnf);
    }

    @Test
    void theApiSpeaksVersion130() {
        Response none = given().auth().oauth2(ALICE).get(INDICATORS + "/indicators");
        Response lcm = given().auth().oauth2(ALICE).header("Version", "2.0.0").get(INDICATORS + "/indicators");
        Response versions = given().auth().oauth2(ALICE).get("/vnfind/api_versions");

        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(lcm.statusCode()).isEqualTo(406);
        assertThat(lcm.contentType()).startsWith("application/problem+json");
        versions.then().statusCode(200);
        assertThat(versions.<String>path("uriPrefix")).isEqualTo(INDICATORS);
        assertThat(versions.<List<String>>path("apiVersions.version")).containsExactly("1.3.0");
        assertThat(given().auth().oauth2(ALICE).get(INDICATORS + "/api_versions").statusCode()).isEqualTo(200);
    }

    @Test
    void aFilterOnAnUnknownAttributeOrAnAttributeSelectorIsRefused() {
        Response filter = as(ALICE, INDICATORS).queryParam("filter", "(eq,vnfdId,x)").get(INDICATORS + "/indicators");
        Response selector = as(ALICE, INDICATORS).queryParam("all_fields", "").get(INDICATORS + "/indicators/" + vnf);

        assertThat(filter.statusCode()).isEqualTo(400);
        assertThat(filter.<String>path("detail")).contains("vnfdId");
        assertThat(selector.statusCode()).isEqualTo(400);
    }
}
