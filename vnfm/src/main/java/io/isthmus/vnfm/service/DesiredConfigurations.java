package io.isthmus.vnfm.service;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.problem.UnprocessableContentException;
import io.isthmus.sol.secret.WriteOnlyPaths;
import io.isthmus.vnf.catalog.ConfigSchema;
import io.isthmus.vnf.catalog.CsarReader;
import io.isthmus.vnf.catalog.InvalidPackageException;
import io.isthmus.vnf.catalog.VnfPackage;
import io.isthmus.vnfm.integration.NfvoClient;
import io.isthmus.vnfm.integration.SecretPaths;

/**
 * Checks a VNF's desired configuration against its package before anything is granted or started: the flavour must be
 * the VNFD's, the configuration must fit the JSON Schema the VNF type's package carries. The vnfm loads no VNF code;
 * the package says what a configuration of its type is.
 */
@ApplicationScoped
public class DesiredConfigurations {

    private final NfvoClient nfvo;
    private final SecretPaths secretPaths;

    public DesiredConfigurations(NfvoClient nfvo, SecretPaths secretPaths) {
        this.nfvo = nfvo;
        this.secretPaths = secretPaths;
    }

    /**
     * @throws UnprocessableContentException (422) naming every problem when the request cannot work
     * @throws PeerUnavailableException (503) when the nfvo cannot hand out the package now
     */
    public void check(String vnfPkgId, String flavourId, Map<String, Object> configuration) {
        byte[] csar = csar(vnfPkgId);
        VnfPackage pkg = read(vnfPkgId, csar);
        if (!pkg.flavourId().equals(flavourId)) {
            throw new UnprocessableContentException("flavourId " + flavourId + " is not a flavour of the VNFD "
                    + pkg.vnfdId() + "; its flavours are [" + pkg.flavourId() + "]");
        }
        checkSchema(pkg, csar, configuration, "additionalParams");
    }

    /** A configuration changed by PATCH or change_ext_conn, as it would be after the change. */
    public void checkConfiguration(String vnfPkgId, Map<String, Object> configuration, String what) {
        byte[] csar = csar(vnfPkgId);
        checkSchema(read(vnfPkgId, csar), csar, configuration, what);
    }

    /**
     * Where configurations of the package's VNF type hold secrets: the places its JSON Schema marks {@code writeOnly}
     * (none when it carries no schema).
     */
    public WriteOnlyPaths secretPaths(String vnfPkgId) {
        csar(vnfPkgId); // the nfvo's failure as 503, the package kept for what follows
        try {
            return secretPaths.of(vnfPkgId);
        } catch (InvalidPackageException e) {
            throw new UnprocessableContentException("The VNF package " + vnfPkgId + " is not valid: " + e.detail());
        } catch (RemoteCallException e) {
            throw new PeerUnavailableException("The nfvo could not hand out the VNF package " + vnfPkgId + ": "
                    + e.getMessage());
        }
    }

    /** What the vnfm needs of the package's VNFD (scaling aspects, levels, flavour). */
    public io.isthmus.vnfm.integration.VnfDescriptor descriptor(String vnfPkgId) {
        byte[] csar = csar(vnfPkgId);
        read(vnfPkgId, csar);
        return new io.isthmus.vnfm.integration.VnfdReader().read(csar);
    }

    private static void checkSchema(VnfPackage pkg, byte[] csar, Map<String, Object> configuration, String what) {
        List<String> violations = ConfigSchema.of(pkg, csar).violations(configuration);
        if (!violations.isEmpty()) {
            throw new UnprocessableContentException(what + " is no valid configuration of VNF type "
                    + pkg.vnfType() + " (" + pkg.configSchemaPath() + "): " + String.join("; ", violations));
        }
    }

    private static VnfPackage read(String vnfPkgId, byte[] csar) {
        try {
            return CsarReader.read(csar);
        } catch (InvalidPackageException e) {
            throw new UnprocessableContentException("The VNF package " + vnfPkgId + " is not valid: " + e.detail());
        }
    }

    private byte[] csar(String vnfPkgId) {
        byte[] csar;
        try {
            csar = nfvo.packageContent(vnfPkgId);
        } catch (RemoteCallException e) {
            throw new PeerUnavailableException("The nfvo could not hand out the VNF package " + vnfPkgId + ": "
                    + e.getMessage());
        }
        return csar;
    }
}
