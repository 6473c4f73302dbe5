package io.isthmus.vnfm.integration;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.client.ServiceTokens;
import io.isthmus.sol.client.SolHttpClient;
import io.isthmus.vnfm.config.VnfmConfig;

/** The vim's allocations API (contracts.md "VIM API"). */
@ApplicationScoped
public class VimClient {

    private static final String ALLOCATIONS = "/vim/v1/allocations";

    private final SolHttpClient vim;

    public VimClient(HttpClient http, ObjectMapper json, ServiceTokens tokens, VnfmConfig config) {
        this.vim = new SolHttpClient(http, json, config.vimUrl(), tokens);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AllocationRequest(String id, String tenantId, String vnfInstanceId, String vnfType, String driver,
            List<ComponentRequest> components) {
    }

    public record ComponentRequest(String name, String role, int count, int vcpus, int memoryMb) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Allocation(String id, String state, String driver, List<Component> components) {
    }

    /** A started component; {@code ports} has {@code control}, {@code config} (slowpath) or {@code data}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Component(String name, String role, int index, String host, Map<String, Integer> ports, Long pid) {
    }

    /** Allocates, or returns the allocation of that id if it exists already (idempotent). */
    public Allocation allocate(AllocationRequest request) {
        return vim.post(ALLOCATIONS, request, Allocation.class).body();
    }

    /** Releases the allocation; one that does not exist any more is released already. */
    public void release(String allocationId) {
        try {
            vim.delete(ALLOCATIONS + "/" + allocationId, Void.class);
        } catch (RemoteCallException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }
}
