package io.isthmus.vnf.nat;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.Rule;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Expiry;
import io.isthmus.slowpath.policy.IcmpErrors;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.Transmit;
import io.isthmus.slowpath.policy.VnfPolicy;

/**
 * Source NAT (VNF type {@code "nat"}). A flow from the inside VNI gets its inside endpoint bound to the public
 * address and a port of the range; the slowpath installs, in every fastpath, the forward rule (rewrite source, set
 * the outside VNI, decrement TTL, send to the outside next hop) and the reverse rule (outside VNI, public
 * destination → rewrite destination back, inside VNI, decrement TTL, send to the inside next hop). UDP and TCP are
 * translated by port, ICMP echo by identifier.
 * <p>
 * A reply punted by a fastpath that lost its cache (restart, scale-out) is answered from the bindings, for remotes the
 * inside endpoint sent to; anything else from outside is dropped. An outbound packet of a bound endpoint gets the same
 * public port again, so a fastpath that restarts or joins re-learns every flow without changing its translation.
 * <p>
 * When a flow's forward and reverse rules have both expired in every fastpath (FLOW_EXPIRED), the remote is forgotten
 * and both rules removed everywhere; the binding is released, and its port freed, once no remote is left.
 */
public final class NatPolicy implements VnfPolicy {

    public static final String VNF_TYPE = "nat";
    private static final System.Logger LOG = System.getLogger(NatPolicy.class.getName());

    // actions are immutable: the ones every rule shares are made once per configuration
    private static final Action COUNT = new Action.Count();
    private static final Action DECREMENT_TTL = new Action.DecrementTtl();

    private NatConfig config;
    private NatBindings bindings;
    private Action insideNextHop;
    private Action outsideNextHop;
    private Action toInsideVni;
    private Action toOutsideVni;
    private boolean loggedExhaustion;

    @Override
    public String vnfType() {
        return VNF_TYPE;
    }

    @Override
    public boolean configure(JsonNode json) throws InvalidConfigException {
        NatConfig next = NatConfig.from(json);
        if (next.equals(config)) {
            return false;
        }
        boolean hadRules = config != null;
        config = next;
        bindings = new NatBindings(next.portRangeStart(), next.portRangeEnd());
        insideNextHop = Action.SetNextHop.of(next.insideNextHop());
        outsideNextHop = Action.SetNextHop.of(next.outsideNextHop());
        toInsideVni = new Action.SetVni(next.insideVni());
        toOutsideVni = new Action.SetVni(next.outsideVni());
        loggedExhaustion = false;
        LOG.log(Level.INFO, "NAT to {0} ports {1,number,#}-{2,number,#}, VNI {3,number,#} -> {4,number,#}",
                Ipv4Addresses.format(next.publicAddress()),
                next.portRangeStart(), next.portRangeEnd(), next.insideVni(), next.outsideVni());
        // a new public address, range or next hop makes every installed translation wrong
        return hadRules;
    }

    @Override
    public Decision onMiss(Miss miss) {
        if (config == null) {
            return Decision.drop("not configured");
        }
        FlowKey key = miss.key();
        int protocol = key.protocol();
        if (protocol != FlowKey.TCP && protocol != FlowKey.UDP && protocol != FlowKey.ICMP) {
            return Decision.drop("protocol " + protocol + " not translated");
        }
        if (key.vni() == config.insideVni()) {
            return miss.isIcmpError() ? outboundError(key) : outbound(key);
        }
        if (key.vni() == config.outsideVni() && key.dstAddress() == config.publicAddress()) {
            return inbound(key);
        }
        return Decision.drop("not addressed to this NAT");
    }

    /** A flow leaving the inside: bind its source (or reuse the binding) and allow the remote to answer. */
    private Decision outbound(FlowKey key) {
        Optional<NatBinding> binding = bindings.bind(key.protocol(), key.srcAddress(), key.srcPort());
        if (binding.isEmpty()) {
            if (!loggedExhaustion) {
                loggedExhaustion = true;
                LOG.log(Level.WARNING, "NAT port range exhausted for protocol {0,number,#}; new flows are dropped",
                        key.protocol());
            }
            return Decision.drop("port range exhausted");
        }
        binding.get().addRemote(key.dstAddress(), key.dstPort());
        return rules(binding.get(), key.dstAddress(), key.dstPort());
    }

