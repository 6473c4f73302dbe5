package io.isthmus.vim.driver.local;

import static io.isthmus.vim.VimApi.asOperator;
import static io.isthmus.vim.VimApi.asService;
import static io.isthmus.vim.VimApi.create;
import static io.isthmus.vim.VimApi.nat;
import static io.isthmus.vim.VimApi.poolUsage;
import static io.isthmus.vim.VimApi.quotaUsage;
import static io.isthmus.vim.VimApi.unique;
import static io.restassured.RestAssured.given;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/**
 * Changes of a running allocation through the VIM API (resize, restart and replace, operate, liveness), with the local
 * driver running the real VNF runtime (a NAT) as OS processes.
 */
@QuarkusTest
class LocalAllocationChangesTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @ConfigProperty(name = "isthmus.vim.local.runtime")
    String runtime;

    private String tenant;
    private String id;

    @BeforeEach
    void runtimeIsBuilt() {
        assumeTrue(Files.isRegularFile(Path.of(runtime)),
                "the VNF runtime jar is not built yet: " + Path.of(runtime).toAbsolutePath().normalize());
        tenant = unique("tenant");
        id = unique("alloc");
    }

    @AfterEach
    void release() {
        if (id != null) {
            asService().delete("/vim/v1/allocations/" + id);
        }
    }

    @Test
    void resizeGrowsAndShrinksFastpathsAndNeverReusesAnIndex() {
        // Given a NAT of one slowpath (1 vCPU, 512 MB) and two fastpaths (1 vCPU, 256 MB each)
        List<Number> poolBefore = poolUsage("local");
        JsonPath created = create(nat(id, tenant, "local", "nat", 2, 1)).statusCode(201).extract().jsonPath();
        int configPort = created.getInt("components[0].ports.config");

        // When the fastpaths grow to three
        JsonPath grown = resize("fastpath", Map.of("count", 3)).statusCode(200).extract().jsonPath();

        // Then a third fastpath runs, index and --id 2, and the slowpath counts it already
        assertThat(grown.getList("components.findAll { it.role == 'fastpath' }.index")).containsExactly(0, 1, 2);
        assertThat(grown.getList("components.findAll { it.role == 'fastpath' }.fastpathId"))
                .containsExactly(0, 1, 2);
        assertThat(grown.getList("components.status")).containsOnly("RUNNING");
        assertThat(pids(grown)).hasSize(4).allSatisfy(pid -> assertThat(alive(pid)).isTrue());
        assertThat(pids(grown)).containsAll(pids(created));
        assertThat(registeredFastpaths(configPort)).isEqualTo(3);
        // and the allocation, the quota and the pool hold one fastpath more
        assertThat(grown.getInt("vcpus")).isEqualTo(4);
        assertThat(grown.getLong("memoryMb")).isEqualTo(1280);
        assertThat(quotaUsage(tenant)).containsExactly(4, 1280L);
        assertThat(poolUsage("local")).containsExactly(poolBefore.get(0).intValue() + 4,
                poolBefore.get(1).longValue() + 1280);

        // When they shrink to one, fastpaths 0 and 2 going
        long pid0 = pid(grown, "fastpath", 0);
        long pid1 = pid(grown, "fastpath", 1);
        long pid2 = pid(grown, "fastpath", 2);
        JsonPath shrunk = resize("fastpath", Map.of("count", 1, "remove", List.of(0, 2))).statusCode(200)
                .extract().jsonPath();

        // Then only fastpath 1 runs, its process untouched, and the slowpath stops counting the others
        assertThat(shrunk.getList("components.findAll { it.role == 'fastpath' }.index")).containsExactly(1);
        assertThat(alive(pid0)).isFalse();
        assertThat(alive(pid2)).isFalse();
        assertThat(alive(pid1)).isTrue();
        await().atMost(20, SECONDS).until(() -> registeredFastpaths(configPort) == 1);
        assertThat(shrunk.getInt("vcpus")).isEqualTo(2);
        assertThat(quotaUsage(tenant)).containsExactly(2, 768L);
        assertThat(poolUsage("local")).containsExactly(poolBefore.get(0).intValue() + 2,
                poolBefore.get(1).longValue() + 768);

        // When they grow to two again
        JsonPath regrown = resize("fastpath", Map.of("count", 2)).statusCode(200).extract().jsonPath();

        // Then the new fastpath takes index 3: no index (and no --id) is used twice in an allocation's life
        assertThat(regrown.getList("components.findAll { it.role == 'fastpath' }.index")).containsExactly(1, 3);
        assertThat(regrown.getList("components.findAll { it.role == 'fastpath' }.fastpathId"))
                .containsExactly(1, 3);
        await().atMost(20, SECONDS).until(() -> registeredFastpaths(configPort) == 2);

        // When the same count is asked again (a VNFM repeating a call after a crash)
        JsonPath again = resize("fastpath", Map.of("count", 2)).statusCode(200).extract().jsonPath();

        // Then nothing changes
        assertThat(pids(again)).isEqualTo(pids(regrown));
        assertThat(quotaUsage(tenant)).containsExactly(3, 1024L);

        // and its release gives everything back
        asService().delete("/vim/v1/allocations/" + id).then().statusCode(204);
        assertThat(pids(again)).allSatisfy(pid -> assertThat(alive(pid)).isFalse());
        assertThat(quotaUsage(tenant)).containsExactly(0, 0L);
        assertThat(poolUsage("local")).isEqualTo(poolBefore);
    }

    @Test
    void growthOverTheQuotaOrThePoolIs409AndChangesNothing() {
        // Given a NAT of 1 + 2 × 1 vCPUs, in the default quota of 8
        JsonPath created = create(nat(id, tenant, "local", "nat", 2, 1)).statusCode(201).extract().jsonPath();
        List<Number> poolBefore = poolUsage("local");

        // When its fastpaths are to grow to 8 (1 + 8 = 9 vCPUs)
        resize("fastpath", Map.of("count", 8))
                // Then the quota refuses
                .statusCode(409).contentType(PROBLEM_JSON)
                .body("detail", containsString("vcpus quota: 6 requested, 3 of 8 used"));
        // and nothing changed
        assertUnchanged(created, poolBefore, 3, 1024L);

        // Given a tenant with room for more than the host, and fastpaths of 5 vCPUs
        String big = unique("tenant");
        asOperator().body(Map.of("vcpusLimit", 1000, "memoryMbLimit", 1_000_000)).put("/vim/v1/quotas/" + big)
                .then().statusCode(200);
        String other = unique("alloc");
        try {
            JsonPath wide = create(nat(other, big, "local", "nat", 1, 5)).statusCode(201).extract().jsonPath();
            List<Number> poolNow = poolUsage("local");
            // When they are to grow to 4 (15 vCPUs more; the pool has 16)
            asService().body(Map.of("count", 4)).put("/vim/v1/allocations/" + other + "/components/fastpath")
                    .then()
                    // Then the pool refuses
                    .statusCode(409).contentType(PROBLEM_JSON)
                    .body("detail", containsString("Capacity exhausted in pool local: vcpus: 15 requested"));
            assertThat(poolUsage("local")).isEqualTo(poolNow);
            assertThat(quotaUsage(big)).containsExactly(6, 768L);
            assertThat(pids(view(other))).isEqualTo(pids(wide));
        } finally {
            asService().delete("/vim/v1/allocations/" + other);
        }
    }

    @Test
    void badChangesAreRefusedWithProblemDetailsAndChangeNothing() {
        JsonPath created = create(nat(id, tenant, "local", "nat", 2, 1)).statusCode(201).extract().jsonPath();
        List<Number> poolBefore = poolUsage("local");

        // 400: what is no resize
        asService().body("{\"count\": 3,").put(componentPath("fastpath")).then().statusCode(400)
                .contentType(PROBLEM_JSON).body("detail", containsString("Malformed"));
        asService().body("{\"count\": \"three\"}").put(componentPath("fastpath")).then().statusCode(400)
                .contentType(PROBLEM_JSON);
        resize("fastpath", Map.of()).statusCode(400).body("detail", containsString("count is required"));
        resize("fastpath", Map.of("count", 0)).statusCode(400)
                .body("detail", containsString("count must be between 1 and 1000, not 0"));
        resize("fastpath", Map.of("count", 1, "remove", List.of(1, 1))).statusCode(400)
                .body("detail", containsString("names index 1 twice"));
        // 422: a resize the allocation cannot take
        resize("slowpath", Map.of("count", 2)).statusCode(422).contentType(PROBLEM_JSON)
                .body("detail", containsString("a slowpath's count stays 1"));
        resize("fastpath", Map.of("count", 1, "remove", List.of(0, 1))).statusCode(422)
                .body("detail", containsString("remove must name exactly 1 of the indexes [0, 1]"));
        resize("fastpath", Map.of("count", 1, "remove", List.of(7))).statusCode(422)
                .body("detail", containsString("it has no [7]"));
        resize("fastpath", Map.of("count", 3, "remove", List.of(0))).statusCode(422)
                .body("detail", containsString("only when fastpath shrinks"));
        // 404: what the allocation does not have
        resize("firewall", Map.of("count", 1)).statusCode(404).contentType(PROBLEM_JSON);
        asService().body(Map.of("count", 1)).put("/vim/v1/allocations/" + unique("nobody") + "/components/fastpath")
                .then().statusCode(404).contentType(PROBLEM_JSON);
        restart("fastpath", 9, "RESTART").statusCode(404).contentType(PROBLEM_JSON);
        // restart and operate bodies
        restart("fastpath", 0, "REBOOT").statusCode(400).body("detail", containsString("RESTART or REPLACE"));
        asService().body("{}").post(componentPath("fastpath") + "/0/restart").then().statusCode(400);
        operate(Map.of("state", "PAUSED")).statusCode(400).body("detail", containsString("STOPPED or STARTED"));
        operate(Map.of("state", "STOPPED", "timeoutSeconds", -1)).statusCode(400);
        operate(Map.of("state", "STOPPED", "components", List.of("fastpath"))).statusCode(400)
                .body("detail", containsString("<component>-<index>"));
        operate(Map.of("state", "STOPPED", "components", List.of("fastpath-5"))).statusCode(422)
                .contentType(PROBLEM_JSON).body("detail", containsString("it has no replica fastpath-5"));

        // and nothing changed
        assertUnchanged(created, poolBefore, 3, 1024L);
        assertThat(view(id).getList("components.status")).containsOnly("RUNNING");
    }

    @Test
    void restartKeepsTheReplicasPortsAndReplaceGivesAFastpathANewDataPort() {
        // Given a NAT with its config applied
        JsonPath created = create(nat(id, tenant, "local", "nat", 2, 1)).statusCode(201).extract().jsonPath();
        int configPort = created.getInt("components[0].ports.config");
        int controlPort = created.getInt("components[0].ports.control");
        String secret = created.getString("configSecret");

        // When fastpath 1 restarts
        JsonPath restarted = restart("fastpath", 1, "RESTART").statusCode(200).extract().jsonPath();

        // Then it is a new process on the same data port, and the slowpath hears from it again
        assertThat(pid(restarted, "fastpath", 1)).isNotEqualTo(pid(created, "fastpath", 1));
        assertThat(alive(pid(created, "fastpath", 1))).isFalse();
        assertThat(alive(pid(restarted, "fastpath", 1))).isTrue();
        assertThat(dataPort(restarted, 1)).isEqualTo(dataPort(created, 1));
        assertThat(replica(restarted, "fastpath", 1).get("status")).isEqualTo("RUNNING");
        assertThat(replica(restarted, "fastpath", 1).get("statusReason")).isEqualTo("restarted on request");
        assertThat(pid(restarted, "fastpath", 0)).isEqualTo(pid(created, "fastpath", 0));
        assertThat(registeredFastpaths(configPort)).isEqualTo(2);

        // When fastpath 0 is replaced
        JsonPath replaced = restart("fastpath", 0, "REPLACE").statusCode(200).extract().jsonPath();

        // Then it is a new process on a new data port, with its --id
        assertThat(pid(replaced, "fastpath", 0)).isNotEqualTo(pid(created, "fastpath", 0));
        assertThat(alive(pid(created, "fastpath", 0))).isFalse();
        assertThat(dataPort(replaced, 0)).isNotEqualTo(dataPort(created, 0));
        assertThat(replica(replaced, "fastpath", 0).get("fastpathId")).isEqualTo(0);

        // When the slowpath is replaced
        JsonPath newSlowpath = restart("slowpath", 0, "REPLACE").statusCode(200).extract().jsonPath();

        // Then it is a new process on the same ports, which both fastpaths found again before the answer
        assertThat(pid(newSlowpath, "slowpath", 0)).isNotEqualTo(pid(created, "slowpath", 0));
        assertThat(newSlowpath.getInt("components[0].ports.config")).isEqualTo(configPort);
        assertThat(newSlowpath.getInt("components[0].ports.control")).isEqualTo(controlPort);
        assertThat(registeredFastpaths(configPort)).isEqualTo(2);
        // and it still takes its configuration with the allocation's secret only
        assertThat(newSlowpath.getString("configSecret")).isEqualTo(secret);
        String config = "{\"publicAddress\":\"203.0.113.10\",\"portRangeStart\":20000,\"portRangeEnd\":20099,"
                + "\"insideVni\":100,\"outsideVni\":200,\"insideNextHop\":\"127.0.0.1:40002\","
                + "\"outsideNextHop\":\"127.0.0.1:40001\"}";
        given().contentType("application/json").body(config).put("http://127.0.0.1:" + configPort + "/config")
                .then().statusCode(401);
        given().auth().oauth2(secret).contentType("application/json").body(config)
                .put("http://127.0.0.1:" + configPort + "/config").then().statusCode(204);
    }

    @Test
    void operateStopsAndStartsReplicasWhileTheAllocationKeepsItsQuota() {
        // Given a running NAT
        JsonPath created = create(nat(id, tenant, "local", "nat", 2, 1)).statusCode(201).extract().jsonPath();
        int configPort = created.getInt("components[0].ports.config");
        List<Number> poolBefore = poolUsage("local");

        // When fastpath 1 is stopped gracefully
        JsonPath oneStopped = operate(Map.of("state", "STOPPED", "graceful", true, "timeoutSeconds", 10,
                "components", List.of("fastpath-1"))).statusCode(200).extract().jsonPath();

        // Then its process is gone, it shows STOPPED, and the rest runs on
        assertThat(alive(pid(created, "fastpath", 1))).isFalse();
        assertThat(replica(oneStopped, "fastpath", 1).get("status")).isEqualTo("STOPPED");
        assertThat(replica(oneStopped, "fastpath", 1).get("statusReason")).isEqualTo("stopped gracefully on request");
        assertThat(replica(oneStopped, "fastpath", 0).get("status")).isEqualTo("RUNNING");
        assertThat(oneStopped.getString("state")).isEqualTo("ACTIVE");

        // When everything is stopped forcefully, twice
        operate(Map.of("state", "STOPPED", "graceful", false)).statusCode(200);
        JsonPath allStopped = operate(Map.of("state", "STOPPED", "graceful", false)).statusCode(200).extract()
                .jsonPath();

        // Then no process runs, the allocation is still ACTIVE and holds its capacity and quota
        assertThat(pids(created)).allSatisfy(pid -> assertThat(alive(pid)).isFalse());
        assertThat(allStopped.getList("components.status")).containsOnly("STOPPED");
        assertThat(replica(allStopped, "fastpath", 1).get("statusReason")).isEqualTo("stopped gracefully on request");
        assertThat(replica(allStopped, "fastpath", 0).get("statusReason")).isEqualTo("stopped forcefully on request");
        assertThat(allStopped.getString("state")).isEqualTo("ACTIVE");
        assertThat(quotaUsage(tenant)).containsExactly(3, 1024L);
        assertThat(poolUsage("local")).isEqualTo(poolBefore);
        // and a fastpath does not start without its slowpath
        operate(Map.of("state", "STARTED", "components", List.of("fastpath-0"))).statusCode(409)
                .contentType(PROBLEM_JSON).body("detail", containsString("slowpath-0 is STOPPED"));

        // When it is started again
        JsonPath started = operate(Map.of("state", "STARTED")).statusCode(200).extract().jsonPath();

        // Then every replica runs in a new process on its old ports, and the slowpath counts both fastpaths
        assertThat(started.getList("components.status")).containsOnly("RUNNING");
        assertThat(pids(started)).hasSize(3).doesNotContainAnyElementsOf(pids(created))
                .allSatisfy(pid -> assertThat(alive(pid)).isTrue());
        assertThat(started.getList("components.ports")).isEqualTo(created.getList("components.ports"));
        assertThat(registeredFastpaths(configPort)).isEqualTo(2);
        assertThat(quotaUsage(tenant)).containsExactly(3, 1024L);
        // and starting what runs changes nothing
        assertThat(pids(operate(Map.of("state", "STARTED")).statusCode(200).extract().jsonPath()))
                .isEqualTo(pids(started));
    }

    @Test
    void fastpathKilledWithSigkillShowsFailedUntilItIsRestarted() {
        // Given a running NAT
        JsonPath created = create(nat(id, tenant, "local", "nat", 2, 1)).statusCode(201).extract().jsonPath();
        long victim = pid(created, "fastpath", 1);

        // When fastpath 1 is killed by someone else than the VIM
        ProcessHandle.of(victim).orElseThrow().destroyForcibly();

        // Then the allocation shows it FAILED, saying how it exited, within seconds
        await().atMost(10, SECONDS).until(() -> "FAILED".equals(replica(view(id), "fastpath", 1).get("status")));
        Map<String, Object> failed = replica(view(id), "fastpath", 1);
        assertThat(failed.get("statusReason")).isEqualTo("exited with code 137");
        assertThat(failed.get("statusTime")).isNotNull();
        assertThat(replica(view(id), "fastpath", 0).get("status")).isEqualTo("RUNNING");
        assertThat(view(id).getString("state")).isEqualTo("ACTIVE");

        // When it is restarted (a heal)
        JsonPath healed = restart("fastpath", 1, "RESTART").statusCode(200).extract().jsonPath();

        // Then it runs again
        assertThat(replica(healed, "fastpath", 1).get("status")).isEqualTo("RUNNING");
        assertThat(alive(pid(healed, "fastpath", 1))).isTrue();
    }

    private void assertUnchanged(JsonPath before, List<Number> poolBefore, int vcpus, long memoryMb) {
        JsonPath now = view(id);
        assertThat(pids(now)).isEqualTo(pids(before));
        assertThat(now.getList("components.index")).isEqualTo(before.getList("components.index"));
        assertThat(now.getInt("vcpus")).isEqualTo(vcpus);
        assertThat(now.getLong("memoryMb")).isEqualTo(memoryMb);
        assertThat(quotaUsage(tenant)).containsExactly(vcpus, memoryMb);
        assertThat(poolUsage("local")).isEqualTo(poolBefore);
    }

    private String componentPath(String component) {
        return "/vim/v1/allocations/" + id + "/components/" + component;
    }

    private ValidatableResponse resize(String component, Map<String, Object> body) {
        return asService().body(body).put(componentPath(component)).then();
    }

    private ValidatableResponse restart(String component, int index, String mode) {
        return asService().body(Map.of("mode", mode)).post(componentPath(component) + "/" + index + "/restart")
                .then();
    }

    private ValidatableResponse operate(Map<String, Object> body) {
        return asService().body(body).post("/vim/v1/allocations/" + id + "/operate").then();
    }

    private static JsonPath view(String allocationId) {
        return asService().get("/vim/v1/allocations/" + allocationId).then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> replica(JsonPath view, String component, int index) {
        return view.getMap("components.find { it.name == '" + component + "' && it.index == " + index + " }");
    }

    private static long pid(JsonPath view, String component, int index) {
        return ((Number) replica(view, component, index).get("pid")).longValue();
    }

    private static int dataPort(JsonPath view, int index) {
        return view.getInt("components.find { it.name == 'fastpath' && it.index == " + index + " }.ports.data");
    }

    private static List<Long> pids(JsonPath view) {
        return view.getList("components.pid", Long.class);
    }

    private static int registeredFastpaths(int configPort) {
        return given().get("http://127.0.0.1:" + configPort + "/health").then().statusCode(200)
                .body("status", equalTo("UP")).extract().path("fastpaths");
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
