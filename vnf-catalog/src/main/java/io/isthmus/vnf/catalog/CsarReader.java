package io.isthmus.vnf.catalog;

import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.HASH_MISMATCH;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.INVALID_MANIFEST;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.INVALID_VNFD;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.MISSING_ARTIFACT;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.MISSING_ENTRY_DEFINITIONS;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.MISSING_MANIFEST;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.MISSING_TOSCA_META;
import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.UNLISTED_ARTIFACT;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads and validates a VNF package: a SOL004 CSAR (ETSI GS NFV-SOL 004) holding a SOL001 VNFD.
 * <p>
 * Checks, in this order, each failure an {@link InvalidPackageException} with its reason:
 * <ol>
 * <li>the upload is a ZIP archive within {@link CsarLimits}, with safe and unique entry names;</li>
 * <li>the layout: TOSCA-Metadata/TOSCA.meta with TOSCA-Meta-File-Version, CSAR-Version, Created-By and
 * Entry-Definitions, the manifest named by ETSI-Entry-Manifest (or Entry-Manifest); or, without TOSCA.meta, a single
 * YAML file at the root and a manifest of the same base name next to it;</li>
 * <li>the manifest: its metadata (vnf_provider_id, vnf_product_name, vnf_release_date_time, vnf_package_version),
 * and for every Source, a file of the archive whose digest (SHA-256, SHA-512, ...) is the declared Hash. Every file
 * must be listed, except the manifest, TOSCA.meta, and certificates and signatures;</li>
 * <li>the VNFD: YAML with a tosca_definitions_version, one {@code tosca.nodes.nfv.VNF} node template with
 * descriptor_id, provider, product_name, software_version, descriptor_version, flavour_id and vnfm_info, at least one
 * {@code tosca.nodes.nfv.Vdu.Compute} with a vdu_profile and virtual_compute; and the manifest's provider and product
 * name equal to the VNFD's;</li>
 * <li>the Isthmus declarations (docs/contracts.md): the VNF node's {@code metadata: isthmus.vnf_type}, each VDU's
 * {@code metadata: isthmus.vdu_role} (one slowpath, at least one fastpath), and the JSON Schema file named by
 * {@code metadata: isthmus.config_schema} when there is one;</li>
 * <li>the sizing policies: scaling aspects, their VDU deltas, initial deltas and instantiation levels agree with each
 * other and with each VDU's vdu_profile, and only fastpaths scale ({@link ScalingPolicies}).</li>
 * </ol>
 * Memory sizes are given in MiB: decimal and binary units are both read as binary ({@code 512 MB} and
 * {@code 512 MiB} are both 512), rounding up.
 * <p>
 * Stateless and thread-safe; nothing touches the file system.
 */
