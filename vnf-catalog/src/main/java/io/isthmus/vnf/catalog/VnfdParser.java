package io.isthmus.vnf.catalog;

import static io.isthmus.vnf.catalog.InvalidPackageException.Reason.INVALID_VNFD;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the catalog needs from a SOL001 VNFD (ETSI GS NFV-SOL 001, TOSCA simple profile YAML): the one node
 * template whose type is or derives from {@code tosca.nodes.nfv.VNF}, the {@code tosca.nodes.nfv.Vdu.Compute} node
 * templates, and the policies that size the deployment flavour ({@link ScalingPolicies}).
 * <p>
 * Types derived in the VNFD, or in files it imports that are inside the package, are followed up to the ETSI types, and
 * a property a template leaves out is taken from the {@code default} of its type. Imports that are not in the package
 * (the ETSI type files are often left out, the reader knows them) are skipped. This is a reader for on-boarding, not a
 * TOSCA type checker: only what the catalog uses is checked.
 */
final class VnfdParser {

    static final String VNF = "tosca.nodes.nfv.VNF";
    static final String VDU_COMPUTE = "tosca.nodes.nfv.Vdu.Compute";
    static final String VNF_EXT_CP = "tosca.nodes.nfv.VnfExtCp";
    /** Metadata of a VnfExtCp: the configuration key that takes the next hop behind it. */
    static final String NEXT_HOP = "isthmus.next_hop";
    /** Metadata of the VNF node template: the VNF type, which policy the VNF runtime runs. */
    static final String VNF_TYPE = "isthmus.vnf_type";
    /** Metadata of the VNF node template: the archive path of the JSON Schema of the VNF's configuration. */
    static final String CONFIG_SCHEMA = "isthmus.config_schema";
    /** Metadata of each Vdu.Compute node template: its {@link VduRole}. */
    static final String VDU_ROLE = "isthmus.vdu_role";
    /** A VNF type is a command-line argument, a Kubernetes label value and a ServiceLoader key: keep it plain. */
    private static final Pattern VNF_TYPE_SYNTAX = Pattern.compile("[a-z][a-z0-9]{0,30}");
    static final List<String> REQUIRED_VNF_PROPERTIES = List.of("descriptor_id", "provider", "product_name",
            "software_version", "descriptor_version", "flavour_id", "vnfm_info");
    private static final Set<String> TOSCA_VERSIONS = Set.of("tosca_simple_yaml_1_0", "tosca_simple_yaml_1_1",
            "tosca_simple_yaml_1_2", "tosca_simple_yaml_1_3", "tosca_2_0");
    private static final int MAX_IMPORT_DEPTH = 10;
    /** TOSCA scalar-unit.size: a number, a unit. */
    private static final Pattern SCALAR_SIZE = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-z]+)\\s*");
    /** Size units in MiB. Decimal units are read as binary ones, as VIMs (OpenStack flavours) do: 512 MB is 512. */
    private static final Map<String, BigDecimal> MIB_PER_UNIT = Map.of(
            "b", BigDecimal.ONE.divide(BigDecimal.valueOf(1L << 20)),
            "kb", BigDecimal.ONE.divide(BigDecimal.valueOf(1024)),
            "kib", BigDecimal.ONE.divide(BigDecimal.valueOf(1024)),
            "mb", BigDecimal.ONE,
            "mib", BigDecimal.ONE,
            "gb", BigDecimal.valueOf(1024),
            "gib", BigDecimal.valueOf(1024),
            "tb", BigDecimal.valueOf(1L << 20),
            "tib", BigDecimal.valueOf(1L << 20));

    /** What the catalog keeps of a VNFD. defaultLevel is null when there is no InstantiationLevels policy. */
    record Vnfd(String toscaDefinitionsVersion, String vnfdId, String vnfType, String configSchema, String provider,
            String productName,
            String softwareVersion, String vnfdVersion, List<String> vnfmInfo, String flavourId,
            String flavourDescription, List<Vdu> vdus, String defaultLevel, List<ScalingAspect> scalingAspects,
            List<InstantiationLevel> instantiationLevels, List<ExtCp> extCps) {
    }

    private final String path;
    private final Map<String, byte[]> files;
    private final Map<String, Map<String, Object>> nodeTypes = new HashMap<>();
    private final Map<String, Map<String, Object>> policyTypes = new HashMap<>();

    private VnfdParser(String path, Map<String, byte[]> files) {
        this.path = path;
        this.files = files;
    }

    static Vnfd parse(String path, Map<String, byte[]> files) {
        return new VnfdParser(path, files).parse();
    }

    private Vnfd parse() {
        Map<String, Object> document = ToscaYaml.load(path, files.get(path));
        String version = document.get("tosca_definitions_version") instanceof String s ? s.strip() : "";
        if (version.isEmpty()) {
            throw invalid("has no tosca_definitions_version");
        }
        if (!TOSCA_VERSIONS.contains(version)) {
            throw invalid("has the unknown tosca_definitions_version " + version);
        }
        collectTypes(path, document, new HashSet<>(Set.of(path)), 0);

        Map<String, Object> topology = ToscaYaml.map(path, document, "topology_template", "");
        if (topology == null) {
            throw invalid("has no topology_template");
        }
        Map<String, Object> nodeTemplates = ToscaYaml.map(path, topology, "node_templates", "topology_template.");
        if (nodeTemplates == null) {
            throw invalid("has no topology_template.node_templates");
        }
        String vnfName = null;
        Map<String, Object> vnf = null;
        Map<String, Map<String, Object>> vduTemplates = new LinkedHashMap<>();
        List<ExtCp> extCps = new ArrayList<>();
        for (String name : nodeTemplates.keySet()) {
            Map<String, Object> template = ToscaYaml.map(path, nodeTemplates, name, "node template ");
            if (template == null || !(template.get("type") instanceof String type)) {
                throw invalid("node template " + name + " has no type");
            }
            if (derivesFrom(nodeTypes, type, VNF)) {
                if (vnf != null) {
                    throw invalid("has two " + VNF + " node templates: " + vnfName + " and " + name);
                }
                vnfName = name;
                vnf = template;
            } else if (derivesFrom(nodeTypes, type, VDU_COMPUTE)) {
                vduTemplates.put(name, template);
            } else if (derivesFrom(nodeTypes, type, VNF_EXT_CP)) {
                extCps.add(new ExtCp(name, metadata(name, template, NEXT_HOP)));
            }
        }
        if (vnf == null) {
            throw invalid("has no node template of type " + VNF);
        }
        if (vduTemplates.isEmpty()) {
            throw invalid("has no node template of type " + VDU_COMPUTE);
        }
        for (String property : REQUIRED_VNF_PROPERTIES) {
            if (property(vnf, property) == null) {
                throw invalid("VNF node template " + vnfName + " has no property " + property);
            }
        }
        String vnfType = metadata(vnfName, vnf, VNF_TYPE);
        if (vnfType == null || !VNF_TYPE_SYNTAX.matcher(vnfType).matches()) {
            throw invalid("VNF node template " + vnfName + " declares no VNF type: metadata " + VNF_TYPE
                    + " must be 1 to 31 lower-case letters and digits, starting with a letter (docs/contracts.md)");
        }
        List<VduTemplate> templates = new ArrayList<>();
        vduTemplates.forEach((name, template) -> templates.add(vdu(name, template)));
        long slowpaths = templates.stream().filter(v -> v.role() == VduRole.SLOWPATH).count();
        if (slowpaths != 1 || slowpaths == templates.size()) {
            throw invalid("has " + slowpaths + " Vdu.Compute with " + VDU_ROLE + " slowpath and "
                    + (templates.size() - slowpaths)
                    + " with fastpath; a VNF has one slowpath and at least one fastpath");
        }
        ScalingPolicies.Sizing sizing = ScalingPolicies.read(path, policies(topology),
                (type, ancestor) -> derivesFrom(policyTypes, type, ancestor),
                templates.stream().map(t -> new ScalingPolicies.VduBounds(t.id(), t.role(), t.min(), t.max()))
                        .toList());
        List<Vdu> vdus = templates.stream()
                .map(t -> new Vdu(t.id(), t.name(), t.role(), t.vcpus(), t.memoryMb(), t.min(), t.max(),
                        sizing.initialInstances().get(t.id()), sizing.initialDeltas().get(t.id())))
                .toList();
        Object flavourDescription = property(vnf, "flavour_description");
        return new Vnfd(version, string(vnfName, vnf, "descriptor_id"), vnfType,
                metadata(vnfName, vnf, CONFIG_SCHEMA), string(vnfName, vnf, "provider"),
                string(vnfName, vnf, "product_name"), string(vnfName, vnf, "software_version"),
                string(vnfName, vnf, "descriptor_version"), vnfmInfo(vnfName, vnf), string(vnfName, vnf, "flavour_id"),
                flavourDescription == null ? "" : string(vnfName, vnf, "flavour_description"), vdus,
                sizing.defaultLevel(), sizing.aspects(), sizing.levels(), List.copyOf(extCps));
    }

    // ---- types -------------------------------------------------------------------------------------------------

    /** Node and policy types of a file and of the files it imports that are in the package, first definition wins. */
    private void collectTypes(String file, Map<String, Object> document, Set<String> visited, int depth) {
        putAll(file, document, "node_types", nodeTypes);
        putAll(file, document, "policy_types", policyTypes);
        List<?> imports = ToscaYaml.list(file, document, "imports", "");
        if (imports == null || depth >= MAX_IMPORT_DEPTH) {
            return;
        }
        for (Object entry : imports) {
            String imported = importedFile(entry);
            if (imported == null || imported.contains("://")) {
                continue;
            }
            String resolved = resolve(file, imported);
            if (resolved == null || !files.containsKey(resolved) || !visited.add(resolved)) {
                continue;
            }
            collectTypes(resolved, ToscaYaml.load(resolved, files.get(resolved)), visited, depth + 1);
        }
    }

    private static void putAll(String file, Map<String, Object> document, String key,
            Map<String, Map<String, Object>> into) {
        Map<String, Object> definitions = ToscaYaml.map(file, document, key, "");
        if (definitions == null) {
            return;
        }
        definitions.forEach((name, definition) -> {
            if (definition instanceof Map<?, ?> map) {
                into.putIfAbsent(name, ToscaYaml.stringKeys(file, map));
            }
        });
    }

    /** The file of an import: "x.yaml", {file: x.yaml} (TOSCA 1.2+) or {name: x.yaml | {file: x.yaml}} (1.0). */
    static String importedFile(Object entry) {
        if (entry instanceof String s) {
            return s;
        }
        if (entry instanceof Map<?, ?> map) {
            if (map.get("file") instanceof String s) {
                return s;
            }
            if (map.size() == 1) {
                return importedFile(map.values().iterator().next());
            }
        }
        return null;
    }

    /** Path of an import relative to the importing file, normalised; null when it would leave the archive. */
    static String resolve(String from, String relative) {
        List<String> segments = new ArrayList<>();
        int slash = from.lastIndexOf('/');
        if (slash >= 0 && !relative.startsWith("/")) {
            segments.addAll(List.of(from.substring(0, slash).split("/")));
        }
        for (String segment : relative.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    return null;
                }
                segments.removeLast();
            } else {
                segments.add(segment);
            }
        }
        return segments.isEmpty() ? null : String.join("/", segments);
    }

    private static boolean derivesFrom(Map<String, Map<String, Object>> types, String type, String ancestor) {
        Set<String> seen = new HashSet<>();
        String current = type;
        while (current != null && seen.add(current)) {
            if (current.equals(ancestor)) {
                return true;
            }
            Map<String, Object> definition = types.get(current);
            current = definition != null && definition.get("derived_from") instanceof String parent ? parent : null;
        }
        return false;
    }

    /** The template's value of a property, else the default of its type or of the nearest ancestor type. */
    private Object property(Map<String, Object> template, String name) {
        if (template.get("properties") instanceof Map<?, ?> properties && properties.get(name) != null) {
            return properties.get(name);
        }
        Set<String> seen = new HashSet<>();
        String type = (String) template.get("type");
        while (type != null && seen.add(type)) {
            Map<String, Object> definition = nodeTypes.get(type);
            if (definition == null) {
                return null;
            }
            if (definition.get("properties") instanceof Map<?, ?> properties
                    && properties.get(name) instanceof Map<?, ?> declaration && declaration.get("default") != null) {
                return declaration.get("default");
            }
            type = definition.get("derived_from") instanceof String parent ? parent : null;
        }
        return null;
    }

    // ---- VNF ---------------------------------------------------------------------------------------------------

    private String string(String templateName, Map<String, Object> template, String property) {
        Object value = property(template, property);
        String text = scalar(value);
        if (text == null || text.isBlank()) {
            throw invalid("node template " + templateName + " property " + property + " is not a non-empty string");
        }
        return text;
    }

    private List<String> vnfmInfo(String templateName, Map<String, Object> template) {
        if (!(property(template, "vnfm_info") instanceof List<?> list) || list.isEmpty()) {
            throw invalid("node template " + templateName + " property vnfm_info is not a non-empty list");
        }
        List<String> vnfmInfo = new ArrayList<>();
        for (Object entry : list) {
            String text = scalar(entry);
            if (text == null || text.isBlank()) {
                throw invalid("node template " + templateName + " property vnfm_info holds a non-string entry");
            }
            vnfmInfo.add(text);
        }
        return List.copyOf(vnfmInfo);
    }

    /** A node template's {@code metadata} entry (TOSCA 1.2+: a map of strings), or null. */
    private String metadata(String templateName, Map<String, Object> template, String key) {
        Map<String, Object> metadata = ToscaYaml.map(path, template, "metadata", "node template " + templateName + " ");
        String value = metadata == null ? null : scalar(metadata.get(key));
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Strings as they are; integers and booleans as written (YAML read them as such); anything else null. */
    private static String scalar(Object value) {
        return switch (value) {
            case String s -> s;
            case Integer i -> i.toString();
            case Long l -> l.toString();
            case BigInteger b -> b.toString();
            case Boolean b -> b.toString();
            case null, default -> null;
        };
    }

    // ---- VDUs --------------------------------------------------------------------------------------------------

    /** A Vdu.Compute before the policies size it. */
    private record VduTemplate(String id, String name, VduRole role, int vcpus, int memoryMb, int min, int max) {
    }

    private VduTemplate vdu(String id, Map<String, Object> template) {
        String name = string(id, template, "name");
        String declaredRole = metadata(id, template, VDU_ROLE);
        VduRole role = VduRole.ofWireName(declaredRole).orElseThrow(() -> invalid("Vdu.Compute " + id
                + " declares no role: metadata " + VDU_ROLE + " is " + declaredRole + ", not one of "
                + Arrays.stream(VduRole.values()).map(VduRole::wireName).toList()));
        if (!(property(template, "vdu_profile") instanceof Map<?, ?> profile)) {
            throw invalid("Vdu.Compute " + id + " has no vdu_profile");
        }
        int min = count(id, "vdu_profile.min_number_of_instances", profile.get("min_number_of_instances"));
        int max = count(id, "vdu_profile.max_number_of_instances", profile.get("max_number_of_instances"));
        if (min > max) {
            throw invalid(
                    "Vdu.Compute " + id + " has min_number_of_instances " + min + " above max_number_of_instances "
                            + max);
        }
        Map<String, Object> compute = virtualCompute(id, template);
        if (!(compute.get("virtual_cpu") instanceof Map<?, ?> cpu)) {
            throw invalid("Vdu.Compute " + id + " has no virtual_compute virtual_cpu");
        }
        int vcpus = count(id, "virtual_cpu.num_virtual_cpu", cpu.get("num_virtual_cpu"));
        if (vcpus == 0) {
            throw invalid("Vdu.Compute " + id + " has virtual_cpu.num_virtual_cpu 0");
        }
        if (!(compute.get("virtual_memory") instanceof Map<?, ?> memory)) {
            throw invalid("Vdu.Compute " + id + " has no virtual_compute virtual_memory");
        }
        int memoryMb = mebibytes(id, memory.get("virtual_mem_size"));
        return new VduTemplate(id, name, role, vcpus, memoryMb, min, max);
    }

    /** capabilities.virtual_compute.properties of a Vdu.Compute template. */
    private Map<String, Object> virtualCompute(String id, Map<String, Object> template) {
        Map<String, Object> capabilities = ToscaYaml.map(path, template, "capabilities", "Vdu.Compute " + id + " ");
        Map<String, Object> compute = capabilities == null
                ? null
                : ToscaYaml.map(path, capabilities, "virtual_compute", "Vdu.Compute " + id + " capability ");
        Map<String, Object> properties = compute == null
                ? null
                : ToscaYaml.map(path, compute, "properties", "Vdu.Compute " + id + " virtual_compute ");
        if (properties == null) {
            throw invalid("Vdu.Compute " + id + " has no capabilities.virtual_compute.properties");
        }
        return properties;
    }

    private int count(String id, String what, Object value) {
        if (!(value instanceof Integer n) || n < 0) {
            throw invalid("Vdu.Compute " + id + " " + what + " is not a non-negative integer");
        }
        return n;
    }

    private int mebibytes(String id, Object value) {
        Matcher m = value instanceof String s ? SCALAR_SIZE.matcher(s) : null;
        BigDecimal perUnit = m != null && m.matches() ? MIB_PER_UNIT.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
        if (perUnit == null) {
            throw invalid("Vdu.Compute " + id + " virtual_memory.virtual_mem_size '" + value
                    + "' is not a TOSCA scalar-unit.size such as '512 MB'");
        }
        BigDecimal mib = new BigDecimal(m.group(1)).multiply(perUnit).setScale(0, RoundingMode.CEILING);
        if (mib.signum() <= 0 || mib.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw invalid("Vdu.Compute " + id + " virtual_memory.virtual_mem_size " + value + " is out of range");
        }
        return mib.intValueExact();
    }

    /** topology_template.policies, a list of single-entry maps (TOSCA 1.1+) or a map, as name to definition. */
    private Map<String, Map<String, Object>> policies(Map<String, Object> topology) {
        Map<String, Map<String, Object>> policies = new LinkedHashMap<>();
        Object declared = topology.get("policies");
        List<Map.Entry<?, ?>> entries = new ArrayList<>();
        if (declared instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> map) || map.size() != 1) {
                    throw invalid("topology_template.policies holds an entry that is not a single named policy");
                }
                entries.add(map.entrySet().iterator().next());
            }
        } else if (declared instanceof Map<?, ?> map) {
            entries.addAll(map.entrySet());
        } else if (declared != null) {
            throw invalid("topology_template.policies is neither a list nor a mapping");
        }
        for (Map.Entry<?, ?> entry : entries) {
            if (!(entry.getKey() instanceof String name) || !(entry.getValue() instanceof Map<?, ?> definition)) {
                throw invalid("topology_template.policies holds a policy that is not a named mapping");
            }
            if (policies.put(name, ToscaYaml.stringKeys(path, definition)) != null) {
                throw invalid("topology_template.policies defines " + name + " twice");
            }
        }
        return policies;
    }

    private InvalidPackageException invalid(String detail) {
        return new InvalidPackageException(INVALID_VNFD, path, path + " " + detail);
    }
}
