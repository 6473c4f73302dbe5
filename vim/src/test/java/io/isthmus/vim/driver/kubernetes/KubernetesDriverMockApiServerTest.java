package io.isthmus.vim.driver.kubernetes;

import static io.isthmus.vim.VimApi.asService;
import static io.isthmus.vim.VimApi.create;
import static io.isthmus.vim.VimApi.nat;
import static io.isthmus.vim.VimApi.poolUsage;
import static io.isthmus.vim.VimApi.quotaUsage;
import static io.isthmus.vim.VimApi.unique;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * The kubernetes driver through the VIM API, against Fabric8's mock Kubernetes API server in CRUD mode (no cluster can
 * run here). The mock has no controllers, so the test plays the Deployment controller: it marks replicas ready.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class KubernetesDriverMockApiServerTest {

    private static final String NAMESPACE = "test";

    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void kubernetesAllocationRunsOneDeploymentPerComponentUntilDeleted() throws Exception {
        // Given
        String tenant = unique("tenant");
        String id = unique("alloc");
        List<Number> poolBefore = poolUsage("kubernetes");

        // When the VNFM allocates a NAT on Kubernetes, and the cluster brings its replicas up
        CompletableFuture<ExtractableResponse<Response>> created = CompletableFuture
                .supplyAsync(() -> create(nat(id, tenant, "kubernetes", "nat", 2, 1)).extract());
        await().atMost(15, SECONDS).until(() -> deploymentsOf(id).size() == 2);
        deploymentsOf(id).forEach(this::markReady);
        ExtractableResponse<Response> response = created.get(30, SECONDS);

        // Then the allocation is ACTIVE, placed behind one Service per component
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.jsonPath().getString("state")).isEqualTo("ACTIVE");
        assertThat(response.jsonPath().getString("driver")).isEqualTo("kubernetes");
        assertThat(response.jsonPath().getList("components")).hasSize(3);
        assertThat(response.jsonPath().getString("components[0].host"))
                .isEqualTo(id + "-slowpath." + NAMESPACE + ".svc");
        assertThat(response.jsonPath().getInt("components[0].ports.config")).isEqualTo(8080);
        assertThat(response.jsonPath().getInt("components[1].ports.data")).isEqualTo(4789);

        // and one Deployment per component, with its replicas, labels and size
        Deployment slowpath = client().apps().deployments().inNamespace(NAMESPACE).withName(id + "-slowpath").get();
        Deployment fastpath = client().apps().deployments().inNamespace(NAMESPACE).withName(id + "-fastpath").get();
        assertThat(slowpath.getSpec().getReplicas()).isEqualTo(1);
        assertThat(fastpath.getSpec().getReplicas()).isEqualTo(2);
        assertThat(fastpath.getMetadata().getLabels()).containsAllEntriesOf(Map.of(
                "app.kubernetes.io/managed-by", "isthmus",
                "isthmus.io/allocation", id,
                "isthmus.io/component", "fastpath",
                "isthmus.io/tenant", tenant));
        assertThat(fastpath.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(fastpath.getSpec().getSelector().getMatchLabels());
        assertSize(container(slowpath), "1", "512Mi");
        assertSize(container(fastpath), "1", "256Mi");
        assertThat(container(fastpath).getImage()).isEqualTo("isthmus/vnf-runtime:0.1.0");
        assertThat(container(fastpath).getArgs())
                .containsSubsequence("--slowpath", id + "-slowpath:7000");
        assertThat(container(slowpath).getArgs())
                .containsSubsequence("--vnf-type", "nat", "--instance-id", "vnf-" + id);
        assertThat(client().services().inNamespace(NAMESPACE).withLabel(VnfWorkloads.ALLOCATION, id).list()
                .getItems()).hasSize(2);
        // and its capacity and quota are charged: 1 + 2 × 1 vCPUs, 512 + 2 × 256 MB
        assertThat(poolUsage("kubernetes")).containsExactly(poolBefore.get(0).intValue() + 3,
                poolBefore.get(1).longValue() + 1024);
        assertThat(quotaUsage(tenant)).containsExactly(3, 1024L);

        // When the VNFM releases it
        asService().delete("/vim/v1/allocations/" + id).then().statusCode(204);

        // Then its workloads are gone, and capacity and quota are back
        assertThat(deploymentsOf(id)).isEmpty();
        assertThat(client().services().inNamespace(NAMESPACE).withLabel(VnfWorkloads.ALLOCATION, id).list()
                .getItems()).isEmpty();
        assertThat(poolUsage("kubernetes")).isEqualTo(poolBefore);
        assertThat(quotaUsage(tenant)).containsExactly(0, 0L);
        asService().get("/vim/v1/allocations/" + id).then().statusCode(404);
    }

    @Test
    void kubernetesAllocationChangesThroughItsDeployments() throws Exception {
        // Given a NAT on Kubernetes, ready
        String tenant = unique("tenant");
        String id = unique("alloc");
        CompletableFuture<ExtractableResponse<Response>> created = CompletableFuture
                .supplyAsync(() -> create(nat(id, tenant, "kubernetes", "nat", 2, 1)).extract());
        await().atMost(15, SECONDS).until(() -> deploymentsOf(id).size() == 2);
        deploymentsOf(id).forEach(this::markReady);
        assertThat(created.get(30, SECONDS).statusCode()).isEqualTo(201);

        // When its fastpaths grow to three, and the cluster brings the third up
        CompletableFuture<ExtractableResponse<Response>> grown = CompletableFuture.supplyAsync(
                () -> asService().body(Map.of("count", 3)).put(components(id) + "/fastpath").then().extract());
        await().atMost(15, SECONDS).until(() -> deployment(id, "fastpath").getSpec().getReplicas() == 3);
        markReady(deployment(id, "fastpath"));
        ExtractableResponse<Response> response = grown.get(30, SECONDS);

        // Then the Deployment was patched to three replicas, and the allocation and the quota follow
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getList("components.findAll { it.role == 'fastpath' }.index"))
                .containsExactly(0, 1, 2);
        assertThat(response.jsonPath().getList("components.status")).containsOnly("RUNNING");
        assertThat(response.jsonPath().getInt("vcpus")).isEqualTo(4);
        assertThat(quotaUsage(tenant)).containsExactly(4, 1280L);

        // When the cluster has only two of the three fastpaths ready
        markReady(deployment(id, "fastpath"), 2);
        // Then the allocation shows the third FAILED, saying why
        var view = asService().get("/vim/v1/allocations/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(view.getString("components.find { it.name == 'fastpath' && it.index == 2 }.status"))
                .isEqualTo("FAILED");
        assertThat(view.getString("components.find { it.name == 'fastpath' && it.index == 2 }.statusReason"))
                .isEqualTo("Deployment " + id + "-fastpath has 2 of 3 replicas ready");
        assertThat(view.getString("components.find { it.name == 'fastpath' && it.index == 0 }.status"))
                .isEqualTo("RUNNING");
        // and RUNNING again once all three are
        markReady(deployment(id, "fastpath"));
        asService().get("/vim/v1/allocations/" + id).then().statusCode(200)
                .body("components.findAll { it.status == 'RUNNING' }", hasSize(4));

        // When asked for what a Deployment cannot do: pick which pod goes or stops, restart one of several
        asService().body(Map.of("count", 2, "remove", List.of(0))).put(components(id) + "/fastpath")
                .then().statusCode(422).body("detail", containsString("driver kubernetes cannot choose"));
        asService().body(Map.of("state", "STOPPED", "components", List.of("fastpath-1")))
                .post("/vim/v1/allocations/" + id + "/operate")
                .then().statusCode(422).body("detail", containsString("Driver kubernetes cannot stop 1 of the 3"));
        asService().body(Map.of("mode", "RESTART")).post(components(id) + "/fastpath/1/restart")
                .then().statusCode(422).body("detail", containsString("Driver kubernetes cannot restart one replica"));
        // Then nothing changed
        assertThat(deployment(id, "fastpath").getSpec().getReplicas()).isEqualTo(3);
        assertThat(quotaUsage(tenant)).containsExactly(4, 1280L);

        // When the slowpath, its Deployment's only replica, restarts
        asService().body(Map.of("mode", "RESTART")).post(components(id) + "/slowpath/0/restart")
                .then().statusCode(200).body("components[0].status", equalTo("RUNNING"));
        // Then its Deployment rolls its pod out again
        assertThat(deployment(id, "slowpath").getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey(KubernetesDriver.RESTARTED_AT);

        // When the fastpaths shrink to one
        asService().body(Map.of("count", 1)).put(components(id) + "/fastpath").then().statusCode(200)
                .body("components.findAll { it.role == 'fastpath' }.index", equalTo(List.of(0)));
        // Then the Deployment follows
        assertThat(deployment(id, "fastpath").getSpec().getReplicas()).isEqualTo(1);
        assertThat(quotaUsage(tenant)).containsExactly(2, 768L);

        // When the VNF is stopped
        asService().body(Map.of("state", "STOPPED", "graceful", false)).post("/vim/v1/allocations/" + id + "/operate")
                .then().statusCode(200).body("state", equalTo("ACTIVE"))
                .body("components.status", equalTo(List.of("STOPPED", "STOPPED")));
        // Then every Deployment has no replica, while the quota stays held
        assertThat(deploymentsOf(id)).allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isZero());
        assertThat(quotaUsage(tenant)).containsExactly(2, 768L);

        // When it is started again
        asService().body(Map.of("state", "STARTED")).post("/vim/v1/allocations/" + id + "/operate")
                .then().statusCode(200).body("components.status", equalTo(List.of("RUNNING", "RUNNING")));
        // Then the Deployments have their replicas back
        assertThat(deployment(id, "slowpath").getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment(id, "fastpath").getSpec().getReplicas()).isEqualTo(1);

        asService().delete("/vim/v1/allocations/" + id).then().statusCode(204);
        assertThat(deploymentsOf(id)).isEmpty();
        assertThat(quotaUsage(tenant)).containsExactly(0, 0L);
    }

    @Test
    void kubernetesAllocationWhoseReplicasNeverBecomeReadyIsReleased() {
        // Given a cluster that never brings replicas up (no controller), and a ready timeout of 5 s (test profile)
        String tenant = unique("tenant");
        String id = unique("alloc");
        List<Number> poolBefore = poolUsage("kubernetes");

        // When
        create(nat(id, tenant, "kubernetes", "nat", 2, 1))
                // Then
                .statusCode(503)
                .body("detail", containsString("failed to start and was released"));
        assertThat(deploymentsOf(id)).isEmpty();
        assertThat(poolUsage("kubernetes")).isEqualTo(poolBefore);
        assertThat(quotaUsage(tenant)).containsExactly(0, 0L);
        asService().get("/vim/v1/allocations/" + id).then().statusCode(404);
    }

    @Test
    void allocationIdThatMakesNoKubernetesNameIs422() {
        create(nat("Upper_Case", unique("tenant"), "kubernetes", "nat", 2, 1))
                .statusCode(422)
                .body("detail", containsString("workload name Upper_Case-slowpath is no DNS label"));
        asService().get("/vim/v1/capacity").then().statusCode(200)
                .body("pools.findAll { it.driver == 'kubernetes' }", hasSize(1))
                .body("pools.find { it.driver == 'kubernetes' }.vcpusTotal", equalTo(64));
    }

    private KubernetesClient client() {
        return server.getClient();
    }

    private List<Deployment> deploymentsOf(String allocationId) {
        return client().apps().deployments().inNamespace(NAMESPACE)
                .withLabel(VnfWorkloads.ALLOCATION, allocationId).list().getItems();
    }

    /** What the Deployment controller and kubelets would do: every replica ready. */
    private void markReady(Deployment deployment) {
        markReady(deployment, deployment.getSpec().getReplicas());
    }

    private void markReady(Deployment deployment, int ready) {
        int replicas = deployment.getSpec().getReplicas();
        client().apps().deployments().inNamespace(NAMESPACE)
                .resource(new DeploymentBuilder(deployment).withNewStatus().withReplicas(replicas)
                        .withReadyReplicas(ready).withAvailableReplicas(ready).endStatus().build())
                .updateStatus();
    }

    private Deployment deployment(String allocationId, String component) {
        return client().apps().deployments().inNamespace(NAMESPACE).withName(allocationId + "-" + component).get();
    }

    private static String components(String allocationId) {
        return "/vim/v1/allocations/" + allocationId + "/components";
    }

    private static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    private static void assertSize(Container container, String cpu, String memory) {
        Map<String, Quantity> size = Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory));
        assertThat(container.getResources().getRequests()).isEqualTo(size);
        assertThat(container.getResources().getLimits()).isEqualTo(size);
    }
}
