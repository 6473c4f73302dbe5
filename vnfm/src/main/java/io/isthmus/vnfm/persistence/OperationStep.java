package io.isthmus.vnfm.persistence;

/** The journaled steps of operations; the op occ row stores the next one to run. Each is harmless to run twice. */
public enum OperationStep {
    /** STARTING → PROCESSING (or → ROLLING_BACK's first step). */
    START,
    /** Read the VNF package (the VNFD's VDUs, scaling aspects and levels) from the nfvo. */
    PACKAGE,
    /** Work out the target of a scale, scale to level or heal: VDU counts, VNFCs to add, to remove, to heal. */
    PLAN,
    /** Ask the nfvo for a grant of what the operation adds and removes. */
    GRANT,
    /** Allocate the VNF's components on the vim. */
    ALLOCATE,
    /** Start the VNFCs the plan adds (vim resize up). */
    ADD_VNFCS,
    /** Take the VNFCs the plan removes or heals, or all of them, out of the published ingress. */
    UNPUBLISH,
    /** Wait until the VNFCs taken out of the ingress receive nothing (or the drain timeout passes). */
    DRAIN,
    /** Stop the VNFCs the plan removes (vim resize down), and make the slowpath forget them. */
    REMOVE_VNFCS,
    /** Restart or replace the VNFCs to heal. */
    HEAL_VNFCS,
    /** Stop or start the VNF's VNFCs. */
    OPERATE_VNFCS,
    /** Apply the new instance information and desired configuration (PATCH, change_ext_conn). */
    MODIFY,
    /** Send the VNF configuration to the slowpath. */
    CONFIGURE,
    /** Publish the ingress: every running fastpath that is not being removed. */
    PUBLISH,
    /** Release the VNF's allocation on the vim. */
    RELEASE,
    /** Rollback of a scale: back to the VDU counts before it. */
    RESTORE_VNFCS,
    /** Rollback of a modification: the instance information and configuration before it. */
    UNMODIFY,
    /** Read the slowpath's snapshot (config and state) into the VNF snapshot resource. */
    TAKE_SNAPSHOT,
    /** Give the slowpath a snapshot's config and state back; its config becomes the desired configuration. */
    REVERT_SNAPSHOT,
    /**
     * change_vnfpkg: replace the VNF's replicas one at a time (the slowpath first: replaced, given its state,
     * configured; then each fastpath: out of the ingress, drained, replaced, back in). Runs once per stage of each replica, journaled each time.
     */
    ROLL_VNFCS,
    /** Nothing left to run: the operation is closed or about to be. */
    DONE
}
