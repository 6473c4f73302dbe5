package io.isthmus.vimapi.model;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An allocation as the VIM API shows it: one entry in {@code components} per running replica. Readers ignore fields
 * they do not know, so a field added here reaches old clients harmlessly. {@code configSecret} is the bearer token the
 * VNF's slowpath config endpoint asks for (the VNF process contract): the VNFM configures the VNF with it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AllocationView(String id, String state, String stateReason, Instant stateEnteredTime, String driver,
        String zoneId, String tenantId, String vnfInstanceId, String vnfType, int vcpus, long memoryMb,
        List<Component> components, String configSecret) {

    /**
     * One replica; the ports it listens on depend on its role. {@code status} is {@code RUNNING}, {@code STOPPED}
     * (stopped on request: operate) or {@code FAILED} (exited without being asked, {@code statusReason} says how);
     * {@code fastpathId} is a fastpath's {@code --id}, never reused within the allocation.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Component(String name, String role, int index, String host, Ports ports, Long pid,
            Integer fastpathId, String status, String statusReason, Instant statusTime) {

        public Component(String name, String role, int index, String host, Ports ports, Long pid) {
            this(name, role, index, host, ports, pid, null, null, null, null);
        }
    }

    /** {@code control} and {@code config} for a slowpath, {@code data} for a fastpath. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Ports(Integer control, Integer config, Integer data) {
    }
}
