package io.isthmus.vnf.catalog;

import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.INVALID_VNFD;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.BiPredicate;

/**
 * Reads the SOL001 policies that size a deployment flavour, and checks that they agree with each other and with the
 * VDUs' {@code vdu_profile}s: {@code ScalingAspects}, {@code VduScalingAspectDeltas}, {@code VduInitialDelta},
 * {@code InstantiationLevels} and {@code VduInstantiationLevels} (docs/contracts.md, "VNF packages").
 * <p>
 * The arithmetic is IFA 011's: a VDU has its initial delta with every aspect at scale level 0, and each step of an
 * aspect adds that step's delta. An instantiation level puts each aspect at a scale level ({@code scale_info}), so when
 * the VNF scales, the instances a {@code VduInstantiationLevels} declares at a level must be what the deltas give
 * there. A VNFD without these policies keeps what the reader always did: a VDU starts with its count at the default
 * instantiation level, else its minimum.
 */
final class ScalingPolicies {

    static final String SCALING_ASPECTS = "tosca.policies.nfv.ScalingAspects";
    static final String VDU_SCALING_ASPECT_DELTAS = "tosca.policies.nfv.VduScalingAspectDeltas";
    static final String VDU_INITIAL_DELTA = "tosca.policies.nfv.VduInitialDelta";
    static final String INSTANTIATION_LEVELS = "tosca.policies.nfv.InstantiationLevels";
    static final String VDU_INSTANTIATION_LEVELS = "tosca.policies.nfv.VduInstantiationLevels";

    /** What the policies need of a VDU. */
    record VduBounds(String id, VduRole role, int min, int max) {
    }

    /**
     * What the policies say.
     *
     * @param defaultLevel null when there is no InstantiationLevels policy
     * @param initialInstances per VDU id, the instances to instantiate with
     * @param initialDeltas per VDU id, the instances with every aspect at scale level 0
     */
    record Sizing(List<ScalingAspect> aspects, List<InstantiationLevel> levels, String defaultLevel,
            Map<String, Integer> initialInstances, Map<String, Integer> initialDeltas) {
    }

    /** An aspect as declared: its step delta ids, one per step. */
    private record AspectDeclaration(String id, String name, String description, int maxScaleLevel,
            List<String> stepDeltas) {
    }

    /** An instantiation level as declared: scale levels of the aspects its scale_info names. */
    private record LevelDeclaration(String id, String description, Map<String, Integer> scaleInfo) {
    }

    private final String path;
    private final BiPredicate<String, String> derivesFrom;
    private final Map<String, VduBounds> vdus = new LinkedHashMap<>();

    private ScalingPolicies(String path, BiPredicate<String, String> derivesFrom, List<VduBounds> vdus) {
        this.path = path;
        this.derivesFrom = derivesFrom;
        vdus.forEach(v -> this.vdus.put(v.id(), v));
    }

    /**
     * @param policies topology_template.policies, name to definition, in VNFD order
     * @param derivesFrom whether a policy type is, or derives from, another
     * @param vdus the VNFD's Vdu.Compute templates, in VNFD order
     */
    static Sizing read(String path, Map<String, Map<String, Object>> policies,
            BiPredicate<String, String> derivesFrom, List<VduBounds> vdus) {
        return new ScalingPolicies(path, derivesFrom, vdus).read(policies);
    }

