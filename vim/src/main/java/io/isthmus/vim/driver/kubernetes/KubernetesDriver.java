package io.isthmus.vim.driver.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.isthmus.vim.config.VimConfig;
import io.isthmus.vim.driver.AllocationPlan;
import io.isthmus.vim.driver.ComponentPlan;
import io.isthmus.vim.driver.DriverException;
import io.isthmus.vim.driver.Placement;
import io.isthmus.vim.driver.Replica;
import io.isthmus.vim.driver.ReplicaHealth;
import io.isthmus.vim.driver.UnsupportedChangeException;
import io.isthmus.vim.driver.VimDriver;

/**
 * Runs VNF components as Kubernetes workloads through the Fabric8 client: applies the desired state of
 * {@link VnfWorkloads}, waits until every Deployment has its replicas ready, and deletes it all on stop. Later changes
 * act on a component's Deployment as a whole: its replicas (resize, operate) or a rollout of its pods (restart); the
 * Deployment picks which pod goes, so a single replica of several cannot be named.
 */
@ApplicationScoped
public class KubernetesDriver implements VimDriver {

    public static final String NAME = "kubernetes";

    private static final Logger LOG = Logger.getLogger(KubernetesDriver.class);

    /** The pod template annotation a restart changes, so that the Deployment rolls its pods out again. */
    static final String RESTARTED_AT = "isthmus.io/restarted-at";

    private final KubernetesClient client;
    private final VimConfig.Kubernetes config;
    private final Clock clock;

