package io.isthmus.vnfm.lifecycle;

import java.util.List;
import java.util.Optional;

import io.isthmus.vnfm.persistence.VnfcResource;

/**
 * Where a VNF's slowpath takes its configuration: the host and config port of the one VNFC that has a config port
 * ({@link OperationSteps#vnfc} gives only the slowpath one). The CONFIGURE step, the reconciler and the VNF indicator
 * reads find it here.
 */
public record SlowpathEndpoint(String host, int configPort) {

    public static Optional<SlowpathEndpoint> of(List<VnfcResource> vnfcs) {
        return (vnfcs == null ? List.<VnfcResource>of() : vnfcs).stream()
                .filter(v -> v.metadata() != null && v.metadata().get("configPort") instanceof Number)
                .findFirst()
                .map(v -> new SlowpathEndpoint(String.valueOf(v.metadata().getOrDefault("host", "127.0.0.1")),
                        ((Number) v.metadata().get("configPort")).intValue()));
    }

    /**
     * Which of the {@code draining} fastpaths still received a packet within {@code quiet}, by the VNF's slowpath's
     * {@code /stats} ({@link Ingress#busy}); none when the VNF has no slowpath to ask. What DRAIN steps wait on.
     */
    static List<String> stillReceiving(io.isthmus.vnfm.integration.SlowpathConfigClient client, List<String> draining,
            List<VnfcResource> vnfcs, java.time.Duration quiet) {
        return of(vnfcs).map(at -> Ingress.busy(draining, vnfcs, client.stats(at.host(), at.configPort()),
                quiet.toMillis())).orElse(List.of());
    }

    @Override
    public String toString() {
        return host + ":" + configPort;
    }
}
