package io.isthmus.vnf.catalog;

import java.util.Objects;

/**
 * A {@code tosca.nodes.nfv.Vdu.Compute} of the VNFD: the resources of one VNFC instance and how many instances the
 * deployment flavour permits.
 *
 * @param id node template name in the VNFD
 * @param name the {@code name} property
 * @param role what the VDU is in the VNF, its {@code metadata: isthmus.vdu_role}
 * @param vcpus {@code virtual_compute.virtual_cpu.num_virtual_cpu}
 * @param memoryMb {@code virtual_compute.virtual_memory.virtual_mem_size} in MiB (see {@link CsarReader})
 * @param minInstances {@code vdu_profile.min_number_of_instances}
 * @param maxInstances {@code vdu_profile.max_number_of_instances}
 * @param initialInstances instances at the default instantiation level; without instantiation levels, its
 *            {@code initialDelta}. This is the count to instantiate with.
 * @param initialDelta instances with every scaling aspect at scale level 0: its
 *            {@code tosca.policies.nfv.VduInitialDelta}; {@code initialInstances} when the VNFD gives it none (such a
 *            VDU does not scale). The instances at any scale levels are this plus what each aspect adds there
 *            ({@link VnfPackage#vduInstances(java.util.Map)}).
 */
public record Vdu(String id, String name, VduRole role, int vcpus, int memoryMb, int minInstances, int maxInstances,
        int initialInstances, int initialDelta) {

    public Vdu {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }
}
