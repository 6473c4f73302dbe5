package io.isthmus.vnfm.integration;

import java.util.List;
import java.util.Locale;

/** What the vnfm needs of a VNFD: the product, its flavour, and per VDU of the flavour its size and initial instance count. */
public record VnfDescriptor(String vnfdId, String provider, String productName, String softwareVersion,
        String vnfdVersion, String flavourId, List<Vdu> vdus) {

    public record Vdu(String id, int vcpus, int memoryMb, int instances) {
    }

    /** The VNF type the vim and the slowpath know, from the product name: {@code isthmus-nat} → {@code nat}. */
    public String vnfType() {
        String product = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        int dash = product.lastIndexOf('-');
        return dash < 0 ? product : product.substring(dash + 1);
    }
}
