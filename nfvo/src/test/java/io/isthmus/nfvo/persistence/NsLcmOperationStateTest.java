package io.isthmus.nfvo.persistence;

import static io.isthmus.nfvo.persistence.NsLcmOperationState.COMPLETED;
import static io.isthmus.nfvo.persistence.NsLcmOperationState.FAILED;
import static io.isthmus.nfvo.persistence.NsLcmOperationState.FAILED_TEMP;
import static io.isthmus.nfvo.persistence.NsLcmOperationState.PARTIALLY_COMPLETED;
import static io.isthmus.nfvo.persistence.NsLcmOperationState.PROCESSING;
import static io.isthmus.nfvo.persistence.NsLcmOperationState.ROLLED_BACK;
import static io.isthmus.nfvo.persistence.NsLcmOperationState.ROLLING_BACK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.isthmus.sol.lifecycle.IllegalTransitionException;

/** The NS operation state table (SOL005 v2.7.1 NsLcmOperationStateType), row by row. */
class NsLcmOperationStateTest {

    static Set<NsLcmOperationState> next(NsLcmOperationState from) {
        Set<NsLcmOperationState> out = EnumSet.noneOf(NsLcmOperationState.class);
        for (NsLcmOperationState to : NsLcmOperationState.values()) {
            if (from.canMoveTo(to)) {
                out.add(to);
            }
        }
        return out;
    }

    @Test
    void eachStateMovesOnlyWhereSol005Allows() {
        assertThat(next(PROCESSING)).containsExactlyInAnyOrder(COMPLETED, PARTIALLY_COMPLETED, FAILED_TEMP, FAILED);
        // retry and continue, rollback, fail
        assertThat(next(FAILED_TEMP)).containsExactlyInAnyOrder(PROCESSING, ROLLING_BACK, FAILED);
        assertThat(next(ROLLING_BACK)).containsExactlyInAnyOrder(ROLLED_BACK, FAILED_TEMP);
        for (NsLcmOperationState closed : EnumSet.of(COMPLETED, PARTIALLY_COMPLETED, FAILED, ROLLED_BACK)) {
            assertThat(next(closed)).as(closed.name()).isEmpty();
            assertThat(closed.isFinal()).isTrue();
        }
    }

    @Test
    void aChangeTheTableRefusesIsAConflict() {
        assertThatThrownBy(() -> PARTIALLY_COMPLETED.requireMoveTo(PROCESSING))
                .isInstanceOf(IllegalTransitionException.class);
    }
}
