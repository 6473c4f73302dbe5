package io.isthmus.vnfm.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.model.Grant;
import io.isthmus.sol.model.GrantRequest;
import io.isthmus.sol.model.Link;
import io.isthmus.sol.problem.ProblemDetails;
import io.isthmus.vimapi.model.AllocationRequest;
import io.isthmus.vimapi.model.AllocationView;
import io.isthmus.vnf.catalog.InvalidPackageException;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.integration.NfvoClient;
import io.isthmus.vnfm.integration.SlowpathConfigClient;
import io.isthmus.vnfm.integration.VimClient;
import io.isthmus.vnfm.integration.VnfDescriptor;
import io.isthmus.vnfm.integration.VnfPackageInfo;
import io.isthmus.vnfm.integration.VnfdReader;
import io.isthmus.vnfm.persistence.LcmOperationType;
import io.isthmus.vnfm.persistence.OperationWork;
import io.isthmus.vnfm.persistence.VnfcResource;

/**
 * The work of each step: calls to the nfvo, the vim and the slowpath. Runs outside any transaction and changes nothing
 * in the database; what it finds goes back in the {@link StepOutcome}. Every step may run twice (a restart between
 * the call and the journal entry), so each call is idempotent or harmless to repeat.
 */
@ApplicationScoped
public class OperationSteps {

    private static final Logger LOG = Logger.getLogger(OperationSteps.class);
    /** The role of the VDU whose process takes the VNF's configuration (VIM API and VNFD write it so). */
    static final String SLOWPATH = "slowpath";

    private final NfvoClient nfvo;
    private final VimClient vim;
    private final SlowpathConfigClient slowpath;
    private final VnfdReader vnfdReader;
    private final ObjectMapper json;
    private final VnfmConfig config;
    private final PackageChange packageChange;
    private final SnapshotSteps snapshots;

    public OperationSteps(NfvoClient nfvo, VimClient vim, SlowpathConfigClient slowpath, VnfdReader vnfdReader,
            ObjectMapper json, VnfmConfig config, PackageChange packageChange, SnapshotSteps snapshots) {
        this.packageChange = packageChange;
        this.snapshots = snapshots;
        this.nfvo = nfvo;
        this.vim = vim;
        this.slowpath = slowpath;
        this.vnfdReader = vnfdReader;
        this.json = json;
        this.config = config;
    }

    /** The allocation of a VNF instance on the vim: one per instance, so allocating again finds the same one. */
    public static String allocationId(String vnfInstanceId) {
        return "vnf-" + vnfInstanceId;
    }

