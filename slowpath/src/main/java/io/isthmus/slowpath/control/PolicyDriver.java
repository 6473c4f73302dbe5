package io.isthmus.slowpath.control;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.fastpath.control.ControlProtocol;
import io.isthmus.fastpath.control.FlowKey;
import io.isthmus.fastpath.control.PuntReason;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.VnfPolicy;

/**
 * The one place the VNF's policy is called. A miss is decided and its rules sent to every fastpath under one lock,
 * and so is a configuration change and the flush it may need, so no rule decided under an old configuration can
 * reach a fastpath after the flush. The punting fastpath gets the rules before its packet is re-injected (same
 * socket pair, in order).
 */
public final class PolicyDriver {

    private static final System.Logger LOG = System.getLogger(PolicyDriver.class.getName());

    private final VnfPolicy policy;
    private final FastpathRegistry registry;
    private final FastpathMessenger messenger;
    private final SlowpathCounters counters;
    private final Object lock = new Object();
    private volatile boolean loggedPolicyError;

    public PolicyDriver(VnfPolicy policy, FastpathRegistry registry, FastpathMessenger messenger,
            SlowpathCounters counters) {
        this.policy = policy;
        this.registry = registry;
        this.messenger = messenger;
        this.counters = counters;
    }

    public String vnfType() {
        return policy.vnfType();
    }

    /** Handles a PUNT of {@code length} bytes at the start of {@code message} from {@code sender}. */
    void onPunt(ByteBuffer message, int length, InetSocketAddress sender) {
        if (!ControlProtocol.isValidPunt(message, 0, length)) {
            counters.errors.incrementAndGet();
            return;
        }
        counters.punts.incrementAndGet();
        if (ControlProtocol.puntReason(message, 0) != PuntReason.MISS) {
            counters.unsupportedPunts.incrementAndGet();
            return;
        }
        int fastpathId = ControlProtocol.fastpathId(message, 0);
        FlowKey key = ControlProtocol.puntKey(message, 0);
        int packetLength = ControlProtocol.puntPacketLength(message, 0);
        ByteBuffer packet = message.slice(ControlProtocol.PUNT_PACKET_OFFSET, packetLength).asReadOnlyBuffer();
        synchronized (lock) {
            Decision decision;
            try {
                decision = policy.onMiss(new Miss(fastpathId, key, packet));
            } catch (RuntimeException e) {
                counters.errors.incrementAndGet();
                if (!loggedPolicyError) {
                    loggedPolicyError = true;
                    LOG.log(Level.ERROR, "policy " + policy.vnfType() + " failed on " + key
                            + " (logged once, then counted)", e);
                }
                return;
            }
            if (decision.isDrop()) {
                counters.policyDrops.incrementAndGet();
                return;
            }
            if (!decision.rules().isEmpty()) {
                List<RegisteredFastpath> fastpaths = registry.live();
                messenger.install(fastpaths, decision.rules());
                if (fastpaths.stream().noneMatch(f -> f.id() == fastpathId && f.controlAddress().equals(sender))) {
                    // a fastpath not registered (yet): still give it the rules its packet needs
                    messenger.install(fastpathId, sender, decision.rules());
                }
                counters.installs.addAndGet(decision.rules().size());
            }
            if (decision.reinject()) {
                messenger.reinject(fastpathId, sender, message, ControlProtocol.PUNT_PACKET_OFFSET, packetLength);
                counters.reinjects.incrementAndGet();
            }
        }
    }

    /**
     * Applies a configuration; if the policy says installed rules are stale, removes every rule from every fastpath.
     */
    public void configure(JsonNode config) throws InvalidConfigException {
        synchronized (lock) {
            if (policy.configure(config)) {
                for (RegisteredFastpath fastpath : registry.live()) {
                    messenger.removeAll(fastpath.id(), fastpath.controlAddress());
                }
            }
        }
    }
}
