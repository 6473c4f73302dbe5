package io.isthmus.vim.driver.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.isthmus.vim.driver.AllocationPlan;
import io.isthmus.vim.driver.ComponentPlan;
import io.isthmus.vim.driver.Placement;

class VnfWorkloadsTest {

    private static final WorkloadSettings SETTINGS = new WorkloadSettings("vnfs", "isthmus/vnf-runtime:0.1.0",
            "/opt/isthmus/vnf-runtime.jar", 7000, 8080, 4789);
    private static final AllocationPlan NAT = new AllocationPlan("a1", "acme", "vnf-1", "nat", List.of(
            new ComponentPlan("slowpath", "slowpath", 1, 1, 512),
            new ComponentPlan("fastpath", "fastpath", 3, 2, 256)));

    @Test
    void desiredStateIsOneDeploymentAndOneServicePerComponent() {
        VnfWorkloads.Workloads desired = VnfWorkloads.desired(NAT, SETTINGS);

        assertThat(desired.deployments()).extracting(d -> d.getMetadata().getName())
                .containsExactly("a1-slowpath", "a1-fastpath");
        assertThat(desired.services()).extracting(s -> s.getMetadata().getName())
                .containsExactly("a1-slowpath", "a1-fastpath");
        assertThat(desired.deployments()).allSatisfy(d -> assertThat(d.getMetadata().getNamespace()).isEqualTo("vnfs"));
    }

    @Test
    void desiredStateIsAPureFunctionOfThePlan() {
        assertThat(VnfWorkloads.desired(NAT, SETTINGS)).isEqualTo(VnfWorkloads.desired(NAT, SETTINGS));
    }

    @Test
    void replicasAreTheCountAndRequestsEqualLimitsOfTheComponentsSize() {
        Deployment fastpath = VnfWorkloads.desired(NAT, SETTINGS).deployments().get(1);
        Container container = fastpath.getSpec().getTemplate().getSpec().getContainers().getFirst();
        Map<String, Quantity> size = Map.of("cpu", new Quantity("2"), "memory", new Quantity("256Mi"));

        assertThat(fastpath.getSpec().getReplicas()).isEqualTo(3);
        assertThat(container.getResources().getRequests()).isEqualTo(size);
        assertThat(container.getResources().getLimits()).isEqualTo(size);
    }

    @Test
    void labelsNameManagerAllocationComponentAndTenantAndSelectOnlyThisComponent() {
        Deployment slowpath = VnfWorkloads.desired(NAT, SETTINGS).deployments().getFirst();

        assertThat(slowpath.getMetadata().getLabels()).containsAllEntriesOf(Map.of(
                "app.kubernetes.io/managed-by", "isthmus",
                "isthmus.io/allocation", "a1",
                "isthmus.io/component", "slowpath",
                "isthmus.io/tenant", "acme"));
        assertThat(slowpath.getSpec().getSelector().getMatchLabels())
                .isEqualTo(Map.of("isthmus.io/allocation", "a1", "isthmus.io/component", "slowpath"));
    }

    @Test
    void containersRunTheProcessContractsCommandLines() {
        VnfWorkloads.Workloads desired = VnfWorkloads.desired(NAT, SETTINGS);
        Container slowpath = desired.deployments().get(0).getSpec().getTemplate().getSpec().getContainers().getFirst();
        Container fastpath = desired.deployments().get(1).getSpec().getTemplate().getSpec().getContainers().getFirst();

        assertThat(slowpath.getImage()).isEqualTo("isthmus/vnf-runtime:0.1.0");
        assertThat(slowpath.getCommand()).endsWith("-cp", "/opt/isthmus/vnf-runtime.jar",
                "io.isthmus.slowpath.SlowpathMain");
        assertThat(slowpath.getArgs()).containsExactly("--vnf-type", "nat", "--instance-id", "vnf-1",
                "--control-port", "7000", "--config-port", "8080", "--bind", "0.0.0.0");
        assertThat(fastpath.getCommand()).startsWith("/bin/sh", "-c");
        assertThat(fastpath.getCommand().get(2)).startsWith("exec java ")
                .contains("-cp /opt/isthmus/vnf-runtime.jar io.isthmus.fastpath.FastpathMain --id ")
                .contains("$POD_NAME").endsWith("\"$@\"");
        assertThat(fastpath.getArgs()).containsExactly("--data-port", "4789", "--slowpath", "a1-slowpath:7000",
                "--bind", "0.0.0.0");
    }

    @Test
    void eachFastpathReplicaGetsANumericIdFromItsPodName() throws Exception {
        Container fastpath = VnfWorkloads.desired(NAT, SETTINGS).deployments().get(1).getSpec().getTemplate()
                .getSpec().getContainers().getFirst();
        List<String> command = new ArrayList<>(fastpath.getCommand());
        command.set(2, command.get(2).replace("exec java", "exec echo java"));
        command.addAll(fastpath.getArgs());

        String first = run(command, "a1-fastpath-5d8f9c7b6-x2x7q");
        String second = run(command, "a1-fastpath-5d8f9c7b6-kq9zl");

        assertThat(first).matches("java .* io\\.isthmus\\.fastpath\\.FastpathMain --id \\d+ --data-port 4789"
                + " --slowpath a1-slowpath:7000 --bind 0\\.0\\.0\\.0\\n");
        assertThat(first).isNotEqualTo(second);
    }

    private static String run(List<String> command, String podName) throws Exception {
        ProcessBuilder shell = new ProcessBuilder(command).redirectErrorStream(true);
        shell.environment().put("POD_NAME", podName);
        Process process = shell.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void placementsReachEachReplicaThroughItsComponentsService() {
        List<Placement> placements = VnfWorkloads.placements(NAT, SETTINGS);

        assertThat(placements).hasSize(4);
        assertThat(placements.getFirst()).isEqualTo(new Placement("slowpath", "slowpath", 0,
                "a1-slowpath.vnfs.svc", 7000, 8080, null, null, "a1-slowpath"));
        assertThat(placements.get(3)).isEqualTo(new Placement("fastpath", "fastpath", 2,
                "a1-fastpath.vnfs.svc", null, null, 4789, null, "a1-fastpath"));
    }

    @Test
    void namesKubernetesWouldRefuseAreProblems() {
        AllocationPlan upper = new AllocationPlan("A_1", "acme corp", "vnf-1", "nat", NAT.components());

        assertThat(VnfWorkloads.problemsWith(NAT)).isEmpty();
        assertThat(VnfWorkloads.problemsWith(upper))
                .anySatisfy(p -> assertThat(p).startsWith("workload name A_1-slowpath is no DNS label"))
                .anySatisfy(p -> assertThat(p).isEqualTo("tenantId acme corp cannot be a Kubernetes label value"));
    }

    @Test
    void deploymentIsReadyWhenEveryReplicaIs() {
        Deployment fastpath = VnfWorkloads.desired(NAT, SETTINGS).deployments().get(1);

        assertThat(VnfWorkloads.ready(fastpath)).isFalse();
        assertThat(VnfWorkloads.ready(new DeploymentBuilder(fastpath).withNewStatus().withReadyReplicas(2).endStatus()
                .build())).isFalse();
        assertThat(VnfWorkloads.ready(new DeploymentBuilder(fastpath).withNewStatus().withReadyReplicas(3).endStatus()
                .build())).isTrue();
    }
}
