package io.isthmus.vnf.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An instantiation level of the deployment flavour (SOL001 {@code tosca.policies.nfv.InstantiationLevels}, with the
 * {@code tosca.policies.nfv.VduInstantiationLevels} that name it): the size to instantiate with, or to scale to with
 * SOL003 {@code scale_to_level} and an {@code instantiationLevelId}.
 *
 * @param id the level's key in the policy, the SOL003 {@code instantiationLevelId}
 * @param description its {@code description}; empty when the VNFD gives none
 * @param aspectScaleLevels the scale level of every scaling aspect of the VNF at this level (its {@code scale_info};
 *            0 for an aspect it leaves out); empty when the VNF has no scaling aspects
 * @param vduInstances the instances of every VDU at this level, in the VNFD's order
 */
public record InstantiationLevel(String id, String description, Map<String, Integer> aspectScaleLevels,
        Map<String, Integer> vduInstances) {

    public InstantiationLevel {
        Objects.requireNonNull(id, "id");
        description = description == null ? "" : description;
        aspectScaleLevels = Collections.unmodifiableMap(new LinkedHashMap<>(aspectScaleLevels));
        vduInstances = Collections.unmodifiableMap(new LinkedHashMap<>(vduInstances));
    }
}