    private Sizing read(Map<String, Map<String, Object>> policies) {
        Map<String, Map<String, Object>> aspectPolicies = new LinkedHashMap<>();
        Map<String, Map<String, Object>> deltaPolicies = new LinkedHashMap<>();
        Map<String, Map<String, Object>> initialDeltaPolicies = new LinkedHashMap<>();
        Map<String, Map<String, Object>> levelPolicies = new LinkedHashMap<>();
        Map<String, Map<String, Object>> vduLevelPolicies = new LinkedHashMap<>();
        policies.forEach((name, definition) -> {
            if (!(definition.get("type") instanceof String type)) {
                throw invalid("policy " + name + " has no type");
            }
            if (derivesFrom.test(type, SCALING_ASPECTS)) {
                aspectPolicies.put(name, definition);
            } else if (derivesFrom.test(type, VDU_SCALING_ASPECT_DELTAS)) {
                deltaPolicies.put(name, definition);
            } else if (derivesFrom.test(type, VDU_INITIAL_DELTA)) {
                initialDeltaPolicies.put(name, definition);
            } else if (derivesFrom.test(type, INSTANTIATION_LEVELS)) {
                levelPolicies.put(name, definition);
            } else if (derivesFrom.test(type, VDU_INSTANTIATION_LEVELS)) {
                vduLevelPolicies.put(name, definition);
            }
        });

        Map<String, AspectDeclaration> aspects = aspects(aspectPolicies);
        Map<String, Map<String, List<Integer>>> stepDeltas = stepDeltas(deltaPolicies, aspects);
        Map<String, Integer> declaredInitialDeltas = initialDeltas(initialDeltaPolicies);
        stepDeltas.forEach((aspect, perVdu) -> perVdu.keySet().forEach(vdu -> {
            if (!declaredInitialDeltas.containsKey(vdu)) {
                throw invalid("Vdu.Compute " + vdu + " scales in aspect " + aspect + " but has no initial delta: a "
                        + VDU_INITIAL_DELTA + " policy must target it");
            }
        }));
        List<ScalingAspect> scalingAspects = new ArrayList<>();
        aspects.values().forEach(a -> scalingAspects.add(new ScalingAspect(a.id(), a.name(), a.description(),
                a.maxScaleLevel(), stepDeltas.get(a.id()))));

        Map<String, LevelDeclaration> levels = new LinkedHashMap<>();
        String defaultLevel = levels(levelPolicies, aspects, levels);
        Map<String, Map<String, Integer>> declaredCounts = vduLevels(vduLevelPolicies, levels);
        return sizing(scalingAspects, levels, defaultLevel, declaredInitialDeltas, declaredCounts);
    }

    // ---- declarations ------------------------------------------------------------------------------------------

    private Map<String, AspectDeclaration> aspects(Map<String, Map<String, Object>> policies) {
        Map<String, AspectDeclaration> aspects = new LinkedHashMap<>();
        if (policies.isEmpty()) {
            return aspects;
        }
        if (policies.size() > 1) {
            throw invalid("has two " + SCALING_ASPECTS + " policies: " + String.join(" and ", policies.keySet()));
        }
        String policy = policies.keySet().iterator().next();
        Map<String, Object> declared = property(policy, policies.get(policy), "aspects");
        if (declared == null || declared.isEmpty()) {
            throw invalid("policy " + policy + " declares no aspects");
        }
        declared.forEach((id, value) -> {
            if (!(value instanceof Map<?, ?> map)) {
                throw invalid("policy " + policy + " aspect " + id + " is not a mapping");
            }
            Map<String, Object> aspect = ToscaYaml.stringKeys(path, map);
            if (!(aspect.get("name") instanceof String name) || name.isBlank()) {
                throw invalid("scaling aspect " + id + " has no name");
            }
            String description = aspect.get("description") instanceof String s ? s : "";
            if (!(aspect.get("max_scale_level") instanceof Integer max) || max < 0) {
                throw invalid("scaling aspect " + id + " max_scale_level is not a non-negative integer");
            }
            List<?> steps = ToscaYaml.list(path, aspect, "step_deltas", "scaling aspect " + id + " ");
            List<String> stepDeltas = new ArrayList<>();
            if (max > 0) {
                if (steps == null || steps.isEmpty()) {
                    throw invalid("scaling aspect " + id + " has max_scale_level " + max + " and no step_deltas");
                }
                if (steps.size() != 1 && steps.size() != max) {
                    throw invalid("scaling aspect " + id + " has " + steps.size() + " step_deltas for max_scale_level "
                            + max + ": give one (every step the same) or one per step");
                }
                for (int step = 0; step < max; step++) {
                    Object delta = steps.get(steps.size() == 1 ? 0 : step);
                    if (!(delta instanceof String deltaId) || deltaId.isBlank()) {
                        throw invalid("scaling aspect " + id + " step_deltas holds " + delta + ", not a delta id");
                    }
                    stepDeltas.add(deltaId);
                }
            }
            aspects.put(id, new AspectDeclaration(id, name, description, max, List.copyOf(stepDeltas)));
        });
        return aspects;
    }

