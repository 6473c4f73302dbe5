package io.isthmus.nfvo.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.isthmus.sol.lifecycle.IllegalTransitionException;
import io.isthmus.sol.lifecycle.LcmOperationState;

/** An NS LCM operation occurrence; its state changes only through {@link #transition}. */
@Entity
@Table(name = "ns_lcm_op_occ")
public class NsLcmOpOccEntity {
    @Id
    public String id;
    public String tenant;
    @Column(name = "ns_instance_id")
    public String nsInstanceId;
    public String operation;
    @Enumerated(EnumType.STRING)
    public LcmOperationState state;
    @Column(name = "state_entered_time")
    public Instant stateEnteredTime;
    @Column(name = "start_time")
    public Instant startTime;
    /** The journaled step the engine does next. */
    public String step;
    public int attempts;
    @Column(name = "last_poll")
    public Instant lastPoll;
    @Column(name = "operation_params")
    public String operationParams;
    @Column(name = "error_detail")
    public String errorDetail;
    @Column(name = "error_status")
    public Integer errorStatus;

    public void transition(LcmOperationState next, String reason, Instant at) {
        if (!state.canMoveTo(next)) {
            throw new IllegalTransitionException(state, next);
        }
        state = next;
        stateEnteredTime = at;
        if (next == LcmOperationState.FAILED_TEMP || next == LcmOperationState.FAILED) {
            errorDetail = reason;
        }
    }
}
