package io.isthmus.vnfm.persistence;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.isthmus.sol.lifecycle.IllegalTransitionException;
import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.problem.ProblemDetails;

/**
 * A VNF LCM operation occurrence (SOL003 VnfLcmOpOcc) and its journal: the next step to run, the attempts of it that
 * failed, and what the steps before found. Its state changes only through {@link #transition}.
 */
@Entity
@Table(name = "vnf_lcm_op_occ")
public class LcmOpOccEntity {

    @Id
    private String id;
    @Column(name = "vnf_instance_id", nullable = false)
    private String vnfInstanceId;
    @Column(name = "tenant")
    private String tenant;
    @Enumerated(EnumType.STRING)
    @Column(name = "operation", nullable = false)
    private LcmOperationType operation;
    @Enumerated(EnumType.STRING)
    @Column(name = "operation_state", nullable = false)
    private LcmOperationState state;
    @Column(name = "state_entered_time", nullable = false)
    private Instant stateEnteredTime;
    @Column(name = "state_reason")
    private String stateReason;
    @Column(name = "start_time", nullable = false)
    private Instant startTime;
    @Column(name = "is_automatic_invocation", nullable = false)
    private boolean automaticInvocation;
    @Column(name = "is_cancel_pending", nullable = false)
    private boolean cancelPending;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "operation_params")
    private Map<String, Object> operationParams;
    @Column(name = "grant_id")
    private String grantId;
    @Enumerated(EnumType.STRING)
    @Column(name = "step", nullable = false)
    private OperationStep step;
    @Column(name = "attempts", nullable = false)
    private int attempts;
    @Column(name = "next_attempt_at", nullable = false)
    private Instant nextAttemptAt;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "work")
    private OperationWork work;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "error")
    private ProblemDetails error;
    @Enumerated(EnumType.STRING)
    @Column(name = "phase", nullable = false)
    private OperationPhase phase = OperationPhase.FORWARD;
    /** The step a worker is running now (journaled before it acts); null between steps. */
    @Enumerated(EnumType.STRING)
    @Column(name = "step_in_flight")
    private OperationStep stepInFlight;
    /** The vnfm process running the step in flight, and until when its lease holds unless renewed. */
    @Column(name = "lease_owner")
    private String leaseOwner;
    @Column(name = "lease_until")
    private Instant leaseUntil;
    @Column(name = "cancel_mode")
    private String cancelMode;
    /** The Idempotency-Key of the request that opened it, if it had one. */
    @Column(name = "idempotency_key")
    private String idempotencyKey;
    @Version
    private long version;

    protected LcmOpOccEntity() {
    }

    /** A new occurrence, STARTING, its first step due at once. */
    public LcmOpOccEntity(String id, String vnfInstanceId, String tenant, LcmOperationType operation,
            Map<String, Object> operationParams, Instant now) {
        this.id = id;
        this.vnfInstanceId = vnfInstanceId;
        this.tenant = tenant;
        this.operation = operation;
        this.operationParams = operationParams == null ? Map.of() : operationParams;
        this.state = LcmOperationState.STARTING;
        this.stateEnteredTime = now;
        this.stateReason = "operation accepted";
        this.startTime = now;
        this.step = operation.firstStep();
        this.nextAttemptAt = now;
        this.work = OperationWork.empty();
    }

    /**
     * The one method that changes the operation's state: checks the SOL state machine, stamps the time and the reason.
     * Entering FAILED_TEMP or FAILED records {@code problem} as the error; leaving FAILED_TEMP for PROCESSING clears
     * it and gives the current step a fresh set of attempts.
     *
     * @return the state left
     */
    public LcmOperationState transition(LcmOperationState to, String reason, ProblemDetails problem, Instant now) {
        if (!state.canMoveTo(to)) {
            throw new IllegalTransitionException(state, to);
        }
        LcmOperationState from = state;
        state = to;
        stateEnteredTime = now;
        stateReason = reason;
        if (to == LcmOperationState.FAILED_TEMP || to == LcmOperationState.FAILED) {
            if (problem != null) {
                error = problem;
            }
        } else if (to == LcmOperationState.PROCESSING && from == LcmOperationState.FAILED_TEMP) {
            error = null;
            attempts = 0;
            nextAttemptAt = now;
        } else if (to == LcmOperationState.ROLLING_BACK) {
            phase = OperationPhase.ROLLBACK;
            step = operation.firstRollbackStep();
            attempts = 0;
            nextAttemptAt = now;
        }
        if (to == LcmOperationState.FAILED_TEMP || to.isFinal()) {
            stepInFlight = null;
            leaseOwner = null;
            leaseUntil = null;
            cancelPending = false;
        }
        if (to.isFinal()) {
            step = OperationStep.DONE;
        }
        return from;
    }

    /** Journals, before the current step acts, that {@code owner} runs it and holds it until {@code until}. */
    public void begin(String owner, Instant until) {
        this.stepInFlight = step;
        this.leaseOwner = owner;
        this.leaseUntil = until;
    }

    /** Whether the step in flight belongs to a worker that stopped renewing its lease (its vnfm died). */
    public boolean interrupted(Instant now) {
        return stepInFlight != null && (leaseUntil == null || leaseUntil.isBefore(now));
    }

    /** Asks the operation to stop at its next step boundary (SOL003 cancel). */
    public void cancel(String mode) {
        this.cancelPending = true;
        this.cancelMode = mode;
    }

    /** The current step succeeded: journal what it found and move on to {@code next}. */
    public void stepDone(OperationStep next, OperationWork found, Instant now) {
        this.stepInFlight = null;
        this.step = next;
        this.work = found;
        this.attempts = 0;
        this.nextAttemptAt = now;
    }

    /** The current step failed transiently; it runs again after {@code backoff}. Returns the attempts made so far. */
    public int stepFailed(Duration backoff, String reason, Instant now) {
        stepInFlight = null;
        attempts++;
        nextAttemptAt = now.plus(backoff);
        stateReason = reason;
        return attempts;
    }

    public void granted(String id) {
        this.grantId = id;
    }

    /** Waits before running the current step again, without counting a failed attempt (DRAIN polling). */
    public void waitFor(Duration pause, String reason, Instant now) {
        stepInFlight = null;
        nextAttemptAt = now.plus(pause);
        stateReason = reason;
    }

    /** Whether the worker has something to run now: a step due, none in flight. */
    public boolean isRunnable(Instant now) {
        return (state == LcmOperationState.STARTING || state == LcmOperationState.PROCESSING
                || state == LcmOperationState.ROLLING_BACK) && step != OperationStep.DONE
                && stepInFlight == null && !nextAttemptAt.isAfter(now);
    }

    public OperationPhase phase() {
        return phase == null ? OperationPhase.FORWARD : phase;
    }

    public OperationStep stepInFlight() {
        return stepInFlight;
    }

    public String leaseOwner() {
        return leaseOwner;
    }

    public Instant leaseUntil() {
        return leaseUntil;
    }

    public void idempotencyKey(String key) {
        this.idempotencyKey = key;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    public String cancelMode() {
        return cancelMode;
    }

    public String id() {
        return id;
    }

    public String vnfInstanceId() {
        return vnfInstanceId;
    }

    public String tenant() {
        return tenant;
    }

    public LcmOperationType operation() {
        return operation;
    }

    public LcmOperationState state() {
        return state;
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

    public boolean automaticInvocation() {
        return automaticInvocation;
    }

    public boolean cancelPending() {
        return cancelPending;
    }

    public Map<String, Object> operationParams() {
        return operationParams;
    }

    public String grantId() {
        return grantId;
    }

    public OperationStep step() {
        return step;
    }

    public int attempts() {
        return attempts;
    }

    public Instant nextAttemptAt() {
        return nextAttemptAt;
    }

    public OperationWork work() {
        return work == null ? OperationWork.empty() : work;
    }

    public ProblemDetails error() {
        return error;
    }

    public long version() {
        return version;
    }
}
