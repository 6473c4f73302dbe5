package io.isthmus.vnfm.service;

import io.isthmus.sol.problem.ConflictException;

/** A VNF of an NS instance is changed through its NS only → 409 naming the NS. */
public class OwnedByNsException extends ConflictException {

    public OwnedByNsException(String vnfInstanceId, String nsInstanceId) {
        super("VNF instance " + vnfInstanceId + " belongs to NS instance " + nsInstanceId
                + ": change it through that NS (SOL005 /nslcm/v2/ns_instances/" + nsInstanceId + ")");
    }
}
