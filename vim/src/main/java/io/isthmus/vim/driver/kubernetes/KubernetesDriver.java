package io.isthmus.vim.driver.kubernetes;

import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.isthmus.vim.config.VimConfig;
import io.isthmus.vim.driver.AllocationPlan;
import io.isthmus.vim.driver.DriverException;
import io.isthmus.vim.driver.Placement;
import io.isthmus.vim.driver.VimDriver;

/**
 * Runs VNF components as Kubernetes workloads through the Fabric8 client: applies the desired state of
 * {@link VnfWorkloads}, waits until every Deployment has its replicas ready, and deletes it all on stop.
 */
@ApplicationScoped
public class KubernetesDriver implements VimDriver {

    public static final String NAME = "kubernetes";

    private static final Logger LOG = Logger.getLogger(KubernetesDriver.class);

    private final KubernetesClient client;
    private final VimConfig.Kubernetes config;

    public KubernetesDriver(KubernetesClient client, VimConfig config) {
        this.client = client;
        this.config = config.kubernetes();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    /** The image carries the whole VNF runtime: a type it lacks fails its pods' start, reported then. */
    @Override
    public boolean supports(String vnfType) {
        return true;
    }

    @Override
    public List<String> problemsWith(AllocationPlan plan) {
        return VnfWorkloads.problemsWith(plan);
    }

    @Override
    public List<Placement> start(AllocationPlan plan) {
        WorkloadSettings settings = settings();
        VnfWorkloads.Workloads desired = VnfWorkloads.desired(plan, settings);
        try {
            desired.services().forEach(this::apply);
            desired.deployments().forEach(this::apply);
            awaitReady(desired.deployments());
            LOG.infof("Allocation %s started: %d Deployments in namespace %s", plan.id(),
                    desired.deployments().size(), settings.namespace());
            return VnfWorkloads.placements(plan, settings);
        } catch (KubernetesClientException e) {
            delete(plan.id(), settings.namespace());
            throw new DriverException("Kubernetes refused or did not finish allocation " + plan.id() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void stop(AllocationPlan plan, List<Placement> placements) {
        try {
            delete(plan.id(), namespace());
            LOG.infof("Allocation %s stopped: its workloads are deleted", plan.id());
        } catch (KubernetesClientException e) {
            throw new DriverException("Kubernetes did not delete allocation " + plan.id() + ": " + e.getMessage(), e);
        }
    }

    private void apply(HasMetadata resource) {
        client.resource(resource).inNamespace(resource.getMetadata().getNamespace())
                .createOr(NonDeletingOperation::update);
    }

    /** Every Deployment, one after the other, within one deadline for them all. */
    private void awaitReady(List<Deployment> deployments) {
        long deadline = System.nanoTime() + config.readyTimeout().toNanos();
        for (Deployment deployment : deployments) {
            long left = Math.max(1, deadline - System.nanoTime());
            client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace())
                    .withName(deployment.getMetadata().getName())
                    .waitUntilCondition(VnfWorkloads::ready, left, TimeUnit.NANOSECONDS);
        }
    }

    private void delete(String allocationId, String namespace) {
        client.apps().deployments().inNamespace(namespace).withLabel(VnfWorkloads.ALLOCATION, allocationId)
                .withLabel(VnfWorkloads.MANAGED_BY, VnfWorkloads.MANAGER).delete();
        client.services().inNamespace(namespace).withLabel(VnfWorkloads.ALLOCATION, allocationId)
                .withLabel(VnfWorkloads.MANAGED_BY, VnfWorkloads.MANAGER).delete();
    }

    private WorkloadSettings settings() {
        return new WorkloadSettings(namespace(), config.image(), config.runtimeJar(), config.controlPort(),
                config.configPort(), config.dataPort());
    }

    private String namespace() {
        return config.namespace().orElseGet(() -> client.getNamespace() == null ? "default" : client.getNamespace());
    }
}
