package io.isthmus.vnf.vpn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.Ipv4Addresses;
import io.isthmus.slowpath.policy.ConfigFields;
import io.isthmus.slowpath.policy.Egress;
import io.isthmus.slowpath.policy.InvalidConfigException;

/**
 * The VPN gateway's configuration, the body of {@code PUT /config} (Definitions/isthmus_vpn_config.schema.json says the
 * same to the VNFM; docs/vpn.md field by field):
 *
 * <pre>
 * {"publicAddress":"203.0.113.10","outsideVni":200,"outsideNextHop":"198.18.3.2:4789",
 *  "vpcVni":100,"vpcNextHop":"198.18.3.6:4789",
 *  "connections":[{"name":"office","peerAddress":"203.0.113.20","psk":"…",
 *    "localPrefixes":["10.1.0.0/16"],"remotePrefixes":["172.20.0.0/24"],"initiate":true}]}
 * </pre>
 *
 * The gateway's address, the two sides' VNIs and next hops and each connection's name, peer, PSK and prefixes are
 * required; the rest have defaults. Unknown fields are ignored. {@link #from} names each field it refuses.
 *
 * @param publicAddress the gateway's own address on the outside (where IKE and ESP from the peers arrive)
 * @param outsideVni the VXLAN network identifier of the outside (the internet, the office's router)
 * @param outsideNextHop where IKE messages and encrypted packets go: a VXLAN tunnel endpoint, or the next VNF's
 *        ingress (each to the rendezvous pick of the packet as it leaves: the IKE or ESP packet)
 * @param vpcVni the VXLAN network identifier of the VPC
 * @param vpcNextHop where decrypted packets go (the VPC's vSwitch), or the next VNF's ingress: one rule decrypts all
 *        of a tunnel's packets, so they go to one endpoint, the pick of the tunnel's outer flow (its SPI left out, so a
 *        rekey does not move them)
 * @param connections the VPN connections, by name
 */
