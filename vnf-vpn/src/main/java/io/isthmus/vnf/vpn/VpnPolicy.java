package io.isthmus.vnf.vpn;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.Rule;
import io.isthmus.control.SaCounters;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Expiry;
import io.isthmus.slowpath.policy.FlowRuleInstall;
import io.isthmus.slowpath.policy.Install;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.SecurityAssociationInstall;
import io.isthmus.slowpath.policy.SecurityAssociationRemoval;
import io.isthmus.slowpath.policy.Transmit;
import io.isthmus.slowpath.policy.VnfPolicy;
import io.isthmus.vnf.vpn.VpnConfig.Connection;
import io.isthmus.vnf.vpn.VpnConfig.Prefix;
import io.isthmus.vnf.vpn.ike.ChildSa;
import io.isthmus.vnf.vpn.ike.Endpoint;
import io.isthmus.vnf.vpn.ike.IkeConnection;
import io.isthmus.vnf.vpn.ike.IkeEngine;
import io.isthmus.vnf.vpn.ike.IkeSaView;
import io.isthmus.vnf.vpn.ike.TrafficSelector;

/**
 * The VPN gateway (VNF type {@code "vpn"}, docs/vpn.md): site-to-site IPsec tunnels between the VPC and the offices.
 * The IKEv2 engine ({@link IkeEngine}) negotiates the IKE and CHILD SAs; this policy is its transport and its hands:
 * <ul>
 * <li>IKE to the public address (UDP 500, or 4500 with the non-ESP marker; the fastpath punts it, as a miss or, on an
 * ESP rule's flow, as NON_ESP) goes to the engine; what the engine sends leaves as a {@link Transmit} to the outside
 * next hop, from the public address, in the outside VNI.</li>
 * <li>A CHILD SA up installs its two ESP SAs in the fastpaths, each in a slot of the SA table (outbound: tunnel from
 * the public address to the peer, in UDP when NAT traversal is on; inbound: the connection's replay window), and the
 * rule of the peer's ESP flow (ESP_DECRYPT, then into the VPC's VNI and next hop). A rekeyed CHILD SA's outbound SA goes
 * into its predecessor's slot (the flows' rules switch at once), its inbound SA into a new slot while the old one
 * decrypts what is still on the way, until the old CHILD SA is deleted.</li>
 * <li>A VPC packet from a connection's local prefixes to its remote prefixes misses once per flow and gets a rule:
 * ESP_ENCRYPT with the connection's outbound SA, then out in the outside VNI to its next hop. With no SA up the packet
 * is dropped (counted) and a connection that initiates is started.</li>
 * </ul>
 * The fastpaths' per-SA counters come back in {@link #onSecurityAssociationCounters}: per SA and per connection in the
 * indicators, and as the engine's byte count for rekeying by bytes. Pure policy: the engine runs on the policy thread
 * inside these calls and the timers the slowpath schedules ({@link #nextTimerMillis}, {@link #onTimer}); no I/O.
 * <p>
 * Snapshots: the SAs are not carried over. A restored gateway starts its connections afresh (the initiators at once,
 * the responders when their peer notices, by DPD, that the old IKE SA is gone).
 */
public final class VpnPolicy implements VnfPolicy {

    public static final String VNF_TYPE = "vpn";
    static final int IKE_PORT = 500;
    static final int NAT_T_PORT = 4500;
    /** The fastpath's SA table holds 64 SAs (ForwardingEngine.DEFAULT_SECURITY_ASSOCIATIONS). */
    static final int SA_SLOTS = 64;
    /** A VPC flow with no SA does not restart an initiating connection more often than this. */
    static final long INITIATE_HOLD_DOWN_MILLIS = 2_000;
    /** A locally administered source MAC for the gateway's own frames until it has seen one from either side. */
    static final long DEFAULT_MAC = 0x02_00_00_00_00_01L;
    private static final int PROTOCOL_ESP = 50;
    private static final Action COUNT = new Action.Count();
    private static final System.Logger LOG = System.getLogger(VpnPolicy.class.getName());

