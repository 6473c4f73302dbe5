package io.isthmus.vim.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.sol.security.Caller;
import io.isthmus.vim.config.VimConfig;
import io.isthmus.vim.persistence.TenantQuota;
import io.isthmus.vim.persistence.TenantQuotaRepository;

import io.isthmus.vimapi.model.QuotaLimits;
import io.isthmus.vimapi.model.QuotaView;

/** Tenants' quotas: the default limits of configuration, or an operator's own per tenant. */
@ApplicationScoped
public class QuotaService {

    private static final Logger LOG = Logger.getLogger(QuotaService.class);

    private final TenantQuotaRepository quotas;
    private final VimConfig.Quota defaults;
    private final Caller caller;
    private final Clock clock;

    public QuotaService(TenantQuotaRepository quotas, VimConfig config, Caller caller, Clock clock) {
        this.quotas = quotas;
        this.defaults = config.quota();
        this.caller = caller;
        this.clock = clock;
    }

    /** Every tenant has a quota: one that never allocated has the default limits and uses nothing. */
    @Transactional
    public QuotaView get(String tenantId) {
        validTenant(tenantId);
        return quotas.find(tenantId).map(this::usage)
                .orElseGet(() -> Admission.QuotaUsage.unused(tenantId, defaults.defaultVcpus(),
                        defaults.defaultMemoryMb()))
                .view();
    }

    /**
     * Sets the tenant's own limits. A limit below what the tenant uses is accepted: what runs keeps running, and
     * nothing more is admitted until usage falls below it.
     */
    @Transactional
    public QuotaView set(String tenantId, QuotaLimits limits) {
        validTenant(tenantId);
        if (limits == null) {
            throw new InvalidRequestException("A quota body with vcpusLimit and memoryMbLimit is required");
        }
        List<String> invalid = new ArrayList<>();
        AllocationRequests.inRange(invalid, "vcpusLimit", limits.vcpusLimit(), 0, Integer.MAX_VALUE);
        AllocationRequests.inRange(invalid, "memoryMbLimit", limits.memoryMbLimit(), 0, Long.MAX_VALUE / 2);
        if (!invalid.isEmpty()) {
            throw new InvalidRequestException("Invalid quota: " + String.join("; ", invalid));
        }
        TenantQuota quota = quotas.lockOrCreate(tenantId, clock.instant());
        quota.limit(limits.vcpusLimit(), limits.memoryMbLimit(), clock.instant());
        LOG.infof("%s set tenant %s's quota to %d vCPUs and %d MB", caller.subject(), tenantId, limits.vcpusLimit(),
                limits.memoryMbLimit());
        return usage(quota).view();
    }

    private Admission.QuotaUsage usage(TenantQuota quota) {
        return Admission.QuotaUsage.of(quota, defaults.defaultVcpus(), defaults.defaultMemoryMb());
    }

    private static void validTenant(String tenantId) {
        List<String> invalid = new ArrayList<>();
        AllocationRequests.identifier(invalid, "tenantId", tenantId);
        if (!invalid.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", invalid));
        }
    }
}
