package io.isthmus.vnfm.lifecycle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.isthmus.sol.problem.UnprocessableContentException;
import io.isthmus.vnfm.integration.VnfDescriptor;
import io.isthmus.vnfm.persistence.VnfcResource;

/**
 * What a scale, scale to level or change of flavour aims at: the scale level of every aspect, checked against the
 * VNFD. Pure; the VNFM checks a request with it before accepting it (422) and the PACKAGE step plans with it.
 */
public final class ScalePlans {

    private ScalePlans() {
    }

    /** The aspect levels the operation ends at. */
    public record Target(Map<String, Integer> levels) {
    }

    /** Levels at instantiation: the named instantiation level, else the VNFD's default one. */
    static Map<String, Integer> instantiationLevels(VnfDescriptor vnfd, String levelId) {
        if (levelId == null) {
            return vnfd.defaultLevels();
        }
        Map<String, Integer> levels = new LinkedHashMap<>(vnfd.defaultLevels());
        levels.putAll(vnfd.levelOf(levelId).orElseThrow(() -> new UnprocessableContentException(
                "instantiationLevelId " + levelId + " is not an instantiation level of VNFD " + vnfd.vnfdId()
                        + " (it has " + vnfd.instantiationLevels().keySet() + ")")));
        return levels;
    }

    /**
     * The target of a scale (type, aspectId, numberOfSteps), scale to level (instantiationLevelId or scaleInfo) or
     * change of flavour (instantiationLevelId), from the levels now.
     *
     * @throws UnprocessableContentException naming what the VNFD does not allow
     */
    static Target target(VnfDescriptor vnfd, OperationContext ctx) {
        return target(vnfd, ctx.operation().name(), ctx.params(), ctx.instance().scaleStatus());
    }

    @SuppressWarnings("unchecked")
    public static Target target(VnfDescriptor vnfd, String operation, Map<String, Object> params,
            Map<String, Integer> current) {
        Map<String, Integer> levels = new LinkedHashMap<>(vnfd.defaultLevels());
        levels.replaceAll((k, v) -> 0);
        levels.putAll(current == null ? Map.of() : current);
        switch (operation) {
            case "SCALE" -> {
                String aspectId = String.valueOf(params.get("aspectId"));
                VnfDescriptor.Aspect aspect = vnfd.aspect(aspectId).orElseThrow(() -> new UnprocessableContentException(
                        "aspectId " + aspectId + " is not a scaling aspect of VNFD " + vnfd.vnfdId() + " (it has "
                                + vnfd.aspects().stream().map(VnfDescriptor.Aspect::id).toList() + ")"));
                int steps = params.get("numberOfSteps") instanceof Number n ? n.intValue() : 1;
                if (steps < 1) {
                    throw new UnprocessableContentException("numberOfSteps must be 1 or more, not " + steps);
                }
                boolean out = "SCALE_OUT".equals(params.get("type"));
                int now = levels.getOrDefault(aspectId, 0);
                int to = out ? now + steps : now - steps;
                if (to < 0 || to > aspect.maxScaleLevel()) {
                    throw new UnprocessableContentException("aspect " + aspectId + " is at scale level " + now
                            + "; " + (out ? "SCALE_OUT" : "SCALE_IN") + " by " + steps + " would make it " + to
                            + ", outside 0.." + aspect.maxScaleLevel());
                }
                levels.put(aspectId, to);
            }
            case "SCALE_TO_LEVEL", "CHANGE_FLAVOUR" -> {
                Object levelId = params.get("instantiationLevelId");
                Object scaleInfo = params.get("scaleInfo");
                if (levelId != null) {
                    levels.putAll(instantiationLevels(vnfd, levelId.toString()));
                } else if (scaleInfo instanceof List<?> infos) {
                    for (Object o : infos) {
                        Map<String, Object> info = (Map<String, Object>) o;
                        String aspectId = String.valueOf(info.get("aspectId"));
                        VnfDescriptor.Aspect aspect = vnfd.aspect(aspectId)
                                .orElseThrow(() -> new UnprocessableContentException("scaleInfo: aspectId " + aspectId
                                        + " is not a scaling aspect of VNFD " + vnfd.vnfdId()));
                        int level = info.get("scaleLevel") instanceof Number n ? n.intValue() : -1;
                        if (level < 0 || level > aspect.maxScaleLevel()) {
                            throw new UnprocessableContentException("scaleInfo: scaleLevel of " + aspectId
                                    + " must be within 0.." + aspect.maxScaleLevel());
                        }
                        levels.put(aspectId, level);
                    }
                } else if ("SCALE_TO_LEVEL".equals(operation)) {
                    throw new UnprocessableContentException("instantiationLevelId or scaleInfo is required");
                }
            }
            default -> throw new IllegalArgumentException(operation);
        }
        return new Target(levels);
    }

    /** The VNFCs a shrink stops: of each VDU that shrinks, the ones with the highest indexes. */
    static List<String> toRemove(List<VnfcResource> vnfcs, Map<String, Integer> before, Map<String, Integer> after) {
        List<String> remove = new ArrayList<>();
        for (Map.Entry<String, Integer> b : before.entrySet()) {
            int excess = b.getValue() - after.getOrDefault(b.getKey(), b.getValue());
            if (excess > 0) {
                vnfcs.stream().filter(v -> v.vduId().equals(b.getKey()))
                        .sorted(Comparator.comparingInt((VnfcResource v) -> Ingress.indexOf(v.id())).reversed())
                        .limit(excess).forEach(v -> remove.add(v.id()));
            }
        }
        return remove;
    }

    /** {@code vnfcInstanceId} of a heal or operate request. */
    static List<String> vnfcIds(Map<String, Object> params) {
        Object ids = params == null ? null : params.get("vnfcInstanceId");
        return ids instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }
}
