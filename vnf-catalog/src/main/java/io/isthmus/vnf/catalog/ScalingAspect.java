package io.isthmus.vnf.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A scaling aspect of the deployment flavour (SOL001 {@code tosca.policies.nfv.ScalingAspects}, with the
 * {@code tosca.policies.nfv.VduScalingAspectDeltas} that name it): the unit of SOL003 {@code scale} and
 * {@code scale_to_level}. Scaling an aspect out by one step moves it from scale level {@code n} to {@code n + 1} and
 * adds, to each VDU it scales, the instances of that step's delta; scaling in removes them.
 *
 * @param id the aspect's key in the policy, the {@code aspectId} of SOL003 requests and {@code scaleStatus}
 * @param name its {@code name}
 * @param description its {@code description}; empty when the VNFD gives none
 * @param maxScaleLevel its {@code max_scale_level}: the aspect's scale level goes from 0 to this
 * @param vduStepDeltas for each VDU the aspect scales (in the VNFD's order), the instances each step adds: entry
 *            {@code i} is the step from scale level {@code i} to {@code i + 1}, so the list has {@code maxScaleLevel}
 *            entries (a VNFD's single {@code step_deltas} entry applies to every step)
 */
public record ScalingAspect(String id, String name, String description, int maxScaleLevel,
        Map<String, List<Integer>> vduStepDeltas) {

    public ScalingAspect {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        if (maxScaleLevel < 0) {
            throw new IllegalArgumentException("maxScaleLevel " + maxScaleLevel + " is negative");
        }
        Map<String, List<Integer>> deltas = new LinkedHashMap<>();
        vduStepDeltas.forEach((vdu, steps) -> {
            if (steps.size() != maxScaleLevel) {
                throw new IllegalArgumentException("VDU " + vdu + " has " + steps.size() + " step deltas in aspect "
                        + id + ", not maxScaleLevel " + maxScaleLevel);
            }
            deltas.put(vdu, List.copyOf(steps));
        });
        vduStepDeltas = Collections.unmodifiableMap(deltas);
    }

    /** The VDUs this aspect scales. */
    public Set<String> vduIds() {
        return vduStepDeltas.keySet();
    }

    /** True when {@code level} is a scale level of this aspect: 0 to {@link #maxScaleLevel()}. */
    public boolean isValidLevel(int level) {
        return level >= 0 && level <= maxScaleLevel;
    }

    /**
     * The instances this aspect adds to a VDU at a scale level, over the VDU's initial delta: the sum of the step
     * deltas up to that level; 0 for a VDU the aspect does not scale.
     *
     * @throws InvalidScaleLevelException when the level is not one of the aspect's
     */
    public int instancesAdded(String vduId, int level) {
        checkLevel(level);
        List<Integer> steps = vduStepDeltas.get(vduId);
        int added = 0;
        for (int step = 0; steps != null && step < level; step++) {
            added += steps.get(step);
        }
        return added;
    }

    /**
     * @throws InvalidScaleLevelException when the level is not one of the aspect's
     */
    public void checkLevel(int level) {
        if (!isValidLevel(level)) {
            throw new InvalidScaleLevelException("scale level " + level + " of aspect " + id
                    + " is outside its range 0.." + maxScaleLevel);
        }
    }
}
