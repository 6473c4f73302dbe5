package io.isthmus.nfvo.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.isthmus.sol.problem.ProblemDetails;

/**
 * An NS LCM operation occurrence (SOL005 NsLcmOpOcc) and its journal: the next step to run, the failed attempts of it,
 * and when the VNFs it waits for were last asked about. Its state changes only through {@link #transition}; the
 * journal entries of its steps through {@link #stepDone}, {@link #stepFailed} and {@link #polled}, each bumping
 * {@link #version()} so that a step whose outcome arrives after someone else's is dropped.
 * <p>
 * The fields the notification outbox reads stay public until the outbox moves to its own module; write them only
 * through the methods.
 */
@Entity
@Table(name = "ns_lcm_op_occ")
public class NsLcmOpOccEntity {
    @Id
    public String id;
    public String tenant;
    @Column(name = "ns_instance_id")
    public String nsInstanceId;
    /** The {@link NsOperationType} name (SOL005 lcmOperationType); {@link #type()} is the typed view. */
    public String operation;
    @Enumerated(EnumType.STRING)
    public NsLcmOperationState state;
    @Column(name = "error_detail")
    public String errorDetail;
    @Column(name = "error_status")
    public Integer errorStatus;

    @Column(name = "state_entered_time")
    private Instant stateEnteredTime;
    @Column(name = "state_reason")
    private String stateReason;
    @Column(name = "start_time")
    private Instant startTime;
    @Enumerated(EnumType.STRING)
    private NsOperationStep step;
    private int attempts;
    @Column(name = "last_poll")
    private Instant lastPoll;
    @Column(name = "operation_params")
    private String operationParams;
    /** When its steps may start (scaleTime, updateTime, terminationTime); null: at once. */
    @Column(name = "not_before")
    private Instant notBefore;
    /** The cancel mode asked for, until the operation stops at its next step boundary. */
    @Column(name = "cancel_mode")
    private String cancelMode;
    /** Continued past VNF operations that failed: it ends PARTIALLY_COMPLETED. */
    private boolean partial;
    /** Started by the NFVO itself, not by a request (SOL005 isAutomaticInvocation). */
    private boolean automatic;
    @Version
    private long version;

    protected NsLcmOpOccEntity() {
    }

    /**
     * A new occurrence at its first step. SOL005 NS operations have no STARTING state (granting is the VNFM's): they
     * begin PROCESSING.
     */
    public NsLcmOpOccEntity(String id, NsInstanceEntity ns, NsOperationType type, String operationParams,
            Instant now) {
        this(id, ns, type, operationParams, null, now);
    }

    /** As above, its steps waiting until {@code notBefore} when that is later than {@code now}. */
    public NsLcmOpOccEntity(String id, NsInstanceEntity ns, NsOperationType type, String operationParams,
            Instant notBefore, Instant now) {
        this.id = id;
        this.tenant = ns.tenant;
        this.nsInstanceId = ns.id;
        this.operation = type.name();
        this.state = NsLcmOperationState.PROCESSING;
        this.stateEnteredTime = now;
        this.stateReason = "operation accepted";
        if (notBefore != null && notBefore.isAfter(now)) {
            this.notBefore = notBefore;
            this.stateReason = "operation accepted; waiting until " + notBefore + " to start";
        }
        this.startTime = now;
        this.step = type.firstStep();
        this.operationParams = operationParams;
    }

    /**
     * The one method that changes the operation's state: checks the SOL state machine, stamps the time and the reason.
     * Entering FAILED_TEMP or FAILED records {@code problem} (when given) as the error.
     *
     * @return the state left
     */
    public NsLcmOperationState transition(NsLcmOperationState to, String reason, ProblemDetails problem, Instant now) {
        state.requireMoveTo(to);
        NsLcmOperationState from = state;
        state = to;
        stateEnteredTime = now;
        stateReason = reason;
        if ((to == NsLcmOperationState.FAILED_TEMP || to == NsLcmOperationState.FAILED) && problem != null) {
            errorStatus = problem.status();
            errorDetail = problem.detail();
        }
        if (to.isFinal()) {
            step = NsOperationStep.DONE;
        }
        if (to != NsLcmOperationState.PROCESSING) {
            cancelMode = null;
        } else if (from == NsLcmOperationState.FAILED_TEMP) {
            // a retry or a continue: the step runs again with a fresh set of attempts
            attempts = 0;
            lastPoll = null;
        }
        return from;
    }

    /** The current step is done: move on to {@code next}, with a fresh set of attempts and nothing polled yet. */
    public void stepDone(NsOperationStep next) {
        step = next;
        attempts = 0;
        lastPoll = null;
    }

    /** The current step failed transiently and runs again at the next pass. Returns the attempts made so far. */
    public int stepFailed(String reason) {
        attempts++;
        stateReason = reason;
        return attempts;
    }

    /** The VNFM was asked about the VNF operations this operation waits for, as of {@code at}. */
    public void polled(Instant at) {
        lastPoll = at;
    }

    /** A cancel was asked for: the engine stops the operation in FAILED_TEMP at its next step boundary. */
    public void cancelRequested(String mode) {
        cancelMode = mode;
    }

    /** SOL005 isCancelPending. */
    public boolean isCancelPending() {
        return cancelMode != null;
    }

    public String cancelMode() {
        return cancelMode;
    }

    /** It goes on past the VNF operations that failed, and ends PARTIALLY_COMPLETED. */
    public void continuedPastFailures() {
        partial = true;
    }

    /** Marks an occurrence the NFVO started itself (SOL005 isAutomaticInvocation), before it is persisted. */
    public void invokedAutomatically() {
        automatic = true;
    }

    public boolean isAutomaticInvocation() {
        return automatic;
    }

    public boolean isPartial() {
        return partial;
    }

    /** When its steps may start; null when they could at once. */
    public Instant notBefore() {
        return notBefore;
    }

    /** Whether the engine has something to run. */
    public boolean isRunnable() {
        return state == NsLcmOperationState.PROCESSING && step != NsOperationStep.DONE;
    }

    public NsOperationType type() {
        return NsOperationType.valueOf(operation);
    }

    public Instant stateEnteredTime() {
        return stateEnteredTime;
    }

    public String stateReason() {
        return stateReason;
    }

    public Instant startTime() {
        return startTime;
    }

    public NsOperationStep step() {
        return step;
    }

    public int attempts() {
        return attempts;
    }

    public Instant lastPoll() {
        return lastPoll;
    }

    public String operationParams() {
        return operationParams;
    }

    public long version() {
        return version;
    }
}
