package io.isthmus.nfvo.lifecycle;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.isthmus.nfvo.integration.VnfmClient;
import io.isthmus.nfvo.persistence.VnfUsageRepository;
import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.model.VnfInstance;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Reads back from the VNFM the VNF instances it notified the creation or deletion of, so a VNF package's usageState
 * follows the VNFs that exist: one the VNFM has is kept with its vnfdId, one it does not know is dropped. Runs on the
 * NS LCM worker's thread; a VNFM out of reach leaves the rows for the next pass.
 */
@ApplicationScoped
public class VnfUsageRefresher {

    private static final Logger LOG = Logger.getLogger(VnfUsageRefresher.class);
    private static final int BATCH = 50;

    private final VnfUsageRepository usage;
    private final VnfmClient vnfm;
    private final Clock clock;

    public VnfUsageRefresher(VnfUsageRepository usage, VnfmClient vnfm, Clock clock) {
        this.usage = usage;
        this.vnfm = vnfm;
        this.clock = clock;
    }

    public void pass() {
        for (String id : QuarkusTransaction.requiringNew().call(() -> usage.stale(BATCH))) {
            Instant readAt = clock.instant();
            try {
                VnfInstance vnf = vnfm.get(id);
                QuarkusTransaction.requiringNew().run(() -> usage.exists(id, vnf.vnfdId(), readAt));
            } catch (RemoteCallException e) {
                if (e.status() == 404) {
                    QuarkusTransaction.requiringNew().run(() -> usage.gone(id, readAt));
                } else {
                    LOG.warnf("Could not read VNF instance %s back from the VNFM: %s", id, e.getMessage());
                    return;
                }
            }
        }
    }
}