    /** Why a packet was dropped, counted in {@code /stats} {@code indicators.drops}. */
    enum Drop {
        NOT_CONFIGURED("notConfigured"),
        /** A VPC packet of no connection's prefixes. */
        NOT_VPN_TRAFFIC("notVpnTraffic"),
        /** A VPC packet of a connection without a CHILD SA up. */
        NO_SA("noSa"),
        /** ESP (or ESP in UDP) to the public address whose SPI no inbound SA has. */
        UNKNOWN_SPI("unknownSpi"),
        /** A NAT keepalive (RFC 3948 §2.3), or anything else to the public address that is neither IKE nor ESP. */
        NOT_IKE("notIke"),
        /** An ICMP error punted for a flow without a rule. */
        ICMP_ERROR("icmpError"),
        /** A CHILD SA came up with every slot of the SA table taken. */
        NO_SLOT("noSlot");

        final String indicator;

        Drop(String indicator) {
            this.indicator = indicator;
        }
    }

    /** A connection as the gateway runs it: its configuration, tunnel state, SAs and counters. */
    static final class Tunnel {
        Connection config;
        String state = "DOWN";
        String reason = "not started";
        long since;
        /** The newest CHILD SA: VPC flows encrypt with its outbound SA. */
        Child current;
        long lastInitiate = Long.MIN_VALUE / 2;
        long noSaDrops;
        long establishments;
        /** The counters of SAs no longer in use. */
        long packetsIn;
        long bytesIn;
        long packetsOut;
        long bytesOut;
        long replays;
        long authFailures;
        long otherDrops;

        Tunnel(Connection config) {
            this.config = config;
        }
    }

    /** A CHILD SA as installed: its slots and the fastpaths' counters of each direction. */
    static final class Child {
        final ChildSa sa;
        final Tunnel tunnel;
        /** -1 once a rekeyed successor took the slot over. */
        int outSlot;
        final int inSlot;
        final FlowKey inboundKey;
        SaCounters out;
        SaCounters in;

        Child(ChildSa sa, Tunnel tunnel, int outSlot, int inSlot, FlowKey inboundKey) {
            this.sa = sa;
            this.tunnel = tunnel;
            this.outSlot = outSlot;
            this.inSlot = inSlot;
            this.inboundKey = inboundKey;
        }
    }

    private final Clock clock;
    private final IkeEngine engine;
    private final EngineOutput output = new EngineOutput();
    private final BitSet slots = new BitSet(SA_SLOTS);
    private final Map<String, Tunnel> tunnels = new LinkedHashMap<>();
    private final Map<Long, Child> children = new HashMap<>();
    private final Map<Integer, Child> byInboundSpi = new HashMap<>();
    private final Map<FlowKey, Tunnel> outboundFlows = new HashMap<>();
    /** What the engine's callbacks asked for, for the answer of the call that ran it (or the next timer). */
    private final List<Install> pending = new ArrayList<>();
    private final List<FlowKey> pendingRemoves = new ArrayList<>();
    private final long[] drops = new long[Drop.values().length];
    private VpnConfig config;
    private long outsideSourceMac = DEFAULT_MAC;
    private long outsideDestinationMac = UdpPackets.BROADCAST_MAC;
    private boolean macsFromOutside;

    /** For the ServiceLoader. */
    public VpnPolicy() {
        this(Clock.systemUTC(), new SecureRandom());
    }

    /**
     * @param clock the time the engine's timers and lifetimes run on
     * @param random the engine's SPIs, nonces and DH secrets
     */
    public VpnPolicy(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.engine = new IkeEngine(output, random);
    }

    @Override
    public String vnfType() {
        return VNF_TYPE;
    }

    @Override
    public boolean configure(JsonNode json) throws InvalidConfigException {
        return reconfigure(json).reset();
    }

