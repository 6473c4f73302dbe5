package io.isthmus.vnf.nat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.slowpath.policy.ConfigFields;
import io.isthmus.slowpath.policy.InvalidConfigException;

/**
 * The NAT's state as a snapshot holds it (docs/nat.md "Snapshots"): every binding, port forwards included, with its
 * sessions and which of each session's two rules have expired everywhere. The pairing of each inside host and the
 * blocks it holds follow from its bindings. In JSON:
 *
 * <pre>
 * {"bindings":[{"protocol":"udp","insideAddress":"10.0.0.5","insidePort":40001,
 *               "publicAddress":"203.0.113.10","publicPort":20017,"portForward":false,
 *               "sessions":[{"remoteAddress":"198.51.100.7","remotePort":53},
 *                           {"remoteAddress":"198.51.100.9","remotePort":53,"expired":"reverse"}]}]}
 * </pre>
 *
 * A session whose remote is one of the public addresses is one end of a hairpinned pair: the remote is the other
 * binding's public endpoint.
 *
 * @param bindings the bindings, each with its sessions
 */
record NatState(List<Binding> bindings) {

    /** A binding and its sessions. */
    record Binding(int protocol, int insideAddress, int insidePort, int publicAddress, int publicPort,
            boolean portForward, List<Session> sessions) {

        Binding {
            sessions = List.copyOf(sessions);
        }

        @Override
        public String toString() {
            return protocolName(protocol) + " " + Ipv4Addresses.format(insideAddress) + ":" + insidePort + " -> "
                    + Ipv4Addresses.format(publicAddress) + ":" + publicPort;
        }
    }

    /**
     * A session with a remote endpoint.
     *
     * @param expired the directions ({@link NatBinding#FORWARD}, {@link NatBinding#REVERSE}) whose rules have expired
     *        in every fastpath: 0, or one of them
     */
    record Session(int remoteAddress, int remotePort, int expired) {
    }

    NatState {
        bindings = List.copyOf(bindings);
    }

    /** The state of {@code bindings} now. */
    static NatState of(NatBindings bindings) {
        List<Binding> all = new ArrayList<>(bindings.size());
        for (NatBinding binding : bindings.all()) {
            List<Session> sessions = new ArrayList<>(binding.remoteCount());
            binding.forEachRemote((address, port, expired) -> sessions.add(new Session(address, port, expired)));
            all.add(new Binding(binding.protocol(), binding.insideAddress(), binding.insidePort(),
                    binding.publicAddress(), binding.publicPort(), binding.isPortForward(), sessions));
        }
        return new NatState(all);
    }

    JsonNode toJson() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ArrayNode array = nodes.arrayNode();
        for (Binding binding : bindings) {
            ObjectNode b = array.addObject();
            b.put("protocol", protocolName(binding.protocol()));
            b.put("insideAddress", Ipv4Addresses.format(binding.insideAddress()));
            b.put("insidePort", binding.insidePort());
            b.put("publicAddress", Ipv4Addresses.format(binding.publicAddress()));
            b.put("publicPort", binding.publicPort());
            b.put("portForward", binding.portForward());
            ArrayNode sessions = b.putArray("sessions");
            for (Session session : binding.sessions()) {
                ObjectNode s = sessions.addObject();
                s.put("remoteAddress", Ipv4Addresses.format(session.remoteAddress()));
                s.put("remotePort", session.remotePort());
                if (session.expired() == NatBinding.FORWARD) {
                    s.put("expired", "forward");
                } else if (session.expired() == NatBinding.REVERSE) {
                    s.put("expired", "reverse");
                }
            }
        }
        ObjectNode state = nodes.objectNode();
        state.set("bindings", array);
        return state;
    }

    /** Reads a state {@link #toJson} wrote, naming every field that is wrong ({@code state.bindings[3].publicPort …}). */
    static NatState from(JsonNode json) throws InvalidConfigException {
        ConfigFields fields = new ConfigFields();
        JsonNode array = json == null ? null : json.get("bindings");
        if (array == null || !array.isArray() || array.size() > NatConfig.MAX_SESSIONS) {
            throw new InvalidConfigException("state.bindings must be an array of at most " + NatConfig.MAX_SESSIONS
                    + " bindings");
        }
        List<Binding> bindings = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String name = "state.bindings[" + i + "]";
            JsonNode b = array.get(i);
            if (!b.isObject()) {
                fields.problem(name + " must be an object");
                continue;
            }
            int protocol = switch (b.path("protocol").asText()) {
                case "tcp" -> FlowKey.TCP;
                case "udp" -> FlowKey.UDP;
                case "icmp" -> FlowKey.ICMP;
                default -> ConfigFields.BAD;
            };
            if (!b.path("protocol").isTextual() || protocol == ConfigFields.BAD) {
                fields.problem(name + ".protocol must be tcp, udp or icmp");
            }
            int insideAddress = fields.unicastAddress(b.get("insideAddress"), name + ".insideAddress");
            int insidePort = fields.integerAt(b.get("insidePort"), name + ".insidePort", 0, 65535);
            int publicAddress = fields.unicastAddress(b.get("publicAddress"), name + ".publicAddress");
            int publicPort = fields.integerAt(b.get("publicPort"), name + ".publicPort", 0, 65535);
            JsonNode forward = b.get("portForward");
            if (forward != null && !forward.isBoolean()) {
                fields.problem(name + ".portForward must be true or false");
            }
            JsonNode sessionArray = b.get("sessions");
            List<Session> sessions = new ArrayList<>();
            if (sessionArray == null || !sessionArray.isArray()) {
                fields.problem(name + ".sessions must be an array");
            } else {
                for (int j = 0; j < sessionArray.size(); j++) {
                    String sessionName = name + ".sessions[" + j + "]";
                    JsonNode s = sessionArray.get(j);
                    if (!s.isObject()) {
                        fields.problem(sessionName + " must be an object");
                        continue;
                    }
                    int remoteAddress = fields.unicastAddress(s.get("remoteAddress"), sessionName + ".remoteAddress");
                    int remotePort = fields.integerAt(s.get("remotePort"), sessionName + ".remotePort", 0, 65535);
                    int expired = switch (s.path("expired").asText("none")) {
                        case "none" -> 0;
                        case "forward" -> NatBinding.FORWARD;
                        case "reverse" -> NatBinding.REVERSE;
                        default -> {
                            fields.problem(sessionName + ".expired must be forward or reverse, or left out");
                            yield 0;
                        }
                    };
                    sessions.add(new Session(remoteAddress, remotePort, expired));
                }
            }
            bindings.add(new Binding(protocol, insideAddress, insidePort, publicAddress, publicPort,
                    forward != null && forward.asBoolean(), sessions));
        }
        if (!fields.problems().isEmpty()) {
            throw new InvalidConfigException(fields.problems());
        }
        return new NatState(bindings);
    }

    static String protocolName(int protocol) {
        return switch (protocol) {
            case FlowKey.TCP -> "tcp";
            case FlowKey.UDP -> "udp";
            default -> "icmp";
        };
    }
}
