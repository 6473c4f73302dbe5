package io.isthmus.vnf.cen;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.Ipv4Addresses;
import io.isthmus.slowpath.policy.ConfigFields;
import io.isthmus.slowpath.policy.Egress;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.TableRoute;

/**
 * The CEN's configuration, the body of {@code PUT /config} (Definitions/isthmus_cen_config.schema.json says the same to
 * the VNFM; docs/cen.md field by field): the tenant's attachments and its route tables.
 *
 * <pre>
 * {"routerAddress":"169.254.0.1",
 *  "attachment1NextHop":"198.51.100.2:4789","attachment2NextHop":"198.51.100.6:4789",
 *  "attachments":[
 *    {"name":"vpcA","kind":"vpc","vni":100,"connectionPoint":"attachment1","cidrs":["10.0.0.0/24"]},
 *    {"name":"vpcB","kind":"vpc","vni":300,"connectionPoint":"attachment2","cidrs":["10.1.0.0/24"]}],
 *  "routeTables":[{"name":"main","associations":["vpcA","vpcB"],"propagations":["vpcA","vpcB"],
 *    "staticRoutes":[{"prefix":"10.9.0.0/16","blackhole":true}]}]}
 * </pre>
 *
 * Tenants never type underlay addresses: an attachment names the VNF's external connection point it is reached by
 * ({@code connectionPoint}, {@code attachment1} … {@code attachment8}), and the NFVO fills that point's next hop (the
 * VXLAN endpoint of the vSwitch or VTEP behind it) into the top-level key {@code <connectionPoint>NextHop}, as the VNFD's
 * {@code isthmus.next_hop} says. Several attachments may share a connection point (one vSwitch, several VNIs).
 * <p>
 * {@link #from} checks everything and names every problem at once; unknown top-level fields are ignored, unknown fields
 * inside attachments, BGP settings, route tables and static routes are refused (a misspelt {@code propagations} would
 * otherwise route nothing).
 *
 * @param routerAddress the CEN's own address: the source of its ICMP errors, its BGP identifier and next hop
 * @param icmpErrorsPerSecond the most ICMP errors (unreachable, time exceeded) the CEN sends per second; 0: none
 * @param attachments by name, in the order given
 * @param routeTables by name, in the order given
 */
