package io.isthmus.slowpath.policy;

import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link VnfPolicy} of a VNF type on the class path. */
public final class VnfPolicies {

    private VnfPolicies() {
    }

    /**
     * The policy whose {@link VnfPolicy#vnfType()} is {@code vnfType}, newly instantiated.
     *
     * @throws IllegalArgumentException if none is, naming those that are
     */
    public static VnfPolicy load(String vnfType, ClassLoader classLoader) {
        List<VnfPolicy> policies = ServiceLoader.load(VnfPolicy.class, classLoader).stream()
                .map(ServiceLoader.Provider::get).toList();
        return policies.stream().filter(p -> p.vnfType().equals(vnfType)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no VnfPolicy for VNF type '" + vnfType
                        + "'; available: " + policies.stream().map(VnfPolicy::vnfType).sorted().toList()));
    }

    /** The VNF types of the policies on the class path, sorted. */
    public static List<String> types() {
        return ServiceLoader.load(VnfPolicy.class, Thread.currentThread().getContextClassLoader()).stream()
                .map(p -> p.get().vnfType()).sorted().toList();
    }

    public static VnfPolicy load(String vnfType) {
        return load(vnfType, Thread.currentThread().getContextClassLoader());
    }
}
