package io.isthmus.vnfm.lifecycle;

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

    public OperationSteps(NfvoClient nfvo, VimClient vim, SlowpathConfigClient slowpath, VnfdReader vnfdReader,
            ObjectMapper json, VnfmConfig config) {
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
                case START -> new StepOutcome.Done(ctx.work(), null, "processing started");
                case PACKAGE -> readPackage(ctx);
                case GRANT -> grant(ctx);
                case ALLOCATE -> allocate(ctx);
                case CONFIGURE -> configure(ctx);
                case RELEASE -> release(ctx);
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

    private StepOutcome readPackage(OperationContext ctx) {
        VnfPackageInfo pkg = nfvo.findOnboardedPackage(ctx.vnfdId()).orElse(null);
        if (pkg == null) {
            return new StepOutcome.Failed(ProblemDetails.of(422, "Unprocessable Content",
                    "PACKAGE: the nfvo has no onboarded VNF package with vnfdId " + ctx.vnfdId()));
        }
        VnfDescriptor vnfd = vnfdReader.read(nfvo.packageContent(pkg.id()));
        if (ctx.flavourId() != null && !ctx.flavourId().equals(vnfd.flavourId())) {
            return new StepOutcome.Failed(ProblemDetails.of(422, "Unprocessable Content", "PACKAGE: the VNFD "
                    + vnfd.vnfdId() + " has no flavour " + ctx.flavourId() + " (it has " + vnfd.flavourId() + ")"));
        }
        List<OperationWork.Vdu> vdus = vnfd.vdus().stream()
                .map(v -> new OperationWork.Vdu(v.id(), v.role(), v.vcpus(), v.memoryMb(), v.instances()))
                .toList();
        return new StepOutcome.Done(ctx.work().withPackage(pkg.id(), vnfd.vnfType(), vdus),
                null, "package " + pkg.id() + " read: " + vdus.size() + " VDUs");
    }

    private StepOutcome grant(OperationContext ctx) {
        List<GrantRequest.ResourceDefinition> add = new ArrayList<>();
        for (OperationWork.Vdu vdu : ctx.work().vdus()) {
            for (int i = 0; i < vdu.instances(); i++) {
                add.add(new GrantRequest.ResourceDefinition(vdu.id() + "-" + i, "COMPUTE", vdu.id(), null,
                        new GrantRequest.ResourceTemplate(vdu.vcpus(), vdu.memoryMb())));
            }
        }
        GrantRequest request = new GrantRequest(ctx.vnfInstanceId(), ctx.opId(), ctx.vnfdId(), ctx.flavourId(),
                ctx.operation().name(), false, add, null,
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
        List<VnfcResource> vnfcs = new ArrayList<>();
        for (AllocationView.Component c : allocation.components() == null
                ? List.<AllocationView.Component>of()
                : allocation.components()) {
            vnfcs.add(vnfc(allocationId, driver, c));
        }
        return new StepOutcome.Done(ctx.work().withAllocation(allocationId, driver, vnfcs, allocation.configSecret()),
                null,
                "allocated " + allocationId + " on " + driver + ": " + vnfcs.size() + " VNFCs");
    }

    private StepOutcome configure(OperationContext ctx) {
        Map<String, Object> vnfConfig = ctx.additionalParams();
        if (vnfConfig.isEmpty()) {
            return new StepOutcome.Done(ctx.work(), null, "no configuration given");
        }
        SlowpathEndpoint endpoint = SlowpathEndpoint.of(ctx.work().vnfcs()).orElse(null);
        if (endpoint == null) {
            return new StepOutcome.Failed(ProblemDetails.of(500, "Internal Server Error",
                    "CONFIGURE: the allocation has no slowpath with a config port"));
        }
        slowpath.putConfig(endpoint.host(), endpoint.configPort(), ctx.work().configSecret(), vnfConfig);
        return new StepOutcome.Done(ctx.work(), null, "configuration sent to " + endpoint);
    }

    private StepOutcome release(OperationContext ctx) {
        String allocationId = ctx.instanceAllocationId() != null
                ? ctx.instanceAllocationId()
                : allocationId(ctx.vnfInstanceId());
        vim.release(allocationId);
        return new StepOutcome.Done(ctx.work(), null, "released " + allocationId);
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
        }
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
