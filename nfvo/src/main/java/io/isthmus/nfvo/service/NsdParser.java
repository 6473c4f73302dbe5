package io.isthmus.nfvo.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a SOL001 NSD: the {@code tosca.nodes.nfv.NS} node gives the NSD's identity, every other node template with a
 * {@code descriptor_id} property is a VNF profile (node name) referring to a VNFD, and the {@code tosca.nodes.nfv.Sap}
 * nodes are the NS's endpoints. A VNF profile attaches its VNFD's external connection points with requirements named
 * after them: {@code requirements: [ {inside: vpc}, {outside: internet} ]} attaches CP {@code inside} to the SAP
 * {@code vpc} (docs/contracts.md, "Next hops"), or to a {@code tosca.nodes.nfv.NsVirtualLink} node that joins it to
 * another VNF's connection point (a link of a service chain). Network forwarding paths ({@code tosca.nodes.nfv.NFP},
 * its {@code nfp_position} requirements naming {@code tosca.nodes.nfv.NfpPosition} nodes, each of whose
 * {@code element} names a {@code tosca.nodes.nfv.NfpPositionElement} whose {@code profile_element} is a VNF profile or
 * a SAP) and {@code tosca.groups.nfv.VNFFG} groups are read and checked: a link joins at least two VNF profiles, the
 * links form no cycle, a path names known elements, none twice, each next one joined to the one before by a link (or,
 * for a SAP, an attachment) (docs/contracts.md, "Service chains in the NSD").
 */
public final class NsdParser {

    static final String SAP = "tosca.nodes.nfv.Sap";
    static final String VIRTUAL_LINK = "tosca.nodes.nfv.NsVirtualLink";
    static final String NFP = "tosca.nodes.nfv.NFP";
    static final String NFP_POSITION = "tosca.nodes.nfv.NfpPosition";
    static final String NFP_POSITION_ELEMENT = "tosca.nodes.nfv.NfpPositionElement";
    static final String VNFFG = "tosca.groups.nfv.VNFFG";

    /**
     * @param vnfProfiles VNF profile id → VNFD id, in NSD order
     * @param saps the SAP node names
     * @param attachments VNF profile id → (external CP name → the node it is attached to)
     * @param nsScalingAspects the ids of the NS scaling aspects ({@code tosca.policies.nfv.NsScalingAspects})
     * @param levelMappings the {@code tosca.policies.nfv.VnfToLevelMapping} policies
     * @param virtualLinks the {@code tosca.nodes.nfv.NsVirtualLink} node names
     * @param forwardingPaths NFP node name → its elements (VNF profiles and SAPs), in order
     */
    public record Nsd(String nsdId, String name, String version, String designer, String invariantId,
            Map<String, String> vnfProfiles, List<String> saps, Map<String, Map<String, String>> attachments,
            List<String> nsScalingAspects, List<VnfToLevelMapping> levelMappings, List<String> virtualLinks,
            Map<String, List<String>> forwardingPaths) {

        /** Whether a connection point of some VNF profile is attached to a virtual link (a chain between VNFs). */
        public boolean chainsVnfs() {
            return attachments.values().stream().anyMatch(a -> a.values().stream().anyMatch(virtualLinks::contains));
        }

        /** The connection points attached to virtual link {@code link}, in NSD order. */
        public List<LinkEnd> linkEnds(String link) {
            List<LinkEnd> ends = new ArrayList<>();
            attachments.forEach((profile, attached) -> attached.forEach((cp, target) -> {
                if (target.equals(link)) {
                    ends.add(new LinkEnd(profile, cp));
                }
            }));
            return ends;
        }
    }

    /** A VNF profile's connection point attached to a virtual link. */
    public record LinkEnd(String vnfProfileId, String cp) {
    }

