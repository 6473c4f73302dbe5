package io.isthmus.vimapi.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /vim/v1/allocations/{id}/operate}: stop or start replicas while the allocation keeps its capacity and
 * quota. {@code components} names replicas as {@code <name>-<index>} ({@code fastpath-1}); all of them when null.
 * {@code graceful} (default true) stops with SIGTERM and waits up to {@code timeoutSeconds} (default 5) before
 * SIGKILL; false kills at once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OperateRequest(String state, Boolean graceful, Integer timeoutSeconds, List<String> components) {

    public static final String STOPPED = "STOPPED";
    public static final String STARTED = "STARTED";
}