public record CenConfig(int routerAddress, int icmpErrorsPerSecond, List<Attachment> attachments,
        List<RouteTable> routeTables) {

    public static final int MAX_ATTACHMENTS = 256;
    public static final int MAX_ROUTE_TABLES = 64;
    public static final int MAX_CIDRS = 64;
    public static final int MAX_STATIC_ROUTES = 1024;
    public static final int MAX_METRIC = 65_535;
    public static final int DEFAULT_ICMP_ERRORS_PER_SECOND = 100;
    public static final int MAX_ICMP_ERRORS_PER_SECOND = 10_000;
    public static final int DEFAULT_HOLD_TIME = 90;
    public static final int DEFAULT_BGP_PORT = 179;
    public static final long MAX_AS = 0xFFFF_FFFFL;
    /** The VNF's external connection points (the VNFD's VnfExtCps), each filling {@code <name>NextHop}. */
    public static final List<String> CONNECTION_POINTS = List.of("attachment1", "attachment2", "attachment3",
            "attachment4", "attachment5", "attachment6", "attachment7", "attachment8");
    /** The suffix of the top-level key holding a connection point's next hop. */
    public static final String NEXT_HOP_SUFFIX = "NextHop";

    static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$");
    private static final Pattern ENDPOINT = Pattern.compile("^[0-9.]{7,15}:[0-9]{1,5}$");
    private static final int MAX_VNI = 0xFF_FFFF;
    private static final Set<String> ATTACHMENT_FIELDS = Set.of("name", "kind", "vni", "connectionPoint", "cidrs",
            "bgp");
    private static final Set<String> BGP_FIELDS = Set.of("peerAddress", "peerAs", "localAs", "holdTime", "port",
            "localAddress");
    private static final Set<String> TABLE_FIELDS = Set.of("name", "associations", "propagations", "staticRoutes");
    private static final Set<String> STATIC_ROUTE_FIELDS = Set.of("prefix", "attachments", "blackhole", "metric");

    public CenConfig {
        attachments = List.copyOf(attachments);
        routeTables = List.copyOf(routeTables);
    }

    /** What an attachment is: where its prefixes come from. */
    public enum Kind {
        /** A VPC: its {@code cidrs} are behind it. */
        VPC("vpc"),
        /** A VPN connection (of the VPN gateway VNF): its {@code cidrs}, the offices' prefixes, are behind it. */
        VPN("vpn"),
        /** An external router: its prefixes are learned by BGP. */
        ROUTER("router");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Kind ofWireName(String name) {
            for (Kind kind : values()) {
                if (kind.wireName.equals(name)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /**
     * A network the CEN connects: its packets arrive on {@code vni} and leave by it, to {@code nextHop}.
     *
     * @param name unique among the attachments
     * @param vni the VXLAN network identifier of its packets, both ways; unique among the attachments
     * @param connectionPoint the VNF external connection point it is reached by
     * @param nextHop what is behind the connection point (filled in by the NFVO): a VXLAN endpoint, or the next VNF's
     *        ingress, whose endpoints are all next hops of the attachment's routes (none while it has none)
     * @param cidrs the prefixes behind a VPC or a VPN (propagated into the tables that propagate it); none for a router
     * @param bgp a router's BGP session; null for a VPC or a VPN
     */
    public record Attachment(String name, Kind kind, int vni, String connectionPoint, Egress nextHop,
            List<Ipv4Prefix> cidrs, Bgp bgp) {

        public Attachment {
            cidrs = List.copyOf(cidrs);
        }

        /**
         * The next hops of the routes through it, on its VNI: the one endpoint, or every endpoint of an ingress (the
         * route tables spread flows over them, each flow staying on one); none while the ingress has none.
         */
        public List<TableRoute.NextHop> nextHops() {
            List<TableRoute.NextHop> hops = new ArrayList<>();
            for (InetSocketAddress address : nextHop.addresses()) {
                hops.add(new TableRoute.NextHop(vni, Ipv4Addresses.of(address.getAddress()), address.getPort()));
            }
            return hops;
        }
    }

    /**
     * A router attachment's BGP-4 session (RFC 4271), run by the slowpath over the host's network.
     *
     * @param peerAddress the router's address, where the CEN connects to (TCP {@code port})
     * @param peerAs the router's AS, 1..4294967295 (4-octet AS, RFC 6793)
     * @param localAs the CEN's AS towards this router; equal to {@code peerAs} makes the session iBGP
     * @param holdTime the hold time the CEN offers, seconds: 0 (no keepalives) or 3..65535
     * @param port the router's BGP port
     * @param localAddress the address the CEN's connection comes from, 0 for any
     */
    public record Bgp(int peerAddress, long peerAs, long localAs, int holdTime, int port, int localAddress) {
    }

    /**
     * A route table: routes the packets of the attachments associated with it.
     *
     * @param name unique among the tables; a table keeps its number while its name stays
     * @param associations the attachments whose packets this table routes (each attachment is in one table's)
     * @param propagations the attachments whose prefixes enter this table: a VPC's or VPN's cidrs, a router's
     *        BGP-learned routes
     * @param staticRoutes the table's static routes
     */
    public record RouteTable(String name, List<String> associations, List<String> propagations,
            List<StaticRoute> staticRoutes) {

        public RouteTable {
            associations = List.copyOf(associations);
            propagations = List.copyOf(propagations);
            staticRoutes = List.copyOf(staticRoutes);
        }
    }

    /**
     * A static route: to one attachment, to several (ECMP), or a blackhole (dropped).
     *
     * @param attachments 1..16 attachment names; empty for a blackhole
     * @param metric lower wins among static routes of one prefix (a higher one is a floating backup)
     */
    public record StaticRoute(Ipv4Prefix prefix, List<String> attachments, int metric) {

        public StaticRoute {
            attachments = List.copyOf(attachments);
        }

        public boolean blackhole() {
            return attachments.isEmpty();
        }
    }

    /** The attachment of a name, or null. */
    public Attachment attachment(String name) {
        for (Attachment attachment : attachments) {
            if (attachment.name().equals(name)) {
                return attachment;
            }
        }
        return null;
    }

    /** Reads and validates a configuration, reporting every problem at once. */
    public static CenConfig from(JsonNode json) throws InvalidConfigException {
        if (json == null || !json.isObject()) {
            throw new InvalidConfigException("the configuration must be a JSON object");
        }
        ConfigFields fields = new ConfigFields();
        int routerAddress = fields.unicastAddress(json.get("routerAddress"), "routerAddress");
        int icmpRate = fields.integer(json, "icmpErrorsPerSecond", 0, MAX_ICMP_ERRORS_PER_SECOND,
                DEFAULT_ICMP_ERRORS_PER_SECOND, " (0: no ICMP errors)");
        Map<String, Egress> nextHops = new HashMap<>();
        Set<String> badNextHops = new HashSet<>();
        for (String cp : CONNECTION_POINTS) {
            JsonNode node = json.get(cp + NEXT_HOP_SUFFIX);
            if (node == null) {
                continue;
            }
            Egress nextHop = nextHop(json, cp + NEXT_HOP_SUFFIX, fields);
            if (nextHop != null) {
                nextHops.put(cp, nextHop);
            } else {
                badNextHops.add(cp);
            }
        }
        List<Attachment> attachments = attachments(json, nextHops, badNextHops, fields);
        List<RouteTable> tables = routeTables(json, attachments, fields);
        fields.refuseIfAny();
        return new CenConfig(routerAddress, icmpRate, attachments, tables);
    }

    private static List<Attachment> attachments(JsonNode json, Map<String, Egress> nextHops,
            Set<String> badNextHops, ConfigFields fields) {
        JsonNode node = json.get("attachments");
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_ATTACHMENTS) {
            fields.problem("attachments is required: an array of 1.." + MAX_ATTACHMENTS + " attachments");
            return List.of();
        }
        List<Attachment> attachments = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<Integer, String> vnis = new HashMap<>();
        Map<String, String> peers = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "attachments[" + i + "]";
            JsonNode a = node.get(i);
            if (!a.isObject()) {
                fields.problem(at + " must be an object");
                continue;
            }
            int before = fields.problems().size();
            unknownFields(a, at, ATTACHMENT_FIELDS, fields);
            String name = name(a.get("name"), at + ".name", fields);
            if (name != null && !names.add(name)) {
                fields.problem(at + ".name repeats " + name);
            }
            String label = at + (name == null ? "" : " (" + name + ")");
            Kind kind = null;
            JsonNode kindNode = a.get("kind");
            if (kindNode == null || !kindNode.isTextual() || (kind = Kind.ofWireName(kindNode.asText())) == null) {
                fields.problem(label + ".kind is required: \"vpc\", \"vpn\" or \"router\"");
            }
            int vni = fields.integerAt(a.get("vni"), label + ".vni", 0, MAX_VNI);
            if (vni != ConfigFields.BAD) {
                String other = vnis.putIfAbsent(vni, name == null ? at : name);
                if (other != null) {
                    fields.problem(label + ".vni " + vni + " is the VNI of " + other
                            + " too: each attachment has a VNI of its own");
                }
            }
            Egress nextHop = null;
            JsonNode cpNode = a.get("connectionPoint");
            String cp = cpNode != null && cpNode.isTextual() ? cpNode.asText() : null;
            if (cp == null || !CONNECTION_POINTS.contains(cp)) {
                fields.problem(label + ".connectionPoint is required: one of " + CONNECTION_POINTS
                        + " (the VNF's external connection points)");
            } else if (nextHops.containsKey(cp)) {
                nextHop = nextHops.get(cp);
            } else if (badNextHops.contains(cp)) {
                fields.problem(label + ": connection point " + cp + " has no valid next hop (" + cp + NEXT_HOP_SUFFIX
                        + ")");
            } else {
                fields.problem(label + ": connection point " + cp + " has no next hop: " + cp + NEXT_HOP_SUFFIX
                        + " is missing (the NFVO fills it in when the NSD attaches " + cp + " to an endpoint)");
            }
            List<Ipv4Prefix> cidrs = List.of();
            Bgp bgp = null;
            if (kind == Kind.ROUTER) {
                if (a.has("cidrs")) {
                    fields.problem(label + ".cidrs: a router's prefixes are learned by BGP (give static routes to"
                            + " it instead)");
                }
                bgp = bgp(a.get("bgp"), label + ".bgp", fields);
                if (bgp != null) {
                    String peer = Ipv4Addresses.format(bgp.peerAddress()) + ":" + bgp.port();
                    String other = peers.putIfAbsent(peer, name == null ? at : name);
                    if (other != null) {
                        fields.problem(label + ".bgp.peerAddress " + peer + " is the peer of " + other
                                + " too: one session a peer");
                    }
                }
            } else if (kind != null) {
                if (a.has("bgp")) {
                    fields.problem(label + ".bgp: only a router attachment speaks BGP");
                }
                cidrs = prefixes(a.get("cidrs"), label + ".cidrs", fields);
            }
            if (fields.problems().size() > before) {
                continue;
            }
            attachments.add(new Attachment(name, kind, vni, cp, nextHop, cidrs, bgp));
        }
        return attachments;
    }

    private static Bgp bgp(JsonNode b, String at, ConfigFields fields) {
        if (b == null || !b.isObject()) {
            fields.problem(at + " is required for a router: {peerAddress, peerAs, localAs}");
            return null;
        }
        int before = fields.problems().size();
        unknownFields(b, at, BGP_FIELDS, fields);
        int peer = fields.unicastAddress(b.get("peerAddress"), at + ".peerAddress");
        long peerAs = as(b.get("peerAs"), at + ".peerAs", fields);
        long localAs = as(b.get("localAs"), at + ".localAs", fields);
        int holdTime = DEFAULT_HOLD_TIME;
        JsonNode hold = b.get("holdTime");
        if (hold != null) {
            if (!hold.isIntegralNumber() || !hold.canConvertToInt() || hold.asInt() < 0 || hold.asInt() > 65_535
                    || (hold.asInt() > 0 && hold.asInt() < 3)) {
                fields.problem(at + ".holdTime must be 0 (no keepalives) or 3..65535 seconds, got " + hold);
            } else {
                holdTime = hold.asInt();
            }
        }
        int port = DEFAULT_BGP_PORT;
        JsonNode portNode = b.get("port");
        if (portNode != null) {
            port = fields.integerAt(portNode, at + ".port", 1, 65_535);
        }
        int local = b.has("localAddress") ? fields.unicastAddress(b.get("localAddress"), at + ".localAddress") : 0;
        return fields.problems().size() > before ? null : new Bgp(peer, peerAs, localAs, holdTime, port, local);
    }

    private static long as(JsonNode node, String at, ConfigFields fields) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 1
                || node.asLong() > MAX_AS) {
            fields.problem(at + " is required: an AS number in 1.." + MAX_AS + (node == null ? "" : ", got " + node));
            return 0;
        }
        return node.asLong();
    }

    private static List<RouteTable> routeTables(JsonNode json, List<Attachment> attachments, ConfigFields fields) {
        JsonNode node = json.get("routeTables");
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_ROUTE_TABLES) {
            fields.problem("routeTables is required: an array of 1.." + MAX_ROUTE_TABLES + " route tables");
            return List.of();
        }
        Set<String> known = new HashSet<>();
        JsonNode declared = json.get("attachments");
        if (declared != null && declared.isArray()) {
            // names of attachments refused for other reasons are still known here: one problem each, not two
            declared.forEach(a -> {
                if (a.isObject() && a.get("name") != null && a.get("name").isTextual()) {
                    known.add(a.get("name").asText());
                }
            });
        }
        List<RouteTable> tables = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<String, String> associatedWith = new LinkedHashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "routeTables[" + i + "]";
            JsonNode t = node.get(i);
            if (!t.isObject()) {
                fields.problem(at + " must be an object");
                continue;
            }
            int before = fields.problems().size();
            unknownFields(t, at, TABLE_FIELDS, fields);
            String name = name(t.get("name"), at + ".name", fields);
            if (name != null && !names.add(name)) {
                fields.problem(at + ".name repeats " + name);
            }
            String label = at + (name == null ? "" : " (" + name + ")");
            List<String> associations = names(t.get("associations"), label + ".associations", known, fields);
            for (String a : associations) {
                String other = associatedWith.putIfAbsent(a, name == null ? at : name);
                if (other != null) {
                    fields.problem(label + ".associations: " + a + " is associated with route table " + other
                            + " already: an attachment's packets are routed by one table");
                }
            }
            List<String> propagations = names(t.get("propagations"), label + ".propagations", known, fields);
            List<StaticRoute> routes = staticRoutes(t.get("staticRoutes"), label, known, fields);
            if (fields.problems().size() == before) {
                tables.add(new RouteTable(name, associations, propagations, routes));
            }
        }
        for (Attachment attachment : attachments) {
            if (!associatedWith.containsKey(attachment.name())) {
                fields.problem("attachment " + attachment.name() + " is associated with no route table: add it to"
                        + " the associations of the table that is to route its packets");
            }
        }
        return tables;
    }

    private static List<StaticRoute> staticRoutes(JsonNode node, String table, Set<String> known,
            ConfigFields fields) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_STATIC_ROUTES) {
            fields.problem(table + ".staticRoutes must be an array of 0.." + MAX_STATIC_ROUTES + " routes");
            return List.of();
        }
        List<StaticRoute> routes = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String at = table + ".staticRoutes[" + i + "]";
            JsonNode r = node.get(i);
            if (!r.isObject()) {
                fields.problem(at + " must be an object");
                continue;
            }
            int before = fields.problems().size();
            unknownFields(r, at, STATIC_ROUTE_FIELDS, fields);
            Ipv4Prefix prefix = prefix(r.get("prefix"), at + ".prefix", fields);
            JsonNode blackholeNode = r.get("blackhole");
            boolean blackhole = false;
            if (blackholeNode != null && !blackholeNode.isBoolean()) {
                fields.problem(at + ".blackhole must be true or false");
            } else if (blackholeNode != null) {
                blackhole = blackholeNode.asBoolean();
            }
            List<String> to = List.of();
            if (blackhole && r.has("attachments")) {
                fields.problem(at + ": a blackhole route has no attachments");
            } else if (!blackhole) {
                JsonNode targets = r.get("attachments");
                if (targets == null || !targets.isArray() || targets.isEmpty()
                        || targets.size() > TableRoute.MAX_NEXT_HOPS) {
                    fields.problem(at + ".attachments is required: 1.." + TableRoute.MAX_NEXT_HOPS
                            + " attachment names (several: ECMP), or \"blackhole\": true");
                } else {
                    to = names(targets, at + ".attachments", known, fields);
                }
            }
            int metric = 0;
            JsonNode metricNode = r.get("metric");
            if (metricNode != null) {
                metric = fields.integerAt(metricNode, at + ".metric", 0, MAX_METRIC);
            }
            if (prefix != null && metric >= 0) {
                String key = prefix + " metric " + metric;
                Integer other = seen.putIfAbsent(key, i);
                if (other != null) {
                    fields.problem(at + " repeats " + key + " of staticRoutes[" + other + "]: list several"
                            + " attachments in one route for ECMP, or give the backup a higher metric");
                }
            }
            if (fields.problems().size() == before) {
                routes.add(new StaticRoute(prefix, to, metric));
            }
        }
        return routes;
    }

    /** A list of distinct, known attachment names; absent is empty. */
    private static List<String> names(JsonNode node, String at, Set<String> known, ConfigFields fields) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_ATTACHMENTS) {
            fields.problem(at + " must be an array of attachment names");
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            if (!n.isTextual()) {
                fields.problem(at + "[" + i + "] must be an attachment's name");
            } else if (!known.contains(n.asText())) {
                fields.problem(at + "[" + i + "] names no attachment: " + n.asText());
            } else if (names.contains(n.asText())) {
                fields.problem(at + "[" + i + "] repeats " + n.asText());
            } else {
                names.add(n.asText());
            }
        }
        return names;
    }

    private static List<Ipv4Prefix> prefixes(JsonNode node, String at, ConfigFields fields) {
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_CIDRS) {
            fields.problem(at + " is required: an array of 1.." + MAX_CIDRS + " IPv4 prefixes (a.b.c.d/n)");
            return List.of();
        }
        List<Ipv4Prefix> prefixes = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            Ipv4Prefix prefix = prefix(node.get(i), at + "[" + i + "]", fields);
            if (prefix != null && prefixes.contains(prefix)) {
                fields.problem(at + "[" + i + "] repeats " + prefix);
            } else if (prefix != null) {
                prefixes.add(prefix);
            }
        }
        return prefixes;
    }

    private static Ipv4Prefix prefix(JsonNode node, String at, ConfigFields fields) {
        if (node == null || !node.isTextual()) {
            fields.problem(at + " is required: an IPv4 prefix a.b.c.d/n");
            return null;
        }
        try {
            return Ipv4Prefix.parse(node.asText());
        } catch (IllegalArgumentException e) {
            fields.problem(at + ": " + e.getMessage());
            return null;
        }
    }

    private static String name(JsonNode node, String at, ConfigFields fields) {
        if (node == null || !node.isTextual() || !NAME.matcher(node.asText()).matches()) {
            fields.problem(at + " is required: 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit");
            return null;
        }
        return node.asText();
    }

    /** {@code IPv4:port} with a literal address: the NFVO fills these in, never a name to resolve. */
    /**
     * A connection point's next hop: the VXLAN endpoint {@code IPv4:port} (a unicast address), or the next VNF's
     * ingress ({@link ConfigFields#egress}).
     */
    private static Egress nextHop(JsonNode json, String at, ConfigFields fields) {
        JsonNode node = json.get(at);
        if (node.isObject()) {
            return fields.egress(json, at);
        }
        int[] endpoint = endpoint(node, at, fields);
        return endpoint == null ? null : Egress.of(Ipv4Addresses.socketAddress(endpoint[0], endpoint[1]));
    }

    private static int[] endpoint(JsonNode node, String at, ConfigFields fields) {
        String text = node.isTextual() ? node.asText() : "";
        if (ENDPOINT.matcher(text).matches()) {
            int colon = text.indexOf(':');
            try {
                int address = Ipv4Addresses.parse(text.substring(0, colon));
                int port = Integer.parseInt(text.substring(colon + 1));
                if (port >= 1 && port <= 65_535 && ConfigFields.isUnicast(address)) {
                    return new int[]{address, port};
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        fields.problem(at + " must be the VXLAN endpoint IPv4:port (a unicast address) or an ingress {\"hash\": \""
                + Egress.HASH + "\", \"endpoints\": [...]}, got " + node);
        return null;
    }

    private static void unknownFields(JsonNode object, String at, Set<String> allowed, ConfigFields fields) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!allowed.contains(field)) {
                fields.problem(at + "." + field + " is an unknown field (the fields are "
                        + allowed.stream().sorted().toList() + ")");
            }
        }
    }
}
