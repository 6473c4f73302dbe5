package io.isthmus.vnfm.integration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the vnfm needs of a VNFD: the product, its VNF type, its flavour, per VDU of the flavour its declared role,
 * size and instance counts, its scaling aspects and instantiation levels, and its external connection points. The
 * type and the roles are what the VNFD declares (vnf-catalog reads them); the vnfm reads nothing from names.
 */
public record VnfDescriptor(String vnfdId, String vnfType, String provider, String productName,
        String softwareVersion, String vnfdVersion, String flavourId, List<Vdu> vdus, List<Aspect> aspects,
        Map<String, Map<String, Integer>> instantiationLevels, String defaultLevel, List<String> extCps) {

    public VnfDescriptor {
        aspects = aspects == null ? List.of() : List.copyOf(aspects);
        instantiationLevels = instantiationLevels == null ? Map.of() : Map.copyOf(instantiationLevels);
        extCps = extCps == null ? List.of() : List.copyOf(extCps);
    }

    /**
     * A VDU: {@code role} as the VIM API writes it ({@code slowpath}, {@code fastpath}); {@code instances} at the
     * default level, {@code initialDelta} at scale level 0 of every aspect.
     */
    public record Vdu(String id, String role, int vcpus, int memoryMb, int instances, int initialDelta) {
    }

    /** A scaling aspect: its maximum level and, per VDU it scales, the instances each step adds (step 1 first). */
    public record Aspect(String id, int maxScaleLevel, Map<String, List<Integer>> stepDeltas) {
    }

    public java.util.Optional<Aspect> aspect(String id) {
        return aspects.stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /** The scale level of every aspect at an instantiation level (an unknown level: empty). */
    public java.util.Optional<Map<String, Integer>> levelOf(String instantiationLevelId) {
        return java.util.Optional.ofNullable(instantiationLevels.get(instantiationLevelId));
    }

    /** The scale levels of the default instantiation level; every aspect at 0 when the VNFD names none. */
    public Map<String, Integer> defaultLevels() {
        Map<String, Integer> levels = new LinkedHashMap<>();
        aspects.forEach(a -> levels.put(a.id(), 0));
        if (defaultLevel != null && instantiationLevels.containsKey(defaultLevel)) {
            levels.putAll(instantiationLevels.get(defaultLevel));
        }
        return levels;
    }

    /** Instances of each VDU at these aspect levels: its initial delta plus the deltas of every step up to each level. */
    public Map<String, Integer> countsAt(Map<String, Integer> levels) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Vdu vdu : vdus) {
            if (aspects.isEmpty()) {
                counts.put(vdu.id(), vdu.instances());
                continue;
            }
            int n = vdu.initialDelta();
            for (Aspect a : aspects) {
                List<Integer> deltas = a.stepDeltas().get(vdu.id());
                int level = levels.getOrDefault(a.id(), 0);
                for (int step = 0; deltas != null && step < level; step++) {
                    n += deltas.get(Math.min(step, deltas.size() - 1));
                }
            }
            counts.put(vdu.id(), n);
        }
        return counts;
    }
}
