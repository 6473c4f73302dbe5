package io.isthmus.vnfm.integration;

import java.util.List;

/**
 * What the vnfm needs of a VNFD: the product, its VNF type, its flavour, and per VDU of the flavour its declared role,
 * size and initial instance count. The type and the roles are what the VNFD declares (vnf-catalog reads them); the
 * vnfm reads nothing from names.
 */
public record VnfDescriptor(String vnfdId, String vnfType, String provider, String productName,
        String softwareVersion, String vnfdVersion, String flavourId, List<Vdu> vdus) {

    /** A VDU: {@code role} as the VIM API writes it ({@code slowpath}, {@code fastpath}). */
    public record Vdu(String id, String role, int vcpus, int memoryMb, int instances) {
    }
}
