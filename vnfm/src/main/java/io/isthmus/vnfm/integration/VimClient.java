package io.isthmus.vnfm.integration;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.client.RemoteCalls;
import io.isthmus.vimapi.VimApi;
import io.isthmus.vimapi.model.AllocationRequest;
import io.isthmus.vimapi.model.AllocationView;
import io.isthmus.vimapi.model.ComponentResize;
import io.isthmus.vimapi.model.OperateRequest;
import io.isthmus.vimapi.model.ReplicaRestart;

/** The vim's allocations API (contracts.md "VIM API"), through the shared {@link VimApi} REST client. */
@ApplicationScoped
public class VimClient {

    private final VimApi vim;

    public VimClient(@RestClient VimApi vim) {
        this.vim = vim;
    }

    /** Allocates, or returns the allocation of that id if it exists already (idempotent). */
    public AllocationView allocate(AllocationRequest request) {
        return RemoteCalls.call("POST /vim/v1/allocations", () -> vim.allocate(request));
    }

    public AllocationView allocation(String allocationId) {
        return RemoteCalls.call("GET /vim/v1/allocations/" + allocationId, () -> vim.allocation(allocationId));
    }

    /** Runs {@code count} replicas of the component, stopping the ones named in {@code remove} when shrinking. */
    public AllocationView resize(String allocationId, String component, int count, List<Integer> remove) {
        ComponentResize body = new ComponentResize(count, remove == null || remove.isEmpty() ? null : remove);
        return RemoteCalls.call("PUT /vim/v1/allocations/" + allocationId + "/components/" + component,
                () -> vim.resize(allocationId, component, body));
    }

    /** Restarts one replica in place ({@code RESTART}) or replaces it ({@code REPLACE}). */
    public AllocationView restart(String allocationId, String component, int index, String mode) {
        return RemoteCalls.call("POST /vim/v1/allocations/" + allocationId + "/components/" + component + "/" + index
                + "/restart", () -> vim.restart(allocationId, component, index, new ReplicaRestart(mode)));
    }

    /** Stops ({@code STOPPED}) or starts ({@code STARTED}) the allocation's components. */
    public AllocationView operate(String allocationId, String state, boolean graceful, int timeoutSeconds) {
        return RemoteCalls.call("POST /vim/v1/allocations/" + allocationId + "/operate",
                () -> vim.operate(allocationId, new OperateRequest(state, graceful, timeoutSeconds, null)));
    }

    /** Releases the allocation; one that does not exist any more is released already. */
    public void release(String allocationId) {
        try {
            RemoteCalls.run("DELETE /vim/v1/allocations/" + allocationId, () -> vim.release(allocationId));
        } catch (RemoteCallException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }
}
