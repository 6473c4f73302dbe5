package io.isthmus.nfvo.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The service-chain constructs of a SOL001 NSD, checked at upload ({@link NsdParser}): virtual links between VNF
 * profiles ({@code tosca.nodes.nfv.NsVirtualLink}), network forwarding paths ({@code tosca.nodes.nfv.NFP} →
 * {@code NfpPosition} → {@code NfpPositionElement} → a VNF profile or a SAP) and VNF forwarding graphs
 * ({@code tosca.groups.nfv.VNFFG}). Every problem is an {@link InvalidPackageContentException} (422) naming it.
 */
final class NsdChains {

    private NsdChains() {
    }

    /**
     * Each virtual link joins connection points of at least two VNF profiles (else it dangles), and the links between
     * the profiles form no cycle (a chain, or a tree of chains: a packet could otherwise go round).
     */
    static void checkLinks(List<String> links, Map<String, Map<String, String>> attachments) {
        Map<String, Set<String>> joined = new LinkedHashMap<>();
        links.forEach(link -> joined.put(link, new LinkedHashSet<>()));
        attachments.forEach((profile, attached) -> attached.values().forEach(target -> {
            if (joined.containsKey(target)) {
                joined.get(target).add(profile);
            }
        }));
        Map<String, String> parent = new HashMap<>();
        for (Map.Entry<String, Set<String>> link : joined.entrySet()) {
            if (link.getValue().size() < 2) {
                throw new InvalidPackageContentException("Virtual link " + link.getKey() + " is dangling: it joins "
                        + (link.getValue().isEmpty() ? "no VNF profile" : "only VNF profile " + link.getValue())
                        + "; a link joins the connection points of two VNF profiles or more");
            }
            String first = null;
            for (String profile : link.getValue()) {
                if (first == null) {
                    first = profile;
                    continue;
                }
                String a = root(parent, first);
                String b = root(parent, profile);
                if (a.equals(b)) {
                    throw new InvalidPackageContentException("The virtual links form a cycle: " + link.getKey()
                            + " joins VNF profiles " + first + " and " + profile + ", which other links join already");
                }
                parent.put(a, b);
            }
        }
    }

    private static String root(Map<String, String> parent, String node) {
        String at = node;
        while (parent.containsKey(at)) {
            at = parent.get(at);
        }
        return at;
    }

    /**
     * The network forwarding paths: NFP name → its elements in order. Each position names an existing element, each
     * element a VNF profile or a SAP; a path has two elements or more, none twice, and each element is joined to the one
     * before it: two VNF profiles by a virtual link both attach to, a VNF profile and a SAP by an attachment.
     */
    static Map<String, List<String>> paths(Map<String, Map<?, ?>> nodes, Collection<String> profiles,
            List<String> saps, Map<String, Map<String, String>> attachments) {
        Map<String, List<String>> paths = new LinkedHashMap<>();
        nodes.forEach((name, node) -> {
            if (!NsdParser.NFP.equals(node.get("type"))) {
                return;
            }
            List<String> elements = new ArrayList<>();
            for (String position : targets(name, node, "nfp_position")) {
                Map<?, ?> positionNode = typed(nodes, position, NsdParser.NFP_POSITION, "NFP " + name);
                List<String> positionElements = targets(position, positionNode, "element");
                if (positionElements.size() != 1) {
                    throw new InvalidPackageContentException(
                            "NfpPosition " + position + " names " + positionElements.size() + " elements, not one");
                }
                String element = positionElements.get(0);
                Map<?, ?> elementNode = typed(nodes, element, NsdParser.NFP_POSITION_ELEMENT,
                        "NfpPosition " + position);
                List<String> profileElements = targets(element, elementNode, "profile_element");
                if (profileElements.size() != 1) {
                    throw new InvalidPackageContentException("NfpPositionElement " + element + " names "
                            + profileElements.size() + " profile elements, not one");
                }
                String target = profileElements.get(0);
                if (!profiles.contains(target) && !saps.contains(target)) {
                    throw new InvalidPackageContentException("NfpPositionElement " + element + " names " + target
                            + ", which is no VNF profile or SAP of the NSD");
                }
                if (elements.contains(target)) {
                    throw new InvalidPackageContentException(
                            "NFP " + name + " visits " + target + " twice: a forwarding path has no cycle");
                }
                elements.add(target);
            }
            if (elements.size() < 2) {
                throw new InvalidPackageContentException("NFP " + name + " has " + elements.size()
                        + " elements: a forwarding path goes from one element to another");
            }
            for (int i = 1; i < elements.size(); i++) {
                String from = elements.get(i - 1);
                String to = elements.get(i);
                if (!joined(from, to, saps, attachments)) {
                    throw new InvalidPackageContentException("NFP " + name + " goes from " + from + " to " + to
                            + ", which nothing joins (a virtual link both attach to, or an attachment to the SAP)");
                }
            }
            paths.put(name, List.copyOf(elements));
        });
        return paths;
    }