    /** Per aspect, per VDU it scales (VNFD order), the instances each step adds. */
    private Map<String, Map<String, List<Integer>>> stepDeltas(Map<String, Map<String, Object>> policies,
            Map<String, AspectDeclaration> aspects) {
        Map<String, Map<String, List<Integer>>> perAspect = new HashMap<>();
        policies.forEach((policy, definition) -> {
            Map<String, Object> properties = ToscaYaml.map(path, definition, "properties", "policy " + policy + " ");
            String aspectId = properties == null ? null : scalar(properties.get("aspect"));
            if (aspectId == null) {
                throw invalid("policy " + policy + " names no aspect");
            }
            AspectDeclaration aspect = aspects.get(aspectId);
            if (aspect == null) {
                throw invalid("policy " + policy + " names the scaling aspect " + aspectId + ", which "
                        + (aspects.isEmpty()
                                ? "no " + SCALING_ASPECTS + " policy declares"
                                : "is not one of " + aspects.keySet()));
            }
            Map<String, Object> declared = property(policy, definition, "deltas");
            if (declared == null || declared.isEmpty()) {
                throw invalid("policy " + policy + " declares no deltas");
            }
            Map<String, Integer> deltas = new HashMap<>();
            declared.forEach((deltaId, value) -> {
                if (!aspect.stepDeltas().contains(deltaId)) {
                    throw invalid("policy " + policy + " declares the delta " + deltaId + ", which is not one of the "
                            + "step_deltas " + List.copyOf(new LinkedHashSet<>(aspect.stepDeltas()))
                            + " of aspect " + aspectId);
                }
                deltas.put(deltaId, instances(value, "policy " + policy + " delta " + deltaId));
            });
            for (String deltaId : aspect.stepDeltas()) {
                if (!deltas.containsKey(deltaId)) {
                    throw invalid("policy " + policy + " lacks the delta " + deltaId + ", a step delta of aspect "
                            + aspectId);
                }
            }
            List<Integer> steps = aspect.stepDeltas().stream().map(deltas::get).toList();
            for (VduBounds vdu : targets(policy, definition)) {
                if (vdu.role() == VduRole.SLOWPATH) {
                    throw invalid("policy " + policy + " scales Vdu.Compute " + vdu.id()
                            + ", the slowpath: a VNF has exactly one slowpath, only fastpaths scale");
                }
                Map<String, List<Integer>> perVdu = perAspect.computeIfAbsent(aspectId, a -> new HashMap<>());
                if (perVdu.putIfAbsent(vdu.id(), steps) != null) {
                    throw invalid("Vdu.Compute " + vdu.id() + " has two " + VDU_SCALING_ASPECT_DELTAS
                            + " policies for aspect " + aspectId);
                }
            }
        });
        Map<String, Map<String, List<Integer>>> ordered = new LinkedHashMap<>();
        for (String aspectId : aspects.keySet()) {
            Map<String, List<Integer>> perVdu = perAspect.get(aspectId);
            if (perVdu == null) {
                throw invalid("scaling aspect " + aspectId + " scales no Vdu.Compute: no " + VDU_SCALING_ASPECT_DELTAS
                        + " policy names it");
            }
            Map<String, List<Integer>> inVduOrder = new LinkedHashMap<>();
            vdus.keySet().stream().filter(perVdu::containsKey).forEach(v -> inVduOrder.put(v, perVdu.get(v)));
            ordered.put(aspectId, inVduOrder);
        }
        return ordered;
    }

