package io.isthmus.vnfm.lifecycle;

import java.util.List;
import java.util.Optional;

import io.isthmus.vnfm.persistence.VnfcResource;

/**
 * Where a VNF's slowpath takes its configuration: the host and config port of the one VNFC that has a config port
 * ({@link OperationSteps#vnfc} gives only the slowpath one). Both the CONFIGURE step and the reconciler find it here.
 */
record SlowpathEndpoint(String host, int configPort) {

    static Optional<SlowpathEndpoint> of(List<VnfcResource> vnfcs) {
        return (vnfcs == null ? List.<VnfcResource>of() : vnfcs).stream()
                .filter(v -> v.metadata() != null && v.metadata().get("configPort") instanceof Number)
                .findFirst()
                .map(v -> new SlowpathEndpoint(String.valueOf(v.metadata().getOrDefault("host", "127.0.0.1")),
                        ((Number) v.metadata().get("configPort")).intValue()));
    }

    /** The slowpath's {@code /stats}. */
    com.fasterxml.jackson.databind.JsonNode statsOf(io.isthmus.vnfm.integration.SlowpathConfigClient client) {
        return client.stats(host, configPort);
    }

    @Override
    public String toString() {
        return host + ":" + configPort;
    }
}
