package io.isthmus.vnfm.lifecycle;

import java.util.List;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.vimapi.model.AllocationView;
import io.isthmus.vnfm.integration.VimClient;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;
import io.isthmus.vnfm.persistence.VnfInstanceRepository;
import io.isthmus.vnfm.persistence.VnfcResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Shows on each settled VNF instance what the vim sees of its processes: a VNFC that died is FAILED in
 * {@code vnfcResourceInfo[].metadata.status} within seconds (and leaves the published ingress, which lists running
 * fastpaths only), until {@code heal} brings it back. A VNF with an operation open is left to the operation.
 */
@ApplicationScoped
public class VnfcMonitor {

    private static final Logger LOG = Logger.getLogger(VnfcMonitor.class);

    record Watched(String vnfInstanceId, String allocationId, String driver, List<VnfcResource> vnfcs) {
    }

    private final VnfInstanceRepository instances;
    private final io.isthmus.vnfm.persistence.LcmOpOccRepository ops;
    private final VimClient vim;

    public VnfcMonitor(VnfInstanceRepository instances, io.isthmus.vnfm.persistence.LcmOpOccRepository ops,
            VimClient vim) {
        this.instances = instances;
        this.ops = ops;
        this.vim = vim;
    }

    @Scheduled(every = "${isthmus.vnfm.vnfc-monitor.every:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watchAll() {
        List<Watched> watched = QuarkusTransaction.requiringNew().call(() -> instances.listInstantiatedIdle().stream()
                .filter(i -> i.allocationId() != null)
                .map(i -> new Watched(i.id(), i.allocationId(),
                        i.vnfcResources().isEmpty() ? null : i.vnfcResources().getFirst().vimConnectionId(),
                        i.vnfcResources()))
                .toList());
        for (Watched w : watched) {
            try {
                AllocationView view = vim.allocation(w.allocationId());
                List<VnfcResource> now = (view.components() == null
                        ? List.<AllocationView.Component>of()
                        : view.components()).stream().map(c -> OperationSteps.vnfc(w.allocationId(), w.driver(), c))
                        .toList();
                if (!Objects.equals(statuses(now), statuses(w.vnfcs()))) {
                    QuarkusTransaction.requiringNew().run(() -> update(w, now));
                }
            } catch (RemoteCallException e) {
                LOG.debugf("VNF %s: the vim could not show its allocation: %s", w.vnfInstanceId(), e.getMessage());
            }
        }
    }

    private void update(Watched w, List<VnfcResource> now) {
        // locked as operations open (the instance row), and only if none is open: an operation's steps own the VNFCs
        VnfInstanceEntity instance = instances.lockScoped(w.vnfInstanceId(), java.util.Optional.empty()).orElse(null);
        if (instance == null || !instance.isInstantiated() || ops.findOpen(instance.id()).isPresent()
                || !statuses(instance.vnfcResources()).equals(statuses(w.vnfcs()))) {
            return;
        }
        for (VnfcResource v : now) {
            Object status = v.metadata() == null ? null : v.metadata().get("status");
            if (status != null && !"RUNNING".equals(status)) {
                LOG.warnf("VNF %s: VNFC %s is %s", w.vnfInstanceId(), v.id(), status);
            }
        }
        instance.vnfcs(now);
    }

    private static List<String> statuses(List<VnfcResource> vnfcs) {
        return vnfcs.stream().map(v -> v.id() + "=" + (v.metadata() == null ? null : v.metadata().get("status"))
                + "@" + v.resourceId()).toList();
    }
}