    private Map<String, Integer> initialDeltas(Map<String, Map<String, Object>> policies) {
        Map<String, Integer> initialDeltas = new HashMap<>();
        policies.forEach((policy, definition) -> {
            Map<String, Object> properties = ToscaYaml.map(path, definition, "properties", "policy " + policy + " ");
            Object delta = properties == null ? null : properties.get("initial_delta");
            int count = instances(delta, "policy " + policy + " initial_delta");
            for (VduBounds vdu : targets(policy, definition)) {
                if (initialDeltas.putIfAbsent(vdu.id(), count) != null) {
                    throw invalid("Vdu.Compute " + vdu.id() + " is the target of two " + VDU_INITIAL_DELTA
                            + " policies");
                }
            }
        });
        return initialDeltas;
    }

    /** Fills levels, returns the default level; null when there is no InstantiationLevels policy. */
    private String levels(Map<String, Map<String, Object>> policies, Map<String, AspectDeclaration> aspects,
            Map<String, LevelDeclaration> into) {
        if (policies.isEmpty()) {
            return null;
        }
        if (policies.size() > 1) {
            throw invalid("has two " + INSTANTIATION_LEVELS + " policies");
        }
        String policy = policies.keySet().iterator().next();
        Map<String, Object> definition = policies.get(policy);
        Map<String, Object> levels = property(policy, definition, "levels");
        if (levels == null || levels.isEmpty()) {
            throw invalid("policy " + policy + " has no levels");
        }
        levels.forEach((levelId, value) -> {
            Map<String, Object> level = value instanceof Map<?, ?> map ? ToscaYaml.stringKeys(path, map) : Map.of();
            String description = level.get("description") instanceof String s ? s : "";
            Map<String, Object> scaleInfo = ToscaYaml.map(path, level, "scale_info", "instantiation level " + levelId
                    + " ");
            Map<String, Integer> scaleLevels = new HashMap<>();
            if (scaleInfo != null) {
                scaleInfo.forEach((aspectId, info) -> {
                    AspectDeclaration aspect = aspects.get(aspectId);
                    if (aspect == null) {
                        throw invalid("instantiation level " + levelId + " scale_info names the scaling aspect "
                                + aspectId + ", which " + (aspects.isEmpty()
                                        ? "no " + SCALING_ASPECTS
                                                + " policy declares"
                                        : "is not one of " + aspects.keySet()));
                    }
                    Object scaleLevel = info instanceof Map<?, ?> map ? map.get("scale_level") : null;
                    if (!(scaleLevel instanceof Integer n) || n < 0) {
                        throw invalid("instantiation level " + levelId + " scale_info of aspect " + aspectId
                                + " has no non-negative scale_level");
                    }
                    if (n > aspect.maxScaleLevel()) {
                        throw invalid("instantiation level " + levelId + " puts aspect " + aspectId
                                + " at scale level " + n + ", beyond its max_scale_level " + aspect.maxScaleLevel());
                    }
                    scaleLevels.put(aspectId, n);
                });
            }
            Map<String, Integer> allAspects = new LinkedHashMap<>();
            aspects.keySet().forEach(a -> allAspects.put(a, scaleLevels.getOrDefault(a, 0)));
            into.put(levelId, new LevelDeclaration(levelId, description, allAspects));
        });
        Map<String, Object> properties = ToscaYaml.map(path, definition, "properties", "policy " + policy + " ");
        Object declaredDefault = properties.get("default_level");
        if (declaredDefault == null && levels.size() > 1) {
            throw invalid("policy " + policy + " has several levels and no default_level");
        }
        String defaultLevel = declaredDefault == null ? levels.keySet().iterator().next() : scalar(declaredDefault);
        if (!levels.containsKey(defaultLevel)) {
            throw invalid("policy " + policy + " default_level " + declaredDefault + " is not one of its levels");
        }
        return defaultLevel;
    }