    /**
     * What NS scale level of {@code aspect} means for the VNF profiles {@code targets}: NS scale level id → (VNF scaling
     * aspect → VNF scale level), from {@code properties: {aspect: capacity, vnf_scale_levels: {small: {fastpath: 0},
     * large: {fastpath: 2}}}}.
     */
    public record VnfToLevelMapping(String aspect, List<String> targets, Map<String, Map<String, Integer>> levels) {
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
        List<String> saps = new ArrayList<>();
        Map<String, Map<String, String>> attachments = new LinkedHashMap<>();
        List<String> links = new ArrayList<>();
        Map<String, Map<?, ?>> pathNodes = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : templates.entrySet()) {
            Map<?, ?> node = map(e.getValue(), "node " + e.getKey());
            Map<?, ?> props = node.get("properties") instanceof Map<?, ?> p ? p : Map.of();
            Object type = node.get("type");
            if ("tosca.nodes.nfv.NS".equals(type)) {
                ns = props;
            } else if (SAP.equals(type)) {
                saps.add(String.valueOf(e.getKey()));
            } else if (VIRTUAL_LINK.equals(type)) {
                links.add(String.valueOf(e.getKey()));
            } else if (NFP.equals(type) || NFP_POSITION.equals(type) || NFP_POSITION_ELEMENT.equals(type)) {
                pathNodes.put(String.valueOf(e.getKey()), node);
            } else if (props.get("descriptor_id") != null) {
                profiles.put(String.valueOf(e.getKey()), String.valueOf(props.get("descriptor_id")));
                attachments.put(String.valueOf(e.getKey()), requirements(String.valueOf(e.getKey()), node));
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
        for (Map.Entry<String, Map<String, String>> profile : attachments.entrySet()) {
            profile.getValue().forEach((cp, target) -> {
                if (!saps.contains(target) && !links.contains(target)) {
                    throw new InvalidPackageContentException("VNF profile " + profile.getKey() + " attaches " + cp
                            + " to " + target + ", which is no " + SAP + " or " + VIRTUAL_LINK + " node of the NSD");
                }
            });
        }
        NsdChains.checkLinks(links, attachments);
        Map<String, List<String>> paths = NsdChains.paths(pathNodes, profiles.keySet(), saps, attachments);
        NsdChains.checkGroups(map(root, "NSD").get("topology_template"), templates.keySet());
        List<String> aspects = new ArrayList<>();
        List<VnfToLevelMapping> mappings = new ArrayList<>();
        policies(map(root, "NSD").get("topology_template"), profiles, aspects, mappings);
        return new Nsd(str(ns, "descriptor_id"), str(ns, "name"), str(ns, "version"), str(ns, "designer"),
                str(ns, "invariant_id"), profiles, List.copyOf(saps), attachments, List.copyOf(aspects),
                List.copyOf(mappings), List.copyOf(links), paths);
    }

    /** The NS scaling aspects and the VNF-to-level mappings of {@code topology_template.policies}. */
    private static void policies(Object topology, Map<String, String> profiles, List<String> aspects,
            List<VnfToLevelMapping> mappings) {
        Object declared = topology instanceof Map<?, ?> t ? t.get("policies") : null;
        if (declared == null) {
            return;
        }
        if (!(declared instanceof List<?> list)) {
            throw new InvalidPackageContentException("The NSD's policies are not a list");
        }
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> one) || one.size() != 1) {
                throw new InvalidPackageContentException("Each policy of the NSD is one named policy");
            }
            String name = String.valueOf(one.keySet().iterator().next());
            Map<?, ?> policy = map(one.values().iterator().next(), "policy " + name);
            Map<?, ?> props = policy.get("properties") instanceof Map<?, ?> p ? p : Map.of();
            if ("tosca.policies.nfv.NsScalingAspects".equals(policy.get("type"))) {
                if (props.get("aspects") instanceof Map<?, ?> a) {
                    a.keySet().forEach(k -> aspects.add(String.valueOf(k)));
                }
            } else if ("tosca.policies.nfv.VnfToLevelMapping".equals(policy.get("type"))) {
                List<String> targets = new ArrayList<>();
                if (policy.get("targets") instanceof List<?> ts) {
                    ts.forEach(x -> targets.add(String.valueOf(x)));
                }
                for (String target : targets) {
                    if (!profiles.containsKey(target)) {
                        throw new InvalidPackageContentException(
                                "Policy " + name + " targets " + target + ", which is no VNF profile of the NSD");
                    }
                }
                Map<String, Map<String, Integer>> levels = new LinkedHashMap<>();
                if (props.get("vnf_scale_levels") instanceof Map<?, ?> ls) {
                    for (Map.Entry<?, ?> level : ls.entrySet()) {
                        Map<String, Integer> vnfLevels = new LinkedHashMap<>();
                        map(level.getValue(), "policy " + name + " level " + level.getKey())
                                .forEach((aspect, value) -> {
                                    if (!(value instanceof Integer n) || n < 0) {
                                        throw new InvalidPackageContentException("Policy " + name
                                                + ": a VNF scale level is an integer of 0 or more");
                                    }
                                    vnfLevels.put(String.valueOf(aspect), n);
                                });
                        levels.put(String.valueOf(level.getKey()), vnfLevels);
                    }
                }
                mappings.add(new VnfToLevelMapping(str(props, "aspect"), List.copyOf(targets), levels));
            }
        }
        for (VnfToLevelMapping m : mappings) {
            if (!aspects.contains(m.aspect())) {
                throw new InvalidPackageContentException(
                        "A VnfToLevelMapping maps NS scaling aspect " + m.aspect()
                                + ", which the NSD does not declare");
            }
        }
    }

    /** A VNF profile's {@code requirements}: a list of single-entry maps, connection point → node name. */
    private static Map<String, String> requirements(String profile, Map<?, ?> node) {
        Map<String, String> attached = new LinkedHashMap<>();
        Object declared = node.get("requirements");
        if (declared == null) {
            return attached;
        }
        if (!(declared instanceof List<?> list)) {
            throw new InvalidPackageContentException("VNF profile " + profile + ": requirements is not a list");
        }
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> one) || one.size() != 1
                    || !(one.values().iterator().next() instanceof String target)) {
                throw new InvalidPackageContentException("VNF profile " + profile
                        + ": each requirement attaches one connection point to one node, as {inside: vpc}");
            }
            String cp = String.valueOf(one.keySet().iterator().next());
            if (attached.put(cp, target) != null) {
                throw new InvalidPackageContentException("VNF profile " + profile + " attaches " + cp + " twice");
            }
        }
        return attached;
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
