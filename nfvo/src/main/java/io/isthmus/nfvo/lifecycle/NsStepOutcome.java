package io.isthmus.nfvo.lifecycle;

import java.util.List;

import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.problem.ProblemDetails;

/**
 * How one run of a step ended. A run makes at most one call that changes something on the VNFM per VNF (the calls of
 * its VNFs go out side by side), and their results are journaled together before the next run, so a VNF instance
 * created or an operation started is never forgotten: a run repeated after a crash between the calls and the journal
 * sends the same idempotency keys and gets the same instances and operations back.
 */
public sealed interface NsStepOutcome {

    /** Some VNFs changed on the VNFM; the step may have more to do. */
    record Progress(List<VnfChange> changes, String reason) implements NsStepOutcome {

        /** One VNF changed. */
        Progress(VnfChange change, String reason) {
            this(List.of(change), reason);
        }
    }

    /** The step has nothing left to do; {@code changes} are what its last run found. */
    record Done(List<VnfChange> changes, String reason) implements NsStepOutcome {
    }

    /** The VNFs' operations are still running; {@code polled} when the VNFM was asked this time. */
    record Waiting(List<VnfChange> changes, boolean polled) implements NsStepOutcome {
    }

    /** The VNFM was unreachable or failed on its side: worth another attempt. */
    record Transient(ProblemDetails problem) implements NsStepOutcome {
    }

    /** Another attempt would fail the same way: the operation stops in FAILED_TEMP. */
    record Failed(List<VnfChange> changes, ProblemDetails problem) implements NsStepOutcome {
    }

    /** What the VNFM did to one constituent VNF ({@code nsVnfId}). */
    sealed interface VnfChange {
        String nsVnfId();

        record Created(String nsVnfId, String vnfInstanceId, String snapshot) implements VnfChange {
        }

        record OperationStarted(String nsVnfId, String vnfOpId) implements VnfChange {
        }

        record OperationIs(String nsVnfId, LcmOperationState state, String snapshot) implements VnfChange {
        }

        record Deleted(String nsVnfId) implements VnfChange {
        }

        /** The VNF left the NS (deleted on the VNFM, or gone): its row goes. */
        record Dropped(String nsVnfId) implements VnfChange {
        }

        /** The VNF is already as the step would make it (a terminate of a VNF not instantiated any more). */
        record NothingToDo(String nsVnfId, String snapshot) implements VnfChange {
        }
    }
}