public final class CsarReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CsarReader() {
    }

    /** Reads a package with {@link CsarLimits#DEFAULT}. */
    public static VnfPackage read(byte[] zip) {
        return read(zip, CsarLimits.DEFAULT);
    }

    public static VnfPackage read(byte[] zip, CsarLimits limits) {
        Objects.requireNonNull(zip, "zip");
        Objects.requireNonNull(limits, "limits");
        Map<String, byte[]> files = SafeZip.read(zip, limits);
        Layout layout = layout(files);

        Manifest manifest = Manifest.parse(layout.manifest(), files.get(layout.manifest()));
        Set<String> exempt = new HashSet<>(manifest.signatureFiles());
        exempt.add(layout.manifest());
        exempt.add(ToscaMeta.PATH);
        if (layout.certificate() != null) {
            exempt.add(layout.certificate());
        }
        exempt.add(withoutExtension(layout.manifest()) + ".cert");
        List<PackageArtifact> artifacts = verify(files, manifest, exempt);

        VnfdParser.Vnfd vnfd = VnfdParser.parse(layout.entryDefinitions(), files);
        ManifestMetadata metadata = manifest.metadata();
        if (!metadata.vnfProviderId().equals(vnfd.provider())) {
            throw new InvalidPackageException(INVALID_MANIFEST, layout.manifest(), layout.manifest()
                    + " vnf_provider_id " + metadata.vnfProviderId() + " differs from the VNFD provider "
                    + vnfd.provider());
        }
        if (!metadata.vnfProductName().equals(vnfd.productName())) {
            throw new InvalidPackageException(INVALID_MANIFEST, layout.manifest(), layout.manifest()
                    + " vnf_product_name " + metadata.vnfProductName() + " differs from the VNFD product_name "
                    + vnfd.productName());
        }
        if (vnfd.configSchema() != null) {
            checkConfigSchema(layout.entryDefinitions(), vnfd.configSchema(), files);
        }
        return new VnfPackage(vnfd.vnfdId(), vnfd.vnfType(), vnfd.configSchema(), vnfd.provider(), vnfd.productName(),
                vnfd.softwareVersion(),
                vnfd.vnfdVersion(), vnfd.vnfmInfo(), vnfd.flavourId(), vnfd.flavourDescription(), vnfd.vdus(),
                vnfd.extCps(),
                vnfd.defaultLevel(), vnfd.scalingAspects(), vnfd.instantiationLevels(), metadata, artifacts,
                vnfd.toscaDefinitionsVersion(), layout.entryDefinitions(),
                layout.manifest(), ToscaYaml.text(layout.entryDefinitions(), files.get(layout.entryDefinitions())),
                Checksum.sha256(zip));
    }

    /**
     * One file of a package, e.g. to serve SOL003 {@code /artifacts/{artifactPath}} or {@code /manifest} from a stored
     * package. The archive is read with the same guards as {@link #read(byte[])}, but not validated.
     */
    public static Optional<byte[]> extract(byte[] zip, String path) {
        Objects.requireNonNull(path, "path");
        byte[] content = SafeZip.read(Objects.requireNonNull(zip, "zip"), CsarLimits.DEFAULT).get(path);
        return Optional.ofNullable(content).map(byte[]::clone);
    }

    /** The configuration schema the VNFD names is a file of the package holding a JSON object. */
    private static void checkConfigSchema(String vnfdPath, String schemaPath, Map<String, byte[]> files) {
        byte[] schema = files.get(schemaPath);
        if (schema == null) {
            throw new InvalidPackageException(INVALID_VNFD, vnfdPath, vnfdPath + " names the configuration schema "
                    + schemaPath + ", which is not in the archive");
        }
        try {
            JsonNode tree = JSON.readTree(schema);
            if (tree == null || !tree.isObject()) {
                throw new InvalidPackageException(INVALID_VNFD, schemaPath,
                        "the configuration schema " + schemaPath + " is not a JSON object");
            }
            String outside = ConfigSchema.firstNonLocalReference(tree);
            if (outside != null) {
                throw new InvalidPackageException(INVALID_VNFD, schemaPath, "the configuration schema " + schemaPath
                        + " refers outside itself (" + outside + "); only references within it (#...) are allowed");
            }
        } catch (IOException e) {
            throw new InvalidPackageException(INVALID_VNFD, schemaPath,
                    "the configuration schema " + schemaPath + " is not JSON: " + e.getMessage());
        }
    }

    // ---- layout ------------------------------------------------------------------------------------------------

    private record Layout(String entryDefinitions, String manifest, String certificate) {
    }

    private static Layout layout(Map<String, byte[]> files) {
        byte[] meta = files.get(ToscaMeta.PATH);
        if (meta == null) {
            return rootYamlLayout(files);
        }
        ToscaMeta toscaMeta = ToscaMeta.parse(meta);
        String definitions = toscaMeta.entryDefinitions();
        if (!files.containsKey(definitions)) {
            throw new InvalidPackageException(MISSING_ENTRY_DEFINITIONS, definitions,
                    "the Entry-Definitions file " + definitions + " named by " + ToscaMeta.PATH
                            + " is not in the archive");
        }
        String manifest = toscaMeta.manifest();
        if (manifest == null) {
            throw new InvalidPackageException(MISSING_MANIFEST, ToscaMeta.PATH,
                    ToscaMeta.PATH + " names no manifest (ETSI-Entry-Manifest)");
        }
        if (!files.containsKey(manifest)) {
            throw new InvalidPackageException(MISSING_MANIFEST, manifest,
                    "the manifest " + manifest + " named by " + ToscaMeta.PATH + " is not in the archive");
        }
        return new Layout(definitions, manifest, toscaMeta.certificate());
    }

    /** SOL004 clause 4.1: no TOSCA-Metadata; one YAML file at the root, and its .mf next to it. */
    private static Layout rootYamlLayout(Map<String, byte[]> files) {
        List<String> rootYaml = files.keySet()
                .stream()
                .filter(p -> !p.contains("/") && (p.endsWith(".yaml") || p.endsWith(".yml")))
                .toList();
        if (rootYaml.size() != 1) {
            throw new InvalidPackageException(MISSING_TOSCA_META, ToscaMeta.PATH, "the archive has no "
                    + ToscaMeta.PATH + " and " + rootYaml.size() + " YAML files at its root instead of one");
        }
        String definitions = rootYaml.getFirst();
        String manifest = withoutExtension(definitions) + ".mf";
        if (!files.containsKey(manifest)) {
            throw new InvalidPackageException(MISSING_MANIFEST, manifest,
                    "the manifest " + manifest + " of the root VNFD " + definitions + " is not in the archive");
        }
        return new Layout(definitions, manifest, null);
    }

    private static String withoutExtension(String path) {
        int dot = path.lastIndexOf('.');
        return dot > path.lastIndexOf('/') ? path.substring(0, dot) : path;
    }

    // ---- manifest digests --------------------------------------------------------------------------------------

    private static List<PackageArtifact> verify(Map<String, byte[]> files, Manifest manifest, Set<String> exempt) {
        for (Map.Entry<String, Checksum> source : manifest.sources().entrySet()) {
            String path = source.getKey();
            Checksum declared = source.getValue();
            byte[] content = files.get(path);
            if (content == null) {
                throw new InvalidPackageException(MISSING_ARTIFACT, path,
                        "the manifest lists " + path + ", which is not in the archive");
            }
            Checksum actual = Checksum.of(declared.algorithm(), content);
            if (!actual.hash().equals(declared.hash())) {
                throw new InvalidPackageException(HASH_MISMATCH, path, "the " + declared.algorithm() + " digest of "
                        + path + " is " + actual.hash() + ", the manifest declares " + declared.hash());
            }
        }
        List<PackageArtifact> artifacts = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String path = file.getKey();
            Checksum declared = manifest.sources().get(path);
            if (declared == null && !exempt.contains(path)) {
                throw new InvalidPackageException(UNLISTED_ARTIFACT, path,
                        path + " is in the archive but not in the manifest");
            }
            artifacts.add(new PackageArtifact(path, file.getValue().length, Checksum.sha256(file.getValue()),
                    declared));
        }
        artifacts.sort(Comparator.comparing(PackageArtifact::path));
        return artifacts;
    }
}
