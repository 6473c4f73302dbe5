package io.isthmus.vnfm.lifecycle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.secret.ConfigSecrets;
import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.persistence.OperationWork;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;
import io.isthmus.vnfm.persistence.VnfSnapshotEntity;
import io.isthmus.vnfm.persistence.VnfSnapshotRepository;
import io.isthmus.vnfm.persistence.VnfcResource;

/**
 * What the snapshot steps change in the database, run by the journal in the transaction that takes a step's outcome:
 * TAKE_SNAPSHOT fills the VNF snapshot resource, REVERT_SNAPSHOT makes the snapshot's config the instance's desired
 * configuration (so that the reconciler keeps the slowpath at what it was given back).
 */
@ApplicationScoped
public class SnapshotRecords {

    private static final Logger LOG = Logger.getLogger(SnapshotRecords.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final VnfSnapshotRepository snapshots;
    private final ObjectMapper json;
    private final Clock clock;
    private final ConfigSecrets secrets;

    public SnapshotRecords(VnfSnapshotRepository snapshots, ObjectMapper json, Clock clock, ConfigSecrets secrets) {
        this.secrets = secrets;
        this.snapshots = snapshots;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Stores the slowpath's snapshot (sealed; its checksum and size are those of the slowpath's text with the config's
     * secrets sealed, so they say nothing of a secret) with the instance as it is; the work keeps no copy of it.
     */
    OperationWork taken(LcmOpOccEntity op, VnfInstanceEntity instance, OperationWork work) {
        String body = work.slowpathSnapshot();
        String id = String.valueOf(op.operationParams().get(SnapshotSteps.SNAPSHOT_ID));
        VnfSnapshotEntity snapshot = snapshots.findById(id);
        if (body == null || snapshot == null || !op.id().equals(snapshot.takingOpId())) {
            LOG.warnf("op %s: VNF snapshot %s is gone or no longer this operation's; the snapshot taken is dropped",
                    op.id(), id);
            return work.withSlowpathSnapshot(null);
        }
        String text = secrets.snapshotText(body);
        JsonNode parsed = parse(text);
        String slowpathVnfc = instance.vnfcResources().stream()
                .filter(v -> v.metadata() != null && v.metadata().get("configPort") != null).map(VnfcResource::id)
                .findFirst().orElse(null);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        snapshot.taken(new VnfSnapshotEntity.Taken(UUID.randomUUID().toString(), instance.id(), instance.vnfdId(),
                op.startTime(), clock.instant(), instance.image(), slowpathVnfc,
                parsed == null ? null : parsed.path("vnfType").asText(null),
                parsed == null ? null : parsed.path("takenAt").asText(null), sha256(bytes), bytes.length), body,
                instance.tenant());
        return work.withSlowpathSnapshot(null);
    }

    /** The snapshot's config becomes the desired configuration. */
    void reverted(LcmOpOccEntity op, VnfInstanceEntity instance) {
        VnfSnapshotEntity snapshot = snapshots.findById(
                String.valueOf(op.operationParams().get(SnapshotSteps.SNAPSHOT_ID)));
        // its config's secrets stay sealed: the desired configuration keeps them so
        JsonNode parsed = snapshot == null || snapshot.state() == null
                ? null
                : parse(secrets.snapshotText(snapshot.state()));
        if (parsed != null && parsed.path("config").isObject()) {
            instance.desire(json.convertValue(parsed.path("config"), MAP));
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            // kept as it was; only what is read from it is missing. Jackson's message quotes the text: not logged
            LOG.warn("a slowpath snapshot is no JSON; its type and time are not shown");
            return null;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
