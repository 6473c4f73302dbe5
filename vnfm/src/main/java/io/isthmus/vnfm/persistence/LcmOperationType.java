package io.isthmus.vnfm.persistence;

import static io.isthmus.vnfm.persistence.OperationStep.*;

import java.util.List;

/**
 * The LCM operations this vnfm runs (SOL003 LcmOperationType), each with the steps it walks through in order, and the
 * steps its rollback walks through (none: it cannot be rolled back, SOL003 leaves that to the VNFM). A step that has
 * nothing to do for an occurrence (ADD_VNFCS of a scale in) completes at once.
 */
public enum LcmOperationType {
    INSTANTIATE(Steps.INSTANTIATE, Steps.RELEASE), SCALE(Steps.SCALING, Steps.RESTORE), SCALE_TO_LEVEL(Steps.SCALING,
            Steps.RESTORE), CHANGE_FLAVOUR(Steps.SCALING, Steps.RESTORE), HEAL(Steps.HEAL, Steps.NONE), OPERATE(
                    Steps.OPERATE, Steps.NONE), MODIFY_INFO(Steps.MODIFY, Steps.UNMODIFY), CHANGE_EXT_CONN(
                            Steps.MODIFY, Steps.UNMODIFY), TERMINATE(Steps.TERMINATE, Steps.NONE), CHANGE_VNFPKG(
                                    Steps.CHANGE_VNFPKG, Steps.ROLL_BACK), CREATE_SNAPSHOT(Steps.CREATE_SNAPSHOT,
                                            Steps.NONE), REVERT_TO_SNAPSHOT(Steps.REVERT_TO_SNAPSHOT, Steps.NONE);

    /** The step lists, one per kind of operation. */
    private static final class Steps {
        static final List<OperationStep> INSTANTIATE = List.of(START, PACKAGE, GRANT, ALLOCATE, CONFIGURE, PUBLISH);
        static final List<OperationStep> RELEASE = List.of(UNPUBLISH, OperationStep.RELEASE);
        /** Scale, scale to level, change of flavour: grow first, then take out of the ingress, drain, shrink. */
        static final List<OperationStep> SCALING = List.of(START, PACKAGE, GRANT, ADD_VNFCS, UNPUBLISH, DRAIN,
                REMOVE_VNFCS, PUBLISH);
        static final List<OperationStep> RESTORE = List.of(RESTORE_VNFCS, PUBLISH);
        static final List<OperationStep> HEAL = List.of(START, PACKAGE, PLAN, GRANT, UNPUBLISH, HEAL_VNFCS, CONFIGURE,
                PUBLISH);
        static final List<OperationStep> OPERATE = List.of(START, UNPUBLISH, DRAIN, OPERATE_VNFCS, CONFIGURE, PUBLISH);
        static final List<OperationStep> MODIFY = List.of(START, OperationStep.MODIFY, CONFIGURE);
        static final List<OperationStep> UNMODIFY = List.of(OperationStep.UNMODIFY, CONFIGURE);
        static final List<OperationStep> TERMINATE = List.of(START, UNPUBLISH, DRAIN, OperationStep.RELEASE);
        /** A rolling replacement of every replica by the new package's, then the ingress as it was. */
        static final List<OperationStep> CHANGE_VNFPKG = List.of(START, PACKAGE, ROLL_VNFCS, PUBLISH);
        /** The replicas replaced so far back to the old package's, the same way. */
        static final List<OperationStep> ROLL_BACK = List.of(ROLL_VNFCS, PUBLISH);
        static final List<OperationStep> CREATE_SNAPSHOT = List.of(START, TAKE_SNAPSHOT);
        static final List<OperationStep> REVERT_TO_SNAPSHOT = List.of(START, REVERT_SNAPSHOT);
        static final List<OperationStep> NONE = List.of();
    }

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
}
