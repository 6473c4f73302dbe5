package io.isthmus.vnfm.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.sol.problem.ProblemDetails;
import io.isthmus.vimapi.model.AllocationView;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.integration.SecretPaths;
import io.isthmus.vnfm.integration.SlowpathConfigClient;
import io.isthmus.vnfm.integration.VimClient;
import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.persistence.OperationPhase;
import io.isthmus.vnfm.persistence.OperationWork;
import io.isthmus.vnfm.persistence.OperationWork.Rollout;
import io.isthmus.vnfm.persistence.OperationWork.Stage;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;
import io.isthmus.vnfm.persistence.VnfcResource;

/**
 * change_vnfpkg's rolling replacement (ROLL_VNFCS): one replica at a time, the slowpath first, replaced and given the
 * old one's state ({@code GET/PUT /snapshot}, so every flow keeps its translation) and configured (it also learns the
 * fastpaths' flows from them itself), then each fastpath taken out of the ingress, drained, replaced through the vim
 * (REPLACE) and put back. The slowpath goes first because the fastpaths' replacements move flows: a moved flow's
 * first packet misses on the fastpath it moved to and needs a slowpath to install it again, and the vSwitch follows
 * the ingress only as often as it reads it, so the last fastpath's moved flows would otherwise meet the slowpath's
 * replacement (every packet of theirs lost until the new slowpath is configured); while the slowpath alone is replaced
 * the ingress is unchanged, so established flows keep their rules and only new flows wait. Each stage of each replica is journaled ({@link StepOutcome.Again}), so a vnfm
 * that dies mid-way resumes at the replica and stage it was at. The ingress is never emptied: the one fastpath left
 * in it is replaced in service. A rollback replaces the replicas the forward pass touched again, the same way, and
 * configures the slowpath with the configuration the instance had.
 */
@ApplicationScoped
public class PackageChange {

    private final VimClient vim;
    private final SlowpathConfigClient slowpath;
    private final VnfmConfig config;
    private final Clock clock;
    private final SecretPaths secretPaths;

    public PackageChange(VimClient vim, SlowpathConfigClient slowpath, VnfmConfig config, Clock clock,
            SecretPaths secretPaths) {
        this.secretPaths = secretPaths;
        this.vim = vim;
        this.slowpath = slowpath;
        this.config = config;
        this.clock = clock;
    }

    /** The order of a rolling replacement: the slowpath, then the fastpaths by index. */
    static List<String> order(List<VnfcResource> vnfcs) {
        List<VnfcResource> sorted = new ArrayList<>(vnfcs);
        sorted.sort(Comparator.comparing(Ingress::isFastpath)
                .thenComparing(VnfcResource::vduId).thenComparingInt(v -> Ingress.indexOf(v.id())));
        return sorted.stream().map(VnfcResource::id).toList();
    }

    StepOutcome roll(OperationContext ctx) {
        OperationWork work = ctx.work();
        Rollout rollout = work.rollout();
        String phase = ctx.phase().name();
        if (rollout == null || !phase.equals(rollout.phase())) {
            Rollout fresh = ctx.phase() == OperationPhase.ROLLBACK
                    ? new Rollout(phase, touched(rollout), 0, Stage.UNPUBLISH, null, null)
                    : new Rollout(phase, order(work.vnfcs()), 0, Stage.UNPUBLISH, null, null);
            return new StepOutcome.Again(work.withRollout(fresh), "replacing " + fresh.replicas() + " one at a time");
        }
        if (rollout.finished()) {
            return new StepOutcome.Done(work, null, "replaced " + rollout.replicas());
        }
        String id = rollout.current();
        VnfcResource vnfc = work.vnfcs().stream().filter(v -> v.id().equals(id)).findFirst().orElse(null);
        if (vnfc == null) {
            return next(work, rollout, id + " is gone; nothing to replace");
        }
        boolean fastpath = Ingress.isFastpath(vnfc);
        Instant now = clock.instant();
        return switch (rollout.stage()) {
            case UNPUBLISH -> {
                if (!fastpath) {
                    // its state (a VNF's flow bindings) is read before it is replaced and given to the new one, so
                    // every established flow keeps its translation; journaled before the replacement acts
                    SlowpathEndpoint at = SlowpathEndpoint.of(work.vnfcs()).orElse(null);
                    String state = at == null ? null : stateOf(at, work, ctx.instance().vnfPkgId());
                    yield new StepOutcome.Again(work.withSlowpathSnapshot(state)
                            .withRollout(rollout.at(rollout.next(), Stage.REPLACE, null)),
                            id + " takes no traffic of its own; its state read");
                }
                List<String> ingress = new ArrayList<>(ingressOf(work));
                if (ingress.size() > 1 || !ingress.contains(id)) {
                    ingress.remove(id);
                }
                Instant deadline = now.plus(Ingress.drainTimeout(ctx.operation(), ctx.params(),
                        config.drain().timeout()));
                yield new StepOutcome.Again(work.withIngress(List.copyOf(ingress))
                        .withRollout(rollout.at(rollout.next(), Stage.DRAIN, deadline)), "ingress now " + ingress);
            }
            case DRAIN -> drain(work, rollout, id, now);
            case REPLACE -> {
                AllocationView view = vim.restart(work.allocationId(), vnfc.vduId(), Ingress.indexOf(id), "REPLACE");
                List<VnfcResource> vnfcs = OperationSteps.vnfcs(work.allocationId(), work.driver(), view);
                yield new StepOutcome.Again(work.withVnfcs(vnfcs).withRollout(rollout.at(rollout.next(),
                        fastpath ? Stage.PUBLISH : Stage.CONFIGURE, null)), "replaced " + id);
            }
            case PUBLISH -> {
                List<String> before = ingressOf(work);
                List<String> ingress = Ingress.fastpaths(work.vnfcs()).stream()
                        .filter(f -> f.equals(id) || before.contains(f)).toList();
                yield next(work.withIngress(ingress), rollout, "ingress now " + ingress);
            }
            case CONFIGURE -> configure(ctx, work, rollout);
        };
    }

