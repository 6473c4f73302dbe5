package io.isthmus.vnf.nat;

import java.lang.System.Logger.Level;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.fastpath.control.Action;
import io.isthmus.fastpath.control.FlowKey;
import io.isthmus.fastpath.control.Ipv4Addresses;
import io.isthmus.fastpath.control.Rule;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.VnfPolicy;

/**
 * Source NAT (VNF type {@code "nat"}). A flow from the inside VNI gets its inside endpoint bound to the public
 * address and a port of the range; the slowpath installs, in every fastpath, the forward rule (rewrite source, set
 * the outside VNI, decrement TTL, send to the outside next hop) and the reverse rule (outside VNI, public
 * destination → rewrite destination back, inside VNI, decrement TTL, send to the inside next hop). UDP and TCP are
 * translated by port, ICMP echo by identifier.
 * <p>
 * A reply punted by a fastpath that lost its cache (restart, scale-out) is answered from the bindings, for remotes the
 * inside endpoint sent to; anything else from outside is dropped.
 */
public final class NatPolicy implements VnfPolicy {

    public static final String VNF_TYPE = "nat";
    private static final System.Logger LOG = System.getLogger(NatPolicy.class.getName());

    private NatConfig config;
    private NatBindings bindings;
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
            return outbound(key);
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

    private Decision rules(NatBinding binding, int remoteAddress, int remotePort) {
        int protocol = binding.protocol();
        FlowKey forwardKey = new FlowKey(config.insideVni(), protocol, binding.insideAddress(), remoteAddress,
                binding.insidePort(), remotePort);
        Rule forward = Rule.of(forwardKey, new Action.RewriteSource(config.publicAddress(), binding.publicPort()),
                new Action.SetVni(config.outsideVni()), new Action.DecrementTtl(),
                Action.SetNextHop.of(config.outsideNextHop()), new Action.Count());
        FlowKey reverseKey = new FlowKey(config.outsideVni(), protocol, remoteAddress, config.publicAddress(),
                remotePort, binding.publicPort());
        Rule reverse = Rule.of(reverseKey, new Action.RewriteDestination(binding.insideAddress(), binding.insidePort()),
                new Action.SetVni(config.insideVni()), new Action.DecrementTtl(),
                Action.SetNextHop.of(config.insideNextHop()), new Action.Count());
        return Decision.forward(forward, reverse);
    }

    /** The bindings, for tests and a future state endpoint. */
    NatBindings bindings() {
        return bindings;
    }
}
