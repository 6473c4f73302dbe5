package io.isthmus.nfvo.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;

import io.isthmus.sol.lifecycle.LcmOperationState;

/**
 * One constituent VNF of an NS instance: the VNF profile of the NSD, the VNFM's instance behind it, the VNF LCM
 * operation the NS operation waits for, and the VNFM's VnfInstance as last read, which the NS view shows. Only changed
 * columns are written ({@link DynamicUpdate}), so the engine's journal and a VNF notification never overwrite each
 * other's columns.
 */
@Entity
@Table(name = "ns_vnf")
@DynamicUpdate
public class NsVnfEntity {
    @Id
    public String id;
    @Column(name = "ns_instance_id")
    public String nsInstanceId;
    @Column(name = "vnf_profile_id")
    public String vnfProfileId;
    @Column(name = "vnfd_id")
    public String vnfdId;
    @Column(name = "additional_params")
    public String additionalParams;
    @Column(name = "vnf_instance_id")
    private String vnfInstanceId;
    @Column(name = "vnf_op_id")
    private String vnfOpId;
    @Enumerated(EnumType.STRING)
    @Column(name = "vnf_op_state")
    private LcmOperationState vnfOpState;
    /** The VNFM's SOL003 VnfInstance (JSON) as last read, and when it was read. */
    @Column(name = "vnf_instance")
    private String vnfInstance;
    @Column(name = "vnf_instance_read_at")
    private Instant vnfInstanceReadAt;
    /** What the current NS operation asks of this VNF, and the SOL003 request body it sends; null: nothing. */
    @Enumerated(EnumType.STRING)
    @Column(name = "task_kind")
    private VnfTaskKind taskKind;
    @Column(name = "task_body")
    private String taskBody;
    /** When the VNFM last notified a change of one of this VNF's operations; written by the notification only. */
    @Column(name = "notified_at")
    private Instant notifiedAt;

    /** The VNFM created the VNF instance; {@code snapshot} is its VnfInstance, read at {@code readAt}. */
    public void created(String id, String snapshot, Instant readAt) {
        vnfInstanceId = id;
        vnfOpId = null;
        vnfOpState = null;
        read(snapshot, readAt);
    }

    /** The VNFM accepted a VNF LCM operation on the instance; it has not been asked about it yet. */
    public void operationStarted(String opId) {
        vnfOpId = opId;
        vnfOpState = LcmOperationState.STARTING;
    }

    /**
     * The VNFM reported the operation's state; {@code snapshot}, when not null, is the VnfInstance read with it at
     * {@code readAt}.
     */
    public void operationIs(LcmOperationState state, String snapshot, Instant readAt) {
        vnfOpState = state;
        if (snapshot != null) {
            read(snapshot, readAt);
        }
    }

    /** The VnfInstance as read at {@code readAt}; ignored if a later read is already recorded. */
    public void read(String snapshot, Instant readAt) {
        if (vnfInstanceReadAt != null && readAt.isBefore(vnfInstanceReadAt)) {
            return;
        }
        vnfInstance = snapshot;
        vnfInstanceReadAt = readAt;
    }

    /** What {@link #vnfOpId()} says when the VNF needed no operation: it was already as the step would make it. */
    public static final String NO_OPERATION = "none";

    /** The VNF is already as the step would make it: nothing to send, nothing to wait for. */
    public void operationNotNeeded(String snapshot, Instant readAt) {
        vnfOpId = NO_OPERATION;
        vnfOpState = LcmOperationState.COMPLETED;
        if (snapshot != null) {
            read(snapshot, readAt);
        }
    }

    /** A new NS operation starts: the next VNF operation is still to be sent, and nothing is asked of it yet. */
    public void operationCleared() {
        vnfOpId = null;
        vnfOpState = null;
        taskKind = null;
        taskBody = null;
    }

    /** The NS operation asks {@code kind} of this VNF, with {@code body} (JSON) as the SOL003 request. */
    public void assign(VnfTaskKind kind, String body) {
        taskKind = kind;
        taskBody = body;
    }

    /** The VNF's operation failed and the NS operation goes on without it: nothing is awaited of it any more. */
    public void skipped() {
        if (vnfOpId == null) {
            vnfOpId = NO_OPERATION;
        }
        vnfOpState = LcmOperationState.FAILED;
    }

    public VnfTaskKind taskKind() {
        return taskKind;
    }

    public String taskBody() {
        return taskBody;
    }

    /** The VNFM deleted the VNF instance. */
    public void deleted() {
        vnfInstanceId = null;
        vnfOpId = null;
        vnfOpState = null;
        vnfInstance = null;
        vnfInstanceReadAt = null;
    }

    public String vnfInstanceId() {
        return vnfInstanceId;
    }

    public String vnfOpId() {
        return vnfOpId;
    }

    public LcmOperationState vnfOpState() {
        return vnfOpState;
    }

    public String vnfInstance() {
        return vnfInstance;
    }

    public Instant notifiedAt() {
        return notifiedAt;
    }
}
