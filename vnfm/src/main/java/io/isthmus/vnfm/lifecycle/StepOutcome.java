package io.isthmus.vnfm.lifecycle;

import java.time.Duration;

import io.isthmus.sol.problem.ProblemDetails;
import io.isthmus.vnfm.persistence.OperationWork;

/** How a step ended: done (with what it found), not yet (wait), failed for now (try again), or failed for good. */
public sealed interface StepOutcome {

    /** The step did its work; {@code grantId} is set by the grant step. */
    record Done(OperationWork work, String grantId, String reason) implements StepOutcome {
    }

    /**
     * The step did part of its work (one stage of one replica of a rolling replacement): journal it, show it on the
     * instance, and run the same step again at once.
     */
    record Again(OperationWork work, String reason) implements StepOutcome {
    }

    /** The step waits for something outside (a fastpath to drain): run it again after {@code pause}, no attempt lost. */
    record Wait(OperationWork work, Duration pause, String reason) implements StepOutcome {
    }

    /** A peer was unreachable or failed on its side: worth another attempt. */
    record Transient(ProblemDetails problem) implements StepOutcome {
    }

    /** Another attempt would fail the same way (refused grant, refused allocation, bad package or config). */
    record Failed(ProblemDetails problem) implements StepOutcome {
    }
}
