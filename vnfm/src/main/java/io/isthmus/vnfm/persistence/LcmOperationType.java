package io.isthmus.vnfm.persistence;

import java.util.List;

/** The LCM operations this vnfm runs (SOL003 LcmOperationType), each with the steps it walks through in order. */
public enum LcmOperationType {
    INSTANTIATE(List.of(OperationStep.START, OperationStep.PACKAGE, OperationStep.GRANT, OperationStep.ALLOCATE,
            OperationStep.CONFIGURE, OperationStep.DONE)), TERMINATE(
                    List.of(OperationStep.START, OperationStep.RELEASE, OperationStep.DONE));

    private final List<OperationStep> steps;

    LcmOperationType(List<OperationStep> steps) {
        this.steps = steps;
    }

    public OperationStep firstStep() {
        return steps.getFirst();
    }

    /** The step after {@code step}; DONE after the last one. */
    public OperationStep stepAfter(OperationStep step) {
        int i = steps.indexOf(step);
        if (i < 0 || i + 1 >= steps.size()) {
            return OperationStep.DONE;
        }
        return steps.get(i + 1);
    }
}