    public KubernetesDriver(KubernetesClient client, VimConfig config, Clock clock) {
        this.client = client;
        this.config = config.kubernetes();
        this.clock = clock;
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
            desired.secrets().forEach(this::apply);
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

    @Override
    public boolean addressesReplicas() {
        return false;
    }

    @Override
    public List<Placement> resize(AllocationPlan plan, List<Placement> running, List<Placement> removed,
            List<Replica> added) {
        String component = !added.isEmpty() ? added.getFirst().component().name() : removed.getFirst().component();
        ComponentPlan resized = plan.component(component);
        try {
            Deployment deployment = scale(plan, resized, resized.count());
            if (!added.isEmpty()) {
                awaitReady(List.of(deployment));
            }
        } catch (KubernetesClientException e) {
            throw new DriverException("Kubernetes did not scale " + VnfWorkloads.name(plan, resized) + " to "
                    + resized.count() + ": " + e.getMessage(), e);
        }
        LOG.infof("Allocation %s: Deployment %s scaled to %d", plan.id(), VnfWorkloads.name(plan, resized),
                resized.count());
        WorkloadSettings settings = settings();
        return added.stream().map(r -> placement(plan, r.component(), r.index(), settings)).toList();
    }

    /** A rollout of the component's pods: only where the component has that one replica. */
    @Override
    public Placement restart(AllocationPlan plan, List<Placement> running, Placement replica, boolean replace) {
        ComponentPlan component = plan.component(replica.component());
        if (component.count() != 1) {
            throw new UnsupportedChangeException(NAME,
                    "cannot restart one replica of " + component.name() + ", which has "
                            + component.count()
                            + ": its Deployment picks the pods; Kubernetes restarts failed containers"
                            + " itself");
        }
        String name = VnfWorkloads.name(plan, component);
        try {
            Deployment deployment = client.apps().deployments().inNamespace(namespace()).withName(name)
                    .edit(d -> new DeploymentBuilder(d).editSpec().editTemplate().editOrNewMetadata()
                            .addToAnnotations(RESTARTED_AT, clock.instant().toString()).endMetadata().endTemplate()
                            .endSpec().build());
            awaitReady(List.of(deployment));
        } catch (KubernetesClientException e) {
            throw new DriverException("Kubernetes did not restart " + name + ": " + e.getMessage(), e);
        }
        LOG.infof("Allocation %s: Deployment %s rolled out again", plan.id(), name);
        return placement(plan, component, replica.index(), settings());
    }

    /** Scales the components' Deployments to zero; a zero grace deletes their pods at once too. */
    @Override
    public void stopReplicas(AllocationPlan plan, List<Placement> replicas, Duration grace) {
        Map<ComponentPlan, List<Placement>> byComponent = wholeComponents(plan, replicas, "stop");
        try {
            for (ComponentPlan component : byComponent.keySet()) {
                scale(plan, component, 0);
                if (grace.isZero()) {
                    client.pods().inNamespace(namespace()).withLabel(VnfWorkloads.ALLOCATION, plan.id())
                            .withLabel(VnfWorkloads.COMPONENT, component.name()).withGracePeriod(0).delete();
                }
            }
        } catch (KubernetesClientException e) {
            throw new DriverException("Kubernetes did not stop allocation " + plan.id() + ": " + e.getMessage(), e);
        }
    }

    /** Scales the components' Deployments back to their counts and waits until they are ready. */
    @Override
    public List<Placement> startReplicas(AllocationPlan plan, List<Placement> running, List<Placement> replicas) {
        Map<ComponentPlan, List<Placement>> byComponent = wholeComponents(plan, replicas, "start");
        try {
            List<Deployment> scaled = new ArrayList<>();
            for (ComponentPlan component : byComponent.keySet()) {
                scaled.add(scale(plan, component, component.count()));
            }
            awaitReady(scaled);
        } catch (KubernetesClientException e) {
            throw new DriverException("Kubernetes did not start allocation " + plan.id() + ": " + e.getMessage(), e);
        }
        WorkloadSettings settings = settings();
        return replicas.stream().map(r -> placement(plan, plan.component(r.component()), r.index(), settings))
                .toList();
    }

    /**
     * Best effort, from each Deployment's ready replicas: of a component with r of n ready, the r lowest indexes
     * count as running (a Deployment does not say which pod is which replica).
     */
    @Override
    public List<ReplicaHealth> observe(AllocationPlan plan, List<Placement> running) {
        Map<String, Deployment> deployments = new LinkedHashMap<>();
        client.apps().deployments().inNamespace(namespace()).withLabel(VnfWorkloads.ALLOCATION, plan.id())
                .withLabel(VnfWorkloads.MANAGED_BY, VnfWorkloads.MANAGER).list().getItems()
                .forEach(d -> deployments.put(d.getMetadata().getName(), d));
        List<ReplicaHealth> health = new ArrayList<>();
        Map<String, List<Placement>> byComponent = new LinkedHashMap<>();
        running.forEach(p -> byComponent.computeIfAbsent(p.component(), k -> new ArrayList<>()).add(p));
        byComponent.forEach((component, placements) -> {
            String name = VnfWorkloads.name(plan, plan.component(component));
            Deployment deployment = deployments.get(name);
            int ready = Optional.ofNullable(deployment).map(Deployment::getStatus)
                    .map(s -> s.getReadyReplicas() == null ? 0 : s.getReadyReplicas()).orElse(0);
            String reason = deployment == null
                    ? "Deployment " + name + " is gone"
                    : "Deployment " + name + " has " + ready + " of " + placements.size() + " replicas ready";
            List<Placement> sorted = placements.stream()
                    .sorted((a, b) -> Integer.compare(a.index(), b.index())).toList();
            for (int i = 0; i < sorted.size(); i++) {
                health.add(new ReplicaHealth(component, sorted.get(i).index(), i < ready, reason));
            }
        });
        return health;
    }

    private Map<ComponentPlan, List<Placement>> wholeComponents(AllocationPlan plan, List<Placement> replicas,
            String what) {
        Map<ComponentPlan, List<Placement>> byComponent = new LinkedHashMap<>();
        replicas.forEach(r -> byComponent.computeIfAbsent(plan.component(r.component()), k -> new ArrayList<>())
                .add(r));
        byComponent.forEach((component, chosen) -> {
            if (chosen.size() != component.count()) {
                throw new UnsupportedChangeException(NAME, "cannot " + what + " " + chosen.size() + " of the "
                        + component.count() + " replicas of " + component.name()
                        + ": its Deployment picks the pods; name all of them, or none");
            }
        });
        return byComponent;
    }

    private Deployment scale(AllocationPlan plan, ComponentPlan component, int replicas) {
        return client.apps().deployments().inNamespace(namespace()).withName(VnfWorkloads.name(plan, component))
                .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(replicas).endSpec().build());
    }

    private static Placement placement(AllocationPlan plan, ComponentPlan component, int index,
            WorkloadSettings settings) {
        return VnfWorkloads.placement(plan, component, index, settings);
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
        client.secrets().inNamespace(namespace).withLabel(VnfWorkloads.ALLOCATION, allocationId)
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