public record VpnConfig(int publicAddress, int outsideVni, Egress outsideNextHop, int vpcVni, Egress vpcNextHop,
        List<Connection> connections) {

    public static final int MAX_CONNECTIONS = 256;
    public static final int MAX_PREFIXES = 64;
    public static final int MIN_PSK_LENGTH = 16;
    public static final int MAX_PSK_LENGTH = 256;
    public static final int MIN_REPLAY_WINDOW = 1024;
    public static final int MAX_REPLAY_WINDOW = 32_768;
    public static final String DEFAULT_IKE_PROPOSAL = "aes128gcm16-prfsha256-ecp256";
    public static final List<String> DEFAULT_ESP_PROPOSALS = List.of("aes128gcm16-esn", "aes128gcm16-noesn");
    /** strongSwan's defaults: IKE SAs rekeyed every 4 hours, CHILD SAs every hour, DPD after 30 s of silence. */
    public static final int DEFAULT_IKE_REKEY_SECONDS = 14_400;
    public static final int DEFAULT_CHILD_REKEY_SECONDS = 3_600;
    public static final int DEFAULT_DPD_SECONDS = 30;
    /** AES-GCM with a 32-bit sequence needs a rekey within 2^32 packets; 1 MiB is the least byte lifetime taken. */
    public static final long MIN_CHILD_REKEY_BYTES = 1L << 20;

    /** AES-GCM-16 for IKE, PRF HMAC-SHA2, DH groups 14, 19 and 31 (RFC 7296, RFC 5282, RFC 8031). */
    static final Pattern IKE_PROPOSAL = Pattern
            .compile("^aes(128|256)gcm16-prfsha(256|384|512)-(modp2048|ecp256|curve25519|x25519)$");
    /** AES-GCM-16 for ESP (RFC 4106), with or without a PFS group, extended sequence numbers or not. */
    static final Pattern ESP_PROPOSAL = Pattern
            .compile("^aes(128|256)gcm16(-(modp2048|ecp256|curve25519|x25519))?(-(esn|noesn))?$");
    static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$");
    private static final Pattern IDENTITY = Pattern.compile("^[!-~]{1,255}$");
    private static final int MAX_VNI = 0xFF_FFFF;

    public VpnConfig {
        connections = List.copyOf(connections);
    }

    /** An IPv4 prefix, the network address with the host bits zero. */
    public record Prefix(int address, int length) {

        public int mask() {
            return length == 0 ? 0 : -1 << (32 - length);
        }

        public int first() {
            return address;
        }

        public int last() {
            return address | ~mask();
        }

        public boolean contains(int other) {
            return (other & mask()) == address;
        }

        public boolean overlaps(Prefix other) {
            int shorter = Math.min(length, other.length);
            int mask = shorter == 0 ? 0 : -1 << (32 - shorter);
            return (address & mask) == (other.address & mask);
        }

        @Override
        public String toString() {
            return Ipv4Addresses.format(address) + "/" + length;
        }
    }

    /**
     * A VPN connection: an IKEv2 peer and the traffic it carries, the VPC's {@code localPrefixes} to and from the
     * office's {@code remotePrefixes}.
     *
     * @param name unique among the connections
     * @param peerAddress the peer's IKE and ESP address; unique among the connections
     * @param psk the pre-shared key (IKEv2 authentication, RFC 7296 §2.15), UTF-8; never in {@link #toString()}
     * @param localId the gateway's IKE identity: an FQDN or an IPv4 address (default: the public address)
     * @param remoteId the identity the peer must prove (default: its address)
     * @param initiate whether the gateway starts the tunnel (else it waits for the peer, as a responder)
     * @param ikeProposals strongSwan-style IKE proposals, in order of preference
     * @param espProposals strongSwan-style ESP proposals, in order of preference
     * @param ikeRekeySeconds the IKE SA's lifetime before it is rekeyed
     * @param childRekeySeconds a CHILD SA's lifetime before it is rekeyed
     * @param childRekeyBytes a CHILD SA's bytes (either way) before it is rekeyed; 0: no limit by bytes
     * @param dpdSeconds the silence after which the peer is checked (dead-peer detection); 0: never
     * @param replayWindow the inbound SAs' anti-replay window, in packets
     */
    public record Connection(String name, int peerAddress, byte[] psk, String localId, String remoteId,
            List<Prefix> localPrefixes, List<Prefix> remotePrefixes, boolean initiate, List<String> ikeProposals,
            List<String> espProposals, int ikeRekeySeconds, int childRekeySeconds, long childRekeyBytes,
            int dpdSeconds, int replayWindow) {

        public Connection {
            psk = psk.clone();
            localPrefixes = List.copyOf(localPrefixes);
            remotePrefixes = List.copyOf(remotePrefixes);
            ikeProposals = List.copyOf(ikeProposals);
            espProposals = List.copyOf(espProposals);
        }

        @Override
        public byte[] psk() {
            return psk.clone();
        }

        /** Whether {@code source} → {@code destination} is this connection's traffic from the VPC. */
        public boolean carries(int source, int destination) {
            return inAny(localPrefixes, source) && inAny(remotePrefixes, destination);
        }

        /** The hard byte lifetime of its SAs: 10 % over the rekey limit (strongSwan's default margin), 0 for none. */
        public long hardByteLimit() {
            return childRekeyBytes == 0 ? 0 : childRekeyBytes + childRekeyBytes / 10;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Connection that && name.equals(that.name) && peerAddress == that.peerAddress
                    && Arrays.equals(psk, that.psk) && Objects.equals(localId, that.localId)
                    && Objects.equals(remoteId, that.remoteId) && localPrefixes.equals(that.localPrefixes)
                    && remotePrefixes.equals(that.remotePrefixes) && initiate == that.initiate
                    && ikeProposals.equals(that.ikeProposals) && espProposals.equals(that.espProposals)
                    && ikeRekeySeconds == that.ikeRekeySeconds && childRekeySeconds == that.childRekeySeconds
                    && childRekeyBytes == that.childRekeyBytes && dpdSeconds == that.dpdSeconds
                    && replayWindow == that.replayWindow;
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + peerAddress;
        }

        /** Leaves the PSK out. */
        @Override
        public String toString() {
            return "connection " + name + " peer " + Ipv4Addresses.format(peerAddress) + " " + localPrefixes + " <-> "
                    + remotePrefixes + (initiate ? " (initiator)" : " (responder)");
        }

        private static boolean inAny(List<Prefix> prefixes, int address) {
            for (Prefix prefix : prefixes) {
                if (prefix.contains(address)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The connection whose traffic {@code source} → {@code destination} from the VPC is, or null. */
    public Connection connectionCarrying(int source, int destination) {
        for (Connection connection : connections) {
            if (connection.carries(source, destination)) {
                return connection;
            }
        }
        return null;
    }

    /** Reads and validates a config, reporting every problem at once. */
    public static VpnConfig from(JsonNode json) throws InvalidConfigException {
        ConfigFields fields = new ConfigFields();
        if (json == null || !json.isObject()) {
            throw new InvalidConfigException("the configuration must be a JSON object");
        }
        int publicAddress = fields.unicastAddress(json.get("publicAddress"), "publicAddress");
        int outsideVni = fields.integer(json, "outsideVni", 0, MAX_VNI);
        int vpcVni = fields.integer(json, "vpcVni", 0, MAX_VNI);
        Egress outsideNextHop = fields.egress(json, "outsideNextHop");
        Egress vpcNextHop = fields.egress(json, "vpcNextHop");
        if (outsideVni >= 0 && outsideVni == vpcVni) {
            fields.problem("outsideVni and vpcVni must differ");
        }
        List<Connection> connections = connections(json, publicAddress, fields);
        fields.refuseIfAny();
        return new VpnConfig(publicAddress, outsideVni, outsideNextHop, vpcVni, vpcNextHop, connections);
    }

    private static List<Connection> connections(JsonNode json, int publicAddress, ConfigFields fields) {
        JsonNode node = json.get("connections");
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_CONNECTIONS) {
            fields.problem("connections is required: an array of 1.." + MAX_CONNECTIONS + " connections");
            return List.of();
        }
        List<Connection> connections = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<Integer> peers = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "connections[" + i + "]";
            JsonNode c = node.get(i);
            if (!c.isObject()) {
                fields.problem(at + " must be an object");
                continue;
            }
            int before = fields.problems().size();
            String name = text(c, at + ".name", "name", NAME, "1-63 letters, digits, '_', '.' or '-'", fields);
            if (name != null && !names.add(name)) {
                fields.problem(at + ".name repeats " + name);
            }
            int peer = fields.unicastAddress(c.get("peerAddress"), at + ".peerAddress");
            if (peer != 0 && !peers.add(peer)) {
                fields.problem(at + ".peerAddress repeats " + Ipv4Addresses.format(peer) + " (one connection a peer)");
            }
            if (peer != 0 && peer == publicAddress) {
                fields.problem(at + ".peerAddress is the gateway's publicAddress");
            }
            byte[] psk = psk(c.get("psk"), at + ".psk", fields);
            String localId = optionalId(c, at, "localId", fields);
            String remoteId = optionalId(c, at, "remoteId", fields);
            List<Prefix> local = prefixes(c.get("localPrefixes"), at + ".localPrefixes", fields);
            List<Prefix> remote = prefixes(c.get("remotePrefixes"), at + ".remotePrefixes", fields);
            boolean initiate = bool(c, at, "initiate", false, fields);
            List<String> ike = proposals(c, at, "ikeProposals", IKE_PROPOSAL, List.of(DEFAULT_IKE_PROPOSAL), fields);
            List<String> esp = proposals(c, at, "espProposals", ESP_PROPOSAL, DEFAULT_ESP_PROPOSALS, fields);
            int ikeRekey = fields.integer(c, "ikeRekeySeconds", 60, 86_400 * 7, DEFAULT_IKE_REKEY_SECONDS, "");
            int childRekey = fields.integer(c, "childRekeySeconds", 10, 86_400, DEFAULT_CHILD_REKEY_SECONDS, "");
            long childBytes = rekeyBytes(c, at, fields);
            int dpd = fields.integer(c, "dpdSeconds", 0, 3_600, DEFAULT_DPD_SECONDS, " (0: no dead-peer detection)");
            int replayWindow = fields.integer(c, "replayWindow", MIN_REPLAY_WINDOW, MAX_REPLAY_WINDOW,
                    MIN_REPLAY_WINDOW, " packets");
            renameLastProblems(fields, before, at);
            if (fields.problems().size() > before) {
                continue;
            }
            connections.add(new Connection(name, peer, psk, localId, remoteId, local, remote, initiate, ike, esp,
                    ikeRekey, childRekey, childBytes, dpd, replayWindow));
        }
        // a VPC packet to a remote prefix must name one connection
        for (int i = 0; i < connections.size(); i++) {
            for (int j = i + 1; j < connections.size(); j++) {
                for (Prefix a : connections.get(i).remotePrefixes()) {
                    for (Prefix b : connections.get(j).remotePrefixes()) {
                        if (a.overlaps(b)) {
                            fields.problem("connections[" + j + "].remotePrefixes: " + b + " overlaps " + a + " of "
                                    + connections.get(i).name());
                        }
                    }
                }
            }
        }
        return connections;
    }

    /** ConfigFields names the optional numeric fields without the connection: prefix them with it. */
    private static void renameLastProblems(ConfigFields fields, int from, String at) {
        List<String> problems = fields.problems();
        for (int i = from; i < problems.size(); i++) {
            String problem = problems.get(i);
            if (!problem.startsWith("connections[")) {
                problems.set(i, at + "." + problem);
            }
        }
    }

    private static String text(JsonNode c, String name, String field, Pattern pattern, String what,
            ConfigFields fields) {
        JsonNode node = c.get(field);
        if (node == null || !node.isTextual() || !pattern.matcher(node.asText()).matches()) {
            fields.problem(name + " is required: " + what);
            return null;
        }
        return node.asText();
    }

    private static byte[] psk(JsonNode node, String name, ConfigFields fields) {
        if (node == null || !node.isTextual()) {
            fields.problem(name + " is required: the pre-shared key, " + MIN_PSK_LENGTH + ".." + MAX_PSK_LENGTH
                    + " characters");
            return new byte[0];
        }
        int length = node.asText().length();
        if (length < MIN_PSK_LENGTH || length > MAX_PSK_LENGTH) {
            // the key itself is never quoted
            fields.problem(name + " must have " + MIN_PSK_LENGTH + ".." + MAX_PSK_LENGTH + " characters, it has "
                    + length);
            return new byte[0];
        }
        return node.asText().getBytes(StandardCharsets.UTF_8);
    }

    private static String optionalId(JsonNode c, String at, String field, ConfigFields fields) {
        JsonNode node = c.get(field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual() || !IDENTITY.matcher(node.asText()).matches()) {
            fields.problem(at + "." + field + " must be an FQDN or an IPv4 address (1-255 printable characters)");
            return null;
        }
        return node.asText();
    }

    private static boolean bool(JsonNode c, String at, String field, boolean otherwise, ConfigFields fields) {
        JsonNode node = c.get(field);
        if (node == null) {
            return otherwise;
        }
        if (!node.isBoolean()) {
            fields.problem(at + "." + field + " must be true or false");
            return otherwise;
        }
        return node.asBoolean();
    }

    private static long rekeyBytes(JsonNode c, String at, ConfigFields fields) {
        JsonNode node = c.get("childRekeyBytes");
        if (node == null) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()
                || (node.asLong() != 0 && node.asLong() < MIN_CHILD_REKEY_BYTES)
                || node.asLong() > Long.MAX_VALUE / 2) {
            fields.problem(at + ".childRekeyBytes must be 0 (no limit) or at least " + MIN_CHILD_REKEY_BYTES
                    + ", got " + node.asText());
            return 0;
        }
        return node.asLong();
    }

    private static List<String> proposals(JsonNode c, String at, String field, Pattern pattern, List<String> otherwise,
            ConfigFields fields) {
        JsonNode node = c.get(field);
        if (node == null) {
            return otherwise;
        }
        if (!node.isArray() || node.isEmpty() || node.size() > 16) {
            fields.problem(at + "." + field + " must be an array of 1..16 proposals");
            return otherwise;
        }
        List<String> proposals = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode p = node.get(i);
            if (!p.isTextual() || !pattern.matcher(p.asText()).matches()) {
                fields.problem(at + "." + field + "[" + i + "] is not a supported proposal: " + p
                        + " (docs/vpn.md lists them)");
                continue;
            }
            proposals.add(p.asText());
        }
        return proposals;
    }

    private static List<Prefix> prefixes(JsonNode node, String name, ConfigFields fields) {
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_PREFIXES) {
            fields.problem(name + " is required: an array of 1.." + MAX_PREFIXES + " IPv4 prefixes (a.b.c.d/n)");
            return List.of();
        }
        List<Prefix> prefixes = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            Prefix prefix = prefix(node.get(i), name + "[" + i + "]", fields);
            if (prefix != null) {
                prefixes.add(prefix);
            }
        }
        return prefixes;
    }

    static Prefix prefix(JsonNode node, String name, ConfigFields fields) {
        String text = node != null && node.isTextual() ? node.asText() : "";
        int slash = text.indexOf('/');
        try {
            if (slash < 0) {
                throw new IllegalArgumentException("no /length");
            }
            int address = Ipv4Addresses.parse(text.substring(0, slash));
            String lengthText = text.substring(slash + 1);
            if (!lengthText.matches("[0-9]{1,2}")) {
                throw new IllegalArgumentException("bad length");
            }
            int length = Integer.parseInt(lengthText);
            if (length > 32) {
                throw new IllegalArgumentException("bad length");
            }
            Prefix prefix = new Prefix(address, length);
            if ((address & ~prefix.mask()) != 0) {
                fields.problem(name + " has host bits set: " + text + " (the network is "
                        + new Prefix(address & prefix.mask(), length) + ")");
                return null;
            }
            return prefix;
        } catch (IllegalArgumentException e) {
            fields.problem(name + " is not an IPv4 prefix a.b.c.d/n: " + (node == null ? "null" : node.toString()));
            return null;
        }
    }
}