    /**
     * Applies a configuration: connections added start (those that initiate, at once), removed ones are deleted
     * (their SAs and rules go), changed ones start afresh, unchanged ones keep their SAs. When the gateway's address,
     * VNIs or next hops change every rule goes (the flows re-miss and get rules with the new ones).
     */
    @Override
    public Reconfiguration reconfigure(JsonNode json) throws InvalidConfigException {
        VpnConfig next = VpnConfig.from(json);
        List<IkeConnection> ike = new ArrayList<>();
        for (Connection c : next.connections()) {
            ike.add(ikeConnection(next, c));
        }
        VpnConfig previous = config;
        long now = clock.millis();
        Map<String, Tunnel> before = new LinkedHashMap<>(tunnels);
        Map<String, Tunnel> kept = new LinkedHashMap<>();
        for (Connection c : next.connections()) {
            Tunnel tunnel = tunnels.get(c.name());
            if (tunnel == null) {
                tunnel = new Tunnel(c);
                tunnel.since = now;
            }
            kept.put(c.name(), tunnel);
        }
        // the engine starts initiators at once: what it sends goes out with the new configuration's addresses
        config = next;
        tunnels.clear();
        tunnels.putAll(kept);
        try {
            engine.configure(ike, now);
        } catch (IllegalArgumentException e) {
            config = previous;
            tunnels.clear();
            tunnels.putAll(before);
            pending.clear();
            throw new InvalidConfigException("connections: " + e.getMessage());
        }
        for (Connection c : next.connections()) {
            Tunnel tunnel = tunnels.get(c.name());
            tunnel.config = c;
            if (c.initiate() && tunnel.current == null) {
                // a connection that now initiates starts, whatever else changed (nothing happens when it is up)
                tunnel.lastInitiate = now;
                engine.initiate(c.name(), now);
            }
        }
        boolean sidesChanged = previous == null || previous.publicAddress() != next.publicAddress()
                || previous.outsideVni() != next.outsideVni() || previous.vpcVni() != next.vpcVni()
                || !previous.outsideNextHop().equals(next.outsideNextHop())
                || !previous.vpcNextHop().equals(next.vpcNextHop());
        if (sidesChanged) {
            pendingRemoves.addAll(outboundFlows.keySet());
            outboundFlows.clear();
            for (Child child : children.values()) {
                pendingRemoves.add(child.inboundKey);
            }
        } else {
            // a flow whose connection changed or left decides again
            outboundFlows.entrySet().removeIf(flow -> {
                boolean stale = tunnels.get(flow.getValue().config.name()) != flow.getValue()
                        || flow.getValue().current == null;
                if (stale) {
                    pendingRemoves.add(flow.getKey());
                }
                return stale;
            });
        }
        // packets wait for the timer, due at once: a configuration's answer transmits nothing
        return drainReconfiguration("configuration applied", false);
    }

    @Override
    public Decision onMiss(Miss miss) {
        if (config == null) {
            return drop(Drop.NOT_CONFIGURED, "not configured");
        }
        if (miss.isIcmpError()) {
            return drop(Drop.ICMP_ERROR, "ICMP error of no flow");
        }
        FlowKey key = miss.key();
        if (key.vni() == config.outsideVni()) {
            learnOutsideMacs(miss.packet(), true);
            if (key.dstAddress() == config.publicAddress()) {
                return toPublicAddress(miss, key);
            }
            return drop(Drop.NOT_VPN_TRAFFIC, "outside, not to the public address");
        }
        if (key.vni() == config.vpcVni()) {
            learnOutsideMacs(miss.packet(), false);
            return fromVpc(key);
        }
        return drop(Drop.NOT_VPN_TRAFFIC, "VNI " + key.vni());
    }

    /** IKE to the engine, ESP whose rule is gone (expired) to its SA again; the rest dropped. */
    private Decision toPublicAddress(Miss miss, FlowKey key) {
        if (key.protocol() == PROTOCOL_ESP) {
            return inboundEsp(key, (key.srcPort() << 16) | key.dstPort());
        }
        if (key.protocol() != FlowKey.UDP || (key.dstPort() != IKE_PORT && key.dstPort() != NAT_T_PORT)) {
            return drop(Drop.NOT_IKE, "not IKE or ESP");
        }
        ByteBuffer packet = miss.packet();
        int payload = UdpPackets.udpPayloadOffset(packet);
        if (payload < 0) {
            return drop(Drop.NOT_IKE, "not a UDP datagram");
        }
        int length = UdpPackets.udpPayloadLength(packet, payload);
        if (key.dstPort() == NAT_T_PORT) {
            if (length == 1 && packet.get(payload) == (byte) 0xFF) {
                return drop(Drop.NOT_IKE, "NAT keepalive");
            }
            if (length >= 8 && packet.getInt(payload) != 0) {
                return inboundEsp(key, packet.getInt(payload));
            }
        }
        byte[] data = new byte[length];
        packet.get(payload, data);
        engine.receive(new Endpoint(key.dstAddress(), key.dstPort()), new Endpoint(key.srcAddress(), key.srcPort()),
                data, 0, length, clock.millis());
        return drainDecision(false, "IKE");
    }

    /** An ESP packet of no rule: its SA's rule again (it had expired, or came before the SA's), the packet decrypted. */
    private Decision inboundEsp(FlowKey key, int spi) {
        Child child = byInboundSpi.get(spi);
        if (child == null || child.sa.remote().address() != key.srcAddress()) {
            return drop(Drop.UNKNOWN_SPI, "no inbound SA of SPI " + Integer.toUnsignedString(spi, 16));
        }
        pending.add(new FlowRuleInstall(inboundRule(key, child.inSlot)));
        return drainDecision(true, "ESP of " + child.tunnel.config.name());
    }