    /** Per VDU, the instances its VduInstantiationLevels declares at each level. */
    private Map<String, Map<String, Integer>> vduLevels(Map<String, Map<String, Object>> policies,
            Map<String, LevelDeclaration> levelIds) {
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        policies.forEach((policy, definition) -> {
            Map<String, Object> levels = property(policy, definition, "levels");
            if (levels == null || levels.isEmpty()) {
                throw invalid("policy " + policy + " has no levels");
            }
            Map<String, Integer> perLevel = new HashMap<>();
            levels.forEach((level, value) -> {
                if (!levelIds.isEmpty() && !levelIds.containsKey(level)) {
                    throw invalid("policy " + policy + " names level " + level + ", which the "
                            + INSTANTIATION_LEVELS + " policy does not define");
                }
                Object n = value instanceof Map<?, ?> vduLevel ? vduLevel.get("number_of_instances") : null;
                if (!(n instanceof Integer count) || count < 0) {
                    throw invalid("policy " + policy + " level " + level + " has no number_of_instances");
                }
                perLevel.put(level, count);
            });
            for (VduBounds vdu : targets(policy, definition)) {
                if (counts.putIfAbsent(vdu.id(), Map.copyOf(perLevel)) != null) {
                    throw invalid("Vdu.Compute " + vdu.id() + " is the target of two " + VDU_INSTANTIATION_LEVELS
                            + " policies");
                }
            }
        });
        return counts;
    }

    // ---- agreement ---------------------------------------------------------------------------------------------

    private Sizing sizing(List<ScalingAspect> aspects, Map<String, LevelDeclaration> levels, String defaultLevel,
            Map<String, Integer> declaredInitialDeltas, Map<String, Map<String, Integer>> declaredCounts) {
        boolean scales = !aspects.isEmpty();
        Map<String, Integer> initialDeltas = new LinkedHashMap<>();
        for (VduBounds vdu : vdus.values()) {
            Integer atDefault = defaultLevel == null
                    ? null
                    : declaredCounts.getOrDefault(vdu.id(), Map.of()).get(defaultLevel);
            Integer declared = declaredInitialDeltas.get(vdu.id());
            int initialDelta = declared != null ? declared : atDefault != null ? atDefault : vdu.min();
            initialDeltas.put(vdu.id(), initialDelta);
            if (declared != null || scales) {
                checkScaleRange(vdu, initialDelta, declared != null, aspects);
            }
        }

        List<InstantiationLevel> instantiationLevels = new ArrayList<>();
        for (LevelDeclaration level : levels.values()) {
            Map<String, Integer> instances = new LinkedHashMap<>();
            for (VduBounds vdu : vdus.values()) {
                Integer declared = declaredCounts.getOrDefault(vdu.id(), Map.of()).get(level.id());
                int count;
                if (scales || declaredInitialDeltas.containsKey(vdu.id())) {
                    count = countAt(vdu.id(), initialDeltas.get(vdu.id()), level.scaleInfo(), aspects);
                    if (declared != null && declared != count) {
                        throw invalid("Vdu.Compute " + vdu.id() + " has " + declared + " instances at instantiation "
                                + "level " + level.id() + ", but " + arithmetic(vdu.id(), initialDeltas.get(vdu.id()),
                                        declaredInitialDeltas.containsKey(vdu.id()), level.scaleInfo(), aspects)
                                + " make " + count);
                    }
                } else {
                    count = declared != null ? declared : vdu.min();
                }
                if (count < vdu.min() || count > vdu.max()) {
                    throw invalid("Vdu.Compute " + vdu.id() + " has " + count + " instances at instantiation level "
                            + level.id() + ", outside its vdu_profile [" + vdu.min() + ", " + vdu.max() + "]");
                }
                instances.put(vdu.id(), count);
            }
            instantiationLevels.add(new InstantiationLevel(level.id(), level.description(), level.scaleInfo(),
                    instances));
        }

        Map<String, Integer> initialInstances = new LinkedHashMap<>();
        InstantiationLevel atDefault = instantiationLevels.stream()
                .filter(l -> l.id().equals(defaultLevel))
                .findFirst()
                .orElse(null);
        for (VduBounds vdu : vdus.values()) {
            initialInstances.put(vdu.id(), atDefault != null
                    ? atDefault.vduInstances().get(vdu.id())
                    : initialDeltas.get(vdu.id()));
        }
        return new Sizing(List.copyOf(aspects), List.copyOf(instantiationLevels), defaultLevel, initialInstances,
                initialDeltas);
    }

