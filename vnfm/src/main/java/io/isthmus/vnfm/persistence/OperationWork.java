package io.isthmus.vnfm.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the steps of an operation found and decided so far (stored as JSON with the op occ), so that a step run after a
 * restart, or a rollback, needs nothing that lived only in memory.
 *
 * @param vnfcs the VNF's VNFCs as the last step that changed them left them
 * @param plan what a scale, scale to level, heal or operate is to do, decided once by its PLAN step
 * @param drainDeadline when DRAIN stops waiting for the VNFCs taken out of the ingress to go quiet
 * @param before what MODIFY changed, for UNMODIFY to put back
 * @param ingress the fastpath VNFCs in the published ingress after the last UNPUBLISH or PUBLISH
 * @param rollout how far change_vnfpkg's rolling replacement (or its rollback) has come
 * @param slowpathSnapshot the slowpath's snapshot TAKE_SNAPSHOT read, until the journal moves it to the VNF snapshot
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperationWork(String vnfPkgId, String vnfType, List<Vdu> vdus, String allocationId, String driver,
        List<VnfcResource> vnfcs, String configSecret, Plan plan, Instant drainDeadline, Before before,
        Map<String, Integer> maxScaleLevels, List<String> extCps, List<String> ingress, Rollout rollout,
        String slowpathSnapshot) {

    /** A VDU of the VNFD's flavour: its declared role, its compute size and instance count for this operation. */
    public record Vdu(String id, String role, int vcpus, int memoryMb, int instances) {
    }

    /**
     * A plan: the scale levels and VDU counts before and after, the VNFCs to remove (scale in), to heal (and how), to
     * stop or start. Counts are per VDU id.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Plan(Map<String, Integer> levelsBefore, Map<String, Integer> levelsAfter,
            Map<String, Integer> countsBefore, Map<String, Integer> countsAfter, List<String> remove,
            List<String> heal, String healMode, String changeStateTo, List<String> vnfcsBefore) {
    }

    /** The instance's information before a modification. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Before(String name, String description, Map<String, Object> metadata,
            Map<String, Object> extensions, Map<String, Object> configuration) {
    }

    /** The VNFCs; none before an allocation. */
    @Override
    public List<VnfcResource> vnfcs() {
        return vnfcs == null ? List.of() : vnfcs;
    }

    /** Without the slowpath's snapshot, which may hold a VNF's flow bindings and is never logged. */
    @Override
    public String toString() {
        return "OperationWork[vnfPkgId=" + vnfPkgId + ", allocationId=" + allocationId + ", vnfcs=" + vnfcs()
                + ", plan=" + plan + ", ingress=" + ingress + ", rollout=" + rollout
                + (slowpathSnapshot == null ? "" : ", slowpathSnapshot=(" + slowpathSnapshot.length() + " chars)")
                + "]";
    }

    public static OperationWork empty() {
        return new OperationWork(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    public OperationWork withPackage(String pkgId, String type, List<Vdu> descriptorVdus,
            Map<String, Integer> maxLevels, List<String> cps) {
        return new OperationWork(pkgId, type, descriptorVdus, allocationId, driver, vnfcs, configSecret, plan,
                drainDeadline, before, maxLevels, cps, ingress, rollout, slowpathSnapshot);
    }

    /** The allocation the vim made, and the secret its slowpath's config endpoint asks for. */
    public OperationWork withAllocation(String id, String vimDriver, List<VnfcResource> resources, String secret) {
        return new OperationWork(vnfPkgId, vnfType, vdus, id, vimDriver, resources, secret, plan, drainDeadline,
                before, maxScaleLevels, extCps, ingress, rollout, slowpathSnapshot);
    }

    public OperationWork withVnfcs(List<VnfcResource> resources) {
        return new OperationWork(vnfPkgId, vnfType, vdus, allocationId, driver, resources, configSecret, plan,
                drainDeadline, before, maxScaleLevels, extCps, ingress, rollout, slowpathSnapshot);
    }

    public OperationWork withPlan(Plan p) {
        return new OperationWork(vnfPkgId, vnfType, vdus, allocationId, driver, vnfcs, configSecret, p,
                drainDeadline, before, maxScaleLevels, extCps, ingress, rollout, slowpathSnapshot);
    }

    public OperationWork withDrainDeadline(Instant deadline) {
        return new OperationWork(vnfPkgId, vnfType, vdus, allocationId, driver, vnfcs, configSecret, plan, deadline,
                before, maxScaleLevels, extCps, ingress, rollout, slowpathSnapshot);
    }

    /** The fastpath VNFCs the ingress publishes after this step. */
    public OperationWork withIngress(List<String> vnfcIds) {
        return new OperationWork(vnfPkgId, vnfType, vdus, allocationId, driver, vnfcs, configSecret, plan,
                drainDeadline, before, maxScaleLevels, extCps, vnfcIds, rollout, slowpathSnapshot);
    }

    public OperationWork withBefore(Before b) {
        return new OperationWork(vnfPkgId, vnfType, vdus, allocationId, driver, vnfcs, configSecret, plan,
                drainDeadline, b, maxScaleLevels, extCps, ingress, rollout, slowpathSnapshot);
    }

    public OperationWork withRollout(Rollout r) {
        return new OperationWork(vnfPkgId, vnfType, vdus, allocationId, driver, vnfcs, configSecret, plan,
                drainDeadline, before, maxScaleLevels, extCps, ingress, r, slowpathSnapshot);
    }

    /** The slowpath's snapshot body; null once the journal has stored it with the VNF snapshot. */
    public OperationWork withSlowpathSnapshot(String body) {
        return new OperationWork(vnfPkgId, vnfType, vdus, allocationId, driver, vnfcs, configSecret, plan,
                drainDeadline, before, maxScaleLevels, extCps, ingress, rollout, body);
    }

    /**
     * A rolling replacement: the replicas (VNFC ids) in the order they go, the index of the one in hand and its stage,
     * when draining it stops waiting, and the package they are replaced by ({@code target}, forward only).
     *
     * @param phase FORWARD or ROLLBACK: a rollback starts its own rollout over the replicas the forward one touched
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rollout(String phase, List<String> replicas, int next, Stage stage, Instant drainDeadline,
            Target target) {

        public Rollout at(int index, Stage s, Instant deadline) {
            return new Rollout(phase, replicas, index, s, deadline, target);
        }

        public boolean finished() {
            return next >= replicas.size();
        }

        public String current() {
            return replicas.get(next);
        }
    }

    /** The stages of one replica in a rolling replacement. */
    public enum Stage {
        UNPUBLISH, DRAIN, REPLACE, PUBLISH, CONFIGURE
    }

    /** The package a change_vnfpkg moves the instance to, as the nfvo lists it. */
    public record Target(String vnfdId, String vnfPkgId, String provider, String productName, String softwareVersion,
            String vnfdVersion) {
    }
}
