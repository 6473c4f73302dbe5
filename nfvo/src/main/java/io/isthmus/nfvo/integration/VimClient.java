package io.isthmus.nfvo.integration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.isthmus.sol.client.RemoteCalls;
import io.isthmus.vimapi.VimApi;
import io.isthmus.vimapi.model.CapacityCheckRequest;
import io.isthmus.vimapi.model.CapacityCheckResult;

/** The VIM's capacity and quota view (Or-Vi), asked before any grant, through the shared {@link VimApi} REST client. */
@ApplicationScoped
public class VimClient {

    private final VimApi vim;

    public VimClient(@RestClient VimApi vim) {
        this.vim = vim;
    }

    /** Would this much fit the tenant's quota and the VIM's capacity now? A refusal is an answer, not an error. */
    public CapacityCheckResult check(String tenant, int vcpus, int memoryMb) {
        return RemoteCalls.call("POST /vim/v1/capacity-checks",
                () -> vim.check(new CapacityCheckRequest(tenant, vcpus, (long) memoryMb, null)));
    }
}
