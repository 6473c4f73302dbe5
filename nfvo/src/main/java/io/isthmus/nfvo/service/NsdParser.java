package io.isthmus.nfvo.service;

import java.util.LinkedHashMap;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a SOL001 NSD: the {@code tosca.nodes.nfv.NS} node gives the NSD's identity, and every other node template
 * with a {@code descriptor_id} property is a VNF profile (node name) referring to a VNFD.
 */
public final class NsdParser {

    public record Nsd(String nsdId, String name, String version, String designer, String invariantId,
            Map<String, String> vnfProfiles) {
    }

    private NsdParser() {
    }

    public static Nsd parse(String yaml) {
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(10);
            root = new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (YAMLException e) {
            throw new InvalidPackageContentException("The NSD is not valid YAML: " + e.getMessage());
        }
        Map<?, ?> templates = map(map(map(root, "NSD").get("topology_template"), "topology_template")
                .get("node_templates"), "node_templates");
        Map<?, ?> ns = null;
        Map<String, String> profiles = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : templates.entrySet()) {
            Map<?, ?> node = map(e.getValue(), "node " + e.getKey());
            Map<?, ?> props = node.get("properties") instanceof Map<?, ?> p ? p : Map.of();
            if ("tosca.nodes.nfv.NS".equals(node.get("type"))) {
                ns = props;
            } else if (props.get("descriptor_id") != null) {
                profiles.put(String.valueOf(e.getKey()), String.valueOf(props.get("descriptor_id")));
            }
        }
        if (ns == null) {
            throw new InvalidPackageContentException("The NSD has no tosca.nodes.nfv.NS node template");
        }
        if (ns.get("descriptor_id") == null) {
            throw new InvalidPackageContentException("The NS node has no descriptor_id");
        }
        if (profiles.isEmpty()) {
            throw new InvalidPackageContentException("The NSD refers to no VNF (no node with a descriptor_id)");
        }
        return new Nsd(str(ns, "descriptor_id"), str(ns, "name"), str(ns, "version"), str(ns, "designer"),
                str(ns, "invariant_id"), profiles);
    }

    private static String str(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : String.valueOf(v);
    }

    private static Map<?, ?> map(Object o, String what) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new InvalidPackageContentException("The NSD lacks " + what + " (or it is not a map)");
    }
}
