package io.isthmus.vnf.catalog;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a VDU is in an Isthmus VNF, as its VNFD declares it ({@code metadata: isthmus.vdu_role}): the one process that
 * decides new flows, or the processes that forward packets. The VNFM and the VIM start each VDU by its role; nothing
 * reads a role from a VDU's name.
 */
public enum VduRole {

    /** Decides new flows, holds the VNF's state and installs rules; exactly one VDU of a VNF has it. */
    SLOWPATH,
    /** Forwards packets from a flow table and punts misses to the slowpath; one or more VDUs. */
    FASTPATH;

    /** The role as VNFDs and the VIM API write it: {@code slowpath}, {@code fastpath}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<VduRole> ofWireName(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
    }
}