    /** Every scale level reachable stays in the vdu_profile: the deltas only add, so check both ends. */
    private void checkScaleRange(VduBounds vdu, int initialDelta, boolean declared, List<ScalingAspect> aspects) {
        String base = declared ? "its initial delta " + initialDelta : initialDelta + " instances";
        if (initialDelta < vdu.min()) {
            throw invalid("Vdu.Compute " + vdu.id() + " has " + base + " with every aspect at scale level 0, below its"
                    + " vdu_profile min_number_of_instances " + vdu.min());
        }
        Map<String, Integer> atMax = new LinkedHashMap<>();
        aspects.forEach(a -> atMax.put(a.id(), a.maxScaleLevel()));
        int most = countAt(vdu.id(), initialDelta, atMax, aspects);
        if (most > vdu.max()) {
            throw invalid("Vdu.Compute " + vdu.id() + " would have " + most + " instances with every aspect at its "
                    + "max_scale_level (" + arithmetic(vdu.id(), initialDelta, declared, atMax, aspects)
                    + "), above its vdu_profile max_number_of_instances " + vdu.max());
        }
    }

    private static int countAt(String vdu, int initialDelta, Map<String, Integer> scaleLevels,
            List<ScalingAspect> aspects) {
        int count = initialDelta;
        for (ScalingAspect aspect : aspects) {
            count += aspect.instancesAdded(vdu, scaleLevels.getOrDefault(aspect.id(), 0));
        }
        return count;
    }

    /** "its initial delta 1 and aspect fastpath at scale level 3 (+3)", for the messages. */
    private static String arithmetic(String vdu, int initialDelta, boolean declared, Map<String, Integer> scaleLevels,
            List<ScalingAspect> aspects) {
        StringJoiner terms = new StringJoiner(" and ");
        terms.add(declared ? "its initial delta " + initialDelta : "its " + initialDelta + " instances");
        for (ScalingAspect aspect : aspects) {
            if (aspect.vduIds().contains(vdu)) {
                int level = scaleLevels.getOrDefault(aspect.id(), 0);
                terms.add("aspect " + aspect.id() + " at scale level " + level + " (+"
                        + aspect.instancesAdded(vdu, level) + ")");
            }
        }
        return terms.toString();
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** properties.name of a policy as a mapping, or null. */
    private Map<String, Object> property(String policy, Map<String, Object> definition, String name) {
        Map<String, Object> properties = ToscaYaml.map(path, definition, "properties", "policy " + policy + " ");
        return properties == null ? null : ToscaYaml.map(path, properties, name, "policy " + policy + " property ");
    }

    private List<VduBounds> targets(String policy, Map<String, Object> definition) {
        List<?> targets = ToscaYaml.list(path, definition, "targets", "policy " + policy + " ");
        if (targets == null || targets.isEmpty()) {
            throw invalid("policy " + policy + " has no targets");
        }
        List<VduBounds> vdusTargeted = new ArrayList<>();
        for (Object target : targets) {
            VduBounds vdu = target instanceof String id ? vdus.get(id) : null;
            if (vdu == null) {
                throw invalid("policy " + policy + " targets " + target + ", which is not a Vdu.Compute");
            }
            vdusTargeted.add(vdu);
        }
        return vdusTargeted;
    }

    /** {number_of_instances: n} (SOL001 VduLevel), n a non-negative integer. */
    private int instances(Object vduLevel, String where) {
        Object n = vduLevel instanceof Map<?, ?> map ? map.get("number_of_instances") : null;
        if (!(n instanceof Integer count) || count < 0) {
            throw invalid(where + " has no non-negative number_of_instances");
        }
        return count;
    }

    private static String scalar(Object value) {
        return value instanceof String s && !s.isBlank() ? s : value instanceof Integer i ? i.toString() : null;
    }

    private InvalidPackageException invalid(String detail) {
        return new InvalidPackageException(INVALID_VNFD, path, path + " " + detail);
    }
}
