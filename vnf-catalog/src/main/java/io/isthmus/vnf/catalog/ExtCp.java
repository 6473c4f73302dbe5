package io.isthmus.vnf.catalog;

import java.util.Objects;

/**
 * A {@code tosca.nodes.nfv.VnfExtCp} of the VNFD: where the VNF meets a network outside it.
 *
 * @param id node template name in the VNFD; an NSD attaches it by this name
 * @param nextHopParam the key of the VNF's configuration that takes the VXLAN endpoint (IPv4:port) behind this
 *            connection point, its {@code metadata: isthmus.next_hop}; null when the VNF needs none. The NFVO fills
 *            it in from the NS's endpoints: tenants do not type next hops.
 */
public record ExtCp(String id, String nextHopParam) {

    public ExtCp {
        Objects.requireNonNull(id, "id");
    }
}