    /** A VPC packet to an office: encrypted with its connection's outbound SA, or dropped while there is none. */
    private Decision fromVpc(FlowKey key) {
        Connection connection = config.connectionCarrying(key.srcAddress(), key.dstAddress());
        if (connection == null) {
            return drop(Drop.NOT_VPN_TRAFFIC, "no connection carries " + key);
        }
        Tunnel tunnel = tunnels.get(connection.name());
        Child child = tunnel.current;
        if (child == null || child.outSlot < 0) {
            drops[Drop.NO_SA.ordinal()]++;
            tunnel.noSaDrops++;
            long now = clock.millis();
            if (connection.initiate() && now - tunnel.lastInitiate >= INITIATE_HOLD_DOWN_MILLIS) {
                tunnel.lastInitiate = now;
                engine.initiate(connection.name(), now);
            }
            return drainDecision(false, "no SA up for " + connection.name());
        }
        outboundFlows.put(key, tunnel);
        pending.add(new FlowRuleInstall(Rule.of(key, new Action.EspEncrypt(child.outSlot),
                new Action.SetVni(config.outsideVni()), config.outsideNextHop().action(outboundKey(child.sa)),
                COUNT)));
        return drainDecision(true, "encrypted to " + connection.name());
    }

    @Override
    public Expiry onFlowExpired(FlowKey key) {
        outboundFlows.remove(key);
        return Expiry.keep("the next packet decides again");
    }

    @Override
    public long nextTimerMillis() {
        return pending.isEmpty() && pendingRemoves.isEmpty() ? engine.nextTimerMillis() : 0;
    }

    /** The engine's retransmissions, DPD, rekeying and expiry, and what earlier calls left to send. */
    @Override
    public Reconfiguration onTimer(long nowMillis) {
        if (engine.nextTimerMillis() <= nowMillis) {
            engine.onTimer(nowMillis);
        }
        return drainReconfiguration("IKE timers", true);
    }

    /**
     * A fastpath process joined (started again, say): the slowpath gave it no outbound SA, since it would count that
     * SA's sequence numbers (its GCM nonces) from the start again. Every CHILD_SA is rekeyed, so that every fastpath
     * encrypts with new keys; until the new SAs come, what it would encrypt is dropped.
     */
    @Override
    public Reconfiguration onFastpathJoined(int fastpathId) {
        long now = clock.millis();
        for (Child child : List.copyOf(children.values())) {
            if (child.outSlot >= 0) {
                engine.rekeyChild(child.sa.childId(), now);
            }
        }
        return drainReconfiguration("fastpath " + fastpathId + " joined: its CHILD_SAs rekeyed", false);
    }

    @Override
    public void onSecurityAssociationCounters(Map<Integer, SaCounters> bySlot) {
        long now = clock.millis();
        for (Child child : children.values()) {
            if (child.outSlot >= 0) {
                SaCounters out = bySlot.get(child.outSlot);
                if (out != null && out.spi() == child.sa.outboundSpi()) {
                    child.out = out;
                }
            }
            SaCounters in = bySlot.get(child.inSlot);
            if (in != null && in.spi() == child.sa.inboundSpi()) {
                child.in = in;
            }
            if (child.tunnel.config.childRekeyBytes() > 0) {
                engine.childSaBytes(child.sa.childId(), Math.max(bytes(child.out), bytes(child.in)), now);
            }
        }
    }

