package io.isthmus.nfvo.lifecycle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.isthmus.nfvo.config.NfvoConfig;
import io.isthmus.nfvo.integration.VnfmClient;
import io.isthmus.nfvo.lifecycle.NsOperationContext.Member;
import io.isthmus.nfvo.lifecycle.NsStepOutcome.VnfChange;
import io.isthmus.nfvo.service.Json;
import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.model.VnfInstance;
import io.isthmus.sol.problem.ProblemDetails;

/**
 * The work of each step: calls to the VNFM. Runs outside any transaction and changes nothing in the database; what it
 * did goes back in the {@link NsStepOutcome}. A step may run twice (a restart between the call and the journal entry),
 * so each call either is harmless to repeat or is refused by the VNFM the second time.
 */
@ApplicationScoped
public class NsOperationSteps {

    private static final Logger LOG = Logger.getLogger(NsOperationSteps.class);

    private final VnfmClient vnfm;
    private final Json json;
    private final NfvoConfig config;

    public NsOperationSteps(VnfmClient vnfm, Json json, NfvoConfig config) {
        this.vnfm = vnfm;
        this.json = json;
        this.config = config;
    }

    public NsStepOutcome run(NsOperationContext ctx) {
        try {
            return switch (ctx.step()) {
                case CREATE_VNFS -> createNext(ctx);
                case INSTANTIATE_VNFS -> instantiateNext(ctx);
                case TERMINATE_VNFS -> terminateNext(ctx);
                case AWAIT_VNFS -> await(ctx);
                case DELETE_VNFS -> deleteNext(ctx);
                case DONE -> throw new IllegalStateException("nothing to run after DONE");
            };
        } catch (RemoteCallException e) {
            ProblemDetails problem = ProblemDetails.of(e.status() == 0 ? 503 : e.status(), "VNFM call failed",
                    ctx.step() + ": " + e.getMessage());
            return e.transientFailure()
                    ? new NsStepOutcome.Transient(problem)
                    : new NsStepOutcome.Failed(List.of(), problem);
        } catch (RuntimeException e) {
            LOG.errorf(e, "NS operation %s step %s failed unexpectedly", ctx.opId(), ctx.step());
            return new NsStepOutcome.Failed(List.of(), ProblemDetails.of(500, "Internal Server Error",
                    ctx.step() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private NsStepOutcome createNext(NsOperationContext ctx) {
        Optional<Member> next = ctx.members().stream().filter(m -> m.vnfInstanceId() == null).findFirst();
        if (next.isEmpty()) {
            return new NsStepOutcome.Done(List.of(), ctx.members().size() + " VNF instances created");
        }
        Member m = next.get();
        VnfInstance created = vnfm.create(m.vnfdId(), ctx.nsName() + "-" + m.vnfProfileId(), ctx.tenant(),
                ctx.nsInstanceId());
        return new NsStepOutcome.Progress(new VnfChange.Created(m.id(), created.id(), json.write(created)),
                "VNF " + m.vnfProfileId() + " created: " + created.id());
    }

    private NsStepOutcome instantiateNext(NsOperationContext ctx) {
        Optional<Member> next = ctx.members().stream().filter(m -> m.vnfOpId() == null).findFirst();
        if (next.isEmpty()) {
            return new NsStepOutcome.Done(List.of(), "instantiation of " + ctx.members().size() + " VNFs started");
        }
        Member m = next.get();
        String opId = vnfm.instantiate(m.vnfInstanceId(), json.readMap(m.additionalParams()));
        return new NsStepOutcome.Progress(new VnfChange.OperationStarted(m.id(), opId),
                "VNF " + m.vnfProfileId() + " instantiating: " + opId);
    }

    private NsStepOutcome terminateNext(NsOperationContext ctx) {
        Optional<Member> next = ctx.members().stream()
                .filter(m -> m.vnfInstanceId() != null && m.vnfOpId() == null).findFirst();
        if (next.isEmpty()) {
            return new NsStepOutcome.Done(List.of(), "termination of the VNFs started");
        }
        Member m = next.get();
        String opId;
        try {
            opId = vnfm.terminate(m.vnfInstanceId());
        } catch (RemoteCallException e) {
            if (e.status() == 404) {
                return new NsStepOutcome.Progress(new VnfChange.Deleted(m.id()),
                        "VNF " + m.vnfProfileId() + " is gone already: " + m.vnfInstanceId());
            }
            if (e.status() == 409) {
                VnfInstance vnf = vnfm.get(m.vnfInstanceId());
                if (!"INSTANTIATED".equals(vnf.instantiationState())) {
                    return new NsStepOutcome.Progress(new VnfChange.NothingToDo(m.id(), json.write(vnf)),
                            "VNF " + m.vnfProfileId() + " is not instantiated any more: " + m.vnfInstanceId());
                }
            }
            throw e;
        }
        return new NsStepOutcome.Progress(new VnfChange.OperationStarted(m.id(), opId),
                "VNF " + m.vnfProfileId() + " terminating: " + opId);
    }

    private NsStepOutcome deleteNext(NsOperationContext ctx) {
        Optional<Member> next = ctx.members().stream().filter(m -> m.vnfInstanceId() != null).findFirst();
        if (next.isEmpty()) {
            return new NsStepOutcome.Done(List.of(), "VNF instances deleted");
        }
        Member m = next.get();
        vnfm.delete(m.vnfInstanceId());
        return new NsStepOutcome.Progress(new VnfChange.Deleted(m.id()),
                "VNF " + m.vnfProfileId() + " deleted: " + m.vnfInstanceId());
    }

    /**
     * Asks the VNFM about each VNF operation still running, when the poll interval has passed or the VNFM notified a
     * change since the last poll. A completed VNF operation brings the VnfInstance along, for the NS view.
     */
    private NsStepOutcome await(NsOperationContext ctx) {
        if (!pollDue(ctx)) {
            return new NsStepOutcome.Waiting(List.of(), false);
        }
        List<VnfChange> changes = new ArrayList<>();
        Map<String, LcmOperationState> states = new HashMap<>();
        for (Member m : ctx.members()) {
            states.put(m.id(), m.vnfOpState());
            if (m.awaited()) {
                LcmOperationState state = LcmOperationState.valueOf(vnfm.op(m.vnfOpId()).operationState());
                String snapshot = state == LcmOperationState.COMPLETED
                        ? json.write(vnfm.get(m.vnfInstanceId()))
                        : null;
                changes.add(new VnfChange.OperationIs(m.id(), state, snapshot));
                states.put(m.id(), state);
            }
        }
        for (Member m : ctx.members()) {
            LcmOperationState state = states.get(m.id());
            if (state == LcmOperationState.FAILED_TEMP || state == LcmOperationState.FAILED
                    || state == LcmOperationState.ROLLED_BACK) {
                return new NsStepOutcome.Failed(changes, ProblemDetails.of(500, "VNF operation failed", "VNF "
                        + m.vnfProfileId() + " (" + m.vnfInstanceId() + "): operation " + m.vnfOpId() + " is "
                        + state));
            }
        }
        boolean allDone = ctx.members().stream()
                .allMatch(m -> m.vnfOpId() == null || states.get(m.id()) == LcmOperationState.COMPLETED);
        return allDone
                ? new NsStepOutcome.Done(changes, "the VNFs' operations completed")
                : new NsStepOutcome.Waiting(changes, true);
    }

    private boolean pollDue(NsOperationContext ctx) {
        if (ctx.lastPoll() == null || !ctx.lastPoll().plus(config.vnfPollInterval()).isAfter(ctx.readAt())) {
            return true;
        }
        return ctx.members().stream().anyMatch(m -> m.notifiedAt() != null && !m.notifiedAt().isBefore(ctx.lastPoll()));
    }
}
