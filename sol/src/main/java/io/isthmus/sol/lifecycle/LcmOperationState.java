package io.isthmus.sol.lifecycle;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The SOL003/SOL005 LcmOperationStateType state machine, with its one transition table (SOL003 v3.3.1 figure
 * 5.6.2.2-1). Every operation occurrence of the platform, VNF or NS, changes state through {@link #canMoveTo}.
 */
public enum LcmOperationState {
    STARTING, PROCESSING, COMPLETED, FAILED_TEMP, FAILED, ROLLING_BACK, ROLLED_BACK;

    private static final Map<LcmOperationState, Set<LcmOperationState>> NEXT = Map.of(
            STARTING, EnumSet.of(PROCESSING, ROLLED_BACK, FAILED),
            PROCESSING, EnumSet.of(COMPLETED, FAILED_TEMP, FAILED),
            FAILED_TEMP, EnumSet.of(PROCESSING, ROLLING_BACK, FAILED),
            ROLLING_BACK, EnumSet.of(ROLLED_BACK, FAILED_TEMP),
            COMPLETED, EnumSet.noneOf(LcmOperationState.class),
            FAILED, EnumSet.noneOf(LcmOperationState.class),
            ROLLED_BACK, EnumSet.noneOf(LcmOperationState.class));

    public boolean canMoveTo(LcmOperationState next) {
        return NEXT.get(this).contains(next);
    }

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == ROLLED_BACK;
    }
}
