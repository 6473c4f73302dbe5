package io.isthmus.vnfm.integration;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.secret.WriteOnlyPaths;
import io.isthmus.vnf.catalog.CsarReader;
import io.isthmus.vnf.catalog.InvalidPackageException;
import io.isthmus.vnf.catalog.VnfPackage;

/**
 * Where the configurations of a package's VNF type hold secrets: the places the JSON Schema its package carries marks
 * {@code writeOnly} (none without a schema). The package comes from the nfvo (kept by {@link NfvoClient}).
 */
@ApplicationScoped
public class SecretPaths {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NfvoClient nfvo;

    public SecretPaths(NfvoClient nfvo) {
        this.nfvo = nfvo;
    }

    /**
     * @throws RemoteCallException when the nfvo cannot hand the package out now
     * @throws InvalidPackageException when the package is not one (it was when it was onboarded)
     */
    public WriteOnlyPaths of(String vnfPkgId) {
        byte[] csar = nfvo.packageContent(vnfPkgId);
        VnfPackage pkg = CsarReader.read(csar);
        if (pkg.configSchemaPath() == null) {
            return WriteOnlyPaths.NONE;
        }
        byte[] schema = CsarReader.extract(csar, pkg.configSchemaPath()).orElse(null);
        if (schema == null) {
            return WriteOnlyPaths.NONE; // CsarReader refuses such a package; ConfigSchema says so where it is checked
        }
        try {
            return WriteOnlyPaths.of(JSON.readTree(schema));
        } catch (IOException e) {
            throw new IllegalStateException("the configuration schema of VNF package " + vnfPkgId + " is no JSON");
        }
    }
}
