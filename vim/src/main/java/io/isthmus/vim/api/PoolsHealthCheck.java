package io.isthmus.vim.api;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.isthmus.vim.service.CapacityService;
import io.isthmus.vimapi.model.CapacityView;

/** Ready when the capacity pools can be read; says what each holds and uses. */
@Readiness
@ApplicationScoped
public class PoolsHealthCheck implements HealthCheck {

    private final CapacityService capacity;

    public PoolsHealthCheck(CapacityService capacity) {
        this.capacity = capacity;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("capacity-pools");
        try {
            CapacityView view = capacity.capacity();
            view.pools().forEach(p -> response.withData(p.id(), p.vcpusUsed() + "/" + p.vcpusTotal() + " vCPUs, "
                    + p.memoryMbUsed() + "/" + p.memoryMbTotal() + " MB"));
            return response.status(!view.pools().isEmpty()).build();
        } catch (RuntimeException e) {
            return response.down().withData("error", e.getMessage()).build();
        }
    }
}
