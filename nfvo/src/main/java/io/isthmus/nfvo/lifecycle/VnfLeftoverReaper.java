package io.isthmus.nfvo.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.isthmus.nfvo.integration.VnfmClient;
import io.isthmus.nfvo.persistence.NsLcmOpOccEntity;
import io.isthmus.nfvo.persistence.NsLcmOpOccRepository;
import io.isthmus.nfvo.persistence.NsLcmOperationState;
import io.isthmus.nfvo.persistence.VnfLeftoverEntity;
import io.isthmus.nfvo.persistence.VnfLeftoverRepository;
import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.model.VnfInstance;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;

/**
 * Removes the VNFs no NS needs any more from the VNFM, one call per VNF and pass, each result kept before the next call:
 * a VNF operation still running is waited for, one that stopped in FAILED_TEMP is given up (the VNFM then releases
 * what an instantiation got), an instantiated VNF is terminated, and a VNF not instantiated is deleted — then it is no
 * leftover any more. A VNF the VNFM does not know is gone already. Runs on the NS LCM worker's thread.
 */
@ApplicationScoped
public class VnfLeftoverReaper {

    private static final Logger LOG = Logger.getLogger(VnfLeftoverReaper.class);

    private final VnfLeftoverRepository leftovers;
    private final VnfmClient vnfm;
    private final NsLcmOpOccRepository ops;
    private final NsOperationJournal journal;

    public VnfLeftoverReaper(VnfLeftoverRepository leftovers, VnfmClient vnfm, NsLcmOpOccRepository ops,
            NsOperationJournal journal) {
        this.leftovers = leftovers;
        this.vnfm = vnfm;
        this.ops = ops;
        this.journal = journal;
    }

    /** NS operations rolling back whose NS has no leftover VNF any more: ROLLED_BACK. */
    public void finishRollbacks() {
        QuarkusTransaction.requiringNew().run(() -> {
            for (NsLcmOpOccEntity op : ops.list("state", NsLcmOperationState.ROLLING_BACK)) {
                if (leftovers.count("nsInstanceId", op.nsInstanceId) == 0) {
                    journal.transition(op, NsLcmOperationState.ROLLED_BACK,
                            "the VNFs it created are gone from the VNFM", null);
                }
            }
        });
    }

    public void pass() {
        for (VnfLeftoverEntity left : QuarkusTransaction.requiringNew()
                .call(() -> leftovers.listAll(Sort.by("since")))) {
            String id = left.vnfInstanceId;
            try {
                step(left);
            } catch (RemoteCallException e) {
                if (e.status() == 404) {
                    gone(id, "the VNFM does not know it");
                } else {
                    LOG.warnf("Leftover VNF %s of NS %s: %s; trying again at the next pass", id, left.nsInstanceId,
                            e.getMessage());
                    QuarkusTransaction.requiringNew().run(() -> leftovers.findByIdOptional(id)
                            .ifPresent(l -> l.lastError = e.getMessage()));
                }
            }
        }
    }

    private void step(VnfLeftoverEntity left) {
        String id = left.vnfInstanceId;
        if (left.vnfOpId != null) {
            LcmOperationState state = LcmOperationState.valueOf(vnfm.op(left.vnfOpId).operationState());
            if (!state.isFinal() && state != LcmOperationState.FAILED_TEMP) {
                return;
            }
            if (state == LcmOperationState.FAILED_TEMP) {
                vnfm.fail(left.vnfOpId);
            }
            waitFor(id, null);
            return;
        }
        VnfInstance vnf = vnfm.get(id);
        if ("INSTANTIATED".equals(vnf.instantiationState())) {
            String opId = vnfm.terminate(id, null);
            LOG.infof("Leftover VNF %s of NS %s: terminating (%s)", id, left.nsInstanceId, opId);
            waitFor(id, opId);
        } else {
            vnfm.delete(id);
            gone(id, "deleted");
        }
    }

    private void waitFor(String id, String opId) {
        QuarkusTransaction.requiringNew().run(() -> leftovers.findByIdOptional(id).ifPresent(l -> {
            l.vnfOpId = opId;
            l.lastError = null;
        }));
    }

    private void gone(String id, String why) {
        LOG.infof("Leftover VNF %s: %s, no longer a leftover", id, why);
        QuarkusTransaction.requiringNew().run(() -> leftovers.deleteById(id));
    }
}
