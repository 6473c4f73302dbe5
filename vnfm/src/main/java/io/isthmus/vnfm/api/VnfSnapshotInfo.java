package io.isthmus.vnfm.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.isthmus.sol.model.Link;
import io.isthmus.sol.model.VnfInstance;

/**
 * SOL003 v3.3.1 clause 5.5.2.22 VnfSnapshotInfo, an "individual VNF snapshot" resource: empty ({@code id} and
 * {@code _links}) until a create_snapshot fills {@code vnfSnapshot} and {@code vnfStateSnapshotInfo}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VnfSnapshotInfo(String id, String vnfSnapshotPkgId, VnfSnapshot vnfSnapshot,
        VnfStateSnapshotInfo vnfStateSnapshotInfo, Map<String, Object> userDefinedData,
        @JsonProperty("_links") Links links) {

    /** Clause 5.5.2.23 VnfSnapshot: of which instance, when, the instance as it was, its VNFC snapshots. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VnfSnapshot(String id, String vnfInstanceId, Instant creationStartedAt, Instant creationFinishedAt,
            String vnfdId, VnfInstance vnfInstance, List<VnfcSnapshotInfo> vnfcSnapshots,
            Map<String, Object> userDefinedData) {
    }

    /** Clause 5.5.3.19 VnfcSnapshotInfo: here the slowpath VNFC, which holds the VNF's configuration and state. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VnfcSnapshotInfo(String id, String vnfcInstanceId, Instant creationStartedAt,
            Instant creationFinishedAt, String vnfcResourceInfoId, Map<String, Object> userDefinedData) {
    }

    /** Clause 5.5.3.20a VnfStateSnapshotInfo: the checksum of the slowpath's snapshot, never its content. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VnfStateSnapshotInfo(Checksum checksum, boolean isEncrypted, Map<String, Object> metadata) {
    }

    /** SOL003 Checksum. */
    public record Checksum(String algorithm, String hash) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Links(Link self, Link takenFrom) {
    }
}
