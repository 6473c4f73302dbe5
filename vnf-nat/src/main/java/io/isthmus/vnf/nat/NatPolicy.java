package io.isthmus.vnf.nat;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.FlowTimeouts;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.Rule;
import io.isthmus.slowpath.policy.ConfigFields;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Egress;
import io.isthmus.slowpath.policy.Expiry;
import io.isthmus.slowpath.policy.FlowRuleInstall;
import io.isthmus.slowpath.policy.IcmpErrors;
import io.isthmus.slowpath.policy.Install;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.VnfPolicy;

/**
 * Network address and port translation (VNF type {@code "nat"}), as RFC 4787, RFC 5382 and RFC 5508 ask (docs/nat.md
 * has the requirement by requirement account). A flow from the inside VNI gets its inside endpoint bound to a port of
 * its host's port block on the host's public address; the slowpath installs, in every fastpath, the forward rule
 * (rewrite source, set the outside VNI, decrement TTL, send to the outside next hop) and the reverse rule (outside VNI,
 * public destination → rewrite destination back, inside VNI, decrement TTL, send to the inside next hop). UDP and TCP
 * are translated by port, ICMP echo by identifier.
 * <p>
 * A new flow from outside to a bound public endpoint starts a session if the configured {@link Filtering} admits its
 * remote (a port forward admits anyone); anything else from outside is dropped. A flow from the inside to one of the
 * public endpoints is hairpinned: translated in both source (its own public endpoint) and destination (the inside
 * endpoint behind it) and sent back in on the inside VNI, subject to the target's filtering. ICMP errors never start
 * anything: one that a fastpath punts re-installs the rules of the session it belongs to, or is dropped.
 * <p>
 * A flow beyond the session limits, or one that finds no port, is dropped and its inside host told with an ICMP
 * destination unreachable, administratively prohibited (RFC 5508 REQ-8). Every drop is counted by its kind in
 * {@link #indicators()}. A punted packet of a known session gets the same rules again, so a fastpath that restarts or
 * joins re-learns every flow without changing its translation. When a session's forward and reverse rules have both
 * expired in every fastpath (FLOW_EXPIRED), both are removed everywhere; the binding goes with its last session, and
 * its host's port block with the block's last binding.
 * <p>
 * A slowpath that restarts while the fastpaths forward learns the NAT's state back from the rules they hold
 * ({@link #learn}): each forward, reverse or hairpin rule that this configuration would install gives back its binding,
 * with the same public endpoint, and its session, so established flows keep their translation. A rule that contradicts
 * the configuration or what was learned already is refused, and removed from the fastpath that held it.
 */
public final class NatPolicy implements VnfPolicy {

    public static final String VNF_TYPE = "nat";
    private static final System.Logger LOG = System.getLogger(NatPolicy.class.getName());
    /** Destination unreachable code 13: communication administratively prohibited (RFC 1812 5.2.7.1). */
    static final int CODE_ADMINISTRATIVELY_PROHIBITED = 13;

    // actions are immutable: the ones every rule shares are made once per configuration
    private static final Action COUNT = new Action.Count();
    private static final Action DECREMENT_TTL = new Action.DecrementTtl();

    /** What a dropped packet was, for the {@code drops} indicator. */
    enum Drop {
        NOT_CONFIGURED("notConfigured"),
        /** Not TCP, UDP or ICMP. */
        PROTOCOL("protocol"),
        /** A port 0, a non-unicast address, an ICMP key that is not an echo's, a public address as a source. */
        MALFORMED("malformed"),
        /** From outside to an address that is not one of the public addresses, or on another VNI. */
        NOT_ADDRESSED("notAddressed"),
        /** To a public endpoint no binding holds. */
        UNSOLICITED("unsolicited"),
        /** To a bound public endpoint, from a remote its filtering refuses. */
        FILTERED("filtered"),
        /** An ICMP error about no session of the NAT. */
        NO_BINDING("noBinding"),
        /** No port left for a new binding. */
        EXHAUSTED("exhausted"),
        /** A new session beyond maxSessions or maxSessionsPerHost. */
        SESSION_LIMIT("sessionLimit");

        private final String indicator;

        Drop(String indicator) {
            this.indicator = indicator;
        }
    }

    private final Clock clock;
    private final long[] drops = new long[Drop.values().length];
    private NatConfig config;
    private NatBindings bindings;
    private Action toInsideVni;
    private Action toOutsideVni;
    private boolean loggedExhaustion;
    private boolean loggedRefusal;
    private long refusedRules;
    /** While state is taken over into a new configuration: its blocks are logged once it is in place, as changes. */
    private boolean quietBlocks;

    /** The policy the ServiceLoader makes: its port-block log lines carry the system's UTC time. */
    public NatPolicy() {
        this(Clock.systemUTC());
    }