    /**
     * An ICMP error from the inside about a packet the NAT let in, whose flow's rule a fastpath lacks: translated by
     * the binding it belongs to, never one made for it (RFC 5508 REQ-7).
     */
    private Decision outboundError(FlowKey key) {
        Optional<NatBinding> binding = bindings.byInside(key.protocol(), key.srcAddress(), key.srcPort());
        if (binding.isEmpty() || !binding.get().knowsRemote(key.dstAddress(), key.dstPort())) {
            return Decision.drop("ICMP error for no binding");
        }
        return rules(binding.get(), key.dstAddress(), key.dstPort());
    }

    /**
     * A packet this NAT would forward with its TTL at zero: answered with an ICMP time exceeded from the public
     * address (the gateway's own), sent back the way it came by the fastpath that punted it.
     */
    @Override
    public Decision onTtlExceeded(Miss miss) {
        if (config == null) {
            return Decision.drop("not configured");
        }
        InetSocketAddress back;
        if (miss.key().vni() == config.insideVni()) {
            back = config.insideNextHop();
        } else if (miss.key().vni() == config.outsideVni()) {
            back = config.outsideNextHop();
        } else {
            return Decision.drop("not a segment of this NAT");
        }
        return IcmpErrors.timeExceeded(miss.packet(), config.publicAddress())
                .map(packet -> new Decision(List.of(new Transmit(packet, Ipv4Addresses.of(back.getAddress()),
                        back.getPort())), false, "time exceeded"))
                .orElseGet(() -> Decision.drop("no ICMP error about this packet"));
    }

    /** A packet to the public address whose rule a fastpath lacks: only a remote the inside host talked to. */
    private Decision inbound(FlowKey key) {
        Optional<NatBinding> binding = bindings.byPublicPort(key.protocol(), key.dstPort());
        if (binding.isEmpty()) {
            return Decision.drop("no binding for public port " + key.dstPort());
        }
        if (!binding.get().knowsRemote(key.srcAddress(), key.srcPort())) {
            return Decision.drop("unsolicited from " + Ipv4Addresses.format(key.srcAddress()) + ":" + key.srcPort());
        }
        return rules(binding.get(), key.srcAddress(), key.srcPort());
    }

    /**
     * One direction of a flow expired in every fastpath. When the other has too, the flow is over: forget the remote,
     * remove both rules everywhere, and release the binding if it was its last flow.
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
            remoteAddress = key.dstAddress();
            remotePort = key.dstPort();
            direction = NatBinding.FORWARD;
        } else if (key.vni() == config.outsideVni() && key.dstAddress() == config.publicAddress()) {
            binding = bindings.byPublicPort(key.protocol(), key.dstPort());
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
        if (!b.expire(remoteAddress, remotePort, direction)) {
            return Expiry.keep("the other direction is still in use");
        }
        if (b.remoteCount() == 0) {
            bindings.release(b);
        }
        return Expiry.remove(forwardKey(b, remoteAddress, remotePort), reverseKey(b, remoteAddress, remotePort));
    }

    private Decision rules(NatBinding binding, int remoteAddress, int remotePort) {
        Rule forward = Rule.of(forwardKey(binding, remoteAddress, remotePort),
                new Action.RewriteSource(config.publicAddress(), binding.publicPort()),
                toOutsideVni, DECREMENT_TTL, outsideNextHop, COUNT);
        Rule reverse = Rule.of(reverseKey(binding, remoteAddress, remotePort),
                new Action.RewriteDestination(binding.insideAddress(), binding.insidePort()),
                toInsideVni, DECREMENT_TTL, insideNextHop, COUNT);
        return Decision.forward(forward, reverse);
    }

    private FlowKey forwardKey(NatBinding binding, int remoteAddress, int remotePort) {
        return new FlowKey(config.insideVni(), binding.protocol(), binding.insideAddress(), remoteAddress,
                binding.insidePort(), remotePort);
    }

    private FlowKey reverseKey(NatBinding binding, int remoteAddress, int remotePort) {
        return new FlowKey(config.outsideVni(), binding.protocol(), remoteAddress, config.publicAddress(), remotePort,
                binding.publicPort());
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
