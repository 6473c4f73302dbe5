package io.isthmus.nfvo.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;

import org.jboss.logging.Logger;

import io.isthmus.nfvo.config.NfvoConfig;
import io.isthmus.nfvo.integration.VnfmClient;
import io.isthmus.nfvo.persistence.NsInstanceEntity;
import io.isthmus.nfvo.persistence.NsInstanceRepository;
import io.isthmus.nfvo.persistence.NsLcmOpOccRepository;
import io.isthmus.nfvo.persistence.NsOperationType;
import io.isthmus.nfvo.persistence.NsState;
import io.isthmus.nfvo.persistence.NsVnfEntity;
import io.isthmus.nfvo.persistence.NsVnfRepository;
import io.isthmus.nfvo.service.Json;
import io.isthmus.nfvo.service.NextHops.Wire;
import io.isthmus.nfvo.service.NsLcmService;
import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.model.VnfInstance;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Keeps a running service chain wired when a VNF's ingress changes outside any NS operation: a fastpath the VIM found
 * dead leaves the VNF's ingress, an operation sent to the VNFM directly adds or replaces one. Every
 * {@code isthmus.nfvo.chain-watch-every}, each instantiated NS whose NSD chains VNFs and that runs no operation has its
 * VNFs read from the VNFM; where a linked next hop is not the ingress its peer publishes now, the NFVO stores what it
 * read (the NS view shows it) and opens an NS heal of its own (SOL005 {@code isAutomaticInvocation}) whose wiring steps
 * send the neighbours the new ingress, as after any NS operation. An NS with an operation open is left to it: its
 * steps rewire at their end.
 */
@ApplicationScoped
public class ChainWatch {

    private static final Logger LOG = Logger.getLogger(ChainWatch.class);

    private final NsInstanceRepository instances;
    private final NsLcmOpOccRepository ops;
    private final NsVnfRepository vnfs;
    private final NsLcmService nsLcm;
    private final NsOperationJournal journal;
    private final VnfmClient vnfm;
    private final Json json;
    private final Clock clock;
    /** Null: off. */
    private final Duration every;
    private Instant next = Instant.MIN;

    public ChainWatch(NsInstanceRepository instances, NsLcmOpOccRepository ops, NsVnfRepository vnfs,
            NsLcmService nsLcm, NsOperationJournal journal, VnfmClient vnfm, Json json, Clock clock,
            NfvoConfig config) {
        this.instances = instances;
        this.ops = ops;
        this.vnfs = vnfs;
        this.nsLcm = nsLcm;
        this.journal = journal;
        this.vnfm = vnfm;
        this.json = json;
        this.clock = clock;
        this.every = "off".equalsIgnoreCase(config.chainWatchEvery().trim())
                ? null
                : NsLcmWorker.period(config.chainWatchEvery());
    }

    /** A chain to look at: its NS, its wires, and its members' ids by VNF profile. */
    private record Chain(String nsInstanceId, List<Wire> wires, Map<String, String> vnfByProfile) {
    }

    /** Runs from the NS LCM worker's loop; looks at the chains when {@code chain-watch-every} has passed. */
    void pass() {
        Instant now = clock.instant();
        if (every == null || now.isBefore(next)) {
            return;
        }
        next = now.plus(every);
        List<Chain> chains = QuarkusTransaction.requiringNew().call(this::idleChains);
        for (Chain chain : chains) {
            look(chain);
        }
    }

    private List<Chain> idleChains() {
        List<Chain> chains = new ArrayList<>();
        for (NsInstanceEntity ns : instances.instantiated()) {
            List<Wire> wires = nsLcm.wiresOf(ns);
            if (wires.isEmpty() || ops.unfinishedOf(ns.id).isPresent()) {
                continue;
            }
            Map<String, String> byProfile = new HashMap<>();
            vnfs.ofNs(ns.id).stream().filter(v -> v.vnfInstanceId() != null)
                    .forEach(v -> byProfile.put(v.vnfProfileId, v.vnfInstanceId()));
            chains.add(new Chain(ns.id, wires, byProfile));
        }
        return chains;
    }

    /** Reads the chain's VNFs (no transaction) and opens the NS heal that rewires it if a next hop is stale. */
    private void look(Chain chain) {
        Instant readAt = clock.instant();
        Map<String, VnfInstance> live = new HashMap<>();
        try {
            chain.vnfByProfile().forEach((profile, vnf) -> live.put(profile, vnfm.get(vnf)));
        } catch (RemoteCallException e) {
            LOG.debugf("NS %s: its VNFs not read (again at the next look): %s", chain.nsInstanceId(), e.getMessage());
            return;
        }
        List<String> stale = new ArrayList<>();
        for (String profile : chain.vnfByProfile().keySet()) {
            List<String> changes = new ArrayList<>();
            if (!ChainWiring.changeOf(chain.wires(), live, profile, json, changes).isEmpty()) {
                stale.add(profile + " (" + String.join(", ", changes) + ")");
            }
        }
        if (stale.isEmpty()) {
            return;
        }
        String reason = "the ingress of a VNF of the chain changed outside any NS operation; to rewire: "
                + String.join("; ", stale);
        try {
            QuarkusTransaction.requiringNew().run(() -> heal(chain, live, readAt, reason));
        } catch (PersistenceException e) {
            // a tenant's operation opened meanwhile (the one-open-operation index): its steps rewire at their end
            LOG.debugf("NS %s: not healed automatically, an operation opened meanwhile: %s", chain.nsInstanceId(),
                    e.getMessage());
        }
    }

    private void heal(Chain chain, Map<String, VnfInstance> live, Instant readAt, String reason) {
        NsInstanceEntity ns = instances.findById(chain.nsInstanceId());
        if (ns == null || ns.nsState() != NsState.INSTANTIATED || ops.unfinishedOf(ns.id).isPresent()) {
            return;
        }
        // the VNFs as just read, for the wiring steps and the NS view
        for (NsVnfEntity member : vnfs.ofNs(ns.id)) {
            VnfInstance vnf = live.get(member.vnfProfileId);
            if (vnf != null && vnf.id().equals(member.vnfInstanceId())) {
                member.read(json.write(vnf), readAt);
            }
            member.operationCleared();
        }
        var op = journal.openAutomatic(ns, NsOperationType.HEAL, json.write(Map.of("healNsData",
                Map.of("degreeHealing", "HEAL_RESTORE", "additionalParamsforNs", Map.of("reason", reason)))));
        ops.flush();
        LOG.infof("NS %s: %s: NS operation %s (automatic heal)", ns.id, reason, op.id);
    }
}
