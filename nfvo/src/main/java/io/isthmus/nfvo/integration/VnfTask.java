package io.isthmus.nfvo.integration;

import io.isthmus.sol.model.ChangeExtVnfConnectivityRequest;
import io.isthmus.sol.model.ChangeVnfFlavourRequest;
import io.isthmus.sol.model.HealVnfRequest;
import io.isthmus.sol.model.OperateVnfRequest;
import io.isthmus.sol.model.ScaleVnfRequest;
import io.isthmus.sol.model.ScaleVnfToLevelRequest;
import io.isthmus.sol.model.VnfInfoModificationRequest;

/** One SOL003 request an NS operation sends one of its VNFs, answered with 202 and a VNF LCM operation. */
public sealed interface VnfTask {

    record Scale(ScaleVnfRequest request) implements VnfTask {
    }

    record ScaleToLevel(ScaleVnfToLevelRequest request) implements VnfTask {
    }

    record Heal(HealVnfRequest request) implements VnfTask {
    }

    record Operate(OperateVnfRequest request) implements VnfTask {
    }

    record ChangeFlavour(ChangeVnfFlavourRequest request) implements VnfTask {
    }

    /** SOL003 change_ext_conn: the next hops of connection points (a chain's wiring). */
    record ChangeExtConn(ChangeExtVnfConnectivityRequest request) implements VnfTask {
    }

    record Modify(VnfInfoModificationRequest request) implements VnfTask {
    }
}
