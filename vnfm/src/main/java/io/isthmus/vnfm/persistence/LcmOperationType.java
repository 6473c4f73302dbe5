package io.isthmus.vnfm.persistence;

import static io.isthmus.vnfm.persistence.OperationStep.*;

import java.util.List;

/**
 * The LCM operations this vnfm runs (SOL003 LcmOperationType), each with the steps it walks through in order, and the
 * steps its rollback walks through (none: it cannot be rolled back, SOL003 leaves that to the VNFM). A step that has
 * nothing to do for an occurrence (ADD_VNFCS of a scale in) completes at once.
 */
public enum LcmOperationType {
    INSTANTIATE(List.of(START, PACKAGE, GRANT, ALLOCATE, CONFIGURE, PUBLISH), List.of(UNPUBLISH, RELEASE)), SCALE(
            List.of(START, PACKAGE, PLAN, GRANT, ADD_VNFCS, UNPUBLISH, DRAIN, REMOVE_VNFCS, PUBLISH),
            List.of(RESTORE_VNFCS, PUBLISH)), SCALE_TO_LEVEL(SCALE.steps, SCALE.rollback), CHANGE_FLAVOUR(
                    List.of(START, PACKAGE, PLAN, GRANT, ADD_VNFCS, UNPUBLISH, DRAIN, REMOVE_VNFCS, PUBLISH),
                    List.of(RESTORE_VNFCS, PUBLISH)), HEAL(
                            List.of(START, PACKAGE, PLAN, GRANT, UNPUBLISH, HEAL_VNFCS, CONFIGURE, PUBLISH),
                            List.of()), OPERATE(List.of(START, UNPUBLISH, DRAIN, OPERATE_VNFCS, CONFIGURE, PUBLISH),
                                    List.of()), MODIFY_INFO(List.of(START, MODIFY, CONFIGURE),
                                            List.of(UNMODIFY, CONFIGURE)), CHANGE_EXT_CONN(
                                                    List.of(START, MODIFY, CONFIGURE),
                                                    List.of(UNMODIFY, CONFIGURE)), TERMINATE(
                                                            List.of(START, UNPUBLISH, DRAIN, RELEASE), List.of());

    private final List<OperationStep> steps;
    private final List<OperationStep> rollback;

    LcmOperationType(List<OperationStep> steps, List<OperationStep> rollback) {
        this.steps = steps;
        this.rollback = rollback;
    }

    public OperationStep firstStep() {
        return steps.getFirst();
    }

    /** Whether a FAILED_TEMP occurrence may be rolled back. */
    public boolean canRollBack() {
        return !rollback.isEmpty();
    }

    public OperationStep firstRollbackStep() {
        return rollback.getFirst();
    }

    /** The step after {@code step} in the given phase; DONE after the last one. */
    public OperationStep stepAfter(OperationStep step, OperationPhase phase) {
        List<OperationStep> list = phase == OperationPhase.ROLLBACK ? rollback : steps;
        int i = list.indexOf(step);
        if (i < 0 || i + 1 >= list.size()) {
            return DONE;
        }
        return list.get(i + 1);
    }

    /** Whether {@code step} comes after {@code other} in the forward steps (both in the list). */
    public boolean reached(OperationStep step, OperationStep other) {
        return steps.indexOf(step) >= steps.indexOf(other);
    }
}
