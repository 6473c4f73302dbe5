package io.isthmus.nfvo.persistence;

/** The journaled steps of an NS operation; the op occ row stores the next one to run. */
public enum NsOperationStep {
    /** Create one VNF instance on the VNFM per VNF profile of the NSD. */
    CREATE_VNFS,
    /** Ask the VNFM to instantiate each VNF instance. */
    INSTANTIATE_VNFS,
    /** Ask the VNFM to terminate each VNF instance. */
    TERMINATE_VNFS,
    /** Send each VNF the NS operation asks something of its SOL003 request (scale, heal, operate, PATCH...). */
    VNF_TASKS,
    /** Delete the VNFs the operation removes from the NS, once terminated, and drop them from it. */
    FINISH_TASKS,
    /** Wait until the VNF LCM operations started by the step before are COMPLETED (or one of them failed). */
    AWAIT_VNFS,
    /**
     * Send each VNF of a service chain whose linked connection points' next hops are not its peers' published ingress
     * any more (or yet) a change_ext_conn with the new ones (NextHops.Wire).
     */
    WIRE_VNFS,
    /** Wait until the change_ext_conn operations of WIRE_VNFS are COMPLETED (or one failed). */
    AWAIT_WIRING,
    /** Delete the terminated VNF instances on the VNFM. */
    DELETE_VNFS,
    /** Nothing left to run: the operation is closed or about to be. */
    DONE
}
