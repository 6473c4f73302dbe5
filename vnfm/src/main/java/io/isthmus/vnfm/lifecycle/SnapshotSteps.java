package io.isthmus.vnfm.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.sol.problem.ProblemDetails;
import io.isthmus.vnfm.integration.SecretPaths;
import io.isthmus.vnfm.integration.SlowpathConfigClient;
import io.isthmus.vnfm.persistence.VnfSnapshotEntity;
import io.isthmus.vnfm.persistence.VnfSnapshotRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The calls of CREATE_SNAPSHOT and REVERT_TO_SNAPSHOT: the slowpath's {@code GET /snapshot} and {@code PUT /snapshot}.
 * What is read goes back in the outcome; {@link SnapshotRecords} stores it when the journal takes the step's outcome.
 * The snapshot bodies may hold a VNF's flow bindings and keys: they are sealed as soon as they are read
 * ({@link SlowpathConfigClient#snapshot}), and nothing here logs them.
 */
@ApplicationScoped
public class SnapshotSteps {

    /** The operation parameter naming the VNF snapshot resource (CreateVnfSnapshotRequest, RevertToVnfSnapshotRequest). */
    static final String SNAPSHOT_ID = "vnfSnapshotInfoId";

    private final SlowpathConfigClient slowpath;
    private final VnfSnapshotRepository snapshots;
    private final SecretPaths secretPaths;

    public SnapshotSteps(SlowpathConfigClient slowpath, VnfSnapshotRepository snapshots, SecretPaths secretPaths) {
        this.secretPaths = secretPaths;
        this.slowpath = slowpath;
        this.snapshots = snapshots;
    }

    StepOutcome take(OperationContext ctx) {
        SlowpathEndpoint endpoint = SlowpathEndpoint.of(ctx.work().vnfcs()).orElse(null);
        if (endpoint == null) {
            return new StepOutcome.Failed(ProblemDetails.of(500, "Internal Server Error",
                    "TAKE_SNAPSHOT: the allocation has no slowpath with a config port"));
        }
        String body = slowpath.snapshot(endpoint.host(), endpoint.configPort(), ctx.work().configSecret(),
                secretPaths.of(ctx.instance().vnfPkgId()));
        return new StepOutcome.Done(ctx.work().withSlowpathSnapshot(body), null,
                "snapshot of the slowpath at " + endpoint + " read");
    }

    StepOutcome revert(OperationContext ctx) {
        String id = ctx.param(SNAPSHOT_ID);
        String body = QuarkusTransaction.requiringNew()
                .call(() -> snapshots.findByIdOptional(id).map(VnfSnapshotEntity::state).orElse(null));
        if (body == null) {
            return new StepOutcome.Failed(ProblemDetails.of(409, "Conflict",
                    "REVERT_SNAPSHOT: the VNF snapshot " + id + " is gone or holds no snapshot"));
        }
        SlowpathEndpoint endpoint = SlowpathEndpoint.of(ctx.work().vnfcs()).orElse(null);
        if (endpoint == null) {
            return new StepOutcome.Failed(ProblemDetails.of(500, "Internal Server Error",
                    "REVERT_SNAPSHOT: the allocation has no slowpath with a config port"));
        }
        slowpath.putSnapshot(endpoint.host(), endpoint.configPort(), ctx.work().configSecret(), body);
        return new StepOutcome.Done(ctx.work(), null, "snapshot " + id + " given back to the slowpath at " + endpoint);
    }
}