    public StepOutcome run(OperationContext ctx) {
        try {
            return switch (ctx.step()) {
                case START -> start(ctx);
                case PACKAGE -> readPackage(ctx);
                case PLAN -> plan(ctx);
                case GRANT -> grant(ctx);
                case ALLOCATE -> allocate(ctx);
                case ADD_VNFCS -> addVnfcs(ctx);
                case UNPUBLISH -> unpublish(ctx);
                case DRAIN -> drain(ctx);
                case REMOVE_VNFCS -> removeVnfcs(ctx);
                case HEAL_VNFCS -> heal(ctx);
                case OPERATE_VNFCS -> operate(ctx);
                case MODIFY, UNMODIFY -> new StepOutcome.Done(ctx.work(), null, "instance information changed");
                case CONFIGURE -> configure(ctx);
                case PUBLISH -> publish(ctx);
                case RELEASE -> release(ctx);
                case RESTORE_VNFCS -> restore(ctx);
                case ROLL_VNFCS -> packageChange.roll(ctx);
                case TAKE_SNAPSHOT -> snapshots.take(ctx);
                case REVERT_SNAPSHOT -> snapshots.revert(ctx);
                case DONE -> throw new IllegalStateException("nothing to run after DONE");
            };
        } catch (RemoteCallException e) {
            ProblemDetails problem = problemOf(ctx, e);
            return e.transientFailure() ? new StepOutcome.Transient(problem) : new StepOutcome.Failed(problem);
        } catch (InvalidPackageException e) {
            return new StepOutcome.Failed(ProblemDetails.of(422, "Unprocessable Content",
                    ctx.step() + ": the VNF package is not valid: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "op %s step %s failed", ctx.opId(), ctx.step());
            return new StepOutcome.Failed(ProblemDetails.of(500, "Internal Server Error",
                    ctx.step() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    /** Every operation but instantiate starts from the instance as it is: its allocation, VNFCs and ingress. */
    private StepOutcome start(OperationContext ctx) {
        OperationWork work = ctx.work();
        if (ctx.operation() != LcmOperationType.INSTANTIATE && work.allocationId() == null) {
            OperationContext.Instance i = ctx.instance();
            work = work.withAllocation(i.allocationId(), driverOf(i.vnfcs()), i.vnfcs(), i.configSecret())
                    .withIngress(i.ingress() == null ? Ingress.fastpaths(i.vnfcs()) : i.ingress());
        }
        return new StepOutcome.Done(work, null, "processing started");
    }

    private StepOutcome readPackage(OperationContext ctx) {
        // change_vnfpkg reads the package it changes to
        String vnfdId = ctx.operation() == LcmOperationType.CHANGE_VNFPKG ? ctx.param("vnfdId") : ctx.vnfdId();
        VnfPackageInfo pkg = nfvo.findOnboardedPackage(vnfdId).orElse(null);
        if (pkg == null) {
            return new StepOutcome.Failed(ProblemDetails.of(422, "Unprocessable Content",
                    "PACKAGE: the nfvo has no onboarded VNF package with vnfdId " + vnfdId));
        }
        VnfDescriptor vnfd = vnfdReader.read(nfvo.packageContent(pkg.id()));
        if (ctx.flavourId() != null && !ctx.flavourId().equals(vnfd.flavourId())) {
            return new StepOutcome.Failed(ProblemDetails.of(422, "Unprocessable Content", "PACKAGE: the VNFD "
                    + vnfd.vnfdId() + " has no flavour " + ctx.flavourId() + " (it has " + vnfd.flavourId() + ")"));
        }
        Map<String, Integer> maxLevels = new LinkedHashMap<>();
        vnfd.aspects().forEach(a -> maxLevels.put(a.id(), a.maxScaleLevel()));
        OperationWork work = ctx.work();
        Map<String, Integer> counts;
        OperationWork.Plan plan = null;
        switch (ctx.operation()) {
            case INSTANTIATE -> {
                Map<String, Integer> levels = ScalePlans.instantiationLevels(vnfd, ctx.param("instantiationLevelId"));
                counts = vnfd.countsAt(levels);
                plan = new OperationWork.Plan(Map.of(), levels, Map.of(), counts, null, null, null, null, null);
            }
            case SCALE, SCALE_TO_LEVEL, CHANGE_FLAVOUR -> {
                ScalePlans.Target target = ScalePlans.target(vnfd, ctx);
                counts = vnfd.countsAt(target.levels());
                Map<String, Integer> before = Ingress.countsByVdu(work.vnfcs());
                plan = new OperationWork.Plan(ctx.instance().scaleStatus(), target.levels(), before, counts,
                        ScalePlans.toRemove(work.vnfcs(), before, counts), null, null, null,
                        work.vnfcs().stream().map(VnfcResource::id).toList());
            }
            default -> counts = null;
        }
        Map<String, Integer> sized = counts;
        List<OperationWork.Vdu> vdus = vnfd.vdus().stream()
                .map(v -> new OperationWork.Vdu(v.id(), v.role(), v.vcpus(), v.memoryMb(),
                        sized == null ? v.instances() : sized.getOrDefault(v.id(), v.instances())))
                .toList();
        work = work.withPackage(pkg.id(), vnfd.vnfType(), vdus, maxLevels, vnfd.extCps());
        if (plan != null) {
            work = work.withPlan(plan);
        }
        if (ctx.operation() == LcmOperationType.CHANGE_VNFPKG) {
            work = work.withRollout(new OperationWork.Rollout(ctx.phase().name(), PackageChange.order(work.vnfcs()),
                    0, OperationWork.Stage.UNPUBLISH, null, new OperationWork.Target(vnfdId, pkg.id(),
                            pkg.vnfProvider(), pkg.vnfProductName(), pkg.vnfSoftwareVersion(), pkg.vnfdVersion())));
        }
        return new StepOutcome.Done(work, null, "package " + pkg.id() + " read: " + vdus.size() + " VDUs"
                + (plan == null ? "" : ", target " + plan.countsAfter()));
    }

    /** Heal and operate: which VNFCs, and how. */
    private StepOutcome plan(OperationContext ctx) {
        List<VnfcResource> vnfcs = ctx.work().vnfcs();
        List<String> named = ScalePlans.vnfcIds(ctx.params());
        List<String> heal = named.isEmpty() ? vnfcs.stream().map(VnfcResource::id).toList() : named;
        String mode = String.valueOf(ctx.additionalParams().getOrDefault("healMode", "RESTART"));
        OperationWork.Plan plan = new OperationWork.Plan(ctx.instance().scaleStatus(), ctx.instance().scaleStatus(),
                Ingress.countsByVdu(vnfcs), Ingress.countsByVdu(vnfcs), null, heal, mode, null,
                vnfcs.stream().map(VnfcResource::id).toList());
        return new StepOutcome.Done(ctx.work().withPlan(plan), null, "healing " + heal + " by " + mode);
    }

    private StepOutcome grant(OperationContext ctx) {
        List<GrantRequest.ResourceDefinition> add = new ArrayList<>();
        List<GrantRequest.ResourceDefinition> remove = new ArrayList<>();
        OperationWork.Plan plan = ctx.work().plan();
        for (OperationWork.Vdu vdu : ctx.work().vdus()) {
            GrantRequest.ResourceTemplate size = new GrantRequest.ResourceTemplate(vdu.vcpus(), vdu.memoryMb());
            if (ctx.operation() == LcmOperationType.INSTANTIATE) {
                for (int i = 0; i < vdu.instances(); i++) {
                    add.add(new GrantRequest.ResourceDefinition(vdu.id() + "-" + i, "COMPUTE", vdu.id(), null, size));
                }
                continue;
            }
            if (plan == null) {
                continue;
            }
            int delta = plan.countsAfter().getOrDefault(vdu.id(), 0) - plan.countsBefore().getOrDefault(vdu.id(), 0);
            for (int i = 0; i < delta; i++) {
                add.add(new GrantRequest.ResourceDefinition(vdu.id() + "-new-" + i, "COMPUTE", vdu.id(), null, size));
            }
            for (String id : plan.remove() == null ? List.<String>of() : plan.remove()) {
                if (Ingress.vduOf(ctx.work().vnfcs(), id).equals(vdu.id())) {
                    remove.add(new GrantRequest.ResourceDefinition(id, "COMPUTE", vdu.id(), null, null));
                }
            }
            if ("REPLACE".equals(plan.healMode()) && plan.heal() != null) {
                for (String id : plan.heal()) {
                    if (Ingress.vduOf(ctx.work().vnfcs(), id).equals(vdu.id())) {
                        add.add(new GrantRequest.ResourceDefinition(id + "-replacement", "COMPUTE", vdu.id(), null,
                                size));
                        remove.add(new GrantRequest.ResourceDefinition(id, "COMPUTE", vdu.id(), null, null));
                    }
                }
            }
        }
        if (add.isEmpty() && remove.isEmpty()) {
            return new StepOutcome.Done(ctx.work(), null, "nothing to grant");
        }
        GrantRequest request = new GrantRequest(ctx.vnfInstanceId(), ctx.opId(), ctx.vnfdId(), ctx.flavourId(),
                ctx.operation().name(), false, add.isEmpty() ? null : add, remove.isEmpty() ? null : remove,
                ctx.tenant() == null ? null : Map.of(GrantRequest.TENANT, ctx.tenant()),
                new GrantRequest.Links(link("/vnflcm/v2/vnf_lcm_op_occs/" + ctx.opId()),
                        link("/vnflcm/v2/vnf_instances/" + ctx.vnfInstanceId())));
        Grant grant = nfvo.grant(request);
        String grantId = grant == null ? null : grant.id();
        return new StepOutcome.Done(ctx.work(), grantId, "granted" + (grantId == null ? "" : " (" + grantId + ")"));
    }

    private StepOutcome allocate(OperationContext ctx) {
        String allocationId = allocationId(ctx.vnfInstanceId());
        List<AllocationRequest.Component> components = ctx.work().vdus().stream()
                .map(v -> new AllocationRequest.Component(v.id(), v.role(), v.instances(), v.vcpus(),
                        (long) v.memoryMb()))
                .toList();
        AllocationView allocation = vim.allocate(new AllocationRequest(allocationId, ctx.tenant(),
                ctx.vnfInstanceId(), ctx.work().vnfType(), null, components));
        String driver = allocation.driver() == null ? "local" : allocation.driver();
        List<VnfcResource> vnfcs = vnfcs(allocationId, driver, allocation);
        return new StepOutcome.Done(ctx.work().withAllocation(allocationId, driver, vnfcs, allocation.configSecret()),
                null, "allocated " + allocationId + " on " + driver + ": " + vnfcs.size() + " VNFCs");
    }

    private StepOutcome addVnfcs(OperationContext ctx) {
        OperationWork.Plan plan = ctx.work().plan();
        AllocationView view = null;
        for (Map.Entry<String, Integer> target : plan.countsAfter().entrySet()) {
            if (target.getValue() > plan.countsBefore().getOrDefault(target.getKey(), 0)) {
                view = vim.resize(ctx.work().allocationId(), target.getKey(), target.getValue(), null);
            }
        }
        if (view == null) {
            return new StepOutcome.Done(ctx.work(), null, "no VNFC to add");
        }
        List<VnfcResource> vnfcs = vnfcs(ctx.work().allocationId(), ctx.work().driver(), view);
        return new StepOutcome.Done(ctx.work().withVnfcs(vnfcs), null, "VNFCs now " + Ingress.countsByVdu(vnfcs));
    }

    private StepOutcome unpublish(OperationContext ctx) {
        List<String> ingress = Ingress.unpublished(ctx.operation(), ctx.work());
        return new StepOutcome.Done(ctx.work().withIngress(ingress), null, "ingress now " + ingress);
    }

    /** Waits until every fastpath taken out of the ingress has received nothing for the quiet period. */
    private StepOutcome drain(OperationContext ctx) {
        OperationWork work = ctx.work();
        List<String> draining = Ingress.draining(ctx.operation(), work, ctx.params());
        if (draining.isEmpty()) {
            return new StepOutcome.Done(work, null, "nothing to drain");
        }
        Instant now = Instant.now();
        if (work.drainDeadline() == null) {
            work = work.withDrainDeadline(now.plus(Ingress.drainTimeout(ctx.operation(), ctx.params(),
                    config.drain().timeout())));
        }
        List<String> busy = SlowpathEndpoint.stillReceiving(slowpath, draining, work.vnfcs(), config.drain().quiet());
        if (busy.isEmpty()) {
            return new StepOutcome.Done(work, null, "drained " + draining);
        }
        if (now.isAfter(work.drainDeadline())) {
            return new StepOutcome.Done(work, null, "drain timed out with " + busy + " still receiving");
        }
        return new StepOutcome.Wait(work, Duration.ofMillis(200), "draining " + busy);
    }

    private StepOutcome removeVnfcs(OperationContext ctx) {
        OperationWork.Plan plan = ctx.work().plan();
        if (plan.remove() == null || plan.remove().isEmpty()) {
            return new StepOutcome.Done(ctx.work(), null, "no VNFC to remove");
        }
        AllocationView view = null;
        for (Map.Entry<String, Integer> target : plan.countsAfter().entrySet()) {
            List<Integer> indexes = plan.remove().stream()
                    .filter(id -> Ingress.vduOf(ctx.work().vnfcs(), id).equals(target.getKey()))
                    .map(Ingress::indexOf).toList();
            if (!indexes.isEmpty()) {
                view = vim.resize(ctx.work().allocationId(), target.getKey(), target.getValue(), indexes);
            }
        }
        forget(ctx.work(), plan.remove());
        List<VnfcResource> vnfcs = view == null
                ? ctx.work().vnfcs()
                : vnfcs(ctx.work().allocationId(), ctx.work().driver(), view);
        return new StepOutcome.Done(ctx.work().withVnfcs(vnfcs), null, "removed " + plan.remove());
    }

    /** The slowpath forgets retired fastpaths at once (else after its expiry); best effort. */
    private void forget(OperationWork work, List<String> vnfcIds) {
        SlowpathEndpoint at = SlowpathEndpoint.of(work.vnfcs()).orElse(null);
        if (at == null) {
            return;
        }
        for (String id : vnfcIds) {
            try {
                slowpath.forgetFastpath(at.host(), at.configPort(), work.configSecret(),
                        Ingress.fastpathIdOf(work.vnfcs(), id));
            } catch (RemoteCallException e) {
                LOG.debugf("slowpath did not forget %s: %s", id, e.getMessage());
            }
        }
    }

    private StepOutcome heal(OperationContext ctx) {
        OperationWork.Plan plan = ctx.work().plan();
        AllocationView view = null;
        for (String id : plan.heal()) {
            String vdu = Ingress.vduOf(ctx.work().vnfcs(), id);
            view = vim.restart(ctx.work().allocationId(), vdu, Ingress.indexOf(id), plan.healMode());
        }
        List<VnfcResource> vnfcs = view == null
                ? ctx.work().vnfcs()
                : vnfcs(ctx.work().allocationId(), ctx.work().driver(), view);
        return new StepOutcome.Done(ctx.work().withVnfcs(vnfcs), null, "healed " + plan.heal());
    }

    private StepOutcome operate(OperationContext ctx) {
        String to = ctx.param("changeStateTo");
        boolean graceful = "GRACEFUL".equals(ctx.param("stopType"));
        Object timeout = ctx.params().get("gracefulStopTimeout");
        AllocationView view = vim.operate(ctx.work().allocationId(), to, graceful,
                timeout instanceof Number n ? n.intValue() : 10);
        List<VnfcResource> vnfcs = vnfcs(ctx.work().allocationId(), ctx.work().driver(), view);
        return new StepOutcome.Done(ctx.work().withVnfcs(vnfcs), null, "VNFCs " + to);
    }

    private StepOutcome configure(OperationContext ctx) {
        // instantiate sends its request's configuration (the instance's desired one since the request); others the
        // instance's desired configuration as the operation left it (PATCH, change_ext_conn change it first)
        Map<String, Object> vnfConfig = ctx.operation() == LcmOperationType.INSTANTIATE
                ? ctx.additionalParams()
                : ctx.instance().desired();
        if (vnfConfig == null || vnfConfig.isEmpty()
                || ctx.operation() == LcmOperationType.OPERATE && "STOPPED".equals(ctx.param("changeStateTo"))) {
            return new StepOutcome.Done(ctx.work(), null, "no configuration to send");
        }
        SlowpathEndpoint endpoint = SlowpathEndpoint.of(ctx.work().vnfcs()).orElse(null);
        if (endpoint == null && ctx.operation() == LcmOperationType.MODIFY_INFO && ctx.work().vnfcs().isEmpty()) {
            return new StepOutcome.Done(ctx.work(), null, "not instantiated: nothing to configure");
        }
        if (endpoint == null) {
            return new StepOutcome.Failed(ProblemDetails.of(500, "Internal Server Error",
                    "CONFIGURE: the allocation has no slowpath with a config port"));
        }
        String routes = slowpath.putConfig(endpoint.host(), endpoint.configPort(), ctx.work().configSecret(),
                vnfConfig);
        return new StepOutcome.Done(ctx.work(), null,
                "configuration sent to " + endpoint + (routes.isEmpty() ? "" : "; " + routes));
    }

    private StepOutcome publish(OperationContext ctx) {
        List<String> ingress = Ingress.published(ctx.operation(), ctx.phase(), ctx.work(), ctx.params());
        return new StepOutcome.Done(ctx.work().withIngress(ingress), null, "ingress now " + ingress);
    }

    private StepOutcome release(OperationContext ctx) {
        String allocationId = ctx.work().allocationId() != null
                ? ctx.work().allocationId()
                : ctx.instance().allocationId() != null
                        ? ctx.instance().allocationId()
                        : allocationId(ctx.vnfInstanceId());
        vim.release(allocationId);
        return new StepOutcome.Done(ctx.work().withVnfcs(List.of()).withIngress(List.of()), null,
                "released " + allocationId);
    }

    /** Rollback of a scale: the VDU counts before it, removing the VNFCs it added. */
    private StepOutcome restore(OperationContext ctx) {
        OperationWork.Plan plan = ctx.work().plan();
        if (plan == null || ctx.work().allocationId() == null) {
            return new StepOutcome.Done(ctx.work(), null, "nothing to restore");
        }
        AllocationView current = vim.allocation(ctx.work().allocationId());
        List<VnfcResource> now = vnfcs(ctx.work().allocationId(), ctx.work().driver(), current);
        AllocationView view = current;
        for (Map.Entry<String, Integer> before : plan.countsBefore().entrySet()) {
            List<Integer> added = now.stream()
                    .filter(v -> v.vduId().equals(before.getKey()) && !plan.vnfcsBefore().contains(v.id()))
                    .map(v -> Ingress.indexOf(v.id())).toList();
            int count = Ingress.countsByVdu(now).getOrDefault(before.getKey(), 0);
            if (count != before.getValue()) {
                view = vim.resize(ctx.work().allocationId(), before.getKey(), before.getValue(),
                        count > before.getValue() ? added.subList(0, count - before.getValue()) : null);
            }
        }
        List<VnfcResource> vnfcs = vnfcs(ctx.work().allocationId(), ctx.work().driver(), view);
        return new StepOutcome.Done(ctx.work().withVnfcs(vnfcs), null, "VNFCs back to " + plan.countsBefore());
    }

    static List<VnfcResource> vnfcs(String allocationId, String driver, AllocationView view) {
        List<VnfcResource> vnfcs = new ArrayList<>();
        for (AllocationView.Component c : view.components() == null
                ? List.<AllocationView.Component>of()
                : view.components()) {
            vnfcs.add(vnfc(allocationId, driver == null ? view.driver() : driver, c));
        }
        return vnfcs;
    }

    private static String driverOf(List<VnfcResource> vnfcs) {
        return vnfcs.isEmpty() ? null : vnfcs.getFirst().vimConnectionId();
    }

    /** contracts.md: VnfInstance.instantiatedVnfInfo.vnfcResourceInfo[] of one started component. */
    static VnfcResource vnfc(String allocationId, String driver, AllocationView.Component c) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("host", c.host());
        AllocationView.Ports ports = c.ports() == null ? new AllocationView.Ports(null, null, null) : c.ports();
        boolean isSlowpath = SLOWPATH.equals(c.role());
        if (isSlowpath) {
            metadata.put("controlPort", ports.control());
            metadata.put("configPort", ports.config());
        } else {
            metadata.put("dataPort", ports.data());
            metadata.put("fastpathId", c.fastpathId());
        }
        metadata.put("status", c.status());
        metadata.values().removeIf(Objects::isNull);
        boolean kubernetes = "kubernetes".equals(driver);
        String resourceId = c.pid() != null ? String.valueOf(c.pid()) : allocationId + "-" + c.name() + "-" + c.index();
        return new VnfcResource(c.name() + "-" + c.index(), c.name(), driver, resourceId,
                kubernetes ? "deployment" : "process", metadata);
    }

    private ProblemDetails problemOf(OperationContext ctx, RemoteCallException e) {
        ProblemDetails remote = null;
        if (e.body() != null && !e.body().isBlank()) {
            try {
                remote = json.readValue(e.body(), ProblemDetails.class);
            } catch (Exception notProblem) {
                remote = null;
            }
        }
        int status = e.status() == 0 ? 503 : e.status();
        String title = remote != null && remote.title() != null ? remote.title() : titleOf(status);
        String detail = remote != null && remote.detail() != null ? remote.detail() : e.getMessage();
        return ProblemDetails.of(status, title, ctx.step() + ": " + detail);
    }

    private static String titleOf(int status) {
        return switch (status) {
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Bad Gateway" : "Bad Request";
        };
    }

    private Link link(String path) {
        String base = config.publicUrl();
        return Link.to((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }
}