    @Override
    public Map<String, Object> indicators() {
        List<Map<String, Object>> connections = new ArrayList<>();
        int up = 0;
        for (Tunnel tunnel : tunnels.values()) {
            List<Map<String, Object>> sas = new ArrayList<>();
            long packetsIn = tunnel.packetsIn;
            long bytesIn = tunnel.bytesIn;
            long packetsOut = tunnel.packetsOut;
            long bytesOut = tunnel.bytesOut;
            long replays = tunnel.replays;
            long authFailures = tunnel.authFailures;
            long otherDrops = tunnel.otherDrops;
            for (Child child : children.values()) {
                if (child.tunnel != tunnel) {
                    continue;
                }
                if (child.outSlot >= 0) {
                    sas.add(sa(child.outSlot, child.sa.outboundSpi(), "outbound", child.out));
                    packetsOut += packets(child.out);
                    bytesOut += bytes(child.out);
                    otherDrops += child.out == null ? 0 : child.out.otherDrops();
                }
                sas.add(sa(child.inSlot, child.sa.inboundSpi(), "inbound", child.in));
                packetsIn += packets(child.in);
                bytesIn += bytes(child.in);
                if (child.in != null) {
                    replays += child.in.replays();
                    authFailures += child.in.authFailures();
                    otherDrops += child.in.otherDrops();
                }
            }
            boolean tunnelUp = tunnel.current != null;
            up += tunnelUp ? 1 : 0;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", tunnel.config.name());
            c.put("peer", Ipv4Addresses.format(tunnel.config.peerAddress()));
            c.put("ikeState", tunnel.state);
            c.put("reason", tunnel.reason);
            c.put("since", tunnel.since);
            c.put("tunnel", tunnelUp ? "UP" : "DOWN");
            c.put("establishments", tunnel.establishments);
            c.put("securityAssociations", sas);
            c.put("packetsIn", packetsIn);
            c.put("bytesIn", bytesIn);
            c.put("packetsOut", packetsOut);
            c.put("bytesOut", bytesOut);
            c.put("replays", replays);
            c.put("authFailures", authFailures);
            c.put("otherDrops", otherDrops);
            c.put("noSaDrops", tunnel.noSaDrops);
            connections.add(c);
        }
        Map<String, Object> byKind = new LinkedHashMap<>();
        for (Drop drop : Drop.values()) {
            byKind.put(drop.indicator, drops[drop.ordinal()]);
        }
        Map<String, Object> indicators = new LinkedHashMap<>();
        indicators.put("tunnelsUp", up);
        indicators.put("connections", connections);
        indicators.put("outboundFlows", outboundFlows.size());
        indicators.put("securityAssociationSlots", slots.cardinality());
        indicators.put("drops", byKind);
        // the engine's view of each IKE SA and its CHILD SAs: SPIs, proposals, selectors, no keys
        indicators.put("ikeSas", ikeSas());
        return indicators;
    }