    /**
     * The slowpath's snapshot, sealed (it is journaled until the new slowpath has it); none when it holds no config or
     * does not answer (it relearns from the fastpaths). Its config's secrets are where the package it runs says.
     */
    private String stateOf(SlowpathEndpoint at, OperationWork work, String vnfPkgId) {
        try {
            return slowpath.snapshot(at.host(), at.configPort(), work.configSecret(), secretPaths.of(vnfPkgId));
        } catch (io.isthmus.sol.client.RemoteCallException e) {
            if (e.status() == 404 || e.transientFailure()) {
                return null;
            }
            throw e;
        }
    }

    private StepOutcome drain(OperationWork work, Rollout rollout, String id, Instant now) {
        Rollout replace = rollout.at(rollout.next(), Stage.REPLACE, null);
        if (ingressOf(work).contains(id)) {
            return new StepOutcome.Again(work.withRollout(replace), id + " is the last in the ingress: replaced in "
                    + "service");
        }
        List<String> busy = SlowpathEndpoint.stillReceiving(slowpath, List.of(id), work.vnfcs(),
                config.drain().quiet());
        if (busy.isEmpty()) {
            return new StepOutcome.Again(work.withRollout(replace), "drained " + id);
        }
        if (rollout.drainDeadline() != null && now.isAfter(rollout.drainDeadline())) {
            return new StepOutcome.Again(work.withRollout(replace), "drain of " + id + " timed out");
        }
        return new StepOutcome.Wait(work, Duration.ofMillis(200), "draining " + id);
    }

    private StepOutcome configure(OperationContext ctx, OperationWork work, Rollout rollout) {
        Map<String, Object> desired = desiredAfter(ctx);
        if (desired == null || desired.isEmpty()) {
            return next(work, rollout, "no configuration to send");
        }
        SlowpathEndpoint endpoint = SlowpathEndpoint.of(work.vnfcs()).orElse(null);
        if (endpoint == null) {
            return new StepOutcome.Failed(ProblemDetails.of(500, "Internal Server Error",
                    "ROLL_VNFCS: the allocation has no slowpath with a config port"));
        }
        if (work.slowpathSnapshot() != null) {
            // the old slowpath's configuration and state first, then the configuration it is to have
            slowpath.putSnapshot(endpoint.host(), endpoint.configPort(), work.configSecret(), work.slowpathSnapshot());
        }
        slowpath.putConfig(endpoint.host(), endpoint.configPort(), work.configSecret(), desired);
        return next(work.withSlowpathSnapshot(null), rollout, "configuration" + (work.slowpathSnapshot() == null
                ? ""
                : " and the replaced slowpath's state") + " sent to " + endpoint);
    }

    /** Forward: the desired configuration with the request's vnfConfigurableProperties; rollback: as it was. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> desiredAfter(OperationContext ctx) {
        Map<String, Object> desired = ctx.instance().desired();
        if (ctx.phase() == OperationPhase.FORWARD
                && ctx.params().get("vnfConfigurableProperties") instanceof Map<?, ?> p) {
            return OperationStepper.MergePatch.apply(desired, (Map<String, Object>) p);
        }
        return desired;
    }

    private static StepOutcome next(OperationWork work, Rollout rollout, String reason) {
        return new StepOutcome.Again(work.withRollout(rollout.at(rollout.next() + 1, Stage.UNPUBLISH, null)),
                reason);
    }

    private static List<String> ingressOf(OperationWork work) {
        return work.ingress() == null ? Ingress.fastpaths(work.vnfcs()) : work.ingress();
    }

    /** The replicas a forward rollout replaced or began to. */
    private static List<String> touched(Rollout forward) {
        if (forward == null) {
            return List.of();
        }
        int count = forward.next() + (forward.stage() == Stage.UNPUBLISH ? 0 : 1);
        return List.copyOf(forward.replicas().subList(0, Math.min(count, forward.replicas().size())));
    }

    /** The journal's part when change_vnfpkg completes: the instance is of the new package. */
    @SuppressWarnings("unchecked")
    static void complete(LcmOpOccEntity op, VnfInstanceEntity instance, OperationWork work) {
        OperationWork.Target target = work.rollout().target();
        instance.packageChanged(target.vnfdId(), new VnfInstanceEntity.Descriptor(target.vnfPkgId(),
                target.provider(), target.productName(), target.softwareVersion(), target.vnfdVersion()),
                work.maxScaleLevels(), work.extCps());
        if (op.operationParams().get("vnfConfigurableProperties") instanceof Map<?, ?> p) {
            instance.desire(OperationStepper.MergePatch.apply(instance.vnfConfiguration(), (Map<String, Object>) p));
        }
    }
}