    private static boolean joined(String a, String b, List<String> saps, Map<String, Map<String, String>> attachments) {
        if (saps.contains(a) && saps.contains(b)) {
            return false;
        }
        if (saps.contains(a) || saps.contains(b)) {
            String sap = saps.contains(a) ? a : b;
            String profile = sap.equals(a) ? b : a;
            return attachments.getOrDefault(profile, Map.of()).containsValue(sap);
        }
        Collection<String> linksOfA = attachments.getOrDefault(a, Map.of()).values();
        return attachments.getOrDefault(b, Map.of()).values().stream().anyMatch(linksOfA::contains);
    }

    /** Every member of a {@code tosca.groups.nfv.VNFFG} group is a node template of the NSD. */
    static void checkGroups(Object topology, Set<?> nodeNames) {
        Object groups = topology instanceof Map<?, ?> t ? t.get("groups") : null;
        if (groups == null) {
            return;
        }
        if (!(groups instanceof Map<?, ?> byName)) {
            throw new InvalidPackageContentException("The NSD's groups are not a map");
        }
        byName.forEach((name, group) -> {
            if (!(group instanceof Map<?, ?> g) || !NsdParser.VNFFG.equals(g.get("type"))) {
                return;
            }
            if (!(g.get("members") instanceof List<?> members) || members.isEmpty()) {
                throw new InvalidPackageContentException("VNFFG " + name + " has no members");
            }
            for (Object member : members) {
                if (!nodeNames.contains(member)) {
                    throw new InvalidPackageContentException(
                            "VNFFG " + name + " has member " + member + ", which is no node template of the NSD");
                }
            }
        });
    }

    /** The nodes a node's requirements named {@code requirement} point to ({@code {r: node}} or {@code {r: {node: n}}}). */
    private static List<String> targets(String name, Map<?, ?> node, String requirement) {
        List<String> targets = new ArrayList<>();
        if (!(node.get("requirements") instanceof List<?> list)) {
            return targets;
        }
        for (Object item : list) {
            if (item instanceof Map<?, ?> one && one.size() == 1
                    && requirement.equals(one.keySet().iterator().next())) {
                Object value = one.values().iterator().next();
                Object target = value instanceof Map<?, ?> m ? m.get("node") : value;
                if (!(target instanceof String t)) {
                    throw new InvalidPackageContentException(
                            "Node " + name + ": requirement " + requirement + " names no node");
                }
                targets.add(t);
            }
        }
        return targets;
    }

    private static Map<?, ?> typed(Map<String, Map<?, ?>> nodes, String name, String type, String namedBy) {
        Map<?, ?> node = nodes.get(name);
        if (node == null || !type.equals(node.get("type"))) {
            throw new InvalidPackageContentException(namedBy + " names " + name + ", which is no " + type
                    + " node of the NSD");
        }
        return node;
    }
}
