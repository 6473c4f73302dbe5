package io.isthmus.nfvo.lifecycle;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.isthmus.nfvo.integration.VnfmClient;
import io.isthmus.nfvo.persistence.NsVnfEntity;
import io.isthmus.nfvo.persistence.NsVnfRepository;
import io.isthmus.nfvo.service.Json;
import io.isthmus.sol.client.RemoteCallException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Keeps the VnfInstances the NS view shows up to date: each VNF the VNFM notified a change of since its VnfInstance
 * was last read is read again, so a GET of an NS never calls the VNFM. Reads the list (transaction 1), asks the VNFM
 * (no transaction), stores what it answered (one transaction per VNF); a read older than the one stored is dropped.
 */
@ApplicationScoped
public class VnfViewRefresher {

    private static final Logger LOG = Logger.getLogger(VnfViewRefresher.class);
    private static final int BATCH = 20;

    private final NsVnfRepository vnfs;
    private final VnfmClient vnfm;
    private final Json json;
    private final Clock clock;

    public VnfViewRefresher(NsVnfRepository vnfs, VnfmClient vnfm, Json json, Clock clock) {
        this.vnfs = vnfs;
        this.vnfm = vnfm;
        this.json = json;
        this.clock = clock;
    }

    public void refreshStale() {
        List<NsVnfRepository.StaleView> stale = QuarkusTransaction.requiringNew().call(() -> vnfs.staleViews(BATCH));
        for (NsVnfRepository.StaleView view : stale) {
            Instant readAt = clock.instant();
            String snapshot;
            try {
                snapshot = json.write(vnfm.get(view.vnfInstanceId()));
            } catch (RemoteCallException e) {
                if (e.status() != 404) {
                    LOG.debugf("VNF instance %s not read (tried again at the next pass): %s", view.vnfInstanceId(),
                            e.getMessage());
                    continue;
                }
                // deleted on the VNFM: the delete step clears the row; until then keep what the view showed
                snapshot = null;
            }
            String read = snapshot;
            QuarkusTransaction.requiringNew().run(() -> {
                NsVnfEntity v = vnfs.findById(view.id());
                if (v != null && view.vnfInstanceId().equals(v.vnfInstanceId())) {
                    v.read(read == null ? v.vnfInstance() : read, readAt);
                }
            });
        }
    }
}
