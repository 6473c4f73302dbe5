package io.isthmus.vim.driver.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.isthmus.vim.driver.AllocationPlan;
import io.isthmus.vim.driver.ComponentPlan;
import io.isthmus.vim.driver.Placement;
import io.isthmus.vnf.process.VnfProcess;

/**
 * The desired state of one allocation in Kubernetes, as a pure function of the plan: per component a Deployment
 * ({@code <allocation>-<component>}, replicas = count, requests = limits = the component's size) and a Service in front
 * of it, so that fastpaths reach their slowpath and the VNFM reaches its config port by name.
 */
public final class VnfWorkloads {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "isthmus";
    public static final String ALLOCATION = "isthmus.io/allocation";
    public static final String COMPONENT = "isthmus.io/component";
    public static final String TENANT = "isthmus.io/tenant";
    public static final String VNF_INSTANCE = "isthmus.io/vnf-instance";
    public static final String VNF_TYPE = "isthmus.io/vnf-type";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final int MAX_LABEL = 63;
    private static final String SECRET_KEY = "config-secret";

    private VnfWorkloads() {
    }

    /** The workloads of one allocation, and the Secret that holds its slowpath's config secret. */
    public record Workloads(List<Deployment> deployments, List<Service> services, List<Secret> secrets) {
    }

    public static Workloads desired(AllocationPlan plan, WorkloadSettings settings) {
        List<Deployment> deployments = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        for (ComponentPlan component : plan.components()) {
            deployments.add(deployment(plan, component, settings));
            services.add(service(plan, component, settings));
        }
        List<Secret> secrets = plan.configSecret() == null ? List.of() : List.of(secret(plan, settings));
        return new Workloads(List.copyOf(deployments), List.copyOf(services), secrets);
    }

    /** The Secret {@code <allocation>-config}: the slowpath reads it as {@value VnfProcess#CONFIG_SECRET_ENV}. */
    static String secretName(AllocationPlan plan) {
        return plan.id() + "-config";
    }

    private static Secret secret(AllocationPlan plan, WorkloadSettings settings) {
        Map<String, String> labels = labels(plan, plan.slowpath());
        return new SecretBuilder()
                .withNewMetadata()
                .withName(secretName(plan))
                .withNamespace(settings.namespace())
                .withLabels(labels)
                .endMetadata()
                .withType("Opaque")
                .withStringData(Map.of(SECRET_KEY, plan.configSecret()))
                .build();
    }

    /** Where each replica is reached: through its component's Service, on the ports the containers listen on. */
    public static List<Placement> placements(AllocationPlan plan, WorkloadSettings settings) {
        List<Placement> placements = new ArrayList<>();
        for (ComponentPlan component : plan.components()) {
            for (int index = 0; index < component.count(); index++) {
                placements.add(placement(plan, component, index, settings));
            }
        }
        return placements;
    }

    /** Where replica {@code index} of a component is reached: its component's Service. */
    public static Placement placement(AllocationPlan plan, ComponentPlan component, int index,
            WorkloadSettings settings) {
        String name = name(plan, component);
        String host = name + "." + settings.namespace() + ".svc";
        return component.isSlowpath()
                ? new Placement(component.name(), component.role(), index, host, settings.controlPort(),
                        settings.configPort(), null, null, name)
                : new Placement(component.name(), component.role(), index, host, null, null, settings.dataPort(),
                        null, name);
    }

    /** Names and label values Kubernetes would refuse; empty when the plan can run as it is. */
    public static List<String> problemsWith(AllocationPlan plan) {
        List<String> problems = new ArrayList<>();
        for (ComponentPlan component : plan.components()) {
            String name = name(plan, component);
            if (name.length() > MAX_LABEL || !DNS_LABEL.matcher(name).matches()) {
                problems.add("workload name " + name + " is no DNS label of at most " + MAX_LABEL
                        + " characters (lower-case letters, digits, '-'): shorten the allocation id or component name");
            }
        }
        Map<String, String> values = Map.of("tenantId", plan.tenantId(), "vnfInstanceId", plan.vnfInstanceId(),
                "vnfType", plan.vnfType());
        values.forEach((field, value) -> {
            if (value.length() > MAX_LABEL || !LABEL_VALUE.matcher(value).matches()) {
                problems.add(field + " " + value + " cannot be a Kubernetes label value");
            }
        });
        return problems;
    }

    public static boolean ready(Deployment deployment) {
        if (deployment == null || deployment.getStatus() == null || deployment.getSpec() == null) {
            return false;
        }
        Integer wanted = deployment.getSpec().getReplicas();
        Integer ready = deployment.getStatus().getReadyReplicas();
        return ready != null && wanted != null && ready >= wanted;
    }

    public static String name(AllocationPlan plan, ComponentPlan component) {
        return plan.id() + "-" + component.name();
    }

