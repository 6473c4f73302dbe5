package io.isthmus.nfvo.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.nfvo.persistence.VnfPackageRepository;
import io.isthmus.sol.secret.ConfigSecrets;
import io.isthmus.sol.secret.WriteOnlyPaths;
import io.isthmus.vnf.catalog.CsarReader;
import io.isthmus.vnf.catalog.VnfPackage;

/**
 * The secrets of the VNF configurations an NS request carries (contracts.md "Secrets in VNF configurations"): the
 * values the configuration schema of the VNF's package marks {@code writeOnly} are kept sealed (a VNF's
 * {@code additionalParams}, an operation's parameters, a task for the VNFM) and opened only to be sent to the VNFM.
 */
@ApplicationScoped
public class VnfConfigSecrets {

    private static final ObjectMapper SCHEMA_READER = new ObjectMapper();

    private final VnfPackageRepository packages;
    private final ConfigSecrets secrets;

    public VnfConfigSecrets(VnfPackageRepository packages, ConfigSecrets secrets) {
        this.packages = packages;
        this.secrets = secrets;
    }

    /** The write-only places of the configurations of the onboarded package of {@code vnfdId}; none without one. */
    public WriteOnlyPaths pathsOf(String vnfdId) {
        return packages.onboardedByVnfdId(vnfdId).map(p -> {
            VnfPackage pkg = CsarReader.read(p.content);
            if (pkg.configSchemaPath() == null) {
                return WriteOnlyPaths.NONE;
            }
            return CsarReader.extract(p.content, pkg.configSchemaPath()).map(schema -> {
                try {
                    return WriteOnlyPaths.of(SCHEMA_READER.readTree(schema));
                } catch (IOException e) {
                    return WriteOnlyPaths.NONE; // onboarding refuses such a package
                }
            }).orElse(WriteOnlyPaths.NONE);
        }).orElse(WriteOnlyPaths.NONE);
    }

    /** A VNF's configuration as it is kept: its secrets sealed. */
    public Map<String, Object> seal(Map<String, Object> config, String vnfdId) {
        return config == null ? null : secrets.seal(config, pathsOf(vnfdId));
    }

    /** A kept configuration (or request) opened, to be sent to the VNFM. */
    public Map<String, Object> open(Map<String, Object> kept) {
        return secrets.open(kept);
    }

    /**
     * Request parameters as an operation keeps them: in each item of the list {@code params[list]}, the configuration
     * {@code item[key]} sealed with the schema of the VNF {@code vnfdOf} names for the item (null: left as it is).
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> sealInList(Map<String, Object> params, String list, String key,
            Function<Map<String, Object>, String> vnfdOf) {
        if (params == null || !(params.get(list) instanceof List<?> items)) {
            return params;
        }
        List<Object> sealed = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof Map<?, ?> m && m.get(key) instanceof Map<?, ?> config) {
                String vnfdId = vnfdOf.apply((Map<String, Object>) m);
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
                if (vnfdId != null) {
                    copy.put(key, seal((Map<String, Object>) config, vnfdId));
                }
                sealed.add(copy);
            } else {
                sealed.add(item);
            }
        }
        Map<String, Object> copy = new LinkedHashMap<>(params);
        copy.put(list, sealed);
        return copy;
    }

    /** Refuses (422) a client's configuration that holds the stored form of a secret. */
    public static void refuseSealedInput(Object input, String what) {
        ConfigSecrets.refuseSealedInput(input, what);
    }
}
