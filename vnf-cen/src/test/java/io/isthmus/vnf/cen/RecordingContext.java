package io.isthmus.vnf.cen;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.isthmus.slowpath.policy.PolicyContext;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.VnfPolicy;

/** A {@link PolicyContext} that keeps what is submitted until the test runs it, as the policy thread would. */
final class RecordingContext implements PolicyContext {

    private final List<Function<VnfPolicy, Reconfiguration>> submitted = new ArrayList<>();
    final List<Reconfiguration> answers = new ArrayList<>();

    @Override
    public synchronized void submit(String reason, Function<VnfPolicy, Reconfiguration> change) {
        submitted.add(change);
    }

    /** Runs what was submitted so far, in order, and keeps the answers. */
    void runSubmitted(VnfPolicy policy) {
        List<Function<VnfPolicy, Reconfiguration>> now;
        synchronized (this) {
            now = List.copyOf(submitted);
            submitted.clear();
        }
        now.forEach(change -> answers.add(change.apply(policy)));
    }

    @Override
    public long liveRouteVersion() {
        return 0;
    }

    @Override
    public long routeVersion() {
        return 0;
    }
}
