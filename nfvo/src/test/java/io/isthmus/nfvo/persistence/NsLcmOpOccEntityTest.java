package io.isthmus.nfvo.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.isthmus.sol.lifecycle.IllegalTransitionException;
import io.isthmus.nfvo.persistence.NsLcmOperationState;
import io.isthmus.sol.problem.ProblemDetails;

class NsLcmOpOccEntityTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T1 = T0.plusSeconds(5);

    static NsLcmOpOccEntity instantiate() {
        NsInstanceEntity ns = new NsInstanceEntity();
        ns.id = "ns-1";
        ns.tenant = "acme";
        return new NsLcmOpOccEntity("op-1", ns, NsOperationType.INSTANTIATE, "{}", T0);
    }

    @Test
    void aNewOperationIsProcessingAtItsFirstStep() {
        NsLcmOpOccEntity op = instantiate();

        assertThat(op.state).isEqualTo(NsLcmOperationState.PROCESSING);
        assertThat(op.step()).isEqualTo(NsOperationStep.CREATE_VNFS);
        assertThat(op.operation).isEqualTo("INSTANTIATE");
        assertThat(op.isRunnable()).isTrue();
    }

    @Test
    void aTransitionStampsTimeAndReasonAndRecordsTheError() {
        NsLcmOpOccEntity op = instantiate();

        NsLcmOperationState from = op.transition(NsLcmOperationState.FAILED_TEMP, "VNF failed",
                ProblemDetails.of(502, "VNFM call failed", "CREATE_VNFS: 502"), T1);

        assertThat(from).isEqualTo(NsLcmOperationState.PROCESSING);
        assertThat(op.stateEnteredTime()).isEqualTo(T1);
        assertThat(op.stateReason()).isEqualTo("VNF failed");
        assertThat(op.errorStatus).isEqualTo(502);
        assertThat(op.errorDetail).isEqualTo("CREATE_VNFS: 502");
        assertThat(op.isRunnable()).isFalse();
    }

    @Test
    void failingAFailedTempOperationKeepsItsError() {
        NsLcmOpOccEntity op = instantiate();
        op.transition(NsLcmOperationState.FAILED_TEMP, "x", ProblemDetails.of(500, "t", "the cause"), T1);

        op.transition(NsLcmOperationState.FAILED, "failed on request", null, T1);

        assertThat(op.errorDetail).isEqualTo("the cause");
        assertThat(op.step()).isEqualTo(NsOperationStep.DONE);
    }

    @Test
    void theStateMachineRefusesWhatSolDoesNotAllow() {
        NsLcmOpOccEntity op = instantiate();
        op.transition(NsLcmOperationState.COMPLETED, "done", null, T1);

        assertThatThrownBy(() -> op.transition(NsLcmOperationState.FAILED_TEMP, "late", null, T1))
                .isInstanceOf(IllegalTransitionException.class);
        assertThat(op.state).isEqualTo(NsLcmOperationState.COMPLETED);
    }

    @Test
    void aDoneStepMovesOnWithFreshAttemptsAndNothingPolled() {
        NsLcmOpOccEntity op = instantiate();
        op.stepFailed("VNFM unreachable");
        op.polled(T1);

        op.stepDone(NsOperationStep.INSTANTIATE_VNFS);

        assertThat(op.step()).isEqualTo(NsOperationStep.INSTANTIATE_VNFS);
        assertThat(op.attempts()).isZero();
        assertThat(op.lastPoll()).isNull();
    }
}
