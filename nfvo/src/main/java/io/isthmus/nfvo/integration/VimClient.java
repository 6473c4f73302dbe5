package io.isthmus.nfvo.integration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import io.isthmus.sol.client.SolHttpClient;

/** The VIM's capacity and quota view (Or-Vi), asked before any grant. */
@ApplicationScoped
public class VimClient {

    public record CapacityCheckRequest(String tenantId, int vcpus, int memoryMb, String driver) {
    }

    public record CapacityCheck(boolean admitted, String reason, String zoneId, String vimId, String driver) {
    }

    private final SolHttpClient vim;

    public VimClient(@Named("vim") SolHttpClient vim) {
        this.vim = vim;
    }

    public CapacityCheck check(String tenant, int vcpus, int memoryMb) {
        return vim.post("/vim/v1/capacity-checks", new CapacityCheckRequest(tenant, vcpus, memoryMb, null),
                CapacityCheck.class).body();
    }
}