    private List<Map<String, Object>> ikeSas() {
        List<Map<String, Object>> views = new ArrayList<>();
        for (IkeSaView sa : engine.ikeSas()) {
            List<Map<String, Object>> childViews = new ArrayList<>();
            for (IkeSaView.Child child : sa.children()) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("childId", child.childId());
                c.put("inboundSpi", child.inboundSpi());
                c.put("outboundSpi", child.outboundSpi());
                c.put("proposal", child.proposal());
                c.put("localSelectors", child.localSelectors().stream().map(Object::toString).toList());
                c.put("remoteSelectors", child.remoteSelectors().stream().map(Object::toString).toList());
                c.put("establishedAt", child.establishedAtMillis());
                childViews.add(c);
            }
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("connection", sa.connection());
            view.put("state", sa.state());
            view.put("initiator", sa.initiator());
            view.put("initiatorSpi", sa.initiatorSpi());
            view.put("responderSpi", sa.responderSpi());
            view.put("local", String.valueOf(sa.local()));
            view.put("remote", String.valueOf(sa.remote()));
            view.put("udpEncapsulated", sa.udpEncapsulated());
            view.put("proposal", sa.proposal());
            view.put("establishedAt", sa.establishedAtMillis());
            view.put("childSas", childViews);
            views.add(view);
        }
        return views;
    }

    /** What the engine calls back, for tests that play its part. */
    IkeEngine.Output engineOutput() {
        return output;
    }

    private static Map<String, Object> sa(int slot, int spi, String direction, SaCounters counters) {
        Map<String, Object> sa = new LinkedHashMap<>();
        // its name in the VNF indicators' ids: connections.<connection>.securityAssociations.<name>.<counter>
        sa.put("name", (direction.equals("inbound") ? "in-" : "out-") + String.format("%08x", spi));
        sa.put("slot", slot);
        sa.put("spi", String.format("%08x", spi));
        sa.put("direction", direction);
        sa.put("packets", packets(counters));
        sa.put("bytes", bytes(counters));
        if (direction.equals("inbound")) {
            sa.put("replays", counters == null ? 0 : counters.replays());
            sa.put("authFailures", counters == null ? 0 : counters.authFailures());
        }
        return sa;
    }

    private static long packets(SaCounters counters) {
        return counters == null ? 0 : counters.packets();
    }

    private static long bytes(SaCounters counters) {
        return counters == null ? 0 : counters.bytes();
    }

    /** What the engine gets to know of a connection. */
    private static IkeConnection ikeConnection(VpnConfig config, Connection c) {
        String localId = c.localId() != null ? c.localId() : Ipv4Addresses.format(config.publicAddress());
        String remoteId = c.remoteId() != null ? c.remoteId() : Ipv4Addresses.format(c.peerAddress());
        return new IkeConnection(c.name(), new Endpoint(config.publicAddress(), IKE_PORT),
                new Endpoint(c.peerAddress(), IKE_PORT), c.psk(), localId, remoteId, selectors(c.localPrefixes()),
                selectors(c.remotePrefixes()), c.ikeProposals(), c.espProposals(), c.initiate(),
                c.ikeRekeySeconds() * 1000L, c.childRekeySeconds() * 1000L, c.childRekeyBytes(),
                c.dpdSeconds() * 1000L);
    }

    private static List<TrafficSelector> selectors(List<Prefix> prefixes) {
        List<TrafficSelector> selectors = new ArrayList<>();
        for (Prefix prefix : prefixes) {
            selectors.add(new TrafficSelector(prefix.first(), prefix.last(), 0, 0, 0xFFFF));
        }
        return selectors;
    }

    /**
     * The peer's ESP flow: decrypted by the SA its SPI names (the fastpath finds it by SPI, so the old and the new SA of
     * a rekey share the rule), into the VPC.
     */
    private Rule inboundRule(FlowKey key, int inSlot) {
        return Rule.of(key, new Action.EspDecrypt(inSlot), new Action.SetVni(config.vpcVni()),
                config.vpcNextHop().action(tunnelKey(key)), COUNT);
    }

    /**
     * What picks the VPC side's endpoint of a tunnel's decrypted packets, when that side is an ingress: one rule
     * decrypts them all, so they cannot go each by its own flow; they go by the tunnel's outer flow, its SPI left out
     * (plain ESP carries it in the ports), so that a rekey keeps them on the same endpoint.
     */
    private static FlowKey tunnelKey(FlowKey inbound) {
        return inbound.protocol() == PROTOCOL_ESP
                ? new FlowKey(inbound.vni(), PROTOCOL_ESP, inbound.srcAddress(), inbound.dstAddress(), 0, 0)
                : inbound;
    }

    /** The key of the ESP packets to the peer as they leave: ESP in UDP from 4500 to its port, or plain ESP. */
    private FlowKey outboundKey(ChildSa sa) {
        if (sa.udpEncapsulated()) {
            return new FlowKey(config.outsideVni(), FlowKey.UDP, sa.local().address(), sa.remote().address(),
                    sa.local().port(), sa.remote().port());
        }
        int spi = sa.outboundSpi();
        return new FlowKey(config.outsideVni(), PROTOCOL_ESP, sa.local().address(), sa.remote().address(),
                spi >>> 16, spi & 0xFFFF);
    }

    /** The key of the peer's ESP packets to the public address: ESP in UDP from its port to 4500, or plain ESP. */
    private FlowKey inboundKey(ChildSa sa) {
        if (sa.udpEncapsulated()) {
            return new FlowKey(config.outsideVni(), FlowKey.UDP, sa.remote().address(), sa.local().address(),
                    sa.remote().port(), sa.local().port());
        }
        int spi = sa.inboundSpi();
        return new FlowKey(config.outsideVni(), PROTOCOL_ESP, sa.remote().address(), sa.local().address(),
                spi >>> 16, spi & 0xFFFF);
    }

    /**
     * The gateway's frames to the outside carry the Ethernet addresses last seen there, turned around (or, before any,
     * those of the VPC's frames as they came: a fastpath forwards frames with their addresses as they are); until then
     * broadcast from a local address.
     */
    private void learnOutsideMacs(ByteBuffer packet, boolean outside) {
        if (packet.remaining() < UdpPackets.VXLAN_LENGTH + UdpPackets.ETHERNET_LENGTH) {
            return;
        }
        if (outside) {
            outsideSourceMac = UdpPackets.destinationMac(packet);
            outsideDestinationMac = UdpPackets.sourceMac(packet);
            macsFromOutside = true;
        } else if (!macsFromOutside) {
            outsideSourceMac = UdpPackets.sourceMac(packet);
            outsideDestinationMac = UdpPackets.destinationMac(packet);
        }
    }

    private Decision drop(Drop why, String reason) {
        drops[why.ordinal()]++;
        if (!pending.isEmpty()) {
            return drainDecision(false, reason);
        }
        return Decision.drop(reason);
    }

    /** What the engine asked for while the miss was handled, with the miss's own installs, in the answer. */
    private Decision drainDecision(boolean reinject, String reason) {
        List<Install> installs = new ArrayList<>(pending);
        pending.clear();
        // a Decision removes nothing: the removes wait for the next timer, which is due now
        return new Decision(installs, reinject, reason);
    }

    private Reconfiguration drainReconfiguration(String reason, boolean transmits) {
        List<Install> installs = new ArrayList<>();
        List<Install> kept = new ArrayList<>();
        for (Install install : pending) {
            (transmits || !(install instanceof Transmit) ? installs : kept).add(install);
        }
        List<FlowKey> removes = new ArrayList<>(pendingRemoves);
        pending.clear();
        pending.addAll(kept);
        pendingRemoves.clear();
        if (installs.isEmpty() && removes.isEmpty()) {
            return Reconfiguration.unchanged(reason);
        }
        return Reconfiguration.update(installs, removes, reason);
    }

    private int allocateSlot() {
        int slot = slots.nextClearBit(0);
        if (slot >= SA_SLOTS) {
            return -1;
        }
        slots.set(slot);
        return slot;
    }

    private void freeSlot(int slot) {
        if (slot >= 0) {
            slots.clear(slot);
            pending.add(new SecurityAssociationRemoval(slot));
        }
    }

    /** Adds the counters of an SA no longer in use to its connection's. */
    private static void retireOut(Child child) {
        child.tunnel.packetsOut += packets(child.out);
        child.tunnel.bytesOut += bytes(child.out);
        child.tunnel.otherDrops += child.out == null ? 0 : child.out.otherDrops();
        child.out = null;
    }

    private static void retireIn(Child child) {
        child.tunnel.packetsIn += packets(child.in);
        child.tunnel.bytesIn += bytes(child.in);
        if (child.in != null) {
            child.tunnel.replays += child.in.replays();
            child.tunnel.authFailures += child.in.authFailures();
            child.tunnel.otherDrops += child.in.otherDrops();
        }
        child.in = null;
    }

    private SecurityAssociation outbound(int slot, ChildSa sa, Connection connection) {
        SecurityAssociation out = SecurityAssociation.outbound(slot, sa.outboundSpi(), sa.outboundKeyMaterial(),
                sa.local().address(), sa.remote().address()).withEsn(sa.esn())
                .withByteLimit(connection.hardByteLimit());
        return sa.udpEncapsulated() ? out.withUdpEncapsulation(sa.local().port(), sa.remote().port()) : out;
    }

    /**
     * The inbound SA of a CHILD_SA: it lets in only what its traffic selectors allow (RFC 4301 §5.2 step 4), inner
     * sources within the peer's selectors and destinations within ours.
     */
    private SecurityAssociation inbound(int slot, ChildSa sa, Connection connection) {
        SecurityAssociation in = SecurityAssociation.inbound(slot, sa.inboundSpi(), sa.inboundKeyMaterial())
                .withEsn(sa.esn()).withReplayWindow(connection.replayWindow())
                .withByteLimit(connection.hardByteLimit())
                .withSelectors(addressRanges(sa.remoteSelectors()), addressRanges(sa.localSelectors()));
        return sa.udpEncapsulated() ? in.withUdpEncapsulation(sa.remote().port(), sa.local().port()) : in;
    }

    /**
     * The address ranges of traffic selectors (their protocols and ports are not checked). More than a fastpath takes
     * ({@link SecurityAssociation#MAX_SELECTOR_RANGES}) become the one range from the lowest start to the highest end:
     * looser, but never dropping what the selectors allow.
     */
    static List<SecurityAssociation.AddressRange> addressRanges(List<TrafficSelector> selectors) {
        if (selectors.size() > SecurityAssociation.MAX_SELECTOR_RANGES) {
            int start = -1;
            int end = 0;
            for (TrafficSelector selector : selectors) {
                start = Integer.compareUnsigned(selector.startAddress(), start) < 0 ? selector.startAddress() : start;
                end = Integer.compareUnsigned(selector.endAddress(), end) > 0 ? selector.endAddress() : end;
            }
            return List.of(new SecurityAssociation.AddressRange(start, end));
        }
        List<SecurityAssociation.AddressRange> ranges = new ArrayList<>(selectors.size());
        for (TrafficSelector selector : selectors) {
            ranges.add(new SecurityAssociation.AddressRange(selector.startAddress(), selector.endAddress()));
        }
        return ranges;
    }

    /** The engine's hands: what it sends and the SAs it negotiates become the answer of the call that ran it. */
    private final class EngineOutput implements IkeEngine.Output {

        @Override
        public void send(Endpoint local, Endpoint remote, byte[] udpPayload) {
            if (config == null) {
                return;
            }
            byte[] packet = UdpPackets.build(config.outsideVni(), outsideSourceMac, outsideDestinationMac,
                    local.address(), local.port(), remote.address(), remote.port(), udpPayload);
            // not sent while the outside is an ingress without endpoints: IKE retransmits, or times out
            config.outsideNextHop().transmit(packet, new FlowKey(config.outsideVni(), FlowKey.UDP, local.address(),
                    remote.address(), local.port(), remote.port())).ifPresent(pending::add);
        }

        @Override
        public void childSaUp(ChildSa sa) {
            Tunnel tunnel = tunnels.get(sa.connection());
            if (tunnel == null || config == null) {
                return;
            }
            int outSlot = allocateSlot();
            int inSlot = allocateSlot();
            if (outSlot < 0 || inSlot < 0) {
                if (outSlot >= 0) {
                    slots.clear(outSlot);
                }
                drops[Drop.NO_SLOT.ordinal()]++;
                LOG.log(System.Logger.Level.WARNING, "VPN connection {0}: no free SA slot, its CHILD SA is unused",
                        sa.connection());
                return;
            }
            Child child = new Child(sa, tunnel, outSlot, inSlot, inboundKey(sa));
            install(child);
            tunnel.current = child;
            tunnel.establishments++;
        }

        @Override
        public void childSaRekeyed(ChildSa old, ChildSa replacement) {
            Child previous = children.get(old.childId());
            Tunnel tunnel = tunnels.get(replacement.connection());
            if (previous == null || tunnel == null || previous.outSlot < 0) {
                childSaUp(replacement);
                return;
            }
            int inSlot = allocateSlot();
            if (inSlot < 0) {
                drops[Drop.NO_SLOT.ordinal()]++;
                return;
            }
            // the outbound SA goes into the same slot: every flow's rule encrypts with the new one from now on
            int outSlot = previous.outSlot;
            retireOut(previous);
            previous.outSlot = -1;
            Child child = new Child(replacement, tunnel, outSlot, inSlot, inboundKey(replacement));
            install(child);
            if (tunnel.current == previous) {
                tunnel.current = child;
            }
        }

        private void install(Child child) {
            Connection connection = child.tunnel.config;
            children.put(child.sa.childId(), child);
            byInboundSpi.put(child.sa.inboundSpi(), child);
            pending.add(new SecurityAssociationInstall(outbound(child.outSlot, child.sa, connection)));
            pending.add(new SecurityAssociationInstall(inbound(child.inSlot, child.sa, connection)));
            pending.add(new FlowRuleInstall(inboundRule(child.inboundKey, child.inSlot)));
        }

        @Override
        public void childSaDown(ChildSa sa, String reason) {
            Child child = children.remove(sa.childId());
            if (child == null) {
                return;
            }
            byInboundSpi.remove(sa.inboundSpi(), child);
            Tunnel tunnel = child.tunnel;
            if (child.outSlot >= 0) {
                retireOut(child);
                freeSlot(child.outSlot);
                child.outSlot = -1;
            }
            retireIn(child);
            freeSlot(child.inSlot);
            if (tunnel.current == child) {
                tunnel.current = null;
                // the flows re-miss: they get the next SA's slot, or drop and restart the connection
                outboundFlows.entrySet().removeIf(flow -> {
                    if (flow.getValue() == tunnel) {
                        pendingRemoves.add(flow.getKey());
                        return true;
                    }
                    return false;
                });
            }
            boolean keyInUse = false;
            for (Child other : children.values()) {
                keyInUse |= other.inboundKey.equals(child.inboundKey);
            }
            if (!keyInUse) {
                pendingRemoves.add(child.inboundKey);
            }
        }

        /** The old CHILD SA of a rekey is deleted: its inbound SA goes (its outbound slot is its successor's). */
        @Override
        public void childSaRetired(ChildSa old) {
            childSaDown(old, "rekeyed, retired");
        }

        @Override
        public void ikeSaState(String connection, String state, String reason) {
            Tunnel tunnel = tunnels.get(connection);
            if (tunnel != null) {
                tunnel.state = state;
                tunnel.reason = reason;
                tunnel.since = clock.millis();
            }
        }
    }
}
