package io.isthmus.vnfm.lifecycle;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.secret.ConfigSecrets;
import io.isthmus.sol.secret.SecretCipher;
import io.isthmus.vnfm.integration.SlowpathConfigClient;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;
import io.isthmus.vnfm.persistence.VnfInstanceRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps every instantiated VNF's slowpath at the configuration the vnfm holds for it: a slowpath that restarted (a
 * process or pod replaced) holds none, and gets it again without anyone asking. Reads the settled instances in one
 * transaction, then talks to the slowpaths with none open; a VNF with an operation open is left to the operation.
 */
@ApplicationScoped
public class ConfigReconciler {

    private static final Logger LOG = Logger.getLogger(ConfigReconciler.class);

    /** What one reconciliation needs of an instance, read in the transaction. */
    record Target(String vnfInstanceId, SlowpathEndpoint slowpath, String secret, Map<String, Object> desired) {
    }

    private final VnfInstanceRepository instances;
    private final SlowpathConfigClient slowpath;
    private final ObjectMapper json;
    private final ConfigSecrets secrets;

    public ConfigReconciler(VnfInstanceRepository instances, SlowpathConfigClient slowpath, ObjectMapper json,
            ConfigSecrets secrets) {
        this.secrets = secrets;
        this.instances = instances;
        this.slowpath = slowpath;
        this.json = json;
    }

    @Scheduled(every = "${isthmus.vnfm-reconcile.every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcileAll() {
        for (Target target : targets()) {
            reconcile(target);
        }
    }

    /** Whether the slowpath had to be sent its configuration again. */
    boolean reconcile(Target target) {
        try {
            // the slowpath holds the secrets in the clear; the desired configuration holds them sealed
            JsonNode desired = json.valueToTree(secrets.open(target.desired()));
            SlowpathEndpoint at = target.slowpath();
            Optional<JsonNode> held = slowpath.config(at.host(), at.configPort(), target.secret());
            if (held.isPresent() && held.get().equals(desired)) {
                return false;
            }
            slowpath.putConfig(at.host(), at.configPort(), target.secret(), target.desired());
            LOG.infof("VNF %s: its slowpath at %s held %s; its configuration was sent again", target.vnfInstanceId(),
                    at, held.isPresent() ? "another configuration" : "none");
            return true;
        } catch (SecretCipher.SecretUnreadableException e) {
            // sealed under another isthmus.vnfm.secrets.key: only an operator can mend that
            LOG.warnf("VNF %s: its desired configuration holds a secret this vnfm cannot open (%s); not sent",
                    target.vnfInstanceId(), e.getMessage());
            return false;
        } catch (RemoteCallException e) {
            // unreachable now (restarting, being replaced): the next round tries again
            LOG.debugf("VNF %s: slowpath not reconciled yet: %s", target.vnfInstanceId(), e.getMessage());
            return false;
        }
    }

    List<Target> targets() {
        return QuarkusTransaction.requiringNew().call(() -> instances.listSettled().stream()
                .map(ConfigReconciler::target).flatMap(Optional::stream).toList());
    }

    private static Optional<Target> target(VnfInstanceEntity instance) {
        return SlowpathEndpoint.of(instance.vnfcResources()).map(at -> new Target(instance.id(), at,
                instance.configSecret(), instance.vnfConfiguration()));
    }
}
