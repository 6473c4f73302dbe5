package io.isthmus.nfvo.persistence;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import io.isthmus.sol.lifecycle.IllegalTransitionException;

/**
 * SOL005 v2.7.1 NsLcmOperationStateType (clause 6.5.4.4) and its one transition table (figure 6.6.2.2-1 of SOL005's
 * state model): an NS operation has no STARTING (granting is the VNFM's), and may end PARTIALLY_COMPLETED — a multi-VNF
 * operation continued past the VNF operations that failed. VNF operations keep the shared SOL003
 * {@code LcmOperationState}.
 */
public enum NsLcmOperationState {
    PROCESSING, COMPLETED, PARTIALLY_COMPLETED, FAILED_TEMP, FAILED, ROLLING_BACK, ROLLED_BACK;

    private static final Map<NsLcmOperationState, Set<NsLcmOperationState>> NEXT = Map.of(
            PROCESSING, EnumSet.of(COMPLETED, PARTIALLY_COMPLETED, FAILED_TEMP, FAILED),
            FAILED_TEMP, EnumSet.of(PROCESSING, ROLLING_BACK, FAILED),
            ROLLING_BACK, EnumSet.of(ROLLED_BACK, FAILED_TEMP),
            COMPLETED, EnumSet.noneOf(NsLcmOperationState.class),
            PARTIALLY_COMPLETED, EnumSet.noneOf(NsLcmOperationState.class),
            FAILED, EnumSet.noneOf(NsLcmOperationState.class),
            ROLLED_BACK, EnumSet.noneOf(NsLcmOperationState.class));

    public boolean canMoveTo(NsLcmOperationState next) {
        return NEXT.get(this).contains(next);
    }

    /** Throws the 409 of a change the table does not allow. */
    public void requireMoveTo(NsLcmOperationState next) {
        if (!canMoveTo(next)) {
            throw new IllegalTransitionException(this, next);
        }
    }

    public boolean isFinal() {
        return NEXT.get(this).isEmpty();
    }
}
