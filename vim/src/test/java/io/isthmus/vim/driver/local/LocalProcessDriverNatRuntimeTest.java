package io.isthmus.vim.driver.local;

import static io.isthmus.vim.VimApi.asService;
import static io.isthmus.vim.VimApi.create;
import static io.isthmus.vim.VimApi.nat;
import static io.isthmus.vim.VimApi.poolUsage;
import static io.isthmus.vim.VimApi.quotaUsage;
import static io.isthmus.vim.VimApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.isthmus.vim.service.AllocationService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The local driver through the VIM API, starting the real VNF runtime jar (vnf-runtime) running the NAT, as OS processes. */
@QuarkusTest
class LocalProcessDriverNatRuntimeTest {

    @Inject
    AllocationService allocations;

    @ConfigProperty(name = "isthmus.vim.local.runtime")
    String natRuntime;

    @BeforeEach
    void natRuntimeIsBuilt() {
        assumeTrue(Files.isRegularFile(Path.of(natRuntime)),
                "the VNF runtime jar is not built yet: " + Path.of(natRuntime).toAbsolutePath().normalize());
    }

    @Test
    void natAllocationRunsRealProcessesUntilDeleted() {
        // Given
        String tenant = unique("tenant");
        String id = unique("alloc");
        List<Number> poolBefore = poolUsage("local");

        // When the VNFM allocates a NAT of one slowpath and two fastpaths on this host
        JsonPath created = create(nat(id, tenant, "local", "nat", 2, 1))
                .statusCode(201)
                .header("Location", endsWith("/vim/v1/allocations/" + id))
                .extract().jsonPath();

        // Then it is ACTIVE with three live processes
        assertThat(created.getString("state")).isEqualTo("ACTIVE");
        assertThat(created.getString("driver")).isEqualTo("local");
        List<Long> pids = created.getList("components.pid", Long.class);
        assertThat(pids).hasSize(3).allSatisfy(pid -> assertThat(alive(pid)).as("process %d alive", pid).isTrue());
        assertThat(created.getList("components.role")).containsExactly("slowpath", "fastpath", "fastpath");
        assertThat(created.getList("components.index")).containsExactly(0, 0, 1);
        int configPort = created.getInt("components[0].ports.config");
        assertThat(created.getInt("components[0].ports.control")).isPositive();
        assertThat(created.getList("components.ports.data").subList(1, 3)).doesNotContainNull().doesNotHaveDuplicates();

        // and the slowpath counts both fastpaths
        JsonPath health = JsonPath.from(given().get("http://127.0.0.1:" + configPort + "/health")
                .then().statusCode(200).extract().asString());
        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getInt("fastpaths")).isEqualTo(2);
        // and its config endpoint takes configuration only with the secret the VIM handed out with the allocation
        String secret = created.getString("configSecret");
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
        String config = "{\"publicAddress\":\"203.0.113.10\",\"portRangeStart\":20000,\"portRangeEnd\":20099,"
                + "\"insideVni\":100,\"outsideVni\":200,\"insideNextHop\":\"127.0.0.1:40002\","
                + "\"outsideNextHop\":\"127.0.0.1:40001\"}";
        given().contentType("application/json").body(config).put("http://127.0.0.1:" + configPort + "/config")
                .then().statusCode(401);
        given().auth().oauth2("not-" + secret).contentType("application/json").body(config)
                .put("http://127.0.0.1:" + configPort + "/config").then().statusCode(401);
        given().auth().oauth2(secret).contentType("application/json").body(config)
                .put("http://127.0.0.1:" + configPort + "/config").then().statusCode(204);
        // and every allocation has a secret of its own
        String other = unique("alloc");
        String otherSecret = create(nat(other, unique("tenant"), "local", "nat", 1, 1)).statusCode(201).extract()
                .path("configSecret");
        asService().delete("/vim/v1/allocations/" + other).then().statusCode(204);
        assertThat(otherSecret).isNotBlank().isNotEqualTo(secret);
        // and capacity and quota are charged: 1 + 2 × 1 vCPUs, 512 + 2 × 256 MB
        assertThat(quotaUsage(tenant)).containsExactly(3, 1024L);
        assertThat(poolUsage("local")).containsExactly(poolBefore.get(0).intValue() + 3,
                poolBefore.get(1).longValue() + 1024);

        // When the same allocation is asked for again
        JsonPath again = create(nat(id, tenant, "local", "nat", 2, 1)).statusCode(200).extract().jsonPath();
        // Then it is the same one, not a second
        assertThat(again.getList("components.pid", Long.class)).isEqualTo(pids);
        assertThat(quotaUsage(tenant)).containsExactly(3, 1024L);

        // When it is released
        asService().delete("/vim/v1/allocations/" + id).then().statusCode(204);

        // Then its processes are gone and capacity and quota are back
        assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).as("process %d alive", pid).isFalse());
        assertThat(poolUsage("local")).isEqualTo(poolBefore);
        assertThat(quotaUsage(tenant)).containsExactly(0, 0L);
        asService().get("/vim/v1/allocations/" + id).then().statusCode(404);
    }

    @Test
    void vimShutdownStopsItsProcessesAndAskingAgainRestartsThem() {
        // Given a running NAT
        String tenant = unique("tenant");
        String id = unique("alloc");
        List<Number> poolBefore = poolUsage("local");
        List<Long> pids = create(nat(id, tenant, "local", "nat", 2, 1)).statusCode(201)
                .extract().jsonPath().getList("components.pid", Long.class);

        // When the VIM shuts down (what its ShutdownEvent observer does)
        allocations.stopAll("local", "the VIM shut down");

        // Then the processes are gone, the allocation is STOPPED and holds nothing
        assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).as("process %d alive", pid).isFalse());
        asService().get("/vim/v1/allocations/" + id).then().statusCode(200)
                .body("state", equalTo("STOPPED"))
                .body("stateReason", equalTo("the VIM shut down"))
                .body("components", hasSize(0));
        assertThat(poolUsage("local")).isEqualTo(poolBefore);
        assertThat(quotaUsage(tenant)).containsExactly(0, 0L);

        // When the VNFM asks for it again
        List<Long> restarted = create(nat(id, tenant, "local", "nat", 2, 1)).statusCode(201)
                .body("state", equalTo("ACTIVE"))
                .extract().jsonPath().getList("components.pid", Long.class);

        // Then it runs again, in new processes
        assertThat(restarted).hasSize(3).doesNotContainAnyElementsOf(pids)
                .allSatisfy(pid -> assertThat(alive(pid)).isTrue());
        asService().delete("/vim/v1/allocations/" + id).then().statusCode(204);
        assertThat(restarted).allSatisfy(pid -> assertThat(alive(pid)).isFalse());
        assertThat(poolUsage("local")).isEqualTo(poolBefore);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
