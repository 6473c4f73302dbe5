package io.isthmus.vnfm.persistence;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An "individual VNF snapshot" resource (SOL003 VnfSnapshotInfo): created empty, then filled once by a CREATE_SNAPSHOT
 * operation with the instance as it was and its slowpath's snapshot (config and state, which may hold a VNF's
 * bindings: never logged, never in {@link #toString()}).
 */
@Entity
@Table(name = "vnf_snapshot")
public class VnfSnapshotEntity {

    @Id
    private String id;
    @Column(name = "tenant")
    private String tenant;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "vnf_instance_id")
    private String vnfInstanceId;
    @Column(name = "vnfd_id")
    private String vnfdId;
    /** The CREATE_SNAPSHOT operation that fills this snapshot, while one may still do so. */
    @Column(name = "taking_op_id")
    private String takingOpId;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "vnf_snapshot")
    private Taken taken;
    /** The slowpath's {@code GET /snapshot} body as it answered it. */
    @Column(name = "state")
    private String state;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "user_defined_data")
    private Map<String, Object> userDefinedData;
    @Version
    private long version;

    protected VnfSnapshotEntity() {
    }

    public VnfSnapshotEntity(String id, String tenant, Map<String, Object> userDefinedData, Instant createdAt) {
        this.id = id;
        this.tenant = tenant;
        this.userDefinedData = userDefinedData == null
                ? null
                : Collections.unmodifiableMap(new LinkedHashMap<>(userDefinedData));
        this.createdAt = createdAt;
    }

    /**
     * What a CREATE_SNAPSHOT took (SOL003 VnfSnapshot): of which instance and VNFD, when, the instance as it was, the
     * slowpath VNFC whose config and state it holds, and of that state its VNF type, {@code takenAt}, SHA-256 and size.
     */
    public record Taken(String snapshotId, String vnfInstanceId, String vnfdId, Instant startedAt, Instant finishedAt,
            VnfInstanceEntity.Image instance, String slowpathVnfcId, String vnfType, String takenAt, String sha256,
            long size) {
    }

    /** The operation {@code opId} is to fill this snapshot. */
    public void reserve(String opId) {
        this.takingOpId = opId;
    }

    /** Filled: the instance's tenant becomes the snapshot's (a platform-made snapshot of a tenant's VNF is the tenant's). */
    public void taken(Taken what, String slowpathSnapshot, String instanceTenant) {
        this.taken = what;
        this.state = slowpathSnapshot;
        this.vnfInstanceId = what.vnfInstanceId();
        this.vnfdId = what.vnfdId();
        this.takingOpId = null;
        if (this.tenant == null) {
            this.tenant = instanceTenant;
        }
    }

    public boolean isTaken() {
        return taken != null;
    }

    public String id() {
        return id;
    }

    public String tenant() {
        return tenant;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String vnfInstanceId() {
        return vnfInstanceId;
    }

    public String vnfdId() {
        return vnfdId;
    }

    public String takingOpId() {
        return takingOpId;
    }

    public Taken taken() {
        return taken;
    }

    /** The slowpath's snapshot body; null until taken. */
    public String state() {
        return state;
    }

    public Map<String, Object> userDefinedData() {
        return userDefinedData;
    }

    @Override
    public String toString() {
        return "VnfSnapshot[" + id + (taken == null ? ", empty" : ", of " + vnfInstanceId) + "]";
    }
}
