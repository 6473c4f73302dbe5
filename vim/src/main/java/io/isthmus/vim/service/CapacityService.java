package io.isthmus.vim.service;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.vim.config.VimConfig;
import io.isthmus.vim.driver.DriverRegistry;
import io.isthmus.vim.driver.kubernetes.KubernetesDriver;
import io.isthmus.vim.driver.local.LocalProcessDriver;
import io.isthmus.vim.persistence.CapacityPool;
import io.isthmus.vim.persistence.CapacityPoolRepository;
import io.isthmus.vim.persistence.Resources;
import io.isthmus.vim.persistence.TenantQuotaRepository;

import io.isthmus.vimapi.model.CapacityCheckRequest;
import io.isthmus.vimapi.model.CapacityCheckResult;
import io.isthmus.vimapi.model.CapacityView;

/** Capacity pools: what each driver may hand out, what is used, and whether a request would fit now. */
@ApplicationScoped
public class CapacityService {

    private static final Logger LOG = Logger.getLogger(CapacityService.class);

    private final CapacityPoolRepository pools;
    private final TenantQuotaRepository quotas;
    private final DriverRegistry drivers;
    private final VimConfig config;

    public CapacityService(CapacityPoolRepository pools, TenantQuotaRepository quotas, DriverRegistry drivers,
            VimConfig config) {
        this.pools = pools;
        this.quotas = quotas;
        this.drivers = drivers;
        this.config = config;
    }

    /** Would this fit the tenant's quota and the pool now? Reserves nothing: the allocation decides. */
    @Transactional
    public CapacityCheckResult check(CapacityCheckRequest request) {
        if (request == null) {
            throw new InvalidRequestException("A capacity check body is required");
        }
        List<String> invalid = new ArrayList<>();
        AllocationRequests.identifier(invalid, "tenantId", request.tenantId());
        AllocationRequests.inRange(invalid, "vcpus", request.vcpus(), 0, Integer.MAX_VALUE);
        AllocationRequests.inRange(invalid, "memoryMb", request.memoryMb(), 0, Long.MAX_VALUE / 2);
        if (!invalid.isEmpty()) {
            throw new InvalidRequestException("Invalid capacity check: " + String.join("; ", invalid));
        }
        String driver = request.driver() == null ? config.defaultDriver() : request.driver();
        if (drivers.enabled(driver).isEmpty()) {
            throw new UnknownDriverException(driver, drivers.enabledNames());
        }
        CapacityPool pool = pools.findByDriver(driver).filter(CapacityPool::enabled)
                .orElseThrow(() -> new UnknownDriverException(driver, drivers.enabledNames()));
        VimConfig.Quota defaults = config.quota();
        Admission.QuotaUsage quota = quotas.find(request.tenantId())
                .map(q -> Admission.QuotaUsage.of(q, defaults.defaultVcpus(), defaults.defaultMemoryMb()))
                .orElseGet(() -> Admission.QuotaUsage.unused(request.tenantId(), defaults.defaultVcpus(),
                        defaults.defaultMemoryMb()));
        var refusal = Admission.evaluate(new Resources(request.vcpus(), request.memoryMb()), quota, pool);
        return new CapacityCheckResult(refusal.isEmpty(), refusal.map(Admission.Refusal::reason).orElse(null),
                pool.id(), config.id(), driver);
    }

    @Transactional
    public CapacityView capacity() {
        return new CapacityView(pools.listEnabled().stream()
                .map(p -> new CapacityView.Pool(p.id(), p.driver(), p.vcpusTotal(), p.vcpusUsed(), p.memoryMbTotal(),
                        p.memoryMbUsed()))
                .toList());
    }

    /** Makes the pools what configuration says: this host's always, the cluster's when its driver is enabled. */
    @Transactional
    public void synchronizePools() {
        VimConfig.Local local = config.local();
        VimConfig.Kubernetes kubernetes = config.kubernetes();
        synchronize(LocalProcessDriver.NAME, true, local.vcpus(), local.memoryMb());
        synchronize(KubernetesDriver.NAME, kubernetes.enabled(), kubernetes.vcpus(), kubernetes.memoryMb());
    }

    private void synchronize(String driver, boolean enabled, int vcpus, long memoryMb) {
        CapacityPool pool = pools.lockByDriver(driver).orElse(null);
        if (pool == null) {
            if (!enabled) {
                return;
            }
            pool = new CapacityPool(driver, driver, vcpus, memoryMb);
            pools.persist(pool);
        }
        pool.resize(enabled, vcpus, memoryMb);
        LOG.infof("Capacity pool %s: %s, %d vCPUs and %d MB (%d vCPUs and %d MB used)", pool.id(),
                enabled ? "enabled" : "disabled", vcpus, memoryMb, pool.vcpusUsed(), pool.memoryMbUsed());
    }
}
