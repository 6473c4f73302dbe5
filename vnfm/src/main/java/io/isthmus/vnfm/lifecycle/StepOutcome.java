package io.isthmus.vnfm.lifecycle;

import io.isthmus.sol.problem.ProblemDetails;
import io.isthmus.vnfm.persistence.OperationWork;

/** How a step ended: done (with what it found), failed for now (try again), or failed for good. */
public sealed interface StepOutcome {

    /** The step did its work; {@code grantId} is set by the grant step. */
    record Done(OperationWork work, String grantId, String reason) implements StepOutcome {
    }

    /** A peer was unreachable or failed on its side: worth another attempt. */
    record Transient(ProblemDetails problem) implements StepOutcome {
    }

    /** Another attempt would fail the same way (refused grant, refused allocation, bad package or config). */
    record Failed(ProblemDetails problem) implements StepOutcome {
    }
}
