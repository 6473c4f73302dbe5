package io.isthmus.nfvo.persistence;

import static io.isthmus.nfvo.persistence.NsOperationStep.AWAIT_VNFS;
import static io.isthmus.nfvo.persistence.NsOperationStep.CREATE_VNFS;
import static io.isthmus.nfvo.persistence.NsOperationStep.DELETE_VNFS;
import static io.isthmus.nfvo.persistence.NsOperationStep.DONE;
import static io.isthmus.nfvo.persistence.NsOperationStep.INSTANTIATE_VNFS;
import static io.isthmus.nfvo.persistence.NsOperationStep.TERMINATE_VNFS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NsOperationTypeTest {

    static List<NsOperationStep> walk(NsOperationType type) {
        List<NsOperationStep> steps = new ArrayList<>();
        for (NsOperationStep s = type.firstStep(); s != DONE; s = type.stepAfter(s)) {
            steps.add(s);
        }
        return steps;
    }

    @ParameterizedTest
    @CsvSource({"INSTANTIATE, NOT_INSTANTIATED, INSTANTIATED", "TERMINATE, INSTANTIATED, NOT_INSTANTIATED",
            "SCALE, INSTANTIATED, INSTANTIATED", "HEAL, INSTANTIATED, INSTANTIATED",
            "UPDATE, INSTANTIATED, INSTANTIATED"})
    void eachOperationGoesFromTheStateItNeedsToTheStateItLeaves(NsOperationType type, NsState from, NsState to) {
        assertThat(type.requiredState()).isEqualTo(from);
        assertThat(type.resultingState()).isEqualTo(to);
    }

    @org.junit.jupiter.api.Test
    void instantiateCreatesThenInstantiatesThenAwaitsTheVnfsThenWiresTheirChains() {
        assertThat(walk(NsOperationType.INSTANTIATE)).containsExactly(CREATE_VNFS, INSTANTIATE_VNFS, AWAIT_VNFS,
                NsOperationStep.WIRE_VNFS, NsOperationStep.AWAIT_WIRING);
    }

    @org.junit.jupiter.api.Test
    void terminateTerminatesThenAwaitsThenDeletesTheVnfs() {
        assertThat(walk(NsOperationType.TERMINATE)).containsExactly(TERMINATE_VNFS, AWAIT_VNFS, DELETE_VNFS);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(names = {"SCALE", "HEAL", "UPDATE"})
    void scaleHealAndUpdateSendEachVnfItsRequestAwaitThemThenFinishThenRewireTheirChains(NsOperationType type) {
        assertThat(walk(type)).containsExactly(NsOperationStep.VNF_TASKS, AWAIT_VNFS, NsOperationStep.FINISH_TASKS,
                NsOperationStep.WIRE_VNFS, NsOperationStep.AWAIT_WIRING);
    }

    @org.junit.jupiter.api.Test
    void aStepAnOperationDoesNotHaveLeadsToDone() {
        assertThat(NsOperationType.INSTANTIATE.stepAfter(DELETE_VNFS)).isEqualTo(DONE);
        assertThat(NsOperationType.TERMINATE.stepAfter(DONE)).isEqualTo(DONE);
    }
}
