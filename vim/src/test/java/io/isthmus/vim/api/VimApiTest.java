package io.isthmus.vim.api;

import static io.isthmus.vim.VimApi.asOperator;
import static io.isthmus.vim.VimApi.asService;
import static io.isthmus.vim.VimApi.create;
import static io.isthmus.vim.VimApi.nat;
import static io.isthmus.vim.VimApi.withSlowpathMemory;
import static io.isthmus.vim.VimApi.poolUsage;
import static io.isthmus.vim.VimApi.quotaUsage;
import static io.isthmus.vim.VimApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.isthmus.sol.testing.EtsiSchemas;
import io.isthmus.vim.Tokens;
import io.isthmus.vnf.process.VnfProcess;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class VimApiTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    /** ETSI's own schema of ProblemDetails, from its SOL003 API conformance tests. */
    private static final String ETSI_API = "SOL003/VNFLifecycleManagement-API";
    private static final String ETSI_PROBLEM_DETAILS = "ProblemDetails.schema.json";

    @Test
    void callWithoutTokenIsRefusedWithProblemDetails401() {
        given().get("/vim/v1/capacity")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .body("status", equalTo(401))
                .body("detail", containsString("bearer token"));
    }

    @Test
    void tenantIsForbiddenTheVimApi() {
        // Given alice, a tenant: the VIM API is for the platform's services and operators
        given().auth().oauth2(Tokens.tenant())
                // When
                .get("/vim/v1/capacity")
                // Then
                .then().statusCode(403).contentType(PROBLEM_JSON).body("status", equalTo(403));
    }

    @Test
    void capacityListsTheLocalAndKubernetesPools() {
        asService().get("/vim/v1/capacity")
                .then().statusCode(200)
                .body("pools.find { it.id == 'local' }.driver", equalTo("local"))
                .body("pools.find { it.id == 'local' }.vcpusTotal", equalTo(16))
                .body("pools.find { it.id == 'local' }.memoryMbTotal", equalTo(32768))
                .body("pools.find { it.id == 'kubernetes' }.driver", equalTo("kubernetes"));
    }

    @Test
    void capacityCheckAdmitsWhatFitsTheDefaultQuota() {
        asService().body(Map.of("tenantId", unique("tenant"), "vcpus", 8, "memoryMb", 16384))
                .post("/vim/v1/capacity-checks")
                .then().statusCode(200)
                .body("admitted", equalTo(true))
                .body("reason", nullValue())
                .body("zoneId", equalTo("local"))
                .body("vimId", equalTo("isthmus-vim"))
                .body("driver", equalTo("local"));
    }

    @Test
    void capacityCheckOverTheQuotaIsRefusedNamingTheQuota() {
        String tenant = unique("tenant");
        asService().body(Map.of("tenantId", tenant, "vcpus", 9, "memoryMb", 1024))
                .post("/vim/v1/capacity-checks")
                .then().statusCode(200)
                .body("admitted", equalTo(false))
                .body("reason", containsString("Quota exceeded for tenant " + tenant))
                .body("reason", containsString("vcpus quota: 9 requested, 0 of 8 used"));
    }

    @Test
    void capacityCheckOverThePoolIsRefusedNamingThePool() {
        // Given a tenant whose own quota is larger than the host
        String tenant = unique("tenant");
        asOperator().body(Map.of("vcpusLimit", 100, "memoryMbLimit", 1_000_000))
                .put("/vim/v1/quotas/" + tenant)
                .then().statusCode(200).body("vcpusLimit", equalTo(100));
        // When
        asService().body(Map.of("tenantId", tenant, "vcpus", 17, "memoryMb", 1024, "driver", "local"))
                .post("/vim/v1/capacity-checks")
                // Then
                .then().statusCode(200)
                .body("admitted", equalTo(false))
                .body("reason", containsString("Capacity exhausted in pool local: vcpus: 17 requested"));
    }

    @Test
    void onlyAnOperatorSetsATenantsQuota() {
        String tenant = unique("tenant");
        asService().body(Map.of("vcpusLimit", 2, "memoryMbLimit", 2048)).put("/vim/v1/quotas/" + tenant)
                .then().statusCode(403).contentType(PROBLEM_JSON);

        asOperator().body(Map.of("vcpusLimit", 2, "memoryMbLimit", 2048)).put("/vim/v1/quotas/" + tenant)
                .then().statusCode(200);

        asService().get("/vim/v1/quotas/" + tenant)
                .then().statusCode(200)
                .body("tenantId", equalTo(tenant))
                .body("vcpusLimit", equalTo(2))
                .body("memoryMbLimit", equalTo(2048))
                .body("vcpusUsed", equalTo(0))
                .body("memoryMbUsed", equalTo(0));
    }

    @Test
    void allocationOverTheQuotaIsRefusedWith409AndChargesNothing() {
        // Given a tenant with the default quota of 8 vCPUs and the pool's usage now
        String tenant = unique("tenant");
        String id = unique("alloc");
        List<Number> poolBefore = poolUsage("local");
        // When it asks for 1 + 2 × 4 = 9 vCPUs
        create(nat(id, tenant, "local", "nat", 2, 4))
                // Then
                .statusCode(409).contentType(PROBLEM_JSON)
                .body("status", equalTo(409))
                .body("detail", containsString("vcpus quota: 9 requested, 0 of 8 used"));
        assertThat(poolUsage("local")).isEqualTo(poolBefore);
        assertThat(quotaUsage(tenant)).containsExactly(0, 0L);
        asService().get("/vim/v1/allocations/" + id).then().statusCode(404);
    }

    @Test
    void failedStartReleasesEverythingAndLeavesNoProcessBehind() {
        // Given a slowpath given too little memory for its JVM, so that its process exits at once
        String tenant = unique("tenant");
        String id = unique("alloc");
        List<Number> poolBefore = poolUsage("local");
        Set<Long> childrenBefore = liveChildren();
        // When
        create(withSlowpathMemory(nat(id, tenant, "local", "nat", 2, 1), 1))
                // Then the client learns it failed and why
                .statusCode(503).contentType(PROBLEM_JSON)
                .body("detail", containsString("failed to start and was released"))
                .body("detail", containsString("exited with code"));
        // and nothing runs, nothing is charged, nothing is remembered
        assertThat(liveChildren()).isSubsetOf(childrenBefore);
        assertThat(poolUsage("local")).isEqualTo(poolBefore);
        assertThat(quotaUsage(tenant)).containsExactly(0, 0L);
        asService().get("/vim/v1/allocations/" + id).then().statusCode(404);
    }

    @Test
    void unknownAllocationIs404WithAnEtsiProblemDetails() {
        String body = asService().get("/vim/v1/allocations/" + unique("nobody"))
                .then().statusCode(404).contentType(PROBLEM_JSON)
                .body("status", equalTo(404))
                .extract().asString();

        EtsiSchemas.assertValid(body, ETSI_API, ETSI_PROBLEM_DETAILS);
        // and the schema does refuse what is no ProblemDetails, so the check above means something
        assertThat(EtsiSchemas.errors(ETSI_API, ETSI_PROBLEM_DETAILS, "{\"title\": \"Not Found\"}")).isNotEmpty();
    }

    @Test
    void deletingAnUnknownAllocationIs404() {
        asService().delete("/vim/v1/allocations/" + unique("nobody"))
                .then().statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void malformedJsonIs400ProblemDetails() {
        asService().body("{\"id\": \"x\", \"components\": [")
                .post("/vim/v1/allocations")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("status", equalTo(400))
                .body("detail", containsString("Malformed"));
    }

    @Test
    void countBelowOneIs400() {
        create(nat(unique("alloc"), unique("tenant"), "local", "nat", 0, 1))
                .statusCode(400).contentType(PROBLEM_JSON)
                .body("detail", containsString("components[1].count must be between 1 and 1000, not 0"));
    }

    @Test
    void unknownDriverIs422() {
        create(nat(unique("alloc"), unique("tenant"), "openstack", "nat", 2, 1))
                .statusCode(422).contentType(PROBLEM_JSON)
                .body("detail", containsString("Driver openstack is unknown or not enabled here"));
    }

    @Test
    void unknownVnfTypeIs422() {
        create(nat(unique("alloc"), unique("tenant"), "local", "firewall", 2, 1))
                .statusCode(422).contentType(PROBLEM_JSON)
                .body("detail", containsString("VNF type firewall cannot run on driver local"))
                .body("detail", containsString("mirror"))
                .body("detail", containsString("nat"));
    }

    @Test
    void allocationWithoutSlowpathIs422() {
        Map<String, Object> onlyFastpaths = Map.of("id", unique("alloc"), "tenantId", unique("tenant"),
                "vnfInstanceId", "vnf-1", "vnfType", "nat",
                "components", List.of(Map.of("name", "fastpath", "role", "fastpath", "count", 2, "vcpus", 1,
                        "memoryMb", 256)));
        create(onlyFastpaths)
                .statusCode(422).contentType(PROBLEM_JSON)
                .body("detail", containsString("exactly one slowpath component"));
    }

    @Test
    void readinessIsUp() {
        given().accept(ContentType.JSON).get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"));
    }

    /** The VNF processes this VIM runs (not its own short-lived helpers, such as a class-data archive's dump). */
    private static Set<Long> liveChildren() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(VnfProcess.SLOWPATH_MAIN)
                        || c.contains(VnfProcess.FASTPATH_MAIN)).orElse(true))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}
