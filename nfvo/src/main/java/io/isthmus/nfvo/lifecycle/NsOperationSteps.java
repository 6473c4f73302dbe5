package io.isthmus.nfvo.lifecycle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.isthmus.nfvo.config.NfvoConfig;
import io.isthmus.nfvo.integration.VnfmClient;
import io.isthmus.nfvo.lifecycle.NsOperationContext.Member;
import io.isthmus.nfvo.lifecycle.NsStepOutcome.VnfChange;
import io.isthmus.nfvo.service.Json;
import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.nfvo.integration.VnfTask;
import io.isthmus.nfvo.persistence.VnfTaskKind;
import io.isthmus.sol.model.ChangeExtVnfConnectivityRequest;
import io.isthmus.sol.model.ChangeVnfFlavourRequest;
import io.isthmus.sol.model.HealVnfRequest;
import io.isthmus.sol.model.OperateVnfRequest;
import io.isthmus.sol.model.ScaleVnfRequest;
import io.isthmus.sol.model.ScaleVnfToLevelRequest;
import io.isthmus.sol.model.VnfInfoModificationRequest;
import io.isthmus.sol.model.VnfInstance;
import io.isthmus.sol.problem.ProblemDetails;
import io.isthmus.sol.secret.ConfigSecrets;

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
    private final ConfigSecrets secrets;

    public NsOperationSteps(VnfmClient vnfm, Json json, NfvoConfig config, ConfigSecrets secrets) {
        this.secrets = secrets;
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
                case AWAIT_VNFS, AWAIT_WIRING -> await(ctx);
                case WIRE_VNFS -> wireNext(ctx);
                case DELETE_VNFS -> deleteNext(ctx);
                case VNF_TASKS -> taskNext(ctx);
                case FINISH_TASKS -> finishNext(ctx);
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
        List<Member> next = ctx.members().stream().filter(m -> m.vnfInstanceId() == null).toList();
        if (next.isEmpty()) {
            return new NsStepOutcome.Done(List.of(), ctx.members().size() + " VNF instances created");
        }
        return sideBySide(ctx, next, m -> {
            // the key is the journaled member: a create run again after its answer was lost gets the same instance
            VnfInstance created = vnfm.create(m.vnfdId(), ctx.nsName() + "-" + m.vnfProfileId(), ctx.tenant(),
                    ctx.nsInstanceId(), idempotencyKey(ctx, m));
            return new NsStepOutcome.Progress(new VnfChange.Created(m.id(), created.id(), json.write(created)),
                    "VNF " + m.vnfProfileId() + " created: " + created.id());
        });
    }

    private NsStepOutcome instantiateNext(NsOperationContext ctx) {
        List<Member> next = ctx.members().stream().filter(m -> m.vnfOpId() == null).toList();
        if (next.isEmpty()) {
            return new NsStepOutcome.Done(List.of(), "instantiation of " + ctx.members().size() + " VNFs started");
        }
        return sideBySide(ctx, next, m -> {
            String opId = startOrAdopt(m, "INSTANTIATE",
                    () -> vnfm.instantiate(m.vnfInstanceId(), secrets.open(json.readMap(m.additionalParams())),
                            taskKey(ctx, m, "INSTANTIATE")));
            return new NsStepOutcome.Progress(new VnfChange.OperationStarted(m.id(), opId),
                    "VNF " + m.vnfProfileId() + " instantiating: " + opId);
        });
    }

    private NsStepOutcome terminateNext(NsOperationContext ctx) {
        List<Member> next = ctx.members().stream().filter(m -> m.vnfInstanceId() != null && m.vnfOpId() == null)
                .toList();
        if (next.isEmpty()) {
            return new NsStepOutcome.Done(List.of(), "termination of the VNFs started");
        }
        return sideBySide(ctx, next, m -> terminate(ctx, m));
    }

    /**
     * Makes {@code call} for each of {@code members} side by side, one call per VNF, so that the VNFs of an NS start,
     * change and stop together rather than one after another. The changes of the calls that succeeded are the outcome
     * and are journaled even when another call failed (its VNF is tried again at the next run); when none succeeded,
     * the first failure is thrown, for {@link #run} to make it a transient or a final failure.
     */
    private NsStepOutcome sideBySide(NsOperationContext ctx, List<Member> members,
            Function<Member, NsStepOutcome.Progress> call) {
        if (members.size() == 1) {
            return call.apply(members.getFirst());
        }
        List<Future<NsStepOutcome.Progress>> calls;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            calls = members.stream().map(m -> executor.submit(() -> call.apply(m))).toList();
        }
        List<VnfChange> changes = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<NsStepOutcome.Progress> done : calls) {
            if (done.state() == Future.State.SUCCESS) {
                changes.addAll(done.resultNow().changes());
                reasons.add(done.resultNow().reason());
            } else if (failure == null) {
                failure = done.exceptionNow() instanceof RuntimeException e
                        ? e
                        : new IllegalStateException(done.exceptionNow());
            }
        }
        if (changes.isEmpty()) {
            throw failure;
        }
        if (failure != null) {
            LOG.infof("NS operation %s step %s: %s; the VNFs whose call failed (%s) are tried again", ctx.opId(),
                    ctx.step(), String.join("; ", reasons), failure.getMessage());
        }
        return new NsStepOutcome.Progress(changes, String.join("; ", reasons));
    }

    /** The {@code Idempotency-Key} of the create of member {@code m}'s VNF instance. */
    static String idempotencyKey(NsOperationContext ctx, Member m) {
        return "ns-" + ctx.nsInstanceId() + "-" + m.id();
    }

    /**
     * The {@code Idempotency-Key} of the VNF operation this NS operation starts on member {@code m}: a step re-run after
     * a crash sends the same key, and the VNFM answers the operation the first request opened.
     */
    static String taskKey(NsOperationContext ctx, Member m, String operation) {
        return "ns-op-" + ctx.opId() + "-" + m.id() + "-" + operation;
    }

    private NsStepOutcome.Progress terminate(NsOperationContext ctx, Member m) {
        String opId;
        try {
            opId = startOrAdopt(m, "TERMINATE", () -> vnfm.terminate(m.vnfInstanceId(), taskKey(ctx, m, "TERMINATE")));
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

    /** Sends the next VNF its task (scale, heal, operate, PATCH, or the terminate of a VNF leaving the NS). */
    private NsStepOutcome taskNext(NsOperationContext ctx) {
        Optional<Member> next = ctx.members().stream().filter(m -> m.taskKind() != null && m.vnfOpId() == null)
                .findFirst();
        if (next.isEmpty()) {
            return new NsStepOutcome.Done(List.of(), "the VNFs' operations started");
        }
        Member m = next.get();
        if (m.vnfInstanceId() == null) {
            return new NsStepOutcome.Progress(new VnfChange.NothingToDo(m.id(), null),
                    "VNF " + m.vnfProfileId() + " has no VNF instance");
        }
        if (m.taskKind() == VnfTaskKind.REMOVE) {
            return terminate(ctx, m);
        }
        VnfTask task = task(ctx, m);
        String opId = startOrAdopt(m, operation(m.taskKind()),
                () -> vnfm.send(m.vnfInstanceId(), task, taskKey(ctx, m, operation(m.taskKind()))));
        return new NsStepOutcome.Progress(new VnfChange.OperationStarted(m.id(), opId),
                "VNF " + m.vnfProfileId() + " " + m.taskKind() + ": " + opId);
    }

    /**
     * Starts a VNF operation. A VNFM that refuses it (409) while an operation of the same type is open on the VNF has
     * seen this request before — its answer was lost, or not journaled before a crash — and that operation is awaited.
     */
    private String startOrAdopt(Member m, String operation, Supplier<String> start) {
        try {
            return start.get();
        } catch (RemoteCallException e) {
            if (e.status() == 409) {
                Optional<String> open;
                try {
                    open = vnfm.openOpOf(m.vnfInstanceId(), operation);
                } catch (RemoteCallException lookup) {
                    if (lookup.transientFailure()) {
                        throw lookup;
                    }
                    throw e; // the VNFM would not list its operations: the refusal stands
                }
                if (open.isPresent()) {
                    LOG.infof("VNF %s: the %s sent before is running already as %s; awaiting it", m.vnfInstanceId(),
                            operation, open.get());
                    return open.get();
                }
            }
            throw e;
        }
    }

    /** The SOL003 LcmOperationType of the VNF operation a task starts. */
    private static String operation(VnfTaskKind kind) {
        return switch (kind) {
            case SCALE -> "SCALE";
            case SCALE_TO_LEVEL -> "SCALE_TO_LEVEL";
            case HEAL -> "HEAL";
            case OPERATE -> "OPERATE";
            case CHANGE_FLAVOUR -> "CHANGE_FLAVOUR";
            case MODIFY, ADD -> "MODIFY_INFO";
            case REMOVE -> "TERMINATE";
        };
    }

    private VnfTask task(NsOperationContext ctx, Member m) {
        return switch (m.taskKind()) {
            case SCALE -> new VnfTask.Scale(json.read(m.taskBody(), ScaleVnfRequest.class));
            case SCALE_TO_LEVEL -> new VnfTask.ScaleToLevel(json.read(m.taskBody(), ScaleVnfToLevelRequest.class));
            case HEAL -> new VnfTask.Heal(json.read(m.taskBody(), HealVnfRequest.class));
            case OPERATE -> new VnfTask.Operate(json.read(m.taskBody(), OperateVnfRequest.class));
            // a configuration they carry is kept sealed: opened for the VNFM
            case CHANGE_FLAVOUR -> new VnfTask.ChangeFlavour(json.read(opened(m.taskBody()),
                    ChangeVnfFlavourRequest.class));
            case MODIFY -> new VnfTask.Modify(json.read(opened(m.taskBody()), VnfInfoModificationRequest.class));
            // the VNF joins the NS: from now on it is changed through the NS only
            case ADD -> new VnfTask.Modify(new VnfInfoModificationRequest(null, null, null, null,
                    Map.of("nsInstanceId", ctx.nsInstanceId()), null));
            case REMOVE -> throw new IllegalStateException("a VNF leaving the NS is terminated");
        };
    }

    private String opened(String taskBody) {
        return taskBody == null ? null : json.write(secrets.open(json.readMap(taskBody)));
    }

    /**
     * Sends each VNF of a chain whose linked connection points' next hops are not (or no longer) its peers' published
     * ingress a change_ext_conn with them, side by side ({@link ChainWiring#changeOf}). A VNF whose next hops are its
     * peers' ingress already is left alone, so a step run again sends nothing twice, and an operation that changed no
     * ingress (a modification, a scale of a VNF outside any chain) rewires nothing.
     */
    private NsStepOutcome wireNext(NsOperationContext ctx) {
        return rewire(ctx, views(ctx, false)).orElseGet(() -> new NsStepOutcome.Done(List.of(),
                ctx.wires().isEmpty() ? "no chain to wire" : "every link of the chains carries its peers' ingress"));
    }

    /**
     * Each member's VNF by VNF profile, as last read, or, with {@code live}, read from the VNFM now for those whose
     * operation runs (a scale in takes fastpaths out of the ingress before it drains them); members leaving the NS are
     * left out.
     */
    private Map<String, VnfInstance> views(NsOperationContext ctx, boolean live) {
        Map<String, VnfInstance> views = new HashMap<>();
        for (Member m : ctx.members()) {
            if (m.vnfInstanceId() == null || m.taskKind() == VnfTaskKind.REMOVE) {
                continue;
            }
            VnfInstance vnf = live && m.awaited()
                    ? vnfm.get(m.vnfInstanceId())
                    : json.read(m.vnfInstance(), VnfInstance.class);
            if (vnf != null) {
                views.put(m.vnfProfileId(), vnf);
            }
        }
        return views;
    }

    /**
     * Starts the change_ext_conn of every VNF, instantiated and in no operation, whose linked next hops are not the
     * ingress its peers publish in {@code views}, side by side; empty if every link is wired so.
     */
    private Optional<NsStepOutcome> rewire(NsOperationContext ctx, Map<String, VnfInstance> views) {
        Map<Member, Map<String, Object>> changes = new LinkedHashMap<>();
        Map<Member, List<String>> wired = new HashMap<>();
        for (Member m : ctx.members()) {
            if (m.awaited()) {
                continue;
            }
            List<String> links = new ArrayList<>();
            Map<String, Object> change = ChainWiring.changeOf(ctx.wires(), views, m.vnfProfileId(), json, links);
            if (!change.isEmpty()) {
                changes.put(m, change);
                wired.put(m, links);
            }
        }
        if (changes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(sideBySide(ctx, List.copyOf(changes.keySet()), m -> {
            Map<String, Object> change = changes.get(m);
            // one key per change: a step run again after a crash sends the same one, a later change its own
            String key = taskKey(ctx, m, "CHANGE_EXT_CONN-" + digest(json.write(change)));
            String opId = startOrAdopt(m, "CHANGE_EXT_CONN", () -> vnfm.send(m.vnfInstanceId(),
                    new VnfTask.ChangeExtConn(new ChangeExtVnfConnectivityRequest(null, change)), key));
            return new NsStepOutcome.Progress(new VnfChange.OperationStarted(m.id(), opId),
                    "VNF " + m.vnfProfileId() + " wired: " + String.join(", ", wired.get(m)) + ": " + opId);
        }));
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes each VNF that left the NS, once terminated, and drops it from the NS. */
    private NsStepOutcome finishNext(NsOperationContext ctx) {
        Optional<Member> next = ctx.members().stream().filter(m -> m.taskKind() == VnfTaskKind.REMOVE
                && (m.vnfInstanceId() == null || m.vnfOpState() == LcmOperationState.COMPLETED)).findFirst();
        if (next.isEmpty()) {
            return new NsStepOutcome.Done(List.of(), "the VNFs' operations finished");
        }
        Member m = next.get();
        if (m.vnfInstanceId() != null) {
            vnfm.delete(m.vnfInstanceId());
        }
        return new NsStepOutcome.Progress(new VnfChange.Dropped(m.id()),
                "VNF " + m.vnfProfileId() + " removed from the NS: " + m.vnfInstanceId());
    }

    private NsStepOutcome deleteNext(NsOperationContext ctx) {
        List<Member> next = ctx.members().stream().filter(m -> m.vnfInstanceId() != null).toList();
        if (next.isEmpty()) {
            return new NsStepOutcome.Done(List.of(), "VNF instances deleted");
        }
        return sideBySide(ctx, next, m -> {
            vnfm.delete(m.vnfInstanceId());
            return new NsStepOutcome.Progress(new VnfChange.Deleted(m.id()),
                    "VNF " + m.vnfProfileId() + " deleted: " + m.vnfInstanceId());
        });
    }

    /**
     * Asks the VNFM about each VNF operation still running, when the poll interval has passed or the VNFM notified a
     * change since the last poll. A completed VNF operation brings the VnfInstance along, for the NS view.
     */
    private NsStepOutcome await(NsOperationContext ctx) {
        if (!pollDue(ctx)) {
            return new NsStepOutcome.Waiting(List.of(), false);
        }
        // a chain's VNFs follow a neighbour's ingress while its operation runs: a scale in takes fastpaths out of it,
        // then drains them, which only ends once nothing is sent to them any more
        if (!ctx.wires().isEmpty() && ctx.members().stream().anyMatch(Member::awaited)) {
            Optional<NsStepOutcome> rewired = rewire(ctx, views(ctx, true));
            if (rewired.isPresent()) {
                return rewired.get();
            }
        }
        List<VnfChange> changes = new ArrayList<>();
        Map<String, LcmOperationState> states = new HashMap<>();
        List<String> failures = new ArrayList<>();
        for (Member m : ctx.members()) {
            states.put(m.id(), m.vnfOpState());
            if (m.awaited()) {
                LcmOperationState state = LcmOperationState.valueOf(vnfm.op(m.vnfOpId()).operationState());
                // the VNF as it is now, for the NS view: after a scale, heal or change it is not as it was
                String snapshot = state.isFinal() || state == LcmOperationState.FAILED_TEMP
                        ? json.write(vnfm.get(m.vnfInstanceId()))
                        : null;
                changes.add(new VnfChange.OperationIs(m.id(), state, snapshot));
                states.put(m.id(), state);
                if (state != LcmOperationState.COMPLETED
                        && (state.isFinal() || state == LcmOperationState.FAILED_TEMP)) {
                    failures.add("VNF " + m.vnfProfileId() + " (" + m.vnfInstanceId() + "): operation " + m.vnfOpId()
                            + " is " + state);
                }
            }
        }
        // a VNF operation the NS operation was continued past (FAILED, skipped) fails it no more
        if (!failures.isEmpty()) {
            return new NsStepOutcome.Failed(changes,
                    ProblemDetails.of(500, "VNF operation failed", String.join("; ", failures)));
        }
        boolean allDone = ctx.members().stream()
                .allMatch(m -> m.vnfOpId() == null || (states.get(m.id()) != null && states.get(m.id()).isFinal()));
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
