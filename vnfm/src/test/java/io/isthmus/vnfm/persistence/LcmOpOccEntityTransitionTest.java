package io.isthmus.vnfm.persistence;

import static io.isthmus.sol.lifecycle.LcmOperationState.COMPLETED;
import static io.isthmus.sol.lifecycle.LcmOperationState.FAILED;
import static io.isthmus.sol.lifecycle.LcmOperationState.FAILED_TEMP;
import static io.isthmus.sol.lifecycle.LcmOperationState.PROCESSING;
import static io.isthmus.sol.lifecycle.LcmOperationState.ROLLED_BACK;
import static io.isthmus.sol.lifecycle.LcmOperationState.ROLLING_BACK;
import static io.isthmus.sol.lifecycle.LcmOperationState.STARTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.isthmus.sol.lifecycle.IllegalTransitionException;
import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.problem.ProblemDetails;

class LcmOpOccEntityTransitionTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(5);
    private static final ProblemDetails REFUSED = ProblemDetails.of(403, "Forbidden", "quota");

    private static LcmOpOccEntity opIn(LcmOperationState state) {
        LcmOpOccEntity op = new LcmOpOccEntity("op", "vnf", "acme", LcmOperationType.INSTANTIATE, Map.of(), T0);
        List<LcmOperationState> path = switch (state) {
            case STARTING -> List.of();
            case PROCESSING -> List.of(PROCESSING);
            case COMPLETED -> List.of(PROCESSING, COMPLETED);
            case FAILED_TEMP -> List.of(PROCESSING, FAILED_TEMP);
            case FAILED -> List.of(PROCESSING, FAILED_TEMP, FAILED);
            case ROLLED_BACK -> List.of(ROLLED_BACK);
            default -> throw new IllegalArgumentException(state.name());
        };
        path.forEach(s -> op.transition(s, "setup", REFUSED, T0));
        return op;
    }

    @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
    @CsvSource({
            "STARTING, PROCESSING, true", "STARTING, FAILED, true", "STARTING, ROLLED_BACK, true",
            "STARTING, COMPLETED, false", "STARTING, FAILED_TEMP, false",
            "PROCESSING, COMPLETED, true", "PROCESSING, FAILED_TEMP, true", "PROCESSING, FAILED, true",
            "PROCESSING, STARTING, false",
            "FAILED_TEMP, PROCESSING, true", "FAILED_TEMP, FAILED, true", "FAILED_TEMP, COMPLETED, false",
            "COMPLETED, PROCESSING, false", "FAILED, PROCESSING, false", "ROLLED_BACK, PROCESSING, false"})
    void transitionFollowsTheSolStateMachine(LcmOperationState from, LcmOperationState to, boolean allowed) {
        LcmOpOccEntity op = opIn(from);
        if (allowed) {
            op.transition(to, "because", null, T1);
            assertThat(op.state()).isEqualTo(to);
            assertThat(op.stateEnteredTime()).isEqualTo(T1);
            assertThat(op.stateReason()).isEqualTo("because");
        } else {
            assertThatThrownBy(() -> op.transition(to, "because", null, T1))
                    .isInstanceOf(IllegalTransitionException.class);
            assertThat(op.state()).isEqualTo(from);
        }
    }

    @Test
    void failedTempRecordsTheErrorAndRetryClearsItWithFreshAttempts() {
        // Given a processing operation whose step failed twice, then for good
        LcmOpOccEntity op = opIn(PROCESSING);
        op.stepFailed(Duration.ofSeconds(1), "vim busy", T0);
        op.stepFailed(Duration.ofSeconds(2), "vim busy", T0);
        op.transition(FAILED_TEMP, "refused", REFUSED, T1);
        assertThat(op.error()).isEqualTo(REFUSED);
        assertThat(op.attempts()).isEqualTo(2);

        // When it is retried
        op.transition(PROCESSING, "retried", null, T1.plusSeconds(1));

        // Then its error is gone and the step is due at once with fresh attempts
        assertThat(op.error()).isNull();
        assertThat(op.attempts()).isZero();
        assertThat(op.isRunnable(T1.plusSeconds(1))).isTrue();
    }

    @Test
    void closedOperationHasNothingLeftToRun() {
        LcmOpOccEntity op = opIn(COMPLETED);

        assertThat(op.step()).isEqualTo(OperationStep.DONE);
        assertThat(op.isRunnable(T1)).isFalse();
    }

    @Test
    void failedStepWaitsForItsBackoff() {
        LcmOpOccEntity op = opIn(PROCESSING);

        int attempts = op.stepFailed(Duration.ofSeconds(3), "busy", T0);

        assertThat(attempts).isEqualTo(1);
        assertThat(op.isRunnable(T0.plusSeconds(2))).isFalse();
        assertThat(op.isRunnable(T0.plusSeconds(3))).isTrue();
    }

    @Test
    void operationsWalkTheirStepsInOrder() {
        OperationPhase fwd = OperationPhase.FORWARD;
        assertThat(LcmOperationType.INSTANTIATE.firstStep()).isEqualTo(OperationStep.START);
        assertThat(LcmOperationType.INSTANTIATE.stepAfter(OperationStep.GRANT, fwd)).isEqualTo(OperationStep.ALLOCATE);
        assertThat(LcmOperationType.INSTANTIATE.stepAfter(OperationStep.CONFIGURE, fwd))
                .isEqualTo(OperationStep.PUBLISH);
        assertThat(LcmOperationType.INSTANTIATE.stepAfter(OperationStep.PUBLISH, fwd)).isEqualTo(OperationStep.DONE);
        assertThat(LcmOperationType.TERMINATE.stepAfter(OperationStep.START, fwd)).isEqualTo(OperationStep.UNPUBLISH);
        assertThat(LcmOperationType.TERMINATE.stepAfter(OperationStep.RELEASE, fwd)).isEqualTo(OperationStep.DONE);
        // a scale in takes its fastpaths out of the ingress and drains them before it stops them
        assertThat(LcmOperationType.SCALE.stepAfter(OperationStep.UNPUBLISH, fwd)).isEqualTo(OperationStep.DRAIN);
        assertThat(LcmOperationType.SCALE.stepAfter(OperationStep.DRAIN, fwd)).isEqualTo(OperationStep.REMOVE_VNFCS);
    }

    @Test
    void rollbackWalksTheRollbackSteps() {
        OperationPhase back = OperationPhase.ROLLBACK;
        assertThat(LcmOperationType.INSTANTIATE.canRollBack()).isTrue();
        assertThat(LcmOperationType.INSTANTIATE.firstRollbackStep()).isEqualTo(OperationStep.UNPUBLISH);
        assertThat(LcmOperationType.INSTANTIATE.stepAfter(OperationStep.UNPUBLISH, back))
                .isEqualTo(OperationStep.RELEASE);
        assertThat(LcmOperationType.SCALE.stepAfter(OperationStep.RESTORE_VNFCS, back))
                .isEqualTo(OperationStep.PUBLISH);
        assertThat(LcmOperationType.HEAL.canRollBack()).isFalse();
        assertThat(LcmOperationType.TERMINATE.canRollBack()).isFalse();

        LcmOpOccEntity op = opIn(PROCESSING);
        op.transition(FAILED_TEMP, "broke", null, T0);
        op.transition(ROLLING_BACK, "undo", null, T0);
        assertThat(op.phase()).isEqualTo(OperationPhase.ROLLBACK);
        assertThat(op.step()).isEqualTo(OperationStep.UNPUBLISH);
        assertThat(op.isRunnable(T0)).isTrue();
    }

    @Test
    void aStepInFlightIsNotRunnableAndIsInterruptedOnceItsLeaseRunsOut() {
        LcmOpOccEntity op = opIn(PROCESSING);
        op.begin("vnfm-a", T0.plusSeconds(6));

        assertThat(op.isRunnable(T0)).isFalse();
        assertThat(op.interrupted(T0.plusSeconds(5))).isFalse();
        assertThat(op.interrupted(T0.plusSeconds(7))).isTrue();

        op.transition(FAILED_TEMP, "interrupted", null, T0.plusSeconds(7));
        assertThat(op.stepInFlight()).isNull();
        assertThat(op.leaseOwner()).isNull();
    }
}
