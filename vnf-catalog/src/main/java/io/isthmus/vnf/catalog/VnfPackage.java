package io.isthmus.vnf.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A VNF package that {@link CsarReader} has read and validated: the VNFD's identity and deployment flavour, the
 * manifest's metadata, every file with its digest, and the VNFD text as uploaded. Immutable; a plain record so it can
 * be stored as JSON (Jackson reads and writes it as is).
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
 * @param defaultInstantiationLevelId the default level of the {@code tosca.policies.nfv.InstantiationLevels} policy,
 *            or null when the VNFD has none
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
        String defaultInstantiationLevelId, ManifestMetadata manifest, List<PackageArtifact> artifacts,
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
}
