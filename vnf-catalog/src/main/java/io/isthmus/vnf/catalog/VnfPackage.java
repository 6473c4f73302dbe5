package io.isthmus.vnf.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A VNF package that {@link CsarReader} has read and validated: the VNFD's identity and deployment flavour, the
 * manifest's metadata, every file with its digest, and the VNFD text as uploaded. Immutable; a plain record so it can
 * be stored as JSON (Jackson reads and writes it as is).
 * <p>
 * Scaling (docs/contracts.md, "VNF packages"): {@link #scalingAspects()} are what SOL003 {@code scale} and
 * {@code scale_to_level} act on; {@link #instantiationLevels()} the named sizes; {@link #vduInstances(Map)} the
 * instances of each VDU at given scale levels. A VNFD without scaling policies has no aspects, and its VDUs keep
 * their {@link Vdu#initialInstances()}.
 *
 * @param vnfdId VNF node {@code descriptor_id}
 * @param vnfType the VNF type, the VNF node's {@code metadata: isthmus.vnf_type}: which policy the VNF runtime runs
 * @param configSchemaPath the archive path of the JSON Schema of the VNF's configuration, the VNF node's
 *            {@code metadata: isthmus.config_schema}; null when the type takes no configuration
 * @param provider VNF node {@code provider}
 * @param productName VNF node {@code product_name}
 * @param softwareVersion VNF node {@code software_version}
 * @param vnfdVersion VNF node {@code descriptor_version}
 * @param vnfmInfo VNF node {@code vnfm_info}
 * @param flavourId VNF node {@code flavour_id}; a single-file VNFD describes one deployment flavour
 * @param flavourDescription VNF node {@code flavour_description}, empty when absent
 * @param vdus the {@code tosca.nodes.nfv.Vdu.Compute} node templates, in VNFD order
 * @param extCps the {@code tosca.nodes.nfv.VnfExtCp} node templates, in VNFD order
 * @param defaultInstantiationLevelId the default level of the {@code tosca.policies.nfv.InstantiationLevels} policy,
 *            or null when the VNFD has none
 * @param scalingAspects the aspects of the {@code tosca.policies.nfv.ScalingAspects} policy, in VNFD order; empty
 *            when the VNF cannot scale
 * @param instantiationLevels the levels of the {@code tosca.policies.nfv.InstantiationLevels} policy, in VNFD order;
 *            empty when the VNFD has none
 * @param manifest the manifest's metadata
 * @param artifacts every file of the archive, sorted by path
 * @param toscaDefinitionsVersion {@code tosca_definitions_version} of the VNFD
 * @param entryDefinitions path of the main VNFD file in the archive
 * @param manifestPath path of the manifest in the archive
 * @param vnfdYaml text of the main VNFD file
 * @param packageChecksum SHA-256 of the whole archive
 */
public record VnfPackage(String vnfdId, String vnfType, String configSchemaPath, String provider, String productName,
        String softwareVersion,
        String vnfdVersion, List<String> vnfmInfo, String flavourId, String flavourDescription, List<Vdu> vdus,
        List<ExtCp> extCps, String defaultInstantiationLevelId, List<ScalingAspect> scalingAspects,
        List<InstantiationLevel> instantiationLevels, ManifestMetadata manifest,
        List<PackageArtifact> artifacts,
        String toscaDefinitionsVersion, String entryDefinitions, String manifestPath, String vnfdYaml,
        Checksum packageChecksum) {

    public VnfPackage {
        Objects.requireNonNull(vnfdId, "vnfdId");
        Objects.requireNonNull(vnfType, "vnfType");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(productName, "productName");
        Objects.requireNonNull(softwareVersion, "softwareVersion");
        Objects.requireNonNull(vnfdVersion, "vnfdVersion");
        vnfmInfo = List.copyOf(vnfmInfo);
        Objects.requireNonNull(flavourId, "flavourId");
        Objects.requireNonNull(flavourDescription, "flavourDescription");
        vdus = List.copyOf(vdus);
        extCps = extCps == null ? List.of() : List.copyOf(extCps);
        scalingAspects = scalingAspects == null ? List.of() : List.copyOf(scalingAspects);
        instantiationLevels = instantiationLevels == null ? List.of() : List.copyOf(instantiationLevels);
        Objects.requireNonNull(manifest, "manifest");
        artifacts = List.copyOf(artifacts);
        Objects.requireNonNull(toscaDefinitionsVersion, "toscaDefinitionsVersion");
        Objects.requireNonNull(entryDefinitions, "entryDefinitions");
        Objects.requireNonNull(manifestPath, "manifestPath");
        Objects.requireNonNull(vnfdYaml, "vnfdYaml");
        Objects.requireNonNull(packageChecksum, "packageChecksum");
    }

    public Optional<Vdu> vdu(String id) {
        return vdus.stream().filter(v -> v.id().equals(id)).findFirst();
    }

    public Optional<PackageArtifact> artifact(String path) {
        return artifacts.stream().filter(a -> a.path().equals(path)).findFirst();
    }

    public Optional<ScalingAspect> scalingAspect(String aspectId) {
        return scalingAspects.stream().filter(a -> a.id().equals(aspectId)).findFirst();
    }

    public Optional<InstantiationLevel> instantiationLevel(String levelId) {
        return instantiationLevels.stream().filter(l -> l.id().equals(levelId)).findFirst();
    }

    /** The level to instantiate with when the request names none; empty when the VNFD has no instantiation levels. */
    public Optional<InstantiationLevel> defaultInstantiationLevel() {
        return defaultInstantiationLevelId == null ? Optional.empty() : instantiationLevel(defaultInstantiationLevelId);
    }

    /**
     * The scale level of every aspect right after instantiation at a level (SOL003 {@code scaleStatus}): that level's
     * {@link InstantiationLevel#aspectScaleLevels()}; with {@code levelId} null, the default level's, or every aspect
     * at 0 when the VNFD has no instantiation levels.
     *
     * @throws InvalidScaleLevelException when the VNFD has no instantiation level {@code levelId}
     */
    public Map<String, Integer> initialScaleLevels(String levelId) {
        String id = levelId != null ? levelId : defaultInstantiationLevelId;
        if (id == null) {
            Map<String, Integer> levels = new LinkedHashMap<>();
            scalingAspects.forEach(a -> levels.put(a.id(), 0));
            return Collections.unmodifiableMap(levels);
        }
        return instantiationLevel(id).map(InstantiationLevel::aspectScaleLevels)
                .orElseThrow(() -> new InvalidScaleLevelException("VNFD " + vnfdId + " has no instantiation level "
                        + id + "; its levels are "
                        + instantiationLevels.stream().map(InstantiationLevel::id).toList()));
    }

    /** Each aspect's {@code maxScaleLevel}, in VNFD order (SOL003 {@code VnfInstance.maxScaleLevels}). */
    public Map<String, Integer> maxScaleLevels() {
        Map<String, Integer> levels = new LinkedHashMap<>();
        scalingAspects.forEach(a -> levels.put(a.id(), a.maxScaleLevel()));
        return Collections.unmodifiableMap(levels);
    }

    /**
     * The instances of each VDU, in VNFD order, with the aspects at the given scale levels: the VDU's
     * {@link Vdu#initialDelta()} plus, for each aspect, its step deltas up to that aspect's level. An aspect the map
     * leaves out counts at level 0. A pure function of the package: SOL003 {@code scale} and {@code scale_to_level}
     * give it the target levels; an {@link InstantiationLevel} gives its own {@link InstantiationLevel#vduInstances()}.
     *
     * @throws InvalidScaleLevelException when the map names an aspect the VNFD does not declare, or a level outside
     *             0 to the aspect's {@code maxScaleLevel}
     */
    public Map<String, Integer> vduInstances(Map<String, Integer> aspectScaleLevels) {
        for (Map.Entry<String, Integer> entry : aspectScaleLevels.entrySet()) {
            ScalingAspect aspect = scalingAspect(entry.getKey()).orElseThrow(() -> new InvalidScaleLevelException(
                    "VNFD " + vnfdId + " has no scaling aspect " + entry.getKey()
                            + (scalingAspects.isEmpty() ? "; it cannot scale" : "")));
            aspect.checkLevel(Objects.requireNonNull(entry.getValue(), "scale level of " + entry.getKey()));
        }
        Map<String, Integer> instances = new LinkedHashMap<>();
        for (Vdu vdu : vdus) {
            int count = vdu.initialDelta();
            for (ScalingAspect aspect : scalingAspects) {
                count += aspect.instancesAdded(vdu.id(), aspectScaleLevels.getOrDefault(aspect.id(), 0));
            }
            instances.put(vdu.id(), count);
        }
        return Collections.unmodifiableMap(instances);
    }
}