    /** @param clock the time of the port-block log lines */
    public NatPolicy(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String vnfType() {
        return VNF_TYPE;
    }

    /**
     * Applies a configuration as {@link #reconfigure} does; true if the rules installed change (a driver that only
     * knows this answer then removes them all, which is right, if not kind to the flows).
     */
    @Override
    public boolean configure(JsonNode json) throws InvalidConfigException {
        return reconfigure(json).changesRules();
    }

    /**
     * A new configuration keeps every established flow it still allows: each binding is taken over with its public
     * endpoint and its sessions, unless the new configuration refuses it (its public address is gone, its port left
     * the range or is a port forward's now, its host is paired with another address by a new forward, ...), and the
     * rules that changed are installed again (new next hops, new VNIs) while those of the bindings ended are removed.
     * Filtering and session limits apply to new sessions only. The port blocks given up or taken are logged as
     * released or allocated.
     */
    @Override
    public Reconfiguration reconfigure(JsonNode json) throws InvalidConfigException {
        NatConfig next = NatConfig.from(json);
        if (next.equals(config)) {
            return Reconfiguration.unchanged("the same configuration");
        }
        if (config == null) {
            install(next, new NatBindings(next, this::logBlock));
            return Reconfiguration.unchanged("the first configuration");
        }
        NatBindings previous = bindings;
        Rebuilt rebuilt = rebuild(next, NatState.of(previous), previous::isPublic);
        if (!rebuilt.problems().isEmpty()) {
            LOG.log(Level.INFO, "the new NAT configuration ends {0,number,#} bindings or sessions, e.g. {1}",
                    rebuilt.problems().size(), rebuilt.problems().getFirst());
        }
        return replace(next, rebuilt.bindings(), "new configuration");
    }

    /**
     * The NAT's state for a snapshot: its bindings, port forwards included, each with its sessions ({@link NatState}).
     */
    @Override
    public JsonNode snapshotState() {
        return bindings == null ? new NatState(List.of()).toJson() : NatState.of(bindings).toJson();
    }

    /**
     * Restores a snapshot: its configuration and, in place of the bindings there are, the snapshot's, each with exactly
     * its public endpoint and its sessions. All or nothing: a state that does not read, or that its own configuration
     * refuses, changes nothing. The fastpaths then get the snapshot's rules and lose the others.
     */
    @Override
    public Reconfiguration restore(JsonNode configJson, JsonNode stateJson) throws InvalidConfigException {
        NatConfig next = NatConfig.from(configJson);
        NatState state = NatState.from(stateJson);
        Rebuilt rebuilt = rebuild(next, state, next.publicAddresses()::contains);
        if (!rebuilt.problems().isEmpty()) {
            throw new InvalidConfigException(rebuilt.problems().stream().map(p -> "state." + p).toList());
        }
        return replace(next, rebuilt.bindings(), "snapshot restored");
    }

    /** Bindings of {@code next} made from {@code state}, with what was left out and why. */
    private record Rebuilt(NatBindings bindings, List<String> problems) {
    }

    private Rebuilt rebuild(NatConfig next, NatState state, IntPredicate wasPublic) {
        quietBlocks = true;
        try {
            NatBindings rebuilt = new NatBindings(next, this::logBlock);
            return new Rebuilt(rebuilt, rebuilt.carry(state, wasPublic));
        } finally {
            quietBlocks = false;
        }
    }

    /**
     * Puts {@code next} and {@code rebuilt} in place of the configuration and bindings there are; logs the blocks that
     * changed hands and says which rules to remove and install.
     */
    private Reconfiguration replace(NatConfig next, NatBindings rebuilt, String reason) {
        Map<FlowKey, Rule> before = config == null ? Map.of() : rules();
        Set<PortBlockEvent> blocksBefore = bindings == null ? Set.of() : bindings.heldBlocks();
        install(next, rebuilt);
        Set<PortBlockEvent> blocksAfter = rebuilt.heldBlocks();
        for (PortBlockEvent block : blocksBefore) {
            if (!blocksAfter.contains(block)) {
                logBlock(new PortBlockEvent(false, block.insideAddress(), block.publicAddress(), block.firstPort(),
                        block.lastPort(), false));
            }
        }
        for (PortBlockEvent block : blocksAfter) {
            if (!blocksBefore.contains(block)) {
                logBlock(block);
            }
        }
        Map<FlowKey, Rule> after = rules();
        List<FlowKey> removes = new ArrayList<>();
        for (FlowKey key : before.keySet()) {
            if (!after.containsKey(key)) {
                removes.add(key);
            }
        }
        List<Install> installs = new ArrayList<>();
        after.forEach((key, rule) -> {
            if (!rule.equals(before.get(key))) {
                installs.add(new FlowRuleInstall(rule));
            }
        });
        return Reconfiguration.update(installs, removes, reason);
    }

    private void install(NatConfig next, NatBindings nextBindings) {
        config = next;
        bindings = nextBindings;
        toInsideVni = new Action.SetVni(next.insideVni());
        toOutsideVni = new Action.SetVni(next.outsideVni());
        loggedExhaustion = false;
        loggedRefusal = false;
        LOG.log(Level.INFO, "NAT to {0} ports {1,number,#}-{2,number,#} in blocks of {3,number,#}, {4} filtering,"
                + " {5,number,#} port forwards, VNI {6,number,#} -> {7,number,#}",
                next.publicAddresses().stream().map(Ipv4Addresses::format).toList(), next.portRangeStart(),
                next.portRangeEnd(), next.portBlockSize(), next.filtering().json(), next.portForwards().size(),
                next.insideVni(), next.outsideVni());
    }

    /**
     * The rules the fastpaths hold for the state now, by key: each session's forward and reverse rule (its hairpin rule
     * for one end of a hairpinned pair), those expired everywhere left out.
     */
    private Map<FlowKey, Rule> rules() {
        Map<FlowKey, Rule> rules = new LinkedHashMap<>();
        for (NatBinding binding : bindings.all()) {
            binding.forEachRemote((address, port, expired) -> {
                if (bindings.isPublic(address)) {
                    Optional<NatBinding> peer = bindings.byPublic(binding.protocol(), address, port);
                    if (peer.isPresent() && (expired & NatBinding.FORWARD) == 0) {
                        Rule rule = hairpinRule(binding, peer.get());
                        rules.put(rule.key(), rule);
                    }
                    return;
                }
                if ((expired & NatBinding.FORWARD) == 0) {
                    Rule rule = forwardRule(binding, address, port);
                    rules.put(rule.key(), rule);
                }
                if ((expired & NatBinding.REVERSE) == 0) {
                    Rule rule = reverseRule(binding, address, port);
                    rules.put(rule.key(), rule);
                }
            });
        }
        return rules;
    }

    /** The idle timeouts the fastpaths should apply, in seconds (the RFC defaults until a config is applied). */
    public NatTimeouts timeouts() {
        return config == null ? NatTimeouts.DEFAULTS : config.timeouts();
    }

    /** The configured timeouts for the fastpaths (TIMEOUTS); "other" protocols are never translated: 5 minutes. */
    @Override
    public Optional<FlowTimeouts> flowTimeouts() {
        NatTimeouts t = timeouts();
        return Optional.of(new FlowTimeouts(t.tcpEstablished(), t.tcpTransitory(), t.udp(), t.icmp(),
                FlowTimeouts.DEFAULTS.other()));
    }

    @Override
    public Decision onMiss(Miss miss) {
        if (config == null) {
            return drop(Drop.NOT_CONFIGURED, "not configured");
        }
        FlowKey key = miss.key();
        int protocol = key.protocol();
        if (protocol != FlowKey.TCP && protocol != FlowKey.UDP && protocol != FlowKey.ICMP) {
            return drop(Drop.PROTOCOL, "protocol " + protocol + " not translated");
        }
        if (key.vni() == config.insideVni()) {
            if (miss.isIcmpError()) {
                return outboundError(key);
            }
            String malformed = malformedOutbound(key);
            if (malformed != null) {
                return drop(Drop.MALFORMED, malformed);
            }
            return bindings.isPublic(key.dstAddress()) ? hairpin(miss) : outbound(miss);
        }
        if (key.vni() == config.outsideVni() && bindings.isPublic(key.dstAddress())) {
            if (bindings.isPublic(key.srcAddress()) || !ConfigFields.isUnicast(key.srcAddress())) {
                return drop(Drop.MALFORMED, "source " + Ipv4Addresses.format(key.srcAddress()) + " from outside");
            }
            return inbound(key, miss.isIcmpError());
        }
        return drop(Drop.NOT_ADDRESSED, "not addressed to this NAT");
    }

    /**
     * Why a packet from the inside may not start a binding, or null: only TCP and UDP between ports that are not 0,
     * or an ICMP echo request (keyed with destination "port" 0), between unicast addresses.
     */
    private static String malformedOutbound(FlowKey key) {
        if (!ConfigFields.isUnicast(key.srcAddress()) || !ConfigFields.isUnicast(key.dstAddress())) {
            return "not between unicast addresses: " + key;
        }
        if (key.protocol() == FlowKey.ICMP ? key.dstPort() != 0 : key.srcPort() == 0 || key.dstPort() == 0) {
            return key.protocol() == FlowKey.ICMP
                    ? "ICMP from the inside that is not an echo request: " + key
                    : "port 0: " + key;
        }
        return null;
    }

    /** A flow leaving the inside: bind its source (or reuse the binding) and start a session with the remote. */
    private Decision outbound(Miss miss) {
        FlowKey key = miss.key();
        NatBinding binding = bindings.byInside(key.protocol(), key.srcAddress(), key.srcPort()).orElse(null);
        if (binding != null && binding.knowsRemote(key.dstAddress(), key.dstPort())) {
            bindings.addSession(binding, key.dstAddress(), key.dstPort());
            return rules(binding, key.dstAddress(), key.dstPort());
        }
        if (overLimits(key.srcAddress(), 1, key.srcAddress(), 0)) {
            return refuse(Drop.SESSION_LIMIT, "session limit reached for " + Ipv4Addresses.format(key.srcAddress()),
                    miss);
        }
        if (binding == null) {
            binding = bind(miss);
            if (binding == null) {
                return refuse(Drop.EXHAUSTED, "port range exhausted", miss);
            }
        }
        bindings.addSession(binding, key.dstAddress(), key.dstPort());
        return rules(binding, key.dstAddress(), key.dstPort());
    }

    /**
     * A flow from the inside to one of the public endpoints (RFC 4787 REQ-9, RFC 5382 REQ-8): the target binding's
     * inside endpoint receives it from the sender's own public endpoint (REQ-9b), if the target's filtering admits
     * that endpoint; both become sessions of their bindings, the two hairpin rules each the other's reverse.
     */
    private Decision hairpin(Miss miss) {
        FlowKey key = miss.key();
        String to = Ipv4Addresses.format(key.dstAddress()) + ":" + key.dstPort();
        NatBinding target = bindings.byPublic(key.protocol(), key.dstAddress(), key.dstPort()).orElse(null);
        if (target == null) {
            return drop(Drop.UNSOLICITED, "hairpinned to " + to + ", which no binding holds");
        }
        NatBinding source = bindings.byInside(key.protocol(), key.srcAddress(), key.srcPort()).orElse(null);
        if (source != null && source.knowsRemote(key.dstAddress(), key.dstPort())) {
            bindings.addSession(source, key.dstAddress(), key.dstPort());
            bindings.addSession(target, source.publicAddress(), source.publicPort());
            return rules(source, key.dstAddress(), key.dstPort());
        }
        boolean admitted;
        if (source != null) {
            admitted = target.admits(source.publicAddress(), source.publicPort(), config.filtering());
        } else {
            // the source's public port is not chosen yet, so the target cannot have sent to it; its address is known
            int paired = bindings.pairedAddress(key.srcAddress());
            int address = paired != 0 ? paired : bindings.nextPairing();
            if (address == 0) {
                return refuse(Drop.EXHAUSTED, "port range exhausted", miss);
            }
            admitted = (config.filtering() != Filtering.ADDRESS_AND_PORT_DEPENDENT || target.isPortForward())
                    && target.admits(address, 0, config.filtering());
        }
        if (!admitted) {
            return drop(Drop.FILTERED, "hairpinned to " + to + ": its filtering refuses "
                    + Ipv4Addresses.format(key.srcAddress()));
        }
        boolean newForTarget = source == null || !target.knowsRemote(source.publicAddress(), source.publicPort());
        if (overLimits(key.srcAddress(), 1, target.insideAddress(), newForTarget ? 1 : 0)) {
            return refuse(Drop.SESSION_LIMIT, "session limit reached for " + Ipv4Addresses.format(key.srcAddress())
                    + " or " + Ipv4Addresses.format(target.insideAddress()), miss);
        }
        if (source == null) {
            source = bind(miss);
            if (source == null) {
                return refuse(Drop.EXHAUSTED, "port range exhausted", miss);
            }
        }
        bindings.addSession(source, key.dstAddress(), key.dstPort());
        bindings.addSession(target, source.publicAddress(), source.publicPort());
        return hairpinRules(source, target);
    }

    /** A new binding for the miss's source; null, logged once, if its public address has no port left. */
    private NatBinding bind(Miss miss) {
        FlowKey key = miss.key();
        Optional<NatBinding> binding = bindings.bind(key.protocol(), key.srcAddress(), key.srcPort());
        if (binding.isEmpty() && !loggedExhaustion) {
            loggedExhaustion = true;
            int paired = bindings.pairedAddress(key.srcAddress());
            LOG.log(Level.WARNING, "NAT ports exhausted on {0} for {1}; new bindings are dropped",
                    paired == 0 ? "every public address" : Ipv4Addresses.format(paired),
                    Ipv4Addresses.format(key.srcAddress()));
        }
        return binding.orElse(null);
    }

    /** Whether {@code moreA} new sessions of host A and {@code moreB} of host B would go over a session limit. */
    private boolean overLimits(int hostA, int moreA, int hostB, int moreB) {
        if (bindings.sessions() + moreA + moreB > config.maxSessions()) {
            return true;
        }
        int perHost = config.maxSessionsPerHost();
        if (hostA == hostB) {
            return bindings.sessionsOf(hostA) + moreA + moreB > perHost;
        }
        return bindings.sessionsOf(hostA) + moreA > perHost || bindings.sessionsOf(hostB) + moreB > perHost;
    }

    /**
     * A new flow from the inside the NAT will not take: dropped, and the inside host told with an ICMP destination
     * unreachable, communication administratively prohibited, from its public address (RFC 5508 REQ-8), unless the
     * punted packet is one no error may be sent about.
     */
    private Decision refuse(Drop why, String reason, Miss miss) {
        drops[why.ordinal()]++;
        return IcmpErrors.error(miss.packet(), IcmpErrors.TYPE_DESTINATION_UNREACHABLE,
                CODE_ADMINISTRATIVELY_PROHIBITED, errorSource(miss.key()))
                .map(packet -> transmit(packet, config.insideNextHop(), miss.key(), reason))
                .orElseGet(() -> Decision.drop(reason));
    }

    /**
     * An ICMP error from the inside about a packet the NAT let in, whose session's rule a fastpath lacks: translated
     * by the session it belongs to (a hairpinned one too, RFC 5508 REQ-7), never one made for it (REQ-5).
     */
    private Decision outboundError(FlowKey key) {
        Optional<NatBinding> binding = bindings.byInside(key.protocol(), key.srcAddress(), key.srcPort());
        if (binding.isEmpty() || !binding.get().knowsRemote(key.dstAddress(), key.dstPort())) {
            return drop(Drop.NO_BINDING, "ICMP error for no binding");
        }
        return rules(binding.get(), key.dstAddress(), key.dstPort());
    }

    /**
     * A packet this NAT would forward with its TTL at zero: answered with an ICMP time exceeded from the NAT's public
     * address (towards the inside, the one the host is paired with; towards the outside, the one the packet was sent
     * to), sent back the way it came by the fastpath that punted it.
     */
    @Override
    public Decision onTtlExceeded(Miss miss) {
        if (config == null) {
            return drop(Drop.NOT_CONFIGURED, "not configured");
        }
        Egress back;
        if (miss.key().vni() == config.insideVni()) {
            back = config.insideNextHop();
        } else if (miss.key().vni() == config.outsideVni()) {
            back = config.outsideNextHop();
        } else {
            return drop(Drop.NOT_ADDRESSED, "not a segment of this NAT");
        }
        return IcmpErrors.timeExceeded(miss.packet(), errorSource(miss.key()))
                .map(packet -> transmit(packet, back, miss.key(), "time exceeded"))
                .orElseGet(() -> Decision.drop("no ICMP error about this packet"));
    }

    /** The public address an ICMP error about a packet of {@code key} comes from. */
    private int errorSource(FlowKey key) {
        if (key.vni() == config.insideVni()) {
            int paired = bindings.pairedAddress(key.srcAddress());
            return paired != 0 ? paired : config.publicAddress();
        }
        return bindings.isPublic(key.dstAddress()) ? key.dstAddress() : config.publicAddress();
    }

    /**
     * An ICMP error about a punted packet of {@code about}, sent by {@code egress}: keyed as the packet it quotes
     * turned around (as a fastpath keys an ICMP error), so it reaches the same fastpath of an ingress as that flow's
     * packets the other way; dropped if the egress is not wired.
     */
    private static Decision transmit(byte[] packet, Egress egress, FlowKey about, String reason) {
        return egress.transmit(packet, about.reversed(about.vni()))
                .map(transmit -> new Decision(List.<Install>of(transmit), false, reason))
                .orElseGet(() -> Decision.drop(reason + " (next hop not wired)"));
    }

    /**
     * A packet to a public address whose rule a fastpath lacks: a session's, or a new one its binding's filtering
     * admits. An ICMP error only ever finds a session (RFC 5508 REQ-4).
     */
    private Decision inbound(FlowKey key, boolean icmpError) {
        Optional<NatBinding> found = bindings.byPublic(key.protocol(), key.dstAddress(), key.dstPort());
        if (found.isEmpty()) {
            return icmpError
                    ? drop(Drop.NO_BINDING, "ICMP error for no binding")
                    : drop(Drop.UNSOLICITED, "no binding for " + Ipv4Addresses.format(key.dstAddress()) + ":"
                            + key.dstPort());
        }
        NatBinding binding = found.get();
        if (binding.knowsRemote(key.srcAddress(), key.srcPort())) {
            if (!icmpError) {
                // an error re-installs the rules but refreshes nothing (RFC 5508 REQ-6)
                bindings.addSession(binding, key.srcAddress(), key.srcPort());
            }
            return rules(binding, key.srcAddress(), key.srcPort());
        }
        if (icmpError) {
            return drop(Drop.NO_BINDING, "ICMP error for no session");
        }
        if (key.protocol() != FlowKey.ICMP && key.srcPort() == 0) {
            return drop(Drop.MALFORMED, "port 0: " + key);
        }
        if (!binding.admits(key.srcAddress(), key.srcPort(), config.filtering())) {
            return drop(Drop.FILTERED, "unsolicited from " + Ipv4Addresses.format(key.srcAddress()) + ":"
                    + key.srcPort());
        }
        if (overLimits(binding.insideAddress(), 1, binding.insideAddress(), 0)) {
            // silently: an answer to every refused packet from outside would serve whoever floods the NAT
            return drop(Drop.SESSION_LIMIT, "session limit reached for "
                    + Ipv4Addresses.format(binding.insideAddress()));
        }
        bindings.addSession(binding, key.srcAddress(), key.srcPort());
        return rules(binding, key.srcAddress(), key.srcPort());
    }

    /**
     * One direction of a session expired in every fastpath. When the other has too, the session is over: both rules
     * are removed everywhere, and a binding left without sessions is released.
     */
    @Override
    public Expiry onFlowExpired(FlowKey key) {
        if (config == null) {
            return Expiry.keep("not configured");
        }
        Optional<NatBinding> binding;
        int remoteAddress;
        int remotePort;
        int direction;
        if (key.vni() == config.insideVni()) {
            binding = bindings.byInside(key.protocol(), key.srcAddress(), key.srcPort());
            if (binding.isPresent() && bindings.isPublic(key.dstAddress())) {
                return hairpinExpired(binding.get(), key);
            }
            remoteAddress = key.dstAddress();
            remotePort = key.dstPort();
            direction = NatBinding.FORWARD;
        } else if (key.vni() == config.outsideVni() && bindings.isPublic(key.dstAddress())) {
            binding = bindings.byPublic(key.protocol(), key.dstAddress(), key.dstPort());
            remoteAddress = key.srcAddress();
            remotePort = key.srcPort();
            direction = NatBinding.REVERSE;
        } else {
            return Expiry.keep("not a rule of this NAT");
        }
        if (binding.isEmpty()) {
            return Expiry.keep("no binding");
        }
        NatBinding b = binding.get();
        if (!bindings.expire(b, remoteAddress, remotePort, direction)) {
            return Expiry.keep("the other direction is still in use");
        }
        bindings.releaseIfIdle(b);
        return Expiry.remove(forwardKey(b, remoteAddress, remotePort), reverseKey(b, remoteAddress, remotePort));
    }

    /** The NAT learns its bindings back from the fastpaths' rules: a restarted slowpath keeps their flows. */
    @Override
    public boolean learnsRules() {
        return true;
    }

    /**
     * A rule a fastpath held when it registered with this slowpath: if it is one this NAT would install now (a forward,
     * reverse or hairpin rule with this configuration's VNIs and next hops), its binding is taken back with exactly its
     * public endpoint ({@link NatBindings#adopt}) and its session with it, counted as if a miss had started them.
     * Learning a rule again (another fastpath's copy) changes nothing. A rule that contradicts the configuration or
     * what was learned already is refused: counted ({@code refusedRules}), the first one logged.
     */
    @Override
    public boolean learn(Rule rule) {
        if (config == null) {
            return false;
        }
        String refusal = learned(rule);
        if (refusal == null) {
            return true;
        }
        refusedRules++;
        if (!loggedRefusal) {
            loggedRefusal = true;
            LOG.log(Level.WARNING, "NAT did not learn back {0}: {1}; refused rules are removed from the fastpath that"
                    + " held them and counted (refusedRules)", rule, refusal);
        }
        return false;
    }

    /** Takes back the binding and session {@code rule} stands for; null if it did, else why not. */
    private String learned(Rule rule) {
        FlowKey key = rule.key();
        int protocol = key.protocol();
        if (protocol != FlowKey.TCP && protocol != FlowKey.UDP && protocol != FlowKey.ICMP) {
            return "protocol " + protocol + " is not translated";
        }
        List<Action> actions = rule.actions();
        if (key.vni() == config.insideVni()
                && actions.getFirst() instanceof Action.RewriteSource(int publicAddress, int publicPort)) {
            NatBinding source = new NatBinding(protocol, key.srcAddress(), key.srcPort(), publicAddress, publicPort,
                    false);
            if (!bindings.isPublic(key.dstAddress())) {
                return learnedSession(rule, source, key.dstAddress(), key.dstPort(), NatBinding.FORWARD);
            }
            if (actions.size() > 1
                    && actions.get(1) instanceof Action.RewriteDestination(int insideAddress, int insidePort)) {
                return learnedHairpin(rule, source, new NatBinding(protocol, insideAddress, insidePort,
                        key.dstAddress(), key.dstPort(), false));
            }
        } else if (key.vni() == config.outsideVni() && bindings.isPublic(key.dstAddress())
                && actions.getFirst() instanceof Action.RewriteDestination(int insideAddress, int insidePort)) {
            return learnedSession(rule, new NatBinding(protocol, insideAddress, insidePort, key.dstAddress(),
                    key.dstPort(), false), key.srcAddress(), key.srcPort(), NatBinding.REVERSE);
        }
        return "not a rule of this NAT";
    }

    /**
     * Takes back, from its forward or reverse rule, the session of {@code wanted}'s inside endpoint with a remote: the
     * rule must be the one this NAT would install for them now, the binding one {@link NatBindings#adopt} takes, and
     * a new session within the limits.
     */
    private String learnedSession(Rule rule, NatBinding wanted, int remoteAddress, int remotePort, int direction) {
        String malformed = malformedOutbound(forwardKey(wanted, remoteAddress, remotePort));
        if (malformed != null) {
            return malformed;
        }
        if (bindings.isPublic(remoteAddress)) {
            return "a public address as a remote: " + Ipv4Addresses.format(remoteAddress);
        }
        Rule expected = direction == NatBinding.FORWARD
                ? forwardRule(wanted, remoteAddress, remotePort)
                : reverseRule(wanted, remoteAddress, remotePort);
        if (!expected.equals(rule)) {
            return "this NAT's rule would be " + expected;
        }
        String refusal = adoptRefusal(wanted);
        if (refusal != null) {
            return refusal;
        }
        if (!knowsSession(wanted, remoteAddress, remotePort)
                && overLimits(wanted.insideAddress(), 1, wanted.insideAddress(), 0)) {
            return "session limit reached for " + Ipv4Addresses.format(wanted.insideAddress());
        }
        bindings.learnSession(adopt(wanted), remoteAddress, remotePort, direction);
        return null;
    }

    /**
     * Takes back a hairpinned pair from one of its two rules, the one from {@code source}'s inside endpoint to
     * {@code target}'s public endpoint: both bindings, and the session of each with the other's public endpoint.
     */
    private String learnedHairpin(Rule rule, NatBinding source, NatBinding target) {
        String malformed = malformedOutbound(rule.key());
        if (malformed == null) {
            malformed = malformedOutbound(hairpinKey(target, source));
        }
        if (malformed != null) {
            return malformed;
        }
        Rule expected = hairpinRule(source, target);
        if (!expected.equals(rule)) {
            return "this NAT's rule would be " + expected;
        }
        String refusal = adoptRefusal(source);
        if (refusal == null) {
            refusal = adoptRefusal(target);
        }
        if (refusal != null) {
            return refusal;
        }
        int newForSource = knowsSession(source, target.publicAddress(), target.publicPort()) ? 0 : 1;
        int newForTarget = knowsSession(target, source.publicAddress(), source.publicPort()) ? 0 : 1;
        if (overLimits(source.insideAddress(), newForSource, target.insideAddress(), newForTarget)) {
            return "session limit reached for " + Ipv4Addresses.format(source.insideAddress()) + " or "
                    + Ipv4Addresses.format(target.insideAddress());
        }
        NatBinding from = adopt(source);
        // the two ends may contradict each other (one host on two addresses, one block for two hosts)
        refusal = adoptRefusal(target);
        if (refusal != null) {
            bindings.releaseIfIdle(from);
            return refusal;
        }
        NatBinding to = adopt(target);
        bindings.learnSession(from, to.publicAddress(), to.publicPort(), NatBinding.FORWARD);
        bindings.learnSession(to, from.publicAddress(), from.publicPort(), NatBinding.REVERSE);
        return null;
    }

    /** Whether the inside endpoint of {@code wanted} is bound and has a session with this remote. */
    private boolean knowsSession(NatBinding wanted, int remoteAddress, int remotePort) {
        return bindings.byInside(wanted.protocol(), wanted.insideAddress(), wanted.insidePort())
                .map(bound -> bound.knowsRemote(remoteAddress, remotePort)).orElse(false);
    }

    private String adoptRefusal(NatBinding wanted) {
        return bindings.adoptRefusal(wanted.protocol(), wanted.insideAddress(), wanted.insidePort(),
                wanted.publicAddress(), wanted.publicPort());
    }

    private NatBinding adopt(NatBinding wanted) {
        return bindings.adopt(wanted.protocol(), wanted.insideAddress(), wanted.insidePort(), wanted.publicAddress(),
                wanted.publicPort());
    }

    /**
     * A hairpin rule expired everywhere: the forward of {@code source}'s session with the target, and the reverse of
     * the target's session with {@code source}. When the other hairpin rule has too, both sessions are over.
     */
    private Expiry hairpinExpired(NatBinding source, FlowKey key) {
        Optional<NatBinding> found = bindings.byPublic(key.protocol(), key.dstAddress(), key.dstPort());
        if (found.isEmpty()) {
            return Expiry.keep("no binding");
        }
        NatBinding target = found.get();
        boolean sourceOver = bindings.expire(source, target.publicAddress(), target.publicPort(),
                NatBinding.FORWARD);
        boolean targetOver = bindings.expire(target, source.publicAddress(), source.publicPort(),
                NatBinding.REVERSE);
        if (!sourceOver && !targetOver) {
            return Expiry.keep("the other direction is still in use");
        }
        bindings.endSession(source, target.publicAddress(), target.publicPort());
        bindings.endSession(target, source.publicAddress(), source.publicPort());
        bindings.releaseIfIdle(source);
        bindings.releaseIfIdle(target);
        return Expiry.remove(hairpinKey(source, target), hairpinKey(target, source));
    }

    /** The rules of a session: hairpin rules when the remote is another binding's public endpoint. */
    private Decision rules(NatBinding binding, int remoteAddress, int remotePort) {
        if (bindings.isPublic(remoteAddress)) {
            Optional<NatBinding> peer = bindings.byPublic(binding.protocol(), remoteAddress, remotePort);
            if (peer.isPresent()) {
                return hairpinRules(binding, peer.get());
            }
        }
        return Decision.forward(forwardRule(binding, remoteAddress, remotePort),
                reverseRule(binding, remoteAddress, remotePort));
    }

    /**
     * From the inside endpoint to the remote: source translated, out on the outside VNI, to the outside next hop (of
     * an ingress, the pick of the translated packet).
     */
    private Rule forwardRule(NatBinding binding, int remoteAddress, int remotePort) {
        Action nextHop = config.outsideNextHop().action(binding.publicAddress(), remoteAddress, binding.protocol(),
                binding.publicPort(), remotePort);
        return Rule.of(forwardKey(binding, remoteAddress, remotePort),
                new Action.RewriteSource(binding.publicAddress(), binding.publicPort()),
                toOutsideVni, DECREMENT_TTL, nextHop, COUNT);
    }

    /** From the remote to the public endpoint: destination translated back, in on the inside VNI. */
    private Rule reverseRule(NatBinding binding, int remoteAddress, int remotePort) {
        Action nextHop = config.insideNextHop().action(remoteAddress, binding.insideAddress(), binding.protocol(),
                remotePort, binding.insidePort());
        return Rule.of(reverseKey(binding, remoteAddress, remotePort),
                new Action.RewriteDestination(binding.insideAddress(), binding.insidePort()),
                toInsideVni, DECREMENT_TTL, nextHop, COUNT);
    }

    /** The two rules of a hairpinned pair of sessions, {@code source}'s first. */
    private Decision hairpinRules(NatBinding source, NatBinding target) {
        return Decision.forward(hairpinRule(source, target), hairpinRule(target, source));
    }

    /** From {@code from}'s inside endpoint to {@code to}'s public one: both translated, back into the inside VNI. */
    private Rule hairpinRule(NatBinding from, NatBinding to) {
        Action nextHop = config.insideNextHop().action(from.publicAddress(), to.insideAddress(), from.protocol(),
                from.publicPort(), to.insidePort());
        return Rule.of(hairpinKey(from, to), new Action.RewriteSource(from.publicAddress(), from.publicPort()),
                new Action.RewriteDestination(to.insideAddress(), to.insidePort()), toInsideVni, DECREMENT_TTL,
                nextHop, COUNT);
    }

    private FlowKey hairpinKey(NatBinding from, NatBinding to) {
        return new FlowKey(config.insideVni(), from.protocol(), from.insideAddress(), to.publicAddress(),
                from.insidePort(), to.publicPort());
    }

    private FlowKey forwardKey(NatBinding binding, int remoteAddress, int remotePort) {
        return new FlowKey(config.insideVni(), binding.protocol(), binding.insideAddress(), remoteAddress,
                binding.insidePort(), remotePort);
    }

    private FlowKey reverseKey(NatBinding binding, int remoteAddress, int remotePort) {
        return new FlowKey(config.outsideVni(), binding.protocol(), remoteAddress, binding.publicAddress(),
                remotePort, binding.publicPort());
    }

    private Decision drop(Drop why, String reason) {
        drops[why.ordinal()]++;
        return Decision.drop(reason);
    }

    private void logBlock(PortBlockEvent event) {
        if (!quietBlocks) {
            LOG.log(Level.INFO, event.logLine(clock.instant()));
        }
    }

    /**
     * The NAT's indicators: {@code bindings}, {@code sessions}, per public address its port blocks and ports held
     * ({@code publicAddresses}), {@code allocationFailures} (new bindings refused for want of a port),
     * {@code sessionLimitDrops}, every drop by kind ({@code drops}) and {@code refusedRules} (fastpaths' rules not
     * learned back). Counters since the policy started; the rest as of now. Kept as the NAT goes: this walks the public addresses, nothing more.
     */
    @Override
    public Map<String, Object> indicators() {
        Map<String, Object> byKind = new LinkedHashMap<>();
        for (Drop drop : Drop.values()) {
            byKind.put(drop.indicator, drops[drop.ordinal()]);
        }
        return Map.of("bindings", bindingCount(),
                "sessions", bindings == null ? 0 : bindings.sessions(),
                "publicAddresses", bindings == null ? List.of() : bindings.addressIndicators(),
                "allocationFailures", drops[Drop.EXHAUSTED.ordinal()],
                "sessionLimitDrops", drops[Drop.SESSION_LIMIT.ordinal()],
                "drops", Collections.unmodifiableMap(byKind),
                "refusedRules", refusedRules);
    }

    /** The bindings, for tests and a future state endpoint. */
    NatBindings bindings() {
        return bindings;
    }

    /** How many inside endpoints are bound now (policy thread; for benchmarks and tests). */
    public int bindingCount() {
        return bindings == null ? 0 : bindings.size();
    }
}
