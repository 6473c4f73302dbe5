package io.isthmus.vnfm.service;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.problem.UnprocessableContentException;
import io.isthmus.vnf.catalog.ConfigSchema;
import io.isthmus.vnf.catalog.CsarReader;
import io.isthmus.vnf.catalog.InvalidPackageException;
import io.isthmus.vnf.catalog.VnfPackage;
import io.isthmus.vnfm.integration.NfvoClient;

/**
 * Checks a VNF's desired configuration against its package before anything is granted or started: the flavour must be
 * the VNFD's, the configuration must fit the JSON Schema the VNF type's package carries. The vnfm loads no VNF code;
 * the package says what a configuration of its type is.
 */
@ApplicationScoped
public class DesiredConfigurations {

    private final NfvoClient nfvo;

    public DesiredConfigurations(NfvoClient nfvo) {
        this.nfvo = nfvo;
    }

    /**
     * @throws UnprocessableContentException (422) naming every problem when the request cannot work
     * @throws PeerUnavailableException (503) when the nfvo cannot hand out the package now
     */
    public void check(String vnfPkgId, String flavourId, Map<String, Object> configuration) {
        byte[] csar;
        try {
            csar = nfvo.packageContent(vnfPkgId);
        } catch (RemoteCallException e) {
            throw new PeerUnavailableException("The nfvo could not hand out the VNF package " + vnfPkgId + ": "
                    + e.getMessage());
        }
        VnfPackage pkg;
        try {
            pkg = CsarReader.read(csar);
        } catch (InvalidPackageException e) {
            throw new UnprocessableContentException("The VNF package " + vnfPkgId + " is not valid: " + e.detail());
        }
        if (!pkg.flavourId().equals(flavourId)) {
            throw new UnprocessableContentException("flavourId " + flavourId + " is not a flavour of the VNFD "
                    + pkg.vnfdId() + "; its flavours are [" + pkg.flavourId() + "]");
        }
        List<String> violations = ConfigSchema.of(pkg, csar).violations(configuration);
        if (!violations.isEmpty()) {
            throw new UnprocessableContentException("additionalParams is no valid configuration of VNF type "
                    + pkg.vnfType() + " (" + pkg.configSchemaPath() + "): " + String.join("; ", violations));
        }
    }
}
