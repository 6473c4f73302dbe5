package io.isthmus.vnfm.persistence;

/** The journaled steps of an operation; the op occ row stores the next one to run. */
public enum OperationStep {
    /** STARTING → PROCESSING. */
    START,
    /** Read the VNF package (the VNFD's VDUs) from the nfvo. */
    PACKAGE,
    /** Ask the nfvo for a grant. */
    GRANT,
    /** Allocate the VNF's components on the vim. */
    ALLOCATE,
    /** Send the VNF configuration to the slowpath. */
    CONFIGURE,
    /** Release the VNF's allocation on the vim. */
    RELEASE,
    /** Nothing left to run: the operation is closed or about to be. */
    DONE
}
