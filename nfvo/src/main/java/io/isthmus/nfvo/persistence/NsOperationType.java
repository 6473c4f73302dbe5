package io.isthmus.nfvo.persistence;

import java.util.List;

/**
 * The NS LCM operations this NFVO runs (SOL005 NsLcmOpType), each with the steps it walks through in order and the NS
 * state it leaves the instance in when it completes.
 */
public enum NsOperationType {
    INSTANTIATE(NsState.INSTANTIATED, List.of(NsOperationStep.CREATE_VNFS, NsOperationStep.INSTANTIATE_VNFS,
            NsOperationStep.AWAIT_VNFS, NsOperationStep.WIRE_VNFS, NsOperationStep.AWAIT_WIRING,
            NsOperationStep.DONE)), TERMINATE(NsState.NOT_INSTANTIATED,
                    List.of(NsOperationStep.TERMINATE_VNFS, NsOperationStep.AWAIT_VNFS,
                            NsOperationStep.DELETE_VNFS, NsOperationStep.DONE)),
    /** SOL005 scale: each VNF's scale or scale to level. */
    SCALE(NsState.INSTANTIATED, vnfTaskSteps()),
    /** SOL005 heal: each VNF's heal. */
    HEAL(NsState.INSTANTIATED, vnfTaskSteps()),
    /** SOL005 update: each VNF's operate, change of flavour, modification, joining or leaving the NS. */
    UPDATE(NsState.INSTANTIATED, vnfTaskSteps());

    /**
     * The steps of an operation that asks something of some of its VNFs; a chain's VNFs then follow the new ingress of
     * the ones that changed.
     */
    private static List<NsOperationStep> vnfTaskSteps() {
        return List.of(NsOperationStep.VNF_TASKS, NsOperationStep.AWAIT_VNFS, NsOperationStep.FINISH_TASKS,
                NsOperationStep.WIRE_VNFS, NsOperationStep.AWAIT_WIRING, NsOperationStep.DONE);
    }

    private final NsState resultingState;
    private final List<NsOperationStep> steps;

    NsOperationType(NsState resultingState, List<NsOperationStep> steps) {
        this.resultingState = resultingState;
        this.steps = steps;
    }

    public NsOperationStep firstStep() {
        return steps.getFirst();
    }

    /** The step after {@code step}; DONE after the last one. */
    public NsOperationStep stepAfter(NsOperationStep step) {
        int i = steps.indexOf(step);
        if (i < 0 || i + 1 >= steps.size()) {
            return NsOperationStep.DONE;
        }
        return steps.get(i + 1);
    }

    /** The NS state once the operation COMPLETED. */
    public NsState resultingState() {
        return resultingState;
    }

    /** The NS state the operation needs to start from. */
    public NsState requiredState() {
        return this == INSTANTIATE ? NsState.NOT_INSTANTIATED : NsState.INSTANTIATED;
    }
}
