package io.isthmus.vnf.vpn.ike;

import java.util.List;

/**
 * One IKEv2 connection as configured. {@code peer.address() == 0} accepts any peer (responder only). Identities are an
 * IPv4 address in dotted form (ID_IPV4_ADDR) or anything else (ID_FQDN); a null {@code remoteId} accepts any
 * identity, a null {@code localId} sends the local address. Proposals use strongSwan's names
 * ({@code aes128gcm16-prfsha256-ecp256}, {@code aes256gcm16-esn}). Times of 0 disable rekeying / DPD. The PSK is never
 * printed.
 */
public record IkeConnection(String name, Endpoint local, Endpoint peer, byte[] psk, String localId, String remoteId,
        List<TrafficSelector> localSelectors, List<TrafficSelector> remoteSelectors, List<String> ikeProposals,
        List<String> espProposals, boolean initiator, long ikeRekeyMillis, long childRekeyMillis,
        long childRekeyBytes, long dpdMillis) {

    public IkeConnection {
        localSelectors = List.copyOf(localSelectors);
        remoteSelectors = List.copyOf(remoteSelectors);
        ikeProposals = List.copyOf(ikeProposals);
        espProposals = List.copyOf(espProposals);
        // fail on bad names when configured, not when negotiating
        IkeProposals.parseAll(ikeProposals, IkeProposals.PROTOCOL_IKE);
        IkeProposals.parseAll(espProposals, IkeProposals.PROTOCOL_ESP);
    }

    @Override
    public String toString() {
        return "IkeConnection[" + name + " " + local + "->" + peer + " " + localId + "/" + remoteId + " psk=<hidden> "
                + localSelectors + "===" + remoteSelectors + " ike=" + ikeProposals + " esp=" + espProposals
                + (initiator ? " initiator" : "") + "]";
    }
}
