package io.isthmus.vnf.nat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.slowpath.policy.ConfigFields;
import io.isthmus.slowpath.policy.Egress;
import io.isthmus.slowpath.policy.InvalidConfigException;

/**
 * The NAT's configuration, the body of {@code PUT /config} (docs/contracts.md, docs/nat.md):
 *
 * <pre>
 * {"publicAddresses":["203.0.113.10","203.0.113.11"],"portRangeStart":20000,"portRangeEnd":29999,
 *  "insideVni":100,"outsideVni":200,
 *  "insideNextHop":"127.0.0.1:40002","outsideNextHop":"127.0.0.1:40001",
 *  "filtering":"address-dependent","portBlockSize":64,"maxSessionsPerHost":4096,"maxSessions":1000000,
 *  "portForwards":[{"protocol":"tcp","publicPort":443,"insideAddress":"10.0.0.80","insidePort":8443}],
 *  "udpTimeout":300,"tcpEstablishedTimeout":7440,"tcpTransitoryTimeout":240,"icmpTimeout":60}
 * </pre>
 *
 * The addresses, range, VNIs and next hops are required ({@code "publicAddress":"…"} is the older spelling of one
 * public address); the rest have defaults. Unknown fields are ignored. {@link #from} refuses a config outside the
 * RFCs' bounds (timeouts) or that contradicts itself (forwards that collide), naming each field.
 *
 * @param publicAddresses the addresses inside hosts are translated to (big-endian IPv4), in order; an inside host
 *        keeps one of them while it has bindings (paired pooling, RFC 4787 REQ-2)
 * @param portRangeStart the first public port (and ICMP echo identifier) handed out dynamically
 * @param portRangeEnd the last, inclusive
 * @param portBlockSize how many ports of the range an inside host gets at once (the last block of the range may be
 *        shorter)
 * @param filtering who may reach a dynamically bound endpoint from outside
 * @param portForwards static bindings; their public ports are never handed out dynamically
 * @param maxSessions the most sessions (inside endpoint, remote endpoint) at once, all hosts together
 * @param maxSessionsPerHost the most sessions of one inside host
 * @param timeouts idle timeouts, for the fastpaths
 * @param insideVni the VNI of the private side
 * @param outsideVni the VNI of the public side
 * @param insideNextHop where translated replies go: a VXLAN tunnel endpoint, or the next VNF's ingress (each flow to
 *        the rendezvous pick of its translated key)
 * @param outsideNextHop where translated outbound packets go, the same way
 */
