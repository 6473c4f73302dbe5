package io.isthmus.vnfm.persistence;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the steps of an operation found so far (stored as JSON with the op occ), so that a step run after a restart
 * needs nothing that lived only in memory.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperationWork(String vnfPkgId, String vnfType, List<Vdu> vdus, String allocationId, String driver,
        List<VnfcResource> vnfcs, String configSecret) {

    /** A VDU of the VNFD's flavour: its declared role, its compute size and initial instance count. */
    public record Vdu(String id, String role, int vcpus, int memoryMb, int instances) {
    }

    public static OperationWork empty() {
        return new OperationWork(null, null, null, null, null, null, null);
    }

    public OperationWork withPackage(String pkgId, String type, List<Vdu> descriptorVdus) {
        return new OperationWork(pkgId, type, descriptorVdus, allocationId, driver, vnfcs, configSecret);
    }

    /** The allocation the vim made, and the secret its slowpath's config endpoint asks for. */
    public OperationWork withAllocation(String id, String vimDriver, List<VnfcResource> resources, String secret) {
        return new OperationWork(vnfPkgId, vnfType, vdus, id, vimDriver, resources, secret);
    }
}
