package io.isthmus.vnf.slb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.slowpath.policy.ConfigFields;
import io.isthmus.slowpath.policy.Egress;
import io.isthmus.slowpath.policy.InvalidConfigException;

/**
 * The load balancer's configuration, the body of {@code PUT /config} (Definitions/isthmus_slb_config.schema.json says
 * the same to the VNFM; docs/slb.md field by field): the two sides it joins, its own addresses in the backends' VPC,
 * its listeners and their backend groups.
 *
 * @param frontendVni the VXLAN network identifier clients reach the VIPs on
 * @param frontendNextHop where replies to clients go: a VXLAN tunnel endpoint, or the next VNF's ingress (each
 *        connection to the rendezvous pick of its packets as they leave)
 * @param backendVni the VXLAN network identifier of the backends' VPC
 * @param backendNextHop where packets to backends go, the same way
 * @param localAddresses the load balancer's addresses in the backends' VPC: a client's packets reach a backend from
 *        one of them (full NAT), so the backend's replies come back through the load balancer
 * @param listeners by VIP, protocol and port
 * @param groups backend groups by name
 */
public record SlbConfig(int frontendVni, Egress frontendNextHop, int backendVni, Egress backendNextHop,
        List<Integer> localAddresses, List<Listener> listeners,
        Map<String, Group> groups) {

    /** What happens to a connection whose backend failed its health check or left the configuration. */
    public enum OnFailure {
        /** The client's next packet is answered with a TCP RST from the VIP (UDP: the packet goes to another backend). */
        RESET,
        /** The client's packets are dropped until it gives up (UDP: the packet goes to another backend). */
        DROP
    }

    /**
     * A listener: connections to {@code vip}, {@code protocol}, a destination port in {@code port..portEnd} go to a
     * backend of {@code group}.
     *
     * @param persistence whether the backend is chosen by the client's address alone (session persistence by source
     *        address), rather than by the whole connection
     */
    public record Listener(String name, int vip, int protocol, int port, int portEnd, String group, boolean persistence,
            OnFailure onFailure) {

        public boolean takes(int port) {
            return port >= this.port && port <= portEnd;
        }
    }

    /**
     * A backend group: its backends, the size of its Maglev table (a prime) and its health check (null: none, every
     * backend is in service).
     */
    public record Group(String name, int tableSize, List<Backend> backends, Check check) {
    }

    /**
     * A backend: the address and port connections are sent to ({@code port} 0: the port the client connected to), its
     * Maglev weight, where its health is checked, the most connections it takes at once (0: no limit), and whether it
     * is draining (no new connections, established ones go on).
     */
    public record Backend(int address, int port, int weight, int checkAddress, int checkPort, int maxConnections,
            boolean draining) {

        /** The backend's name in its group, {@code address:port}: what its Maglev permutation is hashed from. */
        public String name() {
            return endpoint(address, port);
        }
    }

    /** {@code address:port}, as backends are named and connections written in snapshots. */
    static String endpoint(int address, int port) {
        return Ipv4Addresses.format(address) + ":" + port;
    }

    /** A group's health check: TCP connect, or HTTP GET of {@code path} expecting a status in the range. */
    public record Check(boolean http, String path, String host, int statusMin, int statusMax, Duration interval,
            Duration timeout, int rise, int fall) {
    }

    public static SlbConfig from(JsonNode json) throws InvalidConfigException {
        if (json == null || !json.isObject()) {
            throw new InvalidConfigException("the configuration is a JSON object");
        }
        ConfigFields fields = new ConfigFields();
        int frontendVni = fields.integer(json, "frontendVni", 0, 0xFF_FFFF);
        int backendVni = fields.integer(json, "backendVni", 0, 0xFF_FFFF);
        Egress frontendNextHop = fields.egress(json, "frontendNextHop");
        Egress backendNextHop = fields.egress(json, "backendNextHop");
        List<Integer> locals = new ArrayList<>();
        JsonNode localNodes = json.get("localAddresses");
        if (localNodes == null || !localNodes.isArray() || localNodes.isEmpty() || localNodes.size() > 256) {
            fields.problem("localAddresses is required: 1..256 IPv4 addresses in the backends' VPC");
        } else {
            for (int i = 0; i < localNodes.size(); i++) {
                int address = fields.unicastAddress(localNodes.get(i), "localAddresses[" + i + "]");
                if (address != 0 && locals.contains(address)) {
                    fields.problem("localAddresses[" + i + "] is given twice: " + Ipv4Addresses.format(address));
                } else if (address != 0) {
                    locals.add(address);
                }
            }
        }
        Map<String, Group> groups = groups(json.get("backendGroups"), fields);
        List<Listener> listeners = listeners(json.get("listeners"), groups, fields);
        for (Group group : groups.values()) {
            for (Backend backend : group.backends()) {
                if (backend != null && locals.contains(backend.address())) {
                    fields.problem("backend " + backend.name() + " of group " + group.name()
                            + " is one of the localAddresses");
                }
                if (backend != null && group.check() != null && backend.port() == 0 && backend.checkPort() == 0) {
                    fields.problem("backend " + backend.name() + " of group " + group.name()
                            + " takes the client's port: its healthCheckPort is required");
                }
            }
        }
        for (Listener listener : listeners) {
            if (locals.contains(listener.vip())) {
                fields.problem("listener " + listener.name() + "'s vip is one of the localAddresses");
            }
        }
        fields.refuseIfAny();
        return new SlbConfig(frontendVni, frontendNextHop, backendVni, backendNextHop, List.copyOf(locals),
                List.copyOf(listeners), Map.copyOf(groups));
    }

    private static Map<String, Group> groups(JsonNode nodes, ConfigFields fields) {
        Map<String, Group> groups = new HashMap<>();
        if (nodes == null || !nodes.isArray() || nodes.isEmpty()) {
            fields.problem("backendGroups is required: one or more groups of backends");
            return groups;
        }
        for (int g = 0; g < nodes.size(); g++) {
            JsonNode node = nodes.get(g);
            String at = "backendGroups[" + g + "]";
            String name = name(node, at, fields);
            int tableSize = fields.integer(node, "tableSize", 3, Maglev.MAX_TABLE_SIZE, Maglev.DEFAULT_TABLE_SIZE,
                    " (a prime)");
            if (tableSize != ConfigFields.BAD && !Maglev.isPrime(tableSize)) {
                fields.problem(at + ".tableSize must be a prime, got " + tableSize);
            }
            Check check = check(node.get("healthCheck"), at + ".healthCheck", fields);
            List<Backend> backends = new ArrayList<>();
            JsonNode backendNodes = node.get("backends");
            if (backendNodes == null || !backendNodes.isArray() || backendNodes.size() > 4096) {
                fields.problem(at + ".backends is required: 0..4096 backends");
            } else {
                Set<String> names = new HashSet<>();
                for (int b = 0; b < backendNodes.size(); b++) {
                    Backend backend = backend(backendNodes.get(b), at + ".backends[" + b + "]", fields);
                    if (backend != null && !names.add(backend.name())) {
                        fields.problem(at + ".backends[" + b + "] is given twice: " + backend.name());
                    }
                    backends.add(backend);
                }
            }
            if (name != null && groups.put(name, new Group(name, tableSize, backends, check)) != null) {
                fields.problem(at + ".name is given twice: " + name);
            }
        }
        return groups;
    }

    private static Backend backend(JsonNode node, String at, ConfigFields fields) {
        if (node == null || !node.isObject()) {
            fields.problem(at + " is an object");
            return null;
        }
        int address = fields.unicastAddress(node.get("address"), at + ".address");
        int port = fields.integer(node, "port", 0, 65535, 0, " (0: the port the client connected to)");
        int weight = fields.integer(node, "weight", 0, 65535, 1, "");
        int checkAddress = node.has("healthCheckAddress")
                ? checkAddress(node.get("healthCheckAddress"),
                        at + ".healthCheckAddress", fields)
                : address;
        int checkPort = fields.integer(node, "healthCheckPort", 0, 65535, 0, " (0: the backend's port)");
        int maxConnections = fields.integer(node, "maxConnections", 0, 16_777_216, 0, " (0: no limit)");
        JsonNode drain = node.get("drain");
        if (drain != null && !drain.isBoolean()) {
            fields.problem(at + ".drain must be true or false");
        }
        return new Backend(address, port, weight, checkAddress, checkPort, maxConnections,
                drain != null && drain.asBoolean());
    }

    /**
     * Where a backend is checked: any IPv4 address but 0.0.0.0/8, multicast, class E and broadcast; loopback too (a
     * check answered by a local agent).
     */
    private static int checkAddress(JsonNode node, String at, ConfigFields fields) {
        try {
            int address = Ipv4Addresses.parse(node.asText());
            int first = address >>> 24;
            if (node.isTextual() && first != 0 && first < 224) {
                return address;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        fields.problem(at + " is not a unicast IPv4 address: " + node.asText());
        return 0;
    }

    private static Check check(JsonNode node, String at, ConfigFields fields) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            fields.problem(at + " is an object");
            return null;
        }
        String type = node.path("type").asText("");
        boolean http = type.equals("http");
        if (!http && !type.equals("tcp")) {
            fields.problem(at + ".type must be tcp or http, got " + node.path("type"));
        }
        String path = node.path("path").asText("/");
        if (!path.startsWith("/")) {
            fields.problem(at + ".path must start with /, got " + path);
        }
        String host = node.hasNonNull("host") ? node.get("host").asText() : null;
        int statusMin = 200;
        int statusMax = 399;
        JsonNode status = node.get("expectedStatus");
        if (status != null) {
            String text = status.asText();
            String[] range = text.split("-", 2);
            try {
                statusMin = Integer.parseInt(range[0].trim());
                statusMax = range.length == 2 ? Integer.parseInt(range[1].trim()) : statusMin;
            } catch (NumberFormatException e) {
                statusMin = -1;
            }
            if (statusMin < 100 || statusMax > 599 || statusMin > statusMax) {
                fields.problem(at + ".expectedStatus must be a status (200) or a range (200-399), got " + text);
            }
        }
        int interval = fields.integer(node, "intervalMs", 100, 3_600_000, 2_000, "");
        int timeout = fields.integer(node, "timeoutMs", 10, 3_600_000, 1_000, "");
        if (interval != ConfigFields.BAD && timeout != ConfigFields.BAD && timeout > interval) {
            fields.problem(at + ".timeoutMs must not exceed intervalMs (" + interval + "), got " + timeout);
        }
        int rise = fields.integer(node, "rise", 1, 100, 2, "");
        int fall = fields.integer(node, "fall", 1, 100, 3, "");
        return new Check(http, path, host, statusMin, statusMax, Duration.ofMillis(interval),
                Duration.ofMillis(timeout), rise, fall);
    }

    private static List<Listener> listeners(JsonNode nodes, Map<String, Group> groups, ConfigFields fields) {
        List<Listener> listeners = new ArrayList<>();
        if (nodes == null || !nodes.isArray() || nodes.isEmpty() || nodes.size() > 1024) {
            fields.problem("listeners is required: 1..1024 listeners");
            return listeners;
        }
        Set<String> names = new HashSet<>();
        for (int l = 0; l < nodes.size(); l++) {
            JsonNode node = nodes.get(l);
            String at = "listeners[" + l + "]";
            String name = name(node, at, fields);
            if (name != null && !names.add(name)) {
                fields.problem(at + ".name is given twice: " + name);
            }
            int vip = fields.unicastAddress(node.get("vip"), at + ".vip");
            String protocolName = node.path("protocol").asText("").toLowerCase(Locale.ROOT);
            int protocol = switch (protocolName) {
                case "tcp" -> FlowKey.TCP;
                case "udp" -> FlowKey.UDP;
                default -> {
                    fields.problem(at + ".protocol must be tcp or udp, got " + node.path("protocol"));
                    yield 0;
                }
            };
            int port = fields.integerAt(node.get("port"), at + ".port", 1, 65535);
            int portEnd = fields.integer(node, "portEnd", 1, 65535, port, " (the last port of the range)");
            if (port != ConfigFields.BAD && portEnd != ConfigFields.BAD && portEnd < port) {
                fields.problem(at + ".portEnd must not be below port " + port + ", got " + portEnd);
            }
            String group = node.path("backendGroup").asText(null);
            if (group == null || !groups.containsKey(group)) {
                fields.problem(at + ".backendGroup must name one of backendGroups, got " + node.path("backendGroup"));
            }
            String persistence = node.path("persistence").asText("none");
            if (!persistence.equals("none") && !persistence.equals("source-address")) {
                fields.problem(at + ".persistence must be none or source-address, got " + persistence);
            }
            String failure = node.path("onBackendFailure").asText("reset");
            if (!failure.equals("reset") && !failure.equals("drop")) {
                fields.problem(at + ".onBackendFailure must be reset or drop, got " + failure);
            }
            Listener listener = new Listener(name, vip, protocol, port, portEnd, group,
                    persistence.equals("source-address"), failure.equals("drop") ? OnFailure.DROP : OnFailure.RESET);
            for (Listener other : listeners) {
                if (other.vip() == vip && other.protocol() == protocol && other.port() <= portEnd
                        && port <= other.portEnd()) {
                    fields.problem(at + " takes ports of " + other.name() + " on the same VIP and protocol");
                }
            }
            listeners.add(listener);
        }
        return listeners;
    }

    private static String name(JsonNode node, String at, ConfigFields fields) {
        JsonNode name = node == null ? null : node.get("name");
        if (name == null || !name.isTextual() || !name.asText().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
            fields.problem(at + ".name is required: 1..63 letters, digits, '_', '.', '-'");
            return null;
        }
        return name.asText();
    }
}