public record NatConfig(List<Integer> publicAddresses, int portRangeStart, int portRangeEnd, int portBlockSize,
        Filtering filtering, List<PortForward> portForwards, int maxSessions, int maxSessionsPerHost,
        NatTimeouts timeouts, int insideVni, int outsideVni, Egress insideNextHop, Egress outsideNextHop) {

    public static final int DEFAULT_PORT_BLOCK_SIZE = 64;
    /** Enough for a /24 of public addresses. */
    public static final int MAX_PUBLIC_ADDRESSES = 256;
    public static final int MAX_PORT_FORWARDS = 4096;
    /** Sessions are kept in the slowpath's memory, a few hundred bytes each. */
    public static final int MAX_SESSIONS = 16_777_216;
    private static final int MAX_VNI = 0xFF_FFFF;

    public NatConfig {
        publicAddresses = List.copyOf(publicAddresses);
        portForwards = List.copyOf(portForwards);
    }

    /** Reads and validates a config, reporting every problem at once. */
    public static NatConfig from(JsonNode json) throws InvalidConfigException {
        ConfigFields fields = new ConfigFields();
        List<Integer> publicAddresses = publicAddresses(json, fields);
        int start = fields.integer(json, "portRangeStart", 1, 65535);
        int end = fields.integer(json, "portRangeEnd", 1, 65535);
        int insideVni = fields.integer(json, "insideVni", 0, MAX_VNI);
        int outsideVni = fields.integer(json, "outsideVni", 0, MAX_VNI);
        Egress insideNextHop = fields.egress(json, "insideNextHop");
        Egress outsideNextHop = fields.egress(json, "outsideNextHop");
        boolean rangeKnown = start > 0 && end > 0;
        if (rangeKnown && start > end) {
            fields.problem("portRangeStart must not be above portRangeEnd");
        }
        if (insideVni >= 0 && insideVni == outsideVni) {
            fields.problem("insideVni and outsideVni must differ");
        }
        int rangeSize = rangeKnown && start <= end ? end - start + 1 : 65535;
        int blockSize = fields.integer(json, "portBlockSize", 1, rangeSize,
                Math.min(DEFAULT_PORT_BLOCK_SIZE, rangeSize), " (at most the ports of the range)");
        Filtering filtering = filtering(json, fields);
        List<PortForward> forwards = portForwards(json, publicAddresses, fields);
        int maxSessions = fields.integer(json, "maxSessions", 1, MAX_SESSIONS, MAX_SESSIONS, "");
        int maxSessionsPerHost = fields.integer(json, "maxSessionsPerHost", 1, MAX_SESSIONS, MAX_SESSIONS, "");
        NatTimeouts defaults = NatTimeouts.DEFAULTS;
        NatTimeouts timeouts = new NatTimeouts(
                fields.integer(json, "udpTimeout", NatTimeouts.MIN_UDP, NatTimeouts.MAX, defaults.udp(),
                        " seconds (RFC 4787 REQ-5: a UDP mapping lasts at least 2 minutes)"),
                fields.integer(json, "tcpEstablishedTimeout", NatTimeouts.MIN_TCP_ESTABLISHED, NatTimeouts.MAX,
                        defaults.tcpEstablished(),
                        " seconds (RFC 5382 REQ-5: an established connection lasts at least 2 hours 4 minutes)"),
                fields.integer(json, "tcpTransitoryTimeout", NatTimeouts.MIN_TCP_TRANSITORY, NatTimeouts.MAX,
                        defaults.tcpTransitory(),
                        " seconds (RFC 5382 REQ-5: a transitory connection lasts at least 4 minutes)"),
                fields.integer(json, "icmpTimeout", NatTimeouts.MIN_ICMP, NatTimeouts.MAX, defaults.icmp(),
                        " seconds (RFC 5508 REQ-2: an ICMP query session lasts at least 60 seconds)"));
        if (!fields.problems().isEmpty()) {
            throw new InvalidConfigException(fields.problems());
        }
        return new NatConfig(publicAddresses, start, end, blockSize, filtering, forwards, maxSessions,
                maxSessionsPerHost, timeouts, insideVni, outsideVni, insideNextHop, outsideNextHop);
    }

    /** The first public address: the one the older {@code "publicAddress"} names. */
    public int publicAddress() {
        return publicAddresses.getFirst();
    }

    public int portCount() {
        return portRangeEnd - portRangeStart + 1;
    }

    /** {@code "publicAddresses"} (1 to 256, no repeats), or the older {@code "publicAddress"}: one of the two. */
    private static List<Integer> publicAddresses(JsonNode json, ConfigFields fields) {
        JsonNode one = json.get("publicAddress");
        JsonNode many = json.get("publicAddresses");
        if (one != null && many != null) {
            fields.problem("publicAddress and publicAddresses: give one of them, not both");
            return List.of();
        }
        if (one == null && many == null) {
            fields.problem("publicAddresses (or publicAddress) is required: the IPv4 addresses to translate to");
            return List.of();
        }
        if (many == null) {
            return List.of(fields.unicastAddress(one, "publicAddress"));
        }
        if (!many.isArray() || many.isEmpty() || many.size() > MAX_PUBLIC_ADDRESSES) {
            fields.problem("publicAddresses must be an array of 1.." + MAX_PUBLIC_ADDRESSES + " IPv4 addresses");
            return List.of();
        }
        List<Integer> addresses = new ArrayList<>();
        for (int i = 0; i < many.size(); i++) {
            int address = fields.unicastAddress(many.get(i), "publicAddresses[" + i + "]");
            if (address != 0 && addresses.contains(address)) {
                fields.problem("publicAddresses[" + i + "] repeats " + Ipv4Addresses.format(address));
            }
            addresses.add(address);
        }
        return addresses;
    }

    private static Filtering filtering(JsonNode json, ConfigFields fields) {
        JsonNode node = json.get("filtering");
        if (node == null) {
            return Filtering.ADDRESS_DEPENDENT;
        }
        Filtering filtering = node.isTextual() ? Filtering.of(node.asText()) : null;
        if (filtering == null) {
            fields.problem("filtering must be endpoint-independent, address-dependent or address-and-port-dependent"
                    + ", got " + node);
        }
        return filtering;
    }

    /**
     * The static forwards: each public endpoint and each inside endpoint at most once (an inside endpoint has one
     * mapping), and an inside host's forwards all on one public address (paired pooling).
     */
    private static List<PortForward> portForwards(JsonNode json, List<Integer> publicAddresses,
            ConfigFields fields) {
        JsonNode node = json.get("portForwards");
        if (node == null) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_PORT_FORWARDS) {
            fields.problem("portForwards must be an array of at most " + MAX_PORT_FORWARDS + " forwards");
            return List.of();
        }
        List<PortForward> forwards = new ArrayList<>();
        Set<Long> publicEndpoints = new HashSet<>();
        Set<Long> insideEndpoints = new HashSet<>();
        Map<Integer, Integer> hostAddresses = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String name = "portForwards[" + i + "]";
            JsonNode forward = node.get(i);
            if (!forward.isObject()) {
                fields.problem(name + " must be an object");
                continue;
            }
            int problems = fields.problems().size();
            JsonNode protocolNode = forward.path("protocol");
            int protocol = switch (protocolNode.asText()) {
                case "tcp" -> FlowKey.TCP;
                case "udp" -> FlowKey.UDP;
                default -> ConfigFields.BAD;
            };
            if (!protocolNode.isTextual() || protocol == ConfigFields.BAD) {
                fields.problem(name + ".protocol must be tcp or udp");
            }
            int publicAddress = publicAddresses.isEmpty() ? 0 : publicAddresses.getFirst();
            if (forward.has("publicAddress")) {
                publicAddress = fields.unicastAddress(forward.get("publicAddress"), name + ".publicAddress");
                if (publicAddress != 0 && !publicAddresses.contains(publicAddress)) {
                    fields.problem(name + ".publicAddress is not one of the public addresses: "
                            + Ipv4Addresses.format(publicAddress));
                }
            }
            int publicPort = fields.integerAt(forward.get("publicPort"), name + ".publicPort", 1, 65535);
            int insideAddress = fields.unicastAddress(forward.get("insideAddress"), name + ".insideAddress");
            int insidePort = fields.integerAt(forward.get("insidePort"), name + ".insidePort", 1, 65535);
            if (fields.problems().size() > problems) {
                continue;
            }
            if (!publicEndpoints.add(NatBindings.endpointKey(protocol, publicAddress, publicPort))) {
                fields.problem(name + " forwards " + Ipv4Addresses.format(publicAddress) + ":" + publicPort
                        + " again");
            }
            if (!insideEndpoints.add(NatBindings.endpointKey(protocol, insideAddress, insidePort))) {
                fields.problem(name + " forwards to " + Ipv4Addresses.format(insideAddress) + ":" + insidePort
                        + " again (an inside endpoint has one public port)");
            }
            Integer paired = hostAddresses.putIfAbsent(insideAddress, publicAddress);
            if (paired != null && paired != publicAddress) {
                fields.problem(name + ".publicAddress: " + Ipv4Addresses.format(insideAddress)
                        + " is forwarded on " + Ipv4Addresses.format(paired) + " already (an inside host has one"
                        + " public address, RFC 4787 REQ-2)");
            }
            forwards.add(new PortForward(protocol, publicAddress, publicPort, insideAddress, insidePort));
        }
        return forwards;
    }
}
