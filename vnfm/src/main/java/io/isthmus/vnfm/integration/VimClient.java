package io.isthmus.vnfm.integration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.client.RemoteCalls;
import io.isthmus.vimapi.VimApi;
import io.isthmus.vimapi.model.AllocationRequest;
import io.isthmus.vimapi.model.AllocationView;

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