    static Map<String, String> labels(AllocationPlan plan, ComponentPlan component) {
        Map<String, String> labels = new LinkedHashMap<>(selector(plan, component));
        labels.put(MANAGED_BY, MANAGER);
        labels.put("app.kubernetes.io/name", "vnf-" + plan.vnfType());
        labels.put("app.kubernetes.io/component", component.role());
        labels.put(TENANT, plan.tenantId());
        labels.put(VNF_INSTANCE, plan.vnfInstanceId());
        labels.put(VNF_TYPE, plan.vnfType());
        return labels;
    }

    private static Map<String, String> selector(AllocationPlan plan, ComponentPlan component) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(ALLOCATION, plan.id());
        selector.put(COMPONENT, component.name());
        return selector;
    }

    private static Deployment deployment(AllocationPlan plan, ComponentPlan component, WorkloadSettings settings) {
        Map<String, String> labels = labels(plan, component);
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name(plan, component))
                .withNamespace(settings.namespace())
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withReplicas(component.count())
                .withNewSelector().withMatchLabels(selector(plan, component)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withContainers(container(plan, component, settings))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Container container(AllocationPlan plan, ComponentPlan component, WorkloadSettings settings) {
        Map<String, Quantity> size = Map.of(
                "cpu", new Quantity(Integer.toString(component.vcpus())),
                "memory", new Quantity(component.memoryMb() + "Mi"));
        ContainerBuilder container = new ContainerBuilder()
                .withName(component.role())
                .withImage(settings.image())
                .withResources(new ResourceRequirementsBuilder().withRequests(size).withLimits(size).build());
        if (component.isSlowpath()) {
            return container
                    .withCommand(command(settings, VnfProcess.SLOWPATH_MAIN))
                    .withEnv(plan.configSecret() == null
                            ? List.of()
                            : List.of(new EnvVarBuilder()
                                    .withName(VnfProcess.CONFIG_SECRET_ENV).withNewValueFrom().withNewSecretKeyRef()
                                    .withName(secretName(plan)).withKey(SECRET_KEY).endSecretKeyRef().endValueFrom()
                                    .build()))
                    .withArgs(VnfProcess.slowpathArgs(plan.vnfType(), plan.vnfInstanceId(), settings.controlPort(),
                            settings.configPort(), "0.0.0.0"))
                    .withPorts(port(VnfProcess.CONTROL, settings.controlPort(), "UDP"),
                            port(VnfProcess.CONFIG, settings.configPort(), "TCP"))
                    .withNewReadinessProbe()
                    .withNewHttpGet().withPath(VnfProcess.HEALTH_PATH).withPort(new IntOrString(VnfProcess.CONFIG))
                    .endHttpGet()
                    .withPeriodSeconds(2)
                    .endReadinessProbe()
                    .build();
        }
        String slowpath = name(plan, plan.slowpath());
        return container
                .withCommand(fastpathCommand(settings))
                .withEnv(new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
                        .withFieldPath("metadata.name").endFieldRef().endValueFrom().build())
                .withArgs(VnfProcess.fastpathArgs(settings.dataPort(), slowpath + ":" + settings.controlPort(),
                        "0.0.0.0"))
                .withPorts(port(VnfProcess.DATA, settings.dataPort(), "UDP"))
                .build();
    }

    private static List<String> command(WorkloadSettings settings, String mainClass) {
        return List.of("java", "--enable-native-access=ALL-UNNAMED", "-cp", settings.runtimeJar(), mainClass);
    }

    /**
     * The replicas of a Deployment share one spec, yet each fastpath needs a numeric {@code --id} unique within the
     * VNF: a shell derives it from the pod's name (28 bits of its SHA-256), then {@code exec}s the JVM so that it gets
     * SIGTERM itself. The contract's other options follow as the container's args.
     */
    private static List<String> fastpathCommand(WorkloadSettings settings) {
        String java = String.join(" ", command(settings, VnfProcess.FASTPATH_MAIN));
        return List.of("/bin/sh", "-c", "exec " + java
                + " " + VnfProcess.ID + " \"$(( 0x$(printf '%s' \"$POD_NAME\" | sha256sum | cut -c1-7) ))\" \"$@\"",
                "fastpath");
    }

    private static ContainerPort port(String name, int port, String protocol) {
        return new ContainerPortBuilder().withName(name).withContainerPort(port).withProtocol(protocol).build();
    }

    private static Service service(AllocationPlan plan, ComponentPlan component, WorkloadSettings settings) {
        List<ServicePort> ports = component.isSlowpath()
                ? List.of(servicePort("control", settings.controlPort(), "UDP"),
                        servicePort("config", settings.configPort(), "TCP"))
                : List.of(servicePort("data", settings.dataPort(), "UDP"));
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(name(plan, component))
                .withNamespace(settings.namespace())
                .withLabels(labels(plan, component))
                .endMetadata()
                .withNewSpec()
                .withSelector(selector(plan, component))
                .withPorts(ports)
                .endSpec()
                .build();
    }

    private static ServicePort servicePort(String name, int port, String protocol) {
        return new ServicePortBuilder().withName(name).withPort(port).withTargetPort(new IntOrString(name))
                .withProtocol(protocol).build();
    }
}
